// The lexer of the text format: turns a source string into tokens, skipping white space and
// comments and lifting annotations `(@id ...)` out of the main stream.

import { syntaxError, type SourceOrigin, type WatSyntaxError } from './errors.js';
import { T, TokenBuffer, type Annotation, type Tokens } from './tokens.js';
import { decodeStringToken, hexValue } from './strings.js';
import { decodeUtf8 } from '../core/utf8.js';

// Character classes of ASCII: bit 1 = identifier character, bit 2 = white space.
const IDCHAR = 1;
const SPACE = 2;
const CLASS = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = IDCHAR;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = IDCHAR;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = IDCHAR;
for (const ch of "!#$%&'*+-./:<=>?@\\^_`|~") CLASS[ch.charCodeAt(0)] = IDCHAR;
for (const c of [0x20, 0x09, 0x0a, 0x0d]) CLASS[c] = SPACE;

export function isIdChar(c: number): boolean {
  return c < 128 && (CLASS[c]! & IDCHAR) !== 0;
}

export function lex(text: string, file: string, origin?: SourceOrigin): Tokens {
  return new Lexer(text, file, origin).run();
}

class Lexer {
  private readonly main: TokenBuffer;
  private readonly annot: TokenBuffer;
  private readonly annotations: Annotation[] = [];
  private readonly parens: number[] = [];
  private pos = 0;
  /** Paren depth inside the current annotation; 0 outside annotations. */
  private annotDepth = 0;
  private annotStart = 0;
  private annotName = '';
  private annotFirst = 0;

  constructor(readonly text: string, readonly file: string, readonly origin: SourceOrigin | undefined) {
    this.main = new TokenBuffer((text.length >> 3) + 16);
    this.annot = new TokenBuffer(16);
  }

  run(): Tokens {
    const text = this.text;
    const n = text.length;
    while (this.pos < n) {
      const c = text.charCodeAt(this.pos);
      if (c < 128 && CLASS[c] === SPACE) {
        this.pos++;
        continue;
      }
      switch (c) {
        case 0x28: // (
          if (text.charCodeAt(this.pos + 1) === 0x3b) this.blockComment();
          else if (text.charCodeAt(this.pos + 1) === 0x40) this.annotationStart();
          else this.openParen();
          continue;
        case 0x29: // )
          this.closeParen();
          continue;
        case 0x3b: // ;
          if (text.charCodeAt(this.pos + 1) === 0x3b) this.lineComment();
          else this.emit(T.Reserved, this.pos, ++this.pos);
          continue;
        case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: // , [ ] { }
          this.emit(T.Reserved, this.pos, ++this.pos);
          continue;
      }
      if (c === 0x22 || (c < 128 && CLASS[c] === IDCHAR)) {
        this.token();
        continue;
      }
      this.badCharacter(c);
    }
    if (this.annotDepth > 0) throw this.error(this.annotStart, 'unclosed annotation');
    this.main.push(T.Eof, n, n);
    return { text, file: this.file, origin: this.origin, main: this.main, annotTokens: this.annot, annotations: this.annotations };
  }

  private error(offset: number, reason: string, detail?: string): WatSyntaxError {
    return syntaxError(this, offset, reason, detail);
  }

  private emit(kind: T, start: number, end: number): number {
    return (this.annotDepth > 0 ? this.annot : this.main).push(kind, start, end);
  }

  private openParen(): void {
    const i = this.emit(T.LParen, this.pos, this.pos + 1);
    this.pos++;
    if (this.annotDepth > 0) this.annotDepth++;
    else this.parens.push(i);
  }

  private closeParen(): void {
    const at = this.pos++;
    if (this.annotDepth > 0) {
      if (--this.annotDepth === 0) {
        this.annotations.push({
          name: this.annotName, start: this.annotStart, before: this.main.count,
          first: this.annotFirst, last: this.annot.count,
        });
      } else {
        this.annot.push(T.RParen, at, at + 1);
      }
      return;
    }
    const i = this.main.push(T.RParen, at, at + 1);
    const open = this.parens.pop();
    if (open !== undefined) {
      this.main.match[open] = i;
      this.main.match[i] = open;
    }
  }

  private badCharacter(c: number): never {
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = this.text.charCodeAt(this.pos + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw this.error(this.pos, 'malformed UTF-8 encoding');
    }
    if (this.annotDepth > 0) throw this.error(this.pos, 'illegal character');
    if (c < 0x20 || c === 0x7f) throw this.error(this.pos, 'misplaced control character');
    throw this.error(this.pos, 'misplaced unicode character', `unexpected character ${JSON.stringify(String.fromCodePoint(this.text.codePointAt(this.pos)!))}`);
  }

