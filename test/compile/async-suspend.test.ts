// Suspension at random points of random modules: the execution fuzzer's modules run on generator
// code through callAsync, yielding to the event loop at seeded random epoch deadlines and fuel
// slices, or (those with host imports) on a JSPI namespace whose imports all suspend, and must
// behave as the default code called synchronously (tools/suspend-fuzz.ts runs long campaigns).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, generateModule, moduleSeed } from '../../tools/exec-fuzz-gen.js';
import { compareJspi, compareSuspended } from '../../tools/exec-fuzz-core.js';

const SEED = 20261127;
const MODULES = 150;

test(`${MODULES} random modules suspended at random points, or at every host call, behave as when never suspended`, async () => {
  const stats = { suspensions: 0 };
  const failures: string[] = [];
  let compared = 0;
  let jspi = 0;
  for (let i = 0; i < MODULES; i++) {
    const plan = generateModule(new Rng(moduleSeed(SEED, i)));
    if (plan.hostImports.length > 0) jspi++;
    else compared++;
    const diff = plan.hostImports.length > 0 ? await compareJspi(plan) : await compareSuspended(plan, moduleSeed(SEED + 1, i), stats);
    if (diff !== null) failures.push(`module ${i}, ${diff.call}: ${diff.detail}`);
  }
  assert.deepEqual(failures, []);
  assert.ok(compared > MODULES / 2, `only ${compared} modules without host imports`);
  assert.ok(jspi > MODULES / 10, `only ${jspi} modules with host imports`);
  assert.ok(stats.suspensions > compared, `only ${stats.suspensions} suspensions in ${compared} modules`);
});
