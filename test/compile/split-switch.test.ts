// Very large `switch` loops of clang's shape compiled as parts (compile/split.ts,
// Config.splitLargeSwitches), checked against Node's own WebAssembly on the same binary. The
// machine is an interpreter like SQLite's: a loop reads an opcode from memory and dispatches with
// one br_table over two chains, an outer one of 20 blocks around a block with a result that holds
// an inner one of 80 (so the inner chain is split inside the outer chain's case 0, in the outer
// function). Cases jump forwards within their chain, into the other chain, leave the switch with a
// value, leave the loop with two values (i64 and f64 through the result slots), return, trap, grow
// memory and call out. Every case counts how often it ran in memory, so the test also sees which
// paths ran. With splitLargeSwitches: false the same function stays whole and agrees too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Func, I32, Instance, Module, Store, Trap, TrapCode, Val, funcType, type Config } from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';
import { CHAIN_SPLIT_MIN_BYTES, HUGE_SPLIT_MIN_BYTES, SPLIT_MIN_BYTES } from '../../src/compile/split-choice.js';
import { decodeModule } from '../../src/binary/decoder.js';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';
import { tempDir } from '../wasi/helpers.js';
import { Rng } from '../../tools/fuzz-rng.js';
import { LIFTS_LIMIT } from '../../src/node/tuning.js';

const noLift = LIFTS_LIMIT ? false : `tuneV8 leaves V8 ${process.versions.v8}'s limit alone (src/node/tuning.ts: LIFTS_LIMIT)`;

/** Cases of the inner chain (1..INNER) and of the outer chain (1..OUTER). */
const INNER = 80;
const OUTER = 20;
/** The program (opcode bytes) and the per-case counters (u32 each: inner cases, then outer). */
const PROG = 0;
const COUNTS = 8192;

