// Comparisons used as values and integer selects: code for a JIT computes them without a JS
// conditional (V8 branches on one, and a data-dependent branch mispredicts: a comparison summed over
// random data ran 4.9-12.9x native, a select 4.8-7.6x). Checked against native WebAssembly on edge
// and random operands, both as code for a JIT and for an interpreter, which keeps the conditional.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Instance, Module, Store, Val } from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';
import { xorshift32 } from '../helpers/xorshift.js';

const INT_RELS = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const FLOAT_RELS = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];

// Each comparison as a result, stored in a local and added to: the three ways a 0/1 is materialised.
const comparisons = (t: string, rels: string[]) => rels.map((r) => `
  (func (export "${t}.${r}") (param ${t} ${t}) (result i32) (local i32)
    (local.set 2 (${t}.${r} (local.get 0) (local.get 1)))
    (i32.add (i32.mul (local.get 2) (i32.const 3))
      (i32.add (${t}.${r} (local.get 1) (local.get 0)) (i32.shl (${t}.${r} (local.get 0) (local.get 0)) (i32.const 4)))))`).join('');

const bytes = parseWat(`(module
  ${comparisons('i32', INT_RELS)}
  ${comparisons('i64', INT_RELS)}
  ${comparisons('f32', FLOAT_RELS)}
  ${comparisons('f64', FLOAT_RELS)}
  (func (export "i64.eqz") (param i64) (result i32) (local i32) (local.set 1 (i64.eqz (local.get 0))) (local.get 1))
  (func (export "select.i32") (param i32 i32 i32) (result i32) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select.i32.cmp") (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.lt_s (local.get 2) (local.get 0))))
  (func (export "select.i64") (param i64 i64 i32) (result i64) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select.i64.cmp") (param i64 i64 i32) (result i64)
    (select (local.get 0) (local.get 1) (i64.lt_u (i64.extend_i32_s (local.get 2)) (local.get 1))))
  (func (export "select.i64.const") (param i64 i32) (result i64)
    (select (i64.const -1) (i64.extend_i32_u (local.get 1)) (i64.ne (local.get 0) (i64.const 0x100000000)))))`);

const W: any = (globalThis as any).WebAssembly;
const native = new W.Instance(new W.Module(bytes)).exports;

function int32s(): number[] {
  const out = [0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff, 0xffff, 0x10000];
  const next = xorshift32(20261128);
  for (let i = 0; i < 40; i++) out.push(next() | 0, (next() & 0xff) - 128);
  return out;
}

function int64s(): bigint[] {
  const out = [0n, 1n, -1n, 1n << 32n, (1n << 32n) - 1n, -(1n << 32n), 1n << 63n, (1n << 63n) - 1n, 0x100000000n, 0xffffffffn];
  const next = xorshift32(77);
  for (let i = 0; i < 30; i++) {
    const lo = BigInt(next() >>> 0);
    out.push(BigInt.asIntN(64, (BigInt(next() >>> 0) << 32n) | lo), lo, BigInt.asIntN(64, (BigInt(next() & 1) << 32n) | lo));
  }
  return out;
}

const floats = [0, -0, 1, -1, 0.5, Infinity, -Infinity, NaN, 3.4028234663852886e38, 1e-45, -2.5];

function instances(): { tuned: boolean; call: (name: string, args: Val[]) => unknown }[] {
  return [false, true].map((tuneForInterpreter) => {
    const engine = new Engine({ tuneForInterpreter });
    const store = new Store(engine, null);
    const instance = new Instance(store, new Module(engine, bytes), []);
    return { tuned: tuneForInterpreter, call: (name, args) => instance.getFunc(store, name)!.call(store, args)[0]!.value };
  });
}

