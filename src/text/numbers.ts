// Integer literals of the text format: decimal or 0x-hex digits with single underscores between
// digits, an optional sign, and range checks for u32, u64, i8..i64 and s33.

/** A parsed integer literal: its sign as written and its magnitude. */
export interface IntLiteral {
  readonly sign: '' | '+' | '-';
  readonly magnitude: bigint;
}

const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

/**
 * The value of an unsigned decimal or hex literal s[start, end) when it is below 2^53, -1 when it
 * is malformed and -2 when it is larger (use parseBigMagnitude then). 2^53 itself counts as
 * larger: 2^53 + 1 accumulates to the same double, so only a value below 2^53 is known exact.
 */
export function smallMagnitude(s: string, start: number, end: number): number {
  let hex = false;
  let i = start;
  if (end - i > 2 && s.charCodeAt(i) === 0x30 && s.charCodeAt(i + 1) === 0x78) {
    hex = true;
    i += 2;
  }
  if (i === end) return -1;
  const base = hex ? 16 : 10;
  let value = 0;
  let lastWasDigit = false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? HEX[c]! : -1;
    if (d >= 0 && d < base) {
      value = value * base + d;
      lastWasDigit = true;
    } else if (c === 0x5f && lastWasDigit) {
      lastWasDigit = false;
    } else {
      return -1;
    }
  }
  if (!lastWasDigit) return -1;
  return value >= 2 ** 53 ? -2 : value;
}

/** Like smallMagnitude but exact for any size; null when malformed. */
export function parseBigMagnitude(s: string, start: number, end: number): bigint | null {
  let i = start;
  let prefix = '';
  if (end - i > 2 && s.charCodeAt(i) === 0x30 && s.charCodeAt(i + 1) === 0x78) {
    prefix = '0x';
    i += 2;
  }
  const base = prefix ? 16 : 10;
  if (i === end) return null;
  let digits = '';
  let lastWasDigit = false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? HEX[c]! : -1;
    if (d >= 0 && d < base) {
      digits += s[i];
      lastWasDigit = true;
    } else if (c === 0x5f && lastWasDigit) {
      lastWasDigit = false;
    } else {
      return null;
    }
  }
  if (!lastWasDigit) return null;
  return BigInt(prefix + digits);
}

/** Parses an optionally signed integer literal; null when it is not one. */
export function parseIntLiteral(s: string): IntLiteral | null {
  let start = 0;
  let sign: IntLiteral['sign'] = '';
  const c = s.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) {
    sign = c === 0x2b ? '+' : '-';
    start = 1;
  }
  const small = smallMagnitude(s, start, s.length);
  if (small >= 0) return { sign, magnitude: BigInt(small) };
  if (small === -1) return null;
  const big = parseBigMagnitude(s, start, s.length);
  return big === null ? null : { sign, magnitude: big };
}

/** Outcome of a range check: the value, or why it failed. */
export const MALFORMED = -1;
export const OUT_OF_RANGE = -2;

/** An unsigned 32-bit literal (no sign allowed): the value, MALFORMED or OUT_OF_RANGE. */
export function parseU32(s: string): number {
  const c = s.charCodeAt(0);
  if (!(c >= 0x30 && c <= 0x39)) return MALFORMED;
  const v = smallMagnitude(s, 0, s.length);
  if (v === -1) return MALFORMED;
  if (v === -2 || v > 0xffffffff) return OUT_OF_RANGE;
  return v;
}

/** An unsigned 64-bit literal: the value, or null when malformed; throws nothing. */
export function parseU64(s: string): bigint | 'malformed' | 'range' {
  const c = s.charCodeAt(0);
  if (!(c >= 0x30 && c <= 0x39)) return 'malformed';
  const v = smallMagnitude(s, 0, s.length);
  if (v >= 0) return BigInt(v);
  if (v === -1) return 'malformed';
  const big = parseBigMagnitude(s, 0, s.length);
  if (big === null) return 'malformed';
  return big >= 1n << 64n ? 'range' : big;
}

/**
 * An N-bit integer literal (iN of the spec: unsigned, or signed with a sign) as its unsigned
 * N-bit pattern. As the reference interpreter, `+n` accepts the unsigned range and `-n` needs
 * n <= 2^(N-1).
 */
export function parseIntN(s: string, bits: number): bigint | 'malformed' | 'range' {
  const lit = parseIntLiteral(s);
  if (lit === null) return 'malformed';
  const m = lit.magnitude;
  if (lit.sign === '-') {
    if (m > 1n << BigInt(bits - 1)) return 'range';
    return m === 0n ? 0n : (1n << BigInt(bits)) - m;
  }
  if (m >= 1n << BigInt(bits)) return 'range';
  return m;
}

/** An i32 literal as an unsigned 32-bit number; fast for the common small decimal case. */
export function parseI32(s: string): number | 'malformed' | 'range' {
  let start = 0;
  const c = s.charCodeAt(0);
  const negative = c === 0x2d;
  if (negative || c === 0x2b) start = 1;
  const v = smallMagnitude(s, start, s.length);
  if (v === -1) return 'malformed';
  if (v === -2) return 'range';
  if (negative) {
    if (v > 0x80000000) return 'range';
    return (0x100000000 - v) % 0x100000000;
  }
  return v > 0xffffffff ? 'range' : v;
}

/** Whether a token looks like an integer literal (digits, sign, 0x...), for error wording. */
export function looksNumeric(s: string): boolean {
  const c = s.charCodeAt(s.charCodeAt(0) === 0x2b || s.charCodeAt(0) === 0x2d ? 1 : 0);
  return c >= 0x30 && c <= 0x39;
}
