// Func: a handle to a wasm or host function in a store (Wasmtime's Func). `call` checks and
// converts Vals at the boundary; `create`/`wrap` (and their WithCaller forms) make host functions.

import type { FuncType, ValType } from '../core/types.js';
import { WasmFunc } from '../runtime/func.js';
import { canonicalType, isCanonicalSubtype } from '../validate/type-registry.js';
import { tswasm$callWasm, tswasm$callWasmAsync, hostFunc, rawHostFunc, requireAsync } from './boundary.js';
import type { Caller } from './caller.js';
import { handleFor, wrongStore } from './handles.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';
import { TypedFunc } from './typed-func.js';
import { tswasm$callHost, tswasm$callHost2, tswasm$callHostSpread } from './host-call.js';
import { registerFuncType, valTypes } from './types.js';
import { isThenable } from '../core/thenable.js';
import { jsToVal, liftVals, lowerVals, valToJs, type Val, type ValRaw } from './val.js';
import { checkRawRoom, componentsOfRaws, rawsOfComponents } from './val-raw.js';

/** A host function's implementation: Vals in, Vals out (an empty array for no results). */
export type HostFunction = (args: Val[]) => Val[];
/** A host function that also receives the Caller of the current call. */
export type HostFunctionWithCaller<T = unknown> = (caller: Caller<T>, args: Val[]) => Val[];

/**
 * An async host function (Config.asyncSupport): the Caller and Vals in, a promise of Vals out. The
 * wasm that called it waits, suspended, until the promise settles; the Caller stays valid until then.
 */
export type AsyncHostFunction<T = unknown> = (caller: Caller<T>, args: Val[]) => PromiseLike<Val[]> | Val[];

/** A wasm or host function in a store (Wasmtime's Func). */
export class Func {
  /** The function's type with canonical type ids in reference types. */
  private readonly ty: FuncType;

  private constructor(
    /** The store it belongs to (using it with another store throws). */ 
    readonly store: Store<any>,
    /** The runtime function behind the handle. */
    readonly raw: WasmFunc,
  ) {
    this.ty = canonicalType(raw.type).composite as FuncType;
  }

  /** @internal The handle of a runtime function (one per function; another store's is refused). */
  static handle(store: Store<any>, raw: WasmFunc): Func {
    const cached = raw.handle as Func | null;
    if (cached !== null) {
      if (cached.store !== store) wrongStore();
      return cached;
    }
    return handleFor(store, raw, () => {
      const f = new Func(store, raw);
      raw.handle = f;
      return f;
    });
  }

  /**
   * The Func of a raw funcref value (from `toRaw` or a ValRaw), or null for null (Wasmtime's
   * Func::from_raw). A function of another store is refused.
   */
  static fromRaw(cx: AsContext<any>, raw: unknown): Func | null {
    if (raw === null || raw === undefined) return null;
    if (!(raw instanceof WasmFunc)) throw new TypeError('not a raw function reference');
    return Func.handle(storeOf(cx), raw);
  }

  /** The untyped raw form of this function (a ValRaw funcref), for `Func.fromRaw` and `Val.fromRaw`. */
  toRaw(cx: AsContext<any>): object {
    checkStore(cx, this);
    return this.raw;
  }

  /**
   * A host function of type `type` (Wasmtime's Func::new). Exceptions it throws reach the caller
   * of the wasm export unchanged.
   */
  static create(cx: AsContext<any>, type: FuncType, impl: HostFunction): Func {
    const store = storeOf(cx);
    checkFunction(impl, 'Func.create');
    const raw = hostFunc(store, registerFuncType(type), (_caller, args) => tswasm$callHost(impl, args), false);
    return Func.handle(store, raw);
  }

