// GC in generated code: exact NaN bits through struct fields and array elements (also once V8 has
// optimised the code), packed fields, i64 and v128 storage, i31 boundaries, casts across modules
// with equivalent rec groups, every trap, constant expressions, and the GC scripts under each config.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnyRef, Engine, I31, Instance, Module, Store, Trap, TrapCode, Val, type Config } from '../../src/api/index.js';
import { WASM3_FEATURES, withFeatures } from '../../src/core/features.js';
import { ApiSpecEngine } from '../../src/spec/api-engine.js';
import { runScript } from '../../src/spec/runner.js';
import { parseWat } from '../../src/text/index.js';
import { parseWast } from '../../src/text/wast.js';
import { testsuiteRoot } from '../helpers/paths.js';
import { instantiateWat } from '../api/wat-helper.js';
import { trapOf } from '../helpers/caught.js';


const F64_NANS = [0x7ff0000000000001n, 0xfff4000000000000n, 0x7ff8000000000001n, 0x7ff0dead0000beefn, 0x7ff8000000000000n];
const F32_NANS = [0x7f800001, 0xffa00001, 0x7fc00001, 0x7f8abcde, 0xffc00000];

// Each function stores the bits as a float `n` times in a loop and returns the bits read back, so
// with n = 100000 the round trip runs in code V8 has optimised.
const floats = `(module
  (type $s (struct (field (mut f64)) (field (mut f32))))
  (type $d (array (mut f64)))
  (type $f (array (mut f32)))
  (data $bits "\\01\\00\\00\\00\\00\\00\\f0\\7f" "\\01\\00\\80\\7f")
  (func (export "struct_f64") (param $x i64) (param $n i32) (result i64)
    (local $o (ref null $s)) (local $k i32) (local $r i64)
    (local.set $o (struct.new_default $s))
    (loop $l
      (struct.set $s 0 (local.get $o) (f64.reinterpret_i64 (local.get $x)))
      (local.set $r (i64.reinterpret_f64 (struct.get $s 0 (local.get $o))))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
    (local.get $r))
  (func (export "struct_f32") (param $x i32) (param $n i32) (result i32)
    (local $o (ref null $s)) (local $k i32) (local $r i32)
    (local.set $o (struct.new_default $s))
    (loop $l
      (struct.set $s 1 (local.get $o) (f32.reinterpret_i32 (local.get $x)))
      (local.set $r (i32.reinterpret_f32 (struct.get $s 1 (local.get $o))))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
    (local.get $r))
  (func (export "new_f64") (param $x i64) (result i64)
    (i64.reinterpret_f64 (struct.get $s 0 (struct.new $s (f64.reinterpret_i64 (local.get $x)) (f32.const 0)))))
  (func (export "array_f64") (param $x i64) (param $n i32) (result i64)
    (local $a (ref null $d)) (local $k i32) (local $r i64)
    (local.set $a (array.new_default $d (i32.const 4)))
    (loop $l
      (array.set $d (local.get $a) (i32.const 2) (f64.reinterpret_i64 (local.get $x)))
      (local.set $r (i64.reinterpret_f64 (array.get $d (local.get $a) (i32.const 2))))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
    (local.get $r))
  (func (export "array_f32") (param $x i32) (param $n i32) (result i32)
    (local $a (ref null $f)) (local $k i32) (local $r i32)
    (local.set $a (array.new_default $f (i32.const 4)))
    (loop $l
      (array.set $f (local.get $a) (i32.const 1) (f32.reinterpret_i32 (local.get $x)))
      (local.set $r (i32.reinterpret_f32 (array.get $f (local.get $a) (i32.const 1))))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
    (local.get $r))
  (func (export "bulk_f64") (param $x i64) (result i64)
    (local $a (ref null $d)) (local $b (ref null $d))
    (local.set $a (array.new $d (f64.reinterpret_i64 (local.get $x)) (i32.const 3)))
    (local.set $b (array.new_fixed $d 2 (f64.const 0) (array.get $d (local.get $a) (i32.const 2))))
    (array.fill $d (local.get $a) (i32.const 0) (array.get $d (local.get $b) (i32.const 1)) (i32.const 2))
    (array.copy $d $d (local.get $b) (i32.const 0) (local.get $a) (i32.const 1) (i32.const 1))
    (i64.reinterpret_f64 (array.get $d (local.get $b) (i32.const 0))))
  (func (export "bulk_f32") (param $x i32) (result i32)
    (local $a (ref null $f))
    (local.set $a (array.new $f (f32.reinterpret_i32 (local.get $x)) (i32.const 3)))
    (array.copy $f $f (local.get $a) (i32.const 0) (local.get $a) (i32.const 1) (i32.const 2))
    (i32.reinterpret_f32 (array.get $f (local.get $a) (i32.const 0))))
  (func (export "data_f64") (result i64)
    (i64.reinterpret_f64 (array.get $d (array.new_data $d $bits (i32.const 0) (i32.const 1)) (i32.const 0))))
  (func (export "data_f32") (result i32)
    (i32.reinterpret_f32 (array.get $f (array.new_data $f $bits (i32.const 8) (i32.const 1)) (i32.const 0))))
)`;

