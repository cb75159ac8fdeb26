// Interruption: fuel (deterministic: the same module and fuel stop at the same point), epoch
// deadlines advanced by a Worker's timer or by a host call, the deadline callback; the fuel API.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import {
  Engine, Func, I32, Instance, Module, Store, Trap, TrapCode, UpdateDeadline, Val, funcType, type Caller,
} from '../../src/index.js';
import { startEpochTimer } from '../../src/node/index.js';
import { boxesNaNs } from '../../src/core/nan-boxing.js';

const spinner = `(module
  (import "env" "tick" (func $tick))
  (memory (export "m") 1)
  (func (export "count") ;; counts in memory[0] forever
    (loop $l (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))) (br $l)))
  (func (export "ticking") ;; calls the host on every iteration
    (loop $l (call $tick) (br $l)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "sum") (param $n i32) (result i32) (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s)))`;

function setup(config: object, tick: (caller: Caller) => void = () => {}) {
  const engine = new Engine(config);
  const store = new Store(engine);
  const module = new Module(engine, spinner);
  const instance = new Instance(store, module, [Func.wrapWithCaller(store, funcType([], []), tick)]);
  return { engine, store, module, instance };
}

const isTrap = (code: TrapCode) => (e: unknown) => e instanceof Trap && e.code === code;

test('fuel is an error unless the engine consumes fuel', () => {
  const { store } = setup({});
  assert.throws(() => store.getFuel(), /fuel is not configured in this store/);
  assert.throws(() => store.setFuel(10), /fuel is not configured in this store/);
  const fueled = setup({ consumeFuel: true }).store;
  assert.equal(fueled.getFuel(), 0);
  fueled.setFuel(12345n);
  assert.equal(fueled.getFuel(), 12345);
  assert.throws(() => fueled.setFuel(-1), RangeError);
  // Any u64, as in Wasmtime (u64::MAX is the usual "unlimited"); kept as 2^53 - 1 past that.
  fueled.setFuel(2n ** 64n - 1n);
  assert.equal(fueled.getFuel(), Number.MAX_SAFE_INTEGER);
  fueled.setFuel(2 ** 60);
  assert.equal(fueled.getFuel(), Number.MAX_SAFE_INTEGER);
  for (const bad of [2n ** 64n, -1n, 1.5, NaN, Infinity]) assert.throws(() => fueled.setFuel(bad), RangeError, String(bad));
});

test('running out of fuel traps, at the same point every time', () => {
  const counts: number[] = [];
  const remaining: number[] = [];
  for (let run = 0; run < 2; run++) {
    const { store, instance } = setup({ consumeFuel: true });
    store.setFuel(10_000);
    assert.throws(() => instance.getFunc(store, 'count')!.call(store), isTrap(TrapCode.OutOfFuel));
    counts.push(new DataView(instance.getMemory(store, 'm')!.data(store).buffer).getInt32(0, true));
    remaining.push(store.getFuel());
  }
  assert.ok(counts[0]! > 0 && counts[0]! < 10_000, `the loop ran ${counts[0]} times on 10000 fuel`);
  assert.deepEqual(counts, [counts[0], counts[0]]);
  assert.deepEqual(remaining, [0, 0]);
});

test('finished work leaves the same fuel every time, and more work costs more', () => {
  const left = (n: number) => {
    const { store, instance } = setup({ consumeFuel: true });
    store.setFuel(1_000_000);
    assert.equal(instance.getFunc(store, 'sum')!.call(store, [Val.i32(n)])[0]!.value, (n * (n + 1)) / 2);
    return store.getFuel();
  };
  assert.equal(left(100), left(100));
  assert.ok(left(200) < left(100));
  assert.ok(left(100) < 1_000_000);
  const { store, instance } = setup({ consumeFuel: true });
  store.setFuel(0);
  assert.throws(() => instance.getFunc(store, 'sum')!.call(store, [Val.i32(100)]), isTrap(TrapCode.OutOfFuel));
});

