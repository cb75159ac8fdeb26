// A tail call of a function that makes tail calls itself is a plain JS call of its body while few
// such calls are on the stack, and goes through the trampoline after that (compile/calls.ts).
// Checked against native WebAssembly on chains far deeper than the JS stack (direct, indirect and
// call_ref), under Config.maxWasmStack, with fuel, for backtraces without the tail callers, and for
// the count of plain tail calls coming back to zero when an error unwinds them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, I32, Instance, Linker, Module, Store, Trap, TrapCode, Val, funcType, type Config } from '../../src/index.js';
import { DEPTH } from '../../src/runtime/slots.js';
import { parseWat } from '../../src/text/index.js';
import { needsNativeTailCalls } from '../helpers/oracle.js';

// What Node 20's WebAssembly runs too (it has no return_call_ref and no try_table).
const common = `  (type $t (func (param i32 i64) (result i64)))
  (table $tab 2 funcref)
  (elem (table $tab) (i32.const 0) func $ping $pong)
  (func $even (export "even") (type $t)
    (if (result i64) (i32.eqz (local.get 0)) (then (local.get 1))
      (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))
        (i64.add (local.get 1) (i64.extend_i32_u (local.get 0)))))))
  (func $odd (type $t)
    (if (result i64) (i32.eqz (local.get 0)) (then (i64.mul (local.get 1) (i64.const 3)))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1))
        (i64.xor (local.get 1) (i64.const 0x5555))))))
  (func $ping (export "ping") (type $t)
    (if (result i64) (i32.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_indirect $tab (type $t) (i32.sub (local.get 0) (i32.const 1))
        (i64.add (local.get 1) (i64.const 7)) (i32.and (local.get 0) (i32.const 1))))))
  (func $pong (type $t)
    (if (result i64) (i32.eqz (local.get 0)) (then (i64.sub (local.get 1) (i64.const 1)))
      (else (return_call_indirect $tab (type $t) (i32.sub (local.get 0) (i32.const 1))
        (i64.rotl (local.get 1) (i64.const 5)) (i32.const 0)))))`;
const bytes = parseWat(`(module ${common}
  (elem declare func $left $right)
  (tag $done (param i64))
  (func $left (export "left") (type $t)
    (if (result i64) (i32.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_ref $t (i32.sub (local.get 0) (i32.const 1))
        (i64.add (local.get 1) (i64.const 2)) (ref.func $right)))))
  (func $right (type $t)
    (if (result i64) (i32.eqz (local.get 0)) (then (local.get 1))
      (else (return_call_ref $t (i32.sub (local.get 0) (i32.const 1))
        (i64.mul (local.get 1) (i64.const 3)) (ref.func $left)))))
  ;; Ends a chain with a trap or a throw: $fall traps at zero, $toss throws.
  (func $fall (export "fall") (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (unreachable)))
    (return_call $rise (i32.sub (local.get 0) (i32.const 1))))
  (func $rise (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (return (i32.div_u (i32.const 1) (local.get 0)))))
    (return_call $fall (i32.sub (local.get 0) (i32.const 1))))
  (func $toss (param i32 i64) (result i64)
    (if (i32.eqz (local.get 0)) (then (throw $done (local.get 1))))
    (return_call $tuss (i32.sub (local.get 0) (i32.const 1)) (i64.add (local.get 1) (i64.const 1))))
  (func $tuss (param i32 i64) (result i64)
    (return_call $toss (local.get 0) (local.get 1)))
  (func (export "caught") (param i32) (result i64)
    (block $h (result i64)
      (try_table (catch $done $h) (drop (call $toss (local.get 0) (i64.const 0))))
      (i64.const -1)))
  (func (export "outer") (param i32) (result i32) (i32.add (i32.const 1) (call $fall (local.get 0))))
  ;; The same through a table and through references: $tip and $top trap at zero.
  (type $u (func (param i32) (result i32)))
  (table $traps 2 funcref)
  (elem (table $traps) (i32.const 0) func $tip $top)
  (elem declare func $rip $rap)
  (func $tip (type $u) (if (i32.eqz (local.get 0)) (then (unreachable)))
    (return_call_indirect $traps (type $u) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))
  (func $top (type $u) (if (i32.eqz (local.get 0)) (then (unreachable)))
    (return_call_indirect $traps (type $u) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))
  (func $rip (type $u) (if (i32.eqz (local.get 0)) (then (unreachable)))
    (return_call_ref $u (i32.sub (local.get 0) (i32.const 1)) (ref.func $rap)))
  (func $rap (type $u) (if (i32.eqz (local.get 0)) (then (unreachable)))
    (return_call_ref $u (i32.sub (local.get 0) (i32.const 1)) (ref.func $rip)))
  (func (export "table") (param i32) (result i32) (i32.add (i32.const 1) (call $tip (local.get 0))))
  (func (export "refs") (param i32) (result i32) (i32.add (i32.const 1) (call $rip (local.get 0)))))`);

