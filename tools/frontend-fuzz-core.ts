// The pieces of the front-end fuzzer shared by the command and the test: a seeded PRNG, the
// mutations (random bytes, truncation, bit/byte flips, splices) and the one-input oracle.

import { CompileError } from '../src/core/errors.js';
import type { WasmFeatures } from '../src/core/features.js';
import { decodeModule } from '../src/binary/decoder.js';
import { validateModule } from '../src/validate/index.js';

/** xorshift32: small, fast and reproducible from one 32-bit seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.next() % n;
  }
}

const INTERESTING = [0x00, 0x01, 0x0b, 0x40, 0x41, 0x7f, 0x80, 0xff, 0x6f, 0x70, 0x63, 0x64, 0xfb, 0xfc, 0xfd, 0xfe];

/** One mutated input derived from `base` (or pure random bytes). */
export function mutate(rng: Rng, base: Uint8Array): Uint8Array {
  const kind = rng.below(10);
  if (kind === 0 || base.length === 0) {
    const out = new Uint8Array(rng.below(64));
    for (let i = 0; i < out.length; i++) out[i] = rng.below(256);
    // Half of the random inputs keep a valid header so the decoder gets past it.
    if (rng.below(2) === 0 && out.length >= 8) out.set([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    return out;
  }
  if (kind === 1) return base.slice(0, rng.below(base.length));
  const out = base.slice();
  if (kind === 8) return insertLeb(rng, out);
  const edits = 1 + rng.below(kind === 9 ? 16 : 3);
  for (let e = 0; e < edits; e++) {
    const at = rng.below(out.length);
    switch (rng.below(4)) {
      case 0: out[at] = out[at]! ^ (1 << rng.below(8)); break;
      case 1: out[at] = rng.below(256); break;
      case 2: out[at] = INTERESTING[rng.below(INTERESTING.length)]!; break;
      default: {
        // Copy a short run from elsewhere in the module (splices instruction-like byte patterns).
        const from = rng.below(out.length);
        const n = Math.min(1 + rng.below(8), out.length - Math.max(at, from));
        out.copyWithin(at, from, from + n);
      }
    }
  }
  return out;
}

/** Inserts a large or overlong LEB128 at a random place (counts, indices, immediates). */
function insertLeb(rng: Rng, base: Uint8Array): Uint8Array {
  const lebs = [[0xff, 0xff, 0xff, 0xff, 0x0f], [0x80, 0x80, 0x80, 0x80, 0x00], [0xff, 0xff, 0x03], [0x80, 0x80, 0x80, 0x80, 0x80, 0x00]];
  const leb = lebs[rng.below(lebs.length)]!;
  const at = rng.below(base.length + 1);
  const drop = rng.below(2);
  const out = new Uint8Array(base.length + leb.length - Math.min(drop, base.length - at));
  out.set(base.subarray(0, at));
  out.set(leb, at);
  out.set(base.subarray(at + Math.min(drop, base.length - at)), at + leb.length);
  return out;
}

export type Outcome = 'accepted' | 'rejected';

/**
 * Decodes and validates one input; any exception other than CompileError propagates, and so does
 * a CompileError that does not say at which byte offset the module went wrong.
 */
export function runOne(bytes: Uint8Array, features: WasmFeatures): Outcome {
  try {
    validateModule(decodeModule(bytes, features), features);
    return 'accepted';
  } catch (e) {
    if (e instanceof CompileError && e.offset >= 0) return 'rejected';
    if (e instanceof CompileError) throw new Error(`a CompileError without a byte offset: ${e.message}`);
    throw e;
  }
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
