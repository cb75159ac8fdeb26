// JS Promise Integration in a namespace made with createWebAssembly({ jspi: true }): Suspending
// imports suspend wasm entered through promising, and throw SuspendError anywhere else. (The JSPI
// proposal's own web-platform tests pass too: TSWASM_JSPI=1 tools/jsapi-wpt.ts, docs/js-api.md.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { parseWat } from '../../src/text/index.js';

type Namespace = any;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function instantiate(W: Namespace, wat: string, imports: object = {}): Namespace {
  return new W.Instance(new W.Module(parseWat(wat)), imports).exports;
}

const PROGRAM = `(module
  (import "m" "next" (func $next (param i32) (result i32)))
  (import "m" "pair" (func $pair (param i64 f64) (result f64 i64)))
  (import "m" "note" (func $note (param i32)))
  (global $sum (export "sum") (mut i32) (i32.const 0))
  (func (export "loop") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (global.set $sum (i32.add (global.get $sum) (call $next (local.get $i))))
      (call $note (global.get $sum))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (global.get $sum))
  (func (export "swap") (param i64 f64) (result f64 i64) (call $pair (local.get 0) (local.get 1)))
  (func (export "guarded") (param i32) (result i32)
    (block $h (try_table (catch_all $h) (return (call $next (local.get 0)))))
    (i32.const -1)))`;

function setup(next: (x: number) => unknown = async (x) => { await sleep(1); return x * 10; }) {
  const W: Namespace = createWebAssembly({ jspi: true });
  const notes: number[] = [];
  const exports = instantiate(W, PROGRAM, {
    m: {
      next: new W.Suspending(next),
      pair: new W.Suspending(async (a: bigint, b: number) => [b, a]),
      note: (v: number) => notes.push(v),
    },
  });
  return { W, exports, notes };
}

test('promising runs an export that suspends at every Suspending import, and resolves with its result', async () => {
  const { W, exports, notes } = setup();
  const run = W.promising(exports.loop);
  assert.equal(run.length, 1);
  assert.equal(run.name, '');
  const pending = run(4);
  assert.ok(pending instanceof Promise);
  assert.equal(exports.sum.value, 0, 'suspended at the first import, before adding anything');
  assert.equal(await pending, 60);
  assert.deepEqual(notes, [0, 10, 30, 60]);
});

test('exact values through a Suspending import: i64, f64 NaN bits, several results', async () => {
  const { W, exports } = setup();
  const nan = new Float64Array(new BigUint64Array([0x7ff4000000000abcn]).buffer)[0]!;
  const [f, i] = await W.promising(exports.swap)(-(2n ** 63n), nan);
  assert.equal(i, -(2n ** 63n));
  assert.ok(Number.isNaN(f));
});

test('an import suspends even when its function returns no promise, so the call always finishes later', async () => {
  const order: string[] = [];
  const { W, exports } = setup((x) => { order.push('import'); return x; });
  const pending = W.promising(exports.loop)(1);
  order.push('after the call');
  assert.equal(await pending, 0);
  assert.deepEqual(order, ['import', 'after the call']);
});

test('a Suspending import called without promising, or with a JS frame since, throws SuspendError (catchable in wasm)', async () => {
  const { W, exports } = setup();
  assert.throws(() => exports.loop(2), (e: unknown) => e instanceof W.SuspendError && e instanceof Error);
  assert.equal(exports.guarded(3), -1, 'wasm caught the SuspendError with catch_all');
  // promising -> JS import -> plain export -> Suspending import: the JS frame in between.
  const W2: Namespace = createWebAssembly({ jspi: true });
  let inner: Namespace = null;
  const outer = instantiate(W2, `(module (import "m" "js" (func $js (result i32))) (func (export "f") (result i32) (call $js)))`, {
    m: { js: () => { try { return inner.loop(1); } catch (e) { return e instanceof W2.SuspendError ? 77 : 0; } } },
  });
  inner = instantiate(W2, PROGRAM, { m: { next: new W2.Suspending(async () => 1), pair: new W2.Suspending(async () => [0, 0n]), note: () => {} } });
  assert.equal(await W2.promising(outer.f)(), 77);
});