test('comparisons used as values give what native WebAssembly gives', () => {
  const i32 = int32s();
  const i64 = int64s();
  for (const { tuned, call } of instances()) {
    for (const r of INT_RELS) {
      for (const a of i32) for (const b of i32.slice(0, 30)) {
        assert.equal(call(`i32.${r}`, [Val.i32(a), Val.i32(b)]), native[`i32.${r}`](a, b), `i32.${r}(${a}, ${b}) tuned=${tuned}`);
      }
      for (const a of i64) for (const b of i64.slice(0, 25)) {
        assert.equal(call(`i64.${r}`, [Val.i64(a), Val.i64(b)]), native[`i64.${r}`](a, b), `i64.${r}(${a}, ${b}) tuned=${tuned}`);
      }
    }
    for (const r of FLOAT_RELS) {
      for (const a of floats) for (const b of floats) {
        assert.equal(call(`f32.${r}`, [Val.f32(a), Val.f32(b)]), native[`f32.${r}`](a, b), `f32.${r}(${a}, ${b}) tuned=${tuned}`);
        assert.equal(call(`f64.${r}`, [Val.f64(a), Val.f64(b)]), native[`f64.${r}`](a, b), `f64.${r}(${a}, ${b}) tuned=${tuned}`);
      }
    }
    for (const a of i64) assert.equal(call('i64.eqz', [Val.i64(a)]), native['i64.eqz'](a), `i64.eqz(${a})`);
  }
});

test('integer selects give what native WebAssembly gives, for any condition value', () => {
  const i32 = int32s();
  const i64 = int64s();
  for (const { tuned, call } of instances()) {
    for (const c of i32) {
      for (const [a, b] of [[7, -9], [i32[3]!, i32[20]!], [-0x80000000, 0x7fffffff]] as const) {
        for (const name of ['select.i32', 'select.i32.cmp']) {
          assert.equal(call(name, [Val.i32(a), Val.i32(b), Val.i32(c)]), native[name](a, b, c), `${name}(${a}, ${b}, ${c}) tuned=${tuned}`);
        }
      }
      for (const [a, b] of [[-1n, 0n], [i64[12]!, i64[40]!], [1n << 63n, 0xffffffffn]] as const) {
        for (const name of ['select.i64', 'select.i64.cmp']) {
          assert.equal(call(name, [Val.i64(a), Val.i64(b), Val.i32(c)]), native[name](a, b, c), `${name}(${a}, ${b}, ${c}) tuned=${tuned}`);
        }
      }
    }
    for (const a of i64) for (const c of i32.slice(0, 12)) {
      assert.equal(call('select.i64.const', [Val.i64(a), Val.i32(c)]), native['select.i64.const'](a, c), `select.i64.const(${a}, ${c})`);
    }
  }
});

test('code for a JIT selects and materialises comparisons without a conditional; code for an interpreter keeps it', () => {
  const probe = parseWat(`(module
    (func (export "s32") (param i32 i32 i32) (result i32) (select (local.get 0) (local.get 1) (local.get 2)))
    (func (export "s64") (param i64 i64 i32) (result i64) (select (local.get 0) (local.get 1) (i32.lt_s (local.get 2) (i32.const 0))))
    (func (export "eq64") (param i64 i64) (result i32) (i64.eq (local.get 0) (local.get 1)))
    (func (export "lt") (param f64 f64) (result i32) (local i32) (local.set 2 (f64.lt (local.get 0) (local.get 1))) (local.get 2)))`);
  const conditionals = (tuneForInterpreter: boolean) => {
    const source = new Module(new Engine({ compilation: 'eager', tuneForInterpreter }), probe).source();
    const bodies = source.split(/\nfunction /).slice(1).map((f) => f.slice(0, f.indexOf('\n}')));
    assert.equal(bodies.length, 4, 'one JS function per wasm function');
    return bodies.map((b) => b.includes(' ? '));
  };
  assert.deepEqual(conditionals(false), [false, false, false, false]);
  assert.deepEqual(conditionals(true), [true, true, false, true]);
});
