#!/usr/bin/env node
// What interruption costs: each kernel of the shared harness (kernels/reactor/*.wasm, `run()`) on
// tswasm with no interruption, with fuel (Config.consumeFuel, fuel set far above what a run uses)
// and with epochs (Config.epochInterruption, deadline far away), in interleaved rounds in one
// process. Prints each configuration's median time and its ratio to the plain one; checks that all
// three return the same checksum.
//
// Usage: node bench/interrupts.mjs [ROUNDS] [--only k1,k2] [--small]. The kernels are found through
// $TSWASM_BENCH or ../shared/bench. TSWASM_DIST points at another build output. Applies tuneV8.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { distUrl, findHarness } from './find-harness.mjs';

const { Engine, Store, Module, Instance } = await import(distUrl('src/api/index.js'));
(await import(distUrl('src/node/index.js'))).tuneV8();

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const entry = args.includes('--small') ? 'run_small' : 'run';
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(args[onlyAt + 1].split(',')) : null;
const dir = join(findHarness('run-anchors.mjs'), 'kernels', 'reactor');
const kernels = readdirSync(dir).filter((f) => f.endsWith('.wasm')).map((f) => f.slice(0, -5))
  .filter((k) => k !== 'simd' && (only === null || only.has(k)));

const CONFIGS = [
  ['plain', {}],
  ['fuel', { consumeFuel: true }],
  ['epoch', { epochInterruption: true }],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ratios = { fuel: [], epoch: [] };

console.log(`kernel      plain ms   fuel ms  x plain   epoch ms  x plain   (medians of ${rounds} interleaved rounds, ${entry})`);
for (const kernel of kernels) {
  const bytes = readFileSync(join(dir, `${kernel}.wasm`));
  const runs = CONFIGS.map(([name, config]) => {
    const engine = new Engine(config);
    const store = new Store(engine);
    if (config.consumeFuel) store.setFuel(Number.MAX_SAFE_INTEGER);
    if (config.epochInterruption) store.setEpochDeadline(Number.MAX_SAFE_INTEGER);
    const run = new Instance(store, new Module(engine, bytes), []).getTypedFunc(store, entry);
    return { name, call: () => run.call(store) >>> 0, times: [] };
  });
  const sums = new Set(runs.map((r) => r.call()));
  if (sums.size !== 1) {
    console.error(`${kernel}: the configurations disagree: ${[...sums].map((s) => s.toString(16)).join(' ')}`);
    process.exit(1);
  }
  for (let i = 0; i < rounds; i++) {
    for (const r of i % 2 ? [...runs].reverse() : runs) {
      const t0 = performance.now();
      r.call();
      r.times.push(performance.now() - t0);
    }
  }
  const [plain, fuel, epoch] = runs.map((r) => median(r.times));
  ratios.fuel.push(fuel / plain);
  ratios.epoch.push(epoch / plain);
  const cell = (x) => x.toFixed(1).padStart(9);
  console.log(`${kernel.padEnd(10)}${cell(plain)} ${cell(fuel)} ${(fuel / plain).toFixed(2).padStart(7)}x ${cell(epoch)} ${(epoch / plain).toFixed(2).padStart(7)}x`);
}
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
console.log(`geomean cost: fuel ${geomean(ratios.fuel).toFixed(2)}x, epoch ${geomean(ratios.epoch).toFixed(2)}x`);