test('a rejection is thrown in wasm where the import was called: a WebAssembly.Exception is catchable by its tag', async () => {
  const W: Namespace = createWebAssembly({ jspi: true });
  const tag = new W.Tag({ parameters: ['i32'] });
  const exports = instantiate(W, `(module (import "m" "f" (func $f (result i32))) (import "m" "t" (tag $t (param i32)))
    (func (export "g") (result i32) (block $h (result i32) (try_table (catch $t $h) (return (call $f))) (unreachable)) (i32.add (i32.const 1))))`,
  { m: { t: tag, f: new W.Suspending(async () => { await sleep(1); throw new W.Exception(tag, [41]); }) } });
  assert.equal(await W.promising(exports.g)(), 42);
  const failure = new Error('offline');
  const plain = instantiate(W, '(module (import "m" "f" (func $f (result i32))) (func (export "g") (result i32) (call $f)))',
    { m: { f: new W.Suspending(() => Promise.reject(failure)) } });
  await assert.rejects(W.promising(plain.g)(), (e) => e === failure);
});

test('a trap after a suspension rejects with a RuntimeError; bad arguments reject with a TypeError', async () => {
  const W: Namespace = createWebAssembly({ jspi: true });
  const exports = instantiate(W, `(module (import "m" "f" (func $f (result i32)))
    (func (export "g") (param i32) (result i32) (i32.div_u (call $f) (local.get 0))))`, { m: { f: new W.Suspending(async () => 7) } });
  const g = W.promising(exports.g);
  await assert.rejects(g(0), (e) => e instanceof W.RuntimeError);
  await assert.rejects(g(Symbol('x')), TypeError);
  assert.equal(await g(7), 1);
});

test('concurrent promising calls keep their own results', async () => {
  const { W, exports } = setup(async (x) => { await sleep(x % 3); return x; });
  const swap = W.promising(exports.swap);
  const results = await Promise.all([1, 2, 3, 4].map((k) => swap(BigInt(k), k / 2)));
  assert.deepEqual(results, [[0.5, 1n], [1, 2n], [1.5, 3n], [2, 4n]]);
});

test('the API: Suspending needs new and a function, promising an exported function of this namespace', () => {
  const W: Namespace = createWebAssembly({ jspi: true });
  assert.throws(() => (W.Suspending as (f: unknown) => unknown)(() => {}), TypeError);
  assert.throws(() => new W.Suspending({}), TypeError);
  assert.throws(() => W.promising({}), TypeError);
  assert.throws(() => W.promising(() => {}), TypeError);
  const other = instantiate(createWebAssembly(), '(module (func (export "f")))');
  assert.throws(() => W.promising(other.f), TypeError, 'a function of a namespace without JSPI');
  assert.equal(Object.prototype.toString.call(new W.Suspending(() => {})), '[object WebAssembly.Suspending]');
  const plain: Namespace = createWebAssembly();
  assert.equal(plain.Suspending, undefined);
  assert.equal(plain.promising, undefined);
  assert.throws(() => createWebAssembly({ jspi: 1 as unknown as boolean }), /jspi must be a boolean/);
  assert.throws(() => createWebAssembly({ engine: { asyncSupport: true } }), /jspi: true/);
});

test('functions cross between a JSPI namespace and a plain one as JS functions', async () => {
  const W: Namespace = createWebAssembly({ jspi: true });
  const plain: Namespace = createWebAssembly();
  const jspi = instantiate(W, '(module (import "m" "f" (func $f (result i32))) (func (export "g") (result i32) (i32.add (call $f) (i32.const 1))))',
    { m: { f: new W.Suspending(async () => 41) } });
  const sync = instantiate(plain, '(module (func (export "h") (result i32) (i32.const 5)))');
  // The plain namespace sees the JSPI function as a JS function: calling it cannot suspend.
  const user = instantiate(plain, '(module (import "m" "g" (func $g (result i32))) (func (export "k") (result i32) (call $g)))', { m: { g: jspi.g } });
  assert.throws(() => user.k(), (e: unknown) => e instanceof W.SuspendError);
  // And the JSPI namespace sees the plain one's as a JS function it calls synchronously.
  const back = instantiate(W, '(module (import "m" "h" (func $h (result i32))) (func (export "k") (result i32) (call $h)))', { m: { h: sync.h } });
  assert.equal(back.k(), 5);
  assert.equal(await W.promising(back.k)(), 5);
  assert.equal(await W.promising(jspi.g)(), 42);
});

test('promising makes no constructor, and SuspendError has a NativeError\'s length (stop 36 audit)', () => {
  const { W, exports } = setup();
  const p = W.promising(exports.loop);
  assert.equal('prototype' in p, false);
  assert.throws(() => new p(1), TypeError);
  assert.equal(W.SuspendError.length, 1);
});
