// Numeric literals: integer ranges and forms, and floats rounded exactly (ties to even) to f32
// and f64, checked against known answers and an independent rational-arithmetic reference.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseF32, parseF64 } from '../../src/text/floats.js';
import { parseI32, parseIntN, parseU32, parseU64, MALFORMED, OUT_OF_RANGE } from '../../src/text/numbers.js';
import { rng } from '../../tools/text-fuzz.js';

const hex = (v: unknown) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v);

test('integer literal forms and ranges', () => {
  assert.equal(parseI32('0'), 0);
  assert.equal(parseI32('-1'), 0xffffffff);
  assert.equal(parseI32('4_294_967_295'), 0xffffffff);
  assert.equal(parseI32('-0x8000_0000'), 0x80000000);
  assert.equal(parseI32('-2147483649'), 'range');
  assert.equal(parseI32('4294967296'), 'range');
  assert.equal(parseI32('+0x7fffffff'), 0x7fffffff);
  for (const bad of ['', '_1', '1_', '1__0', '0x', '0x_1', '1x', '--1', '0xg', '1.0']) assert.equal(parseI32(bad), 'malformed', bad);
  assert.equal(parseIntN('-0x8000000000000000', 64), 0x8000000000000000n);
  assert.equal(parseIntN('18446744073709551615', 64), 0xffffffffffffffffn);
  assert.equal(parseIntN('18446744073709551616', 64), 'range');
  assert.equal(parseIntN('-129', 8), 'range');
  assert.equal(parseIntN('255', 8), 255n);
  assert.equal(parseU32('0xffffffff'), 0xffffffff);
  assert.equal(parseU32('0x1_0000_0000'), OUT_OF_RANGE);
  assert.equal(parseU32('-1'), MALFORMED);
  assert.equal(parseU64('0xffff_ffff_ffff_ffff'), 0xffffffffffffffffn);
  assert.equal(parseU64('0x1_0000_0000_0000_0000'), 'range');
  // Around 2^53, where a double stops counting every integer (found by printing and re-parsing
  // the execution fuzzer's modules: i64.const 9007199254740993 came back as ...992).
  for (const [text, value] of [['9007199254740991', 2n ** 53n - 1n], ['9007199254740992', 2n ** 53n], ['9007199254740993', 2n ** 53n + 1n],
    ['0x20000000000001', 2n ** 53n + 1n], ['9_007_199_254_740_995', 2n ** 53n + 3n]] as const) {
    assert.equal(parseIntN(text, 64), value, text);
    assert.equal(parseIntN(`-${text}`, 64), 2n ** 64n - value, `-${text}`);
    assert.equal(parseU64(text), value, text);
  }
});

test('float known answers: boundaries, subnormals, ties, NaN payloads', () => {
  const f32: [string, bigint | string][] = [
    ['0', 0n], ['-0', 0x80000000n], ['1', 0x3f800000n], ['0.1', 0x3dcccccdn], ['1.', 0x3f800000n],
    ['0x1p-149', 1n], ['0x1p-150', 0n], ['0x1.000001p-150', 1n], ['0x1.8p-149', 2n], ['1.4e-45', 1n], ['7e-46', 0n],
    ['0x1.fffffep127', 0x7f7fffffn], ['0x1.fffffefffffff8000000p127', 0x7f7fffffn], ['0x1.ffffffp127', 'range'],
    ['340282356779733623858607532500980858880', 0x7f7fffffn], ['340282356779733661637539395458142568448', 'range'],
    ['1e38', 0x7e967699n], ['1e39', 'range'], ['+0x1.00000100000000001p-50', 0x26800001n],
    ['+0x1.00000100000000000p-50', 0x26800000n], ['0x1.000003p0', 0x3f800002n],
    // Double rounding trap: rounds to the f64 midpoint first, then down; exact rounding goes up.
    ['1.00000005960464477550', 0x3f800001n],
    ['inf', 0x7f800000n], ['-inf', 0xff800000n], ['nan', 0x7fc00000n], ['-nan', 0xffc00000n],
    ['nan:0x1', 0x7f800001n], ['nan:0x7fffff', 0x7fffffffn], ['nan:0x800000', 'range'], ['nan:0x0', 'range'],
    ['1_000.5', 0x447a2000n], ['0x1_0p0', 0x41800000n],
    ['1__0', 'malformed'], ['0x.1', 'malformed'], ['.5', 'malformed'], ['1e', 'malformed'], ['1._0', 'malformed'],
    ['0x1p', 'malformed'], ['nan:1', 'malformed'], ['infinity', 'malformed'],
  ];
  for (const [text, want] of f32) assert.equal(hex(parseF32(text)), hex(want), `f32 ${text}`);
  const f64: [string, bigint | string][] = [
    ['0.1', 0x3fb999999999999an], ['1e308', 0x7fe1ccf385ebc8a0n], ['1e309', 'range'],
    ['0x1.fffffffffffff8p1023', 'range'], ['0x1.fffffffffffff7ffffffp1023', 0x7fefffffffffffffn],
    ['0x1p-1074', 1n], ['0x1p-1075', 0n], ['0x1.0000000000001p-1075', 1n], ['4.9e-324', 1n], ['2.4e-324', 0n],
    ['2.2250738585072011e-308', 0x000fffffffffffffn], ['1.7976931348623157e308', 0x7fefffffffffffffn],
    // wasm-tools gets this one wrong (…4660): the digits after the 53rd bit are 0x804/0x1000 > 1/2.
    ['0x12f037b54c466.0804p655', 0x6be2f037b54c4661n],
    ['nan:0xfffffffffffff', 0x7fffffffffffffffn], ['nan:0x10000000000000', 'range'],
  ];
  for (const [text, want] of f64) assert.equal(hex(parseF64(text)), hex(want), `f64 ${text}`);
});

