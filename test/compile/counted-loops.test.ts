// Epoch checks left out of short counted loops (compile/counted-loops.ts): which loops qualify,
// and that the loops around them are still interrupted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Func, Instance, Module, Store, Trap, TrapCode, funcType } from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';

/** How many epoch checks the generated code of `f` and an empty `$g` has (both entries' included). */
function epochChecks(body: string, params = ''): number {
  const sources: string[] = [];
  const engine = new Engine({ epochInterruption: true, compilation: 'eager', debugSource: (_name, source) => void sources.push(source) });
  new Module(engine, parseWat(`(module (memory 1) (func $g) (func (export "f") ${params} (result i32) (local $i i32) (local $s i32) ${body} (local.get $s)))`)).code();
  return sources.join('\n').split('EPOCH[0] >= dl').length - 1;
}

/** A loop counting `$i` from `start` by `step` while it is not `bound`, with `extra` in its body. */
function counted(start: string, step: number, bound: number, extra = ''): string {
  return `(local.set $i ${start})
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $i))))
      ${extra}
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const ${step}))) (i32.const ${bound}))))`;
}

test('a short counted innermost loop has no epoch check of its own; the function entries keep theirs', () => {
  assert.equal(epochChecks(counted('(i32.const 0)', 16, 1024)), 2);
  assert.equal(epochChecks(counted('(i32.const 1024)', -16, 0)), 2, 'counting down');
  assert.equal(epochChecks(counted('(i32.const -8)', 4, 8)), 2, 'across zero');
});

test('loops that may run long or that the scan cannot follow keep their check', () => {
  const cases: [string, string, string?][] = [
    ['the counter starts where the scan cannot see', counted('(local.get 0)', 16, 1024), '(param i32)'],
    ['the step does not reach the bound (it would wrap around 2^32)', counted('(i32.const 0)', 16, 1000)],
    ['the counter starts at the bound (2^28 iterations)', counted('(i32.const 64)', 16, 64)],
    ['too many iterations', counted('(i32.const 0)', 1, 100_000_000)],
    ['the counter is written in the body', counted('(i32.const 0)', 16, 1024, '(local.set $i (i32.and (local.get $i) (i32.const -16)))')],
    ['another branch back to the loop', counted('(i32.const 0)', 16, 1024, '(br_if $l (i32.eqz (local.get $s)))')],
    ['a branch back from a nested block', counted('(i32.const 0)', 16, 1024, '(block (br_if $l (local.get $s)))')],
    ['br_table', counted('(i32.const 0)', 16, 1024, '(block (br_table 0 $l (local.get $s)))')],
    // A host function called in the loop may raise the epoch: Wasmtime stops at the next header.
    ['a call', counted('(i32.const 0)', 16, 1024, '(call $g)')],
    ['memory.grow (the resource limiter is host code)', counted('(i32.const 0)', 16, 1024, '(drop (memory.grow (i32.const 0)))')],
    ['a constant set before something else', `(local.set $i (i32.const 0)) (nop) ${counted('(local.get $i)', 16, 1024).replace('(local.set $i (local.get $i))', '')}`],
  ];
  for (const [what, body, params] of cases) assert.equal(epochChecks(body, params ?? ''), 3, what);
  // The entries, the counted loop and the (empty, endless-looking) loop nested in it each keep theirs.
  assert.equal(epochChecks(counted('(i32.const 0)', 16, 1024, '(loop)')), 4, 'a nested loop');
});

test('an endless loop around short counted loops is still interrupted', () => {
  // Fuel as a safety net: a regression that lost the outer check traps with OutOfFuel, not hangs.
  const engine = new Engine({ epochInterruption: true, consumeFuel: true });
  const store = new Store(engine);
  store.setFuel(1e9);
  const module = new Module(engine, parseWat(`(module (import "" "tick" (func $tick)) (memory (export "memory") 1)
    (func (export "run") (local $i i32) (local $n i32) (local $s i32)
      (loop $outer
        (local.set $i (i32.const 0))
        (loop $inner
          (i32.store (local.get $i) (i32.add (i32.load (local.get $i)) (i32.const 1)))
          (br_if $inner (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 4096))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (if (i32.eq (local.get $n) (i32.const 100)) (then (call $tick)))
        (br $outer))))`));
  const tick = Func.create(store, funcType([], []), () => {
    engine.incrementEpoch();
    return [];
  });
  const instance = new Instance(store, module, [tick]);
  store.setEpochDeadline(1);
  try {
    instance.getFunc(store, 'run')!.call(store, []);
    assert.fail('expected an Interrupt trap');
  } catch (e) {
    assert.ok(e instanceof Trap && e.code === TrapCode.Interrupt, String(e));
  }
  // It stopped at the outer loop's check right after the tick: the inner loop ran 100 times in full.
  const words = new DataView(instance.getMemory(store, 'memory')!.read(store, 0, 4096).buffer);
  for (const at of [0, 2048, 4092]) assert.equal(words.getInt32(at, true), 100);
});
