// SIMD semantics that the spec files touch lightly: NaN payloads through every path a v128 takes,
// lane boundaries, unaligned and out-of-bounds accesses, and v128 through calls, locals, globals, tables and results.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trap, TrapCode, Val, type Config, type Val as ValT } from '../../src/api/index.js';
import { instantiateWat } from '../api/wat-helper.js';
import { parseWat } from '../../src/text/index.js';
import { native } from '../jsapi/side-by-side.js';

/** A v128 from four u32 lanes (lane 0 first) and back. */
const i32x4 = (...w: number[]) => Val.v128(w.reduceRight((x, v) => (x << 32n) | BigInt(v >>> 0), 0n));
const lanes32 = (v: ValT | undefined) => [0n, 32n, 64n, 96n].map((k) => Number(((v!.value as bigint) >> k) & 0xffffffffn));
const lanes64 = (v: ValT | undefined) => [0n, 64n].map((k) => ((v!.value as bigint) >> k) & 0xffffffffffffffffn);

// Every config: lazy and eager code, and the JIT's optimised code (each call is repeated).
const CONFIGS: Config[] = [{}, { compilation: 'eager' }];

function each(wat: string, body: (call: (name: string, ...args: ValT[]) => ValT[]) => void): void {
  for (const config of CONFIGS) {
    const { store, instance } = instantiateWat(wat, config);
    body((name, ...args) => instance.getFunc(store, name)!.call(store, args));
  }
}

const SNAN32 = 0x7fa00001;
const NEG_SNAN32 = 0xffb00002;
const SNAN64 = 0x7ff0000000000123n;

test('f32x4 and f64x2 NaN payloads survive lane moves, memory, locals, globals, params and results', () => {
  const wat = `(module
    (memory 1)
    (global $g (mut v128) (v128.const i64x2 0 0))
    (func (export "splat_extract") (param f32) (result f32) (f32x4.extract_lane 3 (f32x4.splat (local.get 0))))
    (func (export "replace") (param v128 f32) (result v128) (f32x4.replace_lane 1 (local.get 0) (local.get 1)))
    (func (export "mem") (param v128) (result v128) (v128.store offset=3 (i32.const 1) (local.get 0)) (v128.load offset=3 (i32.const 1)))
    (func (export "global") (param v128) (result v128) (global.set $g (local.get 0)) (global.get $g))
    (func (export "local") (param v128) (result v128) (local v128) (local.set 1 (local.get 0)) (local.get 1))
    (func (export "abs_neg") (param v128) (result v128) (f32x4.neg (f32x4.abs (local.get 0))))
    (func (export "pmin_loaded") (param v128 v128) (result v128)
      (v128.store (i32.const 32) (local.get 0))
      (f32x4.pmin (v128.load (i32.const 32)) (local.get 1)))
    (func (export "f64_lane") (param f64) (result f64) (f64x2.extract_lane 1 (f64x2.replace_lane 1 (v128.const i64x2 0 0) (local.get 0))))
    (func (export "f64_splat_store") (param f64) (result v128) (v128.store (i32.const 48) (f64x2.splat (local.get 0))) (v128.load (i32.const 48))))`;
  each(wat, (call) => {
    for (let i = 0; i < 60; i++) {
      for (const bits of [SNAN32, NEG_SNAN32, 0x7fc00000, 0xffc12345]) {
        assert.equal(call('splat_extract', Val.f32Bits(bits))[0]!.value, bits >>> 0);
        assert.deepEqual(lanes32(call('replace', i32x4(1, 2, 3, 4), Val.f32Bits(bits))[0]), [1, bits >>> 0, 3, 4]);
      }
      const v = i32x4(SNAN32, NEG_SNAN32, 0x7f800001, 0xffffffff);
      for (const f of ['mem', 'global', 'local']) assert.deepEqual(call(f, v)[0]!.value, v.value, f);
      assert.deepEqual(lanes32(call('abs_neg', v)[0]), [SNAN32 | 0x80000000, NEG_SNAN32 >>> 0, 0xff800001, 0xffffffff].map((x) => x >>> 0));
      // pmin returns its first operand's lane bit for bit when the comparison is false (NaN).
      assert.deepEqual(lanes32(call('pmin_loaded', v, i32x4(0, 0, 0, 0))[0]), lanes32(v));
      assert.equal(call('f64_lane', Val.f64Bits(SNAN64))[0]!.value, SNAN64);
      assert.deepEqual(lanes64(call('f64_splat_store', Val.f64Bits(SNAN64))[0]), [SNAN64, SNAN64]);
    }
  });
});

