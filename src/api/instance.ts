// Instance: a module instantiated in a store with its imports given in order (Wasmtime's
// Instance::new); exports are looked up by name.

import { LinkError } from '../core/errors.js';
import type { ValType } from '../core/types.js';
import { InstanceObject } from '../runtime/instance.js';
import type { RuntimeExtern } from '../runtime/link.js';
import { tswasm$callWasmAsync, hookNow, requireAsync } from './boundary.js';
import { attachCoredump } from './coredump.js';
import { embedderException } from './exnref.js';
import { checkExternStore, externFromRaw, isExtern, type Extern } from './extern.js';
import { Func } from './func.js';
import { Global } from './global.js';
import { claim } from './handles.js';
import { admitInstance, admitInstanceAsync, releaseInstance } from './limits.js';
import { Memory } from './memory.js';
import { SharedMemory } from './shared-memory.js';
import { Module, ModuleExport } from './module.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';
import { Table } from './table.js';
import { Tag } from './tag.js';
import type { TypedFunc } from './typed-func.js';

const handles = new WeakMap<InstanceObject, Instance>();

/** A module instantiated in a store (Wasmtime's Instance). */
export class Instance {
  /** The runtime instance behind the handle. */
  readonly raw: InstanceObject;
  /** The store it was instantiated in. */
  readonly store: Store<any>;

  /**
   * Instantiates `module` with `imports` in the order of `module.imports()`. Throws LinkError for
   * missing or mismatched imports, ResourceLimitError when the store's limiter refuses, Trap if a
   * segment or the start function traps.
   */
  constructor(cx: AsContext<any>, module: Module, imports: readonly Extern[] = []) {
    const store = storeOf(cx);
    this.store = store;
    this.raw = tswasm$instantiate(store, module, rawImports(store, module, imports), false);
    handles.set(this.raw, this);
  }

  /**
   * Instantiates in an engine with Config.asyncSupport (Wasmtime's Instance::new_async): the start
   * function may suspend in async host functions. Resolves to the instance, or rejects as the
   * constructor would throw.
   */
  static async newAsync(cx: AsContext<any>, module: Module, imports: readonly Extern[] = []): Promise<Instance> {
    const store = storeOf(cx);
    requireAsync(store, 'Instance.newAsync');
    const raws = rawImports(store, module, imports);
    await admitInstanceAsync(store, module.info);
    const raw = tswasm$instantiate(store, module, raws, true, true);
    const instance = Instance.fromRaw(store, raw);
    if (raw.start !== null) await tswasm$callWasmAsync(store, raw.start, []);
    return instance;
  }

  /** @internal The handle of a runtime instance (another store's is refused). */
  static fromRaw(store: Store<any>, raw: InstanceObject): Instance {
    if (raw.store !== store.raw) throw new Error('object used with the wrong store');
    let h = handles.get(raw);
    if (h === undefined) {
      h = Object.create(Instance.prototype) as Instance;
      Object.assign(h, { raw, store });
      handles.set(raw, h);
    }
    return h;
  }

