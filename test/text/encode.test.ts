// Encodings of specific text constructs, checked byte for byte: abbreviations, implicit types,
// block types, segments, names, annotations, legacy exceptions, and the proposals' syntax.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/wat.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** The sections of a module as [id, content bytes] (custom sections included). */
function sections(bytes: Uint8Array): [number, number[]][] {
  assert.deepEqual([...bytes.subarray(0, 8)], HEADER);
  const out: [number, number[]][] = [];
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i++]!;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++]!;
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    out.push([id, [...bytes.subarray(i, i + size)]]);
    i += size;
  }
  return out;
}

function section(bytes: Uint8Array, id: number): number[] {
  const found = sections(bytes).filter(([s]) => s === id);
  assert.equal(found.length, 1, `one section ${id}`);
  return found[0]![1];
}

/** The body (locals and code, without the size) of function `n` of the code section. */
function body(bytes: Uint8Array, n = 0): number[] {
  const code = section(bytes, 10);
  let i = 1;
  for (let f = 0; ; f++) {
    const size = code[i++]!;
    if (f === n) return code.slice(i, i + size);
    i += size;
  }
}

test('a module without the (module ...) wrapper, and an empty module', () => {
  assert.deepEqual([...parseWat('')], HEADER);
  assert.deepEqual([...parseWat('(module)')], HEADER);
  assert.deepEqual(parseWat('(func) (memory 0) (func (export "f"))'), parseWat('(module (func) (memory 0) (func (export "f")))'));
});

test('script module forms: (module binary ...) and (module quote ...)', () => {
  assert.deepEqual([...parseWat('(module $m binary "\\00asm" "\\01\\00\\00\\00")')], HEADER);
  assert.deepEqual(parseWat('(module quote "(func" " (export \\"f\\"))")'), parseWat('(module (func (export "f")))'));
  assert.deepEqual(parseWat('(module definition $d (memory 1))'), parseWat('(module $d (memory 1))'));
});

test('implicit function types are reused or appended after the explicit ones, in text order', () => {
  const bytes = parseWat(`(module
    (func (param i32) (call_indirect (param i64)) (block (param f32) drop))
    (type (func (param i32)))
    (table 1 funcref))`);
  // Explicit type 0 = [i32] -> [], reused by the first function; then [i64], then [f32].
  assert.deepEqual(section(bytes, 1), [3, 0x60, 1, 0x7f, 0, 0x60, 1, 0x7e, 0, 0x60, 1, 0x7d, 0]);
  assert.deepEqual(section(bytes, 3), [1, 0]);
  assert.deepEqual(body(bytes), [0, 0x11, 1, 0, 0x02, 2, 0x1a, 0x0b, 0x0b]);
});

test('non-final and multi-member rec types are not reused; a singleton rec group is', () => {
  const nonFinal = parseWat('(module (type (sub (func))) (func))');
  assert.deepEqual(section(nonFinal, 1), [2, 0x50, 0, 0x60, 0, 0, 0x60, 0, 0]);
  assert.deepEqual(section(nonFinal, 3), [1, 1]);
  const singleton = parseWat('(module (rec (type (func))) (func))');
  assert.deepEqual(section(singleton, 3), [1, 0]);
  const pair = parseWat('(module (rec (type (func)) (type (struct))) (func))');
  assert.deepEqual(section(pair, 3), [1, 2]);
});

test('block types: empty, one result, an explicit index, and a multi-value signature', () => {
  const bytes = parseWat(`(module (type $t (func (result i32)))
    (func (block) (block (result i32) (i32.const 0)) drop (block (type $t) (i32.const 0)) drop
      (block (result i32 i32) (i32.const 0) (i32.const 0)) drop drop))`);
  assert.deepEqual(body(bytes), [0, 0x02, 0x40, 0x0b, 0x02, 0x7f, 0x41, 0, 0x0b, 0x1a, 0x02, 0, 0x41, 0, 0x0b, 0x1a,
    0x02, 2, 0x41, 0, 0x41, 0, 0x0b, 0x1a, 0x1a, 0x0b]);
});

