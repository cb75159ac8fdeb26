// Text for values in printed modules: exact hex floats (every NaN payload kept), signed integers,
// escaped strings and identifiers, chosen so that parsing them back gives the same bits.

import { isIdChar } from './lexer.js';
import { decodeUtf8 } from '../core/utf8.js';

const HEX = '0123456789abcdef';

/** Exact text of an IEEE float given as its bits (mantBits 23 or 52). */
function formatFloat(bits: bigint, mantBits: number, expBits: number): string {
  const sign = (bits >> BigInt(mantBits + expBits)) & 1n ? '-' : '';
  const expField = Number((bits >> BigInt(mantBits)) & ((1n << BigInt(expBits)) - 1n));
  const mant = bits & ((1n << BigInt(mantBits)) - 1n);
  const expMax = (1 << expBits) - 1;
  if (expField === expMax) {
    if (mant === 0n) return `${sign}inf`;
    if (mant === 1n << BigInt(mantBits - 1)) return `${sign}nan`;
    return `${sign}nan:0x${mant.toString(16)}`;
  }
  if (expField === 0 && mant === 0n) return `${sign}0x0p+0`;
  const bias = (1 << (expBits - 1)) - 1;
  // Hex digits of the fraction: pad the mantissa to whole nibbles.
  const pad = (4 - (mantBits % 4)) % 4;
  let frac = (mant << BigInt(pad)).toString(16).padStart((mantBits + pad) / 4, '0').replace(/0+$/, '');
  if (frac !== '') frac = '.' + frac;
  const lead = expField === 0 ? '0' : '1';
  const exp = expField === 0 ? 1 - bias : expField - bias;
  return `${sign}0x${lead}${frac}p${exp >= 0 ? '+' : ''}${exp}`;
}

export function formatF32(bits: number): string {
  return formatFloat(BigInt(bits >>> 0), 23, 8);
}

export function formatF64(bits: bigint): string {
  return formatFloat(BigInt.asUintN(64, bits), 52, 11);
}

/** A string literal for arbitrary bytes: printable ASCII as is, the rest as \hh escapes. */
export function formatBytes(bytes: ArrayLike<number>, start = 0, end = bytes.length): string {
  let s = '"';
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) s += String.fromCharCode(b);
    else s += '\\' + HEX[b >> 4] + HEX[b & 15];
  }
  return s + '"';
}

/** A string literal for a name: readable characters as themselves, control characters escaped. */
export function formatName(name: string): string {
  let s = '"';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22 || c === 0x5c) s += '\\' + ch;
    else if (c < 0x20 || c === 0x7f) s += '\\' + HEX[c >> 4] + HEX[c & 15];
    else if (c >= 0x80 && c < 0xa0) s += `\\u{${c.toString(16)}}`;
    else s += ch;
  }
  return s + '"';
}

/** A string literal for bytes that are a name when they are valid UTF-8. */
export function formatNameBytes(bytes: Uint8Array): string {
  const name = decodeUtf8(bytes);
  return name === null ? formatBytes(bytes) : formatName(name);
}

/** An identifier for a name: `$name` when it is made of identifier characters, else `$"name"`. */
export function formatId(name: string): string {
  let plain = name.length > 0;
  for (let i = 0; i < name.length && plain; i++) plain = isIdChar(name.charCodeAt(i));
  return plain ? '$' + name : '$' + formatName(name);
}
