// Random WASI calls from a guest (tools/wasi-fuzz-core.ts): only errnos, nothing outside the sandbox.
// Usage: npx tsx tools/wasi-fuzz.ts [--seed N] [--count N]. Exit code 1 on any problem.

import { runWasiFuzz } from './wasi-fuzz-core.js';
import { numberOption } from './fuzz-rng.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => numberOption(argv, name, fallback);
const seed = option('--seed', 1);
const started = performance.now();
const { calls, problems } = runWasiFuzz(seed, option('--count', 50_000));
console.log(`wasi-fuzz: seed ${seed}, ${calls} calls, ${problems.size} problems, ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const [key, detail] of problems) console.log(`${key}\n    ${detail}`);
process.exitCode = problems.size === 0 ? 0 : 1;
