// The raw calling convention (Wasmtime's Func::new_unchecked, Func::call_unchecked and
// Linker::func_new_unchecked): one ValRaw array, parameters in and results out, exact bits, and the
// same type and store checks as the Val calls.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXTERNREF, Engine, ExternRef, F32, F64, FUNCREF, Func, I32, I64, Instance, Linker, Memory, Module, Store, Trap, TrapCode, Val, funcType,
  type Caller, type ValRaw,
} from '../../src/index.js';

const wat = `(module
  (func (export "id") (param i32 i64 f32 f64) (result i32 i64 f32 f64) (local.get 0) (local.get 1) (local.get 2) (local.get 3))
  (func (export "spread") (param i32) (result i32 i64 i32) (local.get 0) (i64.extend_i32_s (local.get 0)) (i32.const 9))
  (func (export "refs") (param funcref externref) (result externref funcref) (local.get 1) (local.get 0))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "none"))
  (memory (export "m") 1))`;

function setup(engine = new Engine()) {
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, wat), []);
  return { engine, store, instance };
}

// A signalling f32 NaN, an f64 NaN with payload, the extreme i64 and -1 as i32.
const EXACT: ValRaw[] = [-1, -(2n ** 63n), 0x7fa00001, 0xfff4000000000001n];

test('callUnchecked passes and returns exact bits in place', () => {
  const { store, instance } = setup();
  const id = instance.getFunc(store, 'id')!;
  const buf = [...EXACT];
  assert.equal(id.callUnchecked(store, buf), undefined);
  assert.deepEqual(buf, EXACT);
  // The same values through call: the raw forms are Val.toRaw's.
  const types = [I32, I64, F32, F64];
  const vals = id.call(store, EXACT.map((r, i) => Val.fromRaw(store, r, types[i]!)));
  assert.deepEqual(vals.map((v) => Val.toRaw(store, v)), EXACT);
});

test('callUnchecked needs room for the larger of the parameter and result counts', () => {
  const { store, instance } = setup();
  const spread = instance.getFunc(store, 'spread')!;
  assert.throws(() => spread.callUnchecked(store, [-3]), /holds 1 values, and the call needs room for 3/);
  const buf: ValRaw[] = [-3, null, null, 'untouched' as never];
  spread.callUnchecked(store, buf);
  assert.deepEqual(buf, [-3, -3n, 9, 'untouched']);
  const none = instance.getFunc(store, 'none')!;
  const empty: ValRaw[] = [];
  none.callUnchecked(store, empty);
  assert.deepEqual(empty, []);
  assert.throws(() => none.callUnchecked(store, undefined as never), /expected an array of ValRaw/);
});

test('callUnchecked refuses raw values of the wrong JS type before wasm runs', () => {
  const { store, instance } = setup();
  const id = instance.getFunc(store, 'id')!;
  assert.throws(() => id.callUnchecked(store, [1, 2, 0, 0n]), /argument 1: a raw i64 is a bigint, got number/);
  assert.throws(() => id.callUnchecked(store, [1, 2n, 0n, 0n]), /argument 2: a raw f32 is a number, got bigint/);
  assert.throws(() => id.callUnchecked(store, [null, 2n, 0, 0n]), /argument 0: a raw i32 is a number, got null/);
  const refs = instance.getFunc(store, 'refs')!;
  assert.throws(() => refs.callUnchecked(store, [5, null]), /argument 0: expected a raw reference or null for funcref, got number/);
  assert.throws(() => refs.callUnchecked(store, [{}, null]), /not a raw function reference/);
});

test('callUnchecked swaps references as raw handles, and refuses another store\'s', () => {
  const { engine, store, instance } = setup();
  const refs = instance.getFunc(store, 'refs')!;
  const none = instance.getFunc(store, 'none')!;
  const ext = ExternRef.new(store, { host: true });
  const buf: ValRaw[] = [none.toRaw(store), ext.toRaw(store)];
  refs.callUnchecked(store, buf);
  assert.equal(Val.fromRaw(store, buf[0]!, EXTERNREF).value, ext);
  assert.equal(Val.fromRaw(store, buf[1]!, FUNCREF).value, none);
  const buf2: ValRaw[] = [null, null];
  refs.callUnchecked(store, buf2);
  assert.deepEqual(buf2, [null, null]);

  const other = setup(engine);
  const foreignFunc = other.instance.getFunc(other.store, 'none')!.toRaw(other.store);
  assert.throws(() => refs.callUnchecked(store, [foreignFunc, null]), /object used with the wrong store/);
  const foreignExt = ExternRef.new(other.store, 1).toRaw(other.store);
  assert.throws(() => refs.callUnchecked(store, [null, foreignExt]), /object used with the wrong store/);
  // The Func itself belongs to one store.
  assert.throws(() => refs.callUnchecked(other.store, [null, null]), /object used with the wrong store/);
});

