// The high word of a 32x32-bit product without BigInt, from one double product: shared by i64.mul,
// the i64x2 lanes and wide arithmetic.

/** 2^-32: scaling by a power of two is exact, so `(x * TWO_M32) | 0` is floor(x / 2^32) for 0 <= x < 2^53. */
export const TWO_M32 = '2.3283064365386963e-10';

/**
 * The high word of the unsigned 64-bit product of two int32 words, given as unsigned expressions
 * `ua` and `ub`, and `lo`, the low word `Math.imul(a, b)` (a simple name). The double product is
 * within 2^11 of the exact one; taking away the low word biased by 2^31 leaves (high + 0.5) * 2^32
 * give or take 2^12, so truncation cannot cross an integer.
 */
export function mulHighU(ua: string, ub: string, lo: string): string {
  return `(((${ua} * ${ub} - (${lo} ^ -2147483648)) * ${TWO_M32}) | 0)`;
}

/**
 * The high word of the signed 64-bit product of int32 words `a` and `b` (simple), given `lo` as
 * above. The quotient is high + 0.5 with high in [-2^30, 2^30]; adding 2^32 makes it positive,
 * so truncation rounds down, and ToInt32 takes the 2^32 off again.
 */
export function mulHighS(a: string, b: string, lo: string): string {
  return `(((${a} * ${b} - (${lo} ^ -2147483648)) * ${TWO_M32} + 4294967296) | 0)`;
}