test('struct fields and array elements keep f64 and f32 NaN bits, also in optimised code', () => {
  const { store, instance } = instantiateWat(floats);
  const call = (name: string, args: Val[]) => instance.getFunc(store, name)!.call(store, args)[0]!.value;
  for (const n of [1, 100_000]) {
    for (const bits of F64_NANS) {
      assert.equal(BigInt.asUintN(64, call('struct_f64', [Val.i64(bits), Val.i32(n)]) as bigint), bits, `struct f64 ${bits.toString(16)}`);
      assert.equal(BigInt.asUintN(64, call('array_f64', [Val.i64(bits), Val.i32(n)]) as bigint), bits, `array f64 ${bits.toString(16)}`);
    }
    for (const bits of F32_NANS) {
      assert.equal(call('struct_f32', [Val.i32(bits), Val.i32(n)]), bits | 0, `struct f32 ${bits.toString(16)}`);
      assert.equal(call('array_f32', [Val.i32(bits), Val.i32(n)]), bits | 0, `array f32 ${bits.toString(16)}`);
    }
  }
  for (const bits of F64_NANS) {
    assert.equal(BigInt.asUintN(64, call('new_f64', [Val.i64(bits)]) as bigint), bits);
    assert.equal(BigInt.asUintN(64, call('bulk_f64', [Val.i64(bits)]) as bigint), bits);
  }
  for (const bits of F32_NANS) assert.equal(call('bulk_f32', [Val.i32(bits)]), bits | 0);
  assert.equal(BigInt.asUintN(64, call('data_f64', []) as bigint), 0x7ff0000000000001n);
  assert.equal(call('data_f32', []), 0x7f800001);
});

