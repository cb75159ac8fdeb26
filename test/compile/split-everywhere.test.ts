// The parts' machinery under the execution fuzzer's random modules: with compile/split.ts's test
// switch every chain of two or more empty blocks is split, each case its own JS function, so locals
// passed in and written back, branches out of parts (with values, to enclosing chains, to the
// function), returns, traps, memory views and fuel hand-over meet shapes that no large real program
// happens to have. Every result, trap, global and memory byte must still agree with Node's own
// WebAssembly. (tools/exec-fuzz.ts --split-everywhere runs long campaigns.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsKnownOracle } from '../helpers/oracle.js';
import { Engine, Module } from '../../src/api/index.js';
import { forceSplitEverywhere } from '../../src/compile/split-choice.js';
import { parseWat } from '../../src/text/index.js';
import { Rng, generateModule, moduleSeed } from '../../tools/exec-fuzz-gen.js';
import { newStats, runModule, summary } from '../../tools/exec-fuzz-core.js';

const SEED = 20261126;
const MODULES = 200;

/** How many part functions tswasm generates for these bytes (eager, so every function counts). */
function partsIn(bytes: Uint8Array): number {
  const sources: string[] = [];
  new Module(new Engine({ compilation: 'eager', features: { threads: true }, debugSource: (_name, source) => sources.push(source) }), bytes);
  return [...sources.join('\n').matchAll(/^function \$f\d+(?:_\w+)?\$p\d+\(/gm)].length;
}

test('the switch splits small functions: a three-block chain becomes parts', () => {
  const wasm = parseWat(`(module (func (export "f") (param i32) (result i32)
    (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10))) (return (i32.const 20)))
    (i32.const 30)))`);
  assert.equal(partsIn(wasm), 0);
  forceSplitEverywhere(true);
  try {
    assert.ok(partsIn(wasm) >= 1);
  } finally {
    forceSplitEverywhere(false);
  }
});

test(`${MODULES} random modules with every chain split behave alike on tswasm and on the native engine`, { skip: needsKnownOracle('generated modules') }, () => {
  const stats = newStats();
  let split = 0;
  forceSplitEverywhere(true);
  try {
    for (let i = 0; i < MODULES; i++) {
      runModule(SEED, i, stats);
      if (partsIn(generateModule(new Rng(moduleSeed(SEED, i))).bytes) > 0) split++;
    }
  } finally {
    forceSplitEverywhere(false);
  }
  const report = summary(stats);
  assert.deepEqual(stats.invalid.map((m) => `module ${m.module}: ${m.message}`), [], report);
  assert.deepEqual(stats.mismatches.map((m) => `module ${m.module} [${m.engine}] ${m.call}: ${m.detail}`), [], report);
  assert.ok(stats.calls >= 1000, report);
  assert.ok(split >= 10, `only ${split} of ${MODULES} modules had a function split`);
});
