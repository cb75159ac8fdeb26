// Very large dispatch loops compiled as several JS functions (compile/split.ts), checked against
// Node's own WebAssembly on the same binary. The generated function has Go's shape: a `loop` whose
// body opens a chain of empty blocks dispatched by `local.get $pc; br_table`, with cases that set
// $pc to constants and branch back to the loop. Its cases use i32, i64, f32, f64, externref and
// funcref locals across parts, call wasm, host and indirect functions (and itself), load and store
// memory, leave the loop, return from inside parts, trap, and jump forwards and backwards across
// parts; every case counts its transitions in memory, so the test also sees which paths ran.
// The generated source must show the parts (Config.debugSource), so nothing passes unsplit. Also:
// the same machine below the size threshold (whole), fuel against a twin that is refused the split
// (an unused v128 local), a wasm stack limit, and epoch interruption.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine, ExternRef, Func, I32, Instance, Module, Store, Trap, TrapCode, Val, funcType, type Config, type Val as ValT,
} from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';
import { decodeModule } from '../../src/binary/decoder.js';
import { SPLIT_MIN_BYTES } from '../../src/compile/split-choice.js';

// ------------------------------------------------------------------ the generated module

/** Chain blocks: cases 1..N-1 follow their ends (in parts when split), case N follows the chain. */
const N = 64;
/** The per-transition counters: u32 at TRACE + 4 * (prev * (N + 1) + k). */
const TRACE = 65536;

/** mulberry32: a small deterministic generator of u32s. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The host import every instance gets (deterministic, so native and tswasm agree). */
function hookImpl(x: number): number {
  return (Math.imul(x, 0x01000193) ^ (x >>> 7)) | 0;
}

interface GenOptions {
  /** Neutral filler instructions per case (they write only $s, which nothing reads): the size knob. */
  readonly filler: number;
  /** An unused v128 local: same code, but shouldSplit refuses the function (not every local is scalar). */
  readonly v128?: boolean;
}

/**
 * The module: `run(sel, x, e, depth) -> (i64 f64 f32 i32 externref)`. The machine itself comes from
 * a fixed seed, so every variant (any filler, with or without the v128 local) computes the same results.
 */