test('packed fields and elements keep the low bits; get_s and get_u extend them', () => {
  const { store, instance } = instantiateWat(`(module
    (type $s (struct (field (mut i8)) (field (mut i16))))
    (type $b (array (mut i8)))
    (type $h (array (mut i16)))
    (data $d "\\80\\ff\\7f\\01\\ff\\ff\\00\\80")
    (func (export "field8") (param i32) (result i32 i32)
      (local $o (ref null $s))
      (local.set $o (struct.new $s (local.get 0) (i32.const 0)))
      (struct.get_s $s 0 (local.get $o)) (struct.get_u $s 0 (local.get $o)))
    (func (export "field16") (param i32) (result i32 i32)
      (local $o (ref null $s))
      (local.set $o (struct.new_default $s))
      (struct.set $s 1 (local.get $o) (local.get 0))
      (struct.get_s $s 1 (local.get $o)) (struct.get_u $s 1 (local.get $o)))
    (func (export "elem8") (param i32) (result i32 i32)
      (local $a (ref null $b))
      (local.set $a (array.new $b (local.get 0) (i32.const 2)))
      (array.get_s $b (local.get $a) (i32.const 1)) (array.get_u $b (local.get $a) (i32.const 1)))
    (func (export "data8") (param i32) (result i32 i32)
      (local $a (ref null $b))
      (local.set $a (array.new_data $b $d (i32.const 0) (i32.const 8)))
      (array.get_s $b (local.get $a) (local.get 0)) (array.get_u $b (local.get $a) (local.get 0)))
    (func (export "data16") (param i32) (result i32 i32)
      (local $a (ref null $h))
      (local.set $a (array.new_data $h $d (i32.const 0) (i32.const 4)))
      (array.get_s $h (local.get $a) (local.get 0)) (array.get_u $h (local.get $a) (local.get 0))))`);
  const pair = (name: string, x: number) => instance.getFunc(store, name)!.call(store, [Val.i32(x)]).map((v) => v.value);
  assert.deepEqual(pair('field8', 0x1ff), [-1, 0xff]);
  assert.deepEqual(pair('field8', 0x17f), [127, 127]);
  assert.deepEqual(pair('field8', -128), [-128, 128]);
  assert.deepEqual(pair('field16', 0x18000), [-32768, 0x8000]);
  assert.deepEqual(pair('field16', 0x7fff), [0x7fff, 0x7fff]);
  assert.deepEqual(pair('elem8', 0x2fe), [-2, 0xfe]);
  assert.deepEqual(pair('data8', 0), [-128, 0x80]);
  assert.deepEqual(pair('data8', 2), [127, 127]);
  assert.deepEqual(pair('data16', 0), [-128, 0xff80]);
  assert.deepEqual(pair('data16', 2), [-1, 0xffff]);
  assert.deepEqual(pair('data16', 3), [-32768, 0x8000]);
});

test('i64 and v128 fields and elements keep all their bits', () => {
  const { store, instance } = instantiateWat(`(module
    (type $s (struct (field (mut i64)) (field (mut v128))))
    (type $a (array (mut i64)))
    (type $v (array (mut v128)))
    (func (export "field") (param i64) (result i64)
      (local $o (ref null $s))
      (local.set $o (struct.new_default $s))
      (struct.set $s 0 (local.get $o) (local.get 0))
      (struct.get $s 0 (local.get $o)))
    (func (export "elems") (param i64) (result i64 i64)
      (local $a (ref null $a))
      (local.set $a (array.new $a (local.get 0) (i32.const 3)))
      (array.fill $a (local.get $a) (i32.const 1) (i64.const -2) (i32.const 1))
      (array.copy $a $a (local.get $a) (i32.const 0) (local.get $a) (i32.const 1) (i32.const 2))
      (array.get $a (local.get $a) (i32.const 0)) (array.get $a (local.get $a) (i32.const 1)))
    (func (export "vector") (param i64) (result i64)
      (local $o (ref null $s)) (local $v (ref null $v))
      (local.set $o (struct.new $s (i64.const 0) (i64x2.splat (local.get 0))))
      (local.set $v (array.new_default $v (i32.const 2)))
      (array.set $v (local.get $v) (i32.const 1) (struct.get $s 1 (local.get $o)))
      (i64x2.extract_lane 1 (array.get $v (local.get $v) (i32.const 1)))))`);
  const call = (name: string, x: bigint) => instance.getFunc(store, name)!.call(store, [Val.i64(x)]).map((v) => v.value);
  for (const x of [0x8000000000000001n, -1n, 0x7fffffff80000000n, 0x123456789abcdefn]) {
    assert.deepEqual(call('field', x), [BigInt.asIntN(64, x)]);
    assert.deepEqual(call('elems', x), [-2n, BigInt.asIntN(64, x)]);
    assert.deepEqual(call('vector', x), [BigInt.asIntN(64, x)]);
  }
});

