// Values at the boundary: Val and ValRaw round trips (NaN bits, i64 extremes), ExternRef identity,
// TypedFunc, and the Table, Memory and Global operations of the API.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXTERNREF, Engine, ExternRef, F32, F64, FUNCREF, Func, Global, I32, I64, Instance, Memory, Module, Store, Table, Trap, Val, funcType,
} from '../../src/index.js';

const wat = `(module
  (func (export "id") (param i32 i64 f32 f64) (result i32 i64 f32 f64) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
  (func (export "refs") (param funcref externref) (result externref funcref) (local.get 1) (local.get 0))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "none"))
  (table (export "t") 4 funcref)
  (memory (export "m") 1))`;

function setup() {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, wat), []);
  return { engine, store, instance };
}

test('Vals and ValRaws keep exact bits', () => {
  const { store, instance } = setup();
  const id = instance.getFunc(store, 'id')!;
  const args = [Val.i32(-1), Val.i64(-(2n ** 63n)), Val.f32Bits(0x7fa00001), Val.f64Bits(0xfff4000000000001n)];
  const out = id.call(store, args);
  assert.deepEqual(out, args);
  const types = [I32, I64, F32, F64];
  const raws = out.map((v) => Val.toRaw(store, v));
  assert.deepEqual(raws, [-1, -(2n ** 63n), 0x7fa00001, 0xfff4000000000001n]);
  assert.deepEqual(raws.map((r, i) => Val.fromRaw(store, r, types[i]!)), args);
});

test('references round-trip as the same handles; ExternRef data is the host value', () => {
  const { store, instance } = setup();
  const refs = instance.getFunc(store, 'refs')!;
  const f = instance.getFunc(store, 'none')!;
  const host = { name: 'resource' };
  const ref = ExternRef.new(store, host);
  const [x, g] = refs.call(store, [Val.funcref(f), Val.externref(ref)]);
  assert.equal(x!.value, ref);
  assert.equal(g!.value, f);
  assert.equal((x!.value as ExternRef).data(store), host);
  assert.equal(Val.fromRaw(store, Val.toRaw(store, g!), FUNCREF).value, f);
  assert.equal(Val.fromRaw(store, ref.toRaw(store), EXTERNREF).value, ref);
  assert.equal(Val.fromRaw(store, null, EXTERNREF).value, null);
  assert.throws(() => Val.externref({} as never), /ExternRef/);
});

test('TypedFunc calls with plain values and checks its type', () => {
  const { store, instance } = setup();
  const id = instance.getFunc(store, 'id')!.typed(store, [I32, I64, F32, F64], [I32, I64, F32, F64]);
  assert.deepEqual(id.call(store, 7, -5n, 1.5, -0.25), [7, -5n, 1.5, -0.25]);
  assert.throws(() => id.call(store, 7, 5, 1, 1), /argument 1: expected a bigint for i64/);
  assert.throws(() => id.call(store, 7), /expected 4 arguments, got 1/);
  const div = instance.getTypedFunc(store, 'div', [I32, I32], [I32]);
  assert.equal(div.call(store, -7, 2), -3);
  assert.throws(() => div.call(store, 1, 0), Trap);
  assert.equal(instance.getTypedFunc(store, 'none').call(store), undefined);
  assert.throws(() => instance.getTypedFunc(store, 'div', [I32], [I32]), /type mismatch/);
  assert.throws(() => instance.getTypedFunc(store, 'div', [I32, I32], [I64]), /type mismatch/);
  const refs = instance.getTypedFunc(store, 'refs');
  const ref = ExternRef.new(store, 1);
  assert.deepEqual(refs.call(store, null, ref), [ref, null]);
});

test('Func.create and Func.wrap check what host functions return', () => {
  const { store } = setup();
  const pair = Func.wrap(store, funcType([], [I32, I64]), () => [1, 2n]);
  assert.deepEqual(pair.call(store).map((v) => v.value), [1, 2n]);
  const wrong = Func.create(store, funcType([], [I32]), () => [Val.f64(1)]);
  assert.throws(() => wrong.call(store), /host function result 0: expected a value of type i32, got f64/);
  const short = Func.wrap(store, funcType([], [I32, I32]), () => 1);
  assert.throws(() => short.call(store), /must return an array of 2 values/);
  // An i32 is an integer (wrapped to 32 bits); a fraction, NaN or an infinity is not a silent 0.
  for (const bad of [1.5, NaN, Infinity]) {
    assert.throws(() => Func.wrap(store, funcType([], [I32]), () => bad).call(store), /is not an integer/, String(bad));
    assert.throws(() => Val.i32(bad), TypeError);
  }
  assert.equal(Val.i32(2 ** 32 + 5).value, 5);
  const div = setup();
  assert.throws(() => div.instance.getTypedFunc(div.store, 'div', [I32, I32], [I32]).call(div.store, 0.5, 1), /argument 0: 0.5 is not an integer/);
});

