// Operand stacks hundreds of values deep, which make the code generator freeze the bottom of its
// symbolic stack (FunctionCompiler.freeze: evaluated into temps early, so that compiling stays
// linear). Random bodies push values of every kind (constants, local reads, loads that may trap,
// divisions that may trap, calls with effects, i64 and f64 arithmetic), assign locals, store and
// set a global while the stack is deep, then fold the stack into one result. Each runs on Node's
// own WebAssembly and on tswasm (eager and lazy): the same result or trap, the same memory and the
// same global afterwards, so no trap, effect or local read moved across another. The second test puts
// the bodies in a part of a split chain (split.ts), where frozen temps are the part's own.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Instance, Module, Store, Trap, Val } from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';
import { Rng } from '../../tools/fuzz-rng.js';
import { forceSplitEverywhere } from '../../src/compile/split-choice.js';

type Kind = 'i32' | 'i64' | 'f64';

/** A random body: a deep push phase with statements mixed in, then a fold into local $acc. */
function deepBody(rng: Rng, depth: number): string {
  const out: string[] = [];
  const kinds: Kind[] = [];
  // Each module weighs the steps differently: without calls, stores and blocks (which evaluate
  // what is below them) loads, divisions and local reads stay deferred until the stack is frozen.
  const effects = rng.pick([0, 0.3, 1]);
  const blocks = rng.pick([0, 0.05, 1]);
  const outOfBounds = rng.pick([0, 0.002, 0.02]);
  // Stretches where divisions trap, between stretches where loads do: which trap comes first.
  const zeroDivisor = rng.pick([0, 0, 0.1]);
  const sets = rng.pick([0.05, 1]);
  const weights = [1, 1.5, 1, 1, effects, 1, 1, 1, 1, 1, sets, effects, effects, blocks];
  const addr = () => (rng.chance(outOfBounds) ? 65534 : rng.below(16380) * 4);
  const k32 = () => rng.below(2000) - 1000;
  const push = (code: string, kind: Kind) => {
    out.push(code);
    kinds.push(kind);
  };
  while (kinds.length < depth) {
    // Rare assignments: the values that read local 0 or 3 are deep (frozen) by the time one comes.
    if (rng.chance(0.004)) out.push(`(local.set 0 (i32.const ${k32()}))`);
    if (rng.chance(0.004)) out.push(`(local.set 3 (i64.const ${k32()}))`);
    switch (rng.weighted(weights)) {
      case 0: push(rng.chance(0.7) ? `(i32.const ${k32()})` : '(global.get $g)', 'i32'); break;
      case 1: push(`(local.get ${rng.below(3)})`, 'i32'); break;
      case 2: push(`(i32.load offset=${rng.below(3) * 4} (i32.const ${addr()}))`, 'i32'); break;
      case 3: push(`(i64.load (i32.const ${addr() & ~7}))`, 'i64'); break;
      case 4: push(`(call $effect (i32.const ${k32()}))`, 'i32'); break;
      case 5: push(`(i32.add (local.get 1) (i32.const ${k32()}))`, 'i32'); break;
      case 6: push(`(local.tee 1 (i32.const ${k32()}))`, 'i32'); break;
      case 7: push(`(i32.div_s (i32.const ${k32()}) (local.get 2))`, 'i32'); break;
      case 8: push(`(f64.add (local.get 4) (f64.const ${k32()}.5))`, 'f64'); break;
      case 9: push(rng.chance(0.5) ? `(i64.add (local.get 3) (i64.const ${k32()}))`
        : `(i64.rem_s (i64.const ${k32()}) (i64.extend_i32_s (local.get 2)))`, 'i64'); break;
      case 10: out.push(rng.pick([
        `(local.set 1 (i32.const ${k32()}))`,
        `(local.set 2 (i32.const ${rng.chance(zeroDivisor) ? 0 : 1 + rng.below(3)}))`,
        `(local.set 4 (f64.const ${k32()}.25))`,
      ])); break;
      case 11: out.push(`(i32.store (i32.const ${addr()}) (i32.const ${k32()}))`); break;
      case 12: out.push(`(global.set $g (i32.add (global.get $g) (i32.const ${k32()})))`); break;
      default: push(`(block (result i32) (br_if 0 (local.get 1) (local.get 0)) (drop) (call $effect (local.get 1)))`, 'i32');
    }
  }
  // Fold from the top: acc = acc * 31 ^ value, each value made an i32.
  for (let i = kinds.length - 1; i >= 0; i--) {
    if (kinds[i] === 'i64') out.push('(i32.wrap_i64)');
    else if (kinds[i] === 'f64') out.push('(i32.trunc_sat_f64_s)');
    out.push('(local.set $v)', '(local.set $acc (i32.xor (i32.mul (local.get $acc) (i32.const 31)) (local.get $v)))');
  }
  return out.join('\n    ');
}

