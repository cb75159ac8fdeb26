// Bit-exact conversions between wasm float bit patterns and the JS doubles that carry them.
// An f32 is a double holding its exact value; an f32 NaN is the double whose sign and top 23 mantissa bits are the f32's.
// Where the engine canonicalizes NaNs, a float value may be a NaNBox (core/nan-boxing.ts): every
// function here that takes a float reads its bits, and every one that makes a float boxes a NaN
// the engine would lose.

import { NaNBox, boxIfNeeded } from '../core/nan-boxing.js';

const f64 = new Float64Array(1);
const f64i = new Int32Array(f64.buffer);
const f32 = new Float32Array(1);
const f32i = new Int32Array(f32.buffer);
const u64 = new BigUint64Array(f64.buffer);

/** The carried double of an f32 bit pattern. */
export function f32FromBits(bits: number): number {
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) {
    const hi = (bits & 0x80000000) | 0x7ff00000 | ((bits & 0x7fffff) >>> 3);
    const lo = bits << 29;
    f64i[1] = hi;
    f64i[0] = lo;
    return boxIfNeeded(lo, hi, f64[0]!);
  }
  f32i[0] = bits;
  return f32[0]!;
}

/** The f32 bit pattern (as int32) of a carried double. */
export function f32ToBits(x: number): number {
  if (x !== x || typeof x === 'object') {
    storeBits(x);
    const hi = f64i[1]!;
    return (hi & 0x80000000) | 0x7f800000 | ((hi & 0xfffff) << 3) | (f64i[0]! >>> 29);
  }
  f32[0] = x;
  return f32i[0]!;
}

/** 2^(max(e, 1) - 1075) for each exponent field e below 2047: the weight of a mantissa's last bit. */
const POW2 = new Float64Array(2047);
for (let e = 0; e < 2047; e++) POW2[e] = 2 ** (Math.max(e, 1) - 1075);

/**
 * The double of an f64 bit pattern given as two int32 halves. A finite one by arithmetic: the
 * 53-bit mantissa (with its hidden bit unless subnormal) times the power of two of its exponent,
 * times 1 or -1 for the sign; each step is exact (-0 included). That avoids the scratch, whose two
 * int32 stores and one f64 load stall store forwarding. Infinities and NaNs (exponent 2047) go
 * through the scratch, which keeps NaN bits.
 */
export function f64FromHalves(lo: number, hi: number): number {
  const e = (hi >>> 20) & 2047;
  if (e !== 2047) return ((hi & 1048575) * 4294967296 + (lo >>> 0) + (e === 0 ? 0 : 4503599627370496)) * POW2[e]! * ((hi >> 31) | 1);
  f64i[0] = lo;
  f64i[1] = hi;
  const d = f64[0]!;
  return d === d ? d : boxIfNeeded(lo, hi, d);
}

/** Puts the bits of a float value (a number or a NaNBox) in the scratch words. */
function storeBits(x: number): void {
  if (typeof x === 'object') {
    f64i[0] = (x as unknown as NaNBox).lo;
    f64i[1] = (x as unknown as NaNBox).hi;
  } else {
    f64[0] = x;
  }
}

/** Low half of a double's bits; the high half is left in `f64HighOfLast()`. */
export function f64LowBits(x: number): number {
  storeBits(x);
  return f64i[0]!;
}
export function f64HighOfLast(): number {
  return f64i[1]!;
}

export function f64FromBigBits(bits: bigint): number {
  u64[0] = BigInt.asUintN(64, bits);
  return f64FromHalves(f64i[0]!, f64i[1]!);
}
export function f64ToBigBits(x: number): bigint {
  storeBits(x);
  return u64[0]!;
}

/** Sets the quiet bit of a NaN and leaves every other value alone (f64.promote_f32 of a signalling NaN). */
export function quietNaN(x: number): number {
  if (x === x && typeof x === 'number') return x;
  storeBits(x);
  return f64FromHalves(f64i[0]!, f64i[1]! | 0x80000);
}

/** Copies the sign of `b` onto `a`, keeping NaN payloads (works for f32 and f64 carriers alike). */
export function copysign(a: number, b: number): number {
  storeBits(b);
  const neg = f64i[1]! < 0;
  storeBits(a);
  return f64FromHalves(f64i[0]!, neg ? f64i[1]! | 0x80000000 : f64i[1]! & 0x7fffffff);
}

/** f32/f64.abs where NaNs are boxed: clears the sign bit of NaNs too. */
export function absBits(x: number): number {
  if (x === x && typeof x === 'number') return Math.abs(x);
  storeBits(x);
  return f64FromHalves(f64i[0]!, f64i[1]! & 0x7fffffff);
}

/** f32/f64.neg where NaNs are boxed: flips the sign bit of NaNs too. */
export function negBits(x: number): number {
  if (x === x && typeof x === 'number') return -x;
  storeBits(x);
  return f64FromHalves(f64i[0]!, f64i[1]! ^ 0x80000000);
}

/**
 * Round to nearest, ties to even (f32/f64.nearest), branch-free: floor, plus one where the
 * fraction d is over a half, or exactly a half and the floor odd. d = x - floor(x) is exact except
 * in (-1, 0), where 1 + x may round, but only up to 0.5 or 1 for x >= -0.5, which gives the right
 * -0 too. A zero result takes x's sign (x * 0: -0.3 and -0.5 give -0). Infinities give d = NaN and
 * stay; a NaN (or NaNBox) gives NaN, which the callers quieten as before. An integral f32 is an
 * f32, so f32 carriers need no rounding after it.
 */
export function nearest(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  const h = f * 0.5;
  const up = +(d > 0.5) | (+(d === 0.5) & +(h !== Math.floor(h)));
  const r = f + up;
  return r === 0 ? x * 0 : r;
}
