// Strict UTF-8 encoding and decoding without TextEncoder/TextDecoder (not in every JS engine).
// Invalid bytes survive a round trip through JS strings as lone surrogates U+DC80..U+DCFF.

/** UTF-8 bytes of a string, or null when it holds a lone surrogate (no valid encoding). */
export function encodeUtf8(s: string): Uint8Array | null {
  const out: number[] = [];
  if (!appendUtf8(out, s)) return null;
  return Uint8Array.from(out);
}

/** Appends the UTF-8 bytes of `s` to `out`; false when `s` holds a lone surrogate. */
export function appendUtf8(out: number[], s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return false;
      c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      i++;
    }
    appendCodePoint(out, c);
  }
  return true;
}

export function appendCodePoint(out: number[], c: number): void {
  if (c < 0x80) out.push(c);
  else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
  else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
}

/**
 * Length in bytes of the well-formed UTF-8 sequence at `bytes[i]`, or 0 when it is malformed
 * (overlong forms, surrogates and code points above U+10FFFF are malformed).
 */
export function utf8SequenceLength(bytes: ArrayLike<number>, i: number, end: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < end && bytes[i + k]! >= lo && bytes[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** The string a well-formed UTF-8 byte sequence encodes, or null when it is malformed. */
export function decodeUtf8(bytes: ArrayLike<number>, start = 0, end = bytes.length): string | null {
  let s = '';
  for (let i = start; i < end; ) {
    const n = utf8SequenceLength(bytes, i, end);
    if (n === 0) return null;
    s += String.fromCodePoint(codePointAt(bytes, i, n));
    i += n;
  }
  return s;
}

/**
 * Decodes UTF-8, mapping each byte that is not part of a well-formed sequence to the lone
 * surrogate U+DC00 + byte, so that malformed text stays representable and detectable.
 */
export function decodeUtf8Escaping(bytes: ArrayLike<number>, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; ) {
    const n = utf8SequenceLength(bytes, i, end);
    if (n === 0) {
      s += String.fromCharCode(0xdc00 + bytes[i]!);
      i++;
    } else {
      s += String.fromCodePoint(codePointAt(bytes, i, n));
      i += n;
    }
  }
  return s;
}

function codePointAt(bytes: ArrayLike<number>, i: number, n: number): number {
  const b0 = bytes[i]!;
  if (n === 1) return b0;
  if (n === 2) return ((b0 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
  if (n === 3) return ((b0 & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
  return ((b0 & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
}

type NativeEncoder = { encode(s: string): Uint8Array };
type NativeDecoder = { decode(b: Uint8Array): string };
const native = globalThis as { TextEncoder?: new () => NativeEncoder; TextDecoder?: new (label: string, o: { fatal: boolean }) => NativeDecoder };
const nativeEncoder = native.TextEncoder ? new native.TextEncoder() : null;
const nativeDecoder = native.TextDecoder ? new native.TextDecoder('utf-8', { fatal: true }) : null;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The UTF-8 bytes of any string, lone surrogates as U+FFFD (as TextEncoder does): TextEncoder
 * where the engine has one (much faster on megabytes of generated source), else encodeUtf8.
 */
export function utf8Bytes(s: string): Uint8Array {
  if (nativeEncoder !== null) return nativeEncoder.encode(s);
  return encodeUtf8(s) ?? encodeUtf8(s.replace(LONE_SURROGATE, '\ufffd'))!;
}

/** The text of strict UTF-8 bytes, or null when they are malformed (TextDecoder where available). */
export function utf8Text(bytes: Uint8Array): string | null {
  if (nativeDecoder === null) return decodeUtf8(bytes);
  try {
    return nativeDecoder.decode(bytes);
  } catch {
    return null;
  }
}
