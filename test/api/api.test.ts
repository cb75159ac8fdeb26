// The embedding API: argument checking at the boundary, stores, host functions, globals,
// memories, tables, tail calls in constant stack, multi-value, and the data image.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine, EXTERNREF, F64, FUNCREF, Func, Global, I32, I64, Instance, Memory, Module, Store, Table, Val, funcType,
} from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';
import { instantiateWat } from './wat-helper.js';

const wat = `(module
  (func (export "add") (param i32 i64) (result i64) (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1)))
  (func (export "swap") (param i64 f64) (result f64 i64) (local.get 1) (local.get 0))
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1)) (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0)) (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
  (memory (export "mem") 1 3)
  (global (export "g") (mut i64) (i64.const -5))
  (table (export "t") 2 funcref))`;

test('wrong argument counts and kinds are refused before wasm runs', () => {
  const { store, instance } = instantiateWat(wat);
  const add = instance.getFunc(store, 'add')!;
  assert.throws(() => add.call(store, [Val.i32(1)]), /expected 2 values, got 1/);
  assert.throws(() => add.call(store, [Val.i32(1), Val.i32(2)]), /argument 1: expected a value of type i64, got i32/);
  assert.throws(() => add.call(store, [1 as unknown as Val, Val.i64(2)]), /expected a Val/);
  assert.equal(add.call(store, [Val.i32(-3), Val.i64(10n)])[0]!.value, 7n);
});

test('handles are refused by another store', () => {
  const { instance } = instantiateWat(wat);
  const other = new Store(new Engine());
  assert.throws(() => instance.getFunc(other, 'add'), /object used with the wrong store/);
});

test('multi-value results and tail calls in constant stack', () => {
  const { store, instance } = instantiateWat(wat);
  const r = instance.getFunc(store, 'swap')!.call(store, [Val.i64(-2n), Val.f64(2.5)]);
  assert.deepEqual(r.map((v) => v.type), ['f64', 'i64']);
  assert.equal(Val.toNumber(r[0]!), 2.5);
  assert.equal(r[1]!.value, -2n);
  // A million mutual tail calls would overflow any JS stack without the trampoline.
  assert.equal(instance.getFunc(store, 'even')!.call(store, [Val.i64(1_000_001n)])[0]!.value, 0);
});

test('memory, global and table handles', () => {
  const { store, instance } = instantiateWat(wat);
  const mem = instance.getMemory(store, 'mem')!;
  assert.equal(mem.grow(store, 1), 1);
  assert.equal(mem.size(store), 2);
  assert.throws(() => mem.grow(store, 5));
  mem.write(store, 70000, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...mem.read(store, 70000, 3)], [1, 2, 3]);
  const g = instance.getGlobal(store, 'g')!;
  assert.equal(g.get(store).value, -5n);
  g.set(store, Val.i64(1n << 40n));
  assert.equal(g.get(store).value, 1n << 40n);
  const t = instance.getTable(store, 't')!;
  const add = instance.getFunc(store, 'add')!;
  t.set(store, 1, Val.funcref(add));
  assert.equal(t.get(store, 1)!.value, add);
  assert.equal(t.grow(store, 3, Val.funcref(null)), 2);
});

test('host functions, memories, tables and globals as imports', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const module = new Module(engine, parseWat(`(module
    (import "h" "f" (func $f (param i32 f64) (result f64)))
    (import "h" "m" (memory 1))
    (import "h" "t" (table 1 funcref))
    (import "h" "g" (global i64))
    (func (export "run") (result f64)
      (i32.store (i32.const 0) (i32.const 42))
      (call $f (i32.load (i32.const 0)) (f64.convert_i64_s (global.get 0)))))`));
  const seen: unknown[] = [];
  const f = Func.wrap(store, funcType([I32, F64], [F64]), (a: number, b: number) => {
    seen.push(a, b);
    return a + b;
  });
  const memory = new Memory(store, { limits: { min: 1, max: null }, address64: false, shared: false, pageSizeLog2: 16 });
  const table = new Table(store, { element: FUNCREF, limits: { min: 1, max: null }, address64: false }, Val.funcref(null));
  const global = new Global(store, { type: I64, mutable: false }, Val.i64(8n));
  const instance = new Instance(store, module, [f, memory, table, global]);
  assert.equal(Val.toNumber(instance.getFunc(store, 'run')!.call(store)[0]!), 50);
  assert.deepEqual(seen, [42, 8]);
  assert.equal(memory.data(store)[0], 42);
  assert.throws(() => new Instance(store, module, [f, memory, table]), /expected 4 imports/);
});

test('a module with 1 MiB of data segments is laid out once and copied on instantiation', () => {
  const segments = Array.from({ length: 16 }, (_, i) => `(data (i32.const ${i * 65536}) "${'\\01'.repeat(4)}${'x'.repeat(65532)}")`).join('\n');
  const { store, instance, module } = instantiateWat(`(module (memory (export "m") 17) ${segments})`);
  assert.equal(module.code().images.get(0)!.bytes.length, 15 * 65536 + 65536);
  const bytes = instance.getMemory(store, 'm')!.data(store);
  assert.equal(bytes[15 * 65536], 1);
  assert.equal(bytes[15 * 65536 + 100], 'x'.charCodeAt(0));
});

test('new Memory refuses invalid limits with the validator words', () => {
  const store = new Store(new Engine());
  const type = (min: number, max: number | null) => ({ limits: { min, max }, address64: false, shared: false, pageSizeLog2: 16 });
  assert.throws(() => new Memory(store, type(2, 1)), (e: unknown) => e instanceof TypeError && /minimum must not be greater than maximum/.test(e.message));
  assert.throws(() => new Memory(store, type(1, 70000)), (e: unknown) => e instanceof TypeError && /at most 65536 pages/.test(e.message));
  assert.equal(new Memory(store, type(1, 65536)).size(store), 1);
});

test('Func.matchesTy answers as a function import of that type would be checked', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const host = Func.wrap(store, funcType([I32], [I32]), (x: number) => x);
  assert.equal(host.matchesTy(store, funcType([I32], [I32])), true);
  assert.equal(host.matchesTy(store, funcType([I64], [I32])), false);
  assert.equal(host.matchesTy(store, funcType([I32], [])), false);
  const instance = new Instance(store, new Module(engine, `(module
    (type $super (sub (func (result funcref)))) (type $sub (sub $super (func (result funcref))))
    (func (export "plain") (result funcref) (ref.null func))
    (func (export "sub") (type $sub) (ref.null func)))`), []);
  const plain = instance.getFunc(store, 'plain')!;
  assert.equal(plain.matchesTy(store, funcType([], [FUNCREF])), true);
  assert.equal(plain.matchesTy(store, funcType([], [EXTERNREF])), false);
  // Types are matched as declared: a type with a declared supertype is not the final type funcType makes.
  assert.equal(instance.getFunc(store, 'sub')!.matchesTy(store, funcType([], [FUNCREF])), false);
  assert.throws(() => host.matchesTy(new Store(engine), funcType([I32], [I32])), /object used with the wrong store/);
  assert.throws(() => host.matchesTy(store, { params: [], results: [] } as never), /expected a function type/);
});
