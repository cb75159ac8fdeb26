// Provenance: every handle type, and references inside Vals and tables, are refused by a store
// other than their own with "object used with the wrong store".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXTERNREF, Engine, ExternRef, FUNCREF, Func, Global, I32, Instance, Linker, Memory, Module, Store, Table, Tag, Val, funcType,
  type Caller,
} from '../../src/index.js';

const WRONG = /object used with the wrong store/;

const wat = `(module
  (import "host" "peek" (func $peek (param i32) (result i32)))
  (func (export "f") (param i32) (result i32) (call $peek (local.get 0)))
  (func (export "takes") (param funcref externref))
  (memory (export "m") 1)
  (table (export "t") 2 funcref)
  (table (export "x") 2 externref)
  (global (export "g") (mut i32) (i32.const 7))
  (tag (export "e") (param i32)))`;

function setup(engine: Engine) {
  const store = new Store(engine);
  const module = new Module(engine, wat);
  const peek = Func.wrap(store, funcType([I32], [I32]), (x: number) => x + 1);
  const instance = new Instance(store, module, [peek]);
  return { store, module, instance, peek };
}

test('every exported handle type is refused by another store', () => {
  const engine = new Engine();
  const { store, module, instance } = setup(engine);
  const other = new Store(engine);
  const f = instance.getFunc(store, 'f')!;
  const typed = f.typed(store, [I32], [I32]);
  const m = instance.getMemory(store, 'm')!;
  const t = instance.getTable(store, 't')!;
  const g = instance.getGlobal(store, 'g')!;
  const e = instance.getTag(store, 'e')!;
  assert.equal(typed.call(store, 1), 2);
  assert.throws(() => instance.getExport(other, 'f'), WRONG);
  assert.throws(() => instance.exports(other), WRONG);
  assert.throws(() => instance.getModuleExport(other, module.getExportIndex('f')!), WRONG);
  assert.throws(() => f.call(other, [Val.i32(1)]), WRONG);
  assert.throws(() => f.type(other), WRONG);
  assert.throws(() => f.typed(other), WRONG);
  assert.throws(() => f.toRaw(other), WRONG);
  assert.throws(() => f.matchesTy(other, f.type(store)), WRONG);
  assert.throws(() => typed.call(other, 1), WRONG);
  assert.throws(() => m.data(other), WRONG);
  assert.throws(() => m.grow(other, 1), WRONG);
  assert.throws(() => m.read(other, 0, 1), WRONG);
  assert.throws(() => m.write(other, 0, new Uint8Array(1)), WRONG);
  assert.throws(() => t.get(other, 0), WRONG);
  assert.throws(() => t.set(other, 0, Val.funcref(null)), WRONG);
  assert.throws(() => t.grow(other, 1, Val.funcref(null)), WRONG);
  assert.throws(() => t.fill(other, 0, Val.funcref(null), 1), WRONG);
  assert.throws(() => Table.copy(other, t, 0, t, 1, 1), WRONG);
  assert.throws(() => g.get(other), WRONG);
  assert.throws(() => g.set(other, Val.i32(1)), WRONG);
  assert.throws(() => e.type(other), WRONG);
  // Nothing changed in the owning store.
  assert.equal(m.size(store), 1);
  assert.equal(g.get(store).value, 7);
});

test('handles created by the host are refused by another store, also as imports', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const other = new Store(engine);
  const memType = { limits: { min: 1, max: null }, address64: false, shared: false, pageSizeLog2: 16 };
  const mem = new Memory(store, memType);
  const table = new Table(store, { element: FUNCREF, limits: { min: 1, max: null }, address64: false }, Val.funcref(null));
  const global = new Global(store, { type: I32, mutable: true }, Val.i32(1));
  const tag = new Tag(store, funcType([I32], []));
  const func = Func.wrap(store, funcType([], []), () => {});
  for (const op of [() => mem.size(other), () => table.size(other), () => global.get(other), () => tag.type(other), () => func.call(other)]) {
    assert.throws(op, WRONG);
  }
  const importer = new Module(engine, `(module (import "a" "m" (memory 1)) (import "a" "f" (func))
    (import "a" "t" (table 1 funcref)) (import "a" "g" (global (mut i32))) (import "a" "e" (tag (param i32))))`);
  const imports = [mem, func, table, global, tag];
  for (let i = 0; i < imports.length; i++) {
    // Each import alone from the wrong store is enough to refuse the instantiation.
    const mixed = imports.map((x, k) => (k === i ? x : [
      new Memory(other, memType), Func.wrap(other, funcType([], []), () => {}),
      new Table(other, { element: FUNCREF, limits: { min: 1, max: null }, address64: false }, Val.funcref(null)),
      new Global(other, { type: I32, mutable: true }, Val.i32(1)), new Tag(other, funcType([I32], [])),
    ][k]!));
    assert.throws(() => new Instance(other, importer, mixed), WRONG);
  }
  assert.ok(new Instance(store, importer, imports));
});