test('ref.i31 keeps the low 31 bits; i31.get_s and i31.get_u extend them', () => {
  const { store, instance } = instantiateWat(`(module
    (func (export "get") (param i32) (result i32 i32)
      (i31.get_s (ref.i31 (local.get 0))) (i31.get_u (ref.i31 (local.get 0))))
    (func (export "eq") (param i32 i32) (result i32) (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1)))))`);
  const get = (x: number) => instance.getFunc(store, 'get')!.call(store, [Val.i32(x)]).map((v) => v.value);
  const eq = (a: number, b: number) => instance.getFunc(store, 'eq')!.call(store, [Val.i32(a), Val.i32(b)])[0]!.value;
  assert.deepEqual(get(0), [0, 0]);
  assert.deepEqual(get(0x3fffffff), [0x3fffffff, 0x3fffffff]);
  assert.deepEqual(get(0x40000000), [-0x40000000, 0x40000000]);
  assert.deepEqual(get(0x7fffffff), [-1, 0x7fffffff]);
  assert.deepEqual(get(-1), [-1, 0x7fffffff]);
  assert.deepEqual(get(0x80000000 | 0), [0, 0]);
  assert.deepEqual(get(-0x40000000), [-0x40000000, 0x40000000]);
  assert.deepEqual(get(-0x40000001), [0x3fffffff, 0x3fffffff]);
  assert.equal(eq(5, 5), 1);
  assert.equal(eq(5, 0x80000005 | 0), 1, 'the same low 31 bits are the same i31');
  assert.equal(eq(5, 6), 0);
});

test('casts: equivalent rec groups in two modules are one type; a different group is not', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const group = '(rec (type $t (sub (struct (field i32)))) (type $u (sub $t (struct (field i32) (field i64)))))';
  const maker = new Instance(store, new Module(engine, parseWat(`(module ${group}
    (func (export "t") (result anyref) (struct.new $t (i32.const 1)))
    (func (export "u") (result anyref) (struct.new $u (i32.const 2) (i64.const 3))))`)), []);
  const tester = new Instance(store, new Module(engine, parseWat(`(module
    (type $x (struct (field i64)))
    ${group}
    (func (export "is_t") (param anyref) (result i32) (ref.test (ref $t) (local.get 0)))
    (func (export "is_u") (param anyref) (result i32) (ref.test (ref $u) (local.get 0)))
    (func (export "get_t") (param anyref) (result i32) (struct.get $t 0 (ref.cast (ref $t) (local.get 0)))))`)), []);
  const other = new Instance(store, new Module(engine, parseWat(`(module
    (rec (type $t (sub (struct (field i32)))) (type $u (sub $t (struct (field i32) (field i64)))) (type (struct)))
    (func (export "is_t") (param anyref) (result i32) (ref.test (ref $t) (local.get 0))))`)), []);
  const make = (name: string) => maker.getFunc(store, name)!.call(store, [])[0]!;
  const run = (inst: Instance, name: string, v: Val) => inst.getFunc(store, name)!.call(store, [v])[0]!.value;
  const t = make('t');
  const u = make('u');
  assert.equal(run(tester, 'is_t', t), 1);
  assert.equal(run(tester, 'is_u', t), 0);
  assert.equal(run(tester, 'is_t', u), 1, 'a declared subtype passes');
  assert.equal(run(tester, 'is_u', u), 1);
  assert.equal(run(tester, 'get_t', u), 2);
  assert.equal(run(other, 'is_t', t), 0, 'the same structure in another rec group is another type');
  assert.equal(run(tester, 'is_t', Val.anyref(AnyRef.fromI31(store, I31.wrappingI32(1)))), 0);
  assert.equal(trapOf(() => run(tester, 'get_t', Val.anyref(null))).message, 'cast failure');
});

