// The initial memory image: active data segments with constant offsets laid out once per module
// in one Uint8Array, so instantiating a fresh memory is one `set` instead of one copy per segment.

import type { ConstExpr, ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';

export interface DataImage {
  /** Address of image[0] in the memory. */
  readonly base: number;
  readonly bytes: Uint8Array;
  /** The highest end of any segment (empty ones included): the image applies only if it fits. */
  readonly end: number;
}

/**
 * A constant offset expression's value (i32.const or i64.const alone, read unsigned), or null;
 * Infinity for an i64 offset past 2^53 - 1, which no memory reaches (a double would round it, and
 * 2^64 - 1 rounded is 2^64, whose low 64 bits are 0).
 */
export function constantOffset(module: ModuleInfo, expr: ConstExpr): number | null {
  const r = new ByteReader(module.bytes, expr.start, expr.end);
  const op = r.u8();
  let v: number;
  if (op === Op.I32Const) v = r.s32() >>> 0;
  else if (op === Op.I64Const) {
    r.s64();
    v = r.hi >>> 0 >= 2 ** 21 ? Infinity : (r.hi >>> 0) * 2 ** 32 + (r.lo >>> 0);
  } else return null;
  return r.pos === r.end ? v : null;
}

/**
 * Images for the defined memories whose active segments all have constant offsets. Imported
 * memories get none: their existing contents between segments must stay.
 */
export function layoutDataImages(module: ModuleInfo): Map<number, DataImage> {
  const images = new Map<number, DataImage>();
  for (let m = module.numImportedMemories; m < module.memories.length; m++) {
    const segs = module.datas.filter((d) => d.mode === 'active' && d.memory === m);
    if (segs.length === 0) continue;
    const offsets = segs.map((d) => constantOffset(module, d.offset!));
    // A segment past 2^53 traps; instantiation finds that segment by segment.
    if (offsets.some((o) => o === null || o === Infinity)) continue;
    let lo = Infinity;
    let hi = 0;
    let end = 0;
    segs.forEach((d, i) => {
      end = Math.max(end, offsets[i]! + d.data.length);
      if (d.data.length === 0) return;
      lo = Math.min(lo, offsets[i]!);
      hi = Math.max(hi, offsets[i]! + d.data.length);
    });
    if (lo === Infinity) {
      lo = 0;
      hi = 0;
    }
    if (hi - lo > 2 ** 31) continue;
    const bytes = new Uint8Array(hi - lo);
    segs.forEach((d, i) => {
      if (d.data.length > 0) bytes.set(d.data, offsets[i]! - lo);
    });
    images.set(m, { base: lo, bytes, end });
  }
  return images;
}
