// The runtime functions generated code calls for what is rare or long: conversions, 64-bit
// division slow paths, bulk memory and table operations, indirect-call checks, the tail-call trampoline.
// Functions returning an i64 return its low half and leave the high half in RI[0].

import { isCanonicalSubtype } from '../validate/type-registry.js';
import { absBits, copysign, f32FromBits, f32ToBits, f64FromHalves, nearest, negBits, quietNaN } from './float-bits.js';
import type { NaNBox } from '../core/nan-boxing.js';
import { canonNaN, epochReached, outOfFuel } from './interrupts.js';
import { epochReachedAsync, growMemoryAsync, growTableAsync, outOfFuelAsync, runTailAsync } from './async-calls.js';
import { EXCEPTION_HELPERS } from './exceptions.js';
import { GC_HELPERS } from './gc.js';
import { ATOMIC_HELPERS } from './atomics.js';
import { SIMD_HELPERS } from './simd.js';
import type { MemoryObject } from './memory.js';
import { RI, TAIL, pendingTail } from './slots.js';
import { QR, udivmod64 } from './divide64.js';
import type { WasmFunc } from './func.js';
import {
  trapBadConversion, trapBadSignature, trapDivByZero, trapIntOverflow, trapMemory, trapNullFunctionReference,
  trapNullReference, trapStackOverflow, trapTable, trapUndefinedElement, trapUninitializedElement, trapUnreachable,
} from './traps.js';

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