  /** Like `create`, with the Caller as the first argument of `impl`. */
  static createWithCaller<T>(cx: AsContext<T>, type: FuncType, impl: HostFunctionWithCaller<T>): Func {
    const store = storeOf(cx);
    checkFunction(impl, 'Func.createWithCaller');
    const raw = hostFunc(store, registerFuncType(type), (caller, args) => tswasm$callHost2(impl, caller!, args), true);
    return Func.handle(store, raw);
  }

  /**
   * A host function over raw values (Wasmtime's Func::new_unchecked): `impl` gets the Caller and
   * one ValRaw array, of length max(parameters, results), holding the arguments; it leaves the
   * results at the start of the same array. No Val is made per value. Unlike Wasmtime's, nothing
   * here is unsafe: a result of the wrong JS type, type or store throws a TypeError (or "object
   * used with the wrong store") to the caller of the wasm export, as a throw from `impl` would.
   */
  static newUnchecked<T>(cx: AsContext<T>, type: FuncType, impl: (caller: Caller<T>, paramsAndResults: ValRaw[]) => void): Func {
    const store = storeOf(cx);
    checkFunction(impl, 'Func.newUnchecked');
    const raw = rawHostFunc(store, registerFuncType(type), impl as (caller: Caller<any>, paramsAndResults: ValRaw[]) => void);
    return Func.handle(store, raw);
  }

  /**
   * A host function from a plain JS function (Wasmtime's Func::wrap): i32/f32/f64 arrive as
   * numbers, i64 as bigint, funcref as Func or null, externref as ExternRef or null; it returns
   * one such value, an array of them for several results, or nothing.
   */
  static wrap(cx: AsContext<any>, type: FuncType, fn: (...args: any[]) => unknown): Func {
    checkFunction(fn, 'Func.wrap');
    return Func.create(cx, type, plain(type, (args) => tswasm$callHostSpread(fn, args)));
  }

  /** Like `wrap`, with the Caller as the first argument: `(caller, a, b) => a + b`. */
  static wrapWithCaller<T>(cx: AsContext<T>, type: FuncType, fn: (caller: Caller<T>, ...args: any[]) => unknown): Func {
    checkFunction(fn, 'Func.wrapWithCaller');
    return Func.createWithCaller(cx, type, (caller, args) => plain(type, (xs) => tswasm$callHostSpread(fn, [caller, ...xs]))(args));
  }

  /**
   * An async host function of type `type` (Wasmtime's Func::new_async; needs Config.asyncSupport):
   * `impl` returns a promise of the results, and the wasm that called it waits for it, suspended.
   * What the promise rejects with reaches the caller of the wasm export, as a throw would.
   */
  static createAsync<T>(cx: AsContext<T>, type: FuncType, impl: AsyncHostFunction<T>): Func {
    const store = storeOf(cx);
    checkFunction(impl, 'Func.createAsync');
    const raw = hostFunc(store, registerFuncType(type), (caller, args) => tswasm$callHost2(impl, caller!, args), true, true);
    return Func.handle(store, raw);
  }

  /**
   * An async host function over plain JS values (Wasmtime's Func::wrap_async): `fn(caller, ...args)`
   * returns a promise of what `wrap`'s function returns; results given at once (no promise) are
   * taken at once, without suspending the caller, as `createAsync`'s are.
   */
  static wrapAsync<T>(cx: AsContext<T>, type: FuncType, fn: (caller: Caller<T>, ...args: any[]) => PromiseLike<unknown>): Func {
    checkFunction(fn, 'Func.wrapAsync');
    return Func.createAsync(cx, type, (caller, args) => {
      const r = tswasm$callHostSpread(fn, [caller, ...args.map(valToJs)]);
      // An answer given at once is taken at once, as createAsync's is: only a promise suspends the caller.
      return isThenable(r) ? Promise.resolve(r).then((v) => plainResults(type, v)) : plainResults(type, r);
    });
  }

  /** The function's type, with canonical type ids in reference types. */
  type(cx: AsContext<any>): FuncType {
    checkStore(cx, this);
    return this.ty;
  }

