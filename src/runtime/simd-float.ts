// Float lane arithmetic of v128 (f32x4, f64x2) and the conversions between lane shapes, one helper
// per instruction. f32 results are rounded by the Float32Array store; NaN results follow the scalar rules.

import { nearest } from './float-bits.js';
import { A, B, R, V128, lanewise1, lanewise2 } from './simd-value.js';

type FView = 'f32' | 'f64';
type Fn1 = (x: number) => number;
type Fn2 = (x: number, y: number) => number;

/**
 * Lane arithmetic reads lanes through the float views (which quiets a signalling f32 NaN, as the
 * hardware operation would) and stores the double result through the same view, which rounds an
 * f32 lane once (correctly: the double result of + - * / sqrt on f32 inputs is exact or rounds
 * innocuously). A NaN produced by hardware arithmetic is quiet and keeps a NaN operand's payload,
 * so canonical NaNs in give a canonical NaN out, as wasm requires.
 */
function un(v: FView, f: Fn1): (a: V128) => V128 {
  return lanewise1(v, v === 'f32' ? 4 : 2, f);
}
function bin(v: FView, f: Fn2): (a: V128, b: V128) => V128 {
  return lanewise2(v, v === 'f32' ? 4 : 2, f);
}
/** Comparisons give all-ones lanes of the same width. */
function cmp(v: FView, f: (x: number, y: number) => boolean): (a: V128, b: V128) => V128 {
  return (a, b) => {
    const x = A.set(a)[v];
    const y = B.set(b)[v];
    if (v === 'f32') {
      for (let i = 0; i < 4; i++) R.i32[i] = f(x[i]!, y[i]!) ? -1 : 0;
    } else {
      for (let i = 0; i < 2; i++) R.i64[i] = f(x[i]!, y[i]!) ? -1n : 0n;
    }
    return R.get();
  };
}

/**
 * pmin/pmax return one operand's lane bit for bit (a signalling NaN included), so the choice is
 * made on the float views and the result copied through the integer views.
 */
function pick(v: FView, takeB: (x: number, y: number) => boolean): (a: V128, b: V128) => V128 {
  return (a, b) => {
    const x = A.set(a)[v];
    const y = B.set(b)[v];
    if (v === 'f32') {
      for (let i = 0; i < 4; i++) R.i32[i] = takeB(x[i]!, y[i]!) ? B.i32[i]! : A.i32[i]!;
    } else {
      for (let i = 0; i < 2; i++) R.i64[i] = takeB(x[i]!, y[i]!) ? B.i64[i]! : A.i64[i]!;
    }
    return R.get();
  };
}

/** The canonical NaN for any NaN result of an operation the JS engine might pass a NaN operand through unchanged. */
const canon = (r: number) => (r === r ? r : NaN);
// Math.min/max treat -0 as below +0 and propagate NaN, as wasm's fmin/fmax do.
const fmin: Fn2 = (x, y) => canon(Math.min(x, y));
const fmax: Fn2 = (x, y) => canon(Math.max(x, y));

// Bitwise sign operations: exact for every bit pattern, NaN payloads included.
function f32x4_abs(a: V128): V128 {
  return new V128(a.w0 & 0x7fffffff, a.w1 & 0x7fffffff, a.w2 & 0x7fffffff, a.w3 & 0x7fffffff);
}
function f32x4_neg(a: V128): V128 {
  return new V128(a.w0 ^ 0x80000000, a.w1 ^ 0x80000000, a.w2 ^ 0x80000000, a.w3 ^ 0x80000000);
}
function f64x2_abs(a: V128): V128 {
  return new V128(a.w0, a.w1 & 0x7fffffff, a.w2, a.w3 & 0x7fffffff);
}
function f64x2_neg(a: V128): V128 {
  return new V128(a.w0, a.w1 ^ 0x80000000, a.w2, a.w3 ^ 0x80000000);
}

const TWO31 = 2147483648;
const TWO32 = 4294967296;
/** Saturating truncation (NaN to 0), as i32.trunc_sat_f*_s/u. */
export function truncSatS(x: number): number {
  if (x !== x) return 0;
  if (x <= -TWO31) return -TWO31;
  if (x >= TWO31) return TWO31 - 1;
  return x | 0;
}
export function truncSatU(x: number): number {
  if (!(x > -1)) return 0;
  if (x >= TWO32) return -1;
  return x | 0;
}

function truncSat32(f: Fn1): (a: V128) => V128 {
  return (a) => {
    const x = A.set(a).f32;
    return new V128(f(x[0]!), f(x[1]!), f(x[2]!), f(x[3]!));
  };
}
function truncSat64Zero(f: Fn1): (a: V128) => V128 {
  return (a) => {
    const x = A.set(a).f64;
    return new V128(f(x[0]!), f(x[1]!), 0, 0);
  };
}

