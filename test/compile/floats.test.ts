// Exact floats: f32 rounding after every operation and NaN payloads through loads, stores,
// locals, globals, params, results and reinterpretation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Val } from '../../src/api/index.js';
import { instantiateWat } from '../api/wat-helper.js';

const wat = `(module
  (memory 1)
  (global $g (mut f32) (f32.const 0))
  (func (export "fma_like") (param f32 f32 f32) (result f32) (f32.add (f32.mul (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "roundtrip_mem") (param f32) (result f32) (f32.store (i32.const 8) (local.get 0)) (f32.load (i32.const 8)))
  (func (export "roundtrip_global") (param f32) (result f32) (global.set $g (local.get 0)) (global.get $g))
  (func (export "bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "from_bits") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
  (func (export "f64_mem") (param f64) (result f64) (f64.store (i32.const 16) (local.get 0)) (f64.load (i32.const 16))))`;

test('f32 arithmetic rounds after every operation', () => {
  const { store, instance } = instantiateWat(wat);
  const r = instance.getFunc(store, 'fma_like')!.call(store, [Val.f32(1.1), Val.f32(1.3), Val.f32(0.7)]);
  const expected = Math.fround(Math.fround(Math.fround(1.1) * Math.fround(1.3)) + Math.fround(0.7));
  assert.equal(Val.toNumber(r[0]!), expected);
});

test('f32 NaN payloads survive memory, globals, reinterpretation and neg', () => {
  const { store, instance } = instantiateWat(wat);
  for (const bits of [0x7fa00000, 0xffa00001, 0x7fc00000, 0x7f800001, 0xff812345]) {
    for (let i = 0; i < 200; i++) {
      // Repeated calls let the JIT optimise the paths too.
      assert.equal(instance.getFunc(store, 'roundtrip_mem')!.call(store, [Val.f32Bits(bits)])[0]!.value, bits);
      assert.equal(instance.getFunc(store, 'roundtrip_global')!.call(store, [Val.f32Bits(bits)])[0]!.value, bits);
    }
    assert.equal(instance.getFunc(store, 'bits')!.call(store, [Val.f32Bits(bits)])[0]!.value, bits | 0);
    assert.equal(instance.getFunc(store, 'from_bits')!.call(store, [Val.i32(bits)])[0]!.value, bits);
    assert.equal(instance.getFunc(store, 'neg')!.call(store, [Val.f32Bits(bits)])[0]!.value, (bits ^ 0x80000000) >>> 0);
  }
});

test('f64 NaN payloads survive memory and copysign', () => {
  const { store, instance } = instantiateWat(wat);
  const snan = 0x7ff0000000000001n;
  assert.equal(instance.getFunc(store, 'f64_mem')!.call(store, [Val.f64Bits(snan)])[0]!.value, snan);
  const neg = instance.getFunc(store, 'copysign')!.call(store, [Val.f64Bits(snan), Val.f64(-1)])[0]!.value;
  assert.equal(neg, snan | (1n << 63n));
});

test('f32 loads skip the NaN fix-up only for users that treat every NaN alike', () => {
  const { store, instance } = instantiateWat(`(module
    (memory 1)
    (func (export "abs_via_mem") (param i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (f32.store (i32.const 4) (f32.abs (f32.load (i32.const 0))))
      (i32.load (i32.const 4)))
    (func (export "select_via_mem") (param i32 i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (f32.store (i32.const 4) (select (f32.load (i32.const 0)) (f32.const 1) (local.get 1)))
      (i32.load (i32.const 4)))
    (func (export "add_via_mem") (param i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (f32.store (i32.const 4) (f32.add (f32.load (i32.const 0)) (f32.const 1)))
      (i32.load (i32.const 4)))
    (func (export "lt_via_mem") (param i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (f32.lt (f32.load (i32.const 0)) (f32.const 1))))`);
  const call = (name: string, ...args: number[]) => instance.getFunc(store, name)!.call(store, args.map(Val.i32))[0]!.value as number;
  for (const bits of [0x7fa00000, 0xffa00001, 0x7f800001, 0x7fc00000]) {
    for (let i = 0; i < 100; i++) {
      assert.equal(call('abs_via_mem', bits) >>> 0, (bits & 0x7fffffff) >>> 0, 'f32.abs keeps the payload');
      assert.equal(call('select_via_mem', bits, 1) >>> 0, bits >>> 0, 'select keeps the payload');
      const sum = call('add_via_mem', bits) >>> 0;
      // An arithmetic NaN: quiet, any payload.
      assert.equal(sum & 0x7fc00000, 0x7fc00000, `f32.add of a NaN is a quiet NaN (got ${sum.toString(16)})`);
      assert.equal(call('lt_via_mem', bits), 0);
    }
  }
});

test('isFroundCall recognises exactly one Math.fround call', async () => {
  const { isFroundCall } = await import('../../src/compile/memory-ops.js');
  assert.ok(isFroundCall('Math.fround(a + b)'));
  assert.ok(isFroundCall('((Math.fround((Math.fround(a)) * 2)))'));
  assert.ok(!isFroundCall('(Math.fround(a) < 4 ? b : c)'));
  assert.ok(!isFroundCall('(Math.fround(a)) + (Math.fround(b))'));
  assert.ok(!isFroundCall('-(Math.fround(a))'));
  assert.ok(!isFroundCall('l3'));
});
