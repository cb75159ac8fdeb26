// Resource limits: StoreLimits refuses growth from wasm and from the API (memory.grow returns -1,
// or traps with trapOnGrowFailure), initial sizes and instance/table/memory counts at instantiation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine, FUNCREF, Instance, LinkError, Memory, Module, ResourceLimitError, Store, StoreLimitsBuilder, Table, Trap, TrapCode, Val,
  type ResourceLimiter,
} from '../../src/index.js';

const PAGE = 65536;
const grower = `(module
  (memory (export "m") 1)
  (table (export "t") 1 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`;

function run(store: Store, instance: Instance, name: string, arg: number): number {
  return instance.getFunc(store, name)!.call(store, [Val.i32(arg)])[0]!.value as number;
}

test('memory.grow and table.grow beyond the limits return -1', () => {
  const engine = new Engine();
  const store = new Store(engine);
  store.limiter(new StoreLimitsBuilder().memorySize(3 * PAGE).tableElements(5).build());
  const instance = new Instance(store, new Module(engine, grower), []);
  assert.equal(run(store, instance, 'grow', 2), 1);
  assert.equal(run(store, instance, 'grow', 1), -1);
  assert.equal(instance.getMemory(store, 'm')!.size(store), 3);
  assert.equal(run(store, instance, 'tgrow', 4), 1);
  assert.equal(run(store, instance, 'tgrow', 1), -1);
  // The API's grow is refused by the same limits (an error, as in Wasmtime).
  assert.throws(() => instance.getMemory(store, 'm')!.grow(store, 1), /failed to grow memory/);
  assert.throws(() => instance.getTable(store, 't')!.grow(store, 1, Val.funcref(null)), /failed to grow table/);
  assert.equal(run(store, instance, 'grow', 0), 3);
});

test('with trapOnGrowFailure a refused growth traps instead', () => {
  const engine = new Engine();
  const store = new Store(engine);
  store.limiter(new StoreLimitsBuilder().memorySize(2 * PAGE).tableElements(2).trapOnGrowFailure(true).build());
  const instance = new Instance(store, new Module(engine, grower), []);
  assert.equal(run(store, instance, 'grow', 1), 1);
  assert.throws(() => run(store, instance, 'grow', 1), (e: unknown) => e instanceof Trap && e.code === TrapCode.HostError && /growing memory/.test(e.message));
  assert.equal(run(store, instance, 'tgrow', 1), 1);
  assert.throws(() => run(store, instance, 'tgrow', 1), (e: unknown) => e instanceof Trap && /growing table/.test(e.message));
  // A growth past the memory type's own maximum traps too.
  const capped = new Instance(store, new Module(engine, `(module (memory 1 1)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`), []);
  assert.throws(() => run(store, capped, 'grow', 1), Trap);
});

test('instantiation is refused when initial sizes exceed the limits', () => {
  const engine = new Engine();
  const store = new Store(engine);
  store.limiter(new StoreLimitsBuilder().memorySize(2 * PAGE).tableElements(10).build());
  assert.throws(() => new Instance(store, new Module(engine, '(module (memory 3))'), []),
    (e: unknown) => e instanceof ResourceLimitError && /memory minimum size of 3 pages exceeds memory limits/.test(e.message));
  assert.throws(() => new Instance(store, new Module(engine, '(module (table 11 funcref))'), []), /table minimum size of 11 elements/);
  assert.throws(() => new Memory(store, { limits: { min: 3, max: null }, address64: false, shared: false, pageSizeLog2: 16 }), ResourceLimitError);
  assert.ok(new Instance(store, new Module(engine, '(module (memory 2) (table 10 funcref))'), []));
});

test('instance, memory and table counts are limited per store', () => {
  const engine = new Engine();
  const store = new Store(engine);
  store.limiter(new StoreLimitsBuilder().instances(2).memories(2).tables(1).build());
  const withMemory = new Module(engine, '(module (memory 1))');
  new Instance(store, withMemory, []);
  new Instance(store, withMemory, []);
  assert.throws(() => new Instance(store, new Module(engine, '(module)'), []), /instance count too high at 3/);

  const store2 = new Store(engine);
  store2.limiter(new StoreLimitsBuilder().memories(1).tables(1).build());
  new Memory(store2, { limits: { min: 0, max: null }, address64: false, shared: false, pageSizeLog2: 16 });
  assert.throws(() => new Instance(store2, withMemory, []), /memory count too high at 2/);
  new Table(store2, { element: FUNCREF, limits: { min: 0, max: null }, address64: false }, Val.funcref(null));
  assert.throws(() => new Table(store2, { element: FUNCREF, limits: { min: 0, max: null }, address64: false }, Val.funcref(null)), /table count too high at 2/);
  // A refused or unlinkable instantiation does not use up the count.
  assert.ok(new Instance(store2, new Module(engine, '(module)'), []));
  assert.throws(() => new Instance(store2, new Module(engine, '(module (import "a" "b" (func)))'), []), /expected 1 imports/);
  assert.ok(new Instance(store2, new Module(engine, '(module)'), []));
});

