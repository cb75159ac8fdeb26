// Host functions with a Caller: the calling instance's exports, the store's data, expiry after the
// call, the exact caller across instances (also through tables, references and tail calls); call hooks; WasmBacktrace from inside a host call.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Caller, Engine, Func, I32, Instance, Linker, Memory, Module, Store, Trap, Val, WasmBacktrace, funcType, type CallHook,
} from '../../src/index.js';

const guest = `(module $guest
  (import "env" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello, host")
  (func $run (export "run") (call $log (i32.const 16) (i32.const 11))))`;

test('a host function reads a string from its caller\'s memory and updates the store data', () => {
  const engine = new Engine();
  const store = new Store(engine, { lines: [] as string[] });
  const log = Func.wrapWithCaller(store, funcType([I32, I32], []), (caller: Caller<{ lines: string[] }>, ptr: number, len: number) => {
    const memory = caller.getExport('memory') as Memory;
    caller.data.lines.push(new TextDecoder().decode(memory.read(caller, ptr, len)));
  });
  const instance = new Instance(store, new Module(engine, guest), [log]);
  instance.getFunc(store, 'run')!.call(store);
  instance.getFunc(store, 'run')!.call(store);
  assert.deepEqual(store.data.lines, ['hello, host', 'hello, host']);
});

test('a Caller kept after its host call throws on every use', () => {
  const engine = new Engine();
  const store = new Store(engine, 5);
  let kept: Caller<number> | null = null;
  const linker = new Linker<number>(engine);
  linker.funcWrapWithCaller('env', 'log', funcType([I32, I32], []), (caller: Caller<number>) => {
    kept = caller;
    assert.equal(caller.data, 5);
    assert.ok(caller.getExport('memory') instanceof Memory);
  });
  const instance = linker.instantiate(store, new Module(engine, guest));
  instance.getFunc(store, 'run')!.call(store);
  const caller = kept!;
  const expired = /a Caller may only be used during the host call it was passed to/;
  assert.throws(() => caller.getExport('memory'), expired);
  assert.throws(() => caller.data, expired);
  assert.throws(() => caller.store, expired);
  assert.throws(() => caller.getFuel(), expired);
  // Handles accept a Caller in place of the store: an expired one is refused there too.
  assert.throws(() => instance.getMemory(store, 'memory')!.data(caller), expired);
  assert.throws(() => Func.wrap(caller, funcType([], []), () => {}), expired);
});

/**
 * A linker with env.who, a host function that records its Caller's instance: the first byte of
 * the caller's memory (each test module puts its letter there), or null for no instance.
 */
function whoLinker(compilation: 'lazy' | 'eager') {
  const engine = new Engine({ compilation });
  const store = new Store(engine);
  const seen: (string | null)[] = [];
  const linker = new Linker(engine);
  linker.funcWrapWithCaller('env', 'who', funcType([], []), (caller: Caller) => {
    const m = caller.getExport('memory') as Memory | undefined;
    seen.push(m === undefined ? null : String.fromCharCode(m.data(caller)[0]!));
  });
  return { engine, store, linker, seen };
}

for (const compilation of ['lazy', 'eager'] as const) test(`the Caller is the instance that made the call, also across instances (${compilation})`, () => {
  const { engine, store, linker, seen } = whoLinker(compilation);
  // B calls `who` directly and exports that; A calls B's export (a direct wasm-to-wasm call).
  const b = linker.instantiate(store, new Module(engine, `(module (import "env" "who" (func $who))
    (memory (export "memory") 1) (data (i32.const 0) "B") (func (export "who_b") (call $who)))`));
  linker.instance(store, 'b', b);
  const a = linker.instantiate(store, new Module(engine, `(module (import "env" "who" (func $who)) (import "b" "who_b" (func $whob))
    (memory (export "memory") 1) (data (i32.const 0) "A") (func (export "run") (call $who) (call $whob)))`));
  a.getFunc(store, 'run')!.call(store);
  assert.deepEqual(seen, ['A', 'B']);
  // Called from the host directly, there is no calling instance.
  (linker.get(store, 'env', 'who') as Func).call(store);
  assert.deepEqual(seen, ['A', 'B', null]);
});

