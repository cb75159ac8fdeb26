// Live ranges of v128 locals that float arithmetic (with splats, constants and loads) writes keep
// their lanes as f32 carriers or doubles (simd-locals.ts, simd-webs.ts), so an accumulator is not
// converted to words and back on every iteration. Checked against native WebAssembly: accumulator
// loops read back as floats, as words, as bytes and through memory; one local holding float and
// integer vectors in turn; a range joined at an if from a sum and a load of a signalling NaN, read
// as f32 lanes (the NaN's bits kept) or as words; a parameter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Module } from '../../src/index.js';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { parseWat } from '../../src/text/index.js';
import { xorshift32 } from '../helpers/xorshift.js';
import { withoutNaNBoxes } from '../helpers/nan-boxes.js';

const TS = createWebAssembly();
const NATIVE = (globalThis as unknown as { WebAssembly: typeof TS }).WebAssembly;

// Each function leaves its result at 512 (and 528) and returns an i32 derived from the local too.
const wat = `(module (memory (export "mem") 1)
  (func (export "acc32") (param $n i32) (result i32) (local $i i32) (local $acc v128)
    (loop $l
      (local.set $acc (f32x4.add (f32x4.mul (local.get $acc) (f32x4.splat (f32.const 0.75)))
        (v128.load (i32.and (i32.shl (local.get $i) (i32.const 4)) (i32.const 255)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (v128.store (i32.const 512) (local.get $acc))
    (i32.add (i32x4.extract_lane 1 (local.get $acc)) (i8x16.extract_lane_u 13 (local.get $acc))))
  (func (export "acc64") (param $n i32) (result i32) (local $i i32) (local $acc v128) (local $t v128)
    (loop $l
      (local.set $t (f64x2.mul (v128.load (i32.and (i32.shl (local.get $i) (i32.const 4)) (i32.const 255))) (f64x2.splat (f64.const 0.5))))
      (local.set $acc (f64x2.add (local.get $acc) (local.get $t)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (v128.store (i32.const 512) (v128.xor (local.get $acc) (local.get $t)))
    (i32x4.extract_lane 3 (local.get $acc)))
  (func (export "tee") (result i32) (local $a v128)
    (v128.store (i32.const 512) (i32x4.add (local.tee $a (f32x4.sqrt (f32x4.abs (v128.load (i32.const 0))))) (local.get $a)))
    (f32x4.extract_lane 2 (local.get $a)) (i32.trunc_sat_f32_s))
  (func (export "swap") (result i32) (local $a v128)
    (local.set $a (f32x4.min (v128.load (i32.const 0)) (v128.load (i32.const 16))))
    (local.set $a (f32x4.add (i8x16.shuffle 12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3 (local.get $a) (local.get $a)) (local.get $a)))
    (v128.store (i32.const 512) (local.get $a))
    (i32.const 0))
  (func (export "mixed_load") (result i32) (local $a v128)
    (local.set $a (f32x4.add (v128.load (i32.const 0)) (v128.load (i32.const 0))))
    (local.set $a (v128.load (i32.const 32)))
    (v128.store (i32.const 512) (local.get $a))
    (i32x4.extract_lane 0 (local.get $a)))
  (func (export "mixed_int") (result i32) (local $a v128)
    (local.set $a (f32x4.mul (v128.load (i32.const 0)) (v128.load (i32.const 16))))
    (local.set $a (i32x4.add (local.get $a) (v128.load (i32.const 32))))
    (v128.store (i32.const 512) (local.get $a))
    (i32x4.extract_lane 2 (local.get $a)))
  (func (export "mixed_shapes") (result i32) (local $a v128)
    (local.set $a (f64x2.add (v128.load (i32.const 0)) (v128.load (i32.const 16))))
    (v128.store (i32.const 528) (local.get $a))
    (local.set $a (f32x4.add (v128.load (i32.const 0)) (v128.load (i32.const 16))))
    (v128.store (i32.const 512) (local.get $a))
    (i32x4.extract_lane 1 (local.get $a)))
  (func (export "merge_nan") (param $c i32) (result i32) (local $a v128)
    (if (local.get $c)
      (then (local.set $a (f32x4.add (v128.load (i32.const 0)) (v128.load (i32.const 16)))))
      (else (local.set $a (v128.load (i32.const 32)))))
    (f32.store (i32.const 512) (f32x4.extract_lane 0 (local.get $a)))
    (f32.store (i32.const 516) (f32x4.extract_lane 1 (local.get $a)))
    (f32.store (i32.const 520) (f32x4.extract_lane 2 (local.get $a)))
    (f32.store (i32.const 524) (f32x4.extract_lane 3 (local.get $a)))
    (i32.const 0))
  (func (export "merge_words") (param $c i32) (result i32) (local $a v128)
    (if (local.get $c)
      (then (local.set $a (f32x4.mul (v128.load (i32.const 0)) (v128.load (i32.const 16)))))
      (else (local.set $a (v128.load (i32.const 32)))))
    (v128.store (i32.const 512) (local.get $a))
    (i32x4.extract_lane 0 (local.get $a)))
  (func $keep (param $p v128) (result v128) (local.set $p (f32x4.add (local.get $p) (local.get $p))) (local.get $p))
  (func (export "param") (result i32)
    (v128.store (i32.const 512) (call $keep (v128.load (i32.const 32))))
    (i32.const 0)))`;