test('folded and flat forms encode alike; labels resolve to depths; end labels are checked', () => {
  const flat = parseWat('(module (func (param i32) block $a loop $b local.get 0 br_if $a br $b end end))');
  const folded = parseWat('(module (func (param i32) (block $a (loop $b (br_if $a (local.get 0)) (br $b)))))');
  assert.deepEqual(flat.subarray(0, flat.length - 0), parseWat('(module (func (param i32) block $a loop $b local.get 0 br_if 1 br 0 end $b end $a))'));
  assert.deepEqual(body(flat), body(folded));
  assert.throws(() => parseWat('(module (func block $a end $b))'), { reason: 'mismatching label' });
  assert.throws(() => parseWat('(module (func block end $a))'), { reason: 'mismatching label' });
  assert.throws(() => parseWat('(module (func br $nope))'), { reason: 'unknown label' });
});

test('folded if: conditions first, then the if and its arms', () => {
  const bytes = parseWat('(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))))');
  assert.deepEqual(body(bytes), [0, 0x41, 1, 0x04, 0x7f, 0x41, 2, 0x05, 0x41, 3, 0x0b, 0x0b]);
});

test('legacy exception handling: try, catch, catch_all, delegate and rethrow', () => {
  const folded = parseWat(`(module (tag $e (param i32))
    (func (try $l (do (throw $e (i32.const 1))) (catch $e drop (rethrow $l)) (catch_all))
          (block $out (try (do) (delegate $out)))))`);
  const flat = parseWat(`(module (tag $e (param i32))
    (func try $l i32.const 1 throw $e catch $e drop rethrow $l catch_all end
          block $out try delegate $out end))`);
  const code = [0, 0x06, 0x40, 0x41, 1, 0x08, 0, 0x07, 0, 0x1a, 0x09, 0, 0x19, 0x0b,
    0x02, 0x40, 0x06, 0x40, 0x18, 0, 0x0b, 0x0b];
  assert.deepEqual(body(folded), code);
  assert.deepEqual(body(flat), code);
  assert.throws(() => parseWat('(module (func (catch_all)))'), { reason: 'unexpected token' });
});

test('try_table catch clauses resolve their labels outside the block', () => {
  const bytes = parseWat(`(module (tag $e) (func (block $h (result exnref)
    (try_table $t (catch $e 1) (catch_ref $e $h) (catch_all $h) (catch_all_ref 0) (br $t)) (unreachable))))`);
  assert.deepEqual(body(bytes), [0, 0x02, 0x69, 0x1f, 0x40, 4, 0, 0, 1, 1, 0, 0, 2, 0, 3, 0, 0x0c, 0, 0x0b, 0x00, 0x0b, 0x0b]);
});

test('memory and table abbreviations with inline data and elements', () => {
  const mem = parseWat('(module (memory (data "ab" "c")))');
  assert.deepEqual(section(mem, 5), [1, 1, 1, 1]);
  assert.deepEqual(section(mem, 11), [1, 0, 0x41, 0, 0x0b, 3, 0x61, 0x62, 0x63]);
  const mem64 = parseWat('(module (memory i64 (pagesize 1) (data "abc")))');
  assert.deepEqual(section(mem64, 5), [1, 0x0d, 3, 3, 0]);
  assert.deepEqual(section(mem64, 11), [1, 0, 0x42, 0, 0x0b, 3, 0x61, 0x62, 0x63]);
  const table = parseWat('(module (func $f) (table funcref (elem $f $f)))');
  assert.deepEqual(section(table, 4), [1, 0x70, 1, 2, 2]);
  assert.deepEqual(section(table, 9), [1, 2, 0, 0x41, 0, 0x0b, 0, 2, 0, 0]);
});

