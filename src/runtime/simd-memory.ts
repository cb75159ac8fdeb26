// v128 loads and stores through a memory's DataView: its bounds check (a RangeError, turned into
// "out of bounds memory access" at the boundary) is the trap; accesses may have any alignment.

import { A, V128 } from './simd-value.js';

// Every helper takes the DataView and the effective address (a JS number, never wrapped).

function v128_load(dv: DataView, a: number): V128 {
  return new V128(dv.getInt32(a, true), dv.getInt32(a + 4, true), dv.getInt32(a + 8, true), dv.getInt32(a + 12, true));
}
/** Stores the highest word first: if it is in bounds the whole access is, so a trap never leaves part of a store. */
function v128_store(dv: DataView, a: number, v: V128): void {
  dv.setInt32(a + 12, v.w3, true);
  dv.setInt32(a, v.w0, true);
  dv.setInt32(a + 4, v.w1, true);
  dv.setInt32(a + 8, v.w2, true);
}

function v128_load8x8_s(dv: DataView, a: number): V128 {
  const r = A.i16;
  for (let i = 0; i < 8; i++) r[i] = dv.getInt8(a + i);
  return A.get();
}
function v128_load8x8_u(dv: DataView, a: number): V128 {
  const r = A.i16;
  for (let i = 0; i < 8; i++) r[i] = dv.getUint8(a + i);
  return A.get();
}
function v128_load16x4_s(dv: DataView, a: number): V128 {
  return new V128(dv.getInt16(a, true), dv.getInt16(a + 2, true), dv.getInt16(a + 4, true), dv.getInt16(a + 6, true));
}
function v128_load16x4_u(dv: DataView, a: number): V128 {
  return new V128(dv.getUint16(a, true), dv.getUint16(a + 2, true), dv.getUint16(a + 4, true), dv.getUint16(a + 6, true));
}
function v128_load32x2_s(dv: DataView, a: number): V128 {
  const x = dv.getInt32(a, true);
  const y = dv.getInt32(a + 4, true);
  return new V128(x, x >> 31, y, y >> 31);
}
function v128_load32x2_u(dv: DataView, a: number): V128 {
  return new V128(dv.getInt32(a, true), 0, dv.getInt32(a + 4, true), 0);
}

function v128_load8_splat(dv: DataView, a: number): V128 {
  const w = Math.imul(dv.getUint8(a), 0x01010101);
  return new V128(w, w, w, w);
}
function v128_load16_splat(dv: DataView, a: number): V128 {
  const x = dv.getUint16(a, true);
  const w = x | (x << 16);
  return new V128(w, w, w, w);
}
function v128_load32_splat(dv: DataView, a: number): V128 {
  const w = dv.getInt32(a, true);
  return new V128(w, w, w, w);
}
function v128_load64_splat(dv: DataView, a: number): V128 {
  const lo = dv.getInt32(a, true);
  const hi = dv.getInt32(a + 4, true);
  return new V128(lo, hi, lo, hi);
}
function v128_load32_zero(dv: DataView, a: number): V128 {
  return new V128(dv.getInt32(a, true), 0, 0, 0);
}
function v128_load64_zero(dv: DataView, a: number): V128 {
  return new V128(dv.getInt32(a, true), dv.getInt32(a + 4, true), 0, 0);
}

// Lane loads and stores take the vector and then the lane index (an immediate).
function v128_load8_lane(dv: DataView, a: number, v: V128, lane: number): V128 {
  const x = dv.getUint8(a);
  A.set(v).u8[lane] = x;
  return A.get();
}
function v128_load16_lane(dv: DataView, a: number, v: V128, lane: number): V128 {
  const x = dv.getUint16(a, true);
  A.set(v).u16[lane] = x;
  return A.get();
}
function v128_load32_lane(dv: DataView, a: number, v: V128, lane: number): V128 {
  const x = dv.getInt32(a, true);
  A.set(v).i32[lane] = x;
  return A.get();
}
function v128_load64_lane(dv: DataView, a: number, v: V128, lane: number): V128 {
  const lo = dv.getInt32(a, true);
  const hi = dv.getInt32(a + 4, true);
  const w = A.set(v).i32;
  w[2 * lane] = lo;
  w[2 * lane + 1] = hi;
  return A.get();
}
function v128_store8_lane(dv: DataView, a: number, v: V128, lane: number): void {
  dv.setUint8(a, A.set(v).u8[lane]!);
}
function v128_store16_lane(dv: DataView, a: number, v: V128, lane: number): void {
  dv.setUint16(a, A.set(v).u16[lane]!, true);
}
function v128_store32_lane(dv: DataView, a: number, v: V128, lane: number): void {
  dv.setInt32(a, A.set(v).i32[lane]!, true);
}
function v128_store64_lane(dv: DataView, a: number, v: V128, lane: number): void {
  const w = A.set(v).i32;
  const lo = w[2 * lane]!;
  const hi = w[2 * lane + 1]!;
  dv.setInt32(a + 4, hi, true);
  dv.setInt32(a, lo, true);
}

/** The memory helpers, by instruction name. */
export const SIMD_MEMORY_HELPERS = {
  v128_load, v128_store, v128_load8x8_s, v128_load8x8_u, v128_load16x4_s, v128_load16x4_u,
  v128_load32x2_s, v128_load32x2_u, v128_load8_splat, v128_load16_splat, v128_load32_splat, v128_load64_splat,
  v128_load32_zero, v128_load64_zero, v128_load8_lane, v128_load16_lane, v128_load32_lane, v128_load64_lane,
  v128_store8_lane, v128_store16_lane, v128_store32_lane, v128_store64_lane,
};