test('float lane arithmetic: canonical NaNs stay canonical, other NaNs come out quiet, f32 rounds once per operation', () => {
  const wat = `(module
    (memory 1)
    (func (export "add") (param v128 v128) (result v128) (f32x4.add (local.get 0) (local.get 1)))
    (func (export "add_loaded") (param v128 v128) (result v128)
      (v128.store (i32.const 0) (local.get 0))
      (f32x4.add (v128.load (i32.const 0)) (local.get 1)))
    (func (export "madd") (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
    (func (export "min") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
    (func (export "f64_mul") (param v128 v128) (result v128) (f64x2.mul (local.get 0) (local.get 1))))`;
  const f = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0]!;
  each(wat, (call) => {
    for (let i = 0; i < 60; i++) {
      for (const add of ['add', 'add_loaded']) {
        const r = lanes32(call(add, i32x4(0x7fc00000, SNAN32, f(1.1), 0xffc00000), i32x4(f(1), f(1), f(1.3), f(2)))[0]);
        assert.equal(r[0]! & 0x7fffffff, 0x7fc00000, `${add}: canonical in, canonical out`);
        assert.equal(r[1]! & 0x7fc00000, 0x7fc00000, `${add}: a signalling NaN comes out quiet`);
        assert.equal(r[2], f(Math.fround(Math.fround(1.1) + Math.fround(1.3))));
        assert.equal(r[3]! & 0x7fffffff, 0x7fc00000);
      }
      // Deterministic relaxed madd: two roundings, never fused.
      const a = f(1 + 2 ** -12);
      const m = lanes32(call('madd', i32x4(a, 0, 0, 0), i32x4(a, 0, 0, 0), i32x4(f(-1), 0, 0, 0))[0]);
      assert.equal(m[0], f(Math.fround(Math.fround((1 + 2 ** -12) ** 2) - 1)));
      const mn = lanes32(call('min', i32x4(0, 0x80000000, SNAN32, f(1)), i32x4(0x80000000, 0, f(1), 0x7fc00000))[0]);
      assert.deepEqual(mn.slice(0, 2), [0x80000000, 0x80000000], 'min(+0, -0) is -0 both ways');
      assert.equal(mn[2]! & 0x7fc00000, 0x7fc00000);
      assert.equal(mn[3]! & 0x7fffffff, 0x7fc00000);
      const d = lanes64(call('f64_mul', Val.v128((SNAN64 << 64n) | 0x7ff8000000000000n), Val.v128((0x3ff0000000000000n << 64n) | 0x3ff0000000000000n))[0]);
      assert.equal(d[0]! & 0x7fffffffffffffffn, 0x7ff8000000000000n);
      assert.equal(d[1]! & 0x7ff8000000000000n, 0x7ff8000000000000n);
    }
  });
});

