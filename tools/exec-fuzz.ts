// Differential execution fuzzing: random valid modules (tools/exec-fuzz-gen.ts) run on tswasm, with
// lazy and with eager compilation, and on Node's native WebAssembly; results, traps, globals and
// memory must agree after every call (rules in tools/exec-fuzz-core.ts).
// Usage: npx tsx tools/exec-fuzz.ts [--seed N] [--count N] [--only I] [--verbose]
//   --only I runs module I of the seed alone (with --verbose: its text, calls and outcomes).
// Each mismatch prints the seed, module index, function and arguments, and writes the module to
// /tmp/exec-fuzz-<seed>-<module>.wasm; the exit code is 1 if there was any mismatch or invalid module.

import { mkdirSync, writeFileSync } from 'node:fs';
import { printModule } from '../src/text/index.js';
import { newStats, runModule, summary } from './exec-fuzz-core.js';

function main(): void {
  const args = process.argv.slice(2);
  const arg = (flag: string): number | undefined => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = Number(args[i + 1]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} needs a non-negative integer`);
    return v;
  };
  const verbose = args.includes('--verbose');
  const seed = arg('--seed') ?? Date.now() % 0x7fffffff;
  const only = arg('--only');
  const count = arg('--count') ?? 1000;
  const first = only ?? 0;
  const end = only === undefined ? count : only + 1;
  console.log(`exec-fuzz: seed ${seed}, modules ${first}..${end - 1}`);

  const stats = newStats();
  const log = verbose ? (line: string) => console.log(line) : undefined;
  const started = Date.now();
  let reported = 0;
  let invalid = 0;
  for (let i = first; i < end; i++) {
    const plan = runModule(seed, i, stats, { log });
    if (verbose && only !== undefined) {
      try {
        console.log(printModule(plan.bytes));
      } catch (e) {
        console.log(`(cannot print: ${(e as Error).message})`);
      }
    }
    for (; reported < stats.mismatches.length; reported++) {
      const m = stats.mismatches[reported]!;
      const file = `/tmp/exec-fuzz-${m.seed}-${m.module}.wasm`;
      mkdirSync('/tmp', { recursive: true });
      writeFileSync(file, m.bytes);
      console.log(`MISMATCH seed ${m.seed} module ${m.module} [tswasm ${m.engine}] ${m.call}\n  ${m.detail}\n  module: ${file} (rerun: --seed ${m.seed} --only ${m.module} --verbose)`);
    }
    for (; invalid < stats.invalid.length; invalid++) {
      const m = stats.invalid[invalid]!;
      const file = `/tmp/exec-fuzz-${m.seed}-${m.module}-invalid.wasm`;
      writeFileSync(file, m.bytes);
      console.log(`INVALID MODULE (generator bug) seed ${m.seed} module ${m.module}: ${m.message}\n  module: ${file}`);
    }
    if (!verbose && (i + 1 - first) % 1000 === 0) {
      console.log(`  ${i + 1 - first} modules, ${stats.calls} calls, ${stats.mismatches.length} mismatches, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  console.log(summary(stats));
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (stats.mismatches.length > 0 || stats.invalid.length > 0) process.exitCode = 1;
}

main();
