// Linker<T>: name-based instantiation (Wasmtime's Linker). Host functions defined with funcNew /
// funcWrap belong to no store and are made once per store on first use; define() items are a store's.

import { canonicalValTypeText } from '../validate/canonical-text.js';
import { LinkError, TrapCode } from '../core/errors.js';
import { F32, F64, I32, I64, V128, isNullable, isRef, type FuncType, type ValType } from '../core/types.js';
import { makeTrap } from '../runtime/traps.js';
import type { Caller } from './caller.js';
import { checkEngine, type Engine } from './engine.js';
import { checkExternStore, isExtern, type Extern } from './extern.js';
import { Func, checkFunction, type AsyncHostFunction, type HostFunction, type HostFunctionWithCaller } from './func.js';
import { Instance } from './instance.js';
import { InstancePre } from './instance-pre.js';
import { Module, type ExportType, type ImportType } from './module.js';
import { storeOf, type AsContext, type Store } from './store.js';
import type { TypedFunc } from './typed-func.js';
import { funcType, registerFuncType } from './types.js';
import { Val, jsToVal, type ValRaw } from './val.js';

/** One name's definition: a store's item, or a host function made per store. */
export type Definition =
  | { readonly kind: 'item'; readonly item: Extern }
  | { readonly kind: 'host'; readonly type: FuncType; readonly typeId: number; readonly make: (store: Store<any>) => Func };

