// WASI in node:wasi's shape (`new WASI({ version })`, `wasiImport`, `getImportObject()`,
// `start(instance)`, `initialize(instance)`) for instances of any WebAssembly namespace. Node's own
// WASI refuses every memory that is not an instance of Node's built-in WebAssembly.Memory, so glue
// written against node:wasi (ruby.wasm, for one) cannot run on tswasm's namespace without this.

import { Wasi, type WasiOptions } from './wasi.js';
import { PREVIEW0, PREVIEW1, WASI_PREVIEW1, WASI_UNSTABLE, type SyscallDef } from './syscalls.js';

/** node:wasi's options (Wasi's, which take tswasm's stdio streams too), with the version. */
export interface NodeWasiOptions extends WasiOptions {
  /** 'preview1' (wasi_snapshot_preview1) or 'unstable' (wasi_unstable). Node requires it; here it defaults to 'preview1'. */
  readonly version?: 'preview1' | 'unstable';
}

type ImportFunction = (...args: unknown[]) => number | undefined;

/** What start/initialize need of an instance: its exports, with a memory whose `buffer` is its bytes. */
interface InstanceLike {
  readonly exports: Record<string, unknown>;
}

const EMPTY = new Uint8Array(0);

/**
 * WASI preview1 with node:wasi's interface: pass `getImportObject()` (or `{ wasi_snapshot_preview1:
 * wasi.wasiImport }`) when instantiating, then `start(instance)` a command or `initialize(instance)`
 * a reactor. Works with tswasm's `WebAssembly` namespace and with the host's own.
 */
export class WASI {
  /** The import functions, by name, for the module named by `version`. */
  readonly wasiImport: Readonly<Record<string, ImportFunction>>;
  readonly #wasi: Wasi;
  readonly #module: string;
  #memory: { readonly buffer: ArrayBufferLike } | null = null;
  #buffer: ArrayBufferLike | null = null;
  #bytes: Uint8Array = EMPTY;
  #started = false;

  constructor(options: NodeWasiOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError('WASI: options must be an object');
    const { version = 'preview1', ...rest } = options;
    if (version !== 'preview1' && version !== 'unstable') throw new TypeError(`WASI: version must be "preview1" or "unstable", not ${JSON.stringify(version)}`);
    this.#wasi = new Wasi(rest);
    this.#module = version === 'preview1' ? WASI_PREVIEW1 : WASI_UNSTABLE;
    const defs = version === 'preview1' ? PREVIEW1 : PREVIEW0;
    this.wasiImport = Object.fromEntries(Object.entries(defs).map(([name, d]) => [name, this.#importFunction(name, d)]));
  }

  /** `{ [module]: wasiImport }`, the import object for WebAssembly.instantiate. */
  getImportObject(): Record<string, Readonly<Record<string, ImportFunction>>> {
    return { [this.#module]: this.wasiImport };
  }

  /**
   * Runs a command (it exports `_start` and no `_initialize`) and returns its exit code: 0 when
   * `_start` returns, the code given to proc_exit otherwise. Traps and host errors propagate.
   */
  start(instance: unknown): number {
    const exports = this.#bind(instance, 'start');
    const start = exports['_start'];
    if (typeof start !== 'function') throw new TypeError('WASI.start: instance.exports._start must be a function');
    if (exports['_initialize'] !== undefined) throw new TypeError('WASI.start: a command must not export _initialize');
    return this.#wasi.runCommand(() => start());
  }

  /** Prepares a reactor (it exports no `_start`): calls its `_initialize`, if it has one. */
  initialize(instance: unknown): void {
    const exports = this.#bind(instance, 'initialize');
    const init = exports['_initialize'];
    if (exports['_start'] !== undefined) throw new TypeError('WASI.initialize: a reactor must not export _start');
    if (init === undefined) return;
    if (typeof init !== 'function') throw new TypeError('WASI.initialize: instance.exports._initialize must be a function');
    this.#wasi.runInitializer(() => init());
  }

  /** Takes the instance's exported memory for every later call; once per WASI object, as in Node. */
  #bind(instance: unknown, what: string): Record<string, unknown> {
    if (this.#started) throw new Error(`WASI.${what}: this WASI object has already started an instance`);
    const exports = typeof instance === 'object' && instance !== null ? (instance as InstanceLike).exports : undefined;
    if (typeof exports !== 'object' || exports === null) throw new TypeError(`WASI.${what}: expected a WebAssembly.Instance`);
    const memory = exports['memory'] as { buffer?: unknown } | undefined;
    const buffer = typeof memory === 'object' && memory !== null ? memory.buffer : undefined;
    if (!(buffer instanceof ArrayBuffer) && !(typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(`WASI.${what}: instance.exports.memory must be a WebAssembly.Memory`);
    }
    this.#started = true;
    this.#memory = memory as { readonly buffer: ArrayBufferLike };
    return exports;
  }

  #importFunction(name: string, d: SyscallDef): ImportFunction {
    const wasi = this.#wasi;
    return (...args) => wasi.run(name, d, this.#currentBytes(), args);
  }

  /** The memory's bytes now (its buffer changes when it grows). */
  #currentBytes(): Uint8Array {
    const memory = this.#memory;
    if (memory === null) return EMPTY;
    const buffer = memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#bytes = new Uint8Array(buffer);
    }
    return this.#bytes;
  }
}
