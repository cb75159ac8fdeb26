// Config.asyncSupport: async host functions suspend the wasm stack that called them, callAsync and
// instantiateAsync wait for it, epoch deadlines may yield to the event loop, and a synchronous call
// that would suspend fails with a clear error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine, F64, Func, I32, I64, Instance, Linker, Module, Store, Trap, TrapCode, Val, WasmBacktrace, funcType, type Caller,
} from '../../src/index.js';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { Worker } from 'node:worker_threads';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isTrap = (code: TrapCode) => (e: unknown) => e instanceof Trap && e.code === code;

const program = `(module $prog
  (import "host" "fetch" (func $fetch (param i32) (result i32)))
  (import "host" "pair" (func $pair (param i64 f64) (result f64 i64)))
  (memory (export "mem") 1)
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  ;; fetches twice around some work; the memory write after the second fetch must land in the live memory
  (func (export "run") (param i32) (result i32 i32)
    (local $a i32)
    (local.set $a (call $fetch (local.get 0)))
    (i32.store (i32.const 16) (call $fetch (i32.add (local.get 0) (i32.const 1))))
    (i32.add (local.get $a) (call $fib (i32.const 15)))
    (i32.load (i32.const 16)))
  (func (export "swap") (param i64 f64) (result f64 i64) (call $pair (local.get 0) (local.get 1)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "size") (result i32) (memory.size))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (call $fetch (i32.const 7)))
      (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "catching") (param i32) (result i32)
    (block $h (try_table (catch_all $h) (return (call $fetch (local.get 0)))))
    (i32.const -1))
  (func (export "recurse") (param i32) (result i32) (call $fib (i32.const 1)) (drop)
    (i32.add (i32.const 1) (call $recurse2 (local.get 0))))
  (func $recurse2 (param i32) (result i32) (i32.add (i32.const 1) (call $recurse2 (local.get 0)))))`;

function setup(fetch: (caller: Caller, x: number) => Promise<number> = async (_c, x) => {
  await sleep(1);
  return x * 10;
}) {
  const engine = new Engine({ asyncSupport: true });
  const linker = new Linker(engine);
  linker.funcWrapAsync('host', 'fetch', funcType([I32], [I32]), fetch);
  linker.funcNewAsync('host', 'pair', funcType([I64, F64], [F64, I64]), async (_caller, [a, b]) => {
    await sleep(1);
    return [b!, a!];
  });
  const store = new Store(engine);
  return { engine, linker, store, module: new Module(engine, program) };
}

test('an async host function suspends wasm until its promise settles, and timers run meanwhile', async () => {
  const { linker, store, module } = setup();
  const instance = await linker.instantiateAsync(store, module);
  const ticks: number[] = [];
  const timer = setInterval(() => ticks.push(1), 1);
  try {
    const run = instance.getFunc(store, 'run')!;
    assert.deepEqual(await run.callAsync(store, [Val.i32(4)]), [Val.i32(40 + 610), Val.i32(50)]);
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks.length > 0, 'the event loop ran while wasm waited');
});

test('calls suspended at the same time keep their own results, locals and memory writes', async () => {
  const { linker, store, module } = setup(async (_c, x) => {
    await sleep(x % 3);
    return x * 10;
  });
  const instance = await linker.instantiateAsync(store, module);
  const run = instance.getFunc(store, 'run')!.typed(store);
  const results = await Promise.all([1, 2, 3, 4, 5, 6].map((x) => run.callAsync(store, x)));
  // The last call to write memory[16] wins; each call's own results are exact.
  for (const [i, r] of results.entries()) assert.equal(r[0], (i + 1) * 10 + 610);
  assert.ok(results.every((r) => [20, 30, 40, 50, 60, 70].includes(r[1])));
});

test('exact values through an async host function: i64, f64 NaN bits, several results', async () => {
  const { linker, store, module } = setup();
  const instance = await linker.instantiateAsync(store, module);
  const swap = instance.getFunc(store, 'swap')!;
  const nan = 0x7ff4000000000abcn;
  const out = await swap.callAsync(store, [Val.i64(-(2n ** 63n)), Val.f64Bits(nan)]);
  assert.deepEqual(out, [Val.f64Bits(nan), Val.i64(-(2n ** 63n))]);
});

