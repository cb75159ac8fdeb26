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
