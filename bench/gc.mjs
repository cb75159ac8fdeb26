#!/usr/bin/env node
// What Wasm GC costs in tswasm's generated code: allocation, struct fields, array elements, casts
// and i31, as ns per operation. Where the host's own WebAssembly runs standard Wasm GC (Node 22 and
// later) the same module runs natively too, interleaved, and each case gets its ratio to native;
// Node 20's cannot (its --experimental-wasm-gc reads a pre-standard encoding), so there tswasm runs alone.
//
//   node bench/gc.mjs [--rounds R]   (build first: npm run build; TSWASM_DIST=... for another build)

import { distUrl } from './find-harness.mjs';

const arg = (name, dflt) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : dflt;
};
const ROUNDS = arg('--rounds', 7);
const { createWebAssembly } = await import(distUrl('src/jsapi/index.js'));
const { parseWat } = await import(distUrl('src/text/index.js'));

const SOURCE = `(module
  (type $node (struct (field $v i32) (field $next (ref null $node))))
  (type $tree (struct (field $l (ref null $tree)) (field $r (ref null $tree))))
  (type $body (struct (field $x (mut f64)) (field $vx (mut f64))))
  (type $bodies (array (mut (ref null $body))))
  (type $ints (array (mut i32)))
  (type $shape (sub (struct (field $k i32))))
  (type $circle (sub $shape (struct (field $k i32) (field $r f64))))
  (type $square (sub $shape (struct (field $k i32) (field $s f64))))
  (type $ring (sub $circle (struct (field $k i32) (field $r f64) (field $w f64))))
  (type $things (array (mut anyref)))

  ;; n struct.new + n struct.get pairs
  (func (export "list") (param $n i32) (result i32) (local $l (ref null $node)) (local $i i32) (local $s i32)
    (loop $a
      (local.set $l (struct.new $node (local.get $i) (local.get $l)))
      (br_if $a (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (loop $b
      (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
      (local.set $l (struct.get $node $next (local.get $l)))
      (br_if $b (i32.eqz (ref.is_null (local.get $l)))))
    (local.get $s))

  (func $make (param $d i32) (result (ref $tree))
    (if (result (ref $tree)) (local.get $d)
      (then (struct.new $tree (call $make (i32.sub (local.get $d) (i32.const 1))) (call $make (i32.sub (local.get $d) (i32.const 1)))))
      (else (struct.new $tree (ref.null $tree) (ref.null $tree)))))
  (func $check (param $t (ref null $tree)) (result i32)
    (if (result i32) (ref.is_null (struct.get $tree $l (local.get $t)))
      (then (i32.const 1))
      (else (i32.add (i32.const 1) (i32.add (call $check (struct.get $tree $l (local.get $t))) (call $check (struct.get $tree $r (local.get $t))))))))
  ;; one tree of depth d: 2^(d+1) - 1 allocations and as many visits
  (func (export "trees") (param $d i32) (result i32) (call $check (call $make (local.get $d))))

  (func (export "makeBodies") (param $n i32) (result (ref $bodies)) (local $a (ref $bodies)) (local $i i32)
    (local.set $a (array.new_default $bodies (local.get $n)))
    (loop $l
      (array.set $bodies (local.get $a) (local.get $i) (struct.new $body (f64.convert_i32_s (local.get $i)) (f64.const 0.5)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $a))
  ;; per step and body: 2 f64 field reads, 1 write, 1 array.get
  (func (export "move") (param $a (ref $bodies)) (param $steps i32) (result f64) (local $i i32) (local $b (ref null $body)) (local $s i32)
    (loop $t
      (local.set $i (i32.const 0))
      (loop $l
        (local.set $b (array.get $bodies (local.get $a) (local.get $i)))
        (struct.set $body $x (local.get $b) (f64.add (struct.get $body $x (local.get $b)) (struct.get $body $vx (local.get $b))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (array.len (local.get $a)))))
      (br_if $t (i32.lt_u (local.tee $s (i32.add (local.get $s) (i32.const 1))) (local.get $steps))))
    (struct.get $body $x (array.get $bodies (local.get $a) (i32.const 0))))

  ;; per iteration: one array.get and one array.set, both bounds-checked
  (func (export "ints") (param $n i32) (param $reps i32) (result i32) (local $a (ref $ints)) (local $i i32) (local $r i32) (local $s i32)
    (local.set $a (array.new_default $ints (local.get $n)))
    (loop $t
      (local.set $i (i32.const 1))
      (loop $l
        (array.set $ints (local.get $a) (local.get $i)
          (i32.add (array.get $ints (local.get $a) (i32.sub (local.get $i) (i32.const 1))) (local.get $i)))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (br_if $t (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $reps))))
    (array.get $ints (local.get $a) (i32.sub (local.get $n) (i32.const 1))))

  (func (export "makeThings") (param $n i32) (result (ref $things)) (local $a (ref $things)) (local $i i32)
    (local.set $a (array.new_default $things (local.get $n)))
    (loop $l
      (array.set $things (local.get $a) (local.get $i)
        (if (result anyref) (i32.eqz (i32.rem_u (local.get $i) (i32.const 3)))
          (then (struct.new $circle (i32.const 1) (f64.const 2)))
          (else (if (result anyref) (i32.eq (i32.rem_u (local.get $i) (i32.const 3)) (i32.const 1))
            (then (struct.new $ring (i32.const 2) (f64.const 2) (f64.const 1)))
            (else (struct.new $square (i32.const 3) (f64.const 3)))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $a))
  ;; per element: a ref.test of (ref $circle) on an anyref, and a ref.cast to (ref $shape)
  (func (export "casts") (param $a (ref $things)) (result i32) (local $i i32) (local $s i32) (local $x anyref)
    (loop $l
      (local.set $x (array.get $things (local.get $a) (local.get $i)))
      (local.set $s (i32.add (local.get $s)
        (i32.add (ref.test (ref $circle) (local.get $x)) (struct.get $shape $k (ref.cast (ref $shape) (local.get $x))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (array.len (local.get $a)))))
    (local.get $s))

  ;; per iteration: ref.i31 and i31.get_s
  (func (export "i31") (param $n i32) (result i32) (local $i i32) (local $s i32) (local $r (ref null i31))
    (loop $l
      (local.set $r (ref.i31 (i32.add (local.get $i) (local.get $s))))
      (local.set $s (i32.and (i31.get_s (local.get $r)) (i32.const 0xffff)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s)))`;

