// Float literals of the text format, rounded exactly (ties to even) to f32 or f64 bit patterns:
// decimal and hex mantissas of any length, inf, nan and nan:0x payloads. Never via double for f32.

/** An IEEE binary format: f32 or f64. */
interface Format {
  readonly mantBits: number; // stored significand bits (23 / 52)
  readonly expBits: number; // 8 / 11
}
const F32_FORMAT: Format = { mantBits: 23, expBits: 8 };
const F64_FORMAT: Format = { mantBits: 52, expBits: 11 };

export type FloatResult = bigint | 'malformed' | 'range';

const HEX = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

/** The f32 bit pattern of a literal (as a bigint holding 32 bits), or why it is not one. */
export function parseF32(s: string): FloatResult {
  return parseFloatLiteral(s, F32_FORMAT);
}
/** The f64 bit pattern of a literal, or why it is not one. */
export function parseF64(s: string): FloatResult {
  return parseFloatLiteral(s, F64_FORMAT);
}

/**
 * Significant digits kept exactly: more than any rounding decision needs (an f64 halfway point
 * has at most 767 significant decimal digits); the rest collapse into one sticky digit.
 */
const MAX_DIGITS = 800;

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const scratch = new DataView(new ArrayBuffer(8));

/** Digits of a mantissa part: decimal or hex digits with single underscores between them. */
interface Digits {
  digits: string;
  end: number;
}
function scanDigits(s: string, i: number, hex: boolean): Digits | null {
  let digits = '';
  let last = false;
  const base = hex ? 16 : 10;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? HEX[c]! : -1;
    if (d >= 0 && d < base) {
      digits += s[i];
      last = true;
    } else if (c === 0x5f) {
      if (!last) return null;
      last = false;
    } else break;
  }
  if (!last) return digits === '' && s.charCodeAt(i - 1) !== 0x5f ? { digits, end: i } : null;
  return { digits, end: i };
}

function parseFloatLiteral(s: string, fmt: Format): FloatResult {
  let i = 0;
  let negative = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 0x2b || c0 === 0x2d) {
    negative = c0 === 0x2d;
    i = 1;
  }
  const signBit = negative ? 1n << BigInt(fmt.mantBits + fmt.expBits) : 0n;
  const expMask = ((1n << BigInt(fmt.expBits)) - 1n) << BigInt(fmt.mantBits);
  const rest = s.slice(i);
  if (rest === 'inf') return signBit | expMask;
  if (rest === 'nan') return signBit | expMask | (1n << BigInt(fmt.mantBits - 1));
  if (rest.startsWith('nan:0x')) {
    const payload = scanDigits(rest, 6, true);
    if (payload === null || payload.digits === '' || payload.end !== rest.length) return 'malformed';
    const n = BigInt('0x' + payload.digits);
    if (n < 1n || n >= 1n << BigInt(fmt.mantBits)) return 'range';
    return signBit | expMask | n;
  }
  const hex = rest.length > 2 && rest.charCodeAt(0) === 0x30 && rest.charCodeAt(1) === 0x78;
  let j = hex ? 2 : 0;
  const whole = scanDigits(rest, j, hex);
  if (whole === null || whole.digits === '') return 'malformed';
  j = whole.end;
  let frac = '';
  if (rest.charCodeAt(j) === 0x2e) {
    const f = scanDigits(rest, j + 1, hex);
    if (f === null) return 'malformed';
    frac = f.digits;
    j = f.end;
  }
  let exp = 0;
  const e = rest.charCodeAt(j);
  if (j < rest.length) {
    if (hex ? e !== 0x70 && e !== 0x50 : e !== 0x65 && e !== 0x45) return 'malformed';
    j++;
    let expNegative = false;
    const es = rest.charCodeAt(j);
    if (es === 0x2b || es === 0x2d) {
      expNegative = es === 0x2d;
      j++;
    }
    const ed = scanDigits(rest, j, false);
    if (ed === null || ed.digits === '' || ed.end !== rest.length) return 'malformed';
    // Exponents beyond any meaningful range saturate; the digit count keeps the result exact.
    exp = ed.digits.length > 12 ? 1e12 : Number(ed.digits);
    if (expNegative) exp = -exp;
  }
  let mantissaDigits = (whole.digits + frac).replace(/^0+/, '');
  let scale = frac.length;
  if (mantissaDigits.length > MAX_DIGITS) {
    // Beyond what rounding can depend on, digits only matter as "something non-zero follows".
    const sticky = /[1-9a-f]/i.test(mantissaDigits.slice(MAX_DIGITS)) ? '1' : '0';
    scale -= mantissaDigits.length - MAX_DIGITS - 1;
    mantissaDigits = mantissaDigits.slice(0, MAX_DIGITS) + sticky;
  }
  let bits: bigint | null | undefined;
  if (mantissaDigits === '') {
    bits = 0n;
  } else if (hex) {
    const e2 = exp - 4 * scale;
    bits = fastHex(mantissaDigits, e2, fmt);
    if (bits === undefined) bits = roundToFormat(BigInt('0x' + mantissaDigits), e2, 0, fmt);
  } else {
    bits = fastDecimal(mantissaDigits, exp - scale, fmt) ??
      roundToFormat(BigInt(mantissaDigits), 0, exp - scale, fmt);
  }
  if (bits === null) return 'range';
  return signBit | bits;
}