test('lane boundaries: extraction with sign, shifts modulo the lane width, saturation, narrowing, i64 lanes', () => {
  const wat = `(module
    (func (export "i8_15_s") (param v128) (result i32) (i8x16.extract_lane_s 15 (local.get 0)))
    (func (export "i8_15_u") (param v128) (result i32) (i8x16.extract_lane_u 15 (local.get 0)))
    (func (export "i16_7_s") (param v128) (result i32) (i16x8.extract_lane_s 7 (local.get 0)))
    (func (export "i8_replace_15") (param v128 i32) (result v128) (i8x16.replace_lane 15 (local.get 0) (local.get 1)))
    (func (export "shl8") (param v128 i32) (result v128) (i8x16.shl (local.get 0) (local.get 1)))
    (func (export "shr_s16") (param v128 i32) (result v128) (i16x8.shr_s (local.get 0) (local.get 1)))
    (func (export "shr_u64") (param v128 i32) (result v128) (i64x2.shr_u (local.get 0) (local.get 1)))
    (func (export "add_sat_s8") (param v128 v128) (result v128) (i8x16.add_sat_s (local.get 0) (local.get 1)))
    (func (export "sub_sat_u16") (param v128 v128) (result v128) (i16x8.sub_sat_u (local.get 0) (local.get 1)))
    (func (export "narrow_u8") (param v128 v128) (result v128) (i8x16.narrow_i16x8_u (local.get 0) (local.get 1)))
    (func (export "q15") (param v128 v128) (result v128) (i16x8.q15mulr_sat_s (local.get 0) (local.get 1)))
    (func (export "i64_lanes") (param v128 i64) (result i64 i64) (local v128)
      (local.set 2 (i64x2.replace_lane 1 (local.get 0) (local.get 1)))
      (i64x2.extract_lane 0 (local.get 2)) (i64x2.extract_lane 1 (local.get 2)))
    (func (export "bitmask") (param v128) (result i32 i32 i32 i32)
      (i8x16.bitmask (local.get 0)) (i16x8.bitmask (local.get 0)) (i32x4.bitmask (local.get 0)) (i64x2.bitmask (local.get 0))))`;
  each(wat, (call) => {
    const top = i32x4(0, 0, 0, 0x80000000);
    assert.equal(call('i8_15_s', top)[0]!.value, -128);
    assert.equal(call('i8_15_u', top)[0]!.value, 128);
    assert.equal(call('i16_7_s', top)[0]!.value, -32768);
    assert.deepEqual(lanes32(call('i8_replace_15', i32x4(0, 0, 0, 0x00ffffff), Val.i32(0x1234))[0]), [0, 0, 0, 0x34ffffff]);
    // 9 mod 8 = 1, 17 mod 16 = 1, 65 mod 64 = 1.
    assert.deepEqual(lanes32(call('shl8', i32x4(0x80ff7f01, 0, 0, 0), Val.i32(9))[0]), [0x00fefe02, 0, 0, 0]);
    assert.deepEqual(lanes32(call('shr_s16', i32x4(0x80000002, 0, 0, 0), Val.i32(17))[0]), [0xc0000001, 0, 0, 0]);
    assert.deepEqual(lanes64(call('shr_u64', Val.v128((1n << 64n) | 0x8000000000000000n), Val.i32(65))[0]), [0x4000000000000000n, 0n]);
    assert.deepEqual(lanes32(call('add_sat_s8', i32x4(0x807f7f80, 0, 0, 0), i32x4(0x80017f01, 0, 0, 0))[0]), [0x807f7f81, 0, 0, 0]);
    assert.deepEqual(lanes32(call('sub_sat_u16', i32x4(0x00010005, 0, 0, 0), i32x4(0x00020003, 0, 0, 0))[0]), [0x00000002, 0, 0, 0]);
    // i16 lanes 256, -32768, 32767, 255 | 0 ... | ..., 1, -1 saturate to bytes 255, 0, 255, 255 | 0 ... | ..., 1, 0.
    assert.deepEqual(lanes32(call('narrow_u8', i32x4(0x80000100, 0x00ff7fff, 0, 0), i32x4(0, 0, 0, 0xffff0001))[0]), [0xffff00ff, 0, 0, 0x00010000]);
    assert.deepEqual(lanes32(call('q15', i32x4(0x80008000, 0, 0, 0), i32x4(0x80004000, 0, 0, 0))[0]), [0x7fffc000, 0, 0, 0]);
    const r = call('i64_lanes', Val.v128(0xffffffffffffffffn), Val.i64(-2n));
    assert.deepEqual(r.map((v) => v.value), [-1n, -2n]);
    const bits = i32x4(0x80008000, 0x00800080, 0x80000000, 0x7fffffff);
    // Negative bytes 1, 3, 4, 6, 11, 12, 13, 14; i16 lanes 0, 1, 5, 6; i32 lanes 0, 2; no i64 lane.
    assert.deepEqual(call('bitmask', bits).map((v) => v.value), [0x785a, 0x63, 5, 0]);
  });
});