  /** The export called `name`, or undefined. */
  getExport(cx: AsContext<any>, name: string): Extern | undefined {
    const store = checkStore(cx, this);
    if (typeof name !== 'string') throw new TypeError('an export name is a string');
    const x = this.raw.exports.get(name);
    return x === undefined ? undefined : externFromRaw(store, x);
  }
  /**
   * The export `exp` stands for (Module.getExportIndex), or undefined when `exp` belongs to another
   * module than the one this instance was made from (Wasmtime's Instance::get_module_export).
   */
  getModuleExport(cx: AsContext<any>, exp: ModuleExport): Extern | undefined {
    if (!(exp instanceof ModuleExport)) throw new TypeError('Instance.getModuleExport: expected a ModuleExport from Module.getExportIndex');
    const store = checkStore(cx, this);
    if (exp.module !== this.raw.module) return undefined;
    return externFromRaw(store, this.raw.exports.get(exp.name)!);
  }
  /** The export called `name` if it is a Func, else undefined. */
  getFunc(cx: AsContext<any>, name: string): Func | undefined {
    return this.exportOf(cx, name, Func);
  }
  /**
   * The exported function `name` as a TypedFunc (Wasmtime's get_typed_func); throws when there is
   * no such function or its type does not match `params`/`results`.
   */
  getTypedFunc(cx: AsContext<any>, name: string, params?: readonly ValType[], results?: readonly ValType[]): TypedFunc {
    const f = this.getFunc(cx, name);
    if (f === undefined) throw new TypeError(`no exported function "${name}"`);
    return f.typed(cx, params, results);
  }
  /** The export called `name` if it is a Memory, else undefined. */
  getMemory(cx: AsContext<any>, name: string): Memory | undefined {
    return this.exportOf(cx, name, Memory);
  }
  /** The export called `name` if it is a shared memory, else undefined (Wasmtime's get_shared_memory). */
  getSharedMemory(cx: AsContext<any>, name: string): SharedMemory | undefined {
    return this.exportOf(cx, name, SharedMemory);
  }
  /** The export called `name` if it is a Table, else undefined. */
  getTable(cx: AsContext<any>, name: string): Table | undefined {
    return this.exportOf(cx, name, Table);
  }
  /** The export called `name` if it is a Global, else undefined. */
  getGlobal(cx: AsContext<any>, name: string): Global | undefined {
    return this.exportOf(cx, name, Global);
  }
  /** The export called `name` if it is a Tag, else undefined. */
  getTag(cx: AsContext<any>, name: string): Tag | undefined {
    return this.exportOf(cx, name, Tag);
  }
  /** The export called `name` if it is a `kind`, else undefined. */
  private exportOf<X>(cx: AsContext<any>, name: string, kind: Function & { prototype: X }): X | undefined {
    const x = this.getExport(cx, name);
    return x instanceof kind ? (x as X) : undefined;
  }
  /** Every export in declaration order. */
  exports(cx: AsContext<any>): { name: string; value: Extern }[] {
    const store = checkStore(cx, this);
    return [...this.raw.exports].map(([name, x]) => ({ name, value: externFromRaw(store, x) }));
  }
}

/** The runtime objects of `imports`, checked against `module`'s engine and `store`. */
function rawImports(store: Store<any>, module: Module, imports: readonly Extern[]): RuntimeExtern[] {
  if (!(module instanceof Module)) throw new TypeError('Instance: expected a Module');
  if (module.engine !== store.engine) throw new Error('module and store belong to different engines');
  if (!Array.isArray(imports)) throw new TypeError('Instance: imports must be an array of Func, Memory, SharedMemory, Table, Global or Tag');
  return imports.map((x, i) => {
    if (!isExtern(x)) throw new TypeError(`import ${i}: expected a Func, Memory, SharedMemory, Table, Global or Tag`);
    checkExternStore(store, x);
    return x.raw;
  });
}

/**
 * Creates the runtime instance: limits first, then linking and initialisation. A start function
 * runs between the CallingWasm and ReturningFromWasm hooks, unless `startLater` leaves it to the
 * caller (in `raw.start`). `admitted`: the store's limits were already checked and counted
 * (admitInstanceAsync). Its name marks where tswasm's lines of a start function's call begin, as
 * boundary.ts's tswasm$callWasm does for other calls into wasm.
 */
function tswasm$instantiate(store: Store<any>, module: Module, imports: RuntimeExtern[], startLater: boolean, admitted = false): InstanceObject {
  const info = module.info;
  if (!admitted) admitInstance(store, info);
  const hook = info.start !== null && !startLater ? store.raw.callHook : null;
  const dumped = store.raw.dumpable?.instances.length ?? 0;
  let raw: InstanceObject;
  try {
    if (hook !== null) hookNow(hook('CallingWasm'));
    try {
      raw = new InstanceObject(module, imports, store.raw, startLater);
    } finally {
      if (hook !== null) hookNow(hook('ReturningFromWasm'));
    }
  } catch (e) {
    // A link failure creates nothing; a trap in a segment or the start function leaves the
    // instance's memories and tables in the store (as in Wasmtime), so they stay counted.
    if (e instanceof LinkError) releaseInstance(store, info);
    attachCoredump(store, e, store.raw.dumpable?.instances[dumped] ?? null);
    throw embedderException(store, e);
  }
  for (const g of raw.globals) claim(store, g);
  for (const t of raw.tags) claim(store, t);
  return raw;
}
