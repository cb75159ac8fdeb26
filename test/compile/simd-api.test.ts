// v128 at the Wasmtime-shaped API: Val.v128 (a 128-bit unsigned bigint, lane 0 in the low bits)
// through calls, raw values, globals, typed functions, host functions and tables of v128 functions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Func, Global, I32, Linker, Module, Val, V128, funcType, type Val as ValT } from '../../src/api/index.js';
import { instantiateWat } from '../api/wat-helper.js';

const X = 0x8000000000000001ffffffff7fa00001n;

const wat = `(module
  (import "host" "twice" (func $twice (param v128) (result v128 v128)))
  (global (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (global (export "k") v128 (v128.const i64x2 -1 7))
  (table (export "t") 1 funcref)
  (elem (i32.const 0) $echo)
  (func $echo (export "echo") (param v128) (result v128) (local.get 0))
  (func (export "via_host") (param v128) (result v128 v128) (call $twice (local.get 0)))
  (func (export "lane") (param v128 i32) (result i32) (i32x4.extract_lane 3 (i32x4.add (local.get 0) (i32x4.splat (local.get 1))))))`;

function setup() {
  const seen: ValT[] = [];
  return {
    seen,
    ...instantiateWat(wat, {}, (store) => [Func.create(store, funcType([V128], [V128, V128]), (args) => {
      seen.push(args[0]!);
      return [args[0]!, Val.v128((args[0]!.value as bigint) ^ -1n)];
    })]),
  };
}

test('Val.v128 holds 128 bits: constructed modulo 2^128, and through a call unchanged', () => {
  assert.deepEqual(Val.v128(-1n), { type: 'v128', value: (1n << 128n) - 1n });
  assert.equal(Val.v128((1n << 128n) + 5n).value, 5n);
  const { store, instance } = setup();
  const echo = instance.getFunc(store, 'echo')!;
  for (let i = 0; i < 50; i++) assert.deepEqual(echo.call(store, [Val.v128(X)]), [Val.v128(X)]);
  assert.deepEqual(echo.type(store), funcType([V128], [V128]));
  assert.throws(() => echo.call(store, [Val.i64(1n)]), TypeError);
});

test('Val.toRaw and Val.fromRaw round-trip a v128 as its bigint', () => {
  const { store } = setup();
  const raw = Val.toRaw(store, Val.v128(X));
  assert.equal(raw, X);
  assert.deepEqual(Val.fromRaw(store, raw, V128), Val.v128(X));
});

test('v128 globals: exported mutable and immutable ones, set from the API and created by it', () => {
  const { store, instance } = setup();
  const g = instance.getGlobal(store, 'g')!;
  assert.equal(g.get(store).value, 0x00000004_00000003_00000002_00000001n);
  g.set(store, Val.v128(X));
  assert.deepEqual(g.get(store), Val.v128(X));
  assert.throws(() => g.set(store, Val.i32(1)), TypeError);
  const k = instance.getGlobal(store, 'k')!;
  assert.equal(k.get(store).value, (7n << 64n) | 0xffffffffffffffffn);
  assert.throws(() => k.set(store, Val.v128(0n)), TypeError);
  const mine = new Global(store, { type: V128, mutable: true }, Val.v128(X));
  assert.deepEqual(mine.get(store), Val.v128(X));
});

test('an imported v128 global is read by wasm code', () => {
  const { store, engine } = setup();
  const linker = new Linker(engine);
  linker.define(store, 'env', 'g', new Global(store, { type: V128, mutable: false }, Val.v128(X)));
  const module = Module.fromText(engine, '(module (import "env" "g" (global v128)) (func (export "read") (result v128) (global.get 0)))');
  const instance = linker.instantiate(store, module);
  assert.deepEqual(instance.getFunc(store, 'read')!.call(store, []), [Val.v128(X)]);
});

test('host functions take and return v128 values (also as a second result)', () => {
  const { store, instance, seen } = setup();
  const r = instance.getFunc(store, 'via_host')!.call(store, [Val.v128(X)]);
  assert.deepEqual(r, [Val.v128(X), Val.v128(~X & ((1n << 128n) - 1n))]);
  assert.deepEqual(seen, [Val.v128(X)]);
});

test('typed functions pass v128 as bigint', () => {
  const { store, instance } = setup();
  const lane = instance.getTypedFunc(store, 'lane', [V128, I32], [I32]);
  assert.equal(lane.call(store, 5n << 96n, 2), 7);
  assert.throws(() => lane.call(store, 5, 2), TypeError);
  const echo = instance.getTypedFunc(store, 'echo');
  assert.equal(echo.call(store, X), X);
});

test('a table of functions with v128 signatures: the function read from it is called with Vals', () => {
  const { store, instance } = setup();
  const f = instance.getTable(store, 't')!.get(store, 0)!.value as Func;
  assert.deepEqual(f.call(store, [Val.v128(X)]), [Val.v128(X)]);
});
