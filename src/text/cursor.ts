// A position in a token stream with the small reading and error helpers every parser of the
// text format shares (keywords, identifiers, names, indices, parentheses).

import { syntaxError, type WatSyntaxError } from './errors.js';
import { T, type Tokens } from './tokens.js';
import { decodeStringToken } from './strings.js';
import { decodeUtf8 } from '../core/utf8.js';
import { looksNumeric, MALFORMED, OUT_OF_RANGE, parseU32 } from './numbers.js';
import { isKnownKeyword } from './keywords.js';

export class Cursor {
  readonly text: string;
  readonly file: string;
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly match: Int32Array;
  pos = 0;

  constructor(readonly tokens: Tokens) {
    this.text = tokens.text;
    this.file = tokens.file;
    this.kind = tokens.main.kind;
    this.start = tokens.main.start;
    this.end = tokens.main.end;
    this.match = tokens.main.match;
  }

  /** Whether token i is the keyword `kw`. */
  isKw(i: number, kw: string): boolean {
    return this.kind[i] === T.Keyword && this.end[i]! - this.start[i]! === kw.length && this.text.startsWith(kw, this.start[i]!);
  }

  /** Whether the tokens at the cursor are `(` `kw`. */
  atOpen(kw: string): boolean {
    return this.kind[this.pos] === T.LParen && this.isKw(this.pos + 1, kw);
  }

  /** Whether the tokens at `i` are `(` `kw`. */
  isOpen(i: number, kw: string): boolean {
    return this.kind[i] === T.LParen && this.isKw(i + 1, kw);
  }

  tokenText(i: number): string {
    return this.text.slice(this.start[i]!, this.end[i]!);
  }

  error(i: number, reason: string, detail?: string): WatSyntaxError {
    return syntaxError(this.tokens, this.start[i]!, reason, detail);
  }

  /** The error for an unexpected token at i: "unknown operator" for garbage, else "unexpected token". */
  unexpected(i: number, expected: string): WatSyntaxError {
    const kind = this.kind[i];
    const text = this.tokenText(i).slice(0, 40);
    const found = kind === T.Eof ? 'end of input' : kind === T.String ? text : `"${text}"`;
    let reason = 'unexpected token';
    const garbage = kind === T.Reserved || (kind === T.Keyword && !isKnownKeyword(this.tokenText(i))) ||
      (kind === T.Atom && !looksLikeNumber(this.tokenText(i)));
    // As the reference interpreter's lexer: a token that is no token of the format is an unknown operator.
    if (garbage) reason = `unknown operator ${this.tokenText(i)}`;
    return this.error(i, reason, `expected ${expected}, found ${found}`);
  }

  expectLParen(what = '"("'): void {
    if (this.kind[this.pos] !== T.LParen) throw this.unexpected(this.pos, what);
    this.pos++;
  }

  expectRParen(): void {
    if (this.kind[this.pos] !== T.RParen) throw this.unexpected(this.pos, '")"');
    this.pos++;
  }

  expectKw(kw: string): void {
    if (!this.isKw(this.pos, kw)) throw this.unexpected(this.pos, `"${kw}"`);
    this.pos++;
  }

  /** Consumes `(` `kw` when present. */
  eatOpen(kw: string): boolean {
    if (!this.atOpen(kw)) return false;
    this.pos += 2;
    return true;
  }

  eatKw(kw: string): boolean {
    if (!this.isKw(this.pos, kw)) return false;
    this.pos++;
    return true;
  }

  /** The decoded name of identifier token i (`$x` or `$"x"`). */
  idName(i: number): string {
    const s = this.start[i]!;
    const e = this.end[i]!;
    if (this.text.charCodeAt(s + 1) !== 0x22) return this.text.slice(s + 1, e);
    const bytes = decodeStringToken(this.text, s + 1, e);
    const name = decodeUtf8(bytes);
    if (name === null) throw this.error(i, 'malformed UTF-8 encoding', 'identifier is not valid UTF-8');
    return name;
  }

  /** Consumes an optional identifier, returning its name. */
  optId(): string | null {
    if (this.kind[this.pos] !== T.Id) return null;
    return this.idName(this.pos++);
  }

  stringBytes(i: number): Uint8Array {
    return decodeStringToken(this.text, this.start[i]!, this.end[i]!);
  }

  /** Consumes zero or more string tokens, returning their bytes concatenated. */
  strings(): Uint8Array {
    const parts: Uint8Array[] = [];
    let n = 0;
    while (this.kind[this.pos] === T.String) {
      const b = this.stringBytes(this.pos++);
      parts.push(b);
      n += b.length;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** Consumes a string token, returning its bytes. */
  string(what = 'a string'): Uint8Array {
    if (this.kind[this.pos] !== T.String) throw this.unexpected(this.pos, what);
    return this.stringBytes(this.pos++);
  }

  /** Consumes a string that must be valid UTF-8 (a name), returning it decoded and its bytes. */
  name(what = 'a name'): string {
    const i = this.pos;
    const bytes = this.string(what);
    const s = decodeUtf8(bytes);
    if (s === null) throw this.error(i, 'malformed UTF-8 encoding', 'name is not valid UTF-8');
    return s;
  }

  /** Consumes a u32 literal. */
  u32(what = 'a number'): number {
    const i = this.pos;
    if (this.kind[i] !== T.Atom) throw this.unexpected(i, what);
    const v = parseU32(this.tokenText(i));
    if (v === MALFORMED) throw this.unexpected(i, what);
    if (v === OUT_OF_RANGE) throw this.error(i, 'constant out of range', `${what} out of range`);
    this.pos++;
    return v;
  }

  /** Whether the token at i is an unsigned integer literal. */
  isNat(i: number): boolean {
    if (this.kind[i] !== T.Atom) return false;
    const c = this.text.charCodeAt(this.start[i]!);
    return c >= 0x30 && c <= 0x39;
  }
}

/** Whether an atom has the shape of a numeric literal (else the lexer would call it reserved). */
function looksLikeNumber(s: string): boolean {
  if (/^[+-]?(inf|nan|nan:0x[\da-fA-F](_?[\da-fA-F])*)$/.test(s)) return true;
  return looksNumeric(s) && /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?|0x[\da-fA-F](?:_?[\da-fA-F])*(?:\.(?:[\da-fA-F](?:_?[\da-fA-F])*)?)?(?:[pP][+-]?\d(?:_?\d)*)?)$/.test(s);
}
