// A fixed-seed sample of the GC differential fuzzer (tools/gc-fuzz.ts runs long campaigns): random
// valid modules using Wasm GC, and in a third of them exnref exception handling, run in headless
// Chromium's native WebAssembly and on tswasm (lazy, eager, a variant configuration, the JS API),
// and every call's result or trap must agree. Without a Chromium the test is skipped and says so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrapCode } from '../../src/api/index.js';
import { ChromiumOracle } from '../../tools/chromium-oracle.js';
import { GC_TARGET_INSTRUCTIONS, runGcModule, type GcStats } from '../../tools/gc-fuzz.js';

const SEED = 20261128;
const MODULES = 150;

test(`${MODULES} random GC modules behave alike on tswasm and in Chromium`, { skip: ChromiumOracle.available() ? false : 'no chromium installed', timeout: 300_000 }, async () => {
  const stats: GcStats = { modules: 0, exnrefModules: 0, calls: 0, equal: 0, outcomes: {}, invalid: [], mismatches: [], instructions: {} };
  const oracle = await ChromiumOracle.start();
  try {
    for (let i = 0; i < MODULES; i++) await runGcModule(oracle, SEED, i, stats, {});
  } finally {
    await oracle.close();
  }
  const report = JSON.stringify({ ...stats, instructions: undefined }, null, 1);
  assert.deepEqual(stats.invalid.map((m) => `module ${m.module}: ${m.message}`), [], report);
  assert.deepEqual(stats.mismatches.map((m) => `module ${m.module} [${m.engine}] ${m.call}: ${m.detail}`), [], report);
  // The comparison really ran: many calls, most returning, the others trapping in the GC ways.
  assert.ok(stats.calls >= 1500, report);
  assert.ok((stats.outcomes['return'] ?? 0) >= stats.calls * 0.4, report);
  for (const code of [TrapCode.CastFailure, TrapCode.NullReference, TrapCode.ArrayOutOfBounds, TrapCode.TableOutOfBounds]) {
    assert.ok((stats.outcomes[code] ?? 0) > 0, `no ${code} trap in the sample\n${report}`);
  }
  assert.ok(stats.exnrefModules > 0 && (stats.outcomes['host'] ?? 0) > 0, `no uncaught wasm exception\n${report}`);
  assert.deepEqual(GC_TARGET_INSTRUCTIONS.filter((n) => !stats.instructions[n]), [], 'instructions the sample never generates');
});
