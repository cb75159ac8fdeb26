// Run-time state written back as module binary: memory types at their current size, active data
// segments, and global values as constant expressions. A pre-initialised module (src/wizer) and a
// coredump (api/coredump.ts) are both made of these.

import { Op } from '../binary/op.js';
import { F32, F64, I32, I64, V128 as V128_TYPE, type MemoryType, type ValType } from '../core/types.js';
import { ByteWriter } from '../text/writer.js';
import { f32ToBits, f64HighOfLast, f64LowBits } from './float-bits.js';
import type { GlobalObject } from './global.js';
import { V128 } from './simd-value.js';

/** The ids of the sections these modules write. */
export const SECTION = { custom: 0, memory: 5, global: 6, export: 7, start: 8, code: 10, data: 11, dataCount: 12 } as const;

/** A section: its id, then `body` with its size. */
export function writeSection(out: ByteWriter, id: number, body: Uint8Array): void {
  out.byte(id);
  out.vec(body);
}

/** A memory type whose minimum is `pages` (the memory's current size), its other fields as declared. */
export function writeMemoryType(w: ByteWriter, t: MemoryType, pages: number): void {
  const max = t.limits.max;
  w.byte((max !== null ? 0x01 : 0) | (t.shared ? 0x02 : 0) | (t.address64 ? 0x04 : 0) | (t.pageSizeLog2 !== 16 ? 0x08 : 0));
  w.u64(BigInt(pages));
  if (max !== null) w.u64(BigInt(max));
  if (t.pageSizeLog2 !== 16) w.u32(t.pageSizeLog2);
}

/** An active data segment writing `bytes` at `offset` of memory `memory` (of address type i64 when `address64`). */
export function writeActiveData(w: ByteWriter, memory: number, address64: boolean, offset: number, bytes: Uint8Array): void {
  if (memory === 0 && !address64) w.byte(0x00);
  else {
    w.byte(0x02);
    w.u32(memory);
  }
  if (address64) {
    w.byte(0x42);
    w.s64(BigInt(offset));
  } else {
    w.byte(0x41);
    w.s32(offset | 0);
  }
  w.byte(Op.End);
  w.vec(bytes);
}

/**
 * The instruction of a constant expression (without its `end`) producing the value of a global of
 * type `type`; false, writing nothing, for a reference type, whose value no constant instruction
 * but ref.null can produce.
 */
export function writeValueConst(w: ByteWriter, type: ValType, global: GlobalObject): boolean {
  const cell = global.cell;
  if (type === I32) {
    w.byte(0x41);
    w.s32((cell as Int32Array)[0]!);
  } else if (type === I64) {
    const c = cell as Int32Array;
    w.byte(0x42);
    w.s64((BigInt(c[1]!) << 32n) | BigInt(c[0]! >>> 0));
  } else if (type === F32) {
    w.byte(0x43);
    w.u32le(f32ToBits((cell as ArrayLike<number>)[0]!));
  } else if (type === F64) {
    w.byte(0x44);
    // The cell may hold a NaNBox (core/nan-boxing.ts): its bits, not a double's, are the value.
    const lo = f64LowBits((cell as ArrayLike<number>)[0]!);
    w.u32le(lo >>> 0);
    w.u32le(f64HighOfLast() >>> 0);
  } else if (type === V128_TYPE) {
    const v = (cell as { 0: unknown })[0] as V128;
    w.byte(0xfd);
    w.u32(12);
    for (const word of [v.w0, v.w1, v.w2, v.w3]) w.u32le(word);
  } else {
    return false;
  }
  return true;
}
