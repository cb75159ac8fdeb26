// Integer lane arithmetic of v128 (i8x16, i16x8, i32x4, i64x2) and the bitwise operations, one
// helper per instruction, named after its mnemonic. Lanes go through typed-array views, whose stores wrap.

import { A, B, R, V128, lanewise1, lanewise2 } from './simd-value.js';

type IntView = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32';
type Fn1 = (x: number) => number;
type Fn2 = (x: number, y: number) => number;
type Big2 = (x: bigint, y: bigint) => bigint;

const COUNT: Readonly<Record<IntView, number>> = { i8: 16, u8: 16, i16: 8, u16: 8, i32: 4, u32: 4 };

/** Lane-wise unary operation over view `v` (the result is stored through the same view, which wraps it). */
function un(v: IntView, f: Fn1): (a: V128) => V128 {
  return lanewise1(v, COUNT[v], f);
}

/** Lane-wise binary operation over view `v`. */
function bin(v: IntView, f: Fn2): (a: V128, b: V128) => V128 {
  return lanewise2(v, COUNT[v], f);
}

/** Lane-wise comparison over view `v`: all ones where `f` holds. */
function cmp(v: IntView, f: (x: number, y: number) => boolean): (a: V128, b: V128) => V128 {
  return bin(v, (x, y) => (f(x, y) ? -1 : 0));
}

/** Shift by a count taken modulo the lane width. */
function shift(v: IntView, f: Fn2): (a: V128, s: number) => V128 {
  const n = COUNT[v];
  const mask = 128 / n - 1;
  return (a, s) => {
    const x = A.set(a)[v];
    const r = R[v];
    const k = s & mask;
    for (let i = 0; i < n; i++) r[i] = f(x[i]!, k);
    return R.get();
  };
}

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const popcnt8 = (x: number) => {
  let c = 0;
  for (let b = x; b !== 0; b &= b - 1) c++;
  return c;
};

/** i64 lanes go through BigInt views: lane arithmetic on 64-bit values is exact there, and stores wrap. */
function bin64(v: 'i64' | 'u64', f: Big2): (a: V128, b: V128) => V128 {
  return (a, b) => {
    const x = A.set(a)[v];
    const y = B.set(b)[v];
    const r = R[v];
    r[0] = f(x[0]!, y[0]!);
    r[1] = f(x[1]!, y[1]!);
    return R.get();
  };
}
function un64(f: (x: bigint) => bigint): (a: V128) => V128 {
  return (a) => {
    const x = A.set(a).i64;
    R.i64[0] = f(x[0]!);
    R.i64[1] = f(x[1]!);
    return R.get();
  };
}
function cmp64(f: (x: bigint, y: bigint) => boolean): (a: V128, b: V128) => V128 {
  return bin64('i64', (x, y) => (f(x, y) ? -1n : 0n));
}
function shift64(v: 'i64' | 'u64', f: (x: bigint, s: bigint) => bigint): (a: V128, s: number) => V128 {
  return (a, s) => {
    const x = A.set(a)[v];
    const r = R[v];
    const k = BigInt(s & 63);
    r[0] = f(x[0]!, k);
    r[1] = f(x[1]!, k);
    return R.get();
  };
}

function allTrue(v: IntView): (a: V128) => number {
  const n = COUNT[v];
  return (a) => {
    const x = A.set(a)[v];
    for (let i = 0; i < n; i++) if (x[i] === 0) return 0;
    return 1;
  };
}
function bitmask(v: IntView): (a: V128) => number {
  const n = COUNT[v];
  return (a) => {
    const x = A.set(a)[v];
    let m = 0;
    for (let i = 0; i < n; i++) if (x[i]! < 0) m |= 1 << i;
    return m;
  };
}

/** Narrowing: the lanes of a then b, each saturated into the narrower lane's range. */
function narrow(from: 'i16' | 'i32', to: 'i8' | 'i16', lo: number, hi: number): (a: V128, b: V128) => V128 {
  const n = COUNT[from];
  return (a, b) => {
    const x = A.set(a)[from];
    const y = B.set(b)[from];
    const r = R[to];
    for (let i = 0; i < n; i++) {
      r[i] = clamp(x[i]!, lo, hi);
      r[i + n] = clamp(y[i]!, lo, hi);
    }
    return R.get();
  };
}