for (const compilation of ['lazy', 'eager'] as const) test(`the Caller is the instance that made the call through a table, a reference or a tail call (${compilation})`, () => {
  const { engine, store, linker, seen } = whoLinker(compilation);
  // B reaches `who` only as a funcref; the host entered A, which calls B's exports.
  const b = linker.instantiate(store, new Module(engine, `(module (import "env" "who" (func $who))
    (type $v (func))
    (memory (export "memory") 1) (data (i32.const 0) "B")
    (table 1 funcref) (elem (i32.const 0) $who)
    (elem declare func $who)
    (tag $t)
    (func (export "indirect") (call_indirect (type $v) (i32.const 0)))
    (func (export "ref") (call_ref $v (ref.func $who)))
    (func (export "tail_indirect") (return_call_indirect (type $v) (i32.const 0)))
    (func (export "tail_ref") (return_call_ref $v (ref.func $who)))
    (func (export "tail_in_try") (try_table (catch_all 0) (return_call $who))))`));
  linker.instance(store, 'b', b);
  const names = ['indirect', 'ref', 'tail_indirect', 'tail_ref', 'tail_in_try'];
  const a = linker.instantiate(store, new Module(engine, `(module
    ${names.map((n) => `(import "b" "${n}" (func $${n}))`).join(' ')}
    (memory (export "memory") 1) (data (i32.const 0) "A")
    (func (export "run") ${names.map((n) => `(call $${n})`).join(' ')}))`));
  a.getFunc(store, 'run')!.call(store);
  assert.deepEqual(seen, ['B', 'B', 'B', 'B', 'B']);
  // The host calling B's export directly: B again; calling the host function itself: no instance.
  b.getFunc(store, 'indirect')!.call(store);
  (linker.get(store, 'env', 'who') as Func).call(store);
  assert.deepEqual(seen.slice(5), ['B', null]);

  // Tables that get the host function only at run time: through table.set from a parameter, and
  // through the API into an exported table (C's tables hold only their own functions and skip this).
  const c = linker.instantiate(store, new Module(engine, `(module
    (type $v (func))
    (memory (export "memory") 1) (data (i32.const 0) "C")
    (table $private 1 funcref) (table $public (export "public") 1 funcref)
    (func (export "install") (param funcref) (table.set $private (i32.const 0) (local.get 0)))
    (func (export "call_private") (call_indirect $private (type $v) (i32.const 0)))
    (func (export "call_public") (call_indirect $public (type $v) (i32.const 0))))`));
  const who = linker.get(store, 'env', 'who') as Func;
  c.getFunc(store, 'install')!.call(store, [Val.funcref(who)]);
  c.getTable(store, 'public')!.set(store, 0, Val.funcref(who));
  c.getFunc(store, 'call_private')!.call(store);
  c.getFunc(store, 'call_public')!.call(store);
  assert.deepEqual(seen.slice(7), ['C', 'C']);
});

test('call hooks see every transition, in order, even when wasm traps', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const events: CallHook[] = [];
  store.callHook((s, kind) => {
    assert.equal(s, store);
    events.push(kind);
  });
  const host = Func.wrap(store, funcType([I32], [I32]), (x: number) => x * 2);
  const instance = new Instance(store, new Module(engine, `(module (import "h" "f" (func $f (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (call $f (local.get 0)))
    (func (export "trap") unreachable))`), [host]);
  assert.equal(instance.getFunc(store, 'run')!.call(store, [Val.i32(4)])[0]!.value, 8);
  assert.deepEqual(events, ['CallingWasm', 'CallingHost', 'ReturningFromHost', 'ReturningFromWasm']);
  events.length = 0;
  assert.throws(() => instance.getFunc(store, 'trap')!.call(store), Trap);
  assert.deepEqual(events, ['CallingWasm', 'ReturningFromWasm']);
  // A hook that throws stops the call with its error.
  store.callHook((_s, kind) => {
    if (kind === 'CallingHost') throw new Error('host calls are not allowed now');
  });
  assert.throws(() => instance.getFunc(store, 'run')!.call(store, [Val.i32(1)]), /host calls are not allowed now/);
  store.callHook(null);
  assert.equal(instance.getFunc(store, 'run')!.call(store, [Val.i32(1)])[0]!.value, 2);
});

