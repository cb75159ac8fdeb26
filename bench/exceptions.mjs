#!/usr/bin/env node
// What exception handling costs in tswasm's generated code, beside Node's WebAssembly (legacy
// try/catch, which Node 20 runs): a call inside a try block that never throws against the same
// loop without one, and a throw in a callee caught by its caller; ns per loop iteration.
//
//   node bench/exceptions.mjs [--iterations N] [--rounds R]   (build first: npm run build; TSWASM_DIST=... for another build)

import { distUrl } from './find-harness.mjs';

const arg = (name, dflt) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : dflt;
};
const N = arg('--iterations', 2_000_000);
const ROUNDS = arg('--rounds', 7);
const { createWebAssembly } = await import(distUrl('src/jsapi/index.js'));
const { parseWat } = await import(distUrl('src/text/index.js'));

// $step never throws unless asked; each loop adds its results so nothing is dead code.
const SOURCE = `(module
  (tag $e (param i32))
  (func $step (param i32 i32) (result i32)
    (if (local.get 1) (then (throw $e (local.get 0))))
    (i32.add (local.get 0) (i32.const 3)))
  (func (export "plain") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $step (local.get $i) (i32.const 0))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  (func (export "guarded") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (try (result i32) (do (call $step (local.get $i) (i32.const 0))) (catch $e))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  (func (export "throwing") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (try (result i32) (do (call $step (local.get $i) (i32.const 1))) (catch $e))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s)))`;

function exportsOf(W) {
  return new W.Instance(new W.Module(parseWat(SOURCE))).exports;
}

const CASES = [['call, no try', 'plain', N], ['call in try, no throw', 'guarded', N], ['throw + catch', 'throwing', N / 10]];
const runtimes = [['native', exportsOf(globalThis.WebAssembly)], ['tswasm', exportsOf(createWebAssembly())]];
const samples = new Map();
for (const [, e] of runtimes) for (const [, f, n] of CASES) e[f](n / 10);
for (let r = 0; r < ROUNDS; r++) {
  // Every other round in reverse order: whichever case runs first in a round is measured slower.
  const order = r % 2 === 0 ? CASES : [...CASES].reverse();
  for (const [rt, e] of runtimes) {
    for (const [what, f, n] of order) {
      const t0 = performance.now();
      e[f](n);
      const ns = ((performance.now() - t0) * 1e6) / n;
      const key = `${rt} ${what}`;
      samples.set(key, [...(samples.get(key) ?? []), ns]);
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`ns per iteration, median of ${ROUNDS} rounds`.padEnd(34), 'native'.padStart(8), 'tswasm'.padStart(8), '  ratio');
for (const [what] of CASES) {
  const n = median(samples.get(`native ${what}`));
  const t = median(samples.get(`tswasm ${what}`));
  console.log(what.padEnd(34), n.toFixed(1).padStart(8), t.toFixed(1).padStart(8), `  ${(t / n).toFixed(1)}x`);
}