test('Table get, set, grow, fill, copy and size', () => {
  const { store, instance } = setup();
  const t = instance.getTable(store, 't')!;
  const f = instance.getFunc(store, 'none')!;
  t.fill(store, 1, Val.funcref(f), 2);
  assert.deepEqual([0, 1, 2, 3].map((i) => t.get(store, i)!.value), [null, f, f, null]);
  assert.equal(t.get(store, 4), undefined);
  assert.throws(() => t.fill(store, 3, Val.funcref(f), 2), /out of bounds table access/);
  const other = new Table(store, { element: FUNCREF, limits: { min: 2, max: 3 }, address64: false }, Val.funcref(null));
  Table.copy(store, other, 0, t, 1, 2);
  assert.deepEqual([other.get(store, 0)!.value, other.get(store, 1)!.value], [f, f]);
  Table.copy(store, t, 0, t, 1, 3);
  assert.deepEqual([0, 1, 2, 3].map((i) => t.get(store, i)!.value), [f, f, null, null]);
  assert.equal(other.grow(store, 1, Val.funcref(f)), 2);
  assert.throws(() => other.grow(store, 1, Val.funcref(null)), /failed to grow table/);
  assert.equal(other.size(store), 3);
  const externs = new Table(store, { element: EXTERNREF, limits: { min: 1, max: null }, address64: false }, Val.externref(null));
  // As Wasmtime's: the element types must match, whatever (and however much) is copied.
  for (const length of [1, 0]) {
    assert.throws(() => Table.copy(store, externs, 0, t, 0, length), /the source table's element type does not match the destination table's/);
  }
  assert.throws(() => Table.copy(store, externs, 0, t, 0, 9), /out of bounds table access/, 'bounds are checked first');
  assert.throws(() => t.set(store, 0, Val.externref(null)), /expected a value of type funcref/);
});

test('Memory read, write, grow, size, dataSize and pageSize', () => {
  const { store, instance } = setup();
  const m = instance.getMemory(store, 'm')!;
  m.write(store, 65530, new Uint8Array([1, 2, 3]));
  const buf = new Uint8Array(3);
  assert.equal(m.read(store, 65530, buf), buf);
  assert.deepEqual([...buf], [1, 2, 3]);
  assert.throws(() => m.read(store, 65535, 2), /out of bounds memory access/);
  assert.throws(() => m.write(store, -1, new Uint8Array(1)), /out of bounds memory access/);
  const before = m.data(store);
  assert.equal(m.grow(store, 2), 1);
  assert.equal(m.size(store), 3);
  assert.equal(m.dataSize(store), 3 * 65536);
  assert.equal(m.pageSize(store), 65536);
  assert.notEqual(m.data(store), before);
  assert.equal(m.data(store)[65532], 3);
  const own = new Memory(store, { limits: { min: 0, max: 1 }, address64: false, shared: false, pageSizeLog2: 16 });
  assert.equal(own.dataSize(store), 0);
  assert.throws(() => own.grow(store, 2), /failed to grow memory by 2 pages/);
});

test('Global get, set and type', () => {
  const { store } = setup();
  const g = new Global(store, { type: F32, mutable: true }, Val.f32Bits(0x7f800001));
  assert.equal(g.get(store).value, 0x7f800001);
  g.set(store, Val.f32(1.5));
  assert.equal(Val.toNumber(g.get(store)), 1.5);
  assert.throws(() => g.set(store, Val.f64(1)), /expected a value of type f32/);
  const c = new Global(store, { type: I64, mutable: false }, Val.i64(-1n));
  assert.throws(() => c.set(store, Val.i64(1n)), /immutable/);
  assert.deepEqual(c.type(store), { type: I64, mutable: false });
});