test('memory grown while a call is suspended: the call goes on writing into the live memory', async () => {
  let resume: (v: number) => void = () => {};
  const { linker, store, module } = setup((_c, x) => (x === 100 ? new Promise((r) => { resume = r; }) : Promise.resolve(x)));
  const instance = await linker.instantiateAsync(store, module);
  const pending = instance.getFunc(store, 'run')!.callAsync(store, [Val.i32(99)]);
  await sleep(5);
  assert.deepEqual(instance.getFunc(store, 'grow')!.call(store, []), [Val.i32(1)]);
  resume(77);
  assert.deepEqual(await pending, [Val.i32(99 + 610), Val.i32(77)]);
  const mem = instance.getMemory(store, 'mem')!;
  assert.equal(mem.size(store), 2);
  assert.equal(new DataView(mem.data(store).buffer).getInt32(16, true), 77);
});

test('a rejection reaches the caller unchanged, wasm cannot catch it, and the store stays usable', async () => {
  const failure = new Error('network down');
  const { linker, store, module } = setup(async (_c, x) => {
    await sleep(1);
    if (x === 13) throw failure;
    return x;
  });
  const instance = await linker.instantiateAsync(store, module);
  await assert.rejects(instance.getFunc(store, 'catching')!.callAsync(store, [Val.i32(13)]), (e) => e === failure);
  assert.deepEqual(await instance.getFunc(store, 'catching')!.callAsync(store, [Val.i32(12)]), [Val.i32(12)]);
});

test('a trap after a suspension has its code and a wasm backtrace', async () => {
  const { linker, store, module } = setup(async () => {
    await sleep(1);
    throw new Trap(TrapCode.UnreachableCodeReached);
  });
  const instance = await linker.instantiateAsync(store, module);
  await assert.rejects(instance.getFunc(store, 'deep')!.callAsync(store, [Val.i32(3)]), (e: unknown) => {
    assert.ok(e instanceof Trap);
    assert.equal(e.code, TrapCode.UnreachableCodeReached);
    return true;
  });
  const trapInWasm = setup();
  const deepInstance = await trapInWasm.linker.instantiateAsync(trapInWasm.store, trapInWasm.module);
  await assert.rejects(deepInstance.getFunc(trapInWasm.store, 'recurse')!.callAsync(trapInWasm.store, [Val.i32(0)]), (e: unknown) => {
    assert.ok(isTrap(TrapCode.StackOverflow)(e), String(e));
    assert.ok((e as Trap).backtrace.some((f) => f.funcName === 'recurse2'), 'the backtrace names the wasm functions');
    return true;
  });
  assert.deepEqual(await deepInstance.getFunc(trapInWasm.store, 'deep')!.callAsync(trapInWasm.store, [Val.i32(2000)]), [Val.i32(70)]);
});

test('a synchronous call that would suspend fails with an error saying to use callAsync', async () => {
  const { linker, store, module } = setup();
  const instance = await linker.instantiateAsync(store, module);
  const run = instance.getFunc(store, 'run')!;
  assert.throws(() => run.call(store, [Val.i32(1)]), /inside a synchronous call: with Config.asyncSupport, call exports with callAsync/);
  assert.deepEqual(instance.getFunc(store, 'size')!.call(store, []), [Val.i32(1)], 'synchronous calls that do not suspend work');
  assert.deepEqual(await run.callAsync(store, [Val.i32(1)]), [Val.i32(10 + 610), Val.i32(20)]);
});

test('the start function may suspend under instantiateAsync; instantiate refuses', async () => {
  const engine = new Engine({ asyncSupport: true });
  const linker = new Linker(engine);
  const seen: number[] = [];
  linker.funcWrapAsync('host', 'note', funcType([I32], []), async (caller: Caller, x: number) => {
    await sleep(1);
    seen.push(x, caller.getExport('g') === undefined ? -1 : 1);
  });
  const module = new Module(engine, `(module (import "host" "note" (func $note (param i32)))
    (global (export "g") (mut i32) (i32.const 0))
    (func $start (call $note (i32.const 5)) (global.set 0 (i32.const 9))) (start $start))`);
  const store = new Store(engine);
  const instance = await linker.instantiateAsync(store, module);
  assert.deepEqual(seen, [5, 1]);
  assert.equal(instance.getGlobal(store, 'g')!.get(store).value, 9);
  assert.throws(() => linker.instantiate(store, module), /synchronous call/);
});

test('a Caller stays valid while its async host function waits, and expires when it returns', async () => {
  const engine = new Engine({ asyncSupport: true });
  let kept: Caller | null = null;
  const store = new Store(engine);
  const read = Func.wrapAsync(store, funcType([], [I32]), async (caller: Caller) => {
    await sleep(1);
    kept = caller;
    const mem = caller.getExport('mem');
    return mem === undefined ? -1 : 42;
  });
  const module = new Module(engine, `(module (import "h" "read" (func $r (result i32))) (memory (export "mem") 1)
    (func (export "f") (result i32) (call $r)))`);
  const instance = await Instance.newAsync(store, module, [read]);
  assert.deepEqual(await instance.getFunc(store, 'f')!.callAsync(store, []), [Val.i32(42)]);
  assert.throws(() => kept!.getExport('mem'), /Caller/);
});

