// JS String Builtins ("wasm:js-string") and imported string constants. Node 20 has neither, so the
// builtins are checked against a JS polyfill of the same imports (as the spec's own tests do), and
// the difference from Node is asserted with `differs`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differs, ours as W, same, wasm, type Namespace } from './side-by-side.js';
import { nativeFrom, needsKnownOracle } from '../helpers/oracle.js';

const STRINGS = wasm(`(module
  (type $chars (array (mut i16)))
  (import "wasm:js-string" "concat" (func $concat (param externref externref) (result (ref extern))))
  (import "wasm:js-string" "length" (func $length (param externref) (result i32)))
  (import "wasm:js-string" "codePointAt" (func $codePointAt (param externref i32) (result i32)))
  (import "wasm:js-string" "fromCharCodeArray" (func $fromArray (param (ref null $chars) i32 i32) (result (ref extern))))
  (import "wasm:js-string" "intoCharCodeArray" (func $intoArray (param externref (ref null $chars) i32) (result i32)))
  (import "wasm:js-string" "equals" (func $equals (param externref externref) (result i32)))
  (import "str" "hello, " (global $hello (ref extern)))
  (func (export "greet") (param externref) (result externref) (call $concat (global.get $hello) (local.get 0)))
  (func (export "length") (param externref) (result i32) (call $length (local.get 0)))
  (func (export "codePointAt") (param externref i32) (result i32) (call $codePointAt (local.get 0) (local.get 1)))
  (func (export "equals") (param externref externref) (result i32) (call $equals (local.get 0) (local.get 1)))
  ;; The string without its first code unit, through an (array (mut i16)).
  (func (export "tail") (param $s externref) (result externref)
    (local $a (ref $chars))
    (local.set $a (array.new_default $chars (call $length (local.get $s))))
    (drop (call $intoArray (local.get $s) (local.get $a) (i32.const 0)))
    (call $fromArray (local.get $a) (i32.const 1) (array.len (local.get $a))))
  ;; A trap in a builtin is not an exception: catch_all does not see it.
  (func (export "lengthOrMinusOne") (param externref) (result i32)
    (block $caught (try_table (catch_all $caught) (return (call $length (local.get 0)))))
    (i32.const -1)))`);

const OPTIONS = { builtins: ['js-string'], importedStringConstants: 'str' };

function notString(v: unknown): string {
  if (typeof v !== 'string') throw new W.RuntimeError('not a string');
  return v;
}

/** The same imports in JS (what glue code gives engines without the builtins). */
const POLYFILL = {
  'wasm:js-string': {
    concat: (a: unknown, b: unknown) => notString(a) + notString(b),
    length: (s: unknown) => notString(s).length,
    codePointAt: (s: unknown, i: number) => {
      const str = notString(s);
      if (i >>> 0 >= str.length) throw new W.RuntimeError('index out of bounds');
      return str.codePointAt(i >>> 0);
    },
    fromCharCodeArray: () => { throw new Error('not used'); },
    intoCharCodeArray: () => { throw new Error('not used'); },
    equals: (a: unknown, b: unknown) => Number(a === b),
  },
  str: { 'hello, ': 'hello, ' },
};

test('builtins and string constants come from the compile options, not the import object', () => {
  const e = new W.Instance(new W.Module(STRINGS, OPTIONS), {}).exports;
  assert.equal(e.greet('world'), 'hello, world');
  assert.equal(e.length('h\u00e9llo'), 5);
  assert.equal(e.codePointAt('\u{1f600}!', 0), 0x1f600);
  assert.equal(e.codePointAt('\u{1f600}!', 1), 0xde00);
  assert.equal(e.tail('\u{1f600}abc'), '\ude00abc');
  assert.equal(e.tail('x'), '');
  assert.equal(e.equals(null, null), 1);
  assert.equal(e.equals('a', 'a'), 1);
  assert.equal(e.equals('a', null), 0);
});

