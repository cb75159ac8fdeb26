// Config.tuneForInterpreter: code shaped for engines without a JIT (call_indirect's table lookup
// written inline). The same module must do the same with it on and off: every outcome of
// call_indirect, including subtypes and each trap, and its backtrace offsets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Trap, Val } from '../../src/api/index.js';
import { instantiateWat } from '../api/wat-helper.js';

const MODULE = `(module
  (type $base (sub (func (result i32))))
  (type $derived (sub $base (func (result i32))))
  (type $other (func (param i32) (result i32)))
  (table 6 funcref)
  (func $seven (type $base) (i32.const 7))
  (func $nine (type $derived) (i32.const 9))
  (func $twice (type $other) (i32.mul (local.get 0) (i32.const 2)))
  (elem (i32.const 0) func $seven $nine $twice)
  (elem (i32.const 4) funcref (ref.null func))
  (func (export "base") (param i32) (result i32) (call_indirect (type $base) (local.get 0)))
  (func (export "other") (param i32) (result i32) (call_indirect (type $other) (i32.const 21) (local.get 0))))`;

function outcomes(tuneForInterpreter: boolean): unknown[] {
  const { store, instance } = instantiateWat(MODULE, { tuneForInterpreter });
  const call = (name: string, i: number) => {
    try {
      return instance.getFunc(store, name)!.call(store, [Val.i32(i)])[0]!.value;
    } catch (e) {
      assert.ok(e instanceof Trap, String(e));
      return `${e.code} at 0x${e.backtrace[0]?.moduleOffset?.toString(16)}`;
    }
  };
  return [0, 1, 2, 3, 4, 5, 6, -1].flatMap((i) => [call('base', i), call('other', i)]);
}

test('call_indirect does the same with tuneForInterpreter on and off: exact types, subtypes, every trap', () => {
  const on = outcomes(true);
  assert.deepEqual(on, outcomes(false));
  assert.deepEqual(on.slice(0, 6), [7, 'BadSignature at 0x73', 9, 'BadSignature at 0x73', 'BadSignature at 0x69', 42]);
  assert.ok(on.includes('IndirectCallToNull at 0x69') && on.includes('TableOutOfBounds at 0x69'));
});

test('tuneForInterpreter is a boolean, on by default only where the engine has no WebAssembly of its own', () => {
  assert.equal(new Engine().config.tuneForInterpreter, typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'undefined');
  assert.equal(new Engine({ tuneForInterpreter: true }).config.tuneForInterpreter, true);
  assert.throws(() => new Engine({ tuneForInterpreter: 'yes' as never }), /Config.tuneForInterpreter must be a boolean/);
});