function dispatchWat(opts: GenOptions): string {
  const g = rng(0x5eed);
  const fill = rng(0xf111);
  const pick = (n: number) => g() % n;
  /** A data-dependent condition true with probability about p (on a rotation of $a). */
  const cond = (p: number) => `(i32.lt_u (i32.rotl (local.get $a) (i32.const ${pick(32)})) (i32.const ${Math.floor(p * 2 ** 32) | 0}))`;
  const budget = '(i32.gt_s (local.get $n) (i32.const 0))';
  const dec = '(local.set $n (i32.sub (local.get $n) (i32.const 1)))';
  /** Case j (1..N) is br_table index j - 1; N - 1 and beyond take the default (case N). */
  const setPc = (j: number) => `(local.set $pc (i32.const ${j - 1}))`;
  const results = (tag: number) =>
    `(i64.xor (local.get $b) (local.get $c)) (local.get $d) (local.get $f) ` +
    `(i32.or (i32.and (local.get $a) (i32.const 0xffffff)) (i32.const ${tag << 24})) (local.get $r)`;
  const forward = (k: number, span = 24) => k + 1 + pick(Math.min(span, N - k));
  let computedJumps = 0;

  /** State j through the loop (Go's `i32.const; local.set $pc; br $loop`), when cond holds and budget remains. */
  function viaLoop(j: number, c: string): string {
    switch (pick(3)) {
      case 0: return `(if (i32.and ${c} ${budget}) (then ${dec} ${setPc(j)} (br $L)))`;
      // br_if right after the constant set.
      case 1: return `(if ${c} (then ${setPc(j)} (br_if $L (i32.gt_s (local.tee $n (i32.sub (local.get $n) (i32.const 1))) (i32.const 0)))))`;
      // The constant is not followed through the inner block: the branch leaves through the loop.
      default: return `(if (i32.and ${c} ${budget}) (then ${dec} ${setPc(j)} (block (br $L))))`;
    }
  }

  const work: ((k: number) => string[])[] = [
    // i64 and i32 arithmetic, reading other locals.
    () => [`(local.set $c (i64.xor (i64.rotl (local.get $c) (i64.const ${1 + pick(63)})) (local.get $b)))`],
    () => [`(local.set $c (i64.rem_u (i64.add (local.get $c) (i64.const ${g()})) (i64.or (local.get $b) (i64.const 1))))`,
      `(local.set $c (i64.add (local.get $c) (i64.extend_i32_s (i32.popcnt (local.get $a)))))`],
    () => [`(local.set $a (select (i32.add (local.get $a) (i32.const ${g() | 0})) (i32.wrap_i64 (local.get $c)) (i64.gt_s (local.get $b) (local.get $c))))`],
    // f32 and f64 (kept finite: no NaN, no overflow), and back to integers.
    () => [`(local.set $f (f32.add (f32.mul (local.get $f) (f32.const 0.5)) (f32.convert_i32_s (i32.shr_s (local.get $a) (i32.const 12)))))`],
    () => [`(local.set $d (f64.add (f64.mul (local.get $d) (f64.const 0.5)) (f64.mul (f64.convert_i64_s (i64.shr_s (local.get $b) (i64.const 30))) (f64.const 0.001))))`],
    () => [`(local.set $a (i32.add (local.get $a) (i32.trunc_f64_s (f64.sqrt (f64.abs (local.get $d))))))`,
      `(local.set $a (i32.xor (local.get $a) (i32.trunc_f32_s (f32.nearest (local.get $f)))))`],
    () => [`(local.set $d (f64.add (local.get $d) (f64.promote_f32 (local.get $f))))`,
      `(local.set $f (f32.demote_f64 (f64.max (f64.min (local.get $d) (f64.const 1e6)) (f64.const -1e6))))`],
    // Memory: integers below 0x8000, f64 at 0x8000, f32 at 0xc000 (so float loads stay finite).
    () => [`(i32.store offset=${4 * pick(256)} (i32.and (local.get $a) (i32.const 0x3ffc)) (i32.xor (local.get $a) (i32.load offset=${4 * pick(256)} (i32.and (i32.wrap_i64 (local.get $b)) (i32.const 0x3ffc)))))`],
    () => [`(local.set $b (i64.add (local.get $b) (i64.load16_s offset=${2 * pick(512)} (i32.and (i32.shr_u (local.get $a) (i32.const 7)) (i32.const 0x3ffe)))))`,
      `(i64.store (i32.and (i32.shr_u (local.get $a) (i32.const 3)) (i32.const 0x3ff8)) (local.get $c))`],
    () => ['(i32.store8 (i32.and (local.get $a) (i32.const 0x3fff)) (i32.reinterpret_f32 (local.get $f)))',
      `(local.set $a (i32.add (local.get $a) (i32.load8_u offset=${pick(4096)} (i32.and (i32.shr_u (local.get $a) (i32.const 11)) (i32.const 0x3fff)))))`],
    () => [`(f64.store offset=0x8000 (i32.and (local.get $a) (i32.const 0x3ff8)) (local.get $d))`,
      `(local.set $d (f64.add (f64.mul (local.get $d) (f64.const 0.25)) (f64.load offset=0x8000 (i32.and (i32.shr_u (local.get $a) (i32.const 9)) (i32.const 0x3ff8)))))`],
    () => [`(f32.store offset=0xc000 (i32.and (local.get $a) (i32.const 0x3ffc)) (local.get $f))`,
      `(local.set $f (f32.add (f32.mul (local.get $f) (f32.const 0.5)) (f32.load offset=0xc000 (i32.and (i32.shr_u (local.get $a) (i32.const 13)) (i32.const 0x3ffc)))))`],
    // Calls: wasm, multi-value, host, and a global.
    () => [`(local.set $b (call $mix (local.get $b) (local.get $c)))`],
    () => ['local.get $d', 'local.get $f', 'call $fmix', 'local.set $f', 'local.set $d'],
    () => [`(local.set $a (i32.add (local.get $a) (call $hook (local.get $a))))`],
    () => [`(global.set $g (i32.add (global.get $g) (i32.shr_u (local.get $a) (i32.const 20))))`,
      `(local.set $a (i32.xor (local.get $a) (global.get $g)))`],
    // An inner loop, which may leave for a later case from inside.
    (k) => [`(local.set $i (i32.and (local.get $a) (i32.const 7)))`,
      `(block $ib (loop $il (br_if $ib (i32.eqz (local.get $i)))`
        + ` (local.set $b (i64.add (local.get $b) (i64.extend_i32_s (i32.mul (local.get $i) (local.get $a)))))`
        + (k < N - 1 ? ` (br_if $b${forward(k)} (i32.eq (local.get $i) (i32.const 6)))` : '')
        + ' (local.set $i (i32.sub (local.get $i) (i32.const 1))) (br $il)))'],
  ];

  const cases: string[][] = [];
  for (let k = 1; k <= N; k++) {
    const lines: string[] = [];
    // Count the transition prev -> k, then mix $a and $b so later conditions vary.
    lines.push(
      `(local.set $t (i32.shl (i32.add (i32.mul (local.get $prev) (i32.const ${N + 1})) (i32.const ${k})) (i32.const 2)))`,
      `(i32.store offset=${TRACE} (local.get $t) (i32.add (i32.load offset=${TRACE} (local.get $t)) (i32.const 1)))`,
      `(local.set $prev (i32.const ${k}))`,
      `(local.set $a (i32.add (i32.mul (local.get $a) (i32.const 0x2c9277b5)) (i32.add (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 32))) (i32.const ${k}))))`,
      `(local.set $b (i64.add (i64.mul (local.get $b) (i64.const 6364136223846793005)) (i64.extend_i32_u (local.get $a))))`,
    );
    lines.push(...work[pick(work.length)]!(k), ...work[pick(work.length)]!(k));
    // Reference locals, written in some cases and read in others (so in other parts).
    if (k % 9 === 4) {
      lines.push(`(local.set $fr (select (result funcref) (ref.func $mix) (ref.func $alt) ${cond(0.5)}))`,
        `(if ${cond(0.15)} (then (local.set $fr (ref.null func))))`);
    }
    if (k % 9 === 8) {
      lines.push(`(if (i32.eqz (ref.is_null (local.get $fr))) (then (table.set $tab (i32.const 1) (local.get $fr))`
        + ' (local.set $c (call_indirect $tab (type $bin) (local.get $c) (local.get $b) (i32.const 1)))))',
      '(local.set $a (i32.add (local.get $a) (ref.is_null (local.get $fr))))');
    }
    if (k % 10 === 3) lines.push(`(local.set $r (select (result externref) (local.get $e) (ref.null extern) ${cond(0.6)}))`);
    if (k % 10 === 6) lines.push('(local.set $r (call $pick (local.get $r) (local.get $a)))');
    if (k % 10 === 9) lines.push('(local.set $a (i32.add (i32.mul (local.get $a) (i32.const 3)) (ref.is_null (local.get $r))))');
    // Recursion from inside a part.
    if (k === 13 || k === 47) {
      lines.push(`(if (i32.and (i32.lt_s (local.get $depth) (i32.const 2)) ${cond(0.25)}) (then`
        + ' (call $run (i32.add (local.get $sel) (i32.const 7)) (local.get $c) (local.get $r) (i32.add (local.get $depth) (i32.const 1)))'
        + ' (local.set $r) (local.set $a (i32.xor (local.get $a))) (drop) (drop) (local.set $c (i64.add (local.get $c)))))');
    }
    // Traps in parts: forced by bits 30, 29 and 28 of $sel when the case is reached, and the
    // remainder by zero also when $c's low byte is 0.
    if (k === 20) lines.push(`(if (i32.and (i32.shr_u (local.get $sel) (i32.const 30)) ${cond(0.7)}) (then unreachable))`);
    if (k === 37) {
      lines.push(`(if (i32.and (i32.shr_u (local.get $sel) (i32.const 29)) ${cond(0.7)})`
        + ' (then (local.set $a (i32.add (local.get $a) (i32.load (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.and (local.get $a) (i32.const 3))))))))');
    }
    // Memory grows inside parts (up to 8 pages), and the last word of memory is read and written
    // in parts and in case N. The function itself touches memory only from case N on (nothing
    // before the chain does), so its views must still be re-read after every part call.
    if (k === 30 || k === 45) lines.push(`(if (i32.and ${cond(0.05)} (i32.lt_u (memory.size) (i32.const 8))) (then (drop (memory.grow (i32.const 1)))))`);
    if (k % 7 === 2 || k === N) {
      lines.push('(local.set $a (i32.add (local.get $a) (i32.load (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4)))))',
        '(i32.store (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4)) (local.get $a))');
    }
    if (k === 55) {
      lines.push('(local.set $a (i32.xor (local.get $a) (i32.rem_u (local.get $a) (select (i32.const 0)'
        + ' (i32.and (i32.wrap_i64 (local.get $c)) (i32.const 0xff)) (i32.and (i32.shr_u (local.get $sel) (i32.const 28)) (i32.const 1))))))');
    }
    for (let i = 0; i < opts.filler; i++) {
      lines.push(`(local.set $s (i32.add (i32.rotl (local.get $s) (i32.const 3)) (i32.const ${fill() | 0})))`);
    }

    if (k === N) {
      // After the chain, in the function itself: maybe return, else re-dispatch on a computed state.
      lines.push(`(if ${cond(0.03)} (then (return ${results(6)})))`);
      lines.push(`(if ${budget} (then ${dec} (local.set $pc (i32.rem_u (local.get $a) (i32.const ${N}))) (br $L)))`);
      cases.push(lines);
      break;
    }
    // Transitions: a direct forward branch, rare exits and returns, a constant state through the loop.
    if (pick(3) === 0) lines.push(`(br_if $b${forward(k, 30)} ${cond(0.3)})`);
    switch (pick(8)) {
      case 0: lines.push('(local.set $tag (i32.const 2))', `(br_if $exit ${cond(0.05)})`); break;
      case 1: lines.push(`(if ${cond(0.05)} (then (return ${results(3)})))`); break;
      // A branch to the function's label (a return by `br`): labels $b(k+1)..$bN, $L, $exit, then the if.
      case 2: lines.push(`(if ${cond(0.05)} (then ${results(4)} (br ${N - k + 3})))`); break;
    }
    lines.push(viaLoop(1 + pick(N), cond(0.35)));
    // How the case ends.
    const end = pick(10);
    if (end >= 4 && end < 7) {
      lines.push(viaLoop(1 + pick(N), '(i32.const 1)'));
    } else if (end === 7 && k + 8 <= N) {
      // A table over chain blocks only (constant state table, in-part or leave).
      const labels = Array.from({ length: 9 }, () => `$b${forward(k, 40)}`);
      lines.push(`(br_table ${labels.join(' ')} (i32.shr_u (local.get $a) (i32.const 29)))`);
    } else if (end === 8) {
      // A table mixing chain blocks, the loop and the exit.
      lines.push('(local.set $tag (i32.const 5))', dec,
        `(if ${budget} (then (br_table $b${k + 1} $L $exit $b${forward(k)} (i32.shr_u (local.get $a) (i32.const 30)))))`);
    } else if (end === 9 && computedJumps < 4) {
      computedJumps++;
      lines.push(`(if (i32.and ${cond(0.5)} ${budget}) (then ${dec} (local.set $pc (i32.rem_u (local.get $a) (i32.const ${N}))) (br $L)))`);
    }
    cases.push(lines);
  }

  const data = Array.from({ length: 1024 }, () => `\\${(g() & 0xff).toString(16).padStart(2, '0')}`).join('');
  const labels = Array.from({ length: N - 1 }, (_, i) => `$b${i + 1}`).join(' ');
  const body: string[] = [
    `(local.set $pc (i32.rem_u (local.get $sel) (i32.const ${N})))`,
    '(local.set $a (i32.xor (local.get $sel) (i32.const 0x9e3779b9)))',
    '(local.set $b (local.get $x))',
    '(local.set $c (i64.const 0x0123456789abcdef))',
    '(local.set $f (f32.const 1.5))',
    '(local.set $d (f64.convert_i32_s (i32.and (local.get $sel) (i32.const 0xfff))))',
    '(local.set $n (i32.add (i32.const 6) (i32.and (i32.shr_u (local.get $sel) (i32.const 8)) (i32.const 15))))',
    '(local.set $r (local.get $e))',
    'block $exit',
    'loop $L',
  ];
  for (let k = N; k >= 1; k--) body.push(`block $b${k}`);
  body.push('local.get $pc', `br_table ${labels} $b${N}`);
  for (let k = 1; k <= N; k++) {
    body.push(`end ;; case ${k}`);
    body.push(...cases[k - 1]!);
  }
  body.push('end', '(local.set $tag (i32.const 1))', 'end', results(0).replace('(i32.const 0)', '(i32.shl (local.get $tag) (i32.const 24))'));

  return `(module
  (import "env" "hook" (func $hook (param i32) (result i32)))
  (type $bin (func (param i64 i64) (result i64)))
  (memory (export "mem") 2)
  (table $tab 2 funcref)
  (global $g (export "g") (mut i32) (i32.const 0))
  (data (i32.const 0) "${data}")
  (elem declare func $mix $alt)
  (func $mix (type $bin) (i64.add (i64.mul (local.get 0) (i64.const 0x5851f42d4c957f2d)) (i64.rotl (local.get 1) (i64.const 17))))
  (func $alt (type $bin) (i64.xor (i64.sub (local.get 0) (local.get 1)) (i64.shr_u (local.get 0) (i64.const 29))))
  (func $fmix (param f64 f32) (result f64 f32)
    (f64.add (f64.mul (local.get 0) (f64.const 0.75)) (f64.promote_f32 (local.get 1)))
    (f32.mul (local.get 1) (f32.const -0.5)))
  (func $pick (param externref i32) (result externref)
    (select (result externref) (local.get 0) (ref.null extern) (i32.and (local.get 1) (i32.const 4))))
  (func $run (export "run") (param $sel i32) (param $x i64) (param $e externref) (param $depth i32)
    (result i64 f64 f32 i32 externref)
    (local $pc i32) (local $a i32) (local $b i64) (local $c i64) (local $f f32) (local $d f64)
    (local $r externref) (local $fr funcref) (local $n i32) (local $i i32) (local $t i32) (local $prev i32)
    (local $tag i32) (local $s i32)${opts.v128 ? ' (local $v v128)' : ''}
    ${body.join('\n    ')}))`;
}