test('loads and stores at any alignment, and at the last bytes of memory', () => {
  const wat = `(module
    (memory 1)
    (data (i32.const 65530) "\\01\\02\\03\\04\\05\\06")
    (func (export "store_load") (param i32 v128) (result v128) (v128.store (local.get 0) (local.get 1)) (v128.load (local.get 0)))
    (func (export "last_lane") (result i32) (i8x16.extract_lane_u 0 (v128.load8_lane 0 (i32.const 65535) (v128.const i64x2 0 0))))
    (func (export "load32_zero_end") (result v128) (v128.load32_zero (i32.const 65532)))
    (func (export "splat_end") (result v128) (v128.load16_splat (i32.const 65534))))`;
  each(wat, (call) => {
    assert.equal(call('last_lane')[0]!.value, 6);
    assert.deepEqual(lanes32(call('load32_zero_end')[0]), [0x06050403, 0, 0, 0]);
    assert.deepEqual(lanes32(call('splat_end')[0]), [0x06050605, 0x06050605, 0x06050605, 0x06050605]);
    const v = i32x4(0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00);
    for (const at of [0, 1, 2, 3, 5, 7, 13, 65520]) assert.deepEqual(call('store_load', Val.i32(at), v)[0]!.value, v.value, `at ${at}`);
  });
});

test('an access that runs off the end of memory traps, and a trapping store writes nothing', () => {
  const wat = `(module
    (memory 1)
    (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
    (func (export "load_lane") (param i32) (result v128) (v128.load64_lane 1 (local.get 0) (v128.const i64x2 0 0)))
    (func (export "load_extend") (param i32) (result v128) (v128.load8x8_s (local.get 0)))
    (func (export "load_splat") (param i32) (result v128) (v128.load32_splat (local.get 0)))
    (func (export "store") (param i32) (v128.store (local.get 0) (v128.const i32x4 -1 -1 -1 -1)))
    (func (export "store_lane") (param i32) (v128.store16_lane 3 (local.get 0) (v128.const i32x4 -1 -1 -1 -1)))
    (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "offset") (param i32) (result v128) (v128.load offset=4294967295 (local.get 0))))`;
  const oob = (f: () => unknown) => assert.throws(f, (e: unknown) => e instanceof Trap && e.code === TrapCode.MemoryOutOfBounds);
  each(wat, (call) => {
    oob(() => call('load', Val.i32(65521)));
    oob(() => call('load', Val.i32(-1)));
    assert.ok(call('load', Val.i32(65520)));
    oob(() => call('load_lane', Val.i32(65529)));
    assert.ok(call('load_lane', Val.i32(65528)));
    oob(() => call('load_extend', Val.i32(65529)));
    oob(() => call('load_splat', Val.i32(65533)));
    oob(() => call('store', Val.i32(65521)));
    // The store would have started at 65521: nothing of it was written.
    for (let a = 65521; a < 65536; a++) assert.equal(call('peek', Val.i32(a))[0]!.value, 0);
    oob(() => call('store_lane', Val.i32(65535)));
    oob(() => call('offset', Val.i32(1)));
  });
});

test('v128 values through calls, tables, tail calls, blocks, loops, select and multi-value results', () => {
  const wat = `(module
    (type $t (func (param v128 i32) (result v128 i32 v128)))
    (table 2 funcref)
    (elem (i32.const 0) $swap $id)
    (global $c v128 (v128.const i32x4 1 2 3 4))
    (func $swap (type $t) (local.get 0) (local.get 1) (i32x4.add (local.get 0) (global.get $c)))
    (func $id (type $t) (local.get 0) (local.get 1) (local.get 0))
    (func $tail (param v128 i32) (result v128 i32 v128) (return_call $swap (local.get 0) (local.get 1)))
    (func (export "direct") (param v128) (result v128 i32 v128) (call $swap (local.get 0) (i32.const 7)))
    (func (export "indirect") (param v128 i32) (result v128 i32 v128) (call_indirect (type $t) (local.get 0) (i32.const 9) (local.get 1)))
    (func (export "tail") (param v128) (result v128 i32 v128) (call $tail (local.get 0) (i32.const 5)))
    (func (export "blocks") (param v128 i32) (result v128)
      (block (result v128)
        (br_if 0 (local.get 0) (local.get 1))
        (loop (param v128) (result v128)
          (i32x4.add (v128.const i32x4 1 1 1 1))
          (local.tee 0)
          (br_if 0 (i32.lt_s (i32x4.extract_lane 0 (local.get 0)) (i32.const 10))))))
    (func (export "select") (param v128 v128 i32) (result v128) (select (local.get 0) (local.get 1) (local.get 2))))`;
  each(wat, (call) => {
    const v = i32x4(10, 20, 30, 40);
    const sum = lanes32(i32x4(11, 22, 33, 44));
    for (const [name, args, n] of [['direct', [v], 7], ['indirect', [v, Val.i32(0)], 9], ['tail', [v], 5]] as const) {
      const r = call(name, ...args);
      assert.deepEqual([lanes32(r[0]), r[1]!.value, lanes32(r[2])], [lanes32(v), n, sum], name);
    }
    const r = call('indirect', v, Val.i32(1));
    assert.deepEqual(lanes32(r[2]), lanes32(v));
    assert.deepEqual(lanes32(call('blocks', v, Val.i32(1))[0]), lanes32(v));
    assert.deepEqual(lanes32(call('blocks', i32x4(0, 5, 6, 7), Val.i32(0))[0]), [10, 15, 16, 17]);
    assert.deepEqual(lanes32(call('select', v, i32x4(1, 2, 3, 4), Val.i32(0))[0]), [1, 2, 3, 4]);
  });
});