test('fuel is checked at entries, loop headers and wherever a function leaves: a call completes only when its fuel pays for all of it', () => {
  // Three straight-line runs: the entry (checked), an if arm (only subtracts), and the run that
  // returns (checked). A call given less than it costs may store in the arm first, as Wasmtime's
  // code may run on until its next check, but never reaches the last store or returns.
  const text = `(module (memory (export "m") 1)
    (func (export "stores") (param $x i32) (result i32)
      (i32.store (i32.const 0) (i32.const 1))
      (if (local.get $x) (then (i32.store (i32.const 4) (i32.const 2))))
      (i32.store (i32.const 8) (i32.const 3))
      (i32.const 7)))`;
  const run = (fuel: number) => {
    const engine = new Engine({ consumeFuel: true });
    const store = new Store(engine);
    const instance = new Instance(store, new Module(engine, text), []);
    store.setFuel(fuel);
    let outcome: string;
    try {
      outcome = String(instance.getFunc(store, 'stores')!.call(store, [Val.i32(1)])[0]!.value);
    } catch (e) {
      assert.ok(isTrap(TrapCode.OutOfFuel)(e), String(e));
      outcome = 'OutOfFuel';
    }
    const view = new DataView(instance.getMemory(store, 'm')!.data(store).buffer);
    return { outcome, stored: [0, 4, 8].map((a) => view.getInt32(a, true)), left: store.getFuel() };
  };
  const plenty = 1000;
  const cost = plenty - run(plenty).left;
  assert.deepEqual(run(cost), { outcome: '7', stored: [1, 2, 3], left: 0 });
  const stops = Array.from({ length: cost }, (_, fuel) => run(fuel));
  for (const [fuel, r] of stops.entries()) {
    assert.equal(r.outcome, 'OutOfFuel', `given ${fuel} of ${cost}`);
    assert.equal(r.stored[2], 0, `given ${fuel} of ${cost}, the returning run ran`);
    assert.equal(r.left, 0);
    assert.deepEqual(run(fuel), r, 'the same every time');
  }
  const entryCost = stops.findIndex((r) => r.stored[0] === 1);
  assert.ok(entryCost > 0, 'the entry run is checked before it runs');
  assert.deepEqual(stops[entryCost]!.stored, [1, 2, 0], 'given only what the entry run costs, the arm runs on past the fuel');
});

test('runs charged with their loop header cost the same as each charged alone, on every path, exactly', () => {
  // Wasmtime's table: 1 per instruction (not block, loop or end), 1 per invocation. The header run
  // (local.get, local.get, i32.eq, br_if) costs 4, the run after its br_if (4 to count, 4 to loop
  // back) 8, the run after the block 1. The code generator charges the 8 with the header's 4 and
  // gives it back on the br_if's exit (compile/fuel-chain.ts): the costs must not see it.
  const text = `(module
    (import "env" "peek" (func $peek))
    (func (export "scan") (param $n i32) (param $stop i32) (result i32) (local $i i32)
      (block $found
        (loop $l
          (br_if $found (i32.eq (local.get $i) (local.get $stop)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
      (local.get $i))
    (func (export "peeking") (param $n i32) (param $stop i32) (local $i i32)
      (block $found
        (loop $l
          (call $peek)
          (br_if $found (i32.eq (local.get $i) (local.get $stop)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))))`;
  const plenty = 100_000;
  const seen: number[] = [];
  const run = (name: string, fuel: number, n: number, stop: number) => {
    const engine = new Engine({ consumeFuel: true });
    const store = new Store(engine);
    const peek = Func.wrapWithCaller(store, funcType([], []), (caller) => { seen.push(caller.getFuel()); });
    const instance = new Instance(store, new Module(engine, text), [peek]);
    store.setFuel(fuel);
    try {
      instance.getFunc(store, name)!.call(store, [Val.i32(n), Val.i32(stop)]);
      return fuel - store.getFuel();
    } catch (e) {
      assert.ok(isTrap(TrapCode.OutOfFuel)(e), String(e));
      return 'OutOfFuel';
    }
  };
  // Leaving by the br_if when i reaches 2: three header runs, two runs after it. Running all 5 times
  // round: five of each, then the runs after the loop and after the block.
  for (const [stop, cost] of [[2, 1 + 3 * 4 + 2 * 8 + 1], [100, 1 + 5 * 4 + 5 * 8 + 0 + 1]] as const) {
    assert.equal(run('scan', plenty, 5, stop), cost, `scan(5, ${stop})`);
    assert.equal(run('scan', cost, 5, stop), cost, 'given exactly its cost, it completes');
    for (let fuel = 0; fuel < cost; fuel++) assert.equal(run('scan', fuel, 5, stop), 'OutOfFuel', `given ${fuel} of ${cost}`);
  }
  // A host function called in the header run sees the fuel of what has run, as in Wasmtime: the
  // entry and the call, nothing after the call in its run, nothing of the runs after it: 1 + 1,
  // then 13 more per round.
  seen.length = 0;
  assert.equal(run('peeking', plenty, 3, 100), 1 + 3 * (5 + 8));
  assert.deepEqual(seen.map((f) => plenty - f), [2, 15, 28]);
});