const SNAN = 0x7fa00001; // an f32 signalling NaN with a payload
const QNAN = 0x7fc12345;

function fill(mem: ArrayBuffer, seed: number, nans: boolean): void {
  const w = new Int32Array(mem, 0, 64);
  const f = new Float32Array(mem, 0, 64);
  const next = xorshift32(seed);
  for (let i = 0; i < 64; i++) f[i] = ((next() >>> 0) / 2 ** 32 - 0.5) * 200;
  // Words 8-11 (bytes 32-47) are raw bits; with nans, a signalling and a quiet NaN among them.
  for (let i = 8; i < 12; i++) w[i] = next() | 0;
  if (nans) {
    w[8] = SNAN;
    w[10] = QNAN;
  }
}

function run(api: typeof TS, name: string, seed: number, nans: boolean, arg?: number) {
  const { exports } = new api.Instance(new api.Module(parseWat(wat)), {}) as { exports: any };
  fill(exports.mem.buffer, seed, nans);
  const result = arg === undefined ? exports[name]() : exports[name](arg);
  return { result, bytes: [...new Uint8Array(exports.mem.buffer, 512, 32)] };
}

test('v128 locals with float live ranges give native WebAssembly\'s results, bits and bytes', () => {
  const cases: [string, number | undefined][] = [['acc32', 1], ['acc32', 37], ['acc32', 500], ['acc64', 3], ['acc64', 300],
    ['tee', undefined], ['swap', undefined], ['mixed_load', undefined], ['mixed_int', undefined], ['mixed_shapes', undefined],
    ['merge_nan', 0], ['merge_nan', 1], ['merge_words', 0], ['merge_words', 1], ['param', undefined]];
  for (const [name, arg] of cases) {
    for (const seed of [1, 2, 3]) {
      for (const nans of [false, true]) {
        // Arithmetic on a NaN may give any quiet NaN: those cases compare only where no NaN flows into arithmetic.
        if (nans && name !== 'mixed_load' && !(name.startsWith('merge') && arg === 0)) continue;
        assert.deepEqual(run(TS, name, seed, nans, arg), run(NATIVE, name, seed, nans, arg), `${name}(${arg}) seed ${seed} nans ${nans}`);
      }
    }
  }
});

/**
 * The code V8 gets without NaNBoxes, whichever engine runs the test: float live ranges are off where
 * NaNs are boxed (V8 from 14.2 boxes them by default). Only compiled, never run.
 */
function unboxedSource(text: string): string {
  return withoutNaNBoxes(() => new Module(new Engine({ compilation: 'eager' }), parseWat(text)).source());
}

test('live ranges are kept as float lanes where their writes and reads allow, as words otherwise', () => {
  const source = unboxedSource(wat);
  const body = (index: number) => {
    const from = source.indexOf(`\nfunction $f${index}(`);
    return source.slice(from, source.indexOf('\n}', from));
  };
  // acc32: the accumulator's lanes are f32 carriers, never converted to words in the loop.
  const loop = body(0).slice(body(0).indexOf('L0:'), body(0).indexOf('break L0'));
  assert.doesNotMatch(loop, /SI32\[0\] =/, 'acc32 reads and writes its f32 lanes directly');
  assert.match(loop, /l2w\d+_3 = /);
  // acc64: two doubles.
  assert.match(body(1), /l2w\d+_1 = 0/);
  assert.doesNotMatch(body(1), /l2w\d+_2/);
  // merge_nan: the sum and the load join in one range of f32 lanes (its reads all want them).
  assert.match(body(7), /l1w\d+_0 = /);
  // merge_words: the same range read as words stays in words.
  assert.doesNotMatch(body(8), /l1w\d+_/);
  assert.match(body(8), /l1_3 = /);
});

