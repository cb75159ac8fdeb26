// Val, the values of the embedding API (Wasmtime's Val), and the one place where they are
// converted to and from the engine's lowered values and plain JS values.

import { canonicalValTypeText } from '../validate/canonical-text.js';
import { F32, F64, HT_EXN, HT_EXTERN, HT_FUNC, HT_NOEXN, HT_NOEXTERN, HT_NOFUNC, I32, I64, V128, heapOf, isNullable, isRef, type ValType } from '../core/types.js';
import { f32FromBits, f32ToBits, f64FromBigBits, f64ToBigBits } from '../runtime/float-bits.js';
import { WasmFunc } from '../runtime/func.js';
import { componentArray, i64OfHalves, pushI64Halves } from '../runtime/lowering.js';
import { V128 as V128Value, v128FromBigInt, v128ToBigInt } from '../runtime/simd-value.js';
import { refMatches } from '../runtime/gc-casts.js';
import { canonicalKind } from '../validate/type-registry.js';
import { AnyRef } from './anyref.js';
import { ExnRef } from './exnref.js';
import { ExternRef } from './externref.js';
import { Func } from './func.js';
import { WRONG_STORE, claim } from './handles.js';
import { isValType } from './types.js';
import { storeOf, type AsContext, type Store } from './store.js';

/** What a funcref Val holds: a Func handle (an interface here to keep the type import-cycle free). */
export interface FuncHandle {
  /** The store the function belongs to. */
  readonly store: Store<any>;
  /** The runtime function behind the handle. */
  readonly raw: WasmFunc;
}

/**
 * A wasm value (Wasmtime's Val). Integers are signed (i32 as a number, i64 as a bigint); floats
 * are their bit patterns (f32 as a uint32 number, f64 as a uint64 bigint) so NaN payloads survive;
 * a v128 is its 128 bits as an unsigned bigint (lane 0 in the low bits, Wasmtime's u128);
 * references are handles (Func, ExternRef, ExnRef, AnyRef) and a null reference is `value: null`.
 * Every type of the any hierarchy (anyref, eqref, i31ref, structref, arrayref, nullref, concrete
 * struct and array types) is an `anyref` Val, as in Wasmtime.
 */
export type Val =
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'i64'; readonly value: bigint }
  | { readonly type: 'f32'; readonly value: number }
  | { readonly type: 'f64'; readonly value: bigint }
  | { readonly type: 'v128'; readonly value: bigint }
  | { readonly type: 'funcref'; readonly value: FuncHandle | null }
  | { readonly type: 'externref'; readonly value: ExternRef | null }
  | { readonly type: 'exnref'; readonly value: ExnRef | null }
  | { readonly type: 'anyref'; readonly value: AnyRef | null };

const f32scratch = new Float32Array(1);
const u32scratch = new Uint32Array(f32scratch.buffer);

function describe(x: unknown): string {
  return x === null ? 'null' : typeof x === 'string' ? `the string ${JSON.stringify(x.slice(0, 20))}` : typeof x === 'number' ? `the number ${x}` : typeof x;
}
/** `x` if it is a number, else a TypeError: `expected` and what `x` is. */
function number(x: unknown, expected: string): number {
  if (typeof x !== 'number') throw new TypeError(`${expected}, got ${describe(x)}`);
  return x;
}
function bigint(x: unknown, expected: string): bigint {
  if (typeof x !== 'bigint') throw new TypeError(`${expected}, got ${describe(x)}`);
  return x;
}

