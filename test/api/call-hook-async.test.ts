// Store.callHookAsync (Wasmtime's call_hook_async): calls made with callAsync wait at each
// transition for the promise the hook answers with, and reject with its rejection; a promise where
// nothing can wait fails the call with an error naming the async forms.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, I32, Instance, Linker, Module, Store, funcType, type CallHook } from '../../src/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const program = `(module
  (import "host" "add" (func $add (param i32 i32) (result i32)))
  (import "host" "later" (func $later (param i32) (result i32)))
  (func (export "add") (param i32) (result i32) (call $add (local.get 0) (i32.const 1)))
  (func (export "later") (param i32) (result i32) (call $later (local.get 0)))
  (func (export "pure") (result i32) (i32.const 7)))`;

function setup() {
  const engine = new Engine({ asyncSupport: true });
  const store = new Store(engine, { log: [] as string[] });
  const linker = new Linker<{ log: string[] }>(engine);
  linker.funcWrapWithCaller('host', 'add', funcType([I32, I32], [I32]), (caller, a: number, b: number) => {
    caller.data.log.push('add runs');
    return a + b;
  });
  linker.funcWrapAsync('host', 'later', funcType([I32], [I32]), async (caller, x: number) => {
    caller.data.log.push('later runs');
    await sleep(1);
    return x * 2;
  });
  const instance = linker.instantiate(store, new Module(engine, program));
  return { engine, store, instance };
}

/** A hook that records each transition, and the end of its wait, answering with a promise for the kinds in `waits`. */
function slowHook(waits: readonly CallHook[], fail: CallHook | null = null) {
  return (s: Store<{ log: string[] }>, kind: CallHook): Promise<void> | undefined => {
    s.data.log.push(kind);
    if (!waits.includes(kind) && kind !== fail) return undefined;
    return sleep(2).then(() => {
      if (kind === fail) throw new Error(`hook refuses ${kind}`);
      s.data.log.push(`${kind} waited`);
    });
  };
}

test('callAsync waits for the hook at every transition, in order, around sync and async host functions', async () => {
  const { store, instance } = setup();
  store.callHookAsync(slowHook(['CallingWasm', 'CallingHost', 'ReturningFromHost', 'ReturningFromWasm']));
  assert.equal(await instance.getTypedFunc(store, 'add').callAsync(store, 41), 42);
  assert.deepEqual(store.data.log, [
    'CallingWasm', 'CallingWasm waited', 'CallingHost', 'CallingHost waited', 'add runs',
    'ReturningFromHost', 'ReturningFromHost waited', 'ReturningFromWasm', 'ReturningFromWasm waited',
  ]);
  store.data.log.length = 0;
  assert.equal(await instance.getTypedFunc(store, 'later').callAsync(store, 5), 10);
  assert.deepEqual(store.data.log, [
    'CallingWasm', 'CallingWasm waited', 'CallingHost', 'CallingHost waited', 'later runs',
    'ReturningFromHost', 'ReturningFromHost waited', 'ReturningFromWasm', 'ReturningFromWasm waited',
  ]);
});

test('a rejected answer is what the call rejects with; the host function is not entered after a refused CallingHost', async () => {
  for (const fail of ['CallingWasm', 'CallingHost', 'ReturningFromHost', 'ReturningFromWasm'] as const) {
    const { store, instance } = setup();
    store.callHookAsync(slowHook([], fail));
    await assert.rejects(instance.getTypedFunc(store, 'add').callAsync(store, 1), new RegExp(`hook refuses ${fail}`));
    assert.equal(store.data.log.includes('add runs'), fail === 'ReturningFromHost' || fail === 'ReturningFromWasm', fail);
    // The store stays usable.
    store.callHookAsync(null);
    assert.equal(await instance.getTypedFunc(store, 'add').callAsync(store, 1), 2);
  }
});

test('a promise where nothing can wait fails the call with an error naming the async forms; a plain answer works everywhere', async () => {
  const { store, instance, engine } = setup();
  store.callHookAsync(slowHook(['CallingHost']));
  const add = instance.getTypedFunc(store, 'add');
  // At a host call the hook's promise suspends the wasm stack, which a synchronous call refuses.
  assert.throws(() => add.call(store, 1), /wasm tried to suspend \(.*for a call hook .*answering with a promise.*\) inside a synchronous call: .*callAsync/);
  assert.equal(instance.getTypedFunc(store, 'pure').call(store), 7, 'no host call, no promise');
  store.callHookAsync(slowHook(['CallingWasm']));
  assert.throws(() => instance.getTypedFunc(store, 'pure').call(store), /callAsync and instantiate with instantiateAsync/);
  const hooked: CallHook[] = [];
  store.callHookAsync((_s, kind) => void hooked.push(kind));
  assert.equal(add.call(store, 1), 2);
  assert.deepEqual(hooked, ['CallingWasm', 'CallingHost', 'ReturningFromHost', 'ReturningFromWasm']);
  // A start function: Instance.newAsync waits, new Instance cannot.
  const withStart = new Module(engine, '(module (global (export "g") (mut i32) (i32.const 0)) (func $s (global.set 0 (i32.const 9))) (start $s))');
  await sleep(10); // the refused calls' hook promises, dropped, still settle
  store.data.log.length = 0;
  store.callHookAsync(slowHook(['CallingWasm', 'ReturningFromWasm']));
  const started = await Instance.newAsync(store, withStart, []);
  assert.equal(started.getGlobal(store, 'g')!.get(store).value, 9);
  assert.deepEqual(store.data.log, ['CallingWasm', 'CallingWasm waited', 'ReturningFromWasm', 'ReturningFromWasm waited']);
  assert.throws(() => new Instance(store, withStart, []), /call hook answered with a promise/);
});

test('callHookAsync needs async support; callHook replaces it and ignores what its hook returns', async () => {
  assert.throws(() => new Store(new Engine()).callHookAsync(() => {}), /Store.callHookAsync needs an engine with Config.asyncSupport/);
  const { store, instance } = setup();
  assert.throws(() => store.callHookAsync(3 as never), /Store.callHookAsync: expected a function or null/);
  store.callHookAsync(slowHook(['CallingHost']));
  // An async function given to the synchronous callHook is called, not awaited.
  const seen: CallHook[] = [];
  let settled = 0;
  store.callHook(async (_s, kind) => {
    seen.push(kind);
    await sleep(1);
    settled++;
  });
  assert.equal(instance.getTypedFunc(store, 'add').call(store, 2), 3);
  assert.equal(seen.length, 4);
  assert.equal(settled, 0, 'the call did not wait for them');
  store.callHook(null);
  assert.equal(await instance.getTypedFunc(store, 'add').callAsync(store, 2), 3);
});
