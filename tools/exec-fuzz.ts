// Differential execution fuzzing: random valid modules (tools/exec-fuzz-gen.ts) run on tswasm (lazy,
// eager and a variant configuration) and on Node's native WebAssembly; results, traps, globals and
// memory must agree after every call (rules in tools/exec-fuzz-core.ts).
// Usage: npx tsx tools/exec-fuzz.ts [--seed N] [--count N] [--start I] [--only I] [--verbose] [--simd | --no-simd] [--closures] [--nan-boxes] [--split-everywhere]
//   --simd / --no-simd: every module / no module uses fixed-width SIMD (default: half of them);
//   --nan-boxes: floats whose NaN bits a JS number would lose travel as NaNBoxes, as on engines that
//   NaN-box (core/nan-boxing.ts), so that mode's code is compared with native WebAssembly;
//   --split-everywhere: every chain of two or more empty blocks is split into parts, each case its own
//   JS function (compile/split.ts's test switch), so that the parts' machinery meets every shape;
//   --closures: tswasm makes its tail-call adaptors and GC struct constructors as closures (as where eval is refused);
//   modules start..start+count-1 of the seed (default 0..999); --only I runs module I alone
//   (with --verbose: its text, calls and outcomes).
// Each mismatch prints the seed, module index, function and arguments, and writes the module to
// /tmp/exec-fuzz-<seed>-<module>.wasm. Generated code always terminates (exec-fuzz-gen.ts), so a
// module running longer than HANG_MS is reported as a hang (and the campaign goes on after it).
// The exit code is 1 after any mismatch, hang or invalid module.

import { integerOption } from './fuzz-args.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { printModule } from '../src/text/index.js';
import type { Stats } from './exec-fuzz-core.js';
import { forceClosureForms } from '../src/runtime/dynamic-code.js';
import { forceNaNBoxes } from '../src/core/nan-boxing.js';
import { forceSplitEverywhere } from '../src/compile/split-choice.js';

// The runner makes its engines as its module loads, and an engine takes the NaN mode it is made in.
if (!isMainThread && (workerData as Job).nanBoxes) forceNaNBoxes(true);
if (!isMainThread && (workerData as Job).splitEverywhere) forceSplitEverywhere(true);
const { newStats, runModule, summary } = await import('./exec-fuzz-core.js');

const HANG_MS = 30_000;

interface Job {
  readonly seed: number;
  readonly first: number;
  readonly end: number;
  readonly verbose: boolean;
  readonly simd: boolean | undefined;
  readonly closures: boolean;
  readonly nanBoxes: boolean;
  readonly splitEverywhere: boolean;
  /** [0]: the module being run. */
  readonly status: SharedArrayBuffer;
}

type Message = { kind: 'module'; index: number; ms: number; stats: Stats } | { kind: 'done' };

function work(job: Job): void {
  const status = new Int32Array(job.status);
  if (job.closures) forceClosureForms(true);
  const log = job.verbose ? (line: string) => console.log(line) : undefined;
  for (let i = job.first; i < job.end; i++) {
    Atomics.store(status, 0, i);
    const stats = newStats();
    const started = performance.now();
    runModule(job.seed, i, stats, { log, gen: { simd: job.simd } });
    parentPort!.postMessage({ kind: 'module', index: i, ms: performance.now() - started, stats } satisfies Message);
  }
  parentPort!.postMessage({ kind: 'done' } satisfies Message);
}

/** A worker running this file; under tsx it first registers tsx's loader in the worker. */
function startWorker(job: Job): Worker {
  const url = import.meta.url;
  if (!url.endsWith('.ts')) return new Worker(new URL(url), { workerData: job });
  const boot = `(async () => { const api = await import('tsx/esm/api'); api.register(); await import(${JSON.stringify(url)}); })()`;
  return new Worker(boot, { eval: true, workerData: job });
}

function merge(total: Stats, s: Stats): void {
  total.modules += s.modules;
  total.calls += s.calls;
  total.equal += s.equal;
  total.nanRelaxed += s.nanRelaxed;
  total.simdModules += s.simdModules;
  total.memory64Modules += s.memory64Modules;
  total.funcRefModules += s.funcRefModules;
  total.extendedConstModules += s.extendedConstModules;
  total.atomicsModules += s.atomicsModules;
  total.fuelCalls += s.fuelCalls;
  total.outOfFuel += s.outOfFuel;
  total.invalid.push(...s.invalid);
  total.mismatches.push(...s.mismatches);
  for (const key of ['outcomes', 'skipped', 'modes', 'instructions'] as const) {
    for (const [k, v] of Object.entries(s[key])) total[key][k] = (total[key][k] ?? 0) + v;
  }
}

