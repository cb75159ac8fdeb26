// Suspension fuzzing: the execution fuzzer's modules without host imports run on generator code
// (Config.asyncSupport) through callAsync, yielding to the event loop at seeded random epoch
// deadlines, whenever a random slice of fuel runs out and when an async limiter answers a growth
// with a promise (compareSuspended in exec-fuzz-core.ts);
// those with host imports run on a JSPI namespace, every import Suspending and every export called
// through promising (compareJspi). Both against the default code called synchronously.
// Usage: npx tsx tools/suspend-fuzz.ts [--seed N] [--count N] [--rarity R] [--split-everywhere]
//   --rarity R: a deadline yields with probability 1/R (default 4; at most 40 yields per module);
//   --split-everywhere: every chain of two or more empty blocks is split into parts (as exec-fuzz.ts).
// The exit code is 1 after any difference.

import { forceSplitEverywhere } from '../src/compile/split-choice.js';
import { Rng, generateModule, moduleSeed } from './exec-fuzz-gen.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const seed = option('--seed', 1);
const count = option('--count', 1000);
const rarity = option('--rarity', 4);
if (args.includes('--split-everywhere')) forceSplitEverywhere(true);
// The engines are made as the module loads, after the switch above.
const { compareJspi, compareSuspended } = await import('./exec-fuzz-core.js');

const stats = { suspensions: 0, growthWaits: 0 };
let compared = 0;
let jspiModules = 0;
let calls = 0;
let differences = 0;
const started = performance.now();
for (let i = 0; i < count; i++) {
  const plan = generateModule(new Rng(moduleSeed(seed, i)));
  calls += plan.calls.length;
  if (plan.hostImports.length > 0) jspiModules++;
  else compared++;
  const diff = plan.hostImports.length > 0 ? await compareJspi(plan) : await compareSuspended(plan, moduleSeed(seed + 1, i), stats, rarity);
  if (diff !== null) {
    differences++;
    console.log(`seed ${seed} module ${i}, ${diff.call}: ${diff.detail}`);
  }
}
console.log(`suspend-fuzz: seed ${seed}, ${count} modules (${compared} through callAsync, ${jspiModules} with host imports through JSPI), ${calls} calls, `
  + `${stats.suspensions} epoch yields, ${stats.growthWaits} growths waiting for the limiter (and fuel yields, not counted), ${differences} differences, ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = differences > 0 ? 1 : 0;
