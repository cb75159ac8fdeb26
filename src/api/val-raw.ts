// ValRaw arrays at the boundary (Func.newUnchecked, Func.callUnchecked): Wasmtime's raw calling
// convention, parameters in and results out of one array. Numbers go straight to and from the
// engine's lowered components, without a Val per value; a reference goes through its Val, so that
// its type and store are still checked.

import { F32, F64, I32, I64, V128, type ValType } from '../core/types.js';
import { canonicalValTypeText } from '../validate/canonical-text.js';
import { f32FromBits, f32ToBits, f64FromBigBits, f64ToBigBits } from '../runtime/float-bits.js';
import { componentArray, i64OfHalves, pushI64Halves } from '../runtime/lowering.js';
import { v128FromBigInt, v128ToBigInt, type V128 as V128Value } from '../runtime/simd-value.js';
import type { Store } from './store.js';
import { Val, liftVal, lowerVal, type ValRaw } from './val.js';

/**
 * The ValRaw of each value of `types` whose lowered components are `comps`, written to `out` from
 * index 0.
 */
export function rawsOfComponents(store: Store<any>, types: readonly ValType[], comps: ArrayLike<unknown>, out: ValRaw[]): void {
  let i = 0;
  for (let k = 0; k < types.length; k++) {
    const t = types[k]!;
    switch (t) {
      case I32: out[k] = (comps[i++] as number) | 0; continue;
      case I64: out[k] = i64OfHalves(comps, i); i += 2; continue;
      case F32: out[k] = f32ToBits(comps[i++] as number) >>> 0; continue;
      case F64: out[k] = f64ToBigBits(comps[i++] as number); continue;
      case V128: out[k] = v128ToBigInt(comps[i++] as V128Value); continue;
    }
    const [v, next] = liftVal(store, t, comps, i);
    out[k] = Val.toRaw(store, v);
    i = next;
  }
}

/**
 * The lowered components of `raws[0 .. types.length)` read as values of `types`. A raw value of
 * the wrong JS type is a TypeError naming `what` and its index, as is a reference of the wrong type
 * or store; the raw array is never trusted to be well formed.
 */
export function componentsOfRaws(store: Store<any>, types: readonly ValType[], raws: ArrayLike<ValRaw>, what: string): unknown[] {
  const out = componentArray();
  for (let k = 0; k < types.length; k++) {
    const t = types[k]!;
    const raw = raws[k];
    switch (t) {
      case I32: out.push(number(raw, t, what, k) | 0); continue;
      case I64: pushI64Halves(bigint(raw, t, what, k), out); continue;
      case F32: out.push(f32FromBits(number(raw, t, what, k) | 0)); continue;
      case F64: out.push(f64FromBigBits(bigint(raw, t, what, k))); continue;
      case V128: out.push(v128FromBigInt(bigint(raw, t, what, k))); continue;
    }
    if (raw !== null && typeof raw !== 'object') throw new TypeError(`${what} ${k}: expected a raw reference or null for ${canonicalValTypeText(t)}, got ${typeof raw}`);
    lowerVal(store, t, Val.fromRaw(store, raw, t), out, `${what} ${k}`);
  }
  return out;
}

/** Throws unless `raws` has room for `count` values (Wasmtime requires max(params, results)). */
export function checkRawRoom(raws: unknown, count: number, what: string): asserts raws is ValRaw[] {
  if (!Array.isArray(raws)) throw new TypeError(`${what}: expected an array of ValRaw`);
  if (raws.length < count) throw new TypeError(`${what}: the array holds ${raws.length} values, and the call needs room for ${count} (the larger of its parameter and result counts)`);
}

function number(raw: ValRaw | undefined, t: ValType, what: string, k: number): number {
  if (typeof raw !== 'number') throw rawMismatch(raw, t, 'a number', what, k);
  return raw;
}

function bigint(raw: ValRaw | undefined, t: ValType, what: string, k: number): bigint {
  if (typeof raw !== 'bigint') throw rawMismatch(raw, t, 'a bigint', what, k);
  return raw;
}

function rawMismatch(raw: unknown, t: ValType, expected: string, what: string, k: number): TypeError {
  return new TypeError(`${what} ${k}: a raw ${canonicalValTypeText(t)} is ${expected}, got ${raw === null ? 'null' : typeof raw}`);
}