/**
 * Exact in the cases where one correctly rounded double operation on exact operands is exact
 * for f64, and where rounding that double to f32 is innocuous (53 >= 2*24 + 2); else null.
 */
function fastDecimal(digits: string, exp10: number, fmt: Format): bigint | null {
  if (digits.length > 15) return null;
  const m = Number(digits);
  const limit = fmt === F64_FORMAT ? 22 : 10;
  if (fmt === F32_FORMAT && m >= 2 ** 24) return null;
  if (exp10 < -limit || exp10 > limit) return null;
  const v = exp10 >= 0 ? m * POW10[exp10]! : m / POW10[-exp10]!;
  if (fmt === F64_FORMAT) {
    scratch.setFloat64(0, v);
    return scratch.getBigUint64(0);
  }
  scratch.setFloat32(0, v);
  return BigInt(scratch.getUint32(0));
}

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return hex.length * 4 - Math.clz32(parseInt(hex[0]!, 16)) + 28;
}

/** 2^e as a double, built from its bits (exact for -1074 <= e <= 1023). */
function pow2(e: number): number {
  if (e >= -1022) scratch.setBigUint64(0, BigInt(e + 1023) << 52n);
  else scratch.setBigUint64(0, 1n << BigInt(e + 1074));
  return scratch.getFloat64(0);
}

/**
 * Hex mantissas of at most 52 bits: m * 2^e2 is one correctly rounded double multiplication of
 * exact operands, and for f32 (m < 2^24, no f64 underflow) exact, so rounding it once to f32
 * is exact too. undefined when the fast path does not apply; null on overflow.
 */
function fastHex(digits: string, e2: number, fmt: Format): bigint | null | undefined {
  if (digits.length > 13) return undefined;
  const m = parseInt(digits, 16);
  if (fmt === F32_FORMAT) {
    if (m >= 2 ** 24 || e2 < -1000 || e2 > 1000) return undefined;
    const v = Math.fround(m * pow2(e2));
    if (v === Infinity) return null;
    scratch.setFloat32(0, v);
    return BigInt(scratch.getUint32(0));
  }
  if (e2 < -1074 || e2 > 1023) return undefined;
  const v = m * pow2(e2);
  if (v === Infinity) return null;
  scratch.setFloat64(0, v);
  return scratch.getBigUint64(0);
}

/**
 * The bits (sign excluded) of the float nearest to m * 2^e2 * 10^e10 (m > 0), ties to even;
 * null when it rounds to infinity.
 */
function roundToFormat(m: bigint, e2: number, e10: number, fmt: Format): bigint | null {
  const bias = (1 << (fmt.expBits - 1)) - 1;
  const emin = 1 - bias;
  // log2 of the value within a few units decides the hopeless cases before any big arithmetic.
  const approx = bitLength(m) + e2 + e10 * Math.log2(10);
  if (approx > bias + 4) return null;
  if (approx < emin - fmt.mantBits - 4) return 0n;
  let num = m;
  let den = 1n;
  if (e2 >= 0) num <<= BigInt(e2);
  else den <<= BigInt(-e2);
  if (e10 >= 0) num *= 10n ** BigInt(e10);
  else den *= 10n ** BigInt(-e10);
  // e = floor(log2(num / den))
  let e = bitLength(num) - bitLength(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e--;
  const ulpExp = Math.max(e, emin) - fmt.mantBits;
  let scaledNum = num;
  let scaledDen = den;
  if (ulpExp >= 0) scaledDen <<= BigInt(ulpExp);
  else scaledNum <<= BigInt(-ulpExp);
  let q = scaledNum / scaledDen;
  const twiceRem = (scaledNum - q * scaledDen) * 2n;
  if (twiceRem > scaledDen || (twiceRem === scaledDen && (q & 1n) === 1n)) q++;
  const implicit = 1n << BigInt(fmt.mantBits);
  if (q < implicit) return q; // subnormal (or rounded up into the smallest normal below)
  let biased = ulpExp + fmt.mantBits + bias;
  if (q === implicit << 1n) {
    q >>= 1n;
    biased++;
  }
  if (biased >= (1 << fmt.expBits) - 1) return null;
  return (BigInt(biased) << BigInt(fmt.mantBits)) | (q - implicit);
}