/** Constructors for Val. A value of the wrong JS type is a TypeError, never a silent 0. */
export const Val = {
  /**
   * An i32 from an integral JS number, wrapped to 32 bits as `x | 0` does (so 0xffffffff is -1).
   * A fraction, NaN or an infinity is a TypeError, as it is for i64, not a silent 0 or truncation.
   */
  i32: (value: number): Val => {
    number(value, 'Val.i32: expected a number');
    if (!Number.isInteger(value)) throw new TypeError(`Val.i32: ${value} is not an integer`);
    return { type: 'i32', value: value | 0 };
  },
  /** An i64 from a bigint (wrapped to 64 bits) or an integral JS number. */
  i64: (value: bigint | number): Val => {
    if (typeof value === 'number' && !Number.isInteger(value)) throw new TypeError(`Val.i64: ${value} is not an integer`);
    if (typeof value !== 'number' && typeof value !== 'bigint') throw new TypeError(`Val.i64: expected a bigint or an integer, got ${describe(value)}`);
    return { type: 'i64', value: BigInt.asIntN(64, BigInt(value)) };
  },
  /** An f32 from a JS number (rounded to single precision). */
  f32: (value: number): Val => {
    f32scratch[0] = number(value, 'Val.f32: expected a number');
    return { type: 'f32', value: u32scratch[0]! };
  },
  f32Bits: (bits: number): Val => ({ type: 'f32', value: number(bits, 'Val.f32Bits: expected a number') >>> 0 }),
  f64: (value: number): Val => ({ type: 'f64', value: f64ToBigBits(number(value, 'Val.f64: expected a number')) }),
  f64Bits: (bits: bigint): Val => ({ type: 'f64', value: BigInt.asUintN(64, bigint(bits, 'Val.f64Bits: expected a bigint')) }),
  /** A v128 from its 128 bits (taken modulo 2^128; lane 0 in the low bits). */
  v128: (bits: bigint): Val => ({ type: 'v128', value: BigInt.asUintN(128, bigint(bits, 'Val.v128: expected a bigint')) }),
  /** A funcref Val: a Func or null. */
  funcref: (f: FuncHandle | null): Val => {
    if (f !== null && !(f instanceof Func)) throw new TypeError(`a funcref Val holds a Func or null, got ${describe(f)}`);
    return { type: 'funcref', value: f };
  },
  /** An externref Val: an ExternRef (`ExternRef.new(store, hostValue)`) or null. */
  externref: (x: ExternRef | null): Val => {
    if (x !== null && !(x instanceof ExternRef)) throw new TypeError('an externref Val holds an ExternRef or null (use ExternRef.new(store, value))');
    return { type: 'externref', value: x };
  },
  /** An exnref Val: an exception (`ExnRef.new(store, tag, fields)`, or one wasm threw) or null. */
  exnref: (x: ExnRef | null): Val => {
    if (x !== null && !(x instanceof ExnRef)) throw new TypeError('an exnref Val holds an ExnRef or null');
    return { type: 'exnref', value: x };
  },
  /** An anyref Val (also for eqref, i31ref, structref, arrayref and struct/array types): an AnyRef or null. */
  anyref: (x: AnyRef | null): Val => {
    if (x !== null && !(x instanceof AnyRef)) throw new TypeError('an anyref Val holds an AnyRef or null (use AnyRef.fromI31, AnyRef.convertExtern, StructRef.new, ArrayRef.new)');
    return { type: 'anyref', value: x };
  },
  /** The JS number of an f32 or f64 Val (or of an i32). */
  toNumber(v: Val): number {
    if (typeof v !== 'object' || v === null) throw new TypeError(`Val.toNumber: expected a Val, got ${describe(v)}`);
    // `+` makes a NaNBox (core/nan-boxing.ts) the NaN it stands for.
    if (v.type === 'f32') return +f32FromBits(v.value | 0);
    if (v.type === 'f64') return +f64FromBigBits(v.value);
    if (v.type === 'i32') return v.value;
    throw new TypeError(`${v.type} value is not a number`);
  },
  /** The untyped raw form of a Val (Wasmtime's Val::to_raw); references must belong to the context's store. */
  toRaw(cx: AsContext<any>, v: Val): ValRaw {
    const store = storeOf(cx);
    if (typeof v !== 'object' || v === null) throw new TypeError(`Val.toRaw: expected a Val, got ${describe(v)}`);
    const x: unknown = v.value;
    switch (v.type) {
      case 'i32': return number(x, 'Val.toRaw: an i32 Val holds a number') | 0;
      case 'f32': return number(x, 'Val.toRaw: an f32 Val holds its bits as a number') >>> 0;
      case 'i64': case 'f64': case 'v128': return bigint(x, `Val.toRaw: an ${v.type} Val holds a bigint`);
      case 'funcref': return x === null ? null : ownFunc(store, x, 'Val.toRaw').raw;
      case 'externref':
        if (x !== null && !(x instanceof ExternRef)) throw new TypeError('Val.toRaw: an externref Val holds an ExternRef or null');
        return x === null ? null : x.toRaw(store);
      case 'exnref':
        if (x !== null && !(x instanceof ExnRef)) throw new TypeError('Val.toRaw: an exnref Val holds an ExnRef or null');
        return x === null ? null : x.toRaw(store);
      case 'anyref':
        if (x !== null && !(x instanceof AnyRef)) throw new TypeError('Val.toRaw: an anyref Val holds an AnyRef or null');
        return x === null ? null : x.toRaw(store);
    }
    throw new TypeError(`Val.toRaw: expected a Val, got one of type ${describe((v as { type?: unknown }).type)}`);
  },
  /** The Val of type `type` (canonical) for a raw value (Wasmtime's Val::from_raw). */
  fromRaw(cx: AsContext<any>, raw: ValRaw, type: ValType): Val {
    const store = storeOf(cx);
    if (!isValType(type)) throw new TypeError('Val.fromRaw: the type must be a value type (I32, I64, F32, F64, V128 or a reference type)');
    switch (type) {
      case I32: return Val.i32(raw as number);
      case I64: return Val.i64(raw as bigint);
      case F32: return Val.f32Bits(raw as number);
      case F64: return Val.f64Bits(raw as bigint);
      case V128: return Val.v128(raw as bigint);
    }
    const family = refFamily(type);
    if (family === 'func') return Val.funcref(Func.fromRaw(store, raw));
    if (family === 'exn') return Val.exnref(ExnRef.fromRaw(store, raw));
    if (family === 'any') return Val.anyref(AnyRef.fromRaw(store, raw));
    return Val.externref(ExternRef.fromRaw(store, raw));
  },
};

