// Seeded fuzzing of decode+validate: mutations of every suite module and bench kernel must either
// compile or throw CompileError; anything else, or an input taking > 2 s, prints seed + hex, exits 1.
// Usage: npx tsx tools/frontend-fuzz.ts [--seed N] [--count N]

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ALL_FEATURES, WASM3_FEATURES } from '../src/core/features.js';
import { Rng, hex, mutate, runOne } from './frontend-fuzz-core.js';

const HANG_MS = 2000;

interface Job {
  seed: number;
  count: number;
  corpus: Uint8Array[];
  status: SharedArrayBuffer;
  input: SharedArrayBuffer;
}

/** status: [0] inputs done, [1] heartbeat counter, [2] length of the current input (in `input`). */
function work(job: Job): void {
  const status = new Int32Array(job.status);
  const current = new Uint8Array(job.input);
  const rng = new Rng(job.seed);
  let accepted = 0;
  for (let i = 0; i < job.count; i++) {
    const base = job.corpus[rng.below(job.corpus.length)]!;
    const input = mutate(rng, base);
    const n = Math.min(input.length, current.length);
    current.set(input.subarray(0, n));
    Atomics.store(status, 2, n);
    Atomics.add(status, 1, 1);
    const features = rng.below(4) === 0 ? WASM3_FEATURES : ALL_FEATURES;
    try {
      if (runOne(input, features) === 'accepted') accepted++;
    } catch (e) {
      parentPort!.postMessage({ kind: 'bug', index: i, error: (e as Error).stack ?? String(e), input: hex(input) });
      return;
    }
    Atomics.store(status, 0, i + 1);
  }
  parentPort!.postMessage({ kind: 'done', accepted });
}

async function corpus(): Promise<Uint8Array[]> {
  const { projectRoot, testsuiteRoot } = await import('../test/helpers/paths.js');
  const KERNELS = join(projectRoot, '..', 'shared', 'bench', 'kernels', 'reactor');
  const out: Uint8Array[] = [];
  if (existsSync(KERNELS)) {
    for (const f of readdirSync(KERNELS)) if (f.endsWith('.wasm')) out.push(new Uint8Array(readFileSync(join(KERNELS, f))));
  }
  const { scriptModules } = await import('./frontend-wast.js');
  const { encodeText, loadOracle } = await import('./frontend-suite.js');
  if (!existsSync(testsuiteRoot)) return out;
  const parse = await loadOracle();
  const dirs = ['.', 'legacy', 'spec-only', ...readdirSync(join(testsuiteRoot, 'proposals')).map((p) => `proposals/${p}`)];
  const seen = new Set<string>();
  for (const d of dirs) {
    for (const f of readdirSync(join(testsuiteRoot, d)).filter((x) => x.endsWith('.wast'))) {
      for (const m of scriptModules(f, readFileSync(join(testsuiteRoot, d, f), 'utf8'))) {
        let bytes: Uint8Array | null = null;
        if (m.form === 'binary') bytes = m.bytes;
        else if (m.form === 'text' && !m.command.startsWith('assert_malformed')) bytes = await encodeText(parse, m.source);
        if (bytes === null || bytes.length > 200_000) continue;
        const key = hex(bytes);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(bytes);
      }
    }
  }
  return out;
}

/** A worker running this file; under tsx it first registers tsx's loader in the worker. */
function startWorker(job: Job): Worker {
  const url = import.meta.url;
  if (!url.endsWith('.ts')) return new Worker(new URL(url), { workerData: job });
  const boot = `(async () => { const api = await import('tsx/esm/api'); api.register(); await import(${JSON.stringify(url)}); })()`;
  return new Worker(boot, { eval: true, workerData: job });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, dflt: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const seed = arg('--seed', Date.now() % 0x7fffffff);
  const count = arg('--count', 100_000);
  const inputs = await corpus();
  console.log(`seed ${seed}, ${count} inputs from a corpus of ${inputs.length} modules`);
  const job: Job = {
    seed, count, corpus: inputs, status: new SharedArrayBuffer(12), input: new SharedArrayBuffer(1 << 20),
  };
  const status = new Int32Array(job.status);
  const worker = startWorker(job);
  const started = Date.now();
  let lastBeat = -1;
  let lastChange = Date.now();
  const watchdog = setInterval(() => {
    const beat = Atomics.load(status, 1);
    if (beat !== lastBeat) {
      lastBeat = beat;
      lastChange = Date.now();
      return;
    }
    if (Date.now() - lastChange > HANG_MS) {
      const n = Atomics.load(status, 2);
      console.log(`HANG (> ${HANG_MS} ms) at input ${beat - 1}, seed ${seed}: ${hex(new Uint8Array(job.input, 0, n))}`);
      void worker.terminate();
      clearInterval(watchdog);
      process.exitCode = 1;
    }
  }, 250);
  worker.on('message', (msg: { kind: string; accepted?: number; index?: number; error?: string; input?: string }) => {
    clearInterval(watchdog);
    if (msg.kind === 'bug') {
      console.log(`BUG at input ${msg.index}, seed ${seed}:\n${msg.error}\ninput: ${msg.input}`);
      process.exitCode = 1;
    } else {
      const secs = (Date.now() - started) / 1000;
      console.log(`ok: ${count} inputs in ${secs.toFixed(1)} s, ${msg.accepted} accepted, the rest rejected with CompileError`);
    }
    void worker.terminate();
  });
  worker.on('error', (e) => {
    clearInterval(watchdog);
    console.log(`worker failed, seed ${seed}: ${e.stack}`);
    process.exitCode = 1;
  });
}

if (isMainThread) await main();
else work(workerData as Job);