/** Exact reference: parse to a rational with BigInt, then round by comparing integers. */
function reference(text: string, mantBits: number, expBits: number): bigint | 'range' {
  const plain = text.replace(/_/g, '');
  const m = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(plain) ??
    /^([+-]?)()([0-9]+)(?:\.([0-9]*))?(?:e([+-]?\d+))?$/i.exec(plain)!;
  const isHex = m[2] !== '';
  const neg = m[1] === '-';
  const whole = isHex ? m[2]! : m[3]!;
  const frac = (isHex ? m[3] : m[4]) ?? '';
  const exp = BigInt((isHex ? m[4] : m[5]) ?? '0');
  let num = BigInt((isHex ? '0x' : '') + whole + frac);
  let den = (isHex ? 16n : 10n) ** BigInt(frac.length);
  const scale = isHex ? 2n : 10n;
  if (exp >= 0n) num *= scale ** exp;
  else den *= scale ** -exp;
  const sign = neg ? 1n << BigInt(mantBits + expBits) : 0n;
  if (num === 0n) return sign;
  const bias = (1 << (expBits - 1)) - 1;
  // k with 2^k <= num/den < 2^(k+1)
  const atLeast = (j: number) => (j >= 0 ? num >= den << BigInt(j) : num << BigInt(-j) >= den);
  let k = num.toString(2).length - den.toString(2).length;
  while (!atLeast(k)) k--;
  while (atLeast(k + 1)) k++;
  const ulp = Math.max(k, 1 - bias) - mantBits;
  const n = ulp >= 0 ? num : num << BigInt(-ulp);
  const d = ulp >= 0 ? den << BigInt(ulp) : den;
  let q = n / d;
  const r2 = (n % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q++;
  const top = 1n << BigInt(mantBits);
  if (q < top) return sign | q;
  let biased = BigInt(ulp + mantBits + bias);
  if (q === top << 1n) {
    q >>= 1n;
    biased++;
  }
  if (biased >= (1n << BigInt(expBits)) - 1n) return 'range';
  return sign | (biased << BigInt(mantBits)) | (q - top);
}

test('random float literals agree with an exact rational reference', () => {
  const r = rng(2024);
  const digits = (n: number, hexDigits: boolean) =>
    Array.from({ length: n }, () => (hexDigits ? '0123456789abcdef' : '0123456789')[Math.floor(r() * (hexDigits ? 16 : 10))]).join('');
  for (let i = 0; i < 3000; i++) {
    const isHex = r() < 0.5;
    let s = (r() < 0.3 ? '-' : '') + (isHex ? '0x' : '') + digits(1 + Math.floor(r() * (r() < 0.2 ? 40 : 18)), isHex);
    if (r() < 0.6) s += '.' + digits(Math.floor(r() * 20), isHex);
    if (r() < 0.8) s += (isHex ? 'p' : 'e') + Math.floor((r() - 0.5) * (isHex ? 2300 : 680));
    assert.equal(hex(parseF32(s)), hex(reference(s, 23, 8)), `f32 ${s}`);
    assert.equal(hex(parseF64(s)), hex(reference(s, 52, 11)), `f64 ${s}`);
  }
});
