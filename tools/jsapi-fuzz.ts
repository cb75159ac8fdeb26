// The JS API side by side with Node's under random misuse (tools/jsapi-fuzz-core.ts).
// Usage: npx tsx tools/jsapi-fuzz.ts [--seed N] [--count N] [--closures] [--jspi]. Exit code 1 on any
// unexplained difference. --closures uses the call adaptors of environments that refuse eval;
// --jspi fuzzes a namespace made with jspi: true (generator code) against Node's.

import { runJsApiFuzz } from './jsapi-fuzz-core.js';
import { numberOption } from './fuzz-rng.js';
import { forceClosureForms } from '../src/runtime/dynamic-code.js';

const argv = process.argv.slice(2);
if (argv.includes('--closures')) forceClosureForms(true);
const option = (name: string, fallback: number): number => numberOption(argv, name, fallback);
const seed = option('--seed', 1);
const started = performance.now();
const { calls, findings } = runJsApiFuzz(seed, option('--count', 50_000), argv.includes('--jspi'));
console.log(`jsapi-fuzz: seed ${seed}, ${calls} calls on both namespaces, ${findings.size} unexplained differences, ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const key of findings.keys()) console.log(key);
process.exitCode = findings.size === 0 ? 0 : 1;
