// A realm of the JS API: one engine and store, the options, the Exported Function cache, and what each
// interface registers to wrap runtime objects in (and recognise) its JS objects, one per runtime object.

import { Engine } from '../api/engine.js';
import type { Config } from '../api/config.js';
import type { Module as EngineModule } from '../api/module.js';
import { Store } from '../api/store.js';
import type { WasmFunc } from '../runtime/func.js';
import type { GlobalObject } from '../runtime/global.js';
import type { MemoryObject } from '../runtime/memory.js';
import type { TableObject } from '../runtime/table.js';
import type { TagObject } from '../runtime/tag.js';
import type { WasmException } from '../runtime/exceptions.js';
import { makeExportedCallable } from './export-adaptor.js';
import { callFromJs } from './jspi.js';
import { registerExportedFunction, type FuncRealm } from './values.js';
import { checkOptionNames } from '../core/options.js';
import { PrecompiledModules } from './precompiled.js';
import { MAX_MEMORY_BYTES } from './limits.js';

/** Options of `createWebAssembly`. */
export interface JsApiOptions {
  /**
   * Detach a Memory's old ArrayBuffer when the memory grows, as the spec requires (default true).
   * `false` leaves old buffers attached (stale, with their old length): faster on V8, where detaching
   * any buffer slows every DataView access afterwards, but not conforming. See docs/js-api.md.
   */
  readonly detachOnGrow?: boolean;
  /** The engine's configuration (features, compilation mode, maxWasmStack); threads are on unless `features.threads` is false. */
  readonly engine?: Config;
  /**
   * Modules compiled ahead of time (`precompileJs`, or `tswasm compile --js-api`), as their ES
   * modules' default exports or namespaces. Compiling bytes equal to one of them uses its code
   * instead of generating code: the only way to run wasm where code generation from strings is
   * refused (a Content-Security-Policy without 'unsafe-eval'), and a faster start everywhere.
   * Each must have been compiled for this namespace's configuration (else DeserializeError here).
   */
  readonly precompiled?: readonly unknown[];
  /**
   * JS Promise Integration: the namespace gets `Suspending`, `promising` and `SuspendError`, and an
   * import wrapped in `WebAssembly.Suspending` suspends the wasm that calls it until its promise
   * settles, when that wasm was entered through a function made by `promising` (jsapi/jspi.ts). Its
   * code is generator code (Config.asyncSupport), which costs speed in call-heavy code. Default false.
   */
  readonly jspi?: boolean;
}

/** The engine configuration of a namespace with these options (threads on unless turned off). */
export function jsApiEngineConfig(options: JsApiOptions): Config {
  const engine = options.engine ?? {};
  if (engine.asyncSupport !== undefined) throw new TypeError('createWebAssembly: engine.asyncSupport is not an option here; JSPI (jspi: true) is the namespace\'s way to suspend');
  // Its store would keep every instance for coredumps that no RuntimeError of the namespace carries.
  if (engine.coredumpOnTrap !== undefined) throw new TypeError('createWebAssembly: engine.coredumpOnTrap is not an option here; coredumps are the Wasmtime-shaped API\'s (WasmCoreDump)');
  return { ...engine, features: { threads: true, ...engine.features }, ...(options.jspi === true ? { asyncSupport: true } : {}) };
}

/** Wraps runtime objects of one kind in this realm's JS objects, and recognises those objects. */
export interface Brand<R> {
  /** The JS object of `raw` (created on first use, then always the same one). */
  wrap(raw: R): object;
  /** The runtime object behind a JS object of this kind and realm, or undefined. */
  unwrap(v: unknown): R | undefined;
}

const unset = (): never => {
  throw new Error('internal error: JS API realm used before its interfaces were defined');
};
const unsetBrand: Brand<never> = { wrap: unset, unwrap: unset };

export class Realm implements FuncRealm {
  readonly engine: Engine;
  readonly store: Store;
  readonly detachOnGrow: boolean;
  /** A JSPI namespace (JsApiOptions.jspi): generator code, with Suspending and promising. */
  readonly jspi: boolean;
  private readonly exported = new WeakMap<WasmFunc, (...args: unknown[]) => unknown>();

  /** Set by each interface's definition (namespace.ts wires them up). */
  memory: Brand<MemoryObject> = unsetBrand;
  table: Brand<TableObject> = unsetBrand;
  global: Brand<GlobalObject> = unsetBrand;
  tag: Brand<TagObject> = unsetBrand;
  /** Exception objects: one per wasm exception, so an exception keeps its identity across the boundary. */
  exception: Brand<WasmException> = unsetBrand;
  /** The compiled module behind a Module object of this realm, or undefined (module.ts). */
  moduleOf: (v: unknown) => EngineModule | undefined = unset;
  /** A new Module object for a compiled module (module.ts). */
  wrapModule: (m: EngineModule) => object = unset;
  /** A new Instance object with the given exports object (instance.ts). */
  wrapInstance: (exports: object) => object = unset;
  /** The JavaScript exception tag, once something asked for it (tag.ts). */
  jsTag: TagObject | null = null;
  /** Modules compiled ahead of time, found by their bytes. */
  readonly precompiled: PrecompiledModules;

  constructor(options: JsApiOptions = {}) {
    checkOptionNames(options, ['detachOnGrow', 'engine', 'precompiled', 'jspi'], 'createWebAssembly', 'createWebAssembly: options');
    if (options.detachOnGrow !== undefined && typeof options.detachOnGrow !== 'boolean') throw new TypeError('createWebAssembly: detachOnGrow must be a boolean');
    if (options.jspi !== undefined && typeof options.jspi !== 'boolean') throw new TypeError('createWebAssembly: jspi must be a boolean');
    this.jspi = options.jspi === true;
    // Threads are on unless the embedder says otherwise: browsers and Node ship shared memories
    // and atomics, and the JS API's own tests build shared memories by default.
    this.engine = new Engine(jsApiEngineConfig(options));
    this.store = new Store(this.engine);
    this.store.raw.maxMemoryBytes = MAX_MEMORY_BYTES;
    this.detachOnGrow = options.detachOnGrow ?? true;
    this.precompiled = new PrecompiledModules(this.engine, options.precompiled);
  }

  /**
   * The spec's "a new Exported Function": one per function, named by its index in its instance
   * (or its index as a host function), with its parameter count as length.
   */
  exportedFunction(f: WasmFunc): (...args: unknown[]) => unknown {
    let fn = this.exported.get(f);
    if (fn === undefined) {
      fn = this.jspi ? makeExportedCallable(this, f, callFromJs(f)) : makeExportedCallable(this, f);
      Object.defineProperty(fn, 'name', { value: String(f.index), configurable: true });
      this.exported.set(f, fn);
      registerExportedFunction(fn, f, this.jspi);
    }
    return fn;
  }
}