const W: any = (globalThis as any).WebAssembly;
// Node 18's WebAssembly has no return_call without a flag: the tests that compare with it skip there.
const native = needsNativeTailCalls === false ? new W.Instance(new W.Module(parseWat(`(module ${common})`))).exports : null;
/** $left and $right: +2 and *3 in turn, as i64. */
const leftRight = (n: number, acc: bigint): bigint => {
  for (let i = 0; i < n; i++) acc = BigInt.asIntN(64, i % 2 === 0 ? acc + 2n : acc * 3n);
  return acc;
};

function instantiate(config: Config = {}): { store: Store<null>; call: (name: string, args: Val[]) => unknown } {
  const engine = new Engine(config);
  const store = new Store(engine, null);
  const instance = new Instance(store, new Module(engine, bytes), []);
  return { store, call: (name, args) => instance.getFunc(store, name)!.call(store, args)[0]!.value };
}

const CONFIGS: Config[] = [{}, { compilation: 'eager' }, { maxWasmStack: 64 * 1024 }, { consumeFuel: true }];

test('mutual tail recursion a million deep, direct, indirect and by reference, computes what native does', { skip: needsNativeTailCalls }, () => {
  for (const config of CONFIGS) {
    const { store, call } = instantiate(config);
    if (config.consumeFuel) store.setFuel(1e12);
    for (const name of ['even', 'ping', 'left']) {
      for (const n of [0, 1, 31, 32, 33, 65, 1_000_000]) {
        const expected = name === 'left' ? leftRight(n, 5n) : BigInt.asIntN(64, native[name](n, 5n));
        assert.equal(call(name, [Val.i32(n), Val.i64(5n)]), expected, `${name}(${n}) ${JSON.stringify(config)}`);
      }
    }
    assert.equal(DEPTH[1], 0);
  }
});

test('fuel stops a long chain of tail calls at the same point as the trampoline would: every call is charged', () => {
  const used = (n: number): number => {
    const { store, call } = instantiate({ consumeFuel: true });
    store.setFuel(1e9);
    call('even', [Val.i32(n), Val.i64(0n)]);
    return 1e9 - store.getFuel();
  };
  // Linear in the chain's length (per pair of calls: $even and $odd cost differently) across the
  // switch from plain calls to the trampoline at 32.
  const pair = used(12) - used(10);
  assert.ok(pair > 0);
  assert.equal(used(100) - used(10), 45 * pair);
  assert.equal(used(1000) - used(100), 450 * pair);
  const { store, call } = instantiate({ consumeFuel: true });
  store.setFuel(used(100) - 1);
  assert.throws(() => call('even', [Val.i32(100), Val.i64(0n)]), (e: unknown) => e instanceof Trap && e.code === TrapCode.OutOfFuel);
  assert.equal(DEPTH[1], 0);
});