/** A deterministic stream of u32s from a seed. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.u32();
}

function hookImpl(x: number): number {
  return (Math.imul(x, 0x01000193) ^ (x >>> 11)) | 0;
}

/** The module: `run(sel, x) -> (i64 f64 i32)`, its switch from a fixed seed; filler is neutral. */
function interpreterWat(filler: number): string {
  const g = rng(0xc1a9);
  const fill = rng(0xf00d);
  const pick = (n: number) => g() % n;
  const cond = (p: number) => `(i32.lt_u (i32.rotl (local.get $a) (i32.const ${pick(32)})) (i32.const ${Math.floor(p * 2 ** 32) | 0}))`;
  const count = (slot: number) => [
    `(i32.store offset=${COUNTS + 4 * slot} (i32.const 0) (i32.add (i32.load offset=${COUNTS + 4 * slot} (i32.const 0)) (i32.const 1)))`,
  ];
  const work = [
    () => `(local.set $a (i32.add (i32.mul (local.get $a) (i32.const 0x2c9277b5)) (i32.wrap_i64 (local.get $b))))`,
    () => `(local.set $b (i64.add (i64.rotl (local.get $b) (i64.const ${1 + pick(63)})) (i64.extend_i32_u (local.get $a))))`,
    () => `(local.set $d (f64.add (f64.mul (local.get $d) (f64.const 0.5)) (f64.convert_i32_s (i32.shr_s (local.get $a) (i32.const 20)))))`,
    () => `(local.set $a (i32.xor (local.get $a) (i32.load offset=${4 * pick(512)} (i32.const 0))))`,
    () => `(i64.store offset=${4096 + 8 * pick(128)} (i32.const 0) (local.get $b))`,
    () => `(local.set $a (i32.add (local.get $a) (call $hook (local.get $a))))`,
    () => `(local.set $b (i64.xor (local.get $b) (call $mix (local.get $b) (i64.extend_i32_s (local.get $a)))))`,
  ];
  const filled = () => Array.from({ length: filler }, () => `(local.set $s (i32.add (i32.rotl (local.get $s) (i32.const 5)) (i32.const ${fill() | 0})))`);
  const done = (tag: number) => `(br $done (i64.xor (local.get $b) (i64.const ${tag})) (local.get $d))`;
  const ret = (tag: number) => `(return (local.get $b) (local.get $d) (i32.or (i32.and (local.get $a) (i32.const 0x0fffffff)) (i32.const ${tag << 28})))`;

  const inner: string[][] = [];
  for (let k = 1; k <= INNER; k++) {
    const lines = [...count(k - 1), work[pick(work.length)]!(), work[pick(work.length)]!(), ...filled()];
    if (k === 11) lines.push(`(if (i32.and (i32.shr_u (local.get $sel) (i32.const 30)) ${cond(0.5)}) (then unreachable))`);
    if (k === 23) lines.push(`(if (i32.and (i32.shr_u (local.get $sel) (i32.const 29)) ${cond(0.5)}) (then (drop (i32.load (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 2))))))`);
    if (k === 31 || k === 52) lines.push(`(if (i32.and ${cond(0.1)} (i32.lt_u (memory.size) (i32.const 6))) (then (drop (memory.grow (i32.const 1)))))`);
    if (k % 9 === 5) lines.push('(i32.store (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4)) (local.get $a))');
    switch (pick(12)) {
      case 0: if (k < INNER) lines.push(`(br_if $c${k + 1 + pick(Math.min(20, INNER - k))} ${cond(0.5)})`); break;
      case 1: lines.push(`(br_if $o${1 + pick(OUTER)} ${cond(0.4)})`); break;
      case 2: lines.push(`(drop (br_if $inner (local.get $a) ${cond(0.3)}))`); break;
      case 3: lines.push(`(if ${cond(0.1)} (then ${done(1)}))`); break;
      case 4: lines.push(`(if ${cond(0.05)} (then ${ret(2)}))`); break;
      case 5: lines.push(`(br_table $c${Math.min(INNER, k + 1)} $o${1 + pick(OUTER)} $L $c${INNER} (i32.shr_u (local.get $a) (i32.const 30)))`); break;
    }
    // Most cases go on with the next opcode; some fall into the next case.
    if (pick(4) !== 0 && k < INNER) lines.push('(br $L)');
    inner.push(lines);
  }
  const outer: string[][] = [];
  for (let j = 1; j <= OUTER; j++) {
    const lines = [...count(INNER + j - 1), work[pick(work.length)]!(), work[pick(work.length)]!(), ...filled(), ...filled(), ...filled()];
    if (j === 7) lines.push(`(local.set $a (i32.xor (local.get $a) (i32.rem_u (local.get $a) (i32.and (i32.wrap_i64 (local.get $b)) (i32.and (i32.shr_u (local.get $sel) (i32.const 28)) (i32.const 1))))))`);
    switch (pick(6)) {
      case 0: if (j < OUTER) lines.push(`(br_if $o${j + 1 + pick(OUTER - j)} ${cond(0.5)})`); break;
      case 1: lines.push(`(if ${cond(0.1)} (then ${done(3)}))`); break;
      case 2: lines.push(`(if ${cond(0.05)} (then ${ret(4)}))`); break;
    }
    if (pick(4) !== 0 && j < OUTER) lines.push('(br $L)');
    outer.push(lines);
  }

  // br_table index op: 0..79 inner cases, 80..99 outer cases, beyond: the default (after the inner chain).
  const targets = [...Array.from({ length: INNER }, (_, i) => `$c${i + 1}`), ...Array.from({ length: OUTER }, (_, i) => `$o${i + 1}`)];
  const body: string[] = [
    '(local.set $pc (i32.rem_u (local.get $sel) (i32.const 4096)))',
    '(local.set $a (i32.xor (local.get $sel) (i32.const 0x9e3779b9)))',
    '(local.set $b (local.get $x))',
    '(local.set $d (f64.const 1.25))',
    '(local.set $n (i32.add (i32.const 40) (i32.and (i32.shr_u (local.get $sel) (i32.const 12)) (i32.const 63))))',
    'block $done (result i64 f64)',
    'loop $L',
    `(if (i32.le_s (local.get $n) (i32.const 0)) (then ${done(0)}))`,
    '(local.set $n (i32.sub (local.get $n) (i32.const 1)))',
    `(local.set $op (i32.rem_u (i32.load8_u offset=${PROG} (local.get $pc)) (i32.const ${INNER + OUTER + 4})))`,
    '(local.set $pc (i32.and (i32.add (local.get $pc) (i32.const 1)) (i32.const 4095)))',
  ];
  for (let j = OUTER; j >= 1; j--) body.push(`block $o${j}`);
  body.push('block $inner (result i32)');
  for (let k = INNER; k >= 1; k--) body.push(`block $c${k}`);
  body.push('local.get $op', `br_table ${targets.join(' ')} $c${INNER}`);
  for (let k = 1; k <= INNER; k++) body.push(`end ;; inner case ${k}`, ...inner[k - 1]!);
  // After the inner chain (its last case and the default): the switch's value.
  body.push('(i32.const 77)', 'end ;; $inner', '(local.set $a (i32.add (local.get $a)))', '(br $L)');
  for (let j = 1; j <= OUTER; j++) body.push(`end ;; outer case ${j}`, ...outer[j - 1]!);
  body.push('(br $L)', 'end ;; $L', 'unreachable', 'end ;; $done', '(i32.const 0x70000000)');

  const data = Array.from({ length: 4096 }, () => `\\${(g() & 0xff).toString(16).padStart(2, '0')}`).join('');
  return `(module
  (import "env" "hook" (func $hook (param i32) (result i32)))
  (memory (export "mem") 2)
  (data (i32.const ${PROG}) "${data}")
  (func $mix (param i64 i64) (result i64) (i64.add (i64.mul (local.get 0) (i64.const 0x5851f42d4c957f2d)) (i64.rotl (local.get 1) (i64.const 17))))
  (func $run (export "run") (param $sel i32) (param $x i64) (result i64 f64 i32)
    (local $pc i32) (local $op i32) (local $a i32) (local $b i64) (local $d f64) (local $n i32) (local $s i32)
    ${body.join('\n    ')}))`;
}

