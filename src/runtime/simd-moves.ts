// Moving lanes in and out of v128: splat, extract_lane, replace_lane, shuffle, swizzle. All of it
// is bit-exact: f32 and f64 lanes go through their bit patterns, so NaN payloads survive.

import { f32FromBits, f32ToBits, f64FromHalves, f64HighOfLast, f64LowBits } from './float-bits.js';
import { A, B, R, V128 } from './simd-value.js';

const f64 = new Float64Array(1);
const f64i = new Int32Array(f64.buffer);

function i8x16_splat(x: number): V128 {
  const w = Math.imul(x & 0xff, 0x01010101);
  return new V128(w, w, w, w);
}
function i16x8_splat(x: number): V128 {
  const w = (x & 0xffff) | (x << 16);
  return new V128(w, w, w, w);
}
function i32x4_splat(x: number): V128 {
  return new V128(x, x, x, x);
}
/** i64 operands arrive as their two int32 halves. */
function i64x2_splat(lo: number, hi: number): V128 {
  return new V128(lo, hi, lo, hi);
}
function f32x4_splat(x: number): V128 {
  const w = f32ToBits(x);
  return new V128(w, w, w, w);
}
function f64x2_splat(x: number): V128 {
  const lo = f64LowBits(x);
  const hi = f64HighOfLast();
  return new V128(lo, hi, lo, hi);
}

// extract_lane and replace_lane take the lane index (an immediate) as their last argument.
function i8x16_extract_lane_s(a: V128, lane: number): number {
  return A.set(a).i8[lane]!;
}
function i8x16_extract_lane_u(a: V128, lane: number): number {
  return A.set(a).u8[lane]!;
}
function i16x8_extract_lane_s(a: V128, lane: number): number {
  return A.set(a).i16[lane]!;
}
function i16x8_extract_lane_u(a: V128, lane: number): number {
  return A.set(a).u16[lane]!;
}
function i32x4_extract_lane(a: V128, lane: number): number {
  return A.set(a).i32[lane]!;
}
function f32x4_extract_lane(a: V128, lane: number): number {
  return f32FromBits(A.set(a).i32[lane]!);
}
function f64x2_extract_lane(a: V128, lane: number): number {
  const w = A.set(a).i32;
  return f64FromHalves(w[2 * lane]!, w[2 * lane + 1]!);
}
function i8x16_replace_lane(a: V128, x: number, lane: number): V128 {
  A.set(a).i8[lane] = x;
  return A.get();
}
function i16x8_replace_lane(a: V128, x: number, lane: number): V128 {
  A.set(a).i16[lane] = x;
  return A.get();
}
function i32x4_replace_lane(a: V128, x: number, lane: number): V128 {
  A.set(a).i32[lane] = x;
  return A.get();
}
function f32x4_replace_lane(a: V128, x: number, lane: number): V128 {
  A.set(a).i32[lane] = f32ToBits(x);
  return A.get();
}
function f64x2_replace_lane(a: V128, x: number, lane: number): V128 {
  const lo = f64LowBits(x);
  const hi = f64HighOfLast();
  const w = A.set(a).i32;
  w[2 * lane] = lo;
  w[2 * lane + 1] = hi;
  return A.get();
}

/** Byte k of the result is byte `lanes[k]` of the 32 bytes of a then b. */
function i8x16_shuffle(a: V128, b: V128, lanes: Uint8Array): V128 {
  const x = A.set(a).u8;
  const y = B.set(b).u8;
  const r = R.u8;
  for (let i = 0; i < 16; i++) {
    const s = lanes[i]!;
    r[i] = s < 16 ? x[s]! : y[s - 16]!;
  }
  return R.get();
}

/** Byte k of the result is byte `s[k]` of a, or 0 when that index is 16 or more. */
export function i8x16_swizzle(a: V128, s: V128): V128 {
  const x = A.set(a).u8;
  const y = B.set(s).u8;
  const r = R.u8;
  for (let i = 0; i < 16; i++) {
    const k = y[i]!;
    r[i] = k < 16 ? x[k]! : 0;
  }
  return R.get();
}

/** A V128 from four f32 carriers or two doubles (the inline lowering's lanes), bit for bit. */
function v128_of_f32(a: number, b: number, c: number, d: number): V128 {
  return new V128(f32ToBits(a), f32ToBits(b), f32ToBits(c), f32ToBits(d));
}
function v128_of_f64(a: number, b: number): V128 {
  const w0 = f64LowBits(a);
  const w1 = f64HighOfLast();
  const w2 = f64LowBits(b);
  return new V128(w0, w1, w2, f64HighOfLast());
}

/** The lane helpers, by instruction name. */
export const SIMD_LANE_HELPERS = {
  i8x16_splat, i16x8_splat, i32x4_splat, i64x2_splat, f32x4_splat, f64x2_splat,
  i8x16_extract_lane_s, i8x16_extract_lane_u, i16x8_extract_lane_s, i16x8_extract_lane_u,
  i32x4_extract_lane, f32x4_extract_lane, f64x2_extract_lane,
  i8x16_replace_lane, i16x8_replace_lane, i32x4_replace_lane, f32x4_replace_lane, f64x2_replace_lane,
  i8x16_shuffle, i8x16_swizzle, v128_of_f32, v128_of_f64,
};