/**
 * An untyped wasm value (Wasmtime's ValRaw): i32 as a number, i64 as a bigint, f32 as its uint32
 * bits, f64 as its uint64 bits (bigint), a funcref or externref as an opaque object, or null.
 * Only meaningful together with its type.
 */
export type ValRaw = number | bigint | object | null;

function wrongStore(): never {
  throw new Error(WRONG_STORE);
}

/**
 * The Func a funcref Val holds, checked: a Func handle (not an object shaped like one) whose
 * runtime function belongs to `store`.
 */
function ownFunc(store: Store<any>, f: unknown, what: string): FuncHandle {
  if (!(f instanceof Func) || !(f.raw instanceof WasmFunc)) throw new TypeError(`${what}: a funcref Val holds a Func or null, got ${describe(f)}`);
  if (f.store !== store) wrongStore();
  claim(store, f.raw);
  return f;
}

/** The kinds of reference the API carries. */
export type RefFamily = 'func' | 'extern' | 'exn' | 'any';

/** The hierarchy of a (canonical) reference type: functions, host references, exceptions or any. */
export function refFamily(t: ValType): RefFamily {
  const h = heapOf(t);
  if (h >= 0) return canonicalKind(h) === 'func' ? 'func' : 'any';
  if (h === HT_FUNC || h === HT_NOFUNC) return 'func';
  if (h === HT_EXTERN || h === HT_NOEXTERN) return 'extern';
  if (h === HT_EXN || h === HT_NOEXN) return 'exn';
  return 'any';
}

function mismatch(t: ValType, v: Val, what: string): never {
  throw new TypeError(`${what}: expected a value of type ${canonicalValTypeText(t)}, got ${v.type}`);
}

/**
 * Appends the lowered components of `v` (which must have type `t`, canonical) to `out`.
 * `what` names the value in errors ("argument 2").
 */
export function lowerVal(store: Store<any>, t: ValType, v: Val, out: unknown[], what: string): void {
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
      pushI64Halves(v.value, out);
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
    case V128:
      if (v.type !== 'v128' || typeof v.value !== 'bigint') mismatch(t, v, what);
      out.push(v128FromBigInt(v.value));
      return;
  }
  if (!isRef(t)) throw new TypeError(`${what}: values of type ${canonicalValTypeText(t)} are not supported yet`);
  const family = refFamily(t);
  if (family === 'func') {
    if (v.type !== 'funcref') mismatch(t, v, what);
    if (v.value === null) {
      if (!isNullable(t)) throw new TypeError(`${what}: null is not a value of type ${canonicalValTypeText(t)}`);
      out.push(null);
      return;
    }
    const f = ownFunc(store, v.value, what);
    const h = heapOf(t);
    if (h >= 0 && !refMatches(f.raw, t)) throw new TypeError(`${what}: function has the wrong type`);
    if (h === HT_NOFUNC) throw new TypeError(`${what}: only null is a value of type ${canonicalValTypeText(t)}`);
    out.push(f.raw);
    return;
  }
  if (family === 'exn') {
    if (v.type !== 'exnref') mismatch(t, v, what);
    const x = v.value;
    if (x === null) {
      if (!isNullable(t)) throw new TypeError(`${what}: null is not a value of type ${canonicalValTypeText(t)}`);
      out.push(null);
      return;
    }
    if (!(x instanceof ExnRef)) throw new TypeError(`${what}: an exnref Val holds an ExnRef or null`);
    if (x.store !== store) wrongStore();
    if (heapOf(t) === HT_NOEXN) throw new TypeError(`${what}: only null is a value of type ${canonicalValTypeText(t)}`);
    out.push(x.raw);
    return;
  }
  if (family === 'any') {
    if (v.type !== 'anyref') mismatch(t, v, what);
    const x = v.value;
    if (x !== null) {
      if (!(x instanceof AnyRef)) throw new TypeError(`${what}: an anyref Val holds an AnyRef or null`);
      if (x.store !== store) wrongStore();
    }
    const raw = x === null ? null : x.raw;
    if (!refMatches(raw, t)) throw new TypeError(`${what}: ${x === null ? 'null is' : 'the reference is'} not a value of type ${canonicalValTypeText(t)}`);
    out.push(raw);
    return;
  }
  if (v.type !== 'externref') mismatch(t, v, what);
  const x = v.value;
  if (x === null) {
    if (!isNullable(t)) throw new TypeError(`${what}: null is not a value of type ${canonicalValTypeText(t)}`);
    out.push(null);
    return;
  }
  if (!(x instanceof ExternRef)) throw new TypeError(`${what}: an externref Val holds an ExternRef or null`);
  if (x.store !== store) wrongStore();
  if (heapOf(t) === HT_NOEXTERN) throw new TypeError(`${what}: only null is a value of type ${canonicalValTypeText(t)}`);
  out.push(x.raw);
}

