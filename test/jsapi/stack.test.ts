// A trap's `stack` beside Node's: wasm frames written as V8 writes its own (name, wasm-function
// index, module offset), and none of the generated code's machinery.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantiate, same, type Namespace } from './side-by-side.js';
import { Engine, Instance, Linker, Module, Store, Trap, Val, I32, funcType } from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';

/** The frame lines of `e.stack`, with V8's module hash (a hash of its own) left out. */
function frames(e: unknown): string[] {
  const stack = (e as Error).stack ?? '';
  return stack.split('\n').filter((l) => /^\s+at /.test(l))
    .map((l) => l.replace(/(wasm:\/\/wasm\/(?:[^:]*-)?)[0-9a-f]{8}:/, '$1HASH:'));
}

/** The frames of what `call` throws, down to framesOf's own (the callers differ between the sides). */
function framesOf(call: () => unknown): string[] {
  try {
    call();
  } catch (e) {
    const lines = frames(e);
    const own = lines.findIndex((l) => l.includes('at framesOf '));
    return own < 0 ? lines : lines.slice(0, own);
  }
  throw new Error('no trap');
}

const NAMED = `(module $calc (memory 1) (table 2 funcref)
  (func $divide (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $middle (param i32) (result i32) (call $divide (local.get 0)))
  (func (export "run") (param i32) (result i32) (call $middle (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "null") (call_indirect (i32.const 1))))`;

const UNNAMED = `(module (memory 1)
  (func (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
  (func (export "run") (param i32) (result i32) (i32.add (i32.const 1) (call 0 (local.get 0))))
  (func (export "load") (param i32) (result i64) (i64.load (local.get 0))))`;

test('trap frames name each wasm function and offset as V8 does, with a module name and without', async () => {
  for (const [what, call] of [
    ['division by zero, two calls deep', (e: Namespace) => e.run(0)],
    ['a load out of bounds', (e: Namespace) => e.load(65534)],
    ['an uninitialized table element', (e: Namespace) => e.null()],
  ] as const) {
    await same((W: Namespace) => framesOf(() => call(instantiate(W, NAMED))), `named module: ${what}`);
  }
  await same((W: Namespace) => framesOf(() => instantiate(W, UNNAMED).run(0)), 'unnamed: division');
  await same((W: Namespace) => framesOf(() => instantiate(W, UNNAMED).load(65530)), 'unnamed: i64 load');
});

test('frames through a host function: wasm, the JS import, wasm again', async () => {
  const text = `(module $outer (import "h" "f" (func $f (param i32)))
    (func $callsHost (export "go") (param i32) (call $f (local.get 0)))
    (func $traps (export "trap") (param i32) (if (local.get 0) (then unreachable))))`;
  await same((W: Namespace) => {
    const e: Namespace = instantiate(W, text, { h: { f: (x: number) => e.trap(x) } });
    return framesOf(() => e.go(1));
  }, 'nested');
});

test('a RuntimeError that glue code makes in an import (emscripten\'s abort) shows the wasm frames under it', async () => {
  const text = '(module $app (import "env" "abort" (func $abort)) (func $fail (call $abort)) (func (export "main") (call $fail)))';
  await same((W: Namespace) => {
    const e: Namespace = instantiate(W, text, { env: { abort: () => { throw new W.RuntimeError('Aborted(assertion)'); } } });
    return framesOf(() => e.main());
  }, 'abort');
  await same((W: Namespace) => [String(new W.RuntimeError('made outside wasm', { cause: 7 }).stack).split('\n')[0], new W.RuntimeError('x', { cause: 7 }).cause]);
});

test('a trap\'s stack keeps to Error.stackTraceLimit, as V8 does for its own', async () => {
  const text = `(module (func $a unreachable) (func $b call $a) (func $c call $b) (func $d call $c) (func (export "e") call $d))`;
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 3;
  try {
    await same((W: Namespace) => framesOf(() => instantiate(W, text).e()), 'limit 3');
  } finally {
    Error.stackTraceLimit = saved;
  }
});

test('stack exhaustion: the RangeError\'s frames are wasm frames', async () => {
  const text = '(module $deep (func $recurse (export "go") (param i32) (result i32) (i32.add (call $recurse (local.get 0)) (i32.const 1))))';
  // The innermost frame differs by design (V8 overflows at the callee's entry, tswasm at the call).
  await same((W: Namespace) => framesOf(() => instantiate(W, text).go(0)).slice(1, 5), 'recursion');
});

test('no line of the generated code\'s machinery is left, and the stack can be replaced', async () => {
  const ours = (await import('./side-by-side.js')).ours;
  let err: unknown;
  try {
    instantiate(ours, NAMED).run(0);
  } catch (e) {
    err = e;
  }
  const stack = (err as Error).stack!;
  assert.match(stack, /^RuntimeError: integer divide by zero\n {4}at calc\.divide \(wasm:\/\/wasm\/calc-[0-9a-f]{8}:wasm-function\[0\]:0x/);
  assert.doesNotMatch(stack, /tswasm-module|tswasm-adaptor|makeTrap|trapDivByZero|lazy\$/);
  assert.equal((err as Error).stack, stack, 'read twice, the same text');
  (err as Error).stack = 'replaced';
  assert.equal((err as Error).stack, 'replaced');
});

test('the embedding API: a Trap\'s stack shows its wasm frames, then the host\'s JS frames', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  const module = new Module(engine, parseWat(`(module $plugin (import "host" "check" (func $check (param i32)))
    (func $validate (param i32) (call $check (local.get 0)) (if (i32.eqz (local.get 0)) (then unreachable)))
    (func (export "run") (param i32) (call $validate (local.get 0))))`));
  linker.funcWrap('host', 'check', funcType([I32], []), () => {});
  const instance: Instance = linker.instantiate(store, module);
  let trap: unknown;
  try {
    instance.getFunc(store, 'run')!.call(store, [Val.i32(0)]);
  } catch (e) {
    trap = e;
  }
  assert.ok(trap instanceof Trap);
  const lines = frames(trap);
  assert.match(lines[0]!, /^ {4}at plugin\.validate \(wasm:\/\/wasm\/plugin-HASH:wasm-function\[1\]:0x[0-9a-f]+\)$/);
  assert.match(lines[1]!, /^ {4}at plugin \(wasm:\/\/wasm\/plugin-HASH:wasm-function\[2\]:0x[0-9a-f]+\)$/);
  assert.equal(Number.parseInt(/0x([0-9a-f]+)\)$/.exec(lines[0]!)![1]!, 16), trap.backtrace[0]!.moduleOffset);
  assert.ok(lines.slice(2).some((l) => l.includes('stack.test.')), 'the test\'s own frame follows');
  assert.doesNotMatch(trap.stack!, /tswasm-module|makeTrap|trapUnreachable/);
});
