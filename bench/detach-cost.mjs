#!/usr/bin/env node
// What detaching an ArrayBuffer costs on V8, for the detachOnGrow decision (docs/js-api.md). Each variant runs
// in its own worker (V8's "array buffer detaching" protector is per isolate); "detached" workers detach one
// unrelated 8-byte buffer first, which is what any spec-conforming memory.grow does once.
//
//   node bench/detach-cost.mjs [--kernels] [--realworld] [--runs N]   (default: both)
//
// 1. a DataView loop (the shape of every tswasm memory access), 2. memory-heavy kernels of the shared bench
// compiled by tswasm, 3. the real-world harness with the spec mode, the non-detaching mode and the spec
// mode after one detach (the cost a program pays from its first memory.grow on).

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { distUrl, findHarness, root } from './find-harness.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 9;
const all = !args.includes('--kernels') && !args.includes('--realworld');

/** Runs `source` (an async function body returning a number of ms) in a fresh worker, after an optional detach. */
function inWorker(source, detach, data) {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      if (workerData.detach) { const b = new ArrayBuffer(8); structuredClone(b, { transfer: [b] }); }
      const f = async (data) => { ${source} };
      parentPort.postMessage(await f(workerData.data));
    })().catch((e) => parentPort.postMessage({ error: String(e) }));`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { detach, data } });
    w.once('message', (m) => { w.terminate(); resolve(m); });
    w.once('error', reject);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Medians of alternating runs of both variants, and the median of the per-round ratios. */
async function compare(name, source, data) {
  const plain = [];
  const detached = [];
  const ratios = [];
  for (let r = 0; r < runs; r++) {
    const order = r % 2 ? [true, false] : [false, true];
    const ms = {};
    for (const d of order) {
      const m = await inWorker(source, d, data);
      if (m.error) throw new Error(`${name}: ${m.error}`);
      ms[d] = m;
    }
    plain.push(ms[false]);
    detached.push(ms[true]);
    ratios.push(ms[true] / ms[false]);
  }
  console.log(`${name.padEnd(34)} ${median(plain).toFixed(1).padStart(8)} ms ${median(detached).toFixed(1).padStart(8)} ms   x${median(ratios).toFixed(2)}`);
}

const DATAVIEW_LOOP = `
  const dv = new DataView(new ArrayBuffer(1 << 20));
  const loop = () => { let s = 0; for (let k = 0; k < 20; k++) for (let i = 0; i < (1 << 20); i += 4) { s = (s + dv.getInt32(i, true)) | 0; dv.setInt32(i, s, true); } return s; };
  for (let i = 0; i < 5; i++) loop();
  const t0 = performance.now(); loop(); loop(); loop(); return performance.now() - t0;`;

const KERNEL = `
  const { createWebAssembly } = await import(data.jsapi);
  const W = createWebAssembly();
  const { instance } = await W.instantiate(data.bytes, {});
  for (let i = 0; i < 2; i++) instance.exports.run();
  const t0 = performance.now(); instance.exports.run(); return performance.now() - t0;`;

if (all || args.includes('--kernels')) {
  console.log(`variant (median of ${runs} rounds)             no detach     after a detach   ratio`);
  await compare('DataView get/set loop', DATAVIEW_LOOP);
  const bench = findHarness('run-anchors.mjs');
  const jsapi = distUrl('src/jsapi/index.js');
  for (const k of ['matmul', 'lz77', 'sha256', 'fannkuch']) {
    const bytes = new Uint8Array(readFileSync(join(bench, 'kernels', 'reactor', `${k}.wasm`)));
    await compare(`tswasm kernel ${k} run()`, KERNEL, { jsapi, bytes });
  }
}

if (all || args.includes('--realworld')) {
  const bench = findHarness('run-realworld.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'tswasm-detach-'));
  const afterDetach = join(dir, 'tswasm-after-a-detach.mjs');
  writeFileSync(afterDetach, [
    '// The spec mode, after one unrelated buffer was detached in this worker (as by a first memory.grow).',
    `export { WebAssembly, default } from ${JSON.stringify(new URL('./anchor-runtime.mjs', import.meta.url).href)};`,
    'const b = new ArrayBuffer(8);',
    'structuredClone(b, { transfer: [b] });',
  ].join('\n'));
  execFileSync(process.execPath, [join(bench, 'run-realworld.mjs'), '--runtimes', 'native',
    '--runtime', join(root, 'bench', 'anchor-runtime.mjs'), '--runtime', join(root, 'bench', 'anchor-runtime-nodetach.mjs'),
    '--runtime', afterDetach, ...args.filter((a) => a !== '--realworld')], { cwd: bench, stdio: 'inherit' });
}