  /**
   * Whether this function can stand where a function of `type` is expected (Wasmtime's
   * Func::matches_ty): its type is `type` or a declared subtype of it, the check instantiation makes
   * for a function import of that type.
   */
  matchesTy(cx: AsContext<any>, type: FuncType): boolean {
    checkStore(cx, this);
    return isCanonicalSubtype(this.raw.type, registerFuncType(type));
  }

  /**
   * Calls the function. Wrong argument counts or types throw a TypeError before wasm runs; a trap
   * throws Trap; whatever a host function throws is thrown unchanged (WasmBacktrace.fromError gives
   * its wasm callers).
   */
  call(cx: AsContext<any>, args: readonly Val[] = []): Val[] {
    const store = checkStore(cx, this);
    const lowered = lowerVals(store, this.ty.params, args, 'argument');
    return liftVals(store, this.ty.results, tswasm$callWasm(store, this.raw, lowered));
  }

  /**
   * Calls the function with raw values (Wasmtime's Func::call_unchecked): `paramsAndResults` holds
   * the arguments as ValRaws (see Val.toRaw) and must have room for max(parameters, results)
   * values; the results replace its first elements. Values of the wrong JS type, type or store
   * throw a TypeError before wasm runs; traps and host errors are thrown as by `call`.
   */
  callUnchecked(cx: AsContext<any>, paramsAndResults: ValRaw[]): void {
    const store = checkStore(cx, this);
    const { params, results } = this.ty;
    checkRawRoom(paramsAndResults, Math.max(params.length, results.length), 'Func.callUnchecked');
    const lowered = componentsOfRaws(store, params, paramsAndResults, 'argument');
    rawsOfComponents(store, results, tswasm$callWasm(store, this.raw, lowered), paramsAndResults);
  }

  /**
   * Calls the function in an engine with Config.asyncSupport (Wasmtime's Func::call_async): async
   * host functions it reaches may suspend it, and epoch deadlines may yield to the event loop. The
   * promise resolves to the results, or rejects as `call` would throw.
   */
  async callAsync(cx: AsContext<any>, args: readonly Val[] = []): Promise<Val[]> {
    const store = checkStore(cx, this);
    requireAsync(store, 'Func.callAsync');
    const lowered = lowerVals(store, this.ty.params, args, 'argument');
    return liftVals(store, this.ty.results, await tswasm$callWasmAsync(store, this.raw, lowered));
  }

  /**
   * A typed view of this function, called with plain JS values (Wasmtime's Func::typed). When
   * `params`/`results` are given they must match the function's type (arguments of those types
   * must be accepted and results of those types produced), else a TypeError is thrown.
   */
  typed(cx: AsContext<any>, params?: readonly ValType[], results?: readonly ValType[]): TypedFunc {
    const store = checkStore(cx, this);
    return TypedFunc.of(store, this, params == null ? undefined : valTypes(params, 'typed params'), results == null ? undefined : valTypes(results, 'typed results'));
  }
}

/** Adapts a plain-JS-values function to Vals for `type`. */
function plain(type: FuncType, fn: (args: unknown[]) => unknown): HostFunction {
  return (args) => plainResults(type, fn(args.map(valToJs)));
}

/** The Vals of what a plain-JS-values host function returned: nothing, one value, or an array of them. */
function plainResults(type: FuncType, r: unknown): Val[] {
  if (type.results.length === 0) return [];
  const values = type.results.length === 1 ? [r] : (r as unknown[]);
  if (!Array.isArray(values) || values.length !== type.results.length) {
    throw new TypeError(`host function must return an array of ${type.results.length} values`);
  }
  return type.results.map((t, i) => jsToVal(t, values[i]));
}

/** Throws a TypeError naming `where` unless `f` is a function (a host function's implementation). */
export function checkFunction(f: unknown, where: string): void {
  if (typeof f !== 'function') throw new TypeError(`${where}: the implementation must be a function`);
}
