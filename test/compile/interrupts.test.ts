// Fuel, epoch interruption and NaN canonicalisation in generated code: deterministic OutOfFuel,
// Interrupt from the epoch counter (also advanced by a Worker), deadline callbacks, canonical NaNs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Caller, Engine, Func, Instance, Module, Store, Trap, TrapCode, Val, funcType } from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';
import { instantiateWat } from '../api/wat-helper.js';
import { boxesNaNs } from '../../src/core/nan-boxing.js';

const wat = `(module
  (func $leaf (result i32) (i32.add (i32.const 1) (i32.const 2)))
  (func (export "spin") (loop br 0))
  (func (export "spin_calls") (loop (drop (call $leaf)) (br 0)))
  (func (export "count") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br 0)))
    (local.get 1)))`;

function trapCode(f: () => unknown): TrapCode {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Trap, `expected a Trap, got ${String(e)}`);
    return e.code;
  }
  assert.fail('expected a trap');
}

for (const compilation of ['lazy', 'eager'] as const) {
  test(`${compilation}: a loop stops with OutOfFuel at the same point every run`, () => {
    const { store, instance } = instantiateWat(wat, { consumeFuel: true, compilation });
    for (const name of ['spin', 'spin_calls']) {
      const seen = new Set<number>();
      for (let i = 0; i < 5; i++) {
        store.raw.fuel = 10_000;
        assert.equal(trapCode(() => instance.getFunc(store, name)!.call(store, [])), TrapCode.OutOfFuel);
        seen.add(store.raw.fuel);
      }
      assert.equal(seen.size, 1, `${name}: the trap point moved between runs`);
    }
  });

  test(`${compilation}: fuel pays exactly for the executed instructions`, () => {
    const { store, instance } = instantiateWat(wat, { consumeFuel: true, compilation });
    const count = instance.getFunc(store, 'count')!;
    // Per iteration: local.get, i32.eqz, br_if, then 8 for the two updates and 1 for br; the exit
    // iteration pays 3, the final local.get 1, and the invocation itself 1 (as in Wasmtime).
    for (const n of [0, 1, 10, 100]) {
      store.raw.fuel = 1_000_000;
      assert.equal(count.call(store, [Val.i32(n)])[0]!.value, n);
      assert.equal(1_000_000 - store.raw.fuel, 12 * n + 3 + 1 + 1);
    }
    store.raw.fuel = 12 * 10 + 4;
    assert.equal(trapCode(() => count.call(store, [Val.i32(10)])), TrapCode.OutOfFuel);
    store.raw.fuel = 12 * 10 + 5;
    assert.equal(count.call(store, [Val.i32(10)])[0]!.value, 10);
    assert.equal(store.raw.fuel, 0);
  });

  test(`${compilation}: the fuel used before an unreachable counts, as in Wasmtime`, () => {
    const { store, instance } = instantiateWat(`(module
      (func (export "trap") (param i32)
        (drop (i32.add (local.get 0) (i32.const 1)))
        (if (local.get 0) (then (unreachable)))))`, { consumeFuel: true, compilation });
    const trap = instance.getFunc(store, 'trap')!;
    store.setFuel(1000);
    trap.call(store, [Val.i32(0)]);
    // The invocation 1, then local.get, i32.const, i32.add, local.get, if: 6 (drop and end are free).
    assert.equal(store.getFuel(), 994);
    assert.equal(trapCode(() => trap.call(store, [Val.i32(1)])), TrapCode.UnreachableCodeReached);
    assert.equal(store.getFuel(), 988);
  });

  test(`${compilation}: fuel totals as in Wasmtime: one unit per invocation besides the instructions`, () => {
    // Each start function runs once at instantiation; the totals are what Wasmtime's per-operator
    // costs give (nop, drop, block, loop, end, else, unreachable and return are free).
    const cases: [string, number][] = [
      ['(func $f)', 1],
      ['(func $f (drop (i32.const 0)))', 2],
      ['(func $f (block) (loop))', 1],
      ['(func $f (i32.const 0) (unreachable))', 2],
      ['(func $f (call $g)) (func $g)', 3],
      ['(func $f (call $g (i32.const 0)) (drop (i32.const 0))) (func $g (param i32))', 5],
      ['(func $f (if (i32.const 0) (then (call $f))))', 3],
      ['(func $f (block (br_if 0 (i32.const 1)) (drop (i32.const 0))))', 3],
      ['(func $f (block (br_if 0 (i32.const 0)) (drop (i32.const 0))))', 4],
      // 2 before the loop, 5 per iteration, 5 iterations.
      ['(func $f (local i32) (local.set 0 (i32.const 5)) (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))', 28],
    ];
    for (const [funcs, cost] of cases) {
      const engine = new Engine({ consumeFuel: true, compilation });
      const store = new Store(engine);
      store.setFuel(1000);
      const module = new Module(engine, parseWat(`(module ${funcs} (start $f))`));
      if (funcs.includes('unreachable')) {
        assert.equal(trapCode(() => new Instance(store, module, [])), TrapCode.UnreachableCodeReached);
      } else {
        new Instance(store, module, []);
      }
      assert.equal(1000 - store.getFuel(), cost, funcs);
    }
  });

  test(`${compilation}: the fuel is handed over on every path: calls in one run, host calls, br_table's returns`, () => {
    const seen: number[] = [];
    let refill: number | null = null;
    const { store, instance } = instantiateWat(`(module
      (import "" "probe" (func $probe))
      (func $work (result i32) (i32.add (i32.const 1) (i32.const 2)))
      (func (export "calls") (result i32)
        (drop (call $work)) (call $probe) (drop (call $work)) (drop (call $work)) (call $probe) (block) (i32.const 0))
      (func (export "pick") (param i32) (result i32)
        (i32.add (block (result i32) (br_table 1 0 1 (i32.const 7) (local.get 0))) (i32.const 1))))`,
    { consumeFuel: true, compilation },
    (store) => [Func.wrapWithCaller(store, funcType([], []), (caller: Caller<unknown>) => {
      seen.push(caller.getFuel());
      if (refill !== null) caller.setFuel(refill);
    })]);
    const calls = instance.getFunc(store, 'calls')!;
    // calls: the invocation 1 and each call 1 (drop is free), each charged as it is reached, so a
    // host function sees the fuel of what has run, its own call included (as in Wasmtime); each
    // $work costs 4; the i32.const after the block 1.
    store.setFuel(1000);
    calls.call(store, []);
    assert.deepEqual(seen, [1000 - 2 - 4 - 1, 1000 - 3 - 12 - 3]);
    assert.equal(store.getFuel(), 1000 - 6 - 12 - 1);
    // What a host function sets is what the rest of the function spends from.
    seen.length = 0;
    refill = 100;
    store.setFuel(1000);
    calls.call(store, []);
    assert.deepEqual(seen, [1000 - 2 - 4 - 1, 100 - 2 - 8 - 1]);
    assert.equal(store.getFuel(), 100 - 1);
    // pick: 1 + i32.const, local.get, br_table = 4 on the returning cases, 2 more through the block.
    const pick = instance.getFunc(store, 'pick')!;
    for (const [i, result, cost] of [[0, 7, 4], [1, 8, 6], [2, 7, 4], [9, 7, 4]] as const) {
      store.setFuel(1000);
      assert.equal(pick.call(store, [Val.i32(i)])[0]!.value, result);
      assert.equal(1000 - store.getFuel(), cost, `br_table index ${i}`);
    }
  });

  test(`${compilation}: bulk operations also cost one unit per byte or element, charged before they run`, () => {
    const { store, instance } = instantiateWat(`(module
      (memory (export "mem") 1)
      (table $t 0 funcref)
      (type $a (array (mut i8)))
      (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 7) (local.get 0)))
      (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
      (func (export "array") (param i32) (result i32) (array.len (array.new_default $a (local.get 0)))))`,
    { consumeFuel: true, compilation, features: { gc: true } });
    const memory = instance.getMemory(store, 'mem')!;
    const call = (name: string, n: number) => instance.getFunc(store, name)!.call(store, [Val.i32(n)]);
    // The invocation, the operands and the operation itself, then n.
    for (const [name, fixed] of [['fill', 5], ['grow', 4], ['array', 4]] as const) {
      for (const n of [0, 1, 1000]) {
        store.setFuel(10_000);
        call(name, n);
        assert.equal(10_000 - store.getFuel(), fixed + n, `${name} ${n}`);
      }
    }
    // A fill the remaining fuel cannot pay for stops before it writes anything, even one that
    // would also be out of bounds.
    for (const n of [2000, -1]) {
      store.setFuel(1000);
      assert.equal(trapCode(() => call('fill', n)), TrapCode.OutOfFuel);
      assert.equal(store.getFuel(), 0);
      assert.deepEqual([...memory.read(store, 998, 4)], [7, 7, 0, 0]);
    }
    // Fuel and lengths beyond 32 bits are counted exactly: 2^32 - 1 bytes and 5 more.
    store.setFuel(2 ** 32 + 4);
    assert.equal(trapCode(() => call('fill', -1)), TrapCode.MemoryOutOfBounds);
    store.setFuel(2 ** 32 + 3);
    assert.equal(trapCode(() => call('fill', -1)), TrapCode.OutOfFuel);
    assert.equal(store.getFuel(), 0);
  });

  test(`${compilation}: a loop stops with Interrupt once the epoch reaches the deadline`, () => {
    const { engine, store, instance } = instantiateWat(wat, { epochInterruption: true, compilation });
    store.raw.epochDeadline = Atomics.load(engine.epoch, 0) + 1;
    assert.equal(instance.getFunc(store, 'count')!.call(store, [Val.i32(1000)])[0]!.value, 1000);
    engine.incrementEpoch();
    assert.equal(trapCode(() => instance.getFunc(store, 'spin')!.call(store, [])), TrapCode.Interrupt);
  });

  test(`${compilation}: the deadline callback extends the deadline, and may stop`, () => {
    const { engine, store, instance } = instantiateWat(wat, { epochInterruption: true, compilation });
    store.raw.epochDeadline = Atomics.load(engine.epoch, 0);
    let calls = 0;
    store.raw.epochDeadlineCallback = () => {
      calls++;
      if (calls === 5) throw new Error('enough');
      // The epoch moves on and the new deadline is that epoch itself: the next check calls again.
      engine.incrementEpoch();
      return 0;
    };
    assert.throws(() => instance.getFunc(store, 'spin_calls')!.call(store, []), /enough/);
    assert.equal(calls, 5);
    store.raw.epochDeadlineCallback = () => 1000;
    assert.equal(instance.getFunc(store, 'count')!.call(store, [Val.i32(10)])[0]!.value, 10);
    assert.equal(store.raw.epochDeadline, Atomics.load(engine.epoch, 0) + 1000);
  });
}

