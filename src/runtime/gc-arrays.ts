// Array allocation and the bulk array instructions (array.new*, fill, copy, init_data, init_elem)
// for generated code and constant expressions. Element reads and writes are inline in generated code.

import { f32FromBits, f64FromHalves } from './float-bits.js';
import { boxesNaNs } from '../core/nan-boxing.js';
import { ElemKind, GcArray, type ArrayStore, type Rtt } from './gc-types.js';
import { trapAllocation, trapArrayBounds, trapNullArray } from './gc-traps.js';
import { V128_ZERO, v128FromBytes } from './simd-value.js';
import { trapMemory, trapTable } from './traps.js';

/** Bytes per element in a data segment, by ElemKind. */
const DATA_SIZE = [1, 2, 4, 8, 4, 8, 16, 0];

/**
 * Limits on one array, an implementation's limits as the spec allows: a reference or v128 array
 * (a JS Array) holds at most 2^25 elements; any other at most 2 GiB of elements. Past 2^25, V8
 * makes `new Array(n)` a dictionary (filling 2^25 + 1 elements took 5 s, 2^26 16 s, against 0.14 s
 * for 2^25), and near its backing-store limit (2^27 - 2) the allocation ran the heap out and ended
 * the process. Typed arrays beyond physical memory would otherwise "succeed" (V8 reserves them
 * lazily) and fail later, when touched.
 */
const MAX_ARRAY = 2 ** 25;
const MAX_BYTES = 2 ** 31;
const BYTES = [1, 2, 4, 8, 8, 8, 16, 8];

/** A new array of `n` (unsigned) elements of its type's default value. */
export function arrayAlloc(t: Rtt, n: number): GcArray {
  if (n * BYTES[t.elem]! > MAX_BYTES || ((t.elem === ElemKind.Ref || t.elem === ElemKind.V128) && n > MAX_ARRAY)) trapAllocation();
  try {
    switch (t.elem) {
      case ElemKind.I8: return new GcArray(t, new Uint8Array(n), null);
      case ElemKind.I16: return new GcArray(t, new Uint16Array(n), null);
      case ElemKind.I32: return new GcArray(t, new Int32Array(n), null);
      case ElemKind.I64: return new GcArray(t, new Int32Array(n), new Int32Array(n));
      // Where floats may be NaNBoxes a plain array keeps them (a Float64Array would make them NaN).
      case ElemKind.F32: case ElemKind.F64: return new GcArray(t, boxesNaNs() ? new Array<number>(n).fill(0) : new Float64Array(n), null);
      case ElemKind.V128: return new GcArray(t, new Array(n).fill(V128_ZERO), null);
      case ElemKind.Ref: return new GcArray(t, new Array(n).fill(null), null);
    }
  } catch (e) {
    // Memory the platform cannot give: Wasmtime's "allocation too large".
    if (e instanceof RangeError) trapAllocation();
    throw e;
  }
}

/** array.new: `n` copies of v (vh: the high half of an i64). */
export function arrayNew(t: Rtt, v: unknown, vh: number, n: number): GcArray {
  const x = arrayAlloc(t, n);
  if (n > 0) fillStore(x, 0, v, vh, n);
  return x;
}

function fillStore(x: GcArray, d: number, v: unknown, vh: number, n: number): void {
  if (x.$t.elem === ElemKind.Ref || x.$t.elem === ElemKind.V128) {
    (x.a as unknown[]).fill(v, d, d + n);
    return;
  }
  (x.a as Int32Array).fill(v as number, d, d + n);
  if (x.h !== null) x.h.fill(vh, d, d + n);
}