/** Widening of the low or high half of the lanes (read through a signed or unsigned view). */
function extend(from: IntView, to: 'i16' | 'i32', high: boolean): (a: V128) => V128 {
  const n = COUNT[to];
  const off = high ? n : 0;
  return (a) => {
    const x = A.set(a)[from];
    const r = R[to];
    for (let i = 0; i < n; i++) r[i] = x[i + off]!;
    return R.get();
  };
}
function extend64(from: 'i32' | 'u32', high: boolean): (a: V128) => V128 {
  const off = high ? 2 : 0;
  return (a) => {
    const x = A.set(a)[from];
    R.i64[0] = BigInt(x[off]!);
    R.i64[1] = BigInt(x[off + 1]!);
    return R.get();
  };
}

/** Widening multiply of the low or high half. */
function extmul(from: IntView, to: 'i16' | 'i32', high: boolean): (a: V128, b: V128) => V128 {
  const n = COUNT[to];
  const off = high ? n : 0;
  return (a, b) => {
    const x = A.set(a)[from];
    const y = B.set(b)[from];
    const r = R[to];
    // Products of 16-bit lanes are below 2^32 in magnitude: exact as doubles, then wrapped by the store.
    for (let i = 0; i < n; i++) r[i] = x[i + off]! * y[i + off]!;
    return R.get();
  };
}
function extmul64(from: 'i32' | 'u32', high: boolean): (a: V128, b: V128) => V128 {
  const off = high ? 2 : 0;
  return (a, b) => {
    const x = A.set(a)[from];
    const y = B.set(b)[from];
    R.i64[0] = BigInt(x[off]!) * BigInt(y[off]!);
    R.i64[1] = BigInt(x[off + 1]!) * BigInt(y[off + 1]!);
    return R.get();
  };
}

/** Sum of adjacent lane pairs into lanes twice as wide. */
function extaddPairwise(from: IntView, to: 'i16' | 'i32'): (a: V128) => V128 {
  const n = COUNT[to];
  return (a) => {
    const x = A.set(a)[from];
    const r = R[to];
    for (let i = 0; i < n; i++) r[i] = x[2 * i]! + x[2 * i + 1]!;
    return R.get();
  };
}

function i32x4_dot_i16x8_s(a: V128, b: V128): V128 {
  const x = A.set(a).i16;
  const y = B.set(b).i16;
  const r = R.i32;
  // Each product is at most 2^30; the sum of two wraps only for (-2^15)^2 * 2 = 2^31.
  for (let i = 0; i < 4; i++) r[i] = x[2 * i]! * y[2 * i]! + x[2 * i + 1]! * y[2 * i + 1]!;
  return R.get();
}

/** Rounding Q15 multiply: (x*y + 2^14) >> 15, saturated (only (-2^15)^2 overflows). */
export function q15mulr(x: number, y: number): number {
  return clamp((x * y + 0x4000) >> 15, -32768, 32767);
}

// Bitwise operations on whole words.
function v128_not(a: V128): V128 {
  return new V128(~a.w0, ~a.w1, ~a.w2, ~a.w3);
}
function v128_and(a: V128, b: V128): V128 {
  return new V128(a.w0 & b.w0, a.w1 & b.w1, a.w2 & b.w2, a.w3 & b.w3);
}
function v128_andnot(a: V128, b: V128): V128 {
  return new V128(a.w0 & ~b.w0, a.w1 & ~b.w1, a.w2 & ~b.w2, a.w3 & ~b.w3);
}
function v128_or(a: V128, b: V128): V128 {
  return new V128(a.w0 | b.w0, a.w1 | b.w1, a.w2 | b.w2, a.w3 | b.w3);
}
function v128_xor(a: V128, b: V128): V128 {
  return new V128(a.w0 ^ b.w0, a.w1 ^ b.w1, a.w2 ^ b.w2, a.w3 ^ b.w3);
}
/** Bits of a where c is 1, of b where c is 0. */
export function v128_bitselect(a: V128, b: V128, c: V128): V128 {
  return new V128(
    (a.w0 & c.w0) | (b.w0 & ~c.w0), (a.w1 & c.w1) | (b.w1 & ~c.w1),
    (a.w2 & c.w2) | (b.w2 & ~c.w2), (a.w3 & c.w3) | (b.w3 & ~c.w3),
  );
}
function v128_any_true(a: V128): number {
  return (a.w0 | a.w1 | a.w2 | a.w3) !== 0 ? 1 : 0;
}