const BIG = parseWat(interpreterWat(10));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const W: any = (globalThis as any).WebAssembly;

type Outcome = { readonly b: bigint; readonly d: number; readonly i: number } | { readonly trap: TrapCode };

function nativeRunner(bytes: Uint8Array) {
  const exports = new W.Instance(new W.Module(bytes), { env: { hook: hookImpl } }).exports;
  return {
    run(sel: number, x: bigint): Outcome {
      try {
        const [b, d, i] = exports.run(sel, x) as [bigint, number, number];
        return { b, d, i };
      } catch (e) {
        const m = (e as Error).message;
        if (/by zero/.test(m)) return { trap: TrapCode.IntegerDivisionByZero };
        if (/out of bounds/.test(m)) return { trap: TrapCode.MemoryOutOfBounds };
        if (/unreachable/.test(m)) return { trap: TrapCode.UnreachableCodeReached };
        throw e;
      }
    },
    memory: () => new Uint8Array(exports.mem.buffer),
  };
}

function oursRunner(bytes: Uint8Array, config: Config) {
  const sources: string[] = [];
  const engine = new Engine({ ...config, debugSource: (_name, source) => sources.push(source) });
  const store = new Store(engine);
  const host = Func.wrap(store, funcType([I32], [I32]), hookImpl);
  const instance = new Instance(store, new Module(engine, bytes), [host]);
  const run = instance.getFunc(store, 'run')!;
  return {
    run(sel: number, x: bigint): Outcome {
      try {
        const [b, d, i] = run.call(store, [Val.i32(sel), Val.i64(x)]);
        const f64 = new DataView(new ArrayBuffer(8));
        f64.setBigUint64(0, d!.value as bigint, true);
        return { b: b!.value as bigint, d: f64.getFloat64(0, true), i: i!.value as number };
      } catch (e) {
        if (e instanceof Trap) return { trap: e.code };
        throw e;
      }
    },
    memory: () => instance.getMemory(store, 'mem')!.data(store),
    source: () => sources.join('\n'),
  };
}

function inputs(count: number): [number, bigint][] {
  const r = rng(99);
  return Array.from({ length: count }, () => {
    let sel = r() & 0x0fffffff;
    for (const bit of [30, 29, 28]) if (r() % 8 === 0) sel |= 1 << bit;
    return [sel, BigInt.asIntN(64, (BigInt(r()) << 32n) | BigInt(r()))];
  });
}

/** The part functions of `run` in the source, by the chain state they take first (one per split chain). */
function partsByChain(source: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of source.matchAll(/^function \$f\d+_run\$p\d+\((t\d+)[,)]/gm)) out.set(m[1]!, (out.get(m[1]!) ?? 0) + 1);
  return out;
}

test('the interpreter is large enough for both of its chains to be split', () => {
  const m = decodeModule(BIG);
  const code = m.codes[m.codes.length - 1]!.code;
  assert.ok(code.end - code.start >= SPLIT_MIN_BYTES + CHAIN_SPLIT_MIN_BYTES, `body ${code.end - code.start}`);
  assert.ok(W.validate(BIG));
});