/** The module; `inPart` puts the body in case 1 of a chain, which is split into parts when forced. */
function deepModule(rng: Rng, depth: number, inPart = false): string {
  return `(module
  (memory (export "mem") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $effect (param i32) (result i32)
    (i32.store (i32.and (i32.mul (local.get 0) (i32.const 4)) (i32.const 4092)) (local.get 0))
    (global.set $g (i32.xor (i32.mul (global.get $g) (i32.const 17)) (local.get 0)))
    (i32.add (global.get $g) (i32.const 1)))
  (func (export "run") (param i32) (result i32)
    (local i32 i32 i64 f64) (local $acc i32) (local $v i32)
    (local.set 1 (i32.const 7))
    (local.set 2 (local.get 0))
    (local.set 3 (i64.const 0x123456789))
    (local.set 4 (f64.const 0.5))
    ${inPart ? '(block (block (block (br_table 0 1 2 (i32.const 0))))' : ''}
    ${deepBody(rng, depth)}
    ${inPart ? ')' : ''}
    (local.get $acc)))`;
}

/** Result (or trap), global and a digest of memory after calling run(x). */
type Outcome = { result: string; g: number; memory: string };

function digest(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16);
}

/** Which of the two traps these bodies can have, from native's or tswasm's message. */
function trapKind(message: string): string {
  if (/out of bounds/.test(message)) return 'memory';
  if (/(divi.*|remainder) by zero/.test(message)) return 'division';
  return message;
}

/** Node's own WebAssembly (the project's TypeScript setup has no DOM types). */
const native: any = (globalThis as any).WebAssembly;

async function nativeOutcomes(bytes: Uint8Array, inputs: readonly number[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const x of inputs) {
    const { instance } = await native.instantiate(bytes);
    const e = instance.exports;
    let result: string;
    try {
      result = String(e.run(x));
    } catch (err) {
      result = err instanceof native.RuntimeError ? `trap ${trapKind(String(err))}` : `error ${String(err)}`;
    }
    out.push({ result, g: e.g.value as number, memory: digest(new Uint8Array(e.mem.buffer)) });
  }
  return out;
}

function tswasmOutcomes(bytes: Uint8Array, inputs: readonly number[], compilation: 'eager' | 'lazy'): Outcome[] {
  const engine = new Engine({ compilation });
  const module = new Module(engine, bytes);
  const out: Outcome[] = [];
  for (const x of inputs) {
    const store = new Store(engine);
    const instance = new Instance(store, module, []);
    let result: string;
    try {
      result = String(instance.getFunc(store, 'run')!.call(store, [Val.i32(x)])[0]!.value);
    } catch (err) {
      result = err instanceof Trap ? `trap ${trapKind(err.message)}` : `error ${String(err)}`;
    }
    out.push({
      result,
      g: instance.getGlobal(store, 'g')!.get(store).value as number,
      memory: digest(instance.getMemory(store, 'mem')!.data(store)),
    });
  }
  return out;
}

async function compareWithNative(seed: number, count: number, inPart: boolean): Promise<void> {
  const rng = new Rng(seed);
  let traps = 0;
  for (let i = 0; i < count; i++) {
    const depth = 300 + rng.below(1200);
    const bytes = parseWat(deepModule(rng, depth, inPart));
    // Input 0 makes a division by local 2 trap unless a local.set gives it another value first.
    const inputs = [0, 1, 3];
    const expected = await nativeOutcomes(bytes, inputs);
    traps += expected.filter((o) => o.result.startsWith('trap')).length;
    for (const compilation of ['eager', 'lazy'] as const) {
      assert.deepEqual(tswasmOutcomes(bytes, inputs, compilation), expected, `module ${i} (depth ${depth}), ${compilation}`);
    }
  }
  // Both outcomes must be common for the comparison to mean anything.
  assert.ok(traps >= count / 2 && traps <= count * 3 - count / 2, `traps: ${traps}`);
}

test('deep operand stacks: the same results, traps, memory and globals as native WebAssembly', async () => {
  await compareWithNative(20261126, 40, false);
});

test('deep operand stacks inside a part of a split chain (every chain split)', async () => {
  forceSplitEverywhere(true);
  try {
    await compareWithNative(20261127, 20, true);
  } finally {
    forceSplitEverywhere(null);
  }
});