// Random bodies: three v128 locals shared by float vectors and (after the loop) integer ones, a
// loop with an if that joins a float result with a load, splats, constants, stores of the locals
// as words and their lanes as floats. Float operations see only finite values (no NaN arithmetic,
// whose result bits are the engine's choice), so every byte must match native WebAssembly.
function randomModule(seed: number, shape: 'f32x4' | 'f64x2'): string {
  const next = xorshift32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[(next() >>> 0) % xs.length]!;
  const L = ['$a', '$b', '$c'];
  const base = shape === 'f32x4' ? 0 : 256;
  const load = () => `(v128.load offset=${base + 16 * ((next() >>> 0) % 15)} (i32.const 0))`;
  const scalar = shape === 'f32x4' ? 'f32' : 'f64';
  const floatExpr = (): string => {
    const x = `(local.get ${pick(L)})`;
    switch ((next() >>> 0) % 7) {
      case 0: return `(${shape}.add ${x} ${load()})`;
      case 1: return `(${shape}.sub ${x} (local.get ${pick(L)}))`;
      case 2: return `(${shape}.mul ${x} (${shape}.splat (${scalar}.const 0.5)))`;
      case 3: return `(${shape}.min ${x} ${load()})`;
      case 4: return `(${shape}.max ${x} (local.get ${pick(L)}))`;
      case 5: return `(${shape}.sqrt (${shape}.abs ${x}))`;
      default: return `(${shape}.add (${shape}.splat (${scalar}.load offset=${base + 8 * ((next() >>> 0) % 30)} (i32.const 0))) ${x})`;
    }
  };
  const stmt = (): string => {
    const to = pick(L);
    switch ((next() >>> 0) % 6) {
      case 0: return `(local.set ${to} ${load()})`;
      case 1: return `(local.set ${to} (v128.const ${shape} ${shape === 'f32x4' ? '1.5 -2 0.25 8' : '1.5 -0.125'}))`;
      case 2: return `(if (i32.and (local.get $i) (i32.const 1)) (then (local.set ${to} ${floatExpr()})) (else (local.set ${to} ${load()})))`;
      case 3: return `(v128.store offset=${512 + 16 * ((next() >>> 0) % 8)} (i32.const 0) (local.get ${pick(L)}))`;
      default: return `(local.set ${to} ${floatExpr()})`;
    }
  };
  const body = Array.from({ length: 10 }, stmt).join('\n      ');
  const ints = L.map((l) => `(local.set ${l} (i32x4.add (local.get ${l}) ${load()})) (local.set ${l} (i8x16.sub_sat_u (local.get ${l}) ${load()}))`).join(' ');
  const lanes = L.map((l, k) => (shape === 'f32x4' ? [0, 1, 2, 3] : [0, 1]).map((j) =>
    `(${scalar}.store offset=${640 + 32 * k + (shape === 'f32x4' ? 4 : 8) * j} (i32.const 0) (${shape}.extract_lane ${j} (local.get ${l})))`).join(' ')).join('\n    ');
  return `(module (memory (export "mem") 1)
  (func (export "run") (local $i i32) (local $a v128) (local $b v128) (local $c v128)
    (local.set $a ${load()}) (local.set $b ${load()})
    (loop $l
      ${body}
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 7))))
    ${lanes}
    ${ints}
    (v128.store offset=768 (i32.const 0) (local.get $a)) (v128.store offset=784 (i32.const 0) (local.get $b)) (v128.store offset=800 (i32.const 0) (local.get $c))))`;
}

function runRandom(api: typeof TS, text: string): number[] {
  const { exports } = new api.Instance(new api.Module(parseWat(text)), {}) as { exports: any };
  const f32 = new Float32Array(exports.mem.buffer, 0, 64);
  const f64 = new Float64Array(exports.mem.buffer, 256, 32);
  const next = xorshift32(7);
  for (let i = 0; i < 64; i++) f32[i] = ((next() >>> 0) / 2 ** 32 - 0.5) * 200;
  for (let i = 0; i < 32; i++) f64[i] = ((next() >>> 0) / 2 ** 32 - 0.5) * 200;
  exports.run();
  return [...new Uint8Array(exports.mem.buffer, 512, 304)];
}

test('random bodies sharing v128 locals between float and integer vectors give native WebAssembly\'s bytes', () => {
  let floatRanges = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const text = randomModule(seed, seed % 3 === 0 ? 'f64x2' : 'f32x4');
    if (/l\dw\d+_0 = 0/.test(unboxedSource(text))) floatRanges++;
    assert.deepEqual(runRandom(TS, text), runRandom(NATIVE, text), `seed ${seed}:\n${text}`);
  }
  assert.ok(floatRanges >= 30, `only ${floatRanges} of 60 bodies kept a range as float lanes`);
});
