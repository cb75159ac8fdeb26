// The text-format error: a CompileError that carries file, line and column, a readable detail
// and the short reason the spec suite uses ("unexpected token", "unknown operator", ...).

import { CompileError } from '../core/errors.js';

/** A position in a source text: 1-based line and column (in code points). */
export interface TextPos {
  readonly line: number;
  readonly column: number;
}

/** Line and column of a UTF-16 offset in `text`. */
export function positionOf(text: string, offset: number): TextPos {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    column++;
  }
  return { line, column };
}

/** A malformed .wat or .wast text. `reason` is the short spec-suite wording. */
export class WatSyntaxError extends CompileError {
  /** The file name given to the parser (`input.wat` unless one was given). */
  readonly file: string;
  /** 1-based line of the error in that file. */
  readonly line: number;
  /** 1-based column of the error in its line, in code points. */
  readonly column: number;
  /** UTF-16 offset of the error in the text it was found in. */
  readonly textOffset: number;
  /** What went wrong, in words (e.g. `expected a value type, found "i33"`). */
  readonly detail: string;
  readonly #reason: string;

  constructor(reason: string, detail: string, file: string, pos: TextPos, textOffset: number) {
    super(`${file}:${pos.line}:${pos.column}: ${detail}`, -1, true);
    this.#reason = reason;
    this.detail = detail;
    this.file = file;
    this.line = pos.line;
    this.column = pos.column;
    this.textOffset = textOffset;
  }

  /** The short reason, e.g. "unexpected token" or "constant out of range". */
  override get reason(): string {
    return this.#reason;
  }
}
Object.defineProperty(WatSyntaxError.prototype, 'name', { value: 'WatSyntaxError', writable: true, configurable: true });

/** Where a text starts inside a larger one (a module inside a script), for error positions. */
export interface SourceOrigin {
  readonly line: number;
  readonly column: number;
}

/** Where errors in a text are reported: its file and, for embedded texts, its origin. */
export interface SourceRef {
  readonly text: string;
  readonly file: string;
  readonly origin?: SourceOrigin | undefined;
}

/** Builds a WatSyntaxError for an offset of a text; the one place text errors are created. */
export function syntaxError(src: SourceRef, offset: number, reason: string, detail = reason): WatSyntaxError {
  let pos = positionOf(src.text, offset);
  const o = src.origin;
  if (o !== undefined) pos = { line: pos.line + o.line - 1, column: pos.line === 1 ? pos.column + o.column - 1 : pos.column };
  return new WatSyntaxError(reason, detail, src.file, pos, offset);
}

/** Line starts of a text, for many position look-ups in one script. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  positionOf(offset: number): TextPos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    let column = 1;
    for (let i = this.starts[lo]!; i < offset; i++) {
      const c = this.text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) i++;
      column++;
    }
    return { line: lo + 1, column };
  }
}