test('array accesses out of bounds trap before anything is written', () => {
  const { store, instance } = instantiateWat(`(module
    (type $a (array (mut i32)))
    (global $g (mut (ref null $a)) (ref.null $a))
    (data $d "\\01\\00\\00\\00\\02\\00\\00\\00")
    (elem $e anyref (ref.i31 (i32.const 1)))
    (type $r (array (mut anyref)))
    (func (export "init") (global.set $g (array.new $a (i32.const 7) (i32.const 4))))
    (func (export "get") (param i32) (result i32) (array.get $a (global.get $g) (local.get 0)))
    (func (export "set") (param i32) (array.set $a (global.get $g) (local.get 0) (i32.const 9)))
    (func (export "fill") (param i32 i32) (array.fill $a (global.get $g) (local.get 0) (i32.const 1) (local.get 1)))
    (func (export "copy") (param i32 i32 i32) (array.copy $a $a (global.get $g) (local.get 0) (global.get $g) (local.get 1) (local.get 2)))
    (func (export "init_data") (param i32 i32 i32) (array.init_data $a $d (global.get $g) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "init_elem") (param i32 i32 i32) (array.init_elem $r $e (array.new_default $r (i32.const 2)) (local.get 0) (local.get 1) (local.get 2))))`);
  const f = (name: string) => (...xs: number[]) => instance.getFunc(store, name)!.call(store, xs.map((x) => Val.i32(x)));
  f('init')();
  const bounds = (fn: () => unknown, message = 'out of bounds array access') => {
    const t = trapOf(fn);
    assert.equal(t.message, message);
  };
  bounds(() => f('get')(4));
  bounds(() => f('get')(-1));
  bounds(() => f('set')(0x7fffffff));
  bounds(() => f('fill')(1, 4));
  bounds(() => f('fill')(1, -1), 'out of bounds array access');
  bounds(() => f('copy')(0, 1, 4));
  bounds(() => f('copy')(3, 0, -2));
  bounds(() => f('init_data')(3, 0, 2));
  bounds(() => f('init_data')(0, 4, 2), 'out of bounds memory access');
  bounds(() => f('init_elem')(0, 1, 1), 'out of bounds table access');
  bounds(() => f('init_elem')(2, 0, 1));
  assert.deepEqual([0, 1, 2, 3].map((i) => f('get')(i)[0]!.value), [7, 7, 7, 7], 'no trapping instruction wrote anything');
  f('fill')(4, 0);
  f('copy')(4, 4, 0);
  f('init_data')(2, 0, 2);
  assert.deepEqual([0, 1, 2, 3].map((i) => f('get')(i)[0]!.value), [7, 7, 1, 2]);
});

test('null operands trap with the messages of the spec interpreter', () => {
  const { store, instance } = instantiateWat(`(module
    (type $s (struct (field (mut i32)) (field (mut i64))))
    (type $a (array (mut i8)))
    (func (export "struct_get") (drop (struct.get $s 0 (ref.null $s))))
    (func (export "struct_get64") (drop (struct.get $s 1 (ref.null $s))))
    (func (export "struct_set") (struct.set $s 1 (ref.null $s) (i64.const 1)))
    (func (export "array_len") (drop (array.len (ref.null $a))))
    (func (export "array_get") (drop (array.get_u $a (ref.null $a) (i32.const 0))))
    (func (export "array_fill") (array.fill $a (ref.null $a) (i32.const 0) (i32.const 0) (i32.const 0)))
    (func (export "array_copy") (array.copy $a $a (array.new_default $a (i32.const 1)) (i32.const 0) (ref.null $a) (i32.const 0) (i32.const 0)))
    (func (export "i31") (drop (i31.get_s (ref.null i31))))
    (func (export "cast") (drop (ref.cast (ref $s) (ref.null $s)))))`);
  const message = (name: string) => trapOf(() => instance.getFunc(store, name)!.call(store, [])).message;
  for (const name of ['struct_get', 'struct_get64', 'struct_set']) assert.equal(message(name), 'null structure reference', name);
  for (const name of ['array_len', 'array_get', 'array_fill', 'array_copy']) assert.equal(message(name), 'null array reference', name);
  assert.equal(message('i31'), 'null i31 reference');
  assert.equal(message('cast'), 'cast failure');
  assert.equal(trapOf(() => instance.getFunc(store, 'cast')!.call(store, [])).code, TrapCode.CastFailure);
});