/** The body size of `run` (the last function) in bytes. */
function runBodySize(bytes: Uint8Array): number {
  const m = decodeModule(bytes);
  const code = m.codes[m.codes.length - 1]!.code;
  return code.end - code.start;
}

const BIG = parseWat(dispatchWat({ filler: 24 }));
const SMALL = parseWat(dispatchWat({ filler: 0 }));
const BIG_WHOLE = parseWat(dispatchWat({ filler: 24, v128: true }));

// ------------------------------------------------------------------ running it both ways

/** What a call did, comparable across the two runtimes. */
type Outcome =
  | { readonly b: bigint; readonly d: bigint; readonly f: number; readonly i: number; readonly r: string | null }
  | { readonly trap: TrapCode };

interface Input { readonly sel: number; readonly x: bigint; readonly ref: { id: string } | null }

const HOSTS = [{ id: 'A' }, { id: 'B' }, { id: 'C' }];

function inputs(count: number, seed: number): Input[] {
  const r = rng(seed);
  const out: Input[] = [];
  for (let i = 0; i < count; i++) {
    let sel = r() & 0x0fffffff;
    for (const bit of [30, 29, 28]) if (r() % 10 === 0) sel |= 1 << bit;
    const x = BigInt.asIntN(64, (BigInt(r()) << 32n) | BigInt(r()));
    const h = r() % 4;
    out.push({ sel, x, ref: h < 3 ? HOSTS[h]! : null });
  }
  return out;
}

