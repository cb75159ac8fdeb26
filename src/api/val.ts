// Val, the values of the embedding API (Wasmtime's Val), and the one place where they are
// converted to and from the engine's lowered values and plain JS values.

import { F32, F64, HT_EXTERN, HT_FUNC, HT_NOEXTERN, HT_NOFUNC, I32, I64, heapOf, isNullable, isRef, valTypeName, type ValType } from '../core/types.js';
import { f32FromBits, f32ToBits, f64FromBigBits, f64ToBigBits } from '../runtime/float-bits.js';
import { WasmFunc } from '../runtime/func.js';
import { componentArray } from '../runtime/lowering.js';
import { isCanonicalSubtype } from '../validate/type-registry.js';
import type { Store } from './store.js';

/** Forward reference to the Func handle class (set by func.ts) to avoid an import cycle. */
export interface FuncHandle {
  readonly store: Store;
  readonly raw: WasmFunc;
}
let wrapFunc: (store: Store, f: WasmFunc) => FuncHandle = () => {
  throw new Error('api/func.ts not loaded');
};
export function setFuncWrapper(w: (store: Store, f: WasmFunc) => FuncHandle): void {
  wrapFunc = w;
}

/**
 * A wasm value. Integers are signed (i32 as a number, i64 as a bigint); floats are their bit
 * patterns (f32 as a uint32 number, f64 as a uint64 bigint) so NaN payloads survive; a null
 * reference is `value: null`.
 */
export type Val =
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'i64'; readonly value: bigint }
  | { readonly type: 'f32'; readonly value: number }
  | { readonly type: 'f64'; readonly value: bigint }
  | { readonly type: 'funcref'; readonly value: FuncHandle | null }
  | { readonly type: 'externref'; readonly value: unknown };

const f32scratch = new Float32Array(1);
const u32scratch = new Uint32Array(f32scratch.buffer);

/** Constructors for Val. */
export const Val = {
  i32: (value: number): Val => ({ type: 'i32', value: value | 0 }),
  i64: (value: bigint | number): Val => ({ type: 'i64', value: BigInt.asIntN(64, BigInt(value)) }),
  /** An f32 from a JS number (rounded to single precision). */
  f32: (value: number): Val => {
    f32scratch[0] = value;
    return { type: 'f32', value: u32scratch[0]! };
  },
  f32Bits: (bits: number): Val => ({ type: 'f32', value: bits >>> 0 }),
  f64: (value: number): Val => ({ type: 'f64', value: f64ToBigBits(value) }),
  f64Bits: (bits: bigint): Val => ({ type: 'f64', value: BigInt.asUintN(64, bits) }),
  funcref: (f: FuncHandle | null): Val => ({ type: 'funcref', value: f }),
  externref: (x: unknown): Val => ({ type: 'externref', value: x }),
  /** The JS number of an f32 or f64 Val (or of an i32). */
  toNumber(v: Val): number {
    if (v.type === 'f32') return f32FromBits(v.value | 0);
    if (v.type === 'f64') return f64FromBigBits(v.value);
    if (v.type === 'i32') return v.value;
    throw new TypeError(`${v.type} value is not a number`);
  },
};

export type RefFamily = 'func' | 'extern';

/** Whether a reference type holds functions or host references. */
export function refFamily(t: ValType): RefFamily {
  const h = heapOf(t);
  if (h >= 0 || h === HT_FUNC || h === HT_NOFUNC) return 'func';
  if (h === HT_EXTERN || h === HT_NOEXTERN) return 'extern';
  throw new TypeError(`values of type ${valTypeName(t)} are not supported yet`);
}

function mismatch(t: ValType, v: Val, what: string): never {
  throw new TypeError(`${what}: expected a value of type ${valTypeName(t)}, got ${v.type}`);
}

/**
 * Appends the lowered components of `v` (which must have type `t`, canonical) to `out`.
 * `what` names the value in errors ("argument 2").
 */
