// Random misuse of the embedding API (tools/api-fuzz-core.ts): every refusal must be a clear error.
// Usage: npx tsx tools/api-fuzz.ts [--seed N] [--count N]. Exit code 1 when an internal error escaped.

import { runApiFuzz } from './api-fuzz-core.js';
import { numberOption } from './fuzz-rng.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => numberOption(argv, name, fallback);
const seed = option('--seed', 1);
const count = option('--count', 100_000);
const started = performance.now();
const { calls, refused, findings, settled } = runApiFuzz(seed, count);
const asyncRefused = await settled;
console.log(`api-fuzz: seed ${seed}, ${calls} calls, ${refused} refused (and ${asyncRefused} async calls rejected), ${findings.size} internal errors, ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const [key, f] of findings) console.log(`${key}\n    ${f.frames}`);
process.exitCode = findings.size === 0 ? 0 : 1;
