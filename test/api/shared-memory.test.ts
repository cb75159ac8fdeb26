// SharedMemory, the embedding side of the threads proposal: creation and its errors, size and
// growth, host views against wasm atomics, sharing across stores of one engine (and refusal by
// another engine), exported shared memories, wait/notify, atomics on unshared memories, alignment
// traps, and a Worker that opens the same memory with fromParts (exact counts, a wait/notify
// handshake, growth seen by both agents).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import {
  CompileError, Engine, Func, I32, I64, Instance, LinkError, Linker, Memory, Module, SharedMemory, Store, Trap, TrapCode,
  funcType, type Caller, type MemoryType, type ValType,
} from '../../src/index.js';
import { createWebAssembly, postable } from '../../src/jsapi/index.js';
import { forceFixedSharedBuffers } from '../../src/runtime/shared-memory.js';
import { needsGrowableSharedBuffers } from '../helpers/oracle.js';

const PAGE = 65536;
const THREADS = { features: { threads: true } } as const;

function memType(min: number, max: number | null, shared = true): MemoryType {
  return { limits: { min, max }, address64: false, shared, pageSizeLog2: 16 };
}

const isTrap = (code: TrapCode) => (e: unknown) => e instanceof Trap && e.code === code;

/** The functions every module below exports over its memory 0 (imported or defined before this text). */
const FUNCS = `
  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))
  (func (export "add") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))
  (func (export "cmpxchg") (param i32 i32 i32) (result i32)
    (i32.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load64") (param i32) (result i64) (i64.atomic.load (local.get 0)))
  (func (export "store64") (param i32 i64) (i64.atomic.store (local.get 0) (local.get 1)))
  (func (export "plainLoad") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "plainStore") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "inc") (param $addr i32) (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.add (local.get $addr) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64") (param i32 i64 i64) (result i32)
    (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))`;

/** A module importing a shared memory of 1 to 4 pages as env.mem and re-exporting it. */
const IMPORTING = `(module (import "env" "mem" (memory 1 4 shared)) (export "mem" (memory 0)) ${FUNCS})`;

/** The exports of FUNCS as plain JS functions of one instance. */
function fns(store: Store, instance: Instance) {
  const f = (name: string, params: ValType[], results: ValType[]) => {
    const typed = instance.getTypedFunc(store, name, params, results);
    return (...args: unknown[]) => typed.call(store, ...args);
  };
  return {
    load: f('load', [I32], [I32]) as (a: number) => number,
    store: f('store', [I32, I32], []) as (a: number, v: number) => void,
    add: f('add', [I32, I32], [I32]) as (a: number, v: number) => number,
    cmpxchg: f('cmpxchg', [I32, I32, I32], [I32]) as (a: number, e: number, r: number) => number,
    load64: f('load64', [I32], [I64]) as (a: number) => bigint,
    store64: f('store64', [I32, I64], []) as (a: number, v: bigint) => void,
    plainLoad: f('plainLoad', [I32], [I32]) as (a: number) => number,
    plainStore: f('plainStore', [I32, I32], []) as (a: number, v: number) => void,
    size: f('size', [], [I32]) as () => number,
    grow: f('grow', [I32], [I32]) as (d: number) => number,
    inc: f('inc', [I32, I32], []) as (a: number, n: number) => void,
    wait32: f('wait32', [I32, I32, I64], [I32]) as (a: number, e: number, timeoutNs: bigint) => number,
    wait64: f('wait64', [I32, I64, I64], [I32]) as (a: number, e: bigint, timeoutNs: bigint) => number,
    notify: f('notify', [I32, I32], [I32]) as (a: number, n: number) => number,
  };
}

function i32At(bytes: Uint8Array, addr: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(addr, true);
}

test('creating a SharedMemory: a shared type with a maximum, on an engine with threads', () => {
  const engine = new Engine(THREADS);
  assert.throws(() => new SharedMemory(engine, memType(1, null)), (e: unknown) => e instanceof TypeError && /maximum/.test(e.message));
  assert.throws(() => new SharedMemory(engine, memType(1, 2, false)), (e: unknown) => e instanceof TypeError && /shared/.test(e.message));
  assert.throws(() => new SharedMemory(new Engine(), memType(1, 2)), /threads feature/);
  // Invalid limits are refused with the validator's words, before anything is allocated.
  assert.throws(() => new SharedMemory(engine, memType(3, 2)), (e: unknown) => e instanceof TypeError && /minimum must not be greater than maximum/.test(e.message));
  assert.throws(() => new SharedMemory(engine, memType(1, 131072)), (e: unknown) => e instanceof TypeError && /at most 65536 pages/.test(e.message));
  // Memory refuses shared types: they belong to no store.
  assert.throws(() => new Memory(new Store(engine), memType(1, 2)), (e: unknown) => e instanceof TypeError && /SharedMemory/.test(e.message));
  // The same rules for a module's own shared memory: a validation error, not a crash.
  assert.throws(() => new Module(engine, '(module (memory 1 shared))'), (e: unknown) => e instanceof CompileError && /maximum/.test(e.message));
  assert.throws(() => new Module(new Engine(), '(module (memory 1 2 shared))'), CompileError);
  assert.throws(() => new Module(new Engine(), `(module (memory 1) ${FUNCS})`), CompileError);

  const m = new SharedMemory(engine, memType(1, 3));
  assert.equal(m.engine, engine);
  assert.deepEqual(m.type(), memType(1, 3));
  assert.equal(m.size(), 1);
  assert.equal(m.pageSize(), PAGE);
  assert.equal(m.dataSize(), PAGE);
  assert.equal(m.data().length, PAGE);
  assert.ok(m.data().buffer instanceof SharedArrayBuffer);
  assert.ok(m.data().every((b) => b === 0));
});