// Left unset with tuneForInterpreter, splitLargeSwitches is off: without a JIT the parts only cost calls.
for (const splitLargeSwitches of [true, false, undefined]) {
  for (const compilation of ['lazy', 'eager'] as const) {
    const tuned = splitLargeSwitches === undefined ? ', unset, tuneForInterpreter' : '';
    test(`splitLargeSwitches: ${splitLargeSwitches}${tuned}, ${compilation}: the interpreter agrees with native WebAssembly`, () => {
      const native = nativeRunner(BIG);
      const ours = oursRunner(BIG, splitLargeSwitches === undefined ? { tuneForInterpreter: true, compilation } : { splitLargeSwitches, compilation });
      const got: Outcome[] = [];
      inputs(300).forEach(([sel, x], i) => {
        const a = ours.run(sel, x);
        assert.deepEqual(a, native.run(sel, x), `input ${i}: run(${sel.toString(16)}, ${x})`);
        got.push(a);
      });
      assert.deepEqual(ours.memory(), native.memory(), 'memories differ');

      const parts = [...partsByChain(ours.source()).values()];
      if (splitLargeSwitches) assert.ok(parts.length === 2 && parts.every((n) => n >= 3), `expected both chains in parts, found ${parts}`);
      else assert.equal(parts.length, 0, 'split although splitLargeSwitches is false');

      // Every exit ran: the budget (tag 0 in b), $done from a case, return from inner and outer
      // cases, each trap; every case of both chains ran.
      const tops = new Set(got.flatMap((o) => ('i' in o ? [o.i >>> 28] : [])));
      for (const tag of [2, 4, 7]) assert.ok(tops.has(tag), `no result with return tag ${tag} (saw ${[...tops]})`);
      const traps = new Set(got.flatMap((o) => ('trap' in o ? [o.trap] : [])));
      for (const code of [TrapCode.UnreachableCodeReached, TrapCode.MemoryOutOfBounds, TrapCode.IntegerDivisionByZero]) {
        assert.ok(traps.has(code), `no ${code} trap`);
      }
      const counts = new DataView(ours.memory().buffer, COUNTS, 4 * (INNER + OUTER));
      for (let k = 0; k < INNER + OUTER; k++) assert.ok(counts.getUint32(4 * k, true) > 0, `case ${k} never ran`);
    });
  }
}