function f32x4_convert_i32x4_s(a: V128): V128 {
  const x = A.set(a).i32;
  const r = R.f32;
  for (let i = 0; i < 4; i++) r[i] = x[i]!;
  return R.get();
}
function f32x4_convert_i32x4_u(a: V128): V128 {
  const x = A.set(a).u32;
  const r = R.f32;
  for (let i = 0; i < 4; i++) r[i] = x[i]!;
  return R.get();
}
function f64x2_convert_low_i32x4_s(a: V128): V128 {
  R.f64[0] = a.w0;
  R.f64[1] = a.w1;
  return R.get();
}
function f64x2_convert_low_i32x4_u(a: V128): V128 {
  R.f64[0] = a.w0 >>> 0;
  R.f64[1] = a.w1 >>> 0;
  return R.get();
}
function f32x4_demote_f64x2_zero(a: V128): V128 {
  const x = A.set(a).f64;
  R.f32[0] = canon(x[0]!);
  R.f32[1] = canon(x[1]!);
  R.i32[2] = 0;
  R.i32[3] = 0;
  return R.get();
}
function f64x2_promote_low_f32x4(a: V128): V128 {
  const x = A.set(a).f32;
  R.f64[0] = canon(x[0]!);
  R.f64[1] = canon(x[1]!);
  return R.get();
}

/** Config.nanCanonicalization: every NaN lane becomes the canonical NaN. */
function v128_canon_f32(a: V128): V128 {
  const x = A.set(a).f32;
  for (let i = 0; i < 4; i++) if (x[i] !== x[i]) A.i32[i] = 0x7fc00000;
  return A.get();
}
function v128_canon_f64(a: V128): V128 {
  const x = A.set(a).f64;
  for (let i = 0; i < 2; i++) if (x[i] !== x[i]) A.i64[i] = 0x7ff8000000000000n;
  return A.get();
}

/** The float helpers, by instruction name. */
export const SIMD_FLOAT_HELPERS = {
  f32x4_abs, f32x4_neg, f64x2_abs, f64x2_neg, v128_canon_f32, v128_canon_f64,
  f32x4_sqrt: un('f32', Math.sqrt), f64x2_sqrt: un('f64', Math.sqrt),
  f32x4_ceil: un('f32', (x) => canon(Math.ceil(x))), f64x2_ceil: un('f64', (x) => canon(Math.ceil(x))),
  f32x4_floor: un('f32', (x) => canon(Math.floor(x))), f64x2_floor: un('f64', (x) => canon(Math.floor(x))),
  f32x4_trunc: un('f32', (x) => canon(Math.trunc(x))), f64x2_trunc: un('f64', (x) => canon(Math.trunc(x))),
  f32x4_nearest: un('f32', (x) => canon(nearest(x))), f64x2_nearest: un('f64', (x) => canon(nearest(x))),
  f32x4_add: bin('f32', (x, y) => x + y), f64x2_add: bin('f64', (x, y) => x + y),
  f32x4_sub: bin('f32', (x, y) => x - y), f64x2_sub: bin('f64', (x, y) => x - y),
  f32x4_mul: bin('f32', (x, y) => x * y), f64x2_mul: bin('f64', (x, y) => x * y),
  f32x4_div: bin('f32', (x, y) => x / y), f64x2_div: bin('f64', (x, y) => x / y),
  f32x4_min: bin('f32', fmin), f64x2_min: bin('f64', fmin),
  f32x4_max: bin('f32', fmax), f64x2_max: bin('f64', fmax),
  // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a.
  f32x4_pmin: pick('f32', (x, y) => y < x), f64x2_pmin: pick('f64', (x, y) => y < x),
  f32x4_pmax: pick('f32', (x, y) => x < y), f64x2_pmax: pick('f64', (x, y) => x < y),
  f32x4_eq: cmp('f32', (x, y) => x === y), f64x2_eq: cmp('f64', (x, y) => x === y),
  f32x4_ne: cmp('f32', (x, y) => x !== y), f64x2_ne: cmp('f64', (x, y) => x !== y),
  f32x4_lt: cmp('f32', (x, y) => x < y), f64x2_lt: cmp('f64', (x, y) => x < y),
  f32x4_gt: cmp('f32', (x, y) => x > y), f64x2_gt: cmp('f64', (x, y) => x > y),
  f32x4_le: cmp('f32', (x, y) => x <= y), f64x2_le: cmp('f64', (x, y) => x <= y),
  f32x4_ge: cmp('f32', (x, y) => x >= y), f64x2_ge: cmp('f64', (x, y) => x >= y),
  i32x4_trunc_sat_f32x4_s: truncSat32(truncSatS), i32x4_trunc_sat_f32x4_u: truncSat32(truncSatU),
  i32x4_trunc_sat_f64x2_s_zero: truncSat64Zero(truncSatS), i32x4_trunc_sat_f64x2_u_zero: truncSat64Zero(truncSatU),
  f32x4_convert_i32x4_s, f32x4_convert_i32x4_u, f64x2_convert_low_i32x4_s, f64x2_convert_low_i32x4_u,
  f32x4_demote_f64x2_zero, f64x2_promote_low_f32x4,
};