test('callUnchecked traps as call does', () => {
  const { store, instance } = setup();
  const div = instance.getFunc(store, 'div')!;
  const buf: ValRaw[] = [-7, 2];
  div.callUnchecked(store, buf);
  assert.equal(buf[0], -3);
  assert.throws(() => div.callUnchecked(store, [1, 0]), (e: unknown) => e instanceof Trap && e.code === TrapCode.IntegerDivisionByZero);
});

const importer = `(module
  (import "host" "f" (func $f (param i32 i64 f32 f64) (result f64 f32 i64 i32)))
  (import "host" "three" (func $three (result i32 i32 i32)))
  (memory (export "m") 1)
  (func (export "call") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (call $f (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "sum3") (result i32)
    (call $three) (i32.add) (i32.add)))`;

test('newUnchecked host functions see exact bits and return in place, with a Caller', () => {
  const engine = new Engine();
  const store = new Store(engine, { calls: 0 });
  const seen: ValRaw[][] = [];
  let kept: Caller<{ calls: number }> | null = null;
  const exported: boolean[] = [];
  const f = Func.newUnchecked(store, funcType([I32, I64, F32, F64], [F64, F32, I64, I32]), (caller, raws) => {
    seen.push([...raws]);
    caller.data.calls++;
    kept = caller;
    // Called from wasm, the Caller sees the calling instance's exports; called from the host, none.
    const mem = caller.getExport('m') as Memory | undefined;
    exported.push(mem !== undefined);
    mem?.write(caller, 0, new Uint8Array([42]));
    // The results in reverse order, at the start of the same array.
    const [a, b, c, d] = raws;
    raws[0] = d!;
    raws[1] = c!;
    raws[2] = b!;
    raws[3] = a!;
  });
  const three = Func.newUnchecked(store, funcType([], [I32, I32, I32]), (_caller, raws) => {
    assert.deepEqual([...raws], [null, null, null]);
    raws[0] = 1;
    raws[1] = 20;
    raws[2] = 300;
  });
  const instance = new Instance(store, new Module(engine, importer), [f, three]);
  const out = instance.getFunc(store, 'call')!.call(store, EXACT.map((r, i) => Val.fromRaw(store, r, [I32, I64, F32, F64][i]!)));
  assert.deepEqual(seen, [EXACT]);
  assert.deepEqual(out.map((v) => Val.toRaw(store, v)), [...EXACT].reverse());
  assert.equal(store.data.calls, 1);
  assert.equal(instance.getMemory(store, 'm')!.data(store)[0], 42);
  // A Caller kept past its call refuses to be used.
  assert.throws(() => kept!.getExport('m'));
  assert.equal(instance.getTypedFunc(store, 'sum3', [], [I32]).call(store), 321);
  // The host function called from the host directly, raw in and raw out.
  const buf = [...EXACT];
  f.callUnchecked(store, buf);
  assert.deepEqual(buf, [...EXACT].reverse());
  assert.deepEqual(exported, [true, false]);
});

test('a newUnchecked result of the wrong type or store reaches the caller as a TypeError, not a trap', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const other = new Store(engine);
  const foreign = ExternRef.new(other, 'elsewhere');
  const cases: [string, (raws: ValRaw[]) => void, RegExp][] = [
    ['bigint for i32', (raws) => { raws[0] = 1n; }, /host function result 0: a raw i32 is a number, got bigint/],
    ['nothing written', () => {}, /host function result 0: a raw i32 is a number, got null/],
  ];
  for (const [what, impl, message] of cases) {
    const f = Func.newUnchecked(store, funcType([], [I32]), (_c, raws) => impl(raws));
    assert.throws(() => f.call(store), (e: unknown) => e instanceof TypeError && message.test(e.message), what);
  }
  const g = Func.newUnchecked(store, funcType([], [EXTERNREF]), (_c, raws) => { raws[0] = foreign.toRaw(other); });
  assert.throws(() => g.call(store), /object used with the wrong store/);
  const thrown = new Error('from the host');
  const h = Func.newUnchecked(store, funcType([], []), () => { throw thrown; });
  assert.throws(() => h.call(store), (e: unknown) => e === thrown);
});

test('Linker.funcNewUnchecked defines one raw host function for every store', () => {
  const engine = new Engine();
  const linker = new Linker<{ id: number }>(engine);
  linker.funcNewUnchecked('host', 'f', funcType([I32, I64, F32, F64], [F64, F32, I64, I32]), (caller, raws) => {
    raws.reverse();
    raws[3] = (raws[3] as number) + caller.data.id;
  });
  linker.funcNewUnchecked('host', 'three', funcType([], [I32, I32, I32]), (caller, raws) => raws.fill(caller.data.id));
  const module = new Module(engine, importer);
  for (const id of [1, 2]) {
    const store = new Store(engine, { id });
    const instance = linker.instantiate(store, module);
    const buf = [...EXACT];
    instance.getFunc(store, 'call')!.callUnchecked(store, buf);
    assert.deepEqual(buf, [EXACT[3], EXACT[2], EXACT[1], (EXACT[0] as number) + id]);
    assert.equal(instance.getTypedFunc(store, 'sum3', [], [I32]).call(store), 3 * id);
  }
});