test('grow: old size back, up to the maximum, then a RangeError and no change', () => {
  const m = new SharedMemory(new Engine(THREADS), memType(1, 3));
  assert.equal(m.grow(0), 1);
  assert.equal(m.grow(1), 1);
  assert.equal(m.size(), 2);
  assert.equal(m.dataSize(), 2 * PAGE);
  assert.throws(() => m.grow(2), RangeError);
  assert.equal(m.size(), 2);
  assert.throws(() => m.grow(-1), RangeError);
  assert.throws(() => m.grow(0.5), RangeError);
  assert.equal(m.grow(1), 2);
  assert.equal(m.size(), 3);
  assert.throws(() => m.grow(1), RangeError);
  assert.equal(m.size(), 3);
  assert.equal(m.data().length, 3 * PAGE);
});

// Node 18 and SpiderMonkey 102 (forced here on engines whose buffers grow): the buffer is allocated
// at the maximum, and only JS's buffer shows it.
test('where SharedArrayBuffers cannot grow, a shared memory is allocated at its maximum: wasm, data(), grow and another handle keep the published size', (t) => {
  forceFixedSharedBuffers(true);
  t.after(() => forceFixedSharedBuffers(false));
  const engine = new Engine(THREADS);
  const store = new Store(engine);
  const m = new SharedMemory(engine, memType(1, 3));
  const instance = new Instance(store, new Module(engine, IMPORTING), [m]);
  const f = fns(store, instance);
  assert.equal(m.parts().buffer.byteLength, 3 * PAGE, 'the whole maximum, up front');
  assert.equal(f.size(), 1);
  assert.equal(m.dataSize(), PAGE);
  assert.equal(m.data().length, PAGE);
  assert.throws(() => f.load(PAGE), isTrap(TrapCode.MemoryOutOfBounds), 'past the size, not the buffer, traps');
  assert.equal(f.grow(1), 1);
  f.store(PAGE, 7);
  assert.equal(f.load(PAGE), 7);
  assert.equal(m.data()[PAGE], 7);
  assert.throws(() => f.load(2 * PAGE), isTrap(TrapCode.MemoryOutOfBounds));
  const other = SharedMemory.fromParts(engine, m.parts());
  assert.equal(other.size(), 2);
  assert.equal(other.data()[PAGE], 7);
  assert.equal(other.grow(1), 2);
  assert.equal(m.size(), 3);
  assert.equal(f.size(), 3);
  assert.equal(f.grow(1), -1, 'the maximum');
  const W = createWebAssembly({ engine: THREADS });
  const js = new W.Memory({ initial: 1, maximum: 2, shared: true });
  assert.equal(js.buffer.byteLength, 2 * PAGE, "the JS API's buffer is the maximum's length (docs/embedding.md)");
  assert.equal(js.grow(1), 1);
  assert.equal(js.buffer.byteLength, 2 * PAGE);
});

