// Store.limiterAsync (Wasmtime's ResourceLimiterAsync): memory.grow and table.grow in wasm called
// with callAsync wait for the limiter's answer; the host waits with growAsync, newAsync and
// instantiateAsync; a promise where nothing can wait fails with an error naming the async forms.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine, FUNCREF, I32, Instance, Linker, Memory, Module, ResourceLimitError, Store, Table, Trap, Val, funcType,
  type MemoryType, type ResourceLimiterAsync,
} from '../../src/index.js';

const memType = (min: number): MemoryType => ({ limits: { min, max: null }, address64: false, shared: false, pageSizeLog2: 16 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const program = `(module
  (import "host" "tick" (func $tick (param i32) (result i32)))
  (memory (export "mem") 1 10)
  (table (export "tab") 1 10 funcref)
  (func $grow (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; grows from a function that reaches no import, two calls deep, then writes into the new page
  (func (export "growAndWrite") (param i32) (result i32)
    (local $old i32)
    (local.set $old (call $grow (local.get 0)))
    (if (i32.ge_s (local.get $old) (i32.const 0))
      (then (i32.store (i32.sub (i32.mul (i32.add (local.get $old) (local.get 0)) (i32.const 65536)) (i32.const 4)) (i32.const 77))))
    (local.get $old))
  (func (export "growTable") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "tick") (param i32) (result i32) (call $tick (local.get 0))))`;

/** A limiter that answers later, allows up to `pages` pages and `elements` elements, and records what it was asked. */
function slowLimiter(pages: number, elements: number) {
  const asked: string[] = [];
  const failed: string[] = [];
  const limiter: ResourceLimiterAsync = {
    async memoryGrowing(current, desired) {
      asked.push(`memory ${current} -> ${desired}`);
      await sleep(2);
      return desired <= pages * 65536;
    },
    async tableGrowing(current, desired) {
      asked.push(`table ${current} -> ${desired}`);
      await sleep(2);
      return desired <= elements;
    },
    memoryGrowFailed(e) { failed.push(e.message); },
    instances: 10, tables: 10, memories: 10,
  };
  return { limiter, asked, failed };
}

function setup(limiter: ResourceLimiterAsync) {
  const engine = new Engine({ asyncSupport: true });
  const store = new Store(engine);
  store.limiterAsync(limiter);
  const linker = new Linker(engine);
  linker.funcWrap('host', 'tick', funcType([I32], [I32]), (x: number) => x + 1);
  return { engine, store, linker, module: new Module(engine, program) };
}

test('instantiateAsync waits for the async limiter on the initial sizes', async () => {
  const { limiter, asked } = slowLimiter(4, 4);
  const { store, linker, module } = setup(limiter);
  await linker.instantiateAsync(store, module);
  assert.deepEqual(asked, ['memory 0 -> 65536', 'table 0 -> 1']);
  const refusing = slowLimiter(0, 4);
  const s2 = setup(refusing.limiter);
  await assert.rejects(s2.linker.instantiateAsync(s2.store, s2.module), (e) => e instanceof ResourceLimitError && /memory minimum size of 1 pages/.test(e.message));
});

test('memory.grow in wasm called with callAsync waits for the answer, and the new page is usable', async () => {
  const { limiter, asked } = slowLimiter(3, 4);
  const { store, linker, module } = setup(limiter);
  const instance = await linker.instantiateAsync(store, module);
  const growAndWrite = instance.getFunc(store, 'growAndWrite')!;
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  assert.deepEqual(await growAndWrite.callAsync(store, [Val.i32(1)]), [Val.i32(1)]);
  clearInterval(timer);
  assert.ok(ticks > 0, 'the event loop ran while the limiter answered');
  assert.deepEqual(instance.getFunc(store, 'load')!.call(store, [Val.i32(2 * 65536 - 4)]), [Val.i32(77)]);
  // Refused: memory.grow returns -1 and nothing changes.
  assert.deepEqual(await growAndWrite.callAsync(store, [Val.i32(5)]), [Val.i32(-1)]);
  assert.equal(instance.getMemory(store, 'mem')!.size(store), 2);
  assert.deepEqual(asked.slice(-2), ['memory 65536 -> 131072', 'memory 131072 -> 458752']);
});

test('table.grow in wasm waits for the answer too', async () => {
  const { limiter } = slowLimiter(3, 3);
  const { store, linker, module } = setup(limiter);
  const instance = await linker.instantiateAsync(store, module);
  const growTable = instance.getFunc(store, 'growTable')!;
  assert.deepEqual(await growTable.callAsync(store, [Val.i32(2)]), [Val.i32(1)]);
  assert.deepEqual(await growTable.callAsync(store, [Val.i32(1)]), [Val.i32(-1)]);
  assert.equal(instance.getTable(store, 'tab')!.size(store), 3);
});

test('a rejected answer traps the growth with the limiter\'s error, as a throwing sync limiter does', async () => {
  const oops = new Error('quota service unavailable');
  const limiter: ResourceLimiterAsync = {
    memoryGrowing: async (current) => { if (current > 0) throw oops; return true; },
    tableGrowing: () => true,
    instances: 10, tables: 10, memories: 10,
  };
  const { store, linker, module } = setup(limiter);
  const instance = await linker.instantiateAsync(store, module);
  await assert.rejects(instance.getFunc(store, 'grow')!.callAsync(store, [Val.i32(1)]), (e) => e === oops);
  // The store still works afterwards.
  assert.deepEqual(await instance.getFunc(store, 'tick')!.callAsync(store, [Val.i32(1)]), [Val.i32(2)]);
});

test('an async limiter that answers at once works in synchronous calls; a promise there is refused clearly', async () => {
  let later = false;
  const limiter: ResourceLimiterAsync = {
    memoryGrowing: (_c, desired) => (later ? Promise.resolve(true) : desired <= 2 * 65536),
    tableGrowing: () => true,
    instances: 10, tables: 10, memories: 10,
  };
  const { store, linker, module } = setup(limiter);
  const instance = await linker.instantiateAsync(store, module);
  const grow = instance.getFunc(store, 'grow')!;
  assert.deepEqual(grow.call(store, [Val.i32(1)]), [Val.i32(1)]);
  assert.deepEqual(grow.call(store, [Val.i32(1)]), [Val.i32(-1)]);
  later = true;
  assert.throws(() => grow.call(store, [Val.i32(1)]), (e) => !(e instanceof Trap) && /callAsync/.test((e as Error).message));
  const mem = instance.getMemory(store, 'mem')!;
  assert.throws(() => mem.grow(store, 1), /Memory\.growAsync/);
  assert.throws(() => new Memory(store, memType(1)), /Memory\.newAsync/);
  assert.equal(await mem.growAsync(store, 1), 2);
  assert.equal(mem.size(store), 3);
});

test('Memory and Table: newAsync and growAsync wait for the answer; refusals and counts as in the sync forms', async () => {
  const { limiter, asked } = slowLimiter(2, 5);
  const engine = new Engine({ asyncSupport: true });
  const store = new Store(engine);
  store.limiterAsync({ ...limiter, memories: 1, tables: 1 } as ResourceLimiterAsync);
  const mem = await Memory.newAsync(store, memType(1));
  assert.equal(mem.size(store), 1);
  assert.equal(await mem.growAsync(store, 1), 1);
  await assert.rejects(mem.growAsync(store, 1), RangeError);
  await assert.rejects(Memory.newAsync(store, memType(1)), (e) => e instanceof ResourceLimitError && /memory count too high/.test(e.message));
  const table = await Table.newAsync(store, { element: FUNCREF, limits: { min: 2, max: null }, address64: false }, Val.funcref(null));
  assert.equal(await table.growAsync(store, 3, Val.funcref(null)), 2);
  await assert.rejects(table.growAsync(store, 1, Val.funcref(null)), RangeError);
  assert.deepEqual(asked, ['memory 0 -> 65536', 'memory 65536 -> 131072', 'memory 131072 -> 196608', 'table 0 -> 2', 'table 2 -> 5', 'table 5 -> 6']);
});

test('limiterAsync, growAsync and newAsync need Config.asyncSupport; the limiter must look like one', async () => {
  const store = new Store(new Engine());
  const { limiter } = slowLimiter(1, 1);
  assert.throws(() => store.limiterAsync(limiter), /asyncSupport/);
  const mem = new Memory(store, memType(1));
  await assert.rejects(mem.growAsync(store, 1), /asyncSupport/);
  await assert.rejects(Memory.newAsync(store, memType(1)), /asyncSupport/);
  const asyncStore = new Store(new Engine({ asyncSupport: true }));
  assert.throws(() => asyncStore.limiterAsync({ memoryGrowing: () => true } as unknown as ResourceLimiterAsync), TypeError);
  // The sync limiter replaces the async one and the other way round.
  asyncStore.limiterAsync(limiter);
  asyncStore.limiter(null);
  assert.equal(await (await Memory.newAsync(asyncStore, memType(5))).growAsync(asyncStore, 1), 5);
});

test('Instance.newAsync checks the limits before anything is created', async () => {
  const { limiter, asked } = slowLimiter(4, 0);
  const engine = new Engine({ asyncSupport: true });
  const store = new Store(engine);
  store.limiterAsync(limiter);
  const module = new Module(engine, '(module (memory 1) (table 1 funcref))');
  await assert.rejects(Instance.newAsync(store, module), (e) => e instanceof ResourceLimitError && /table minimum size/.test(e.message));
  assert.deepEqual(asked, ['memory 0 -> 65536', 'table 0 -> 1']);
  store.limiterAsync({ ...limiter, tableGrowing: async () => true } as ResourceLimiterAsync);
  await Instance.newAsync(store, module);
});

test('memory.grow on a shared memory waits for the async limiter too', async () => {
  const { limiter, asked } = slowLimiter(3, 1);
  const engine = new Engine({ asyncSupport: true, features: { threads: true } });
  const store = new Store(engine);
  store.limiterAsync(limiter);
  const module = new Module(engine, `(module (memory (export "m") 1 4 shared)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))) (func (export "size") (result i32) (memory.size)))`);
  const instance = await new Linker(engine).instantiateAsync(store, module);
  const grow = instance.getFunc(store, 'grow')!;
  assert.deepEqual(await grow.callAsync(store, [Val.i32(1)]), [Val.i32(1)]);
  assert.deepEqual(await grow.callAsync(store, [Val.i32(2)]), [Val.i32(-1)]);
  assert.deepEqual(instance.getFunc(store, 'size')!.call(store, []), [Val.i32(2)]);
  assert.deepEqual(asked, ['memory 0 -> 65536', 'memory 65536 -> 131072', 'memory 131072 -> 262144']);
});

test('growths waiting on the limiter at once are each allowed for the size they grow from (found by the stop 36 async audit)', async () => {
  const engine = new Engine({ asyncSupport: true });
  const store = new Store(engine);
  const asked: string[] = [];
  store.limiterAsync({
    async memoryGrowing(current, desired) { asked.push(`${current / 65536}->${desired / 65536}`); await sleep(2); return desired <= 2 * 65536; },
    async tableGrowing(current, desired) { await sleep(2); return desired <= 2; },
    instances: 10, tables: 10, memories: 10,
  });
  const module = new Module(engine, `(module (memory (export "mem") 1 100) (table (export "tab") 1 100 funcref)
    (func (export "grow") (result i32) (memory.grow (i32.const 1)))
    (func (export "growTable") (result i32) (table.grow (ref.null func) (i32.const 1))))`);
  const instance = await Instance.newAsync(store, module, []);
  const grow = instance.getFunc(store, 'grow')!;
  const results = await Promise.all([grow.callAsync(store, []), grow.callAsync(store, []), grow.callAsync(store, [])]);
  assert.deepEqual(results.map((r) => r[0]!.value).sort(), [-1, -1, 1], 'one allowed 1 -> 2; the others asked again from 2');
  assert.equal(instance.getMemory(store, 'mem')!.size(store), 2, 'within the limit (it ended at 4 pages)');
  assert.ok(asked.includes('2->3'), 'asked about the growth it applies to');
  const growTable = instance.getFunc(store, 'growTable')!;
  await Promise.all([growTable.callAsync(store, []), growTable.callAsync(store, []), growTable.callAsync(store, [])]);
  assert.equal(instance.getTable(store, 'tab')!.size(store), 2);
  const mem = instance.getMemory(store, 'mem')!;
  const host = await Promise.allSettled([mem.growAsync(store, 1), mem.growAsync(store, 1)]);
  assert.deepEqual(host.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(mem.size(store), 2);
});
