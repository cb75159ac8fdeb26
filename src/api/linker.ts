// Linker<T>: name-based instantiation (Wasmtime's Linker). Host functions defined with funcNew /
// funcWrap belong to no store and are made once per store on first use; define() items are a store's.

import { LinkError, TrapCode } from '../core/errors.js';
import { F32, F64, I32, I64, type FuncType, type ValType } from '../core/types.js';
import { makeTrap } from '../runtime/traps.js';
import type { Caller } from './caller.js';
import { checkEngine, type Engine } from './engine.js';
import { checkExternStore, isExtern, type Extern } from './extern.js';
import { Func, checkFunction, type AsyncHostFunction, type HostFunction, type HostFunctionWithCaller } from './func.js';
import { Instance } from './instance.js';
import { InstancePre } from './instance-pre.js';
import { Module } from './module.js';
import { storeOf, type AsContext, type Store } from './store.js';
import { funcType, registerFuncType } from './types.js';
import { Val, jsToVal } from './val.js';

/** One name's definition: a store's item, or a host function made per store. */
export type Definition =
  | { readonly kind: 'item'; readonly item: Extern }
  | { readonly kind: 'host'; readonly type: FuncType; readonly typeId: number; readonly make: (store: Store<any>) => Func };

/** Resolves imports by module and name (Wasmtime's Linker). */
export class Linker<T = unknown> {
  private readonly defs = new Map<string, Definition>();
  private shadowing = false;

  constructor(/** The engine whose modules and stores it links. */ readonly engine: Engine) {
    checkEngine(engine, 'Linker');
  }

  /** Whether a second definition of a name replaces the first (default: it is an error). */
  allowShadowing(allow: boolean): this {
    if (typeof allow !== 'boolean') throw new TypeError('Linker.allowShadowing: expected a boolean');
    this.shadowing = allow;
    return this;
  }

  /**
   * Defines `module`.`name` as `item`, which belongs to the context's store, or for a SharedMemory to
   * its engine (Wasmtime's Linker::define).
   */
  define(cx: AsContext<T>, module: string, name: string, item: Extern): this {
    if (!isExtern(item)) throw new TypeError('Linker.define: expected a Func, Memory, SharedMemory, Table, Global or Tag');
    checkExternStore(storeOf(cx), item);
    return this.insert(module, name, { kind: 'item', item });
  }

  /** Defines a host function taking and returning Vals (Wasmtime's Linker::func_new); usable in any store. */
  funcNew(module: string, name: string, type: FuncType, impl: HostFunction): this {
    checkFunction(impl, 'Linker.funcNew');
    return this.host(module, name, type, (store) => Func.create(store, type, impl));
  }
  /** Like funcNew, with the Caller as `impl`'s first argument. */
  funcNewWithCaller(module: string, name: string, type: FuncType, impl: HostFunctionWithCaller<T>): this {
    checkFunction(impl, 'Linker.funcNewWithCaller');
    return this.host(module, name, type, (store) => Func.createWithCaller(store as Store<T>, type, impl));
  }
  /** Defines a host function over plain JS values (Wasmtime's Linker::func_wrap; see Func.wrap); usable in any store. */
  funcWrap(module: string, name: string, type: FuncType, fn: (...args: any[]) => unknown): this {
    checkFunction(fn, 'Linker.funcWrap');
    return this.host(module, name, type, (store) => Func.wrap(store, type, fn));
  }
  /** Like funcWrap, with the Caller as the first argument: `(caller, ptr, len) => ...`. */
  funcWrapWithCaller(module: string, name: string, type: FuncType, fn: (caller: Caller<T>, ...args: any[]) => unknown): this {
    checkFunction(fn, 'Linker.funcWrapWithCaller');
    return this.host(module, name, type, (store) => Func.wrapWithCaller(store as Store<T>, type, fn));
  }

  /**
   * Defines an async host function taking the Caller and Vals (Wasmtime's Linker::func_new_async;
   * needs Config.asyncSupport): the wasm that calls it waits, suspended, for its promise.
   */
  funcNewAsync(module: string, name: string, type: FuncType, impl: AsyncHostFunction<T>): this {
    checkFunction(impl, 'Linker.funcNewAsync');
    this.requireAsync('Linker.funcNewAsync');
    return this.host(module, name, type, (store) => Func.createAsync(store as Store<T>, type, impl));
  }
  /** Defines an async host function over plain JS values, `(caller, ...args) => promise` (Wasmtime's Linker::func_wrap_async). */
  funcWrapAsync(module: string, name: string, type: FuncType, fn: (caller: Caller<T>, ...args: any[]) => PromiseLike<unknown>): this {
    checkFunction(fn, 'Linker.funcWrapAsync');
    this.requireAsync('Linker.funcWrapAsync');
    return this.host(module, name, type, (store) => Func.wrapAsync(store as Store<T>, type, fn));
  }