export function lowerVal(store: Store, t: ValType, v: Val, out: unknown[], what: string): void {
  if (v === null || typeof v !== 'object' || !('type' in v)) {
    throw new TypeError(`${what}: expected a Val, got ${String(v)}`);
  }
  switch (t) {
    case I32:
      if (v.type !== 'i32' || typeof v.value !== 'number') mismatch(t, v, what);
      out.push(v.value | 0);
      return;
    case I64: {
      if (v.type !== 'i64' || typeof v.value !== 'bigint') mismatch(t, v, what);
      const b = BigInt.asIntN(64, v.value);
      out.push(Number(BigInt.asIntN(32, b)), Number(BigInt.asIntN(32, b >> 32n)));
      return;
    }
    case F32:
      if (v.type !== 'f32' || typeof v.value !== 'number') mismatch(t, v, what);
      out.push(f32FromBits(v.value | 0));
      return;
    case F64:
      if (v.type !== 'f64' || typeof v.value !== 'bigint') mismatch(t, v, what);
      out.push(f64FromBigBits(v.value));
      return;
  }
  if (!isRef(t)) throw new TypeError(`${what}: values of type ${valTypeName(t)} are not supported yet`);
  const family = refFamily(t);
  if (family === 'func') {
    if (v.type !== 'funcref') mismatch(t, v, what);
    const f = v.value as FuncHandle | null;
    if (f === null) {
      if (!isNullable(t)) throw new TypeError(`${what}: null is not a value of type ${valTypeName(t)}`);
      out.push(null);
      return;
    }
    if (f.store !== store) throw new Error('object used with the wrong store');
    const h = heapOf(t);
    if (h >= 0 && !isCanonicalSubtype(f.raw.type, h)) throw new TypeError(`${what}: function has the wrong type`);
    if (h === HT_NOFUNC) throw new TypeError(`${what}: only null is a value of type ${valTypeName(t)}`);
    out.push(f.raw);
    return;
  }
  if (v.type !== 'externref') mismatch(t, v, what);
  if (v.value === null && !isNullable(t)) throw new TypeError(`${what}: null is not a value of type ${valTypeName(t)}`);
  if (v.value !== null && heapOf(t) === HT_NOEXTERN) throw new TypeError(`${what}: only null is a value of type ${valTypeName(t)}`);
  out.push(v.value);
}

/** The Val of type `t` whose lowered components start at comps[i]; returns it with the next index. */
export function liftVal(store: Store, t: ValType, comps: ArrayLike<unknown>, i: number): [Val, number] {
  switch (t) {
    case I32: return [{ type: 'i32', value: (comps[i] as number) | 0 }, i + 1];
    case I64: {
      const v = (BigInt(comps[i + 1] as number) << 32n) | BigInt((comps[i] as number) >>> 0);
      return [{ type: 'i64', value: BigInt.asIntN(64, v) }, i + 2];
    }
    case F32: return [{ type: 'f32', value: f32ToBits(comps[i] as number) >>> 0 }, i + 1];
    case F64: return [{ type: 'f64', value: f64ToBigBits(comps[i] as number) }, i + 1];
  }
  const x = comps[i];
  if (refFamily(t) === 'func') return [{ type: 'funcref', value: x === null ? null : wrapFunc(store, x as WasmFunc) }, i + 1];
  return [{ type: 'externref', value: x }, i + 1];
}

/** Lowers a list of Vals against a list of types, with arity and type checks. */
export function lowerVals(store: Store, types: readonly ValType[], vals: readonly Val[], what: string): unknown[] {
  if (!Array.isArray(vals)) throw new TypeError(`${what}: expected an array of Val`);
  if (vals.length !== types.length) throw new TypeError(`${what}: expected ${types.length} values, got ${vals.length}`);
  const out = componentArray();
  types.forEach((t, k) => lowerVal(store, t, vals[k]!, out, `${what} ${k}`));
  return out;
}

export function liftVals(store: Store, types: readonly ValType[], comps: ArrayLike<unknown>): Val[] {
  const out: Val[] = [];
  let i = 0;
  for (const t of types) {
    const [v, next] = liftVal(store, t, comps, i);
    out.push(v);
    i = next;
  }
  return out;
}

/** A plain JS value for a Val: i32 and floats as numbers, i64 as bigint, references as themselves. */
export function valToJs(v: Val): unknown {
  if (v.type === 'f32' || v.type === 'f64') return Val.toNumber(v);
  return v.value;
}

/** The Val of type `t` for a plain JS value (numbers for i32/f32/f64, bigint or number for i64). */
export function jsToVal(t: ValType, x: unknown): Val {
  switch (t) {
    case I32: return Val.i32(Number(x));
    case I64: return Val.i64(typeof x === 'bigint' ? x : BigInt(Math.trunc(Number(x))));
    case F32: return Val.f32(Number(x));
    case F64: return Val.f64(Number(x));
  }
  if (refFamily(t) === 'func') return Val.funcref((x ?? null) as FuncHandle | null);
  return Val.externref(x);
}

export { WasmFunc };