/** The Val of type `t` whose lowered components start at comps[i]; returns it with the next index. */
export function liftVal(store: Store<any>, t: ValType, comps: ArrayLike<unknown>, i: number): [Val, number] {
  switch (t) {
    case I32: return [{ type: 'i32', value: (comps[i] as number) | 0 }, i + 1];
    case I64: return [{ type: 'i64', value: i64OfHalves(comps, i) }, i + 2];
    case F32: return [{ type: 'f32', value: f32ToBits(comps[i] as number) >>> 0 }, i + 1];
    case F64: return [{ type: 'f64', value: f64ToBigBits(comps[i] as number) }, i + 1];
    case V128: return [{ type: 'v128', value: v128ToBigInt(comps[i] as V128Value) }, i + 1];
  }
  const x = comps[i];
  const family = refFamily(t);
  if (family === 'func') return [{ type: 'funcref', value: x === null ? null : Func.fromRaw(store, x) }, i + 1];
  if (family === 'exn') return [{ type: 'exnref', value: ExnRef.fromRaw(store, x) }, i + 1];
  if (family === 'any') return [{ type: 'anyref', value: x === null ? null : AnyRef.of(store, x) }, i + 1];
  return [{ type: 'externref', value: ExternRef.of(store, x) }, i + 1];
}

/** Lowers a list of Vals against a list of types, with arity and type checks. */
export function lowerVals(store: Store<any>, types: readonly ValType[], vals: readonly Val[], what: string): unknown[] {
  if (!Array.isArray(vals)) throw new TypeError(`${what}: expected an array of Val`);
  if (vals.length !== types.length) throw new TypeError(`${what}: expected ${types.length} values, got ${vals.length}`);
  const out = componentArray();
  types.forEach((t, k) => lowerVal(store, t, vals[k]!, out, `${what} ${k}`));
  return out;
}

/** The Vals of types `types` from lowered components. */
export function liftVals(store: Store<any>, types: readonly ValType[], comps: ArrayLike<unknown>): Val[] {
  const out: Val[] = [];
  let i = 0;
  for (const t of types) {
    const [v, next] = liftVal(store, t, comps, i);
    out.push(v);
    i = next;
  }
  return out;
}

/** A plain JS value for a Val: i32 and floats as numbers, i64 as bigint, references as their handles (or null). */
export function valToJs(v: Val): unknown {
  if (v.type === 'f32' || v.type === 'f64') return Val.toNumber(v);
  return v.value;
}

/**
 * The Val of type `t` for a plain JS value (numbers for i32/f32/f64, bigint or number for i64, a
 * Func or null for function references, an ExternRef or null for externref, an AnyRef or null for
 * the any hierarchy).
 */
export function jsToVal(t: ValType, x: unknown): Val {
  switch (t) {
    case I32: return Val.i32(number(x, 'expected a number for i32'));
    case I64:
      if (typeof x !== 'bigint' && !Number.isInteger(x)) throw new TypeError(`expected a bigint or an integer for i64, got ${describe(x)}`);
      return Val.i64(x as bigint | number);
    case F32: return Val.f32(number(x, 'expected a number for f32'));
    case F64: return Val.f64(number(x, 'expected a number for f64'));
    case V128:
      if (typeof x !== 'bigint') throw new TypeError('expected a bigint for v128');
      return Val.v128(x);
  }
  const family = refFamily(t);
  if (family === 'func') {
    if (x !== null && !(x instanceof Func)) throw new TypeError(`expected a Func or null for a function reference, got ${describe(x)}`);
    return Val.funcref(x);
  }
  if (family === 'exn') {
    if (x !== null && !(x instanceof ExnRef)) throw new TypeError(`expected an ExnRef or null for an exception reference, got ${describe(x)}`);
    return Val.exnref(x);
  }
  if (family === 'any') {
    if (x !== null && !(x instanceof AnyRef)) throw new TypeError(`expected an AnyRef or null for a reference of the any hierarchy, got ${describe(x)}`);
    return Val.anyref(x);
  }
  if (x !== null && !(x instanceof ExternRef)) throw new TypeError(`expected an ExternRef or null for an externref (use ExternRef.new(store, value)), got ${describe(x)}`);
  return Val.externref(x);
}