  private requireAsync(what: string): void {
    if (!this.engine.config.asyncSupport) throw new Error(`${what} needs an engine with Config.asyncSupport`);
  }

  /** Defines every export of `instance` under the module name `module` (Wasmtime's Linker::instance). */
  instance(cx: AsContext<T>, module: string, instance: Instance): this {
    if (!(instance instanceof Instance)) throw new TypeError('Linker.instance: expected an Instance');
    for (const { name, value } of instance.exports(cx)) this.define(cx, module, name, value);
    return this;
  }

  /**
   * Defines `wasmModule`'s exports under `module` (Wasmtime's Linker::module). A reactor (no
   * `_start` export) is instantiated once, its `_initialize` called if it has one, and its exports
   * defined. A command (exports `_start`) gets a fresh instance for every call of an exported function.
   */
  module(cx: AsContext<T>, module: string, wasmModule: Module): this {
    const store = storeOf(cx);
    expectModule(wasmModule, 'Linker.module');
    const isCommand = wasmModule.exports().some((e) => e.name === '_start' && e.type.kind === 'func');
    if (!isCommand) {
      const instance = this.instantiate(store, wasmModule);
      instance.getFunc(store, '_initialize')?.call(store, []);
      return this.instance(store, module, instance);
    }
    for (const e of wasmModule.exports()) {
      if (e.type.kind !== 'func') continue;
      const name = e.name;
      this.define(store, module, name, Func.create(store, e.type.type, (args) => {
        const fresh = this.instantiate(store, wasmModule);
        return fresh.getFunc(store, name)!.call(store, args);
      }));
    }
    return this;
  }

  /**
   * `module` for an engine with Config.asyncSupport (Wasmtime's Linker::module_async): the reactor's
   * instantiation and `_initialize`, and a command's fresh instance per call, may suspend, so the
   * command's functions are async host functions.
   */
  async moduleAsync(cx: AsContext<T>, module: string, wasmModule: Module): Promise<this> {
    const store = storeOf(cx);
    expectModule(wasmModule, 'Linker.moduleAsync');
    this.requireAsync('Linker.moduleAsync');
    const isCommand = wasmModule.exports().some((e) => e.name === '_start' && e.type.kind === 'func');
    if (!isCommand) {
      const instance = await this.instantiateAsync(store, wasmModule);
      await instance.getFunc(store, '_initialize')?.callAsync(store, []);
      return this.instance(store, module, instance);
    }
    for (const e of wasmModule.exports()) {
      if (e.type.kind !== 'func') continue;
      const name = e.name;
      this.define(store, module, name, Func.createAsync(store, e.type.type, async (_caller, args) => {
        const fresh = await this.instantiateAsync(store, wasmModule);
        return fresh.getFunc(store, name)!.callAsync(store, args);
      }));
    }
    return this;
  }

  /** Defines every function import of `module` not yet defined as a function that traps when called. */
  defineUnknownImportsAsTraps(module: Module): this {
    expectModule(module, 'Linker.defineUnknownImportsAsTraps');
    for (const imp of module.imports()) {
      if (imp.type.kind !== 'func' || this.defs.has(key(imp.module, imp.name))) continue;
      const message = `unknown import: \`${imp.module}::${imp.name}\` has not been defined`;
      this.funcNew(imp.module, imp.name, imp.type.type, () => {
        throw makeTrap(TrapCode.HostError, message);
      });
    }
    return this;
  }

  /** Defines every function import of `module` not yet defined as a function returning zeros and nulls. */
  defineUnknownImportsAsDefaultValues(module: Module): this {
    expectModule(module, 'Linker.defineUnknownImportsAsDefaultValues');
    for (const imp of module.imports()) {
      if (imp.type.kind !== 'func' || this.defs.has(key(imp.module, imp.name))) continue;
      const results = imp.type.type.results;
      this.funcNew(imp.module, imp.name, imp.type.type, (): Val[] => results.map(defaultVal));
    }
    return this;
  }

