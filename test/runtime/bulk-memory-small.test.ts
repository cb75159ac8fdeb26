// Small memory.copy and memory.init run as byte loops (runtime/helpers.ts SMALL_BULK), larger ones
// through the builtins: around that size, overlapping copies in both directions, copies at both
// ends of memory, one byte out of bounds (nothing written), and zero lengths at and past the end
// give native's bytes and traps.

import { test } from 'node:test';
import { instantiate, same, type Namespace } from '../jsapi/side-by-side.js';

const MODULE = `(module (memory (export "mem") 1)
  (data $d "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\\13\\14\\15\\16\\17\\18\\19\\1a\\1b\\1c\\1d\\1e\\1f\\20\\21\\22\\23\\24\\25\\26\\27\\28\\29\\2a\\2b\\2c\\2d\\2e\\2f\\30\\31\\32\\33\\34\\35\\36\\37\\38\\39\\3a\\3b\\3c\\3d\\3e\\3f\\40\\41\\42")
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2))))`;

const END = 65536;
const SIZES = [0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65, 66];

function pattern(bytes: Uint8Array): void {
  for (let i = 0; i < 256; i++) {
    bytes[i] = (i * 31 + 7) & 255;
    bytes[END - 256 + i] = (i * 17 + 3) & 255;
  }
}

function outcome(e: Namespace, f: () => void): string {
  const bytes = new Uint8Array(e.mem.buffer);
  pattern(bytes);
  let r = 'ok';
  try {
    f();
  } catch (err) {
    r = /out of bounds/.test((err as Error).message) ? 'trap: out of bounds' : `other: ${(err as Error).message}`;
  }
  return `${r} ${Buffer.from(bytes.subarray(0, 256)).toString('hex')} ${Buffer.from(bytes.subarray(END - 256)).toString('hex')}`;
}

test('small memory.copy: overlaps both ways, both ends, one past the end, as native', async () => {
  await same((W: Namespace) => {
    const e = instantiate(W, MODULE);
    const out: string[] = [];
    for (const n of SIZES) {
      // Overlapping in both directions by every small distance, and disjoint.
      for (const delta of [-33, -17, -9, -5, -1, 0, 1, 3, 8, 16, 31, 40, 100]) out.push(outcome(e, () => e.copy(100 + delta, 100, n)));
      // At the end: exactly fitting, one byte past (destination, source), and far past.
      for (const [d, s] of [[END - n, 0], [0, END - n], [END - n + 1, 0], [0, END - n + 1], [END - n, END - n - 1], [END - n - 1, END - n], [END, 0], [0, END], [END + 1, 0], [0, END + 1], [-1, 0], [0, -1]]) {
        out.push(outcome(e, () => e.copy(d, s, n)));
      }
    }
    out.push(outcome(e, () => e.copy(10, 20, -1)));
    return out;
  }, 'memory.copy');
});

test('small memory.init and memory.fill: segment and memory bounds, zero lengths at the end, as native', async () => {
  await same((W: Namespace) => {
    const e = instantiate(W, MODULE);
    const out: string[] = [];
    for (const n of SIZES) {
      for (const [d, s] of [[5, 0], [5, 66 - n], [5, 67 - n], [END - n, 0], [END - n + 1, 0], [END, 66], [END, 67], [END + 1, 0], [0, 66]]) {
        out.push(outcome(e, () => e.init(d, s, n)));
      }
      for (const d of [3, END - n, END - n + 1, END, END + 1]) out.push(outcome(e, () => e.fill(d, 0x1a5, n)));
    }
    return out;
  }, 'memory.init and memory.fill');
});
