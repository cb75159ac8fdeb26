// Numeric literal tokens, read the same way in module text (instruction immediates) and in .wast
// constants and results: the token's text, its value, and the errors for a bad or out-of-range one.

import type { Cursor } from './cursor.js';
import { parseF32, parseF64 } from './floats.js';
import { parseI32, parseIntN } from './numbers.js';
import { T } from './tokens.js';

/** The lane shapes of a v128 literal. */
export const V128_SHAPES: Readonly<Record<string, { lanes: number; bits: number; float: boolean }>> = {
  i8x16: { lanes: 16, bits: 8, float: false },
  i16x8: { lanes: 8, bits: 16, float: false },
  i32x4: { lanes: 4, bits: 32, float: false },
  i64x2: { lanes: 2, bits: 64, float: false },
  f32x4: { lanes: 4, bits: 32, float: true },
  f64x2: { lanes: 2, bits: 64, float: true },
};

/** The text of the numeric literal token at i (an atom, or a keyword such as `inf` / `nan`). */
function literalText(c: Cursor, i: number, what: string): string {
  const k = c.kind[i];
  if (k !== T.Atom && k !== T.Keyword) throw c.unexpected(i, what);
  return c.tokenText(i);
}

/** The i32 literal at the cursor (signed or unsigned form), consumed. */
export function i32Literal(c: Cursor): number {
  const i = c.pos;
  const v = parseI32(literalText(c, i, 'an i32 literal'));
  if (v === 'malformed') throw c.unexpected(i, 'an i32 literal');
  if (v === 'range') throw c.error(i, 'constant out of range', 'i32 constant out of range');
  c.pos++;
  return v;
}

/** The `bits`-wide integer literal at the cursor, as its two's-complement bits, consumed. */
export function intLiteral(c: Cursor, bits: number): bigint {
  const i = c.pos;
  const v = parseIntN(literalText(c, i, `an i${bits} literal`), bits);
  if (v === 'malformed') throw c.unexpected(i, `an i${bits} literal`);
  if (v === 'range') throw c.error(i, 'constant out of range', `i${bits} constant out of range`);
  c.pos++;
  return v;
}

/** The f32 or f64 literal at the cursor, as its bits, consumed. */
export function floatLiteral(c: Cursor, bits: 32 | 64): bigint {
  const i = c.pos;
  const text = literalText(c, i, `an f${bits} literal`);
  const v = bits === 32 ? parseF32(text) : parseF64(text);
  if (v === 'malformed') throw c.unexpected(i, `an f${bits} literal`);
  if (v === 'range') throw c.error(i, 'constant out of range', `f${bits} constant out of range`);
  c.pos++;
  return v;
}
