// printModule: binary to text that parseWat encodes back to the same bytes, over the whole suite
// and on hand-written cases (names, floats, every segment form, legacy exceptions).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { testsuiteRoot } from '../helpers/paths.js';
import { parseWat } from '../../src/text/wat.js';
import { printModule } from '../../src/text/printer.js';
import { CompileError } from '../../src/core/errors.js';
import { roundTrip, suiteBinaries } from '../../tools/text-roundtrip.js';

const skip = existsSync(testsuiteRoot) ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)`;

test('print -> parse is the identity on every encoded text module and every canonical binary module of the suite', { skip }, () => {
  const failures: string[] = [];
  let identical = 0;
  let nonCanonical = 0;
  for (const { where, origin, bytes } of suiteBinaries(testsuiteRoot)) {
    const problem = roundTrip(bytes);
    if (problem === null) identical++;
    else if (origin === 'binary' && problem.startsWith('non-canonical:')) nonCanonical++;
    else failures.push(`${where} [${origin}]: ${problem}`);
  }
  assert.deepEqual(failures, []);
  assert.ok(identical > 5700, `${identical} identical`);
  // Binary modules that spell something longer than needed (overlong LEB128, empty sections):
  // no text can ask for those bytes; the round trip then only reaches a fixpoint.
  assert.ok(nonCanonical < 100, `${nonCanonical} non-canonical`);
});

function same(text: string): void {
  const bytes = parseWat(text);
  const printed = printModule(bytes);
  assert.deepEqual(parseWat(printed), bytes, printed);
}

test('round trips of hand-written modules', () => {
  same(`(module $m
    (type $t (func (param i32) (result i32)))
    (type $s (sub (struct (field $a (mut i32)) (field $b i64))))
    (rec (type $r1 (struct (field (ref null $r2)))) (type $r2 (array (mut i8))))
    (import "env" "mem" (memory $mem 1 2 shared))
    (import "env" "f" (func $imp (param $ignored i32)))
    (func $f (export "f") (type $t) (param $p i32) (result i32) (local $l i64) (local f32 f32)
      (block $out (result i32)
        (if (result i32) (local.get $p) (then (br $out (i32.const 1))) (else (f32.const -0.5) drop (i32.const 2)))))
    (table $tab funcref (elem $f))
    (global $g (mut f64) (f64.const 0x1p-1074))
    (data $d (i32.const 16) "hi\\00\\ff")
    (elem $e declare func $f)
    (@custom "c1" (after func) "x")
    (@custom "c2" (before first) "y"))`);
  same('(module (func (param i32) (result i32) local.get 0 (f32.const nan:0x123) drop (f64.const -nan) drop (f64.const -0) drop))');
  same('(module (memory i64 1 (pagesize 1)) (table i64 1 10 externref) (func (v128.const i8x16 -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16) drop))');
  same('(module (tag $e (param i32)) (func (try (do (throw $e (i32.const 1))) (catch $e drop) (catch_all)) (try (do) (delegate 0))))');
  same('(module (type $f (func)) (import "" "" (func (exact (type $f)))) (table 2 funcref) (elem (table 0) (i32.const 0) funcref (ref.func 0) (ref.null func)) (elem funcref (item ref.null func)))');
});

test('printed text states names, hex floats and non-default memory arguments', () => {
  const text = printModule(parseWat(`(module (memory 1) (func $go (param $x i32)
    (f32.const 1.5) drop (i64.store offset=8 align=4 (local.get $x) (i64.const -5))))`));
  assert.match(text, /\(func \$go \(;0;\) \(type 0\) \(param \$x i32\)/);
  assert.match(text, /f32\.const 0x1\.8p\+0/);
  assert.match(text, /i64\.store offset=8 align=4/);
  assert.match(text, /local\.get \$x/);
});

test('a name section that ids cannot restate is kept raw', () => {
  // Two functions with the same name cannot both be $f: the section is printed as @custom.
  const bytes = parseWat('(module (func) (func) (@custom "name" "\\01\\07\\02\\00\\01f\\01\\01f"))');
  const text = printModule(bytes);
  assert.match(text, /@custom "name"/);
  assert.deepEqual(parseWat(text), bytes);
});

test('a body whose blocks do not nest is a CompileError with its offset, not an internal error', () => {
  // type () -> (); one function; its body: `else` with no `if`, or an instruction after the final `end`.
  const module = (body: number[]) => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
    0x0a, body.length + 2, 1, body.length, ...body]);
  for (const [body, message, offset] of [
    [[0, 0x05, 0x0b], /^else outside a block \(at offset 0x17\)$/, 0x17],
    [[0, 0x0b, 0x0b], /^instructions after the end of the sequence \(at offset 0x18\)$/, 0x18],
    [[0, 0x18, 0x00, 0x0b], /^delegate outside a block/, 0x17],
  ] as [number[], RegExp, number][]) {
    assert.throws(() => printModule(module(body)), (e: unknown) => e instanceof CompileError && message.test(e.message) && e.offset === offset);
  }
  assert.match(printModule(module([0, 0x0b])), /\(func/);
});
