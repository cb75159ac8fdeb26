// Unsigned 64-bit division and remainder of two int32 pairs without BigInt: the slow path of
// i64.div_u/rem_u (and, on magnitudes, div_s/rem_s) for divisors the generated code's inline path
// does not take. Every intermediate is an integer below 2^53, so double arithmetic is exact.

const TWO16 = 65536;
const TWO32 = 4294967296;

/** The result of udivmod64: quotient and remainder as unsigned 32-bit halves (plain numbers). */
export const QR = { ql: 0, qh: 0, rl: 0, rh: 0 };

/**
 * (ah:al) divided by (bh:bl), both unsigned, the divisor not 0, into QR. A divisor below 2^32
 * divides the dividend 16 bits at a time (each step's dividend below 2^48); a larger one leaves a
 * quotient below 2^32, which a double division estimates within one, corrected with the exact
 * remainder.
 */
export function udivmod64(al: number, ah: number, bl: number, bh: number): void {
  const a0 = al >>> 0, a1 = ah >>> 0, b0 = bl >>> 0, b1 = bh >>> 0;
  if (b1 === 0) {
    const q1 = Math.floor(a1 / b0);
    let r = a1 - q1 * b0;
    const x = r * TWO16 + (a0 >>> 16);
    const qa = Math.floor(x / b0);
    r = x - qa * b0;
    const y = r * TWO16 + (a0 & 0xffff);
    const qb = Math.floor(y / b0);
    QR.ql = qa * TWO16 + qb;
    QR.qh = q1;
    QR.rl = y - qb * b0;
    QR.rh = 0;
    return;
  }
  // The quotient is below 2^32; clamp an estimate rounded up to it.
  let q = Math.min(Math.floor((a1 * TWO32 + a0) / (b1 * TWO32 + b0)), TWO32 - 1);
  // q * b exactly: its low word and its high part (below 2^34, since q * b1 stays near a1).
  const qHi = Math.floor(q / TWO16), qLo = q - qHi * TWO16;
  const t = qHi * b0; // below 2^48
  const tHi = Math.floor(t / TWO16);
  const s = (t - tHi * TWO16) * TWO16 + qLo * b0; // below 2^49
  const sHi = Math.floor(s / TWO32);
  const pl = s - sHi * TWO32;
  const ph = tHi + sHi + q * b1;
  // r = a - q * b as a word and a signed high part; the estimate is off by at most one either way.
  let rl = a0 - pl;
  let rh = a1 - ph;
  if (rl < 0) { rl += TWO32; rh -= 1; }
  while (rh < 0) {
    q -= 1;
    rl += b0;
    rh += b1;
    if (rl >= TWO32) { rl -= TWO32; rh += 1; }
  }
  while (rh > b1 || (rh === b1 && rl >= b0)) {
    q += 1;
    rl -= b0;
    rh -= b1;
    if (rl < 0) { rl += TWO32; rh -= 1; }
  }
  QR.ql = q;
  QR.qh = 0;
  QR.rl = rl;
  QR.rh = rh;
}