const f64View = new DataView(new ArrayBuffer(8));
function f64Bits(v: number): bigint {
  f64View.setFloat64(0, v, true);
  return f64View.getBigUint64(0, true);
}
function f32Bits(v: number): number {
  f64View.setFloat32(0, v, true);
  return f64View.getUint32(0, true);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const W: any = (globalThis as any).WebAssembly;

class Native {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly exports: any;
  constructor(bytes: Uint8Array) {
    this.exports = new W.Instance(new W.Module(bytes), { env: { hook: hookImpl } }).exports;
  }
  run(input: Input): Outcome {
    try {
      const [b, d, f, i, r] = this.exports.run(input.sel, input.x, input.ref, 0) as [bigint, number, number, number, { id: string } | null];
      return { b: BigInt.asIntN(64, b), d: f64Bits(d), f: f32Bits(f), i: i | 0, r: r === null ? null : r.id };
    } catch (e) {
      assert.ok(e instanceof W.RuntimeError, `native threw ${String(e)}`);
      const m = (e as Error).message;
      if (/by zero/.test(m)) return { trap: TrapCode.IntegerDivisionByZero };
      if (/memory access out of bounds/.test(m)) return { trap: TrapCode.MemoryOutOfBounds };
      if (/unreachable/.test(m)) return { trap: TrapCode.UnreachableCodeReached };
      assert.fail(`unexpected native trap: ${m}`);
    }
  }
  memory(): Uint8Array {
    return new Uint8Array(this.exports.mem.buffer);
  }
  global(): number {
    return this.exports.g.value as number;
  }
}

class Ours {
  readonly engine: Engine;
  readonly store: Store;
  readonly instance: Instance;
  readonly sources: string[] = [];
  constructor(bytes: Uint8Array, config: Config = {}, hook: (x: number) => number = hookImpl) {
    this.engine = new Engine({ ...config, debugSource: (_name, source) => this.sources.push(source) });
    this.store = new Store(this.engine);
    const module = new Module(this.engine, bytes);
    const host = Func.wrap(this.store, funcType([I32], [I32]), hook);
    this.instance = new Instance(this.store, module, [host]);
  }
  run(input: Input): Outcome {
    const run = this.instance.getFunc(this.store, 'run')!;
    const ref = input.ref === null ? null : ExternRef.new(this.store, input.ref);
    try {
      const [b, d, f, i, r] = run.call(this.store, [Val.i32(input.sel), Val.i64(input.x), Val.externref(ref), Val.i32(0)]) as
        [ValT & { value: bigint }, ValT & { value: bigint }, ValT & { value: number }, ValT & { value: number }, ValT & { value: ExternRef | null }];
      const host = r.value === null ? null : (r.value.data(this.store) as { id: string });
      return { b: b.value, d: d.value, f: f.value, i: i.value, r: host === null ? null : host.id };
    } catch (e) {
      if (e instanceof Trap) return { trap: e.code };
      throw e;
    }
  }
  memory(): Uint8Array {
    return this.instance.getMemory(this.store, 'mem')!.data(this.store);
  }
  global(): number {
    return this.instance.getGlobal(this.store, 'g')!.get(this.store).value as number;
  }
  /** Every generated source seen so far, joined. */
  source(): string {
    return this.sources.join('\n');
  }
}

/** The parts of `run` in the generated source: each part's chain cases (the least indented `case k:`). */
function partsOf(source: string): number[][] {
  const parts: number[][] = [];
  const heads = [...source.matchAll(/^function \$f\d+_run\$p(\d+)\(/gm)];
  for (const h of heads) {
    const start = h.index!;
    const next = source.indexOf('\nfunction ', start + 1);
    const text = source.slice(start, next < 0 ? source.length : next);
    const found = [...text.matchAll(/^( *)case (\d+):/gm)];
    const indent = Math.min(...found.map((m) => m[1]!.length));
    parts[Number(h[1])] = found.filter((m) => m[1]!.length === indent).map((m) => Number(m[2]));
  }
  return parts;
}

/** The parts cover cases 1..N-1 in order, each a run of consecutive cases; there are several. */
function checkParts(source: string): number[] {
  const parts = partsOf(source);
  assert.ok(parts.length >= 4, `expected run to be split into several parts, found ${parts.length}`);
  const partOf: number[] = [];
  let expect = 1;
  parts.forEach((cases, p) => {
    assert.ok(cases !== undefined && cases.length > 0, `part ${p} has no cases`);
    for (const k of cases) {
      assert.equal(k, expect++, `part ${p}: cases out of order`);
      partOf[k] = p;
    }
    // The outer function calls every part.
    assert.match(source, new RegExp(`= \\$f\\d+_run\\$p${p}\\(`));
  });
  assert.equal(expect, N, 'the parts cover cases 1..N-1');
  return partOf;
}

function transitions(memory: Uint8Array): number[][] {
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  const out: number[][] = [];
  for (let prev = 0; prev <= N; prev++) {
    out.push([]);
    for (let k = 0; k <= N; k++) out[prev]!.push(view.getUint32(TRACE + 4 * (prev * (N + 1) + k), true));
  }
  return out;
}

function describe(i: number, input: Input): string {
  return `input ${i}: run(${input.sel.toString(16)}, ${input.x}, ${input.ref?.id ?? 'null'})`;
}

/** Runs `list` on both and compares every outcome, then the memories and the global. */
function compare(ours: Ours, native: Native, list: readonly Input[]): Outcome[] {
  const got: Outcome[] = [];
  list.forEach((input, i) => {
    const a = ours.run(input);
    assert.deepEqual(a, native.run(input), describe(i, input));
    got.push(a);
  });
  assert.deepEqual(ours.memory(), native.memory(), 'memories differ');
  assert.equal(ours.global(), native.global(), 'globals differ');
  return got;
}

// ------------------------------------------------------------------ tests

test('the generated functions straddle the split threshold', () => {
  assert.ok(runBodySize(BIG) >= SPLIT_MIN_BYTES + 4096, `big body ${runBodySize(BIG)}`);
  assert.ok(runBodySize(BIG_WHOLE) >= SPLIT_MIN_BYTES + 4096);
  assert.ok(runBodySize(SMALL) < SPLIT_MIN_BYTES, `small body ${runBodySize(SMALL)}`);
  assert.ok(W.validate(BIG) && W.validate(SMALL) && W.validate(BIG_WHOLE));
});

test('fuel: a split function consumes exactly what the same function compiled whole does', () => {
  const split = new Ours(BIG, { consumeFuel: true });
  const whole = new Ours(BIG_WHOLE, { consumeFuel: true });
  const native = new Native(BIG);
  const list = inputs(200, 5);
  const costs: number[] = [];
  list.forEach((input, i) => {
    split.store.setFuel(1e9);
    whole.store.setFuel(1e9);
    const a = split.run(input);
    const b = whole.run(input);
    assert.deepEqual(a, native.run(input), describe(i, input));
    assert.deepEqual(a, b, describe(i, input));
    // After a trap the fuel left is wherever the code last wrote it back (unspecified, as in Wasmtime).
    const cost = 'trap' in a ? 0 : 1e9 - split.store.getFuel();
    if (!('trap' in a)) assert.equal(cost, 1e9 - whole.store.getFuel(), `${describe(i, input)}: fuel`);
    costs.push(cost);
  });
  checkParts(split.source());
  assert.doesNotMatch(whole.source(), /\$p\d+\(/, 'the v128 variant was split');
  // Running out part-way stops both at the same point, and both go on working.
  let outOfFuel = 0;
  list.slice(0, 60).forEach((input, i) => {
    if (costs[i] === 0) return;
    const limit = Math.floor(costs[i]! / 2);
    split.store.setFuel(limit);
    whole.store.setFuel(limit);
    const a = split.run(input);
    assert.deepEqual(a, whole.run(input), describe(i, input));
    assert.equal(split.store.getFuel(), whole.store.getFuel(), `${describe(i, input)}: fuel left`);
    if ('trap' in a && a.trap === TrapCode.OutOfFuel) outOfFuel++;
  });
  assert.ok(outOfFuel >= 20, `only ${outOfFuel} runs ran out of fuel`);
  assert.deepEqual(split.memory(), whole.memory());
});

for (const compilation of ['lazy', 'eager'] as const) {
  test(`${compilation}: a split dispatch loop agrees with native WebAssembly`, () => {
    const ours = new Ours(BIG, { compilation });
    const native = new Native(BIG);
    const list = inputs(400, 1);
    const got = compare(ours, native, list);

    // It really was split, and its parts are the chain's cases in order.
    const partOf = checkParts(ours.source());

    // Every way out ran: the loop's end (1), br $exit (2), return (3), br to the function (4), the
    // outer function's return (6), and each trap; after a trap the instance went on working.
    const tags = new Set(got.flatMap((o) => ('i' in o ? [o.i >>> 24] : [])));
    for (const tag of [1, 2, 3, 4, 6]) assert.ok(tags.has(tag), `no result with exit tag ${tag} (saw ${[...tags]})`);
    const traps = new Set(got.flatMap((o) => ('trap' in o ? [o.trap] : [])));
    for (const code of [TrapCode.UnreachableCodeReached, TrapCode.MemoryOutOfBounds, TrapCode.IntegerDivisionByZero]) {
      assert.ok(traps.has(code), `no ${code} trap`);
    }
    assert.ok(got.some((o, i) => i > 0 && 'trap' in got[i - 1]! && !('trap' in o)), 'a call after a trap succeeded');

    // Every case ran, and control moved both ways between parts (not only by falling into the next).
    const t = transitions(ours.memory());
    for (let k = 1; k <= N; k++) assert.ok(t.some((row) => row[k]! > 0), `case ${k} never ran`);
    let back = 0;
    let ahead = 0;
    for (let p = 1; p < N; p++) {
      for (let k = 1; k < N; k++) {
        if (t[p]![k] === 0) continue;
        if (partOf[k]! < partOf[p]!) back++;
        if (partOf[k]! > partOf[p]! && k > p + 1) ahead++;
      }
    }
    assert.ok(back > 0 && ahead > 0, `transitions across parts: ${back} backward, ${ahead} forward`);
  });
}

test('below the threshold the same machine stays whole and gives the same results', () => {
  const list = inputs(400, 1);
  const small = new Ours(SMALL);
  const got = compare(small, new Native(SMALL), list);
  assert.doesNotMatch(small.source(), /\$p\d+\(/, 'the small function was split');
  assert.match(small.source(), /_run\(/);
  // The big one (split) computes the same: the filler is neutral.
  const big = new Ours(BIG);
  assert.deepEqual(list.map((input) => big.run(input)), got);
  assert.deepEqual(transitions(big.memory()), transitions(small.memory()));
});

// Parts are for a JIT: code tuned for an interpreter keeps the machine whole unless splitting is asked for.
test('tuneForInterpreter keeps the machine whole (agreeing with native), and splitLargeSwitches: true splits it', () => {
  const list = inputs(300, 7);
  const whole = new Ours(BIG, { tuneForInterpreter: true });
  assert.equal(whole.engine.config.splitLargeSwitches, false);
  compare(whole, new Native(BIG), list);
  assert.doesNotMatch(whole.source(), /\$p\d+\(/, 'split although tuned for an interpreter');
  const split = new Ours(BIG, { tuneForInterpreter: true, splitLargeSwitches: true });
  compare(split, new Native(BIG), list);
  checkParts(split.source());
});

test('a split function under a wasm stack limit keeps its depth count (returns and traps from parts)', () => {
  // Depth leaks would show up as StackOverflow after enough calls.
  const ours = new Ours(BIG, { maxWasmStack: 40 });
  compare(ours, new Native(BIG), inputs(600, 2));
  checkParts(ours.source());
});

test('with epoch interruption, a split function agrees with native, and stops once a host call from a part passes the deadline', () => {
  let tick = false;
  let engine: Engine | null = null;
  const ours = new Ours(BIG, { epochInterruption: true }, (x) => {
    if (tick) engine!.incrementEpoch();
    return hookImpl(x);
  });
  engine = ours.engine;
  ours.store.setEpochDeadline(1_000_000);
  const native = new Native(BIG);
  const list = inputs(200, 3);
  compare(ours, native, list);
  checkParts(ours.source());
  // The host call (in a part) advances the epoch past the deadline: the next check traps.
  tick = true;
  ours.store.setEpochDeadline(1);
  let interrupted = 0;
  for (const input of inputs(50, 4)) {
    const o = ours.run(input);
    if ('trap' in o && o.trap === TrapCode.Interrupt) interrupted++;
    ours.store.setEpochDeadline(1);
  }
  assert.ok(interrupted > 0, 'no Interrupt');
  // Afterwards it still runs (memory now differs from the native instance's: compare a fresh pair).
  tick = false;
  ours.store.setEpochDeadline(1_000_000);
  const again = new Native(BIG);
  const fresh = new Ours(BIG, { epochInterruption: true });
  fresh.store.setEpochDeadline(1_000_000);
  compare(fresh, again, list);
});

test('two split chains in one function get parts of their own', () => {
  // Found by tools/exec-fuzz.ts: parts were numbered per chain, so the second split chain of a
  // function redefined the first one's part functions ($f$p0, ...) and the first called them.
  const n = 64;
  const chain = (x: string, salt: number) => {
    let body = `(br_table ${Array.from({ length: n }, (_, k) => k).join(' ')} (local.get ${x}))`;
    for (let k = 0; k < n; k++) {
      const step = Array.from({ length: 12 }, (_, j) =>
        `(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const ${33 + 2 * j})) (i32.const ${salt * 1000 + k * 13 + j})))`).join(' ');
      body = `(block ${body}) ${step}`;
    }
    // Three times through the chain: from case 0, then twice from case 7 * salt.
    return `(local.set ${x} (i32.const 0)) (local.set $n (i32.const 0))
      (loop $L ${body}
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set ${x} (i32.const ${salt * 7}))
        (br_if $L (i32.lt_s (local.get $n) (i32.const 3))))`;
  };
  const wat = `(module (func (export "run") (param $acc i32) (result i32) (local $x i32) (local $y i32) (local $n i32)
    ${chain('$x', 1)} ${chain('$y', 2)} (local.get $acc)))`;
  const bytes = parseWat(wat);
  assert.ok(runBodySize(bytes) >= SPLIT_MIN_BYTES, `body ${runBodySize(bytes)}`);
  const nativeRun = new Native(bytes).exports.run as (x: number) => number;
  for (const compilation of ['lazy', 'eager'] as const) {
    const sources: string[] = [];
    const engine = new Engine({ compilation, debugSource: (_name, source) => sources.push(source) });
    const store = new Store(engine);
    const run = new Instance(store, new Module(engine, bytes), []).getFunc(store, 'run')!;
    for (const x of [0, 1, -5, 123456789]) assert.equal(run.call(store, [Val.i32(x)])[0]!.value, nativeRun(x), `${compilation} run(${x})`);
    // Both chains were split, into parts with distinct names.
    const parts = [...sources.join('\n').matchAll(/function (\S+\$p\d+)\(/g)].map((m) => m[1]!);
    assert.ok(parts.length >= 4, `parts: ${parts.join(', ')}`);
    assert.equal(new Set(parts).size, parts.length, `part names: ${parts.join(', ')}`);
  }
});