test('the default splits unless tuneV8 lifted the size limit (a child process, since that is process-wide)', async () => {
  const { execFileSync } = await import('node:child_process');
  const dist = new URL('../../src/', import.meta.url).href;
  const script = `
    const { Engine } = await import('${dist}index.js');
    const before = new Engine().config.splitLargeSwitches;
    (await import('${dist}node/index.js')).tuneV8();
    console.log(JSON.stringify([before, new Engine().config.splitLargeSwitches, new Engine({ splitLargeSwitches: true }).config.splitLargeSwitches]));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  // V8 10 (Node 18): tuneV8 leaves the limit alone, and the default still splits (tuning.ts).
  assert.deepEqual(JSON.parse(out), [true, !LIFTS_LIMIT, true]);
});

test('with the limit lifted, the default still splits the switch of a huge function (CPython-sized), unless told not to', { skip: noLift }, async () => {
  const huge = parseWat(interpreterWat(36));
  const m = decodeModule(huge);
  const size = m.codes[m.codes.length - 1]!.code;
  assert.ok(size.end - size.start >= HUGE_SPLIT_MIN_BYTES, `body ${size.end - size.start}`);
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'big.wasm'), BIG);
    writeFileSync(join(dir, 'huge.wasm'), huge);
    // A child process, since tuneV8 is process-wide: how many part functions each compilation has.
    const src = new URL('../../src/', import.meta.url).href;
    const script = `
      import { readFileSync } from 'node:fs';
      const { Engine, Module, Store, Instance, Func, I32, funcType } = await import('${src}index.js');
      (await import('${src}node/index.js')).tuneV8();
      const parts = (file, config) => {
        let source = '';
        const engine = new Engine({ ...config, compilation: 'eager', debugSource: (_, s) => { source += s; } });
        const store = new Store(engine);
        new Instance(store, new Module(engine, readFileSync(file)), [Func.wrap(store, funcType([I32], [I32]), (x) => x)]);
        return (source.match(/^function \\$f\\d+_run\\$p\\d+\\(/gm) ?? []).length;
      };
      console.log(JSON.stringify([
        parts('${join(dir, 'big.wasm')}', {}), parts('${join(dir, 'huge.wasm')}', {}),
        parts('${join(dir, 'huge.wasm')}', { splitLargeSwitches: false }), parts('${join(dir, 'big.wasm')}', { splitLargeSwitches: true }),
        parts('${join(dir, 'huge.wasm')}', { tuneForInterpreter: true }),
      ]));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [big, hugeDefault, hugeOff, bigOn, hugeTuned] = JSON.parse(r.stdout) as number[];
    assert.equal(hugeTuned, 0, 'code tuned for an interpreter keeps even a huge one whole (parts are for a JIT)');
    assert.equal(big, 0, 'a 24 KB interpreter stays whole where the limit is lifted (faster there: Config.splitLargeSwitches)');
    assert.ok(hugeDefault! >= 6, `the huge one is split by default (${hugeDefault} parts)`);
    assert.equal(hugeOff, 0, 'splitLargeSwitches: false keeps even a huge one whole');
    assert.ok(bigOn! >= 6, `splitLargeSwitches: true splits the 24 KB one (${bigOn} parts)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Config.splitLargeSwitches must be a boolean; a serialized module keeps its code on any engine', () => {
  assert.throws(() => new Engine({ splitLargeSwitches: 1 as unknown as boolean }), /Config.splitLargeSwitches must be a boolean/);
  // Only speed depends on the switch, so an engine without it loads split code and runs it.
  const blob = new Module(new Engine({ splitLargeSwitches: true }), BIG).serialize();
  const sources: string[] = [];
  const engine = new Engine({ splitLargeSwitches: false, debugSource: (_name, source) => sources.push(source) });
  const store = new Store(engine);
  const host = Func.wrap(store, funcType([I32], [I32]), hookImpl);
  const instance = new Instance(store, Module.deserialize(engine, blob), [host]);
  const native = nativeRunner(BIG);
  let returned = 0;
  for (const [sel, x] of inputs(40)) {
    const want = native.run(sel, x);
    try {
      const [b, , i] = instance.getFunc(store, 'run')!.call(store, [Val.i32(sel), Val.i64(x)]);
      assert.ok('b' in want, `native trapped, tswasm returned (run(${sel.toString(16)}, ${x}))`);
      assert.deepEqual([b!.value, i!.value], [want.b, want.i]);
      returned++;
    } catch (e) {
      if (!(e instanceof Trap)) throw e;
      assert.deepEqual({ trap: e.code }, want);
    }
  }
  assert.ok(returned >= 10, `only ${returned} calls returned`);
  assert.equal(partsByChain(sources.join('\n')).size, 2, 'the deserialized code is the split code');
});

test('fuel: the split interpreter consumes exactly what it does whole, and runs out at the same point', () => {
  const make = (splitLargeSwitches: boolean) => {
    const engine = new Engine({ splitLargeSwitches, consumeFuel: true });
    const store = new Store(engine);
    const host = Func.wrap(store, funcType([I32], [I32]), hookImpl);
    const run = new Instance(store, new Module(engine, BIG), [host]).getFunc(store, 'run')!;
    return (sel: number, x: bigint, fuel: number): { outcome: string; left: number | null } => {
      store.setFuel(fuel);
      try {
        const outcome = run.call(store, [Val.i32(sel), Val.i64(x)]).map((v) => String(v.value)).join(',');
        return { outcome, left: store.getFuel() };
      } catch (e) {
        if (!(e instanceof Trap)) throw e;
        // After other traps the fuel left is unspecified (as in Wasmtime); after OutOfFuel it is 0.
        return { outcome: e.code, left: e.code === TrapCode.OutOfFuel ? store.getFuel() : null };
      }
    };
  };
  const split = make(true);
  const whole = make(false);
  let outOfFuel = 0;
  inputs(150).forEach(([sel, x], i) => {
    const full = split(sel, x, 1e9);
    assert.deepEqual(full, whole(sel, x, 1e9), `input ${i}`);
    if (full.left === null) return;
    const half = Math.floor((1e9 - full.left) / 2);
    const a = split(sel, x, half);
    assert.deepEqual(a, whole(sel, x, half), `input ${i} with ${half} fuel`);
    if (a.outcome === TrapCode.OutOfFuel) outOfFuel++;
  });
  assert.ok(outOfFuel >= 50, `only ${outOfFuel} runs ran out of fuel`);
});

test('tswasm compile -W split-large-switches: the command keeps switches whole unless told (where tuneV8 lifts V8\'s limit), and runs either', () => {
  const dir = tempDir('tswasm-switch-');
  const cli = join(projectRoot, 'bin', 'tswasm.mjs');
  const tswasm = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  try {
    const wasm = join(dir, 'interp.wasm');
    writeFileSync(wasm, BIG);
    const split = join(dir, 'split.mjs');
    const whole = join(dir, 'whole.mjs');
    assert.equal(tswasm(['compile', '--js', '-W', 'split-large-switches', wasm, '-o', split]).status, 0);
    assert.equal(tswasm(['compile', '--js', wasm, '-o', whole]).status, 0);
    assert.equal(partsByChain(readFileSync(split, 'utf8')).size, 2);
    // Whole where the command's tuneV8 lifts V8's limit; on V8 10 (Node 18) it does not, and the default splits.
    assert.equal(partsByChain(readFileSync(whole, 'utf8')).size, LIFTS_LIMIT ? 0 : 2);
    // Both run on the command's engine with native's results;
    // the host import comes from a wasm twin of hookImpl.
    const hook = join(dir, 'hook.wat');
    writeFileSync(hook, '(module (func (export "hook") (param i32) (result i32) (i32.xor (i32.mul (local.get 0) (i32.const 0x01000193)) (i32.shr_u (local.get 0) (i32.const 11)))))');
    const native = nativeRunner(BIG);
    const returning = inputs(20).map(([sel, x]) => [sel & 0x0fffffff, x] as const).filter(([sel, x]) => 'b' in native.run(sel, x));
    assert.ok(returning.length >= 3);
    for (const [sel, x] of returning.slice(0, 3)) {
      const want = native.run(sel, x) as { b: bigint; d: number; i: number };
      for (const file of [split, whole]) {
        const r = tswasm(['run', '--allow-precompiled', '--preload', `env=${hook}`, '--invoke', 'run', file, String(sel), String(x)]);
        assert.equal(r.stdout, `${want.b}\n${want.d}\n${want.i}\n`, `${file}: ${r.stderr}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("tuneV8's raised limit covers the largest interpreter loop kept whole, which V8's default would leave unoptimised", { skip: noLift }, async () => {
  const { MAX_OPTIMIZED_BYTECODE_SIZE } = await import('../../src/node/tuning.js');
  // The interpreter with the most filler whose body is still below HUGE_SPLIT_MIN_BYTES.
  let filler = 40;
  let wasm: Uint8Array;
  let bodyBytes: number;
  do {
    wasm = parseWat(interpreterWat(--filler));
    const m = decodeModule(wasm);
    const code = m.codes[m.codes.length - 1]!.code;
    bodyBytes = code.end - code.start;
  } while (bodyBytes >= HUGE_SPLIT_MIN_BYTES);
  assert.ok(bodyBytes > HUGE_SPLIT_MIN_BYTES - 2048, `body ${bodyBytes}`);
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'largest.wasm'), wasm);
    // V8 prints run's bytecode ($f2_run: after the import and $mix) when the generated JS first runs.
    const src = new URL('../../src/', import.meta.url).href;
    const script = `
      import { readFileSync } from 'node:fs';
      const { Engine, Module, Store, Instance, Func, I32, Val, funcType } = await import('${src}index.js');
      (await import('${src}node/index.js')).tuneV8();
      let source = '';
      const engine = new Engine({ debugSource: (_, s) => { source += s; } });
      const store = new Store(engine);
      const instance = new Instance(store, new Module(engine, readFileSync('${join(dir, 'largest.wasm')}')), [Func.wrap(store, funcType([I32], [I32]), (x) => x)]);
      try { instance.getFunc(store, 'run').call(store, [Val.i32(7), Val.i64(11n)]); } catch (e) { if (e.constructor.name !== 'Trap') throw e; }
      console.log('parts ' + (source.match(/^function \\$f\\d+_run\\$p\\d+\\(/gm) ?? []).length);`;
    const r = spawnSync(process.execPath, ['--print-bytecode', '--print-bytecode-filter=$f2_run', '--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^parts 0$/m, 'kept whole after tuneV8');
    // Each bytecode line starts with its offset: "@ 1234 : ...".
    let last = 0;
    for (const m of r.stdout.matchAll(/@ +(\d+) : /g)) last = Math.max(last, Number(m[1]));
    assert.ok(last > 60 * 1024, `${last} bytes of bytecode for ${bodyBytes} of wasm: within V8's default limit, so tuneV8 would not be needed`);
    assert.ok(last < MAX_OPTIMIZED_BYTECODE_SIZE, `${last} bytes of bytecode for ${bodyBytes} of wasm: over tuneV8's limit`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
