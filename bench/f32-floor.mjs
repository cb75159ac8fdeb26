#!/usr/bin/env node
// How fast can exact single precision be in JavaScript at all? The f32 kernel's Mandelbrot loop
// (a chain of dependent f32 operations) four ways in one process, as ratios to native wasm:
//   native   the loop as a wasm module on Node's own WebAssembly
//   tswasm   the same module on tswasm
//   js-exact the loop written by hand in JS with Math.fround after every operation, no more than
//            the f32 semantics require (the best an exact wasm-to-JS compiler could emit)
//   js-f64   the same without Math.fround: double arithmetic, as polywasm runs f32 (wrong results)
// All exact versions must agree on the escape-count total; js-f64 is shown with its own total.
//
// Usage: node bench/f32-floor.mjs [ROUNDS] [SIZE]. Applies tuneV8. TSWASM_DIST points at another build output.

import { distUrl } from './find-harness.mjs';

const { parseWat } = await import(distUrl('src/text/index.js'));
const { Engine, Store, Module, Instance } = await import(distUrl('src/api/index.js'));
const { tuneV8 } = await import(distUrl('src/node/index.js'));

tuneV8();
const args = process.argv.slice(2).map(Number);
const rounds = args[0] || 7;
const size = args[1] || 300;
const MAX_ITER = 256;

// The C source (../shared/bench/kernels/src/f32.c, mandel_f32) written out as wasm.
const wat = `(module
  (func (export "mandel") (param $size i32) (result i32)
    (local $py i32) (local $px i32) (local $it i32) (local $total i32)
    (local $fs f32) (local $ci f32) (local $cr f32) (local $zr f32) (local $zi f32) (local $t f32)
    (local.set $fs (f32.convert_i32_s (local.get $size)))
    (block $ydone (loop $y
      (br_if $ydone (i32.ge_s (local.get $py) (local.get $size)))
      (local.set $ci (f32.add (f32.div (f32.mul (f32.const 2.5) (f32.convert_i32_s (local.get $py))) (local.get $fs)) (f32.const -1.25)))
      (local.set $px (i32.const 0))
      (block $xdone (loop $x
        (br_if $xdone (i32.ge_s (local.get $px) (local.get $size)))
        (local.set $cr (f32.add (f32.div (f32.mul (f32.const 2.5) (f32.convert_i32_s (local.get $px))) (local.get $fs)) (f32.const -2)))
        (local.set $zr (f32.const 0)) (local.set $zi (f32.const 0)) (local.set $it (i32.const 0))
        (block $done (loop $iter
          (br_if $done (i32.ge_s (local.get $it) (i32.const ${MAX_ITER})))
          (br_if $done (i32.eqz (f32.lt (f32.add (f32.mul (local.get $zr) (local.get $zr)) (f32.mul (local.get $zi) (local.get $zi))) (f32.const 4))))
          (local.set $t (f32.add (f32.sub (f32.mul (local.get $zr) (local.get $zr)) (f32.mul (local.get $zi) (local.get $zi))) (local.get $cr)))
          (local.set $zi (f32.add (f32.mul (f32.mul (f32.const 2) (local.get $zr)) (local.get $zi)) (local.get $ci)))
          (local.set $zr (local.get $t))
          (local.set $it (i32.add (local.get $it) (i32.const 1)))
          (br $iter)))
        (local.set $total (i32.add (local.get $total) (local.get $it)))
        (local.set $px (i32.add (local.get $px) (i32.const 1)))
        (br $x)))
      (local.set $py (i32.add (local.get $py) (i32.const 1)))
      (br $y)))
    (local.get $total)))`;

const f = Math.fround;
function jsExact(n) {
  const fs = f(n);
  let total = 0;
  for (let py = 0; py < n; py++) {
    const ci = f(f(f(2.5 * f(py)) / fs) + -1.25);
    for (let px = 0; px < n; px++) {
      const cr = f(f(f(2.5 * f(px)) / fs) + -2);
      let zr = 0, zi = 0, it = 0;
      while (it < MAX_ITER && f(f(zr * zr) + f(zi * zi)) < 4) {
        const t = f(f(f(zr * zr) - f(zi * zi)) + cr);
        zi = f(f(f(2 * zr) * zi) + ci);
        zr = t;
        it++;
      }
      total = (total + it) | 0;
    }
  }
  return total;
}

function jsF64(n) {
  let total = 0;
  for (let py = 0; py < n; py++) {
    const ci = (2.5 * py) / n + -1.25;
    for (let px = 0; px < n; px++) {
      const cr = (2.5 * px) / n + -2;
      let zr = 0, zi = 0, it = 0;
      while (it < MAX_ITER && zr * zr + zi * zi < 4) {
        const t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        it++;
      }
      total = (total + it) | 0;
    }
  }
  return total;
}

const bytes = parseWat(wat);
const native = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.mandel;
const engine = new Engine();
const store = new Store(engine);
const ours = new Instance(store, new Module(engine, bytes), []).getTypedFunc(store, 'mandel');
const lanes = [
  ['native', () => native(size)],
  ['tswasm', () => ours.call(store, size)],
  ['js-exact', () => jsExact(size)],
  ['js-f64', () => jsF64(size)],
].map(([name, run]) => ({ name, run, times: [], result: run() }));

const exact = lanes[0].result;
for (const lane of lanes.slice(0, 3)) {
  if (lane.result !== exact) throw new Error(`${lane.name} returned ${lane.result}, native ${exact}`);
}
for (let r = 0; r < rounds; r++) {
  for (const lane of lanes) {
    const t = performance.now();
    lane.run();
    lane.times.push(performance.now() - t);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = median(lanes[0].times);
console.log(`Mandelbrot ${size}x${size}, ${MAX_ITER} iterations, f32; medians of ${rounds} interleaved rounds`);
for (const lane of lanes) {
  const ms = median(lane.times);
  const note = lane.result === exact ? 'same total as native' : `total ${lane.result}, native ${exact}: wrong`;
  console.log(`${lane.name.padEnd(9)} ${ms.toFixed(1).padStart(8)} ms ${(ms / base).toFixed(2).padStart(6)}x  ${note}`);
}
