// parseWat: text module (with or without the `(module ...)` wrapper) to binary bytes. Also
// accepts `(module binary "...")` and `(module quote "...")`, as script modules are written.

import { lex } from './lexer.js';
import { Cursor } from './cursor.js';
import { ModuleContext } from './context.js';
import { T, type Tokens } from './tokens.js';
import { scanFields, type ScannedField } from './scan.js';
import { parseTypeField } from './typedefs.js';
import { FieldParser } from './fields.js';
import { customSections } from './annotations.js';
import { assembleModule } from './assemble.js';
import { decodeUtf8Escaping } from '../core/utf8.js';
import type { SourceOrigin } from './errors.js';

/**
 * Encodes a WebAssembly text module. Throws WatSyntaxError (a CompileError) on malformed text;
 * never anything else. `origin` is where the text starts in `file` (a module of a script), so
 * that errors point into the file.
 */
export function parseWat(text: string, file = 'input.wat', origin?: SourceOrigin): Uint8Array {
  return encodeTokens(lex(text, file, origin));
}

function encodeTokens(tokens: Tokens): Uint8Array {
  const c = new Cursor(tokens);
  const ctx = new ModuleContext(c);
  const names = ctx.names;
  let moduleName: string | null = null;
  const wrapped = c.atOpen('module');
  if (wrapped) {
    c.pos += 2;
    c.eatKw('definition');
    if (c.kind[c.pos] === T.Id) moduleName = c.idName(c.pos++);
    names.claim('module', 0, c.pos);
    if (c.isKw(c.pos, 'binary')) return scriptStrings(c, true).bytes;
    if (c.isKw(c.pos, 'quote')) {
      const { source } = scriptStrings(c, false);
      return parseWat(source, tokens.file);
    }
  } else {
    names.claim('module', 0, c.pos);
  }
  const fields = scanFields(ctx);
  if (wrapped) c.expectRParen();
  if (c.kind[c.pos] !== T.Eof) throw c.unexpected(c.pos, wrapped ? 'end of input' : 'a module field');

  const sections = new FieldParser(ctx);
  const next = { index: 0 };
  for (const field of fields) {
    if (field.kind !== 'type' && field.kind !== 'rec') continue;
    c.pos = field.open;
    sections.s.types.push(parseTypeField(ctx, next));
    if (c.pos !== field.close + 1) throw c.unexpected(c.pos, '")"');
  }
  for (const field of fields) sections.parse(field);
  names.checkAllClaimed();
  ctx.branchHints.checkAllUsed();
  const customs = customSections(tokens, (before) => isFieldLevel(fields, before, c));
  return assembleModule({ ctx, s: sections.s, moduleName, annotatedNames: names.claimed, customs });
}

/** Whether main token `before` is not inside any field (so an annotation there sits between fields). */
function isFieldLevel(fields: readonly ScannedField[], before: number, c: Cursor): boolean {
  for (const f of fields) if (before > f.open && before <= f.close) return false;
  // Inside the module header, before its name, is no field level either.
  return !(c.isKw(1, 'module') && before === 1);
}

/** The concatenated strings of `binary ...` / `quote ...` up to the closing `)`. */
function scriptStrings(c: Cursor, binary: boolean): { bytes: Uint8Array; source: string } {
  c.pos++;
  const bytes = c.strings();
  c.expectRParen();
  if (c.kind[c.pos] !== T.Eof) throw c.unexpected(c.pos, 'end of input');
  return { bytes, source: binary ? '' : decodeUtf8Escaping(bytes) };
}
