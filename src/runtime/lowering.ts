// The internal calling convention in one place: how wasm values of each type become JS values
// ("lowered components"), and how parameter and result lists map onto JS params, returns and slots.

import { F32, F64, I32, I64, V128, isRef, type FuncType, type ValType } from '../core/types.js';

/**
 * Kinds of lowered component: int32 (i32, or one half of an i64), float (f32/f64 carrier), reference.
 * A v128 is one immutable V128 object, which travels in the reference slots.
 */
export const enum Kind { Int = 0, Float = 1, Ref = 2 }

/** The lowered components of one value type: i64 has two (lo, hi), everything else one. */
export function componentKinds(t: ValType): Kind[] {
  if (t === I32) return [Kind.Int];
  if (t === I64) return [Kind.Int, Kind.Int];
  if (t === F32 || t === F64) return [Kind.Float];
  if (isRef(t) || t === V128) return [Kind.Ref];
  throw new Error(`no lowering for value type ${t}`);
}

/** The lowered components of a list of types, in order. */
export function flatKinds(types: readonly ValType[]): Kind[] {
  const out: Kind[] = [];
  for (const t of types) out.push(...componentKinds(t));
  return out;
}

/** The slot array that holds component k (k >= 1) of a result list: "RI", "RF" or "RR". */
export function resultSlot(kind: Kind): 'RI' | 'RF' | 'RR' {
  return kind === Kind.Int ? 'RI' : kind === Kind.Float ? 'RF' : 'RR';
}
/** The slot array that holds tail-call argument component k: "TI", "TF" or "TR". */
export function tailSlot(kind: Kind): 'TI' | 'TF' | 'TR' {
  return kind === Kind.Int ? 'TI' : kind === Kind.Float ? 'TF' : 'TR';
}

/** A stable key of a function type's lowered shape, for caching adaptors. */
export function shapeKey(type: FuncType): string {
  const k = (ks: Kind[]) => ks.map((x) => 'ifr'[x]).join('');
  return `${k(flatKinds(type.params))}>${k(flatKinds(type.results))}`;
}

/**
 * An empty array for lowered components that keeps float bits: a fresh `[]` becomes a double
 * array on its first float, and V8 quiets signalling NaNs stored there; this one holds boxed numbers.
 */
export function componentArray(): unknown[] {
  const a: unknown[] = [null];
  a.pop();
  return a;
}

/** The i64 (signed) whose lowered halves are comps[i] (low) and comps[i + 1] (high). */
export function i64OfHalves(comps: ArrayLike<unknown>, i: number): bigint {
  return BigInt.asIntN(64, (BigInt(comps[i + 1] as number) << 32n) | BigInt((comps[i] as number) >>> 0));
}

/** Appends the lowered halves of the i64 `value` (its low 64 bits), low then high, to `out`. */
export function pushI64Halves(value: bigint, out: unknown[]): void {
  out.push(Number(BigInt.asIntN(32, value)), Number(BigInt.asIntN(32, value >> 32n)));
}