test('the builtins behave as a JS polyfill of them, except that their failures are traps', () => {
  const builtin = new W.Instance(new W.Module(STRINGS, OPTIONS), {}).exports;
  const polyfill = new W.Instance(new W.Module(STRINGS), POLYFILL).exports;
  for (const s of ['', 'a', 'hello, world', '\u263a\u263a', '\u{10000}\u{10001}']) {
    assert.equal(builtin.greet(s), polyfill.greet(s));
    assert.equal(builtin.length(s), polyfill.length(s));
    for (let i = 0; i < s.length; i++) assert.equal(builtin.codePointAt(s, i), polyfill.codePointAt(s, i));
    assert.throws(() => builtin.codePointAt(s, s.length), W.RuntimeError);
    assert.throws(() => builtin.codePointAt(s, -1), W.RuntimeError);
  }
  for (const v of [null, undefined, 1, {}, Symbol('s'), 2n]) {
    assert.throws(() => builtin.length(v), (e: unknown) => Object.getPrototypeOf(e) === W.RuntimeError.prototype);
    assert.throws(() => builtin.equals(v === null ? 1 : v, 'a'), W.RuntimeError);
    // The polyfill's RuntimeError is a JS exception, which catch_all catches; the builtin's is a trap.
    assert.equal(polyfill.lengthOrMinusOne(v), -1);
    assert.throws(() => builtin.lengthOrMinusOne(v), W.RuntimeError);
  }
});

test('Module.imports leaves out the imports the options answer', () => {
  const names = (m: unknown) => W.Module.imports(m).map((i: { module: string; name: string }) => `${i.module} ${i.name}`);
  assert.deepEqual(names(new W.Module(STRINGS, OPTIONS)), []);
  assert.equal(names(new W.Module(STRINGS)).length, 7);
  assert.deepEqual(names(new W.Module(STRINGS, { builtins: ['js-string'] })), ['str hello, ']);
  assert.equal(names(new W.Module(STRINGS, { importedStringConstants: 'str' })).length, 6);
});

test('an import of a builtin with another type, or of a string as anything but an immutable (ref extern) global, does not compile', async () => {
  const wrongType = wasm('(module (import "wasm:js-string" "length" (func (param externref) (result i64))))');
  assert.equal(W.validate(wrongType), true);
  assert.equal(W.validate(wrongType, { builtins: ['js-string'] }), false);
  assert.throws(() => new W.Module(wrongType, { builtins: ['js-string'] }), W.CompileError);
  await assert.rejects(W.compile(wrongType, { builtins: ['js-string'] }), W.CompileError);
  // The same signature in a rec group with another type is another type.
  const recGroup = wasm(`(module (rec (type $f (func (param externref) (result i32))) (type (struct)))
    (import "wasm:js-string" "length" (func (type $f))))`);
  assert.equal(W.validate(recGroup, { builtins: ['js-string'] }), false);
  // A name that is not a builtin is an ordinary import.
  const other = wasm('(module (import "wasm:js-string" "shout" (func (param externref) (result externref))))');
  assert.equal(W.validate(other, { builtins: ['js-string'] }), true);
  for (const global of ['(mut externref)', 'anyref', 'funcref', '(mut (ref extern))']) {
    const bytes = wasm(`(module (import "s" "x" (global ${global})))`);
    assert.equal(W.validate(bytes, { importedStringConstants: 's' }), false, global);
  }
  const func = wasm('(module (import "s" "x" (func)))');
  assert.throws(() => new W.Module(func, { importedStringConstants: 's' }), W.CompileError);
  assert.equal(W.validate(wasm('(module)'), { builtins: ['js-string', 'js-string'] }), false);
  assert.equal(W.validate(wasm('(module)'), { builtins: ['no-such-set'] }), true);
});

