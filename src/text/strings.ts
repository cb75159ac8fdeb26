// Decoding of string literals (already validated by the lexer) into their bytes: escapes,
// \hh bytes, \u{...} code points and raw characters as UTF-8.

import { appendCodePoint } from '../core/utf8.js';

/** The bytes of the string literal text[start, end) (quotes included). */
export function decodeStringToken(text: string, start: number, end: number): Uint8Array {
  // Fast path: printable ASCII without escapes.
  let simple = true;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || c >= 0x80) {
      simple = false;
      break;
    }
  }
  if (simple) {
    const out = new Uint8Array(end - start - 2);
    for (let i = 0; i < out.length; i++) out[i] = text.charCodeAt(start + 1 + i);
    return out;
  }
  const out: number[] = [];
  appendStringBytes(out, text, start, end);
  return Uint8Array.from(out);
}

/** Appends the bytes of the string literal text[start, end) to `out`. */
export function appendStringBytes(out: number[], text: string, start: number, end: number): void {
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      const e = text.charCodeAt(i + 1);
      switch (e) {
        case 0x6e: out.push(0x0a); i++; continue;
        case 0x72: out.push(0x0d); i++; continue;
        case 0x74: out.push(0x09); i++; continue;
        case 0x5c: case 0x27: case 0x22: out.push(e); i++; continue;
        case 0x75: {
          let j = i + 3;
          let value = 0;
          for (; text.charCodeAt(j) !== 0x7d; j++) {
            const h = hexValue(text.charCodeAt(j));
            if (h >= 0) value = value * 16 + h;
          }
          appendCodePoint(out, value);
          i = j;
          continue;
        }
        default:
          out.push(hexValue(e) * 16 + hexValue(text.charCodeAt(i + 2)));
          i += 2;
          continue;
      }
    }
    if (c < 0x80) {
      out.push(c);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      appendCodePoint(out, 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00));
      i++;
    } else {
      appendCodePoint(out, c);
    }
  }
}

export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
