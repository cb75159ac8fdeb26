// Relaxed SIMD, deterministically: every instruction takes the first of the results the spec allows
// (`relaxed(R)[A_0, ...] = A_0`, the spec's deterministic profile), so it equals its strict counterpart.

import { SIMD_FLOAT_HELPERS } from './simd-float.js';
import { SIMD_INT_HELPERS, v128_bitselect } from './simd-int.js';
import { i8x16_swizzle } from './simd-moves.js';
import { A, B, C, R, V128 } from './simd-value.js';

/** a * b + c with two roundings (fadd(fmul(a, b), c), never fused); `neg` negates a first (nmadd). */
function madd(v: 'f32' | 'f64', neg: boolean): (a: V128, b: V128, c: V128) => V128 {
  const n = v === 'f32' ? 4 : 2;
  const round = v === 'f32' ? Math.fround : (x: number) => x;
  return (a, b, c) => {
    const x = A.set(a)[v];
    const y = B.set(b)[v];
    const z = C.set(c)[v];
    const r = R[v];
    for (let i = 0; i < n; i++) r[i] = round((neg ? -x[i]! : x[i]!) * y[i]!) + z[i]!;
    return R.get();
  };
}

/** i16x8 lanes: signed products of adjacent i8 lanes, summed with signed saturation (ivdot_sat). */
function i16x8_relaxed_dot_i8x16_i7x16_s(a: V128, b: V128): V128 {
  const x = A.set(a).i8;
  const y = B.set(b).i8;
  const r = R.i16;
  for (let i = 0; i < 8; i++) {
    const s = x[2 * i]! * y[2 * i]! + x[2 * i + 1]! * y[2 * i + 1]!;
    r[i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }
  return R.get();
}

/** The i16x8 relaxed dot product, then pairwise sums into i32 lanes, plus c (wrapping). */
function i32x4_relaxed_dot_i8x16_i7x16_add_s(a: V128, b: V128, c: V128): V128 {
  const d = i16x8_relaxed_dot_i8x16_i7x16_s(a, b);
  const x = A.set(d).i16;
  const z = C.set(c).i32;
  const r = R.i32;
  for (let i = 0; i < 4; i++) r[i] = x[2 * i]! + x[2 * i + 1]! + z[i]!;
  return R.get();
}

const F = SIMD_FLOAT_HELPERS;

/** The relaxed helpers, by instruction name. */
export const SIMD_RELAXED_HELPERS = {
  // Indices of 16 or more give 0, as i8x16.swizzle.
  i8x16_relaxed_swizzle: i8x16_swizzle,
  // Out-of-range lanes saturate (NaN gives 0), as trunc_sat.
  i32x4_relaxed_trunc_f32x4_s: F.i32x4_trunc_sat_f32x4_s,
  i32x4_relaxed_trunc_f32x4_u: F.i32x4_trunc_sat_f32x4_u,
  i32x4_relaxed_trunc_f64x2_s_zero: F.i32x4_trunc_sat_f64x2_s_zero,
  i32x4_relaxed_trunc_f64x2_u_zero: F.i32x4_trunc_sat_f64x2_u_zero,
  f32x4_relaxed_madd: madd('f32', false), f32x4_relaxed_nmadd: madd('f32', true),
  f64x2_relaxed_madd: madd('f64', false), f64x2_relaxed_nmadd: madd('f64', true),
  // The mask is used bit by bit, as v128.bitselect.
  i8x16_relaxed_laneselect: v128_bitselect, i16x8_relaxed_laneselect: v128_bitselect,
  i32x4_relaxed_laneselect: v128_bitselect, i64x2_relaxed_laneselect: v128_bitselect,
  // NaN and signed-zero cases as min and max.
  f32x4_relaxed_min: F.f32x4_min, f32x4_relaxed_max: F.f32x4_max,
  f64x2_relaxed_min: F.f64x2_min, f64x2_relaxed_max: F.f64x2_max,
  // (-2^15)^2 saturates, as q15mulr_sat_s.
  i16x8_relaxed_q15mulr_s: SIMD_INT_HELPERS.i16x8_q15mulr_sat_s,
  // The second operand is read as signed.
  i16x8_relaxed_dot_i8x16_i7x16_s, i32x4_relaxed_dot_i8x16_i7x16_add_s,
};