test('an epoch advanced by a Worker interrupts a running loop', async () => {
  // Fuel is a safety net: if the epoch were never seen the loop ends with OutOfFuel, not a hang.
  const { engine, store, instance } = instantiateWat(wat, { epochInterruption: true, consumeFuel: true });
  store.raw.fuel = 5e9;
  store.raw.epochDeadline = Atomics.load(engine.epoch, 0) + 1;
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     setTimeout(() => Atomics.add(workerData, 0, 1), 50);`,
    { eval: true, workerData: engine.epoch },
  );
  await once(worker, 'online');
  try {
    assert.equal(trapCode(() => instance.getFunc(store, 'spin')!.call(store, [])), TrapCode.Interrupt);
  } finally {
    await worker.terminate();
  }
});

test('NaN canonicalisation makes float results canonical, and only when asked', () => {
  const nanWat = `(module
    (func (export "add32") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
    (func (export "div32") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
    (func (export "mul64") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
    (func (export "neg64") (param f64) (result f64) (f64.neg (local.get 0))))`;
  const canon = instantiateWat(nanWat, { nanCanonicalization: true });
  const exact = instantiateWat(nanWat, {});
  const call = (x: typeof canon, name: string, args: Val[]) => x.instance.getFunc(x.store, name)!.call(x.store, args)[0]!.value;
  const payload32 = Val.f32Bits(0xffa00001);
  const payload64 = Val.f64Bits(0xfff4000000000001n);
  for (let i = 0; i < 100; i++) {
    assert.equal(call(canon, 'add32', [payload32, Val.f32(1)]), 0x7fc00000);
    assert.equal(call(canon, 'div32', [Val.f32(0), Val.f32(0)]), 0x7fc00000);
    assert.equal(call(canon, 'mul64', [payload64, Val.f64(2)]), 0x7ff8000000000000n);
    // Sign operations are bitwise in wasm and keep the payload either way.
    assert.equal(call(canon, 'neg64', [payload64]), 0x7ff4000000000001n);
    // Where NaNs are boxed (V8 from 14.2, JavaScriptCore) arithmetic on one gives the canonical NaN;
    // V8's hardware keeps the payload, quieted. Both are the spec's arithmetic NaNs.
    assert.equal(call(exact, 'add32', [payload32, Val.f32(1)]), boxesNaNs() ? 0x7fc00000 : 0xffe00001);
  }
});