test('imported string constants are the import names, whatever the import object says', async () => {
  const bytes = wasm(`(module (import "'" "\\00\\f0\\9f\\98\\80" (global $s externref)) (export "s" (global $s)))`);
  const { instance } = await W.instantiate(bytes, { "'": { '\u0000\u{1f600}': 'ignored' } }, { importedStringConstants: "'" });
  assert.equal(instance.exports.s.value, '\u0000\u{1f600}');
  // The option is a USVString: a lone surrogate becomes U+FFFD (UTF-8 ef bf bd in the module).
  const replaced = wasm(`(module (import "\\ef\\bf\\bd" "x" (global $s externref)) (export "s" (global $s)))`);
  assert.equal(new W.Instance(new W.Module(replaced, { importedStringConstants: '\ud800' }), {}).exports.s.value, 'x');
});

test('string builtins beside Node\'s: Node 20 has none, so its namespace looks the imports up in the import object', { skip: needsKnownOracle('a namespace with or without string builtins') }, async () => {
  // No GC types here: Node 20 does not compile those either.
  const bytes = wasm(`(module (import "wasm:js-string" "length" (func $length (param externref) (result i32)))
    (func (export "length") (param externref) (result i32) (call $length (local.get 0))))`);
  const call = (N: Namespace) => new N.Instance(new N.Module(bytes, OPTIONS), {}).exports.length('four');
  const imports = (N: Namespace) => N.Module.imports(new N.Module(bytes, OPTIONS)).length;
  if (nativeFrom(22)) {
    assert.deepEqual(await same(call), { value: 4 });
    assert.deepEqual(await same(imports), { value: 0 });
  } else {
    await differs(call, { native: { error: 'TypeError' }, tswasm: { value: 4 } });
    await differs(imports, { native: { value: 1 }, tswasm: { value: 0 } });
  }
});

test('the builtins are the real String functions, whatever code patches later; string constants named wasm:js-string win (stop 36 audit)', () => {
  const exports = new W.Instance(new W.Module(wasm(`(module
    (import "wasm:js-string" "charCodeAt" (func $at (param externref i32) (result i32)))
    (import "wasm:js-string" "substring" (func $sub (param externref i32 i32) (result (ref extern))))
    (import "wasm:js-string" "fromCharCode" (func $from (param i32) (result (ref extern))))
    (func (export "at") (param externref i32) (result i32) (call $at (local.get 0) (local.get 1)))
    (func (export "sub") (param externref i32 i32) (result externref) (call $sub (local.get 0) (local.get 1) (local.get 2)))
    (func (export "from") (param i32) (result externref) (call $from (local.get 0))))`), OPTIONS), {}).exports as Record<string, (...a: unknown[]) => unknown>;
  const proto = String.prototype as unknown as Record<string, unknown>;
  const saved = { charCodeAt: proto.charCodeAt, substring: proto.substring, fromCharCode: String.fromCharCode };
  try {
    proto.charCodeAt = () => 999;
    proto.substring = () => 'PATCHED';
    (String as unknown as Record<string, unknown>).fromCharCode = () => null;
    assert.deepEqual([exports.at!('ab', 0), exports.sub!('hello', 1, 3), exports.from!(65)], [97, 'el', 'A']);
  } finally {
    proto.charCodeAt = saved.charCodeAt;
    proto.substring = saved.substring;
    String.fromCharCode = saved.fromCharCode;
  }
  // "read the imports" sets the string constants after the builtins: a constant named "length" is the string.
  const shadow = new W.Instance(new W.Module(wasm('(module (global (import "wasm:js-string" "length") (ref extern)) (export "g" (global 0)))'),
    { builtins: ['js-string'], importedStringConstants: 'wasm:js-string' }), {}).exports as { g: { value: unknown } };
  assert.equal(shadow.g.value, 'length');
  // A builtin exported again is named by its function index, as V8 names it (every one was "0").
  const names = new W.Instance(new W.Module(wasm(`(module
    (import "wasm:js-string" "length" (func $a (param externref) (result i32)))
    (import "wasm:js-string" "concat" (func $b (param externref externref) (result (ref extern))))
    (export "a" (func $a)) (export "b" (func $b)))`), OPTIONS), {}).exports as Record<string, { name: string }>;
  assert.deepEqual([names.a!.name, names.b!.name], ['0', '1']);
});