function save(name: string, bytes: Uint8Array): string {
  mkdirSync('/tmp', { recursive: true });
  const file = `/tmp/${name}.wasm`;
  writeFileSync(file, bytes);
  return file;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (flag: string): number | undefined => integerOption(args, flag);
  const verbose = args.includes('--verbose');
  const simd = args.includes('--simd') ? true : args.includes('--no-simd') ? false : undefined;
  const simdFlag = simd === true ? ' --simd' : simd === false ? ' --no-simd' : '';
  const seed = arg('--seed') ?? Date.now() % 0x7fffffff;
  const only = arg('--only');
  const first = only ?? arg('--start') ?? 0;
  const end = only === undefined ? first + (arg('--count') ?? 1000) : only + 1;
  console.log(`exec-fuzz: seed ${seed}, modules ${first}..${end - 1}`);

  const total = newStats();
  const hangs: number[] = [];
  let slowest = { index: -1, ms: 0 };
  const started = Date.now();
  const status = new Int32Array(new SharedArrayBuffer(4));

  /** Runs modules from..end-1 in a worker; resolves with the module it hung on, or -1. */
  const run = (from: number) => new Promise<number>((resolve) => {
    const job: Job = { seed, first: from, end, verbose, simd, closures: args.includes('--closures'), nanBoxes: args.includes('--nan-boxes'), splitEverywhere: args.includes('--split-everywhere'), status: status.buffer as SharedArrayBuffer };
    Atomics.store(status, 0, from);
    const worker = startWorker(job);
    let lastIndex = -1;
    let lastChange = Date.now();
    const watchdog = setInterval(() => {
      const i = Atomics.load(status, 0);
      if (i !== lastIndex) {
        lastIndex = i;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > HANG_MS) {
        clearInterval(watchdog);
        void worker.terminate();
        resolve(i);
      }
    }, 500);
    worker.on('message', (msg: Message) => {
      if (msg.kind === 'done') {
        clearInterval(watchdog);
        void worker.terminate();
        resolve(-1);
        return;
      }
      const before = total.mismatches.length;
      const invalidBefore = total.invalid.length;
      merge(total, msg.stats);
      if (msg.ms > slowest.ms) slowest = { index: msg.index, ms: msg.ms };
      for (const m of total.mismatches.slice(before)) {
        const file = save(`exec-fuzz-${m.seed}-${m.module}`, m.bytes);
        console.log(`MISMATCH seed ${m.seed} module ${m.module} [tswasm ${m.engine}] ${m.call}\n  ${m.detail}\n  module: ${file} (rerun: --seed ${m.seed} --only ${m.module} --verbose${simdFlag})`);
      }
      for (const m of total.invalid.slice(invalidBefore)) {
        const file = save(`exec-fuzz-${m.seed}-${m.module}-invalid`, m.bytes);
        console.log(`INVALID MODULE (generator bug) seed ${m.seed} module ${m.module}: ${m.message}\n  module: ${file}`);
      }
      const done = msg.index + 1 - first;
      if (!verbose && done % 1000 === 0) {
        console.log(`  ${done} modules, ${total.calls} calls, ${total.mismatches.length} mismatches, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    });
    worker.on('error', (e) => {
      clearInterval(watchdog);
      console.log(`worker failed, seed ${seed}: ${e.stack}`);
      process.exitCode = 1;
      resolve(-2);
    });
  });

  if (only !== undefined) {
    // One module: in this thread, so its text and calls print in order (no hang watchdog).
    const stats = newStats();
    const plan = runModule(seed, only, stats, { log: verbose ? (line) => console.log(line) : undefined, gen: { simd } });
    if (verbose) {
      try {
        console.log(printModule(plan.bytes));
      } catch (e) {
        console.log(`(cannot print the module: ${(e as Error).message})`);
      }
    }
    for (const m of stats.mismatches) console.log(`MISMATCH seed ${m.seed} module ${m.module} [tswasm ${m.engine}] ${m.call}\n  ${m.detail}\n  module: ${save(`exec-fuzz-${m.seed}-${m.module}`, m.bytes)}`);
    for (const m of stats.invalid) console.log(`INVALID MODULE (generator bug) seed ${m.seed} module ${m.module}: ${m.message}`);
    merge(total, stats);
  }
  for (let from = first; from < end && only === undefined;) {
    const hung = await run(from);
    if (hung < 0) break;
    hangs.push(hung);
    const { Rng, generateModule, moduleSeed } = await import('./exec-fuzz-gen.js');
    const file = save(`exec-fuzz-${seed}-${hung}`, generateModule(new Rng(moduleSeed(seed, hung)), { simd }).bytes);
    console.log(`HANG seed ${seed} module ${hung}: no result after ${HANG_MS / 1000} s\n  module: ${file} (rerun: --seed ${seed} --only ${hung} --verbose${simdFlag})`);
    from = hung + 1;
  }

  console.log(summary(total));
  console.log(`hangs: ${hangs.length === 0 ? 'none' : hangs.join(', ')}`);
  if (slowest.index >= 0) console.log(`slowest module: ${slowest.index} (${slowest.ms.toFixed(0)} ms)`);
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (total.mismatches.length > 0 || total.invalid.length > 0 || hangs.length > 0) process.exitCode = 1;
}

if (isMainThread) await main();
else work(workerData as Job);