test('a custom ResourceLimiter sees sizes in bytes and elements', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const asked: string[] = [];
  const limiter: ResourceLimiter = {
    memoryGrowing: (current, desired, maximum) => (asked.push(`m ${current}->${desired} max ${maximum}`), desired <= 2 * PAGE),
    tableGrowing: (current, desired, maximum) => (asked.push(`t ${current}->${desired} max ${maximum}`), true),
    instances: 10, tables: 10, memories: 10,
  };
  store.limiter(limiter);
  const instance = new Instance(store, new Module(engine, `(module (memory (export "m") 1 4) (table 1 funcref)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "growTable") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`), []);
  assert.equal(run(store, instance, 'grow', 1), 1);
  assert.equal(run(store, instance, 'grow', 1), -1);
  // Growing by nothing asks nothing, as in Wasmtime (the table used to ask 1 -> 1).
  assert.equal(run(store, instance, 'grow', 0), 2);
  assert.equal(run(store, instance, 'growTable', 0), 1);
  assert.deepEqual(asked, [`m 0->${PAGE} max ${4 * PAGE}`, 't 0->1 max null', `m ${PAGE}->${2 * PAGE} max ${4 * PAGE}`, `m ${2 * PAGE}->${3 * PAGE} max ${4 * PAGE}`]);
});

test('memory a resource limiter grows during table.grow is the memory the running function then uses', () => {
  // tableGrowing is host code: a limiter holding the store can grow a memory from it.
  const engine = new Engine();
  const store = new Store(engine);
  let memory: Memory | undefined;
  store.limiter({
    memoryGrowing: () => true,
    tableGrowing: () => (memory?.grow(store, 1), true),
    instances: 10, tables: 10, memories: 10,
  });
  const instance = new Instance(store, new Module(engine, `(module (memory (export "m") 1) (table 1 funcref)
    (func (export "run") (result i32)
      (i32.store (i32.const 100) (i32.const 1))
      (drop (table.grow (ref.null func) (i32.const 1)))
      (i32.store (i32.const 100) (i32.const 2))
      (i32.store (i32.const 65540) (i32.const 3))
      (i32.load (i32.const 100))))`), []);
  memory = instance.getMemory(store, 'm')!;
  assert.equal(instance.getFunc(store, 'run')!.call(store, [])[0]!.value, 2);
  const view = new DataView(memory.data(store).buffer);
  assert.equal(view.getInt32(100, true), 2);
  assert.equal(view.getInt32(65540, true), 3);
});

test('what a resource limiter throws during memory.grow or table.grow reaches the embedder as it is', () => {
  // A RangeError in particular: it used to come out as an out-of-bounds memory access trap.
  for (const make of [() => new RangeError('limiter says no'), () => new TypeError('limiter says no'), () => new Error('limiter says no')]) {
    const engine = new Engine();
    const store = new Store(engine);
    let armed = false;
    const refuse = () => {
      if (armed) throw make();
      return true;
    };
    store.limiter({ memoryGrowing: refuse, tableGrowing: refuse, instances: 10, tables: 10, memories: 10 });
    const instance = new Instance(store, new Module(engine, grower), []);
    armed = true;
    const thrown = make().constructor;
    assert.throws(() => run(store, instance, 'grow', 1), (e: unknown) => e instanceof thrown && !(e instanceof Trap) && (e as Error).message === 'limiter says no');
    assert.throws(() => run(store, instance, 'tgrow', 1), (e: unknown) => e instanceof thrown && !(e instanceof Trap) && (e as Error).message === 'limiter says no');
    // From the host, the limiter's error is what Memory.grow throws, too.
    assert.throws(() => instance.getMemory(store, 'm')!.grow(store, 1), (e: unknown) => e instanceof thrown && (e as Error).message === 'limiter says no');
    armed = false;
    assert.equal(run(store, instance, 'grow', 1), 1);
  }
});

test('a table larger than the engine can hold is refused, not a crash of the process', () => {
  // V8 aborts the whole process ("invalid size error") when an array grows past its largest
  // length; tables stop at 10,000,000 elements (the JS API's limit), without any limiter.
  const engine = new Engine({ features: { memory64: true } });
  const store = new Store(engine);
  for (const table of ['(table 1000000000 funcref)', '(table i64 1099511627776 funcref)']) {
    assert.throws(() => new Instance(store, new Module(engine, `(module ${table})`), []),
      (e: unknown) => e instanceof LinkError && /table 0: cannot allocate a table of \d+ elements \(at most 10000000\)/.test(e.message));
  }
  assert.throws(() => new Table(store, { element: FUNCREF, limits: { min: 20_000_000, max: null }, address64: false }, Val.funcref(null)),
    /cannot allocate a table of 20000000 elements/);
  const instance = new Instance(store, new Module(engine, grower), []);
  assert.equal(run(store, instance, 'tgrow', 1_000_000_000), -1);
  assert.equal(instance.getTable(store, 't')!.size(store), 1);
});