/** Reads `n` elements of kind `k` from `bytes` at `s` into x's store at `d` (little-endian, exact bits). */
function readData(x: GcArray, d: number, bytes: Uint8Array, s: number, n: number): void {
  const k = x.$t.elem;
  const a = x.a;
  if (k === ElemKind.I8) {
    (a as Uint8Array).set(bytes.subarray(s, s + n), d);
    return;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let j = 0; j < n; j++) {
    switch (k) {
      case ElemKind.I16: (a as Uint16Array)[d + j] = dv.getUint16(s + 2 * j, true); break;
      case ElemKind.I32: (a as Int32Array)[d + j] = dv.getInt32(s + 4 * j, true); break;
      case ElemKind.I64:
        (a as Int32Array)[d + j] = dv.getInt32(s + 8 * j, true);
        x.h![d + j] = dv.getInt32(s + 8 * j + 4, true);
        break;
      // Through the bits: DataView's float reads may quiet signalling NaNs.
      case ElemKind.F32: (a as Float64Array)[d + j] = f32FromBits(dv.getInt32(s + 4 * j, true)); break;
      case ElemKind.F64: (a as Float64Array)[d + j] = f64FromHalves(dv.getInt32(s + 8 * j, true), dv.getInt32(s + 8 * j + 4, true)); break;
      case ElemKind.V128: (a as unknown[])[d + j] = v128FromBytes(bytes.subarray(s + 16 * j, s + 16 * j + 16)); break;
    }
  }
}

/** array.new_data: `n` elements from data segment `seg` at byte `s`. */
export function arrayNewData(t: Rtt, datas: readonly (Uint8Array | null)[], seg: number, s: number, n: number): GcArray {
  const bytes = datas[seg] ?? EMPTY_BYTES;
  if (s + n * DATA_SIZE[t.elem]! > bytes.length) trapMemory();
  const x = arrayAlloc(t, n);
  readData(x, 0, bytes, s, n);
  return x;
}

/** array.new_elem: `n` references from element segment `seg` at `s`. */
export function arrayNewElem(t: Rtt, elems: readonly (unknown[] | null)[], seg: number, s: number, n: number): GcArray {
  const src = elems[seg] ?? EMPTY;
  if (s + n > src.length) trapTable();
  const x = arrayAlloc(t, n);
  const a = x.a as unknown[];
  for (let j = 0; j < n; j++) a[j] = src[s + j];
  return x;
}

/** array.len. */
export function arrayLen(x: GcArray | null): number {
  if (x === null) trapNullArray();
  return x.a.length;
}

/** array.fill: elements [d, d + n) become v. */
export function arrayFill(x: GcArray | null, d: number, v: unknown, vh: number, n: number): void {
  if (x === null) trapNullArray();
  if (d + n > x.a.length) trapArrayBounds();
  if (n > 0) fillStore(x, d, v, vh, n);
}

/** array.copy: elements [s, s + n) of src to [d, d + n) of dst, as if through a temporary buffer. */
export function arrayCopy(dst: GcArray | null, d: number, src: GcArray | null, s: number, n: number): void {
  if (dst === null || src === null) trapNullArray();
  if (d + n > dst.a.length || s + n > src.a.length) trapArrayBounds();
  if (n === 0) return;
  copyStore(dst.a, d, src.a, s, n);
  if (dst.h !== null) copyStore(dst.h, d, src.h!, s, n);
}

function copyStore(dst: ArrayStore, d: number, src: ArrayStore, s: number, n: number): void {
  if (dst === src) {
    dst.copyWithin(d, s, s + n);
  } else if (Array.isArray(dst)) {
    for (let j = 0; j < n; j++) dst[d + j] = (src as unknown[])[s + j];
  } else {
    (dst as Int32Array).set((src as Int32Array).subarray(s, s + n), d);
  }
}

/** array.init_data: elements [d, d + n) from data segment `seg` at byte `s`. */
export function arrayInitData(x: GcArray | null, d: number, datas: readonly (Uint8Array | null)[], seg: number, s: number, n: number): void {
  if (x === null) trapNullArray();
  if (d + n > x.a.length) trapArrayBounds();
  const bytes = datas[seg] ?? EMPTY_BYTES;
  if (s + n * DATA_SIZE[x.$t.elem]! > bytes.length) trapMemory();
  if (n > 0) readData(x, d, bytes, s, n);
}

/** array.init_elem: elements [d, d + n) from element segment `seg` at `s`. */
export function arrayInitElem(x: GcArray | null, d: number, elems: readonly (unknown[] | null)[], seg: number, s: number, n: number): void {
  if (x === null) trapNullArray();
  if (d + n > x.a.length) trapArrayBounds();
  const src = elems[seg] ?? EMPTY;
  if (s + n > src.length) trapTable();
  const a = x.a as unknown[];
  for (let j = 0; j < n; j++) a[d + j] = src[s + j];
}

const EMPTY: readonly unknown[] = [];
const EMPTY_BYTES = new Uint8Array(0);