test('a trap at the end of a chain shows no tail caller in its backtrace, and the count comes back to zero', () => {
  for (const config of CONFIGS.slice(0, 3)) {
    const { call } = instantiate(config);
    for (const n of [3, 40, 1000]) {
      const trap = (() => {
        try {
          call('outer', [Val.i32(n)]);
        } catch (e) {
          return e as Trap;
        }
        return null;
      })();
      assert.ok(trap instanceof Trap, `${n}`);
      // $fall traps at 0 (n even) and $rise divides by zero at 0 (n odd); Wasmtime shows the
      // function that trapped and the export that called the chain, as here.
      assert.equal(trap.code, n % 2 === 0 ? TrapCode.UnreachableCodeReached : TrapCode.IntegerDivisionByZero);
      assert.deepEqual(trap.backtrace.map((f) => f.funcName), [n % 2 === 0 ? 'fall' : 'rise', null], `${n} ${JSON.stringify(config)}`);
      assert.equal(DEPTH[1], 0);
    }
  }
});

test('a trap at the end of a chain of indirect or reference tail calls shows no tail caller either', () => {
  for (const config of CONFIGS.slice(0, 3)) {
    const { call } = instantiate(config);
    for (const [name, even, odd] of [['table', 'tip', 'top'], ['refs', 'rip', 'rap']] as const) {
      for (const n of [0, 1, 6, 41, 1000]) {
        let trap: unknown = null;
        try {
          call(name, [Val.i32(n)]);
        } catch (e) {
          trap = e;
        }
        assert.ok(trap instanceof Trap && trap.code === TrapCode.UnreachableCodeReached, `${name}(${n})`);
        assert.deepEqual(trap.backtrace.map((f) => f.funcName), [n % 2 === 0 ? even : odd, null], `${name}(${n}) ${JSON.stringify(config)}`);
        assert.equal(DEPTH[1], 0);
      }
    }
  }
});

test('an exception caught in wasm after a chain of tail calls brings the count back to where it was', () => {
  for (const config of CONFIGS.slice(0, 3)) {
    const { call } = instantiate(config);
    for (const n of [5, 20, 100]) {
      assert.equal(call('caught', [Val.i32(n)]), BigInt(n), `${n}`);
      assert.equal(DEPTH[1], 0, `${n} ${JSON.stringify(config)}`);
    }
  }
});

test('with asyncSupport, tail-calling functions (generators there) compute what native does across suspensions, and leave the count at zero', { skip: needsNativeTailCalls }, async () => {
  // Under asyncSupport every function that makes tail calls is generator code (the trampoline may
  // call any function: compile/suspending.ts), whose tail calls all go through the trampoline; the
  // count of plain tail calls must stay untouched by them, by suspensions and by a trap.
  const wat = `(module
    (import "host" "wait" (func $wait (param i32) (result i32)))
    ${common}
    (func $down (param i32) (result i32)
      (if (i32.eqz (local.get 0)) (then (unreachable)))
      (return_call $up (i32.sub (local.get 0) (i32.const 1))))
    (func $up (param i32) (result i32) (return_call $down (local.get 0)))
    (func (export "drive") (param i32) (result i64)
      (i64.add (call $even (call $wait (local.get 0)) (i64.const 5))
               (call $even (call $wait (i32.add (local.get 0) (i32.const 1))) (i64.const 7))))
    (func (export "trap") (param i32) (result i32) (call $down (call $wait (local.get 0)))))`;
  const engine = new Engine({ asyncSupport: true });
  const linker = new Linker(engine);
  linker.funcWrapAsync('host', 'wait', funcType([I32], [I32]), async (_caller: unknown, x: number) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return x;
  });
  const store = new Store(engine);
  const instance = await linker.instantiateAsync(store, new Module(engine, parseWat(wat)));
  for (const n of [0, 31, 33, 100_000]) {
    const [r] = await instance.getFunc(store, 'drive')!.callAsync(store, [Val.i32(n)]);
    const expected = BigInt.asIntN(64, BigInt.asIntN(64, native.even(n, 5n)) + BigInt.asIntN(64, native.even(n + 1, 7n)));
    assert.equal(r!.value, expected, `drive(${n})`);
    assert.equal(DEPTH[1], 0);
  }
  await assert.rejects(instance.getFunc(store, 'trap')!.callAsync(store, [Val.i32(40)]), (e: unknown) => e instanceof Trap);
  assert.equal(DEPTH[1], 0);
});