test('a typed select has its declared type: a nullable one keeps the null checks of its uses', () => {
  // Found by tools/gc-fuzz.ts against Chromium: the select took its first operand's type, (ref $s),
  // so struct.set and struct.get on a null it selected threw a JS TypeError instead of trapping.
  for (const compilation of ['lazy', 'eager'] as const) {
    const { store, instance } = instantiateWat(`(module
      (type $s (struct (field (mut i32))))
      (global $g (mut (ref null $s)) (ref.null $s))
      (func $set (param $p (ref $s)) (param $c i32) (result i32)
        (struct.set $s 0 (select (result (ref null $s)) (local.get $p) (global.get $g) (local.get $c)) (i32.const 5))
        (i32.const 0))
      (func $get (param $p (ref $s)) (param $c i32) (result i32)
        (struct.get $s 0 (select (result (ref null $s)) (local.get $p) (global.get $g) (local.get $c))))
      (func $is_null (param $p (ref $s)) (param $c i32) (result i32)
        (ref.is_null (select (result (ref null $s)) (local.get $p) (global.get $g) (local.get $c))))
      (func (export "set") (param i32) (result i32) (call $set (struct.new $s (i32.const 1)) (local.get 0)))
      (func (export "get") (param i32) (result i32) (call $get (struct.new $s (i32.const 1)) (local.get 0)))
      (func (export "is_null") (param i32) (result i32) (call $is_null (struct.new $s (i32.const 1)) (local.get 0))))`, { compilation });
    const call = (name: string, c: number) => instance.getFunc(store, name)!.call(store, [Val.i32(c)])[0]!.value;
    assert.equal(call('set', 1), 0);
    assert.equal(call('get', 1), 1);
    assert.equal(call('is_null', 1), 0);
    assert.equal(call('is_null', 0), 1);
    for (const name of ['set', 'get']) assert.equal(trapOf(() => call(name, 0)).code, TrapCode.NullReference, `${compilation} ${name}`);
  }
});

test('an array too large to allocate traps with AllocationTooLarge', () => {
  const { store, instance } = instantiateWat(`(module
    (type $l (array i64))
    (type $r (array anyref))
    (func (export "longs") (param i32) (result i32) (array.len (array.new_default $l (local.get 0))))
    (func (export "refs") (param i32) (result i32) (array.len (array.new $r (ref.i31 (i32.const 1)) (local.get 0)))))`);
  const call = (name: string, n: number) => instance.getFunc(store, name)!.call(store, [Val.i32(n)])[0]!.value;
  assert.equal(call('refs', 3), 3);
  for (const [name, n] of [['longs', -1], ['refs', -1], ['refs', 0x10000000], ['refs', 2 ** 25 + 1], ['refs', 2 ** 27 - 3]] as const) {
    // Past 2^25 V8 makes a slow dictionary array, and near 2^27 the allocation ended the process.
    const t = trapOf(() => call(name, n));
    assert.equal(t.code, TrapCode.AllocationTooLarge, `${name}(${n})`);
  }
});

test('constant expressions allocate structs and arrays, with exact NaN bits', () => {
  const { store, instance } = instantiateWat(`(module
    (type $s (struct (field f64) (field i64) (field i8)))
    (type $a (array f32))
    (global $s (ref $s) (struct.new $s (f64.const nan:0x1) (i64.const -5) (i32.const 0x1ff)))
    (global $a (ref $a) (array.new_fixed $a 2 (f32.const nan:0x1) (f32.const -1)))
    (global $b (ref $a) (array.new $a (f32.const nan:0x200001) (i32.const 3)))
    (global $i (ref i31) (ref.i31 (i32.const -1)))
    (table $t 2 anyref (struct.new_default $s))
    (func (export "s") (result i64 i64 i32)
      (i64.reinterpret_f64 (struct.get $s 0 (global.get $s))) (struct.get $s 1 (global.get $s)) (struct.get_u $s 2 (global.get $s)))
    (func (export "a") (result i32 i32 i32)
      (i32.reinterpret_f32 (array.get $a (global.get $a) (i32.const 0)))
      (i32.reinterpret_f32 (array.get $a (global.get $b) (i32.const 2))) (array.len (global.get $b)))
    (func (export "i") (result i32) (i31.get_u (global.get $i)))
    (func (export "t") (result i32) (ref.eq (ref.cast eqref (table.get $t (i32.const 0))) (ref.cast eqref (table.get $t (i32.const 1))))))`);
  const call = (name: string) => instance.getFunc(store, name)!.call(store, []).map((v) => v.value);
  assert.deepEqual(call('s'), [0x7ff0000000000001n, -5n, 0xff]);
  assert.deepEqual(call('a'), [0x7f800001, 0x7fa00001, 3]);
  assert.deepEqual(call('i'), [0x7fffffff]);
  assert.deepEqual(call('t'), [1], 'a table initialiser is evaluated once');
});