const bytes = parseWat(SOURCE);
const host = globalThis.WebAssembly;
const sides = [['tswasm', createWebAssembly()]];
if (host.validate(bytes)) sides.push(['native', host]);

function cases(W) {
  const e = new W.Instance(new W.Module(bytes)).exports;
  const bodies = e.makeBodies(1000);
  const things = e.makeThings(30_000);
  return [
    ['struct.new + struct.get (list of 1M)', () => e.list(1_000_000), 2_000_000],
    ['binary tree depth 18: new + visit', () => e.trees(18), 2 * (2 ** 19 - 1)],
    ['f64 fields: 2 get + 1 set (1000 x 1000)', () => e.move(bodies, 1000), 1_000_000],
    ['i32 array: get + set (10k x 100)', () => e.ints(10_000, 100), 1_000_000],
    ['ref.test + ref.cast on anyref (30k x 1)', () => e.casts(things), 30_000],
    ['ref.i31 + i31.get_s', () => e.i31(5_000_000), 5_000_000],
  ];
}
const runs = sides.map(([, W]) => cases(W));
const CASES = runs[0];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

for (const list of runs) for (const [, run] of list) run();
// Each result must be the same on both sides, or the comparison means nothing.
CASES.forEach(([what], i) => {
  const results = runs.map((list) => String(list[i][1]()));
  if (results.some((r) => r !== results[0])) throw new Error(`${what}: ${sides.map(([name], s) => `${name} ${results[s]}`).join(', ')}`);
});
const samples = runs.map(() => CASES.map(() => []));
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < CASES.length; k++) {
    const i = r % 2 === 0 ? k : CASES.length - 1 - k;
    for (let s = 0; s < runs.length; s++) {
      const side = (r + k) % 2 === 0 ? s : runs.length - 1 - s;
      const [, run, ops] = runs[side][i];
      const t0 = performance.now();
      run();
      samples[side][i].push(((performance.now() - t0) * 1e6) / ops);
    }
  }
}
const medians = samples.map((side) => side.map(median));
const header = sides.map(([name]) => name.padStart(8)).join(' ') + (sides.length > 1 ? '   ratio' : '');
console.log(`GC kernels on Node ${process.versions.node}, ns per operation (median of ${ROUNDS} rounds)${sides.length > 1 ? '' : '; this Node\'s WebAssembly has no standard GC'}`);
console.log(`  ${''.padEnd(44)} ${header}`);
CASES.forEach(([what], i) => {
  const cols = medians.map((m) => m[i].toFixed(2).padStart(8)).join(' ');
  const ratio = sides.length > 1 ? `  ${(medians[0][i] / medians[1][i]).toFixed(2).padStart(5)}x` : '';
  console.log(`  ${what.padEnd(44)} ${cols}${ratio}`);
});