// Bit counts: each pair of bits holds its count, then each nibble, then each byte, summed by the
// multiply into the top byte. The first step is kept int32 (`| 0`): a negative x minus the pairs
// leaves the int32 range, and V8 then computes in doubles.
function popcnt32(x: number): number {
  x = (x - ((x >>> 1) & 0x55555555)) | 0;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
/** Both words' nibble counts (at most 4 each) added before the byte step: one multiply, not two. */
function popcnt64(lo: number, hi: number): number {
  lo = (lo - ((lo >>> 1) & 0x55555555)) | 0;
  hi = (hi - ((hi >>> 1) & 0x55555555)) | 0;
  lo = (lo & 0x33333333) + ((lo >>> 2) & 0x33333333);
  hi = (hi & 0x33333333) + ((hi >>> 2) & 0x33333333);
  const x = (lo + hi) | 0;
  return Math.imul((x & 0x0f0f0f0f) + ((x >>> 4) & 0x0f0f0f0f), 0x01010101) >>> 24;
}

/** min/max whose NaN result is always quiet (Math.min hands a signalling NaN operand back as is). */
function fmin(a: number, b: number): number {
  const r = Math.min(a, b);
  return r === r ? r : NaN;
}
function fmax(a: number, b: number): number {
  const r = Math.max(a, b);
  return r === r ? r : NaN;
}

// Rounding functions hand a signalling NaN back unchanged; wasm wants it quiet.
function fceil(x: number): number {
  const r = Math.ceil(x);
  return r === r ? r : NaN;
}
function ffloor(x: number): number {
  const r = Math.floor(x);
  return r === r ? r : NaN;
}
function ftrunc(x: number): number {
  const r = Math.trunc(x);
  return r === r ? r : NaN;
}
function fnearest(x: number): number {
  const r = nearest(x);
  return r === r ? r : NaN;
}

function truncS32(x: number): number {
  if (x !== x) trapBadConversion();
  if (!(x > -2147483649 && x < 2147483648)) trapIntOverflow();
  return x | 0;
}
function truncU32(x: number): number {
  if (x !== x) trapBadConversion();
  if (!(x > -1 && x < TWO32)) trapIntOverflow();
  return x | 0;
}
function truncSatS32(x: number): number {
  if (x !== x) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return x | 0;
}
function truncSatU32(x: number): number {
  if (x !== x || x <= 0) return 0;
  if (x >= 4294967295) return -1;
  return x | 0;
}

/** Splits an integral double in [-2^63, 2^64) into int32 halves. */
function splitI64(t: number): number {
  const hi = Math.floor(t / TWO32);
  RI[0] = hi | 0;
  return (t - hi * TWO32) | 0;
}
function i64TruncS(x: number): number {
  if (x !== x) trapBadConversion();
  if (!(x >= -TWO63 && x < TWO63)) trapIntOverflow();
  return splitI64(Math.trunc(x));
}
function i64TruncU(x: number): number {
  if (x !== x) trapBadConversion();
  if (!(x > -1 && x < TWO64)) trapIntOverflow();
  return splitI64(Math.trunc(x));
}
function i64TruncSatS(x: number): number {
  if (x !== x) { RI[0] = 0; return 0; }
  if (x < -TWO63) { RI[0] = -2147483648; return 0; }
  if (x >= TWO63) { RI[0] = 2147483647; return -1; }
  return splitI64(Math.trunc(x));
}
function i64TruncSatU(x: number): number {
  if (x !== x || x <= -1) { RI[0] = 0; return 0; }
  if (x >= TWO64) { RI[0] = -1; return -1; }
  return splitI64(Math.trunc(x));
}

/** u64 -> f32 with one rounding: below 2^53 the double is exact; above, low bits fold into a sticky bit. */
function f32ConvertI64U(lo: number, hi: number): number {
  if (hi >>> 0 < 0x200000) return Math.fround((hi >>> 0) * TWO32 + (lo >>> 0));
  if ((lo & 0x7ff) !== 0) lo = (lo | 0x800) & ~0x7ff;
  return Math.fround((hi >>> 0) * TWO32 + (lo >>> 0));
}
function f32ConvertI64S(lo: number, hi: number): number {
  if (hi >= 0) return f32ConvertI64U(lo, hi);
  const nlo = -lo | 0;
  const nhi = (~hi + (lo === 0 ? 1 : 0)) | 0;
  return -f32ConvertI64U(nlo, nhi);
}

function f64Bits(x: number): number {
  if (typeof x === 'object') {
    RI[0] = (x as unknown as NaNBox).hi;
    return (x as unknown as NaNBox).lo;
  }
  scratchF64[0] = x;
  RI[0] = scratchI32[1]!;
  return scratchI32[0]!;
}
const scratchF64 = new Float64Array(1);
const scratchI32 = new Int32Array(scratchF64.buffer);

// 64-bit division off the inline paths (large divisors, signed ones, code tuned for interpreters):
// udivmod64 on the magnitudes, the signs applied after (a quotient's from both operands, a
// remainder's from the dividend). Without BigInt: the perf audit's loops dividing by about 2^43 went
// from 45x native to 16x (div_u) and from 36x to 19x (div_s).
function i64DivS(al: number, ah: number, bl: number, bh: number): number {
  if ((bl | bh) === 0) trapDivByZero();
  if (al === 0 && ah === -2147483648 && bl === -1 && bh === -1) trapIntOverflow();
  magnitudes(al, ah, bl, bh);
  return signed(QR.ql, QR.qh, (ah ^ bh) < 0);
}
function i64RemS(al: number, ah: number, bl: number, bh: number): number {
  if ((bl | bh) === 0) trapDivByZero();
  magnitudes(al, ah, bl, bh);
  return signed(QR.rl, QR.rh, ah < 0);
}
function i64DivU(al: number, ah: number, bl: number, bh: number): number {
  if ((bl | bh) === 0) trapDivByZero();
  udivmod64(al, ah, bl, bh);
  RI[0] = QR.qh | 0;
  return QR.ql | 0;
}
function i64RemU(al: number, ah: number, bl: number, bh: number): number {
  if ((bl | bh) === 0) trapDivByZero();
  udivmod64(al, ah, bl, bh);
  RI[0] = QR.rh | 0;
  return QR.rl | 0;
}
/** udivmod64 of |a| and |b| (int32 pairs, two's complement). */
function magnitudes(al: number, ah: number, bl: number, bh: number): void {
  if (ah < 0) { ah = ~ah + (al === 0 ? 1 : 0); al = -al | 0; }
  if (bh < 0) { bh = ~bh + (bl === 0 ? 1 : 0); bl = -bl | 0; }
  udivmod64(al, ah, bl, bh);
}
/** The unsigned pair (lo, hi), negated when `negative`: its low half returned, its high half in RI[0]. */
function signed(lo: number, hi: number, negative: boolean): number {
  if (!negative) {
    RI[0] = hi | 0;
    return lo | 0;
  }
  RI[0] = (~hi + (lo === 0 ? 1 : 0)) | 0;
  return -lo | 0;
}

// Bulk memory: bounds are checked before anything is written. Up to SMALL_BULK bytes a loop is
// faster than a builtin call plus a subarray (memcpy of small sizes compiles to memory.copy):
// 16-byte copies 4.6-5.2x native -> 2.0-2.9x, 32-byte memory.init 9.4x -> 6.6x. Fill allocates
// no subarray, and a loop did not measurably beat its builtin.
const SMALL_BULK = 32;
function memoryInit(m: MemoryObject, datas: (Uint8Array | null)[], seg: number, d: number, s: number, n: number): void {
  const data = datas[seg];
  const len = data ? data.length : 0;
  const bytes = m.bytes;
  if (s + n > len || d + n > bytes.length) trapMemory();
  if (n > SMALL_BULK) bytes.set(data!.subarray(s, s + n), d);
  else for (let i = 0; i < n; i++) bytes[d + i] = data![s + i]!;
}
function memoryCopy(dst: MemoryObject, src: MemoryObject, d: number, s: number, n: number): void {
  const to = dst.bytes;
  const from = dst === src ? to : src.bytes;
  if (s + n > from.length || d + n > to.length) trapMemory();
  if (n > SMALL_BULK) {
    if (dst === src) to.copyWithin(d, s, s + n);
    else to.set(from.subarray(s, s + n), d);
  } else if (d <= s) {
    for (let i = 0; i < n; i++) to[d + i] = from[s + i]!;
  } else {
    // Backwards, as memmove does when the destination overlaps the source from above.
    for (let i = n - 1; i >= 0; i--) to[d + i] = from[s + i]!;
  }
}
function memoryFill(m: MemoryObject, d: number, v: number, n: number): void {
  const bytes = m.bytes;
  if (d + n > bytes.length) trapMemory();
  if (n > 0) bytes.fill(v & 255, d, d + n);
}

// Tables and references.
function indirectTarget(elems: unknown[], i: number, type: number): WasmFunc {
  if (i >= elems.length) trapUndefinedElement();
  const f = elems[i] as WasmFunc | null;
  if (f === null) trapUninitializedElement(i);
  if (f.type !== type && !isCanonicalSubtype(f.type, type)) trapBadSignature();
  return f;
}
function refTarget(f: WasmFunc | null): WasmFunc {
  if (f === null) trapNullFunctionReference();
  return f;
}
function refNonNull<T>(x: T | null): T {
  if (x === null) trapNullReference();
  return x;
}
function tableGet(elems: unknown[], i: number): unknown {
  if (i >= elems.length) trapTable();
  return elems[i];
}
function tableSet(elems: unknown[], i: number, v: unknown): void {
  if (i >= elems.length) trapTable();
  elems[i] = v;
}
function tableFill(elems: unknown[], i: number, v: unknown, n: number): void {
  if (i + n > elems.length) trapTable();
  for (let k = 0; k < n; k++) elems[i + k] = v;
}
function tableCopy(dst: unknown[], src: unknown[], d: number, s: number, n: number): void {
  if (s + n > src.length || d + n > dst.length) trapTable();
  if (dst === src) {
    dst.copyWithin(d, s, s + n);
    return;
  }
  for (let k = 0; k < n; k++) dst[d + k] = src[s + k];
}
function tableInit(elems: unknown[], segs: (unknown[] | null)[], seg: number, d: number, s: number, n: number): void {
  const src = segs[seg] ?? [];
  if (s + n > src.length || d + n > elems.length) trapTable();
  for (let k = 0; k < n; k++) elems[d + k] = src[s + k];
}

/** Runs pending tail calls until one returns a result: the JS stack stays flat. */
function runTail(): unknown {
  let r: unknown;
  do {
    const f = pendingTail.target as WasmFunc;
    pendingTail.target = null;
    r = f.fromSlots(f);
  } while (r === TAIL);
  return r;
}

function depthExceeded(): never {
  return trapStackOverflow();
}

/** Every helper generated code may bind, by the name it uses. */
export const HELPERS = {
  // Bound as they are (FunctionCompiler.aliasMath): a call then reads no global and no property.
  fround: Math.fround, imul: Math.imul, clz32: Math.clz32, abs: Math.abs, sqrt: Math.sqrt, floor: Math.floor, min: Math.min, max: Math.max,
  trapUnreachable, trapDivByZero, trapIntOverflow, trapBadConversion, trapMemory, trapTable,
  fmin, fmax, fceil, ffloor, ftrunc, nearest: fnearest, popcnt32, popcnt64, copysign, quietNaN, f32ToBits, f32FromBits, f64FromHalves, absBits, negBits,
  truncS32, truncU32, truncSatS32, truncSatU32, i64TruncS, i64TruncU, i64TruncSatS, i64TruncSatU,
  f32ConvertI64S, f32ConvertI64U, f64Bits, i64DivS, i64RemS, i64DivU, i64RemU,
  memoryInit, memoryCopy, memoryFill, indirectTarget, refTarget, refNonNull,
  tableGet, tableSet, tableFill, tableCopy, tableInit, runTail, depthExceeded, outOfFuel, epochReached, canonNaN,
  runTailAsync, epochReachedAsync, outOfFuelAsync, growMemoryAsync, growTableAsync,
  ...EXCEPTION_HELPERS,
  ...GC_HELPERS,
  ...ATOMIC_HELPERS,
  ...SIMD_HELPERS,
};
