// A function's `return_call` of itself is a jump to its start (FunctionCompiler.selfTailCall), not a
// trip through the trampoline: checked against native WebAssembly, for parallel assignment of the
// parameters, locals starting again from zero, fuel as a call costs it, and an endless one stopped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Instance, Module, Store, Trap, TrapCode, UpdateDeadline, Val } from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';
import { needsNativeTailCalls } from '../helpers/oracle.js';

const bytes = parseWat(`(module
  (func $sum (export "sum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  (func $gcd (export "gcd") (param $a i32) (param $b i32) (result i32)
    (if (result i32) (i32.eqz (local.get $b))
      (then (local.get $a))
      (else (return_call $gcd (local.get $b) (i32.rem_u (local.get $a) (local.get $b))))))
  ;; $calls counts this activation only: it must start from zero again at each tail call.
  (func $fresh (export "fresh") (param $n i32) (result i32) (local $calls i32) (local $f f64)
    (local.set $calls (i32.add (local.get $calls) (i32.const 1)))
    (local.set $f (f64.add (local.get $f) (f64.const 0.5)))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.add (local.get $calls) (i32.trunc_f64_s (f64.mul (local.get $f) (f64.const 10)))))
      (else (return_call $fresh (i32.sub (local.get $n) (i32.const 1))))))
  (func $rec (export "rec") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (call $rec (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  (func $spin (export "spin") (return_call $spin)))`);

const W: any = (globalThis as any).WebAssembly;
// Node 18's WebAssembly has no return_call without a flag: the tests that compare with it skip there.
const native = needsNativeTailCalls === false ? new W.Instance(new W.Module(bytes)).exports : null;

function instantiate(consumeFuel = false): { store: Store<null>; instance: Instance; source: string } {
  let source = '';
  const engine = new Engine({ consumeFuel, compilation: 'eager', debugSource: (_n, s) => { source += s; } });
  const store = new Store(engine, null);
  return { store, instance: new Instance(store, new Module(engine, bytes), []), source };
}

test('a function tail-calling itself loops, and computes what native WebAssembly does', { skip: needsNativeTailCalls }, () => {
  const { store, instance, source } = instantiate();
  assert.match(source, /continue TC;/);
  const call = (name: string, args: Val[]) => instance.getFunc(store, name)!.call(store, args)[0]!.value;
  assert.equal(call('sum', [Val.i64(3_000_000n), Val.i64(0n)]), native.sum(3_000_000n, 0n));
  for (const [a, b] of [[1071, 462], [17, 5], [0, 9], [2 ** 31 + 5, 6]]) {
    assert.equal(call('gcd', [Val.i32(a!), Val.i32(b!)]), native.gcd(a, b), `gcd(${a}, ${b})`);
  }
  assert.equal(call('fresh', [Val.i32(10)]), native.fresh(10));
  assert.equal(call('fresh', [Val.i32(10)]), 6);
});

test('a self tail call costs the fuel a call costs, and an endless one runs out', () => {
  const used = (name: string, n: bigint): number => {
    const { store, instance } = instantiate(true);
    store.setFuel(1_000_000);
    instance.getFunc(store, name)!.call(store, [Val.i64(n), Val.i64(0n)]);
    return 1_000_000 - store.getFuel();
  };
  const cost = used('sum', 50n);
  assert.equal(cost, used('rec', 50n));
  const { store, instance } = instantiate(true);
  store.setFuel(cost);
  assert.equal(instance.getFunc(store, 'sum')!.call(store, [Val.i64(50n), Val.i64(0n)])[0]!.value, 1275n);
  store.setFuel(cost - 1);
  assert.throws(() => instance.getFunc(store, 'sum')!.call(store, [Val.i64(50n), Val.i64(0n)]), (e: unknown) => e instanceof Trap && e.code === TrapCode.OutOfFuel);
  store.setFuel(100_000);
  assert.throws(() => instance.getFunc(store, 'spin')!.call(store, []), (e: unknown) => e instanceof Trap && e.code === TrapCode.OutOfFuel);
});

test('each self tail call checks the epoch, as the entry of a call does', () => {
  const engine = new Engine({ epochInterruption: true });
  const store = new Store(engine, null);
  const instance = new Instance(store, new Module(engine, bytes), []);
  store.setEpochDeadline(0);
  let checks = 0;
  // Delta 0: the deadline stays reached, so every entry calls back.
  store.epochDeadlineCallback(() => (++checks < 1000 ? UpdateDeadline.continue(0) : UpdateDeadline.interrupt()));
  assert.equal(instance.getFunc(store, 'sum')!.call(store, [Val.i64(10n), Val.i64(0n)])[0]!.value, 55n);
  assert.equal(checks, 11);
  checks = 0;
  assert.throws(() => instance.getFunc(store, 'spin')!.call(store, []), (e: unknown) => e instanceof Trap && e.code === TrapCode.Interrupt);
  assert.equal(checks, 1000);
});

test('a self tail call keeps the wasm stack count where it was (Config.maxWasmStack)', () => {
  const engine = new Engine({ maxWasmStack: 64 * 1024 });
  const store = new Store(engine, null);
  const instance = new Instance(store, new Module(engine, bytes), []);
  assert.equal(instance.getFunc(store, 'sum')!.call(store, [Val.i64(1_000_000n), Val.i64(0n)])[0]!.value, 500000500000n);
  // The plain recursion of the same depth is refused: the limit is in force.
  assert.throws(() => instance.getFunc(store, 'rec')!.call(store, [Val.i64(1_000_000n), Val.i64(0n)]), (e: unknown) => e instanceof Trap && e.code === TrapCode.StackOverflow);
});
