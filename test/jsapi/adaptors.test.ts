// tswasm's own tests of the generated boundary adaptors: wide and mixed signatures, typed function
// references (which Node 20 cannot export), engine configurations, and deep JS <-> wasm recursion.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { instantiate, ours, same, type Namespace } from './side-by-side.js';
import { CALLER } from '../../src/runtime/slots.js';

test('wide signatures with i64 halves in every position round-trip', async () => {
  const types = Array.from({ length: 60 }, (_, i) => ['i32', 'i64', 'f32', 'f64', 'externref'][i % 5]!);
  const source = `(module
    (import "h" "f" (func $f (param ${types.join(' ')}) (result ${types.join(' ')})))
    (func (export "g") (param ${types.join(' ')}) (result ${types.join(' ')})
      ${types.map((_, i) => `local.get ${i}`).join(' ')} call $f))`;
  const args = types.map((t, i) => (t === 'i64' ? BigInt(i) * -(2n ** 40n) : t === 'externref' ? { i } : t === 'i32' ? -i : i + 0.5));
  await same((W: Namespace) => {
    const e = instantiate(W, source, { h: { f: (...xs: unknown[]) => xs } });
    const r = e.g(...args) as unknown[];
    return r.map((x, i) => (typeof x === 'object' ? x === args[i] : x));
  });
});

test('typed function references: the type is checked both ways', () => {
  const e = instantiate(ours, `(module
    (type $ii (func (param i32) (result i32)))
    (func $inc (export "inc") (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (func (export "other") (param f64))
    (func (export "apply") (param (ref $ii) i32) (result i32) (call_ref $ii (local.get 1) (local.get 0)))
    (func (export "maybe") (param (ref null $ii)) (result (ref null $ii)) (local.get 0))
    (func (export "get") (result (ref $ii)) (ref.func $inc))
    (elem declare func $inc))`);
  assert.equal(e.apply(e.inc, 41), 42);
  assert.throws(() => e.apply(e.other, 1), TypeError);
  assert.throws(() => e.apply(null, 1), TypeError);
  assert.throws(() => e.apply(() => 1, 1), TypeError);
  assert.equal(e.maybe(null), null);
  assert.equal(e.maybe(e.inc), e.inc);
  assert.equal(e.get(), e.inc);
});

test('exnref in a signature: every call from JS is a TypeError (the spec\'s rule for v128 and exnref)', () => {
  // tswasm rejects v128 at compile time, so exnref (valid, with no exception instructions) stands for both.
  const e = instantiate(ours, `(module (import "h" "x" (func $x (param exnref)))
    (func (export "f") (param exnref)) (func (export "g") (result i32) i32.const 1)
    (func (export "callX") (call $x (ref.null exn))))`, { h: { x: () => assert.fail('the host function must not run') } });
  assert.throws(() => e.f(null), TypeError);
  assert.throws(() => e.callX(), TypeError);
  assert.equal(e.f.length, 1);
  assert.equal(e.g(), 1);
});

test('the same results with eager compilation and with a wasm stack limit', () => {
  for (const engine of [{ compilation: 'eager' as const }, { maxWasmStack: 500 }]) {
    const W = createWebAssembly({ engine });
    const e = instantiate(W, `(module
      (func $rec (export "rec") (param i32) (result i32)
        (if (result i32) (local.get 0) (then (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))) (else (i32.const 0))))
      (func (export "wide") (param i64 f32) (result f32 i64) (local.get 1) (local.get 0)))`);
    assert.equal(e.rec(100), 100);
    assert.deepEqual(e.wide(-5n, 1.5), [1.5, -5n]);
    if (engine.maxWasmStack) assert.throws(() => e.rec(10_000), RangeError);
  }
});

test('deep mutual recursion between JS and wasm unwinds cleanly', () => {
  let e: Namespace;
  e = instantiate(ours, `(module (import "h" "f" (func $f (param i32) (result i32)))
    (func (export "down") (param i32) (result i32)
      (if (result i32) (local.get 0) (then (call $f (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 7)))))`, {
    h: { f: (n: number) => e.down(n) },
  });
  assert.equal(e.down(200), 7);
  assert.throws(() => e.down(1e7), RangeError);
  assert.equal(e.down(10), 7, 'usable after stack exhaustion');
});

test('no instance stays behind in the caller slot after a call from JavaScript', () => {
  const e = instantiate(ours, `(module
    (type $v (func (result i32)))
    (table (export "t") 1 funcref)
    (elem (i32.const 0) $k)
    (func $k (result i32) (i32.const 7))
    (func (export "viaTable") (result i32) (call_indirect (type $v) (i32.const 0)))
    (func (export "trapAfter") (result i32) (drop (call_indirect (type $v) (i32.const 0))) (unreachable)))`);
  // The table is exported, so the call through it leaves the calling instance in CALLER first.
  assert.equal(e.viaTable!(), 7);
  assert.equal(CALLER.i, null);
  assert.throws(() => e.trapAfter!(), ours.RuntimeError);
  assert.equal(CALLER.i, null);
});
