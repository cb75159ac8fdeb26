#!/usr/bin/env node
// The SIMD kernel (bench/simd/simd.c) on tswasm and on Node's own WebAssembly, in the same process:
// checks that both return the same checksum, then reports medians of interleaved rounds and the ratio.
//
// Usage: node bench/simd.mjs [ROUNDS] [--small] [--parts]. --parts also times each of the four kernels
// alone (part(k, 10000)). TSWASM_DIST points at another build output (default: this checkout's dist/).
// As a Node host it applies tswasm/node's V8 settings (tuneV8).

import { readFileSync } from 'node:fs';
import { distUrl } from './find-harness.mjs';

const { Engine, Store, Module, Instance } = await import(distUrl('src/api/index.js'));
(await import(distUrl('src/node/index.js'))).tuneV8();

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 7);
const entry = args.includes('--small') ? 'run_small' : 'run';
const bytes = readFileSync(new URL('simd/simd.wasm', import.meta.url));

const native = (await WebAssembly.instantiate(bytes)).instance.exports;
const engine = new Engine();
const store = new Store(engine);
const instance = new Instance(store, new Module(engine, bytes), []);
const run = instance.getTypedFunc(store, entry);
const part = instance.getTypedFunc(store, 'part');
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Times `ours` and `theirs` in interleaved rounds after checking that they agree. */
function compare(label, ours, theirs) {
  const expected = theirs() >>> 0;
  const got = ours() >>> 0;
  if (got !== expected) {
    console.error(`${label}: checksum mismatch: tswasm ${got.toString(16)}, native ${expected.toString(16)}`);
    process.exit(1);
  }
  const t = [[], []];
  for (let i = 0; i < rounds; i++) {
    for (const [k, f] of [[1, theirs], [0, ours]]) {
      const t0 = performance.now();
      f();
      t[k].push(performance.now() - t0);
    }
  }
  const [m, n] = t.map(median);
  console.log(`${label}: checksum ${expected.toString(16)}; tswasm ${m.toFixed(1)} ms, native ${n.toFixed(1)} ms, ratio ${(m / n).toFixed(2)}x (medians of ${rounds})`);
}

compare(`simd ${entry}`, () => run.call(store), () => native[entry]());
if (args.includes('--parts')) {
  const names = ['saxpy_dot (f32x4)', 'clamp_sqrt (f32x4 min/max/sqrt)', 'blend_sad (i8x16)', 'pcm_energy (i16x8/i32x4)'];
  names.forEach((name, k) => compare(`  ${name}`, () => part.call(store, k, 10000), () => native.part(k, 10000)));
}