test('an epoch deadline that yields lets timers run inside a loop that never returns, and a timer can end it', async () => {
  const engine = new Engine({ asyncSupport: true, epochInterruption: true });
  const store = new Store(engine);
  const module = new Module(engine, `(module (memory (export "m") 1)
    (func (export "spin") (loop $l (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))) (br $l))))`);
  const instance = await Instance.newAsync(store, module, []);
  // A Worker advances the epoch (this thread is busy in wasm between yields); at each tick wasm
  // yields, so this thread's own timer runs, and after five of them it ends the call.
  store.epochDeadlineAsyncYieldAndUpdate(1);
  store.setEpochDeadline(1);
  const epochTicker = new Worker(`const { workerData } = require('node:worker_threads');
    setInterval(() => Atomics.add(workerData, 0, 1), 2);`, { eval: true, workerData: engine.epoch });
  let ticks = 0;
  const timer = setInterval(() => {
    if (++ticks === 5) {
      store.epochDeadlineTrap();
      store.setEpochDeadline(0);
    }
  }, 2);
  try {
    await assert.rejects(instance.getFunc(store, 'spin')!.callAsync(store, []), isTrap(TrapCode.Interrupt));
  } finally {
    clearInterval(timer);
    await epochTicker.terminate();
  }
  assert.equal(ticks, 5);
  assert.ok(new DataView(instance.getMemory(store, 'm')!.data(store).buffer).getInt32(0, true) > 0);
});

test('a deadline callback may ask for a yield, and may grow memory when the code yields', async () => {
  const engine = new Engine({ asyncSupport: true, epochInterruption: true });
  const store = new Store(engine);
  const module = new Module(engine, `(module (memory (export "m") 1)
    (func (export "fill") (param $n i32) (result i32)
      (loop $l (i32.store (i32.const 65536) (local.get $n))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n)))
      (i32.load (i32.const 65536))))`);
  const instance = await Instance.newAsync(store, module, []);
  const memory = instance.getMemory(store, 'm')!;
  let calls = 0;
  store.epochDeadlineCallback(() => {
    calls++;
    if (memory.size(store) === 1) memory.grow(store, 1);
    return { kind: 'yield', delta: 1 };
  });
  store.setEpochDeadline(0);
  // The first check (function entry) grows the memory the loop then stores into.
  assert.deepEqual(await instance.getFunc(store, 'fill')!.callAsync(store, [Val.i32(1000)]), [Val.i32(1)]);
  assert.ok(calls >= 1);
});

test('async needs Config.asyncSupport, and the WebAssembly namespace takes JSPI instead', async () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  assert.throws(() => linker.funcWrapAsync('h', 'f', funcType([], []), async () => {}), /needs an engine with Config.asyncSupport/);
  assert.throws(() => Func.wrapAsync(store, funcType([], []), async () => {}), /needs an engine with Config.asyncSupport/);
  assert.throws(() => store.epochDeadlineAsyncYieldAndUpdate(1), /needs an engine with Config.asyncSupport/);
  const f = Func.wrap(store, funcType([], [I32]), () => 3);
  await assert.rejects(f.callAsync(store, []), /callAsync needs an engine with Config.asyncSupport/);
  await assert.rejects(Instance.newAsync(store, new Module(engine, '(module)'), []), /needs an engine with Config.asyncSupport/);
  assert.throws(() => new Engine({ asyncSupport: 1 as unknown as boolean }), /asyncSupport must be a boolean/);
  assert.throws(() => createWebAssembly({ engine: { asyncSupport: true } }), /JSPI \(jspi: true\) is the namespace's way to suspend/);
  // A callback asking for a yield in code that cannot yield ends the call with an error.
  const epochs = new Engine({ epochInterruption: true });
  const s2 = new Store(epochs);
  const spin = new Instance(s2, new Module(epochs, '(module (func (export "f")))'), []).getFunc(s2, 'f')!;
  s2.epochDeadlineCallback(() => ({ kind: 'yield', delta: 1 }));
  s2.setEpochDeadline(0);
  assert.throws(() => spin.call(s2, []), /needs an engine with Config.asyncSupport/);
});