  /** Also defines `module`.`name`'s definition as `asModule`.`asName`. */
  alias(module: string, name: string, asModule: string, asName: string): this {
    const d = this.defs.get(key(module, name));
    if (d === undefined) throw new Error(`no item named \`${module}::${name}\` in the linker`);
    return this.insert(asModule, asName, d);
  }

  /** The item defined as `module`.`name` in the context's store, or undefined. */
  get(cx: AsContext<T>, module: string, name: string): Extern | undefined {
    const d = this.defs.get(key(module, name));
    return d === undefined ? undefined : resolve(storeOf(cx), d);
  }

  /**
   * The default export of `module` (Wasmtime's Linker::get_default): its item named "", else its
   * `_start`; when it has neither, a function that does nothing.
   */
  getDefault(cx: AsContext<T>, module: string): Func {
    const store = storeOf(cx);
    for (const name of ['', '_start']) {
      const item = this.get(store, module, name);
      if (item === undefined) continue;
      if (!(item instanceof Func)) throw new Error(`the default export of \`${module}\` (\`${name}\`) is not a function`);
      return item;
    }
    return Func.wrap(store, funcType([], []), () => {});
  }

  /** Every definition, in the order made, as [module, name, item in the context's store] (Wasmtime's Linker::iter). */
  *iter(cx: AsContext<T>): IterableIterator<[string, string, Extern]> {
    const store = storeOf(cx);
    for (const [k, d] of this.defs) {
      const [module, name] = JSON.parse(k) as [string, string];
      yield [module, name, resolve(store, d)];
    }
  }

  /** Instantiates `module` with its imports looked up by name (Wasmtime's Linker::instantiate). */
  instantiate(cx: AsContext<T>, module: Module): Instance {
    return this.instantiatePre(module).instantiate(cx);
  }

  /**
   * Instantiates in an engine with Config.asyncSupport (Wasmtime's Linker::instantiate_async): the
   * start function may suspend in async host functions.
   */
  instantiateAsync(cx: AsContext<T>, module: Module): Promise<Instance> {
    return this.instantiatePre(module).instantiateAsync(cx);
  }

  /**
   * Resolves and type-checks `module`'s imports once (Wasmtime's Linker::instantiate_pre); the
   * InstancePre then instantiates quickly, in any store for host functions, in the defining store
   * for define()d items. Later changes to the linker do not affect it.
   */
  instantiatePre(module: Module): InstancePre<T> {
    expectModule(module, 'Linker.instantiatePre');
    if (module.engine !== this.engine) throw new Error('module and linker belong to different engines');
    const defs = module.imports().map((imp) => {
      const d = this.defs.get(key(imp.module, imp.name));
      if (d === undefined) throw new LinkError(`unknown import: \`${imp.module}::${imp.name}\` has not been defined`);
      return d;
    });
    return new InstancePre<T>(module, defs);
  }

  private host(module: string, name: string, type: FuncType, make: (store: Store<any>) => Func): this {
    const made = new WeakMap<Store<any>, Func>();
    const typeId = registerFuncType(type);
    return this.insert(module, name, {
      kind: 'host', type, typeId, make: (store) => {
        let f = made.get(store);
        if (f === undefined) {
          f = make(store);
          made.set(store, f);
        }
        return f;
      },
    });
  }

  private insert(module: string, name: string, d: Definition): this {
    const k = key(module, name);
    if (!this.shadowing && this.defs.has(k)) throw new Error(`import of \`${module}::${name}\` defined twice`);
    this.defs.set(k, d);
    return this;
  }
}

/** Zero, or the null reference (a non-nullable reference result has no default and throws). */
function defaultVal(t: ValType): Val {
  switch (t) {
    case I32: return Val.i32(0);
    case I64: return Val.i64(0n);
    case F32: return Val.f32Bits(0);
    case F64: return Val.f64Bits(0n);
  }
  return jsToVal(t, null);
}

function key(module: string, name: string): string {
  if (typeof module !== 'string' || typeof name !== 'string') throw new TypeError('Linker: module and item names must be strings');
  return JSON.stringify([module, name]);
}

/** The Extern a definition stands for in `store` (refused if it is another store's item). */
export function resolve(store: Store<any>, d: Definition): Extern {
  if (d.kind === 'host') return d.make(store);
  checkExternStore(store, d.item);
  return d.item;
}

/** Throws a TypeError naming `where` unless `x` is a Module. */
function expectModule(x: unknown, where: string): asserts x is Module {
  if (!(x instanceof Module)) throw new TypeError(`${where}: expected a Module`);
}