test('a host function can refuel through its Caller', () => {
  let calls = 0;
  const { store, instance } = setup({ consumeFuel: true }, (caller) => {
    calls++;
    if (calls < 5) caller.setFuel(caller.getFuel() + 50);
  });
  store.setFuel(50);
  assert.throws(() => instance.getFunc(store, 'ticking')!.call(store), isTrap(TrapCode.OutOfFuel));
  assert.ok(calls >= 5, `${calls} host calls`);
});

test('with epoch interruption a store without a deadline traps at once (as in Wasmtime)', () => {
  const { store, instance } = setup({ epochInterruption: true });
  assert.throws(() => instance.getFunc(store, 'sum')!.call(store, [Val.i32(3)]), isTrap(TrapCode.Interrupt));
  store.setEpochDeadline(1);
  assert.equal(instance.getFunc(store, 'sum')!.call(store, [Val.i32(3)])[0]!.value, 6);
});

test('epoch deadlines count in the epoch counter\'s int32: one past its end is reached at its end', () => {
  let ticks = 0;
  const { engine, store, instance } = setup({ epochInterruption: true }, () => {
    if (++ticks > 100) throw new Error('the deadline was never reached');
    engine.incrementEpoch();
  });
  store.setEpochDeadline(Number.MAX_SAFE_INTEGER);
  // A small integer, which generated code compares with the counter at every loop header.
  assert.equal(store.raw.epochDeadline, 0x7fffffff);
  Atomics.store(engine.epoch, 0, 0x7fffffff - 3);
  store.setEpochDeadline(10);
  assert.throws(() => instance.getFunc(store, 'ticking')!.call(store), isTrap(TrapCode.Interrupt));
  assert.equal(ticks, 3);
});

test('a Worker timer advancing the shared epoch stops an infinite loop within 100 ms', async () => {
  const { engine, store, instance } = setup({ epochInterruption: true });
  store.setEpochDeadline(1);
  // The Worker records when it advanced the epoch in shared memory: the main thread is busy in wasm.
  const when = new Float64Array(new SharedArrayBuffer(8));
  const worker = new Worker(`
    const { workerData } = require('node:worker_threads');
    setTimeout(() => {
      workerData.when[0] = performance.timeOrigin + performance.now();
      Atomics.add(workerData.epoch, 0, 1);
    }, 50);`, { eval: true, workerData: { epoch: engine.epoch, when } });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    assert.throws(() => instance.getFunc(store, 'spin')!.call(store), isTrap(TrapCode.Interrupt));
    const latency = performance.timeOrigin + performance.now() - when[0]!;
    assert.ok(when[0]! > 0, 'the worker advanced the epoch');
    assert.ok(latency < 100, `interrupted ${latency.toFixed(1)} ms after the epoch changed`);
  } finally {
    await worker.terminate();
  }
});