test('synchronous host functions, tables and tail calls work in generator code', async () => {
  const engine = new Engine({ asyncSupport: true, compilation: 'eager', consumeFuel: true });
  const store = new Store(engine);
  store.setFuel(1_000_000);
  const add = Func.wrap(store, funcType([I32, I32], [I32]), (a: number, b: number) => a + b);
  const wait = Func.wrapAsync(store, funcType([I32], [I32]), async (_c: Caller, x: number) => x + 1);
  const module = new Module(engine, `(module (import "h" "add" (func $add (param i32 i32) (result i32)))
    (import "h" "wait" (func $wait (param i32) (result i32)))
    (type $t (func (param i32) (result i32)))
    (table 2 funcref) (elem (i32.const 0) $wait $count)
    (func $count (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))))
    (func (export "f") (param i32) (result i32)
      (call $add (call_indirect (type $t) (local.get 0) (i32.const 0)) (call $count (i32.const 100000)))))`);
  const instance = new Instance(store, module, [add, wait]);
  assert.deepEqual(await instance.getFunc(store, 'f')!.callAsync(store, [Val.i32(41)]), [Val.i32(42)]);
  const fuelLeft = store.getFuel();
  assert.ok(fuelLeft < 1_000_000 && fuelLeft > 0);
});

test('serialized generator code is refused by an engine without async support, and the reverse', async () => {
  const wat = '(module (import "h" "get" (func $g (result i32))) (func (export "f") (result i32) (i32.add (call $g) (i32.const 1))))';
  const asyncEngine = new Engine({ asyncSupport: true });
  const blob = new Module(asyncEngine, wat).serialize();
  assert.throws(() => Module.deserialize(new Engine(), blob), /asyncSupport is true there, false here/);
  assert.throws(() => Module.deserialize(asyncEngine, new Module(new Engine(), wat).serialize()), /asyncSupport is false there, true here/);
  const other = new Engine({ asyncSupport: true });
  const store = new Store(other);
  const get = Func.wrapAsync(store, funcType([], [I32]), async () => 41);
  const instance = await Instance.newAsync(store, Module.deserialize(other, blob), [get]);
  assert.deepEqual(await instance.getFunc(store, 'f')!.callAsync(store, []), [Val.i32(42)]);
});

test('an async host function may await a nested callAsync into wasm that suspends again', async () => {
  const engine = new Engine({ asyncSupport: true, maxWasmStack: 200 });
  const linker = new Linker(engine);
  linker.funcWrapAsync('h', 'down', funcType([I32], [I32]), async (caller: Caller, n: number) => {
    await sleep(1);
    if (n === 0) return 0;
    const again = caller.getExport('count') as Func;
    const [r] = await again.callAsync(caller, [Val.i32(n - 1)]);
    return (r!.value as number) + 1;
  });
  const module = new Module(engine, `(module (import "h" "down" (func $down (param i32) (result i32)))
    (func (export "count") (param i32) (result i32) (i32.mul (call $down (local.get 0)) (i32.const 1))))`);
  const store = new Store(engine);
  const instance = await linker.instantiateAsync(store, module);
  const count = instance.getFunc(store, 'count')!;
  // 250 nested levels, each suspended: more than maxWasmStack would allow if the depths added up.
  assert.deepEqual(await count.callAsync(store, [Val.i32(250)]), [Val.i32(250)]);
  assert.deepEqual(await Promise.all([count.callAsync(store, [Val.i32(220)]), count.callAsync(store, [Val.i32(230)])]), [[Val.i32(220)], [Val.i32(230)]]);
});

test('fuelAsyncYieldInterval: wasm yields every slice of fuel, and stops for lack of fuel exactly where it would without slices', async () => {
  const wat = `(module (memory (export "m") 1)
    (func (export "count") (param $n i32) (result i32)
      (loop $l
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
        (memory.fill (i32.const 8) (i32.const 1) (i32.const 3))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (i32.load (i32.const 0))))`;
  const run = async (interval: number | null, fuel: number, n: number) => {
    const engine = new Engine({ asyncSupport: true, consumeFuel: true });
    const store = new Store(engine);
    const instance = await Instance.newAsync(store, new Module(engine, wat), []);
    store.setFuel(fuel);
    store.fuelAsyncYieldInterval(interval);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    let outcome: string;
    try {
      outcome = String((await instance.getFunc(store, 'count')!.callAsync(store, [Val.i32(n)]))[0]!.value);
    } catch (e) {
      outcome = e instanceof Trap ? e.code : String(e);
    } finally {
      clearInterval(timer);
    }
    const counted = new DataView(instance.getMemory(store, 'm')!.data(store).buffer).getInt32(0, true);
    return { outcome, counted, left: store.getFuel(), ticks };
  };
  const plenty = await run(null, 1_000_000, 2000);
  const cost = 1_000_000 - plenty.left;
  const sliced = await run(1000, cost, 2000);
  assert.deepEqual([sliced.outcome, sliced.counted, sliced.left], ['2000', 2000, 0], 'exactly its cost in slices of 1,000');
  assert.ok(sliced.ticks > 0, 'timers ran between slices');
  const short = await run(null, 50_000, 1_000_000);
  const shortSliced = await run(777, 50_000, 1_000_000);
  assert.deepEqual([shortSliced.outcome, shortSliced.counted, shortSliced.left], [short.outcome, short.counted, short.left]);
  assert.equal(short.outcome, TrapCode.OutOfFuel);
  const engine = new Engine({ consumeFuel: true });
  assert.throws(() => new Store(engine).fuelAsyncYieldInterval(10), /needs an engine with Config.asyncSupport/);
  assert.throws(() => new Store(new Engine({ asyncSupport: true, consumeFuel: true })).fuelAsyncYieldInterval(0), RangeError);
});