test('WasmBacktrace captures the wasm frames of a host call and comes with traps', () => {
  const engine = new Engine();
  const store = new Store(engine);
  let captured: WasmBacktrace | null = null;
  const host = Func.wrap(store, funcType([], []), () => {
    captured = WasmBacktrace.capture(store);
  });
  const instance = new Instance(store, new Module(engine, `(module $traces (import "h" "f" (func $hostf))
    (func $inner (call $hostf) unreachable)
    (func $outer (export "run") (call $inner)))`), [host]);
  let trap: unknown;
  try {
    instance.getFunc(store, 'run')!.call(store);
  } catch (e) {
    trap = e;
  }
  assert.deepEqual(captured!.frames.map((f) => [f.funcName, f.moduleName]), [['inner', 'traces'], ['outer', 'traces']]);
  const bt = WasmBacktrace.fromError(trap)!;
  assert.deepEqual(bt.frames.map((f) => f.funcIndex), [1, 2]);
  assert.match(bt.toString(), /traces!inner/);
  assert.equal(WasmBacktrace.fromError(new Error('x')), null);
  assert.equal(WasmBacktrace.capture(store).frames.length, 0);
});

test("WasmBacktrace.fromError gives a host function's error its wasm callers, as Wasmtime does", () => {
  const engine = new Engine();
  const store = new Store(engine);
  const thrown: unknown[] = [new Error('host says no'), { code: 7 }, 'a string', 42];
  let next = 0;
  // The outer host function calls back into wasm, whose host call throws; the error passes through
  // both calls' wasm frames and the outer host function rethrows it.
  let instance: Instance;
  const fail = Func.wrap(store, funcType([], []), () => {
    throw thrown[next];
  });
  const reenter = Func.wrap(store, funcType([], []), () => {
    instance.getFunc(store, 'inner')!.call(store);
  });
  instance = new Instance(store, new Module(engine, `(module $hosts
    (import "h" "fail" (func $fail))
    (import "h" "reenter" (func $reenter))
    (func $deep (call $fail))
    (func $inner (export "inner") (call $deep))
    (func $middle (call $reenter))
    (func $outer (export "outer") (call $middle)))`), [fail, reenter]);
  const caught = (name: string): unknown => {
    try {
      instance.getFunc(store, name)!.call(store);
    } catch (e) {
      return e;
    }
    assert.fail('no throw');
  };
  const inner = caught('inner');
  assert.equal(inner, thrown[0], 'the error itself reaches the embedder');
  assert.deepEqual(WasmBacktrace.fromError(inner)!.frames.map((f) => [f.funcName, f.funcIndex, f.moduleName]),
    [['deep', 2, 'hosts'], ['inner', 3, 'hosts']]);
  assert.match(WasmBacktrace.fromError(inner)!.toString(), /^ {3}0: 0x[0-9a-f]+ - hosts!deep \(function 2\)\n {3}1: 0x[0-9a-f]+ - hosts!inner \(function 3\)$/);

  next = 1;
  const object = caught('outer');
  assert.equal(object, thrown[1]);
  // Where it was first thrown: under the inner call, above the outer one's frames.
  assert.deepEqual(WasmBacktrace.fromError(object)!.frames.map((f) => f.funcName), ['deep', 'inner', 'middle', 'outer']);

  // A primitive cannot carry one; an error that never passed through wasm has none.
  for (next = 2; next < 4; next++) {
    assert.equal(caught('inner'), thrown[next]);
    assert.equal(WasmBacktrace.fromError(thrown[next]), null);
  }
  assert.equal(WasmBacktrace.fromError(new Error('never in wasm')), null);
});