  private lineComment(): void {
    const text = this.text;
    let i = this.pos + 2;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || c === 0x0d) break;
      if (c >= 0xd800 && c <= 0xdfff) i = this.checkSurrogate(i);
    }
    this.pos = i;
  }

  /** Skips a valid surrogate pair at `i` (returning the index of its second half) or fails. */
  private checkSurrogate(i: number): number {
    const c = this.text.charCodeAt(i);
    const d = this.text.charCodeAt(i + 1);
    if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw this.error(i, 'malformed UTF-8 encoding');
    return i + 1;
  }

  private blockComment(): void {
    const text = this.text;
    const starts: number[] = [this.pos];
    let i = this.pos + 2;
    while (starts.length > 0) {
      if (i >= text.length) throw this.error(starts[starts.length - 1]!, 'unclosed comment');
      const c = text.charCodeAt(i);
      if (c === 0x28 && text.charCodeAt(i + 1) === 0x3b) {
        starts.push(i);
        i += 2;
      } else if (c === 0x3b && text.charCodeAt(i + 1) === 0x29) {
        starts.pop();
        i += 2;
      } else {
        if (c >= 0xd800 && c <= 0xdfff) i = this.checkSurrogate(i);
        i++;
      }
    }
    this.pos = i;
  }

  private annotationStart(): void {
    const start = this.pos;
    const idStart = this.pos + 2;
    let end: number;
    let name: string;
    if (this.text.charCodeAt(idStart) === 0x22) {
      // `(@"name"`: a string id, which must be a non-empty name.
      end = idStart;
      this.orFail(() => (end = this.scanString(idStart)), start, 'empty annotation id');
      const bytes = decodeStringToken(this.text, idStart, end);
      if (bytes.length === 0) throw this.error(start, 'empty annotation id');
      const decoded = decodeUtf8(bytes);
      if (decoded === null) throw this.error(start, 'malformed UTF-8 encoding');
      name = decoded;
    } else {
      // As the reference lexer: the id is the identifier characters only; a glued string
      // (`(@name"x")`) is the annotation's first item.
      end = idStart;
      while (isIdChar(this.text.charCodeAt(end))) end++;
      if (end === idStart) {
        // Inside an annotation `(@` without an id is just a parenthesis and an atom.
        if (this.annotDepth > 0) return this.openParen();
        throw this.error(start, 'empty annotation id');
      }
      name = this.text.slice(idStart, end);
    }
    if (this.annotDepth > 0) {
      // Nested annotations are items of the outer one.
      this.annot.push(T.LParen, start, start + 1);
      this.annot.push(T.Atom, start + 1, end);
      this.annotDepth++;
    } else {
      this.annotDepth = 1;
      this.annotStart = start;
      this.annotName = name;
      this.annotFirst = this.annot.count;
    }
    this.pos = end;
  }

  /** Runs `scan`, turning its error into `reason` at `offset`. */
  private orFail(scan: () => number, offset: number, reason: string): void {
    try {
      scan();
    } catch {
      throw this.error(offset, reason);
    }
  }

  /** End of the run of identifier characters and strings starting at `i`. */
  private scanRun(i: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c < 128 && CLASS[c] === IDCHAR) i++;
      else if (c === 0x22) i = this.scanString(i);
      else return i;
    }
  }

  /** Validates the string literal at `i` (its opening quote) and returns the offset after it. */
  private scanString(i: number): number {
    const text = this.text;
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) throw this.error(start, 'unclosed string literal');
      const c = text.charCodeAt(i);
      if (c === 0x22) return i + 1;
      if (c === 0x5c) {
        i = this.scanEscape(i);
        continue;
      }
      if (c < 0x20 || c === 0x7f) {
        if (c === 0x0a || c === 0x0d) throw this.error(start, 'unclosed string literal');
        throw this.error(i, 'illegal control character in string literal');
      }
      if (c >= 0xd800 && c <= 0xdfff) i = this.checkSurrogate(i);
      i++;
    }
  }

  private scanEscape(i: number): number {
    const text = this.text;
    const e = text.charCodeAt(i + 1);
    switch (e) {
      case 0x6e: case 0x72: case 0x74: case 0x5c: case 0x27: case 0x22: // n r t \ ' "
        return i + 2;
      case 0x75: { // u{hexnum}
        if (text.charCodeAt(i + 2) !== 0x7b) throw this.error(i, 'illegal escape');
        let j = i + 3;
        let value = 0;
        let digits = 0;
        let lastUnderscore = true;
        for (;; j++) {
          const c = text.charCodeAt(j);
          const h = hexValue(c);
          if (h >= 0) {
            value = Math.min(value * 16 + h, 0x1000000);
            digits++;
            lastUnderscore = false;
          } else if (c === 0x5f && !lastUnderscore) {
            lastUnderscore = true;
          } else break;
        }
        if (digits === 0 || lastUnderscore || text.charCodeAt(j) !== 0x7d) throw this.error(i, 'illegal escape');
        if ((value >= 0xd800 && value < 0xe000) || value >= 0x110000) throw this.error(i, 'illegal escape');
        return j + 1;
      }
      default:
        if (hexValue(e) >= 0 && hexValue(text.charCodeAt(i + 2)) >= 0) return i + 3;
        throw this.error(i, 'illegal escape');
    }
  }

  private token(): void {
    const text = this.text;
    const start = this.pos;
    if (text.charCodeAt(start) === 0x24 && text.charCodeAt(start + 1) === 0x22) {
      // `$"...` whose string is broken is an empty identifier to the reference interpreter.
      this.orFail(() => this.scanString(start + 1), start, 'empty identifier');
    }
    const end = this.scanRun(start);
    this.pos = end;
    const c = text.charCodeAt(start);
    let hasString = false;
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) === 0x22) {
        hasString = true;
        break;
      }
    }
    if (!hasString) {
      if (c === 0x24) {
        if (end === start + 1) throw this.error(start, 'empty identifier');
        this.emit(T.Id, start, end);
      } else if (c >= 0x61 && c <= 0x7a) {
        this.emit(T.Keyword, start, end);
      } else {
        this.emit(T.Atom, start, end);
      }
      return;
    }
    if (c === 0x22 && this.scanString(start) === end) {
      this.emit(T.String, start, end);
    } else if (c === 0x24 && text.charCodeAt(start + 1) === 0x22 && this.scanString(start + 1) === end) {
      if (end === start + 3) throw this.error(start, 'empty identifier');
      this.emit(T.Id, start, end);
    } else {
      this.emit(T.Reserved, start, end);
    }
  }
}