test('Linker.moduleAsync: a reactor initialised and a command run per call may suspend', async () => {
  const engine = new Engine({ asyncSupport: true });
  const linker = new Linker(engine);
  linker.funcWrapAsync('host', 'get', funcType([], [I32]), async () => { await sleep(1); return 20; });
  const store = new Store(engine);
  const reactor = new Module(engine, `(module (import "host" "get" (func $get (result i32))) (global $g (mut i32) (i32.const 0))
    (func (export "_initialize") (global.set $g (call $get))) (func (export "value") (result i32) (global.get $g)))`);
  const command = new Module(engine, `(module (import "host" "get" (func $get (result i32))) (global $n (mut i32) (i32.const 0))
    (func (export "_start")) (func (export "next") (result i32) (global.set $n (i32.add (global.get $n) (call $get))) (global.get $n)))`);
  await linker.moduleAsync(store, 'lib', reactor);
  await linker.moduleAsync(store, 'cmd', command);
  const user = new Module(engine, `(module (import "lib" "value" (func $v (result i32))) (import "cmd" "next" (func $n (result i32)))
    (func (export "f") (result i32) (i32.add (call $v) (i32.add (call $n) (call $n)))))`);
  const instance = await linker.instantiateAsync(store, user);
  // Each call of the command's export gets a fresh instance: 20 + 20 + 20.
  assert.deepEqual(await instance.getFunc(store, 'f')!.callAsync(store, []), [Val.i32(60)]);
  await assert.rejects(new Linker(new Engine()).moduleAsync(new Store(new Engine()), 'x', reactor), /needs an engine with Config.asyncSupport|different engines/);
});

test('WasmBacktrace.capture after an await still sees the wasm callers; instantiateAsync rejects, never throws (stop 36 async audit)', async () => {
  const engine = new Engine({ asyncSupport: true });
  const store = new Store(engine);
  const seen: string[][] = [];
  const wait = Func.wrapAsync(store, funcType([], []), async (caller: Caller<unknown>) => {
    seen.push(WasmBacktrace.capture(caller).frames.map((f) => f.funcName ?? '?'));
    await sleep(1);
    seen.push(WasmBacktrace.capture(caller).frames.map((f) => f.funcName ?? '?'));
  });
  const module = new Module(engine, '(module (import "h" "wait" (func $wait)) (func $inner (call $wait)) (func $outer (export "outer") (call $inner)))');
  const instance = await Instance.newAsync(store, module, [wait]);
  await instance.getFunc(store, 'outer')!.callAsync(store, []);
  assert.deepEqual(seen, [['inner', 'outer'], ['inner', 'outer']]);
  // A link error is a rejection, as every async API's failure is (it was thrown before the promise existed).
  const linker = new Linker(engine);
  const pending = linker.instantiateAsync(store, module);
  await assert.rejects(pending, /unknown import/);
});

test('a wrapAsync function that answers at once does not suspend, as a createAsync one does not (stop 36 async audit)', () => {
  const engine = new Engine({ asyncSupport: true });
  const store = new Store(engine);
  const now = Func.wrapAsync(store, funcType([I32], [I32]), ((_caller: Caller<unknown>, x: number) => x + 1) as never);
  const module = new Module(engine, '(module (import "h" "now" (func $now (param i32) (result i32))) (func (export "f") (param i32) (result i32) (call $now (local.get 0))))');
  const instance = new Instance(store, module, [now]);
  assert.deepEqual(instance.getFunc(store, 'f')!.call(store, [Val.i32(1)]), [Val.i32(2)], 'a synchronous call works');
});