test('element segment forms choose the encodings wasm-tools chooses', () => {
  const seg = (text: string) => section(parseWat(`(module (table 1 funcref) (func $f) ${text})`), 9).slice(1);
  assert.deepEqual(seg('(elem (i32.const 0) $f)'), [0, 0x41, 0, 0x0b, 1, 0]);
  assert.deepEqual(seg('(elem (offset (i32.const 0)) func $f)'), [0, 0x41, 0, 0x0b, 1, 0]);
  assert.deepEqual(seg('(elem func $f)'), [1, 0, 1, 0]);
  assert.deepEqual(seg('(elem (table 0) (i32.const 0) func $f)'), [2, 0, 0x41, 0, 0x0b, 0, 1, 0]);
  assert.deepEqual(seg('(elem declare func $f)'), [3, 0, 1, 0]);
  assert.deepEqual(seg('(elem (i32.const 0) funcref (ref.func $f))'), [4, 0x41, 0, 0x0b, 1, 0xd2, 0, 0x0b]);
  assert.deepEqual(seg('(elem funcref (item ref.null func))'), [5, 0x70, 1, 0xd0, 0x70, 0x0b]);
  assert.deepEqual(seg('(elem (table 0) (i32.const 0) funcref (ref.func $f))'), [6, 0, 0x41, 0, 0x0b, 0x70, 1, 0xd2, 0, 0x0b]);
  assert.deepEqual(seg('(elem declare (ref func) (ref.func $f))'), [7, 0x64, 0x70, 1, 0xd2, 0, 0x0b]);
});

test('data segments: passive, active, explicit memory, and the data count section', () => {
  const bytes = parseWat('(module (memory 1) (memory 1) (data "x") (data (i32.const 1) "y") (data (memory 1) (offset (i32.const 2)) "z") (func (data.drop 0)))');
  assert.deepEqual(section(bytes, 11), [3, 1, 1, 0x78, 0, 0x41, 1, 0x0b, 1, 0x79, 2, 1, 0x41, 2, 0x0b, 1, 0x7a]);
  assert.deepEqual(section(bytes, 12), [3]);
  assert.equal(sections(parseWat('(module (memory 1) (data "x"))')).some(([id]) => id === 12), false);
});