test('Config.nanCanonicalization makes every NaN lane of float arithmetic canonical', () => {
  const wat = `(module (func (export "sqrt") (param v128) (result v128) (f32x4.sqrt (local.get 0)))
    (func (export "neg") (param v128) (result v128) (f32x4.neg (local.get 0))))`;
  const { store, instance } = instantiateWat(wat, { nanCanonicalization: true });
  const r = instance.getFunc(store, 'sqrt')!.call(store, [i32x4(0xffc12345, 0xbf800000, 0x7fa00001, 0x40800000)])[0];
  assert.deepEqual(lanes32(r), [0x7fc00000, 0x7fc00000, 0x7fc00000, 0x40000000]);
  // neg is a sign-bit move, as in Cranelift: not canonicalised.
  assert.deepEqual(lanes32(instance.getFunc(store, 'neg')!.call(store, [i32x4(SNAN32, 0, 0, 0)])[0])[0], (SNAN32 | 0x80000000) >>> 0);
});

test('a v128 local set from its own lanes in another order gets the old lanes (found by the execution fuzzer)', () => {
  // Lane k of each result may be a bare earlier lane of the local (i64x2.extend_low_i32x4_s: lane 2
  // is old lane 1), so assigning lanes in order must not read one it has just overwritten.
  const ops = [
    'i64x2.extend_low_i32x4_s', 'i64x2.extend_low_i32x4_u', 'i64x2.extend_high_i32x4_s',
    'i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11', 'i8x16.shuffle 12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3',
    'i8x16.shuffle 0 1 2 3 0 1 2 3 4 5 6 7 20 21 22 23', 'i32x4.extend_low_i16x8_s', 'i16x8.extend_low_i8x16_u',
  ];
  const apply = (op: string, x: string) => `(${op} ${x}${op.startsWith('i8x16.shuffle') ? ` ${x}` : ''})`;
  const wat = `(module ${ops.map((op, k) => `
    (func (export "set${k}") (param v128) (result v128) (local.set 0 ${apply(op, '(local.get 0)')}) (local.get 0))
    (func (export "tee${k}") (param v128) (result v128) (local.tee 0 ${apply(op, '(local.get 0)')}))`).join('')})`;
  // The expected lanes from Node's engine (v128 cannot cross into JS there: stored to memory).
  const viaMemory = `(module (memory (export "m") 1) ${ops.map((op, k) => `
    (func (export "set${k}") (param i32 i32 i32 i32) (local v128)
      (local.set 4 (i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1
        (i32x4.splat (local.get 0)) (local.get 1)) (local.get 2)) (local.get 3)))
      (local.set 4 ${apply(op, '(local.get 4)')})
      (v128.store (i32.const 0) (local.get 4)))`).join('')})`;
  const nat = new native.Instance(new native.Module(parseWat(viaMemory))).exports;
  const input = [0x80000001, 0x7ffffffe, 0x12345678, 0xfedcba98];
  each(wat, (call) => {
    ops.forEach((op, k) => {
      nat[`set${k}`](...input);
      const want = [...new Uint32Array(nat.m.buffer, 0, 4)];
      assert.deepEqual(lanes32(call(`set${k}`, i32x4(...input))[0]), want, `${op} (local.set)`);
      assert.deepEqual(lanes32(call(`tee${k}`, i32x4(...input))[0]), want, `${op} (local.tee)`);
    });
  });
});