test('modules without GC code bind no GC helper', () => {
  const { module } = instantiateWat('(module (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))', { compilation: 'eager' });
  assert.doesNotMatch(module.source(), /gcRtt|GcStruct|structRef|trapNullArray/);
  const gc = instantiateWat('(module (type $s (struct)) (func (export "f") (result anyref) (struct.new $s)))', { compilation: 'eager' });
  assert.match(gc.module.source(), /gcRtt/);
});

// Every GC script (and the custom-descriptors proposal's) under each configuration that changes
// generated code; the suite test runs them with the defaults.
const SCRIPTS = ['array.wast', 'array_copy.wast', 'array_fill.wast', 'array_init_data.wast', 'array_init_elem.wast',
  'array_new_data.wast', 'array_new_elem.wast', 'struct.wast', 'i31.wast', 'ref_eq.wast', 'ref_test.wast', 'ref_cast.wast',
  'br_on_cast.wast', 'br_on_cast_fail.wast', 'type-subtyping.wast', 'type-canon.wast', 'type-equivalence.wast',
  'type-rec.wast', 'extern.wast', 'ref_null.wast'];
const DESCRIPTORS = ['array_new_exact.wast', 'br_on_cast.wast', 'br_on_cast_desc_eq.wast', 'br_on_cast_desc_eq_fail.wast',
  'br_on_cast_fail.wast', 'descriptors.wast', 'exact-casts.wast', 'exact-func-import.wast', 'exact.wast',
  'ref_cast_desc_eq.wast', 'ref_get_desc.wast', 'struct_new_desc.wast'].map((f) => `proposals/custom-descriptors/${f}`);
const CONFIGS: Config[] = [{ compilation: 'eager' }, { consumeFuel: true }, { epochInterruption: true }, { maxWasmStack: 1000 },
  { consumeFuel: true, epochInterruption: true, maxWasmStack: 1000, compilation: 'eager', nanCanonicalization: true }];
const haveSuite = existsSync(join(testsuiteRoot, 'struct.wast'));

for (const config of CONFIGS) {
  test(`GC spec scripts pass with ${JSON.stringify(config)}`, { skip: haveSuite ? false : 'spec suite not found' }, () => {
    const failures: string[] = [];
    let returns = 0;
    for (const path of [...SCRIPTS, ...DESCRIPTORS]) {
      const features = path.startsWith('proposals/') ? withFeatures(WASM3_FEATURES, { custom_descriptors: true }) : WASM3_FEATURES;
      const script = parseWast(readFileSync(join(testsuiteRoot, path), 'utf8'), path);
      const report = runScript(script, { engine: new ApiSpecEngine(features, config), features, encodeText: parseWat, path });
      for (const note of report.notes) if (note.outcome !== 'passed') failures.push(`${path}:${note.line} ${note.kind} ${note.outcome}: ${note.reason}`);
      returns += report.kinds.assert_return.passed + report.kinds.assert_trap.passed;
    }
    assert.deepEqual(failures, []);
    assert.ok(returns > 1000, `only ${returns} assertions ran`);
  });
}