test('the name section: module, functions, locals, labels, types, fields, and the other spaces', () => {
  const bytes = parseWat(`(module $m (type $t (struct (field $x i32)))
    (func $f (param $p i32) (local $l i64) (block $b))
    (table $tab 1 funcref) (memory $mem 1) (global $g i32 (i32.const 0)) (elem $e func) (data $d "") (tag $tag))`);
  const names = sections(bytes).find(([id, c]) => id === 0 && String.fromCharCode(...c.slice(1, 5)) === 'name')![1];
  const subsections: number[] = [];
  for (let i = 5; i < names.length; ) {
    subsections.push(names[i]!);
    i += 2 + names[i + 1]!;
  }
  assert.deepEqual(subsections, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.equal(sections(parseWat('(module (func))')).length, 3, 'no name section without names');
});

test('@name overrides identifiers; @custom places custom sections', () => {
  const bytes = parseWat('(module (@name "Mod") (func $f (@name "λ")) (@custom "c" (after func) "xy") (@custom "d" (before first) ""))');
  const ids = sections(bytes).map(([id]) => id);
  assert.deepEqual(ids, [0, 1, 3, 0, 10, 0]);
  const name = sections(bytes).at(-1)![1];
  assert.deepEqual(name.slice(5), [0, 4, 3, 0x4d, 0x6f, 0x64, 1, 5, 1, 0, 2, 0xce, 0xbb]);
  assert.throws(() => parseWat('(module (func (@custom "x")))'), { reason: 'misplaced @custom annotation' });
  assert.throws(() => parseWat('(module (func) (@name "M"))'), { reason: 'misplaced @name annotation' });
});

test('branch hints go to a metadata.code.branch_hint section before the code', () => {
  const bytes = parseWat('(module (func (param i32) (@metadata.code.branch_hint "\\01") (if (local.get 0) (then))))');
  const hint = sections(bytes).find(([id, c]) => id === 0 && c[0] === 25)!;
  assert.deepEqual(hint[1].slice(26), [1, 0, 1, 3, 1, 1]);
  assert.deepEqual(sections(bytes).map(([id]) => id), [1, 3, 0, 10]);
});

test('proposals: shared memory, custom page sizes, wide arithmetic, exact types and descriptors', () => {
  assert.deepEqual(section(parseWat('(module (memory 1 2 shared))'), 5), [1, 3, 1, 2]);
  assert.deepEqual(section(parseWat('(module (memory 1 (pagesize 65536)))'), 5), [1, 8, 1, 16]);
  assert.throws(() => parseWat('(module (memory 1 (pagesize 3)))'), { reason: 'invalid custom page size' });
  assert.deepEqual(body(parseWat('(module (func (param i64) (result i64 i64) (i64.mul_wide_s (local.get 0) (local.get 0))))')),
    [0, 0x20, 0, 0x20, 0, 0xfc, 0x15, 0x0b]);
  const desc = parseWat('(module (rec (type $t (descriptor $d) (struct)) (type $d (describes $t) (struct))) (import "" "" (func (exact (type 0)))))');
  assert.deepEqual(section(desc, 1), [1, 0x4e, 2, 0x4d, 1, 0x5f, 0, 0x4c, 0, 0x5f, 0]);
  assert.deepEqual(section(desc, 2), [1, 0, 0, 0x20, 0]);
  const exact = parseWat('(module (type $t (struct)) (func (param (ref null (exact $t)))))');
  assert.deepEqual(section(exact, 1).slice(-6), [0x60, 1, 0x63, 0x62, 0, 0]);
});

test('v128 constants in every lane shape, and memory arguments', () => {
  const v = (shape: string) => body(parseWat(`(module (func (v128.const ${shape}) drop))`)).slice(3, 19);
  const ones = Array(16).fill(0xff);
  assert.deepEqual(v('i8x16 -1 -1 -1 -1 -1 -1 -1 -1 255 255 255 255 255 255 255 255'), ones);
  assert.deepEqual(v('i16x8 -1 -1 -1 -1 0xffff 0xffff 0xffff 0xffff'), ones);
  assert.deepEqual(v('i32x4 -1 -1 -1 0xffff_ffff'), ones);
  assert.deepEqual(v('i64x2 -1 0xffffffffffffffff'), ones);
  assert.deepEqual(v('f32x4 1 -0 nan inf').slice(0, 8), [0, 0, 0x80, 0x3f, 0, 0, 0, 0x80]);
  assert.deepEqual(v('f64x2 0x1p-1074 -nan:0x1'), [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0xf0, 0xff]);
  assert.throws(() => parseWat('(module (func (v128.const i32x4 1 2 3) drop))'), { reason: 'wrong number of lane literals' });
  const mem = body(parseWat('(module (memory 1) (memory 1) (func (i32.load 1 offset=16 align=1 (i32.const 0)) drop))'));
  assert.deepEqual(mem.slice(3, 8), [0x28, 0x40, 1, 16, 0x1a].slice(0, 5));
  assert.throws(() => parseWat('(module (memory 1) (func (i32.load align=3 (i32.const 0)) drop))'), { reason: 'alignment must be a power of two' });
});

test('strings: escapes, UTF-8 and malformed names', () => {
  const data = section(parseWat('(module (memory 1) (data (i32.const 0) "\\t\\n\\r\\"\\\'\\\\\\00\\ff\\u{1F600}é"))'), 11);
  assert.deepEqual(data.slice(5), [14, 9, 10, 13, 0x22, 0x27, 0x5c, 0, 0xff, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9]);
  assert.throws(() => parseWat('(module (func (export "\\ff")))'), { reason: 'malformed UTF-8 encoding' });
  assert.throws(() => parseWat('(module (data "\\u{d800}"))'), { reason: 'illegal escape' });
  assert.throws(() => parseWat('(module (data "\\q"))'), { reason: 'illegal escape' });
  assert.throws(() => parseWat('(module (data "abc'), { reason: 'unclosed string literal' });
  // Lone surrogates stand for invalid UTF-8 bytes of quoted source text.
  assert.throws(() => parseWat('(module (@a \udc80))'), { reason: 'malformed UTF-8 encoding' });
});

test('identifiers: $name and $"name" are the same; duplicates are malformed', () => {
  assert.deepEqual(parseWat('(module (func $"f") (start $f))'), parseWat('(module (func $f) (start $"f"))'));
  assert.throws(() => parseWat('(module (func $f) (func $f))'), { reason: 'duplicate func' });
  assert.throws(() => parseWat('(module (func (param $x i32) (local $x i32)))'), { reason: 'duplicate local' });
  assert.throws(() => parseWat('(module (func $""))'), { reason: 'empty identifier' });
  assert.throws(() => parseWat('(module (func) (import "" "" (func)))'), { reason: 'import after function' });
  assert.throws(() => parseWat('(module (start 0) (start 0) (func))'), { reason: 'multiple start sections' });
  assert.throws(() => parseWat('(module (type $t (func (param i32))) (func (type $t) (param i64)))'), { reason: 'inline function type' });
});
