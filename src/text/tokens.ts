// The token stream the lexer produces: parallel typed arrays of kinds and source offsets, the
// matching-parenthesis index of every paren, and the annotations lifted out of the stream.

import type { SourceOrigin } from './errors.js';

export const enum T {
  LParen = 1,
  RParen = 2,
  /** Starts with a lowercase letter: keywords, mnemonics, `offset=4`, `nan:0x1`, `inf`. */
  Keyword = 3,
  /** `$name` or `$"name"`. */
  Id = 4,
  String = 5,
  /** Any other run of identifier characters: numbers, and garbage such as `1x` or `0$l`. */
  Atom = 6,
  /** Never valid: `,` `;` `[` ... or a run that glues strings to other characters. */
  Reserved = 7,
  Eof = 8,
}

/** An annotation `(@name ...)`: kept out of the main stream, remembered where it stood. */
export interface Annotation {
  readonly name: string;
  /** Offset of its `(@` in the text. */
  readonly start: number;
  /** Index of the main-stream token it stood before. */
  readonly before: number;
  /** Its items: tokens [first, last) of `Tokens.annotTokens` (nested annotations included as tokens). */
  readonly first: number;
  readonly last: number;
  /** Nesting: annotations inside another annotation are not recorded as separate entries. */
}

export class TokenBuffer {
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  match: Int32Array;
  count = 0;

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.kind = new Uint8Array(n);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.match = new Int32Array(n);
  }

  push(kind: T, start: number, end: number): number {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.start[i] = start;
    this.end[i] = end;
    this.match[i] = -1;
    return i;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const kind = new Uint8Array(n);
    kind.set(this.kind);
    const start = new Int32Array(n);
    start.set(this.start);
    const end = new Int32Array(n);
    end.set(this.end);
    const match = new Int32Array(n);
    match.set(this.match);
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.match = match;
  }
}

/** A lexed text: the main stream (ending with one Eof token) and the annotation stream. */
export interface Tokens {
  readonly text: string;
  readonly file: string;
  /** Where the text starts in its file, when it is embedded in a larger text. */
  readonly origin: SourceOrigin | undefined;
  readonly main: TokenBuffer;
  readonly annotTokens: TokenBuffer;
  readonly annotations: readonly Annotation[];
}
