// A seeded xorshift32 for tests that draw random operands: the same seed gives the same inputs on
// every run, so a failure names values that can be replayed.

/** Signed 32-bit random words from `seed` (xorshift32: shifts 13, 17, 5). */
export function xorshift32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s | 0;
  };
}