test('startEpochTimer (tswasm/node) interrupts a call that never returns, after its timeout', async () => {
  const { engine, store, instance } = setup({ epochInterruption: true });
  store.setEpochDeadline(1);
  const started = performance.now();
  const timer = startEpochTimer(engine, 150);
  try {
    assert.throws(() => instance.getFunc(store, 'spin')!.call(store), isTrap(TrapCode.Interrupt));
  } finally {
    await timer.stop();
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 140 && elapsed < 2000, `interrupted after ${elapsed.toFixed(0)} ms`);
  assert.throws(() => startEpochTimer(engine, -1), RangeError);
});

test('engine.incrementEpoch() from a host call interrupts the running wasm', () => {
  let calls = 0;
  const { engine, store, instance } = setup({ epochInterruption: true }, () => {
    if (++calls === 1000) engine.incrementEpoch();
  });
  store.setEpochDeadline(1);
  assert.throws(() => instance.getFunc(store, 'ticking')!.call(store), isTrap(TrapCode.Interrupt));
  assert.equal(calls, 1000);
});

test('fuel used before an epoch interrupt is accounted for, the same every time', () => {
  const left: number[] = [];
  for (let run = 0; run < 2; run++) {
    let calls = 0;
    const { engine, store, instance } = setup({ consumeFuel: true, epochInterruption: true }, () => {
      if (++calls === 1000) engine.incrementEpoch();
    });
    store.setFuel(1_000_000);
    store.setEpochDeadline(1);
    assert.throws(() => instance.getFunc(store, 'ticking')!.call(store), isTrap(TrapCode.Interrupt));
    left.push(store.getFuel());
  }
  assert.ok(left[0]! < 1_000_000 - 1000, `${left[0]} fuel left after 1000 iterations`);
  assert.equal(left[1], left[0]);
});

test('fuel used by a loop without calls is accounted for when the epoch interrupts it', () => {
  const { store, instance } = setup({ consumeFuel: true, epochInterruption: true });
  store.setFuel(1_000_000);
  store.setEpochDeadline(0);
  let callbacks = 0;
  const seen: number[] = [];
  // Delta 0: the deadline stays reached, so every epoch check in the loop calls back.
  store.epochDeadlineCallback((s) => {
    seen.push(s.getFuel());
    return ++callbacks < 1000 ? UpdateDeadline.continue(0) : UpdateDeadline.interrupt();
  });
  assert.throws(() => instance.getFunc(store, 'spin')!.call(store), isTrap(TrapCode.Interrupt));
  assert.ok(seen[999]! < seen[1]!, 'the callback sees the fuel going down');
  assert.ok(store.getFuel() < 1_000_000 - 500, `${store.getFuel()} fuel left after 1000 iterations`);
});

test('the epoch deadline callback extends the deadline or interrupts', () => {
  let calls = 0;
  let callbacks = 0;
  const { engine, store, instance } = setup({ epochInterruption: true }, () => {
    calls++;
    if (calls % 100 === 0) engine.incrementEpoch();
  });
  store.setEpochDeadline(1);
  store.epochDeadlineCallback((s) => {
    assert.equal(s, store);
    return ++callbacks < 3 ? UpdateDeadline.continue(1) : UpdateDeadline.interrupt();
  });
  assert.throws(() => instance.getFunc(store, 'ticking')!.call(store), isTrap(TrapCode.Interrupt));
  assert.equal(callbacks, 3);
  assert.equal(calls, 300);
  // An error thrown by the callback is what the call throws; epochDeadlineTrap() restores trapping.
  store.setEpochDeadline(1);
  store.epochDeadlineCallback(() => {
    throw new Error('out of time');
  });
  assert.throws(() => instance.getFunc(store, 'ticking')!.call(store), /out of time/);
  // A callback returning neither a number nor an UpdateDeadline is told so.
  store.setEpochDeadline(1);
  store.epochDeadlineCallback(() => undefined as unknown as number);
  assert.throws(() => instance.getFunc(store, 'ticking')!.call(store), /must return a number of ticks or an UpdateDeadline/);
  store.epochDeadlineTrap();
  store.setEpochDeadline(1);
  assert.throws(() => instance.getFunc(store, 'ticking')!.call(store), isTrap(TrapCode.Interrupt));
});

