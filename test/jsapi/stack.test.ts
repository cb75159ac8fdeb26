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
  // Then the API method the test called, and the test: none of tswasm's lines of the call between.
  assert.match(lines[2]!, /^ {4}at Func\.call /, trap.stack);
  assert.match(lines[3]!, /stack\.test\./, trap.stack);
  assert.doesNotMatch(trap.stack!, /tswasm-module|makeTrap|trapUnreachable|callLowered|callIn|callWasm/);
});

test('the embedding API: a trap under a host function that called wasm again shows both calls\' wasm frames, and none of tswasm\'s lines', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  const module = new Module(engine, parseWat(`(module $app (import "env" "reenter" (func $reenter (param i32)))
    (func $outer (export "outer") (param i32) (call $reenter (local.get 0)))
    (func $inner (export "inner") (param i32) (if (i32.eqz (local.get 0)) (then unreachable))))`));
  let instance: Instance | null = null;
  linker.funcWrap('env', 'reenter', funcType([I32], []), function host(x: number) {
    instance!.getTypedFunc(store, 'inner').call(store, x);
  });
  instance = linker.instantiate(store, module);
  const lines = framesAbove('calledByTest', function calledByTest() {
    instance!.getTypedFunc(store, 'outer').call(store, 0);
  });
  assert.deepEqual(lines.map((l) => l.replace(/ \(.*\)$/, '').replace(/wasm-function\[\d+\]:0x[0-9a-f]+/, 'F')), [
    '    at app.inner',
    '    at TypedFunc.call',
    '    at host',
    '    at app.outer',
    '    at TypedFunc.call',
  ], lines.join('\n'));
});

/** The frames of the error `call` throws, down to the caller's own frame (named `mark`). */
function framesAbove(mark: string, call: () => unknown): string[] {
  try {
    call();
  } catch (e) {
    const lines = frames(e);
    const own = lines.findIndex((l) => l.includes(`at ${mark} `));
    return own < 0 ? lines : lines.slice(0, own);
  }
  throw new Error('nothing thrown');
}

const HOST_CALLS = `(module $app (import "env" "check" (func $check (param i32)))
  (func $validate (param i32) (call $check (local.get 0)))
  (func (export "run") (param i32) (call $validate (local.get 0))))`;

test('an Error a host function throws shows the wasm frames it passed through, as V8 writes them', async () => {
  for (const make of [(m: string) => new TypeError(m), (m: string) => new Error(m), (m: string) => new (class Rejected extends Error {})(m)]) {
    await same((W: Namespace) => {
      const e: Namespace = instantiate(W, HOST_CALLS, { env: { check: function hostCheck(x: number) { throw make(`bad ${x}`); } } });
      return framesAbove('hostErrorCase', function hostErrorCase() { return e.run(3); });
    }, String(make('x')));
  }
  // Through an import that calls wasm again, which calls another import that throws.
  const nested = `(module $outer (import "env" "reenter" (func $reenter)) (import "env" "fail" (func $fail))
    (func $first (export "go") (call $reenter)) (func $second (export "again") (call $fail)))`;
  await same((W: Namespace) => {
    const e: Namespace = instantiate(W, nested, { env: { reenter: function reenter() { e.again(); }, fail: function fail() { throw new RangeError('deep'); } } });
    return framesAbove('nestedCase', function nestedCase() { return e.go(); });
  }, 'nested');
});

test('a host error is the same object, its message kept; one made outside wasm and values that are not Errors are left as they are', async () => {
  const { ours } = await import('./side-by-side.js');
  const made: Error[] = [];
  const e = instantiate(ours, HOST_CALLS, { env: { check: () => { throw made[made.push(new TypeError('kept')) - 1]; } } });
  let caught: unknown;
  try {
    e.run(1);
  } catch (err) {
    caught = err;
  }
  const thrown = made[0]!;
  assert.equal(caught, thrown);
  assert.match(thrown.stack!, /^TypeError: kept\n {4}at /);
  assert.doesNotMatch(thrown.stack!, /tswasm-module|tswasm-adaptor|lazy\$/);
  await same((W: Namespace) => {
    const made = new Error('made before the call');
    const before = made.stack;
    const x: Namespace = instantiate(W, HOST_CALLS, { env: { check: () => { throw made; } } });
    try {
      x.run(1);
    } catch {
      // expected
    }
    return made.stack === before;
  }, 'made outside');
  const plain = { stack: 'not an Error' };
  const y = instantiate(ours, HOST_CALLS, { env: { check: () => { throw plain; } } });
  assert.throws(() => y.run(1), (err) => err === plain && plain.stack === 'not an Error');
});