test('references inside Vals and tables keep their store', () => {
  const engine = new Engine();
  const { store, instance, peek } = setup(engine);
  const other = setup(engine);
  const t = instance.getTable(store, 't')!;
  const x = instance.getTable(store, 'x')!;
  // A funcref or externref of one store stored into another store's table or global.
  assert.throws(() => other.instance.getTable(other.store, 't')!.set(other.store, 0, Val.funcref(peek)), WRONG);
  const ref = ExternRef.new(store, { secret: 1 });
  assert.throws(() => other.instance.getTable(other.store, 'x')!.set(other.store, 0, Val.externref(ref)), WRONG);
  assert.throws(() => new Global(other.store, { type: EXTERNREF, mutable: false }, Val.externref(ref)), WRONG);
  const takes = other.instance.getFunc(other.store, 'takes')!;
  assert.throws(() => takes.call(other.store, [Val.funcref(peek), Val.externref(null)]), WRONG);
  assert.throws(() => takes.call(other.store, [Val.funcref(null), Val.externref(ref)]), WRONG);
  assert.throws(() => takes.typed(other.store).call(other.store, peek, null), WRONG);
  takes.call(other.store, [Val.funcref(null), Val.externref(ExternRef.new(other.store, 1))]);
  assert.throws(() => ref.data(other.store), WRONG);
  // Within its own store the same values go in and come back as the same handles.
  t.set(store, 1, Val.funcref(peek));
  x.set(store, 1, Val.externref(ref));
  assert.equal(t.get(store, 1)!.value, peek);
  assert.equal(x.get(store, 1)!.value, ref);
  assert.deepEqual(ref.data(store), { secret: 1 });
  // Raw forms carry the store too.
  const raw = peek.toRaw(store);
  assert.equal(Func.fromRaw(store, raw), peek);
  assert.throws(() => Func.fromRaw(other.store, raw), WRONG);
  assert.throws(() => Val.toRaw(other.store, Val.externref(ref)), WRONG);
  assert.throws(() => ExternRef.fromRaw(other.store, ref.toRaw(store)), WRONG);
});

test("a Caller's exports and a Linker's items belong to their store", () => {
  const engine = new Engine();
  const store = new Store(engine);
  const other = new Store(engine);
  let seen: Memory | undefined;
  const linker = new Linker(engine);
  linker.funcWrapWithCaller('host', 'peek', funcType([I32], [I32]), (caller: Caller, p: number) => {
    seen = caller.getExport('m') as Memory;
    assert.throws(() => seen!.data(other), WRONG);
    return seen.data(caller)[p]!;
  });
  const module = new Module(engine, wat);
  const instance = linker.instantiate(store, module);
  instance.getMemory(store, 'm')!.write(store, 3, new Uint8Array([42]));
  assert.equal(instance.getFunc(store, 'f')!.call(store, [Val.i32(3)])[0]!.value, 42);
  assert.throws(() => seen!.size(other), WRONG);
  // A define()d item is its store's: instantiating with it in another store is refused.
  const items = new Linker(engine);
  items.define(store, 'host', 'peek', Func.wrap(store, funcType([I32], [I32]), (v: number) => v));
  assert.throws(() => items.instantiate(other, module), WRONG);
  assert.throws(() => items.get(other, 'host', 'peek'), WRONG);
  assert.throws(() => items.define(other, 'host', 'again', instance.getFunc(store, 'f')!), WRONG);
  assert.ok(items.instantiate(store, module));
});
