#!/usr/bin/env node
// The cost of crossing the JS <-> wasm boundary through tswasm's WebAssembly namespace, beside Node's:
// ns per call of an Exported Function from JS and of a host function from wasm, by signature.
//
//   node bench/boundary.mjs [--calls N]     (build first: npm run build; TSWASM_DIST=... for another build)

import { join } from 'node:path';
import { distUrl } from './find-harness.mjs';

const callsAt = process.argv.indexOf('--calls');
const CALLS = callsAt >= 0 ? Number(process.argv[callsAt + 1]) : 2_000_000;
const { createWebAssembly } = await import(distUrl('src/jsapi/index.js'));
const { parseWat } = await import(distUrl('src/text/index.js'));

const SOURCE = `(module
  (import "h" "i" (func $hi (param i32) (result i32)))
  (import "h" "v" (func $hv (param i32)))
  (import "h" "l" (func $hl (param i64) (result i64)))
  (import "h" "d" (func $hd (param f64 f64) (result f64)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "mulf") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
  (func (export "pair") (param i32) (result i32 f64) (local.get 0) (f64.const 0.5))
  (func (export "nop"))
  ${['i', 'v', 'l', 'd'].map((k) => `(func (export "loop_${k}") (param $n i32) (local $i i32)
    (loop $l
      ${{ i: '(drop (call $hi (local.get $i)))', v: '(call $hv (local.get $i))', l: '(drop (call $hl (i64.extend_i32_u (local.get $i))))', d: '(drop (call $hd (f64.const 1) (f64.const 2)))' }[k]}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))`).join('\n  ')})`;

const IMPORTS = { h: { i: (x) => x + 1, v: () => {}, l: (x) => x, d: (a, b) => a + b } };

function run(W) {
  const { exports: e } = new W.Instance(new W.Module(parseWat(SOURCE)), IMPORTS);
  const time = (f) => {
    f(CALLS / 10);
    const t0 = performance.now();
    f(CALLS);
    return ((performance.now() - t0) * 1e6) / CALLS;
  };
  return {
    'JS -> wasm (i32, i32) -> i32': time((n) => { let s = 0; for (let i = 0; i < n; i++) s = e.add(s, i); return s; }),
    'JS -> wasm () -> ()': time((n) => { for (let i = 0; i < n; i++) e.nop(); }),
    'JS -> wasm (i64, i64) -> i64': time((n) => { let s = 0n; for (let i = 0; i < n; i++) s = e.add64(s, 3n); return s; }),
    'JS -> wasm (f64, f64) -> f64': time((n) => { let s = 1; for (let i = 0; i < n; i++) s = e.mulf(s, 1.0000001); return s; }),
    'JS -> wasm (i32) -> (i32, f64)': time((n) => { let s = 0; for (let i = 0; i < n; i++) s += e.pair(i)[0]; return s; }),
    'wasm -> JS (i32) -> i32': time((n) => e.loop_i(n)),
    'wasm -> JS (i32) -> () [Go imports]': time((n) => e.loop_v(n)),
    'wasm -> JS (i64) -> i64': time((n) => e.loop_l(n)),
    'wasm -> JS (f64, f64) -> f64': time((n) => e.loop_d(n)),
  };
}

const native = run(globalThis.WebAssembly);
const ours = run(createWebAssembly());
console.log(`ns per call (${CALLS} calls each)`.padEnd(40), 'native'.padStart(8), 'tswasm'.padStart(8), '  ratio');
for (const k of Object.keys(native)) {
  console.log(k.padEnd(40), native[k].toFixed(1).padStart(8), ours[k].toFixed(1).padStart(8), `  ${(ours[k] / native[k]).toFixed(1)}x`);
}