test('a host\'s own stack formatter (Error.prepareStackTrace) is kept', async () => {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (error) => `formatted by the host: ${(error as Error).message}`;
  try {
    await same((W: Namespace) => {
      const e: Namespace = instantiate(W, HOST_CALLS, { env: { check: () => { throw new Error('m'); } } });
      try {
        e.run(1);
      } catch (err) {
        return (err as Error).stack;
      }
      return 'nothing thrown';
    }, 'custom formatter');
  } finally {
    Error.prepareStackTrace = saved;
  }
});

test('the embedding API: an error from a host function shows its wasm callers in its stack, and none of tswasm\'s lines of the host call', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  const module = new Module(engine, parseWat(HOST_CALLS));
  const made: Error[] = [];
  linker.funcWrap('env', 'check', funcType([I32], []), () => { throw made[made.push(new TypeError('refused')) - 1]; });
  const instance = linker.instantiate(store, module);
  assert.throws(() => instance.getFunc(store, 'run')!.call(store, [Val.i32(0)]), (e) => e === made[0]);
  const thrown = made[0]!;
  const lines = frames(thrown);
  // The host function's own frame, then its wasm callers: none of tswasm's lines of the host call.
  assert.match(lines[0]!, /stack\.test\./, thrown.stack);
  assert.match(lines[1]!, /^ {4}at app\.validate \(wasm:\/\/wasm\/app-HASH:wasm-function\[1\]:0x[0-9a-f]+\)$/, thrown.stack);
  assert.match(lines[2]!, /^ {4}at app \(wasm:\/\/wasm\/app-HASH:wasm-function\[2\]:0x[0-9a-f]+\)$/);
  assert.match(lines[3]!, /^ {4}at Func\.call /, thrown.stack);
  assert.match(lines[4]!, /stack\.test\./, 'the test\'s own frame follows, past the default limit of 10 raw frames');
  assert.doesNotMatch(thrown.stack!, /tswasm-module|tswasm\$|callHost|hostEntry|callLowered|callIn/);
});

test('the embedding API with async support: callAsync\'s traps and host errors show their wasm frames, then the caller, with none of tswasm\'s lines', async () => {
  const engine = new Engine({ asyncSupport: true });
  const store = new Store(engine);
  const linker = new Linker(engine);
  let fail = false;
  const made: Error[] = [];
  // A host function that throws at once: generator code runs it after its entry function returned.
  linker.funcWrap('env', 'check', funcType([I32], []), () => {
    if (fail) throw made[made.push(new TypeError('refused')) - 1];
  });
  const module = new Module(engine, parseWat(`(module $app (import "env" "check" (func $check (param i32)))
    (func $validate (param i32) (call $check (local.get 0)) (if (i32.eqz (local.get 0)) (then unreachable)))
    (func (export "run") (param i32) (call $validate (local.get 0))))`));
  const instance = await linker.instantiateAsync(store, module);
  const run = instance.getFunc(store, 'run')!;
  // Whether V8 writes `async` depends on whether the call had awaited before it failed.
  const shape = (lines: string[]) => lines.map((l) => l.replace(/ \(.*\)$/, '').replace('at async ', 'at '));
  let trap: unknown;
  try {
    await run.callAsync(store, [Val.i32(0)]);
  } catch (e) {
    trap = e;
  }
  assert.ok(trap instanceof Trap);
  assert.deepEqual(shape(frames(trap)).slice(0, 3), ['    at app.validate', '    at app', '    at Func.callAsync'], (trap as Error).stack);
  fail = true;
  await assert.rejects(run.callAsync(store, [Val.i32(1)]), (e) => e === made[0]);
  const lines = frames(made[0]);
  assert.match(lines[0]!, /stack\.test\./, made[0]!.stack);
  // Past the default limit of 10 raw frames: the callers come from the deeper capture.
  assert.deepEqual(shape(lines.slice(1, 4)), ['    at app.validate', '    at app', '    at Func.callAsync'], made[0]!.stack);
  assert.doesNotMatch(made[0]!.stack!, /tswasm-module|tswasm\$|runAsync|callLoweredAsync|invokeAsync/);
});

test('the embedding API: a start function\'s trap shows its wasm frames, then `new Instance`, with none of tswasm\'s lines of the instantiation', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const module = new Module(engine, parseWat(`(module $boot (func $check unreachable) (func $init (call $check)) (start $init))`));
  const lines = framesAbove('instantiatedByTest', function instantiatedByTest() {
    return new Instance(store, module, []);
  });
  assert.deepEqual(lines.map((l) => l.replace(/ \(.*\)$/, '')), ['    at boot.check', '    at boot.init', '    at new Instance'], lines.join('\n'));
});