const add: Fn2 = (x, y) => x + y;
const sub: Fn2 = (x, y) => x - y;
const min: Fn2 = (x, y) => (x < y ? x : y);
const max: Fn2 = (x, y) => (x > y ? x : y);
const avgr: Fn2 = (x, y) => (x + y + 1) >>> 1;
const eq = (x: number, y: number) => x === y;
const ne = (x: number, y: number) => x !== y;
const lt = (x: number, y: number) => x < y;
const gt = (x: number, y: number) => x > y;
const le = (x: number, y: number) => x <= y;
const ge = (x: number, y: number) => x >= y;
const shl: Fn2 = (x, s) => x << s;
const shr: Fn2 = (x, s) => x >> s;
const shru: Fn2 = (x, s) => x >>> s;

/** The integer and bitwise helpers, by instruction name (mnemonic with '_' for '.'). */
export const SIMD_INT_HELPERS = {
  v128_not, v128_and, v128_andnot, v128_or, v128_xor, v128_bitselect, v128_any_true,

  i8x16_abs: un('i8', Math.abs), i8x16_neg: un('i8', (x) => -x), i8x16_popcnt: un('u8', popcnt8),
  i8x16_all_true: allTrue('i8'), i8x16_bitmask: bitmask('i8'),
  i8x16_narrow_i16x8_s: narrow('i16', 'i8', -128, 127), i8x16_narrow_i16x8_u: narrow('i16', 'i8', 0, 255),
  i8x16_shl: shift('i8', shl), i8x16_shr_s: shift('i8', shr), i8x16_shr_u: shift('u8', shru),
  i8x16_add: bin('i8', add), i8x16_sub: bin('i8', sub),
  i8x16_add_sat_s: bin('i8', (x, y) => clamp(x + y, -128, 127)), i8x16_add_sat_u: bin('u8', (x, y) => clamp(x + y, 0, 255)),
  i8x16_sub_sat_s: bin('i8', (x, y) => clamp(x - y, -128, 127)), i8x16_sub_sat_u: bin('u8', (x, y) => clamp(x - y, 0, 255)),
  i8x16_min_s: bin('i8', min), i8x16_min_u: bin('u8', min), i8x16_max_s: bin('i8', max), i8x16_max_u: bin('u8', max),
  i8x16_avgr_u: bin('u8', avgr),
  i8x16_eq: cmp('i8', eq), i8x16_ne: cmp('i8', ne),
  i8x16_lt_s: cmp('i8', lt), i8x16_lt_u: cmp('u8', lt), i8x16_gt_s: cmp('i8', gt), i8x16_gt_u: cmp('u8', gt),
  i8x16_le_s: cmp('i8', le), i8x16_le_u: cmp('u8', le), i8x16_ge_s: cmp('i8', ge), i8x16_ge_u: cmp('u8', ge),

  i16x8_extadd_pairwise_i8x16_s: extaddPairwise('i8', 'i16'), i16x8_extadd_pairwise_i8x16_u: extaddPairwise('u8', 'i16'),
  i16x8_abs: un('i16', Math.abs), i16x8_neg: un('i16', (x) => -x),
  i16x8_q15mulr_sat_s: bin('i16', q15mulr),
  i16x8_all_true: allTrue('i16'), i16x8_bitmask: bitmask('i16'),
  i16x8_narrow_i32x4_s: narrow('i32', 'i16', -32768, 32767), i16x8_narrow_i32x4_u: narrow('i32', 'i16', 0, 65535),
  i16x8_extend_low_i8x16_s: extend('i8', 'i16', false), i16x8_extend_high_i8x16_s: extend('i8', 'i16', true),
  i16x8_extend_low_i8x16_u: extend('u8', 'i16', false), i16x8_extend_high_i8x16_u: extend('u8', 'i16', true),
  i16x8_shl: shift('i16', shl), i16x8_shr_s: shift('i16', shr), i16x8_shr_u: shift('u16', shru),
  i16x8_add: bin('i16', add), i16x8_sub: bin('i16', sub), i16x8_mul: bin('i16', (x, y) => x * y),
  i16x8_add_sat_s: bin('i16', (x, y) => clamp(x + y, -32768, 32767)), i16x8_add_sat_u: bin('u16', (x, y) => clamp(x + y, 0, 65535)),
  i16x8_sub_sat_s: bin('i16', (x, y) => clamp(x - y, -32768, 32767)), i16x8_sub_sat_u: bin('u16', (x, y) => clamp(x - y, 0, 65535)),
  i16x8_min_s: bin('i16', min), i16x8_min_u: bin('u16', min), i16x8_max_s: bin('i16', max), i16x8_max_u: bin('u16', max),
  i16x8_avgr_u: bin('u16', avgr),
  i16x8_extmul_low_i8x16_s: extmul('i8', 'i16', false), i16x8_extmul_high_i8x16_s: extmul('i8', 'i16', true),
  i16x8_extmul_low_i8x16_u: extmul('u8', 'i16', false), i16x8_extmul_high_i8x16_u: extmul('u8', 'i16', true),
  i16x8_eq: cmp('i16', eq), i16x8_ne: cmp('i16', ne),
  i16x8_lt_s: cmp('i16', lt), i16x8_lt_u: cmp('u16', lt), i16x8_gt_s: cmp('i16', gt), i16x8_gt_u: cmp('u16', gt),
  i16x8_le_s: cmp('i16', le), i16x8_le_u: cmp('u16', le), i16x8_ge_s: cmp('i16', ge), i16x8_ge_u: cmp('u16', ge),

  i32x4_extadd_pairwise_i16x8_s: extaddPairwise('i16', 'i32'), i32x4_extadd_pairwise_i16x8_u: extaddPairwise('u16', 'i32'),
  i32x4_abs: un('i32', Math.abs), i32x4_neg: un('i32', (x) => -x),
  i32x4_all_true: allTrue('i32'), i32x4_bitmask: bitmask('i32'),
  i32x4_extend_low_i16x8_s: extend('i16', 'i32', false), i32x4_extend_high_i16x8_s: extend('i16', 'i32', true),
  i32x4_extend_low_i16x8_u: extend('u16', 'i32', false), i32x4_extend_high_i16x8_u: extend('u16', 'i32', true),
  i32x4_shl: shift('i32', shl), i32x4_shr_s: shift('i32', shr), i32x4_shr_u: shift('u32', shru),
  i32x4_add: bin('i32', add), i32x4_sub: bin('i32', sub), i32x4_mul: bin('i32', Math.imul),
  i32x4_min_s: bin('i32', min), i32x4_min_u: bin('u32', min), i32x4_max_s: bin('i32', max), i32x4_max_u: bin('u32', max),
  i32x4_dot_i16x8_s,
  i32x4_extmul_low_i16x8_s: extmul('i16', 'i32', false), i32x4_extmul_high_i16x8_s: extmul('i16', 'i32', true),
  i32x4_extmul_low_i16x8_u: extmul('u16', 'i32', false), i32x4_extmul_high_i16x8_u: extmul('u16', 'i32', true),
  i32x4_eq: cmp('i32', eq), i32x4_ne: cmp('i32', ne),
  i32x4_lt_s: cmp('i32', lt), i32x4_lt_u: cmp('u32', lt), i32x4_gt_s: cmp('i32', gt), i32x4_gt_u: cmp('u32', gt),
  i32x4_le_s: cmp('i32', le), i32x4_le_u: cmp('u32', le), i32x4_ge_s: cmp('i32', ge), i32x4_ge_u: cmp('u32', ge),

  i64x2_abs: un64((x) => (x < 0n ? -x : x)), i64x2_neg: un64((x) => -x),
  i64x2_all_true: (a: V128) => ((a.w0 | a.w1) !== 0 && (a.w2 | a.w3) !== 0 ? 1 : 0),
  i64x2_bitmask: (a: V128) => ((a.w1 >>> 31) | ((a.w3 >>> 31) << 1)),
  i64x2_extend_low_i32x4_s: extend64('i32', false), i64x2_extend_high_i32x4_s: extend64('i32', true),
  i64x2_extend_low_i32x4_u: extend64('u32', false), i64x2_extend_high_i32x4_u: extend64('u32', true),
  i64x2_shl: shift64('i64', (x, s) => x << s), i64x2_shr_s: shift64('i64', (x, s) => x >> s), i64x2_shr_u: shift64('u64', (x, s) => x >> s),
  i64x2_add: bin64('i64', (x, y) => x + y), i64x2_sub: bin64('i64', (x, y) => x - y), i64x2_mul: bin64('i64', (x, y) => x * y),
  i64x2_eq: cmp64((x, y) => x === y), i64x2_ne: cmp64((x, y) => x !== y),
  i64x2_lt_s: cmp64((x, y) => x < y), i64x2_gt_s: cmp64((x, y) => x > y),
  i64x2_le_s: cmp64((x, y) => x <= y), i64x2_ge_s: cmp64((x, y) => x >= y),
  i64x2_extmul_low_i32x4_s: extmul64('i32', false), i64x2_extmul_high_i32x4_s: extmul64('i32', true),
  i64x2_extmul_low_i32x4_u: extmul64('u32', false), i64x2_extmul_high_i32x4_u: extmul64('u32', true),
};
