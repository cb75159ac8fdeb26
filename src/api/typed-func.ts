// TypedFunc: a function called with plain JS values (Wasmtime's TypedFunc): no Val objects, the
// per-parameter conversions chosen once when it is made.

import { canonicalValTypeText } from '../validate/canonical-text.js';
import { F32, F64, I32, I64, type FuncType, type ValType } from '../core/types.js';
import { componentArray, i64OfHalves, pushI64Halves } from '../runtime/lowering.js';
import { isCanonicalValSubtype } from '../validate/type-registry.js';
import { tswasm$callWasm, tswasm$callWasmAsync, requireAsync } from './boundary.js';
import type { Func } from './func.js';
import { checkStore, type AsContext, type Store } from './store.js';
import { jsToVal, liftVal, lowerVal } from './val.js';

type Lower = (x: unknown, out: unknown[]) => void;
type Lift = (comps: unknown[], i: number) => unknown;

/** A function called with plain JS values (Wasmtime's TypedFunc). */
export class TypedFunc {
  private constructor(
    /** The store it belongs to (using it with another store throws). */ 
    readonly store: Store<any>,
    /** The untyped function behind it. */
    readonly func: Func,
    private readonly lowers: readonly Lower[],
    private readonly lifts: readonly Lift[],
  ) {}

  /** @internal Use `Func.typed`. */
  static of(store: Store<any>, func: Func, params?: readonly ValType[], results?: readonly ValType[]): TypedFunc {
    const type = func.type(store);
    if (params !== undefined) checkList('parameter', params, type.params, (given, actual) => isCanonicalValSubtype(given, actual));
    if (results !== undefined) checkList('result', results, type.results, (given, actual) => isCanonicalValSubtype(actual, given));
    return new TypedFunc(store, func, type.params.map((t, k) => lowerFor(store, t, k)), liftsFor(store, type));
  }

  /** The function's type. */
  type(cx: AsContext<any>): FuncType {
    return this.func.type(cx);
  }

  /**
   * Calls with plain JS values (i32/f32/f64 as numbers, i64 as bigint, references as Func,
   * ExternRef or null). Returns undefined for no results, the value for one, an array for more.
   * Float arguments are JS numbers, so NaN payloads are not kept (use `Func.call` with Vals for that).
   */
  call(cx: AsContext<any>, ...args: unknown[]): any {
    const store = checkStore(cx, this);
    return this.lift(tswasm$callWasm(store, this.func.raw, this.lower(args)));
  }

  /** `call` in an engine with Config.asyncSupport, where wasm may suspend (Wasmtime's TypedFunc::call_async). */
  async callAsync(cx: AsContext<any>, ...args: unknown[]): Promise<any> {
    const store = checkStore(cx, this);
    requireAsync(store, 'TypedFunc.callAsync');
    return this.lift(await tswasm$callWasmAsync(store, this.func.raw, this.lower(args)));
  }

  private lower(args: readonly unknown[]): unknown[] {
    const lowers = this.lowers;
    if (args.length !== lowers.length) throw new TypeError(`expected ${lowers.length} arguments, got ${args.length}`);
    const lowered = componentArray();
    for (let k = 0; k < lowers.length; k++) lowers[k]!(args[k], lowered);
    return lowered;
  }

  private lift(comps: unknown[]): any {
    const lifts = this.lifts;
    if (lifts.length === 0) return undefined;
    if (lifts.length === 1) return lifts[0]!(comps, 0);
    const out: unknown[] = [];
    let i = 0;
    for (const lift of lifts) {
      out.push(lift(comps, i));
      i += lift === i64OfHalves ? 2 : 1;
    }
    return out;
  }
}

function checkList(what: string, given: readonly ValType[], actual: readonly ValType[], ok: (g: ValType, a: ValType) => boolean): void {
  if (given.length !== actual.length || given.some((g, i) => !ok(g, actual[i]!))) {
    const show = (ts: readonly ValType[]) => `[${ts.map(canonicalValTypeText).join(', ')}]`;
    throw new TypeError(`type mismatch: the function's ${what} types are ${show(actual)}, not ${show(given)}`);
  }
}

function lowerFor(store: Store<any>, t: ValType, k: number): Lower {
  const what = `argument ${k}`;
  switch (t) {
    case I32: return (x, out) => {
      if (typeof x !== 'number') throw new TypeError(`${what}: expected a number for i32`);
      // An integer is wrapped to 32 bits; a fraction, NaN or an infinity is refused, not made 0.
      if ((x | 0) !== x && !Number.isInteger(x)) throw new TypeError(`${what}: ${x} is not an integer, as i32 needs`);
      out.push(x | 0);
    };
    case F32: return (x, out) => {
      if (typeof x !== 'number') throw new TypeError(`${what}: expected a number for f32`);
      out.push(Math.fround(x));
    };
    case F64: return (x, out) => {
      if (typeof x !== 'number') throw new TypeError(`${what}: expected a number for f64`);
      out.push(x);
    };
    case I64: return (x, out) => {
      if (typeof x !== 'bigint') throw new TypeError(`${what}: expected a bigint for i64`);
      pushI64Halves(x, out);
    };
  }
  // References: the same checks as for Vals (store, nullability, concrete function types).
  return (x, out) => lowerVal(store, t, jsToVal(t, x), out, what);
}

function liftsFor(store: Store<any>, type: FuncType): Lift[] {
  return type.results.map((t): Lift => {
    switch (t) {
      case I32: return (comps, i) => comps[i];
      case F32: case F64: return (comps, i) => +(comps[i] as number); // a NaNBox becomes the NaN it stands for
      case I64: return i64OfHalves;
    }
    return (comps, i) => liftVal(store, t, comps, i)[0].value;
  });
}