test('an epoch deadline callback that grows a memory stops the call with an error, never a write to the old buffer', () => {
  // The interrupted code keeps the memory views it read, so it cannot go on after the callback
  // replaced them: the call ends with an error that says so. Before, every store went on into the
  // memory's old buffer and was lost.
  for (const config of [{ epochInterruption: true }, { epochInterruption: true, consumeFuel: true }]) {
    const engine = new Engine(config);
    const store = new Store(engine);
    if (config.consumeFuel) store.setFuel(1_000_000);
    const instance = new Instance(store, new Module(engine, `(module (memory (export "m") 1)
      (func (export "fill") (param $n i32) (local $i i32)
        (loop $l
          (i32.store (i32.const 100) (local.get $i))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))))`), []);
    const memory = instance.getMemory(store, 'm')!;
    const fill = instance.getFunc(store, 'fill')!;
    let grow = true;
    store.epochDeadlineCallback(() => {
      if (grow) memory.grow(store, 1);
      return UpdateDeadline.continue(1_000_000);
    });
    store.setEpochDeadline(1);
    engine.incrementEpoch();
    assert.throws(() => fill.call(store, [Val.i32(1000)]), /the epoch deadline callback grew a memory of the store/);
    assert.equal(memory.size(store), 2);
    // A callback that leaves the memories alone continues the code, which sees the grown memory.
    grow = false;
    store.setEpochDeadline(1);
    engine.incrementEpoch();
    fill.call(store, [Val.i32(1000)]);
    assert.equal(new DataView(memory.data(store).buffer).getInt32(100, true), 999);
  }
});

test('a deadline callback that calls wasm, which reaches the deadline again, ends in a StackOverflow trap', () => {
  // The nested call meets the same deadline at its entry, and so on: the JS stack runs out inside
  // the callback, which must come out as wasm's stack exhaustion, not as a raw RangeError.
  const engine = new Engine({ epochInterruption: true });
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, '(module (func (export "seven") (result i32) (i32.const 7)))'), []);
  const seven = instance.getFunc(store, 'seven')!;
  store.epochDeadlineCallback(() => {
    seven.call(store, []);
    return UpdateDeadline.continue(1);
  });
  store.setEpochDeadline(1);
  engine.incrementEpoch();
  assert.throws(() => seven.call(store, []), isTrap(TrapCode.StackOverflow));
  store.epochDeadlineTrap();
  store.setEpochDeadline(100);
  assert.equal(seven.call(store, [])[0]!.value, 7);
});

test('nanCanonicalization makes NaN results canonical', () => {
  const nanWat = `(module (func (export "add") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1))))`;
  const payload = Val.f64Bits(0x7ff4000000000001n);
  // Where NaNs are boxed (V8 from 14.2) arithmetic gives the canonical NaN even without canonicalisation.
  for (const [config, expected] of [[{}, boxesNaNs() ? 0x7ff8000000000000n : 0x7ffc000000000001n], [{ nanCanonicalization: true }, 0x7ff8000000000000n]] as const) {
    const engine = new Engine(config);
    const store = new Store(engine);
    const add = new Instance(store, new Module(engine, nanWat), []).getFunc(store, 'add')!;
    assert.equal(add.call(store, [payload, Val.f64(1)])[0]!.value, expected);
  }
});
