#!/usr/bin/env node
// The kernels where native WebAssembly does not exist: V8 without its JIT compilers (`--jitless`,
// as in Lockdown Mode and JIT-less browsers and embedders), where Node has no `WebAssembly` at all.
// tswasm's generated code then runs in V8's interpreter, and so does polywasm's (webassemblyjs, the
// interpreter anchor, fails on these modules in any mode). Each kernel's `run_small()` on each runtime
// through its WebAssembly namespace, interleaved rounds, medians; checksums against the manifest.
//
// Usage: node --jitless bench/jitless.mjs [ROUNDS] [--only k1,k2]
// The kernels and the anchors come from $TSWASM_BENCH or ../shared/bench (see find-harness.mjs).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { distUrl, findHarness } from './find-harness.mjs';

if (typeof globalThis.WebAssembly !== 'undefined') {
  console.error('run this under `node --jitless` (native WebAssembly is present, so the JIT is on)');
  process.exit(2);
}

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(args[onlyAt + 1].split(',')) : null;
const harness = findHarness('run-anchors.mjs');
const manifest = JSON.parse(readFileSync(join(harness, 'kernels', 'manifest.json'), 'utf8')).kernels;
const kernels = Object.keys(manifest).filter((k) => only === null || only.has(k));

const require = createRequire(join(harness, 'package.json'));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);
const { createWebAssembly } = await import(distUrl('src/jsapi/index.js'));
const runtimes = [
  ['tswasm', createWebAssembly()],
  ['polywasm', (await load('polywasm')).WebAssembly],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cell = (x) => (x === null ? '-' : x.toFixed(1)).padStart(11);
console.log(`node ${process.version} --jitless; run_small(), median of ${rounds} interleaved rounds (ms)`);
console.log(`kernel    ${runtimes.map(([n]) => n.padStart(11)).join(' ')}  polywasm/tswasm`);
const ratios = [];
for (const kernel of kernels) {
  const bytes = readFileSync(join(harness, 'kernels', 'reactor', `${kernel}.wasm`));
  const lanes = [];
  for (const [name, WA] of runtimes) {
    try {
      const { instance } = await WA.instantiate(bytes, {});
      const run = instance.exports.run_small;
      const sum = (run() >>> 0).toString(16).padStart(8, '0');
      const ok = sum === manifest[kernel].run_small;
      lanes.push({ name, run, ok, times: [], note: ok ? '' : `${name} checksum ${sum}` });
    } catch (e) {
      lanes.push({ name, run: null, ok: false, times: [], note: `${name}: ${String(e?.message ?? e).slice(0, 60)}` });
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const lane of r % 2 ? [...lanes].reverse() : lanes) {
      if (lane.run === null) continue;
      const t0 = performance.now();
      lane.run();
      lane.times.push(performance.now() - t0);
    }
  }
  const meds = lanes.map((l) => (l.times.length ? median(l.times) : null));
  const [ts, poly] = meds;
  const ratio = ts && poly && lanes[0].ok && lanes[1].ok ? poly / ts : null;
  if (ratio !== null) ratios.push(ratio);
  const notes = lanes.map((l) => l.note).filter(Boolean).join('; ');
  console.log(`${kernel.padEnd(10)}${meds.map(cell).join(' ')}  ${ratio === null ? '-' : `${ratio.toFixed(2)}x`.padStart(8)}${notes ? `  (${notes})` : ''}`);
}
const geomean = ratios.length ? Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length) : null;
console.log(`geomean polywasm/tswasm over ${ratios.length} kernels with right checksums on both: ${geomean === null ? '-' : `${geomean.toFixed(2)}x`}`);
