// The variable operands of i32 and i64 adds and subtracts are marked int32 (`(l1 | 0)`) for a JIT:
// V8 types a loop-carried variable more widely than int32, and once such an add has overflowed in
// its interpreter it adds doubles and truncates, ten times slower (Template.int32Operands). Code
// for an interpreter (tuneForInterpreter) keeps the plain form, one operation less per operand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Instance, Module, Store, Val, type Config } from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';

const bytes = parseWat(`(module
  (func (export "acc32") (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.mul (local.get $n) (local.get $n))))
      (local.set $s (i32.sub (local.get $s) (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "acc64") (param $n i32) (param $k i64) (result i64) (local $s i64)
    (loop $l
      (local.set $s (i64.add (local.get $s) (local.get $k)))
      (local.set $k (i64.sub (local.get $k) (local.get $s)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i64.xor (local.get $s) (local.get $k))))`);

function compiled(config: Config): { source: string; store: Store<null>; instance: Instance } {
  let source = '';
  const engine = new Engine({ ...config, compilation: 'eager', debugSource: (_n, s) => { source += s; } });
  const store = new Store(engine, null);
  const instance = new Instance(store, new Module(engine, bytes), []);
  return { source, store, instance };
}

test('variable operands of adds and subtracts are marked int32 for a JIT, and not for an interpreter', () => {
  const jit = compiled({ tuneForInterpreter: false });
  for (const shape of ['(l1 | 0) + (Math.imul(l0, l0))', '(l1 | 0) - (l0 | 0)', '(l0 | 0) - 1', '(l2 | 0) + (l1 | 0)', '(l2h | 0) + (l1h | 0)']) {
    assert.ok(jit.source.includes(shape), shape);
  }
  const interp = compiled({ tuneForInterpreter: true });
  assert.doesNotMatch(interp.source, /\(l\d+h? \| 0\)/);
});

test('overflowing accumulators compute what native WebAssembly does, marked or not', () => {
  const W: any = (globalThis as any).WebAssembly;
  const native = new W.Instance(new W.Module(bytes)).exports;
  for (const tuneForInterpreter of [false, true]) {
    const { store, instance } = compiled({ tuneForInterpreter });
    assert.equal(instance.getFunc(store, 'acc32')!.call(store, [Val.i32(300_000)])[0]!.value, native.acc32(300_000));
    assert.equal(instance.getFunc(store, 'acc64')!.call(store, [Val.i32(300_000), Val.i64(0x7fffffffffffn)])[0]!.value, native.acc64(300_000, 0x7fffffffffffn));
  }
});
