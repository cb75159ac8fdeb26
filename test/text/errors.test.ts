// Text errors: a CompileError subclass with file, line and column, a readable detail, and the
// suite's short reason; positions count lines and code points; no input throws anything else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/wat.js';
import { parseWast } from '../../src/text/wast.js';
import { WatSyntaxError } from '../../src/text/errors.js';
import { CompileError } from '../../src/core/errors.js';

function error(text: string, file?: string): WatSyntaxError {
  try {
    parseWat(text, file);
  } catch (e) {
    assert.ok(e instanceof WatSyntaxError, String(e));
    return e;
  }
  assert.fail(`no error for ${text}`);
}

test('errors carry file, line, column, what was expected and the short reason', () => {
  const e = error('(module\n  (func\n    (param i33)))', 'test.wat');
  assert.ok(e instanceof CompileError);
  assert.equal(e.malformed, true);
  assert.equal(e.name, 'WatSyntaxError');
  assert.equal(e.file, 'test.wat');
  assert.equal(e.line, 3);
  assert.equal(e.column, 12);
  assert.equal(e.message, 'test.wat:3:12: expected a value type, found "i33"');
  assert.equal(e.reason, 'unknown operator i33');
  assert.equal(e.detail, 'expected a value type, found "i33"');
});

test('known keywords out of place are unexpected tokens; garbage is an unknown operator', () => {
  assert.equal(error('(module (func (param i32 result)))').reason, 'unexpected token');
  assert.equal(error('(module (func (i32.const0)))').reason, 'unknown operator i32.const0');
  assert.equal(error('(module (func br 0drop))').reason, 'unknown operator 0drop');
  assert.equal(error('(module (func (nop) (local i32)))').reason, 'unexpected token');
  assert.equal(error('(module (func (i32.const 0x1_0000_0000) drop))').reason, 'constant out of range');
  assert.equal(error('(module (func (f32.const 1e39) drop))').reason, 'constant out of range');
  assert.equal(error('(module (func (i32.const 1x) drop))').reason, 'unknown operator 1x');
  assert.equal(error('(module').reason, 'unexpected token');
  assert.equal(error('(module))').reason, 'unexpected token');
});

test('columns count code points, and CRLF is one line break', () => {
  const e = error('(module (func $"λ😀" (result i33)))');
  assert.equal(e.column, 29);
  const crlf = error('(module\r\n(func\r\n  (result i33)))');
  assert.equal(crlf.line, 3);
  assert.equal(crlf.column, 11);
});

test('lexical errors: comments, strings, annotations, characters', () => {
  assert.equal(error('(module (; never closed').reason, 'unclosed comment');
  assert.equal(error('(module "abc\n")').reason, 'unclosed string literal');
  assert.equal(error('(module "a\u0001")').reason, 'illegal control character in string literal');
  assert.equal(error('(module (@a "x"').reason, 'unclosed annotation');
  assert.equal(error('(module (@ a))').reason, 'empty annotation id');
  assert.equal(error('(module (@a \u0001))').reason, 'illegal character');
  assert.equal(error('(module λ)').reason, 'misplaced unicode character');
  assert.equal(error('(module \u0007)').reason, 'misplaced control character');
  assert.equal(error('(module $)').reason, 'empty identifier');
  // Comments and annotations nest; annotations are ignored unless tswasm knows them.
  assert.deepEqual(parseWat('(module (; a (; b ;) c ;) (@x (y (z)) "s") ;; end\n)'), parseWat('(module)'));
});

test('deep nesting is parsed without recursion', () => {
  const n = 100000;
  const bytes = parseWat(`(module (func ${'(block '.repeat(n)}${')'.repeat(n)}))`);
  assert.ok(bytes.length > 2 * n);
  const flat = parseWat(`(module (func ${'block '.repeat(n)}${'end '.repeat(n)}))`);
  assert.deepEqual(flat, bytes);
  const expr = parseWat(`(module (func (result i32) ${'(i32.add (i32.const 1) '.repeat(n)}(i32.const 0)${')'.repeat(n)}))`);
  assert.ok(expr.length > 3 * n);
  assert.equal(error(`(module (func ${'(block '.repeat(n)}))`).reason, 'unexpected token');
  assert.doesNotThrow(() => parseWat(`(module (@a ${'('.repeat(n)}${')'.repeat(n)}) ${'(;'.repeat(n)}${';)'.repeat(n)})`));
});

test('script errors carry positions too', () => {
  assert.throws(() => parseWast('(module)\n(assert_return (invoke "f") (i32.const nan:canonical))', 'x.wast'),
    (e: unknown) => e instanceof WatSyntaxError && e.line === 2 && e.file === 'x.wast');
  assert.throws(() => parseWast('(module)\n  (bogus)', 'x.wast'), (e: unknown) => e instanceof WatSyntaxError && e.line === 2 && e.column === 4);
});

test('an origin shifts positions into the enclosing file', () => {
  try {
    parseWat('(module\n  (func (param i33)))', 'script.wast', { line: 10, column: 5 });
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof WatSyntaxError);
    assert.equal(e.message, 'script.wast:11:16: expected a value type, found "i33"');
  }
  try {
    parseWat('(module (func (param i33)))', 'script.wast', { line: 10, column: 5 });
  } catch (e) {
    assert.equal((e as WatSyntaxError).column, 26);
  }
});
