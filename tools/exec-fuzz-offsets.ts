// The execution fuzzer's check of trap backtraces' wasm offsets (FrameInfo.moduleOffset): every
// frame sits at an instruction of the module, the innermost at one that can raise the trap's code,
// every other at a call.

import type { FrameInfo } from '../src/core/errors.js';
import { WASM3_FEATURES, withFeatures } from '../src/core/features.js';
import { decodeModule } from '../src/binary/decoder.js';
import { readOpcode, skipImmediates } from '../src/binary/instructions.js';
import { ByteReader } from '../src/binary/reader.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** First bytes of the instructions that can raise each trap code (prefixed ones by their prefix). */
const RAISED_BY: Readonly<Record<string, readonly number[]>> = {
  IntegerDivisionByZero: [0x6d, 0x6e, 0x6f, 0x70, 0x7f, 0x80, 0x81, 0x82],
  IntegerOverflow: [0x6d, 0x7f, ...range(0xa8, 0xb1)],
  BadConversionToInteger: range(0xa8, 0xb1),
  MemoryOutOfBounds: [...range(0x28, 0x3e), 0xfc, 0xfd, 0xfe],
  TableOutOfBounds: [0x11, 0x13, 0x25, 0x26, 0xfc],
  IndirectCallToNull: [0x11, 0x13],
  BadSignature: [0x11, 0x13],
  UnreachableCodeReached: [0x00],
  NullReference: [0x14, 0x15, 0xd4, 0xd6, 0xfb],
  HeapMisaligned: [0xfe],
};
const CALLS: ReadonlySet<number> = new Set([0x10, 0x11, 0x12, 0x13, 0x14, 0x15]);

const boundaries = new WeakMap<Uint8Array, ReadonlySet<number>>();

/** Offsets of every instruction of every function body. */
function instructionStarts(bytes: Uint8Array): ReadonlySet<number> {
  let starts = boundaries.get(bytes);
  if (starts === undefined) {
    const features = withFeatures(WASM3_FEATURES, { threads: true });
    const set = new Set<number>();
    for (const body of decodeModule(bytes, features).codes) {
      const r = new ByteReader(bytes, body.code.start, body.code.end);
      while (r.pos < r.end) {
        set.add(r.pos);
        skipImmediates(r, readOpcode(r, features));
      }
    }
    boundaries.set(bytes, set);
    starts = set;
  }
  return starts;
}

/** What is wrong with a trap's frames' offsets, or null. */
export function frameOffsetProblem(bytes: Uint8Array, code: string, frames: readonly FrameInfo[]): string | null {
  const starts = instructionStarts(bytes);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    const at = f.moduleOffset;
    if (at === null) return `frame ${i} (function ${f.funcIndex}) has no offset`;
    const where = `frame ${i} (function ${f.funcIndex}) at 0x${at.toString(16)} (opcode 0x${bytes[at]?.toString(16)})`;
    if (!starts.has(at)) return `${where} is not at an instruction`;
    if (i > 0 && !CALLS.has(bytes[at]!)) return `${where} is not at a call`;
    const raisers = RAISED_BY[code];
    if (i === 0 && raisers !== undefined && !raisers.includes(bytes[at]!)) return `${where} cannot raise ${code}`;
  }
  return null;
}
