// parseWast: a .wast spec script into the commands of wast-types.ts. Text modules stay source
// text (encoded on demand with parseWat); binary and quote modules become bytes and source.

import { lex } from './lexer.js';
import { Cursor } from './cursor.js';
import { LineIndex } from './errors.js';
import { T } from './tokens.js';
import type { SourcePos, WastAction, WastCommand, WastModule, WastResult, WastScript, WastValue } from './wast-types.js';
import { parseConst, parseResult } from './wast-values.js';
import { decodeUtf8Escaping } from '../core/utf8.js';

/** Parses a spec script. Throws WatSyntaxError with the position of a malformed command. */
export function parseWast(text: string, file: string): WastScript {
  const tokens = lex(text, file);
  const c = new Cursor(tokens);
  const lines = new LineIndex(text);
  const posOf = (i: number): SourcePos => ({ file, ...lines.positionOf(c.start[i]!) });
  const commands: WastCommand[] = [];
  // A script may also be a bare module's fields (no commands): treat it as one module.
  if (c.kind[0] === T.LParen && !isCommandStart(c, 0)) {
    commands.push({ kind: 'module', pos: posOf(0), name: null, module: { form: 'text', source: text, pos: posOf(0) } });
    return { file, commands };
  }
  while (c.kind[c.pos] !== T.Eof) commands.push(parseCommand(c, posOf));
  return { file, commands };
}

const COMMANDS = new Set([
  'module', 'register', 'invoke', 'get', 'assert_return', 'assert_trap', 'assert_exhaustion',
  'assert_exception', 'assert_invalid', 'assert_malformed', 'assert_unlinkable',
  'assert_uninstantiable', 'assert_invalid_custom', 'assert_malformed_custom',
]);

function isCommandStart(c: Cursor, i: number): boolean {
  return c.kind[i + 1] === T.Keyword && COMMANDS.has(c.tokenText(i + 1));
}

function parseCommand(c: Cursor, posOf: (i: number) => SourcePos): WastCommand {
  const open = c.pos;
  if (c.kind[open] !== T.LParen || !isCommandStart(c, open)) throw c.unexpected(c.kind[open] === T.LParen ? open + 1 : open, 'a script command');
  const pos = posOf(open);
  const head = c.tokenText(open + 1);
  if (head === 'module') {
    if (c.isKw(open + 2, 'instance')) {
      c.pos = open + 3;
      const instance = c.kind[c.pos] === T.Id ? c.tokenText(c.pos++) : null;
      const definition = c.kind[c.pos] === T.Id ? c.tokenText(c.pos++) : null;
      c.expectRParen();
      return { kind: 'module_instance', pos, instance, definition };
    }
    const definition = c.isKw(open + 2, 'definition');
    const { name, module } = parseModule(c, posOf);
    return definition ? { kind: 'module_definition', pos, name, module } : { kind: 'module', pos, name, module };
  }
  if (head === 'invoke' || head === 'get') return { kind: 'action', pos, action: parseAction(c) };
  c.pos = open + 2;
  let command: WastCommand;
  switch (head) {
    case 'register': {
      const as = c.name('a registration name');
      const module = c.kind[c.pos] === T.Id ? c.tokenText(c.pos++) : null;
      command = { kind: 'register', pos, as, module };
      break;
    }
    case 'assert_return': {
      const action = parseAction(c);
      const expected: WastResult[] = [];
      while (c.kind[c.pos] === T.LParen) expected.push(parseResult(c));
      command = { kind: 'assert_return', pos, action, expected };
      break;
    }
    case 'assert_trap': {
      if (c.isOpen(c.pos, 'module')) {
        const { module } = parseModule(c, posOf);
        command = { kind: 'assert_trap_module', pos, module, message: c.name('a failure message') };
      } else {
        const action = parseAction(c);
        command = { kind: 'assert_trap', pos, action, message: c.name('a failure message') };
      }
      break;
    }
    case 'assert_exhaustion': {
      const action = parseAction(c);
      command = { kind: 'assert_exhaustion', pos, action, message: c.name('a failure message') };
      break;
    }
    case 'assert_exception':
      command = { kind: 'assert_exception', pos, action: parseAction(c) };
      break;
    default: {
      // assert_invalid, assert_malformed, assert_unlinkable, assert_uninstantiable and the custom forms.
      const { module } = parseModule(c, posOf);
      const message = c.name('a failure message');
      command = { kind: head as 'assert_invalid', pos, module, message };
    }
  }
  c.expectRParen();
  return command;
}

/** `(module definition? $id? ...)` in any of its three forms; the cursor ends after its `)`. */
function parseModule(c: Cursor, posOf: (i: number) => SourcePos): { name: string | null; module: WastModule } {
  const open = c.pos;
  if (!c.isOpen(open, 'module')) throw c.unexpected(open, '"(module"');
  const close = c.match[open]!;
  if (close < 0) throw c.error(open, 'unexpected token', 'unclosed "("');
  const pos = posOf(open);
  c.pos = open + 2;
  c.eatKw('definition');
  const name = c.kind[c.pos] === T.Id ? c.tokenText(c.pos++) : null;
  let module: WastModule;
  if (c.isKw(c.pos, 'binary') || c.isKw(c.pos, 'quote')) {
    const binary = c.isKw(c.pos, 'binary');
    c.pos++;
    const bytes = c.strings();
    module = binary
      ? { form: 'binary', bytes, pos }
      : { form: 'quote', source: decodeUtf8Escaping(bytes), pos };
    if (c.pos !== close) throw c.unexpected(c.pos, 'a string or ")"');
  } else {
    module = { form: 'text', source: c.text.slice(c.start[open]!, c.end[close]!), pos };
  }
  c.pos = close + 1;
  return { name, module };
}

function parseAction(c: Cursor): WastAction {
  const open = c.pos;
  c.expectLParen('an action');
  if (c.eatKw('invoke')) {
    const module = c.kind[c.pos] === T.Id ? c.tokenText(c.pos++) : null;
    const field = c.name('an export name');
    const args: WastValue[] = [];
    while (c.kind[c.pos] === T.LParen) args.push(parseConst(c));
    c.expectRParen();
    return { kind: 'invoke', module, field, args };
  }
  if (c.eatKw('get')) {
    const module = c.kind[c.pos] === T.Id ? c.tokenText(c.pos++) : null;
    const field = c.name('an export name');
    c.expectRParen();
    return { kind: 'get', module, field };
  }
  throw c.unexpected(open + 1, '"invoke" or "get"');
}