/** Resolves imports by module and name (Wasmtime's Linker). */
export class Linker<T = unknown> {
  private readonly defs = new Map<string, Definition>();
  private shadowing = false;
  private unknownExports = false;

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
   * Whether `module` accepts a command whose exports include something other than functions and the
   * few items toolchains add (default: such a command is refused; Wasmtime's allow_unknown_exports).
   */
  allowUnknownExports(allow: boolean): this {
    if (typeof allow !== 'boolean') throw new TypeError('Linker.allowUnknownExports: expected a boolean');
    this.unknownExports = allow;
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
  /** Defines a host function over raw values (Wasmtime's Linker::func_new_unchecked; see Func.newUnchecked); usable in any store. */
  funcNewUnchecked(module: string, name: string, type: FuncType, impl: (caller: Caller<T>, paramsAndResults: ValRaw[]) => void): this {
    checkFunction(impl, 'Linker.funcNewUnchecked');
    return this.host(module, name, type, (store) => Func.newUnchecked(store as Store<T>, type, impl));
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
   * `_start` export) is instantiated once, its `_initialize` (which must take and return nothing)
   * called if it has one, and its exports defined. A command (exports `_start`) has its imports
   * resolved now, and every call of an exported function runs in a fresh instance. A module
   * exporting both `_start` and `_initialize` is refused, as is a command exporting anything but
   * functions and the items toolchains add (`memory`, `__indirect_function_table`, `table`,
   * `__data_end`, `__heap_base`, `__dso_handle`, `__rtti_base`) unless allowUnknownExports is on.
   */
  module(cx: AsContext<T>, module: string, wasmModule: Module): this {
    const store = storeOf(cx);
    expectModule(wasmModule, 'Linker.module');
    const exports = wasmModule.exports();
    if (moduleKind(exports) === 'reactor') {
      const instance = this.instantiate(store, wasmModule);
      initializer(store, instance)?.call(store);
      return this.instance(store, module, instance);
    }
    const pre = this.commandPre(wasmModule, exports);
    for (const [name, type] of commandFunctions(exports)) {
      this.define(store, module, name, Func.create(store, type, (args) => pre.instantiate(store).getFunc(store, name)!.call(store, args)));
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
    const exports = wasmModule.exports();
    if (moduleKind(exports) === 'reactor') {
      const instance = await this.instantiateAsync(store, wasmModule);
      await initializer(store, instance)?.callAsync(store);
      return this.instance(store, module, instance);
    }
    const pre = this.commandPre(wasmModule, exports);
    for (const [name, type] of commandFunctions(exports)) {
      this.define(store, module, name, Func.createAsync(store, type, async (_caller, args) => {
        const fresh = await pre.instantiateAsync(store);
        return fresh.getFunc(store, name)!.callAsync(store, args);
      }));
    }
    return this;
  }

  /** A command's imports resolved once, after its exports are checked. */
  private commandPre(wasmModule: Module, exports: readonly ExportType[]): InstancePre<T> {
    if (!this.unknownExports) {
      for (const e of exports) {
        if (e.type.kind !== 'func' && TOOLCHAIN_EXPORTS.get(e.name) !== e.type.kind) {
          throw new Error(`command export '${e.name}' is not a function (Linker.allowUnknownExports accepts it)`);
        }
      }
    }
    return this.instantiatePre(wasmModule);
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

  /**
   * Defines every function import of `module` not yet defined as a function returning zeros and
   * nulls. A result type without a default (a non-nullable reference) is refused before anything
   * is defined.
   */
  defineUnknownImportsAsDefaultValues(module: Module): this {
    expectModule(module, 'Linker.defineUnknownImportsAsDefaultValues');
    const unknown = module.imports().filter((imp) => imp.type.kind === 'func' && !this.defs.has(key(imp.module, imp.name)));
    for (const imp of unknown) {
      const t = (imp.type.type as FuncType).results.find((r) => isRef(r) && !isNullable(r));
      if (t !== undefined) throw new Error(`no default value exists for type \`${canonicalValTypeText(t)}\` (import \`${imp.module}::${imp.name}\`)`);
    }
    for (const imp of unknown) {
      // A module may import one name twice: the first definition serves both.
      if (this.defs.has(key(imp.module, imp.name))) continue;
      const type = imp.type.type as FuncType;
      this.funcNew(imp.module, imp.name, type, (): Val[] => type.results.map(defaultVal));
    }
    return this;
  }

  /** Also defines `module`.`name`'s definition as `asModule`.`asName`. */
  alias(module: string, name: string, asModule: string, asName: string): this {
    const d = this.defs.get(key(module, name));
    if (d === undefined) throw new Error(`no item named \`${module}::${name}\` in the linker`);
    return this.insert(asModule, asName, d);
  }

  /**
   * Also defines everything now defined under `module` under `asModule` (Wasmtime's
   * Linker::alias_module); a name already taken there is an error unless shadowing is allowed.
   */
  aliasModule(module: string, asModule: string): this {
    key(module, asModule);
    for (const [k, d] of [...this.defs]) {
      const [m, name] = JSON.parse(k) as [string, string];
      if (m === module) this.insert(asModule, name, d);
    }
    return this;
  }

  /** The item defined as `module`.`name` in the context's store, or undefined. */
  get(cx: AsContext<T>, module: string, name: string): Extern | undefined {
    const d = this.defs.get(key(module, name));
    return d === undefined ? undefined : resolve(storeOf(cx), d);
  }

  /** The item that would satisfy `imp` (one of Module.imports()), or undefined; its type is not checked (Wasmtime's Linker::get_by_import). */
  getByImport(cx: AsContext<T>, imp: ImportType): Extern | undefined {
    if (imp === null || typeof imp !== 'object') throw new TypeError('Linker.getByImport: expected an import from Module.imports()');
    return this.get(cx, imp.module, imp.name);
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
   * start function may suspend in async host functions. Every failure rejects the promise, a link
   * error included (an async method: nothing throws before the promise exists).
   */
  async instantiateAsync(cx: AsContext<T>, module: Module): Promise<Instance> {
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
    case V128: return Val.v128(0n);
  }
  return jsToVal(t, null);
}

/** Non-function exports a command may have: toolchains add them (the names Wasmtime accepts). */
const TOOLCHAIN_EXPORTS: ReadonlyMap<string, string> = new Map([
  ['memory', 'memory'], ['__indirect_function_table', 'table'], ['table', 'table'],
  ['__data_end', 'global'], ['__heap_base', 'global'], ['__dso_handle', 'global'], ['__rtti_base', 'global'],
]);

/** A command exports `_start`, a reactor does not; a module cannot be both (it would export `_initialize` too). */
function moduleKind(exports: readonly ExportType[]): 'command' | 'reactor' {
  const exported = (name: string) => exports.find((e) => e.name === name);
  const start = exported('_start');
  const init = exported('_initialize');
  if (start !== undefined && init !== undefined) throw new Error('a module cannot be both a command (`_start`) and a reactor (`_initialize`)');
  if (start !== undefined && start.type.kind !== 'func') throw new Error('`_start` must be a function');
  if (init !== undefined && init.type.kind !== 'func') throw new Error('`_initialize` must be a function');
  return start !== undefined ? 'command' : 'reactor';
}

/** A command's function exports with their types. */
function commandFunctions(exports: readonly ExportType[]): [string, FuncType][] {
  return exports.flatMap((e) => (e.type.kind === 'func' ? [[e.name, e.type.type] as [string, FuncType]] : []));
}

/** A reactor's `_initialize`, which must take and return nothing, or null when it has none. */
function initializer(store: Store<any>, instance: Instance): TypedFunc | null {
  const init = instance.getFunc(store, '_initialize');
  if (init === undefined) return null;
  try {
    return init.typed(store, [], []);
  } catch (e) {
    throw new Error(`the reactor's \`_initialize\` must take and return nothing: ${(e as Error).message}`);
  }
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
