// Engine: the compilation environment shared by modules and stores (Wasmtime's Engine), and the
// epoch counter that epoch interruption compares store deadlines against.

import { CODE_VERSION } from '../compile/code-version.js';
import { HELPERS } from '../runtime/helpers.js';
import { newEpochCounter } from '../runtime/store.js';
import { resolveConfig, type Config, type ResolvedConfig } from './config.js';
import { sha256, toHex } from './crypto/sha256.js';
import { utf8Bytes } from '../core/utf8.js';
import { isSerializedModule } from './serialize.js';

/** The compilation environment shared by modules and stores (Wasmtime's Engine). */
export class Engine {
  /** The configuration, with defaults filled in. */
  readonly config: ResolvedConfig;
  /**
   * The epoch counter (element 0): an Int32Array over a SharedArrayBuffer where the platform has
   * one, so a Worker given this array can advance it with `Atomics.add(epoch, 0, 1)`.
   */
  readonly epoch: Int32Array = newEpochCounter();
  private fingerprintText: string | null = null;

  constructor(config?: Config) {
    this.config = resolveConfig(config);
  }

  /**
   * Advances the epoch by one (Wasmtime's Engine::increment_epoch): wasm running in any store of
   * this engine whose deadline is reached is interrupted at its next check. Safe from a host function.
   */
  incrementEpoch(): void {
    Atomics.add(this.epoch, 0, 1);
    // A WASI sleep waits on the counter, to end when an interruption is due.
    if (this.epoch.buffer instanceof SharedArrayBuffer) Atomics.notify(this.epoch, 0);
  }

  /** Whether `a` and `b` are the same engine (Wasmtime's Engine::same), so their modules and stores mix. */
  static same(a: Engine, b: Engine): boolean {
    return a === b;
  }

  /**
   * What `bytes` hold if they are a compiled artifact (Wasmtime's Engine::detect_precompiled):
   * 'module' for the output of Module.serialize (to load with Module.deserialize), null for
   * anything else, such as a wasm binary. It says nothing about whether this engine accepts it.
   */
  static detectPrecompiled(bytes: Uint8Array | ArrayBuffer): 'module' | null {
    if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) throw new TypeError('Engine.detectPrecompiled: expected a Uint8Array or an ArrayBuffer');
    return isSerializedModule(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) ? 'module' : null;
  }

  /**
   * The compiled form of a module, without keeping the module (Wasmtime's
   * Engine::precompile_module): `Module.serialize`'s output, for `Module.deserialize` in an engine
   * with this one's settings. Throws CompileError for an invalid module.
   */
  precompileModule(source: Uint8Array | ArrayBuffer | string): Uint8Array {
    if (precompile === null) throw new Error('internal error: Module is not loaded');
    return precompile(this, source);
  }

  /**
   * A hash of everything a precompiled module depends on besides its wasm (Wasmtime's
   * Engine::precompile_compatibility_hash): engines with equal hashes accept each other's
   * precompiled modules (given the same serializationKey, when one is set). SHA-256 of
   * `fingerprint`, lower-case hex.
   */
  precompileCompatibilityHash(): string {
    return toHex(sha256(utf8Bytes(this.fingerprint)));
  }

  /** The current epoch. */
  currentEpoch(): number {
    return Atomics.load(this.epoch, 0);
  }

  /**
   * What generated code depends on besides the module: the enabled features, the code-generation
   * switches, the runtime's helper names and the code generator's version (CODE_VERSION).
   * Serialized modules record it and must match it.
   */
  get fingerprint(): string {
    if (this.fingerprintText === null) {
      const c = this.config;
      const features = Object.entries(c.features).filter(([, on]) => on).map(([name]) => name).sort();
      const helpers = sha256(utf8Bytes(Object.keys(HELPERS).sort().join(',')));
      const runtime = toHex(helpers.subarray(0, 6));
      this.fingerprintText = [
        `features=${features.join(',')}`, `consumeFuel=${c.consumeFuel}`, `epochInterruption=${c.epochInterruption}`,
        `nanCanonicalization=${c.nanCanonicalization}`, `maxWasmStack=${c.maxWasmStack}`, `runtime=${runtime}`,
        `code=${CODE_VERSION}`, `nanBoxes=${c.nanBoxes}`, `asyncSupport=${c.asyncSupport}`,
      ].join(';');
    }
    return this.fingerprintText;
  }
}

/**
 * Compiles and serializes a module for Engine.precompileModule. api/module.ts, which depends on
 * this file, installs it when it loads, so that the dependency keeps pointing one way.
 */
let precompile: ((engine: Engine, source: Uint8Array | ArrayBuffer | string) => Uint8Array) | null = null;

/** Installs Engine.precompileModule's compiler (api/module.ts does, once). */
export function setPrecompiler(f: (engine: Engine, source: Uint8Array | ArrayBuffer | string) => Uint8Array): void {
  precompile = f;
}

/** Throws a TypeError naming `where` unless `engine` is an Engine. */
export function checkEngine(engine: unknown, where: string): asserts engine is Engine {
  if (!(engine instanceof Engine)) throw new TypeError(`${where}: expected an Engine`);
}