test('host views and wasm atomics see each other; views stay valid after growth', () => {
  const engine = new Engine(THREADS);
  const store = new Store(engine);
  const m = new SharedMemory(engine, memType(1, 4));
  const instance = new Instance(store, new Module(engine, IMPORTING), [m]);
  const w = fns(store, instance);

  // Re-exported, the import is the same handle.
  assert.equal(instance.getSharedMemory(store, 'mem'), m);
  assert.equal(instance.getExport(store, 'mem'), m);
  assert.equal(instance.getMemory(store, 'mem'), undefined);

  // wasm -> host
  w.store(8, 0x11223344);
  assert.equal(i32At(m.data(), 8), 0x11223344);
  assert.equal(w.add(8, 1), 0x11223344);
  assert.deepEqual([...m.read(8, 4)], [0x45, 0x33, 0x22, 0x11]);
  w.store64(16, -2n);
  assert.deepEqual([...m.read(16, 8)], [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

  // host -> wasm, through data() and write()
  const view = m.data();
  new DataView(view.buffer).setInt32(32, -5, true);
  assert.equal(w.load(32), -5);
  assert.equal(w.cmpxchg(32, -5, 9), -5);
  assert.equal(w.load(32), 9);
  m.write(40, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  assert.equal(w.load64(40), 0x0807060504030201n);
  assert.throws(() => m.write(PAGE - 2, new Uint8Array(4)), RangeError);
  assert.throws(() => m.read(PAGE, 1), RangeError);

  // Growth by wasm: the old view still aliases the memory (the buffer never moves) but keeps its
  // length; data() afterwards covers the new page, and both directions keep working there.
  assert.equal(w.grow(1), 1);
  assert.equal(m.size(), 2);
  assert.equal(view.length, PAGE);
  view[48] = 0x7f;
  assert.equal(w.plainLoad(48), 0x7f);
  w.store(4, 1234);
  assert.equal(i32At(view, 4), 1234);
  const grown = m.data();
  assert.equal(grown.length, 2 * PAGE);
  assert.equal(grown.buffer, view.buffer);
  new DataView(grown.buffer).setInt32(PAGE + 8, 77, true);
  assert.equal(w.load(PAGE + 8), 77);
  assert.equal(w.plainLoad(PAGE + 8), 77);
  w.store(PAGE + 12, 78);
  assert.equal(i32At(grown, PAGE + 12), 78);
  assert.deepEqual([...m.read(PAGE + 12, 4)], [78, 0, 0, 0]);

  // Growth by the host is seen by wasm (size, then both atomic and plain accesses).
  assert.equal(m.grow(1), 2);
  assert.equal(w.size(), 3);
  w.store(2 * PAGE, 5);
  assert.equal(w.plainLoad(2 * PAGE), 5);
  assert.equal(m.data()[2 * PAGE], 5);
  assert.throws(() => w.load(3 * PAGE), isTrap(TrapCode.MemoryOutOfBounds));
  // wasm's memory.grow fails with -1 at the maximum, the host's with a RangeError.
  assert.equal(w.grow(2), -1);
  assert.equal(w.grow(1), 3);
  assert.throws(() => m.grow(1), RangeError);
  assert.equal(w.size(), 4);
});

test('one SharedMemory in instances of two stores of one engine; another engine is refused', () => {
  const engine = new Engine(THREADS);
  const module = new Module(engine, IMPORTING);
  const m = new SharedMemory(engine, memType(1, 4));
  const s1 = new Store(engine);
  const s2 = new Store(engine);
  // Defined once through the linker (in s1's context), usable in every store of the engine.
  const linker = new Linker(engine);
  linker.define(s1, 'env', 'mem', m);
  assert.equal(linker.get(s2, 'env', 'mem'), m);
  const a = fns(s1, linker.instantiate(s1, module));
  const b = fns(s2, linker.instantiate(s2, module));
  const s3 = new Store(engine);
  const c = fns(s3, new Instance(s3, module, [m]));

  a.store(0, 41);
  assert.equal(b.load(0), 41);
  assert.equal(c.add(0, 1), 41);
  assert.equal(a.load(0), 42);
  b.plainStore(4, 7);
  assert.equal(a.plainLoad(4), 7);
  assert.equal(b.grow(1), 1);
  assert.equal(a.size(), 2);
  assert.equal(c.size(), 2);
  a.store(PAGE, 9);
  assert.equal(b.load(PAGE), 9);
  assert.equal(c.plainLoad(PAGE), 9);

  // A host function's Caller hands out the same shared memory.
  const callerModule = new Module(engine, `(module (import "env" "mem" (memory 1 4 shared)) (export "mem" (memory 0))
    (import "env" "peek" (func $peek (result i32))) (func (export "run") (result i32) (call $peek)))`);
  let seen: unknown;
  const peek = Func.wrapWithCaller(s2, funcType([], [I32]), (caller: Caller) => {
    seen = caller.getExport('mem');
    return (seen as SharedMemory).read(0, 1)[0];
  });
  const viaCaller = new Instance(s2, callerModule, [m, peek]);
  assert.equal(viaCaller.getFunc(s2, 'run')!.call(s2)[0]!.value, 42);
  assert.equal(seen, m);

  // Another engine refuses it, whether given directly or through its linker.
  const other = new Engine(THREADS);
  const otherStore = new Store(other);
  const otherModule = new Module(other, IMPORTING);
  assert.throws(() => new Instance(otherStore, otherModule, [m]), /shared memory used with another engine/);
  assert.throws(() => new Linker(other).define(otherStore, 'env', 'mem', m), /shared memory used with another engine/);

  // Import types are checked like any memory's: shared-ness and limits.
  const unshared = new Module(engine, '(module (import "env" "mem" (memory 1 4)))');
  assert.throws(() => new Instance(s1, unshared, [m]), LinkError);
  const smallMax = new Module(engine, '(module (import "env" "mem" (memory 1 2 shared)))');
  assert.throws(() => new Instance(s1, smallMax, [m]), LinkError);
  const bigMin = new Module(engine, '(module (import "env" "mem" (memory 3 4 shared)))');
  assert.throws(() => new Instance(s1, bigMin, [m]), LinkError);
  // Its current size counts: grown to 2 pages, it satisfies a minimum of 2.
  new Instance(s1, new Module(engine, '(module (import "env" "mem" (memory 2 4 shared)))'), [m]);
  // An unshared Memory does not satisfy a shared import.
  const plain = new Memory(s1, memType(1, 4, false));
  assert.throws(() => new Instance(s1, module, [plain]), LinkError);
});

test('a shared memory64 grows past 4 GiB where growable SharedArrayBuffers can be that long (V8 from Node 22), else its growth fails', { skip: needsGrowableSharedBuffers('growth past 4 GiB') }, () => {
  const engine = new Engine(THREADS);
  const m = new SharedMemory(engine, { limits: { min: 1, max: 65_537 }, address64: true, shared: true, pageSizeLog2: 16 });
  let long = true;
  try {
    new (SharedArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => SharedArrayBuffer)(0, { maxByteLength: 2 ** 32 + PAGE });
  } catch {
    long = false;
  }
  if (!long) {
    assert.throws(() => m.grow(65_536), RangeError);
    assert.equal(m.size(), 1);
    return;
  }
  assert.equal(m.grow(65_536), 1);
  m.write(2 ** 32 + 7, new Uint8Array([9, 8]));
  // Another handle, as a Worker would open it, sees the size and the bytes past 4 GiB.
  const copy = SharedMemory.fromParts(new Engine(THREADS), structuredClone(m.parts()));
  assert.equal(copy.size(), 65_537);
  assert.deepEqual([...copy.read(2 ** 32 + 7, 2)], [9, 8]);
  assert.throws(() => copy.grow(1), RangeError);
});

test('fromParts: the same memory under another handle, in this engine or another', () => {
  const engine = new Engine(THREADS);
  const m = new SharedMemory(engine, memType(1, 4));
  const parts = m.parts();
  assert.ok(parts.buffer instanceof SharedArrayBuffer);
  assert.ok(parts.control instanceof SharedArrayBuffer);

  // As another agent would receive them: structured-cloned, which shares rather than copies.
  const other = new Engine(THREADS);
  const copy = SharedMemory.fromParts(other, structuredClone(parts));
  assert.equal(copy.engine, other);
  assert.notEqual(copy, m);
  assert.deepEqual(copy.type(), m.type());
  const store = new Store(other);
  const w = fns(store, new Instance(store, new Module(other, IMPORTING), [copy]));
  w.store(0, 99);
  assert.equal(i32At(m.data(), 0), 99);
  m.write(4, new Uint8Array([5]));
  assert.equal(w.load(4), 5);
  // Growth through one handle is seen by the other's size, data() and wasm code.
  assert.equal(m.grow(2), 1);
  assert.equal(copy.size(), 3);
  assert.equal(copy.data().length, 3 * PAGE);
  assert.equal(w.size(), 3);
  w.store(2 * PAGE, 3);
  assert.equal(m.data()[2 * PAGE], 3);
  // The new handle is its engine's: the first engine refuses it.
  assert.throws(() => new Instance(new Store(engine), new Module(engine, IMPORTING), [copy]), /another engine/);

  assert.throws(() => SharedMemory.fromParts(other, {} as never), TypeError);
  assert.throws(() => SharedMemory.fromParts(other, { buffer: new SharedArrayBuffer(8), control: parts.control }), TypeError);
  assert.throws(() => SharedMemory.fromParts(new Engine(), parts), /threads feature/);
});

test('a module\'s own shared memory is exported as a SharedMemory', () => {
  const engine = new Engine(THREADS);
  const s1 = new Store(engine);
  const module = new Module(engine, `(module (memory (export "mem") 1 4 shared) ${FUNCS})`);
  const instance = new Instance(s1, module);
  const m = instance.getSharedMemory(s1, 'mem');
  assert.ok(m instanceof SharedMemory);
  assert.equal(m.engine, engine);
  assert.deepEqual(m.type(), memType(1, 4));
  assert.equal(instance.getMemory(s1, 'mem'), undefined, 'getMemory is for unshared memories');
  assert.equal(instance.getExport(s1, 'mem'), m);
  assert.equal(instance.getSharedMemory(s1, 'mem'), m, 'one handle per memory');
  assert.equal(instance.exports(s1).find((e) => e.name === 'mem')!.value, m);
  assert.equal(instance.getSharedMemory(s1, 'load'), undefined);
  assert.equal(module.exports().find((e) => e.name === 'mem')!.type.kind, 'memory');

  const own = fns(s1, instance);
  own.store(12, 3);
  assert.equal(i32At(m.data(), 12), 3);
  // Imported into an instance of another store of the same engine.
  const s2 = new Store(engine);
  const b = fns(s2, new Instance(s2, new Module(engine, IMPORTING), [m]));
  assert.equal(b.add(12, 4), 3);
  assert.equal(own.load(12), 7);
  assert.equal(b.grow(1), 1);
  assert.equal(own.size(), 2);
  assert.equal(m.size(), 2);
  // Not into another engine's.
  const other = new Engine(THREADS);
  assert.throws(() => new Instance(new Store(other), new Module(other, IMPORTING), [m]), /another engine/);
});

test('the JS API namespace: shared memory descriptors', () => {
  const W = createWebAssembly({ engine: THREADS });
  // Without a maximum, a TypeError (as the JS API spec says).
  assert.throws(() => new W.Memory({ initial: 1, shared: true }), TypeError);
  // With one, either supported (a SharedArrayBuffer) or refused with a clear TypeError.
  let made: { buffer: unknown } | undefined;
  try {
    made = new W.Memory({ initial: 1, maximum: 2, shared: true });
  } catch (e) {
    assert.ok(e instanceof TypeError && /shared/.test(e.message), String(e));
  }
  if (made !== undefined) assert.ok(made.buffer instanceof SharedArrayBuffer);
});

test('wait and notify in one thread: timed out, not equal, no waiters', () => {
  const engine = new Engine(THREADS);
  const store = new Store(engine);
  const m = new SharedMemory(engine, memType(1, 1));
  const w = fns(store, new Instance(store, new Module(engine, IMPORTING), [m]));
  w.store(8, 5);
  w.store64(16, 0x1_0000_0002n);

  let t0 = performance.now();
  assert.equal(w.wait32(0, 0, 20_000_000n), 2, 'timed out');
  assert.ok(performance.now() - t0 >= 15, `waited ${performance.now() - t0} ms for a 20 ms timeout`);
  assert.equal(w.wait32(0, 0, 0n), 2, 'a zero timeout times out at once');
  assert.equal(w.wait32(8, 4, -1n), 1, 'not equal (does not block, even without a timeout)');
  t0 = performance.now();
  assert.equal(w.wait64(16, 0x1_0000_0002n, 10_000_000n), 2);
  assert.ok(performance.now() - t0 >= 5);
  // All 64 bits are compared: the low word alone matching is not equal.
  assert.equal(w.wait64(16, 2n, -1n), 1);
  assert.equal(w.notify(0, 1), 0, 'nobody waits');
  assert.equal(w.notify(0, -1), 0);

  // The same from the host.
  t0 = performance.now();
  assert.equal(m.atomicWait32(0, 0, 20), 'timed-out');
  assert.ok(performance.now() - t0 >= 15);
  assert.equal(m.atomicWait32(8, 4, 20), 'mismatch');
  assert.equal(m.atomicWait32(8, 4), 'mismatch');
  assert.throws(() => m.atomicWait32(0, 0, NaN), RangeError, "a NaN timeout is refused, not taken as 0");
  assert.equal(m.atomicWait64(16, 0x1_0000_0002n, 5), 'timed-out');
  assert.equal(m.atomicWait64(16, 2n), 'mismatch');
  assert.equal(m.atomicNotify(0, 10), 0);

  // Their traps: alignment first, then bounds.
  assert.throws(() => w.wait32(2, 0, 0n), isTrap(TrapCode.HeapMisaligned));
  assert.throws(() => w.wait64(4, 0n, 0n), isTrap(TrapCode.HeapMisaligned));
  assert.throws(() => w.notify(1, 1), isTrap(TrapCode.HeapMisaligned));
  assert.throws(() => w.wait32(PAGE, 0, 0n), isTrap(TrapCode.MemoryOutOfBounds));
  assert.throws(() => w.notify(PAGE, 1), isTrap(TrapCode.MemoryOutOfBounds));
  assert.throws(() => w.notify(PAGE + 1, 1), isTrap(TrapCode.HeapMisaligned));
  assert.throws(() => m.atomicWait32(2, 0, 0), isTrap(TrapCode.HeapMisaligned));
  assert.throws(() => m.atomicWait64(4, 0n, 0), isTrap(TrapCode.HeapMisaligned));
  assert.throws(() => m.atomicNotify(6, 1), isTrap(TrapCode.HeapMisaligned));
  assert.throws(() => m.atomicNotify(PAGE, 1), isTrap(TrapCode.MemoryOutOfBounds));
  assert.throws(() => m.atomicWait32(PAGE, 0, 0), isTrap(TrapCode.MemoryOutOfBounds));
});

test('atomics on an unshared memory work; wait traps, notify wakes nobody', () => {
  const engine = new Engine(THREADS);
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, `(module (memory (export "mem") 1 2) ${FUNCS})`));
  const w = fns(store, instance);
  const mem = instance.getMemory(store, 'mem');
  assert.ok(mem instanceof Memory, 'an unshared memory stays a Memory');
  assert.equal(instance.getSharedMemory(store, 'mem'), undefined);

  w.store(0, 10);
  assert.equal(w.add(0, 5), 10);
  assert.equal(w.cmpxchg(0, 15, 1), 15);
  assert.equal(w.cmpxchg(0, 15, 2), 1, 'a failed compare-exchange leaves the value');
  assert.equal(w.load(0), 1);
  w.store64(8, 0x1234_5678_9abc_def0n);
  assert.equal(w.load64(8), 0x1234_5678_9abc_def0n);
  assert.equal(i32At(mem.data(store), 0), 1);
  w.inc(16, 1000);
  assert.equal(w.load(16), 1000);
  // After growth (a new buffer for an unshared memory), atomics use the new one.
  assert.equal(w.grow(1), 1);
  w.store(PAGE + 4, 6);
  assert.equal(w.add(PAGE + 4, 1), 6);
  assert.equal(i32At(mem.data(store), PAGE + 4), 7);
  assert.equal(w.load(16), 1000);

  assert.equal(w.notify(0, 1), 0);
  assert.throws(() => w.wait32(0, 1, 0n), isTrap(TrapCode.AtomicWaitNonSharedMemory));
  assert.throws(() => w.wait32(0, 0, 1_000_000n), isTrap(TrapCode.AtomicWaitNonSharedMemory));
  assert.throws(() => w.wait64(8, 0n, 0n), isTrap(TrapCode.AtomicWaitNonSharedMemory));
  assert.throws(() => w.wait32(0, 1, 0n), /expected shared memory/);
  assert.throws(() => w.notify(2, 1), isTrap(TrapCode.HeapMisaligned));
  assert.throws(() => w.notify(2 * PAGE, 1), isTrap(TrapCode.MemoryOutOfBounds));
});

test('misaligned atomic accesses trap with HeapMisaligned, before the bounds check', () => {
  const engine = new Engine(THREADS);
  const aligned = `(module (import "env" "mem" (memory 1 1 shared))
    (func (export "l16") (param i32) (result i32) (i32.atomic.load16_u (local.get 0)))
    (func (export "l8") (param i32) (result i32) (i32.atomic.load8_u (local.get 0)))
    (func (export "rmw16") (param i32) (result i32) (i32.atomic.rmw16.add_u (local.get 0) (i32.const 1)))
    (func (export "rmw64") (param i32) (result i64) (i64.atomic.rmw.xchg (local.get 0) (i64.const 1)))
    (func (export "cmpxchg32_64") (param i32) (result i64) (i64.atomic.rmw32.cmpxchg_u (local.get 0) (i64.const 0) (i64.const 1)))
    (func (export "off2") (param i32) (result i32) (i32.atomic.load offset=2 (local.get 0)))
    (func (export "const2") (result i32) (i32.atomic.load (i32.const 2)))
    (func (export "const2off2") (result i32) (i32.atomic.load offset=2 (i32.const 2)))
    ${FUNCS})`;
  const store = new Store(engine);
  const m = new SharedMemory(engine, memType(1, 1));
  const instance = new Instance(store, new Module(engine, aligned), [m]);
  const w = fns(store, instance);
  const misaligned = isTrap(TrapCode.HeapMisaligned);

  assert.throws(() => w.load(2), misaligned);
  assert.throws(() => w.store(1, 0), misaligned);
  assert.throws(() => w.add(3, 1), misaligned);
  assert.throws(() => w.cmpxchg(6, 0, 1), misaligned);
  assert.throws(() => w.load64(4), misaligned);
  assert.throws(() => w.store64(12, 1n), misaligned);
  assert.throws(() => instance.getTypedFunc(store, 'l16', [I32], [I32]).call(store, 1), misaligned);
  assert.throws(() => instance.getTypedFunc(store, 'rmw16', [I32], [I32]).call(store, 3), misaligned);
  assert.throws(() => instance.getTypedFunc(store, 'rmw64', [I32], [I64]).call(store, 4), misaligned);
  assert.throws(() => instance.getTypedFunc(store, 'cmpxchg32_64', [I32], [I64]).call(store, 2), misaligned);
  assert.throws(() => instance.getTypedFunc(store, 'const2', [], [I32]).call(store), misaligned);
  // The effective address (base + offset) is what must be aligned.
  assert.throws(() => instance.getTypedFunc(store, 'off2', [I32], [I32]).call(store, 0), misaligned);
  m.write(4, new Uint8Array([9]));
  assert.equal(instance.getTypedFunc(store, 'off2', [I32], [I32]).call(store, 2), 9);
  assert.equal(instance.getTypedFunc(store, 'const2off2', [], [I32]).call(store), 9);
  // Naturally aligned narrow accesses are fine at odd addresses; plain loads need no alignment.
  assert.equal(instance.getTypedFunc(store, 'l8', [I32], [I32]).call(store, 3), 0);
  assert.equal(instance.getTypedFunc(store, 'l16', [I32], [I32]).call(store, 4), 9);
  assert.equal(w.plainLoad(3), 9 << 8);
  // Misaligned and out of bounds: misaligned; aligned and out of bounds: out of bounds.
  assert.throws(() => w.load(PAGE + 2), misaligned);
  assert.throws(() => w.load(-2), misaligned);
  assert.throws(() => w.load(PAGE), isTrap(TrapCode.MemoryOutOfBounds));
  assert.throws(() => w.load64(PAGE - 4), misaligned);
  assert.throws(() => w.load64(PAGE), isTrap(TrapCode.MemoryOutOfBounds));
  // The trap message is the spec's.
  assert.throws(() => w.load(2), /unaligned atomic/);
  // A trap leaves the memory as it was.
  assert.equal(i32At(m.data(), 0), 0);
});

// ---------------------------------------------------------------------------------------------
// Another agent: a Worker opens the memory with SharedMemory.fromParts in its own Engine and Store.

const LIBRARY_URL = new URL('../../src/index.js', import.meta.url).href;

/**
 * Starts a Worker that imports tswasm, rebuilds the memory from `parts`, instantiates IMPORTING
 * over it and runs `body` (plain JS with `mem`, `w` (the FUNCS exports), `post` and `data` in scope).
 * Messages come back in order through `next`; a thrown error in the worker rejects it.
 */
function startWorker(parts: unknown, body: string, data: unknown = null) {
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    const post = (m) => parentPort.postMessage(m);
    import(workerData.url).then(({ Engine, Store, Module, Instance, SharedMemory, I32, I64 }) => {
      const engine = new Engine({ features: { threads: true } });
      const store = new Store(engine);
      const mem = SharedMemory.fromParts(engine, workerData.parts);
      const instance = new Instance(store, new Module(engine, workerData.wat), [mem]);
      const f = (name, params, results) => { const t = instance.getTypedFunc(store, name, params, results); return (...a) => t.call(store, ...a); };
      const w = {
        load: f('load', [I32], [I32]), store: f('store', [I32, I32], []), inc: f('inc', [I32, I32], []),
        size: f('size', [], [I32]), grow: f('grow', [I32], [I32]),
        wait32: f('wait32', [I32, I32, I64], [I32]), notify: f('notify', [I32, I32], [I32]),
      };
      const data = workerData.data;
      ${body}
    }).catch((e) => post({ error: String((e && e.stack) || e) }));`;
  const worker = new Worker(source, { eval: true, workerData: { url: LIBRARY_URL, parts, wat: IMPORTING, data } });
  const queue: unknown[] = [];
  let waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (e: Error) => {
    failure ??= e;
    waiting?.reject(e);
    waiting = null;
  };
  worker.on('message', (m: { error?: string }) => {
    if (m !== null && typeof m === 'object' && typeof m.error === 'string') return fail(new Error(`worker: ${m.error}`));
    if (waiting) {
      waiting.resolve(m);
      waiting = null;
    } else queue.push(m);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`worker exited (${code}) before sending the expected message`)));
  /** The next message, or a rejection after `ms`. */
  const next = (ms = 3000): Promise<any> => {
    if (queue.length > 0) return Promise.resolve(queue.shift());
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting = null;
        reject(new Error(`no message from the worker within ${ms} ms`));
      }, ms);
      waiting = {
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
    });
  };
  return { worker, next };
}

test('a Worker and the main thread increment one counter atomically: no lost updates', { timeout: 10_000 }, async () => {
  const engine = new Engine(THREADS);
  const store = new Store(engine);
  const m = new SharedMemory(engine, memType(1, 4));
  const w = fns(store, new Instance(store, new Module(engine, IMPORTING), [m]));
  const N = 200_000;
  const COUNTER = 0, READY = 4, GO = 8;
  const { worker, next } = startWorker(m.parts(), `
    w.store(${READY}, 1);
    mem.atomicNotify(${READY}, 1);
    // Both agents start together: wait for the main thread's go.
    const r = mem.atomicWait32(${GO}, 0, 2000);
    w.inc(${COUNTER}, data.n);
    post({ go: r, size: mem.size() });`, { n: N });
  try {
    assert.notEqual(m.atomicWait32(READY, 0, 2500), 'timed-out', 'the worker never got ready');
    w.store(GO, 1);
    m.atomicNotify(GO, 1);
    w.inc(COUNTER, N);
    const done = await next();
    assert.notEqual(done.go, 'timed-out');
    assert.equal(done.size, 1);
    assert.equal(w.load(COUNTER), 2 * N);
    assert.equal(i32At(m.data(), COUNTER), 2 * N);
  } finally {
    await worker.terminate();
  }
});

test('wait/notify handshake between a Worker and the main thread; growth seen by both', { timeout: 10_000 }, async () => {
  const engine = new Engine(THREADS);
  const store = new Store(engine);
  const m = new SharedMemory(engine, memType(1, 4));
  const w = fns(store, new Instance(store, new Module(engine, IMPORTING), [m]));
  const READY = 0, TO_WORKER = 4, TO_MAIN = 8, SCRATCH = 12;
  const { worker, next } = startWorker(m.parts(), `
    w.store(${READY}, 1);
    mem.atomicNotify(${READY}, 1);
    // 1. Block in wasm until the main thread notifies (2 s at most).
    const woke = w.wait32(${TO_WORKER}, 0, 2000000000n);
    post({ woke });
    // 2. Wake the main thread, blocked in wasm: notify until it reports one waiter woken.
    const deadline = Date.now() + 2000;
    let woken = 0;
    while ((woken = w.notify(${TO_MAIN}, 1)) === 0 && Date.now() < deadline) mem.atomicWait32(${SCRATCH}, 0, 1);
    post({ woken });
    // 3. Grow the memory from this agent and write to the new page.
    const old = w.grow(1);
    w.store(${PAGE} + 16, 4242);
    mem.data()[${PAGE} + 20] = 7;
    post({ old, size: w.size() });`);
  try {
    assert.notEqual(m.atomicWait32(READY, 0, 2500), 'timed-out', 'the worker never got ready');
    // 1. Notify from wasm until the worker is actually waiting: exactly one waiter is woken.
    const deadline = Date.now() + 2000;
    let woken = 0;
    while ((woken = w.notify(TO_WORKER, 1)) === 0 && Date.now() < deadline) m.atomicWait32(SCRATCH, 0, 1);
    assert.equal(woken, 1, 'the worker never waited');
    assert.deepEqual(await next(), { woke: 0 });
    assert.equal(w.notify(TO_WORKER, 1), 0, 'nobody waits any more');

    // 2. Block in wasm here until the worker notifies.
    assert.equal(w.wait32(TO_MAIN, 0, 2_000_000_000n), 0, 'woken by the worker, not timed out');
    assert.deepEqual(await next(), { woken: 1 });

    // 3. The worker's growth: this agent's handle, views and wasm code follow it.
    assert.deepEqual(await next(), { old: 1, size: 2 });
    assert.equal(m.size(), 2);
    assert.equal(m.data().length, 2 * PAGE);
    assert.equal(w.plainLoad(PAGE + 16), 4242, 'a plain load in the page another agent added');
    assert.equal(w.load(PAGE + 16), 4242);
    assert.equal(m.read(PAGE + 20, 1)[0], 7);
    assert.equal(w.size(), 2);
    assert.equal(w.grow(2), 2);
    assert.equal(w.grow(1), -1);
  } finally {
    await worker.terminate();
  }
});

test('found by the stop 36 threads audit: a Worker terminated inside grow, a wait of i64.max ns, the JS API grow after another agent grew, mixed parts, host atomic addresses', { timeout: 30_000 }, async () => {
  const engine = new Engine(THREADS);
  const store = new Store(engine);
  // 1. Terminated while it keeps trying to grow: growth from here still returns (a lock word, taken
  // by every grow, used to be left held, and every later grow spun forever).
  for (let trial = 0; trial < 5; trial++) {
    const m = new SharedMemory(engine, memType(1, 4));
    const { worker, next } = startWorker(m.parts(), 'post({ ready: true }); for (;;) { try { mem.grow(1); } catch {} }');
    await next();
    await new Promise((resolve) => setTimeout(resolve, 3));
    await worker.terminate();
    assert.throws(() => m.grow(1), RangeError, `trial ${trial}: at its maximum, and it returns`);
  }
  // 2. A wait of i64.max ns waits (V8's Atomics.wait answered "timed-out" at once for its milliseconds).
  const m = new SharedMemory(engine, memType(1, 4));
  const w = fns(store, new Instance(store, new Module(engine, IMPORTING), [m]));
  const { worker, next } = startWorker(m.parts(), `
    post({ ready: true });
    const deadline = Date.now() + 5000;
    while (w.notify(0, 1) === 0 && Date.now() < deadline) mem.atomicWait32(8, 0, 1);
    const old = w.grow(2);
    post({ old });`);
  try {
    await next();
    assert.equal(w.wait32(0, 0, 0x7fffffffffffffffn), 0, 'woken, not timed out');
    assert.deepEqual(await next(), { old: 1 });
  } finally {
    await worker.terminate();
  }
  // 3. The JS API's grow answers the size it grew from, not this thread's last view of it.
  const W = createWebAssembly();
  const shared = new W.Memory({ initial: 1, maximum: 8, shared: true });
  const grower = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url).then(({ createWebAssembly, postedMessageReader }) => {
      const read = postedMessageReader(createWebAssembly());
      parentPort.once('message', (m) => { read(m).mem.grow(2); parentPort.postMessage('grown'); });
    });`, { eval: true, workerData: { url: new URL('../../src/jsapi/index.js', import.meta.url).href } });
  try {
    grower.postMessage(postable({ mem: shared }));
    await new Promise((resolve) => grower.once('message', resolve));
    assert.equal(shared.grow(1), 3, 'the Worker grew it from 1 to 3 pages');
  } finally {
    await grower.terminate();
  }
  // 4. Parts of two memories do not make one.
  const small = new SharedMemory(engine, memType(1, 2));
  const big = new SharedMemory(engine, memType(4, 8));
  assert.throws(() => SharedMemory.fromParts(engine, { buffer: small.parts().buffer, control: big.parts().control }), TypeError);
  assert.throws(() => SharedMemory.fromParts(engine, { buffer: big.parts().buffer, control: small.parts().control }), TypeError);
  // 5. A host atomic's address is a non-negative integer.
  for (const bad of [-4, 0.5, NaN, '8']) {
    assert.throws(() => small.atomicNotify(bad as number, 1), RangeError, String(bad));
    assert.throws(() => small.atomicWait32(bad as number, 1, 0), RangeError, String(bad));
  }
});
