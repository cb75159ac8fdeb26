// WebAssembly.Memory beside Node's: the descriptor (values, errors, evaluation order), the buffer's
// identity and detachment when the memory grows from JS or from wasm, and grow's results and errors.
// Then tswasm only: memory64 descriptors (Node 20 has no memory64) and the detachOnGrow: false mode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { instantiate, ours, outcome, same, wasm, type Namespace } from './side-by-side.js';
import { nativeFrom, needsKnownOracle } from '../helpers/oracle.js';

const GROW = `(module (import "m" "mem" (memory 1 4))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))`;

test('descriptors: accepted values, TypeErrors and RangeErrors', async () => {
  const descriptors: unknown[] = [
    { initial: 0 }, { initial: 1, maximum: 1 }, { initial: '2' }, { initial: true }, { initial: 1.9, maximum: 2.1 },
    { initial: 2, maximum: 1 }, { initial: 65536 }, { initial: 65537 }, { initial: 0, maximum: 65537 }, { initial: -1 },
    { initial: 2 ** 32 }, { initial: NaN }, { initial: Infinity }, { initial: undefined }, { maximum: 1 }, {}, { initial: 1n },
    { initial: { valueOf: () => 1 } }, { initial: Symbol('s') }, undefined, null, 1, 'x', Object.assign(() => {}, { initial: 1 }),
  ];
  for (const [i, d] of descriptors.entries()) await same((W) => new W.Memory(d).buffer.byteLength, `descriptor ${i}`);
  await same((W) => new W.Memory());
  await same((W) => new W.Memory({ initial: 1 }, 'extra').buffer.byteLength);
});

test('the descriptor is read in the spec\'s order, each conversion right after its read', async () => {
  await same((W) => {
    const log: string[] = [];
    const d = {
      get initial() { log.push('initial'); return { valueOf() { log.push('initial valueOf'); return 1; } }; },
      get maximum() { log.push('maximum'); return { valueOf() { log.push('maximum valueOf'); return 2; } }; },
    };
    new W.Memory(d);
    return log;
  });
});

test('buffer keeps its identity until the memory grows; growing detaches it', async () => {
  await same((W: Namespace) => {
    const m = new W.Memory({ initial: 1, maximum: 3 });
    const b = m.buffer;
    const view = new Uint8Array(b);
    view[10] = 42;
    const same1 = m.buffer === b;
    const old = m.grow(1);
    const nb = m.buffer;
    return [same1, old, b.byteLength, view.length, nb !== b, nb.byteLength, new Uint8Array(nb)[10], Object.getPrototypeOf(nb) === ArrayBuffer.prototype];
  });
  await same((W: Namespace) => {
    const m = new W.Memory({ initial: 1 });
    const b = m.buffer;
    const r = m.grow(0);
    return [r, b.byteLength, m.buffer !== b, m.buffer.byteLength];
  }, 'grow(0) still replaces the buffer');
  await same((W: Namespace) => {
    const m = new W.Memory({ initial: 1, maximum: 1 });
    const b = m.buffer;
    let error = '';
    try {
      m.grow(1);
    } catch (e) {
      error = (e as Error).constructor.name;
    }
    return [error, b.byteLength, m.buffer === b];
  }, 'a failed grow leaves the buffer alone');
});

test('memory.grow in wasm detaches the buffer JS holds, as does a grow by 0', async () => {
  await same((W: Namespace) => {
    const mem = new W.Memory({ initial: 1, maximum: 4 });
    const e = instantiate(W, GROW, { m: { mem } });
    const b0 = mem.buffer;
    e.store(100, 7);
    const r1 = e.grow(1);
    const b1 = mem.buffer;
    const r0 = e.grow(0);
    const b2 = mem.buffer;
    const rf = e.grow(10);
    return [r1, b0.byteLength, b1.byteLength, r0, b1.byteLength, b2.byteLength, b2 !== b1, rf, mem.buffer === b2, e.size(), e.load(100), new Uint8Array(b2)[100]];
  });
});

test('grow: argument conversion and errors', async () => {
  for (const delta of [1, '1', 1.7, -1, NaN, undefined, null, 2 ** 32, 1n, { valueOf: () => 1 }, 4, 3]) {
    await same((W: Namespace) => {
      const m = new W.Memory({ initial: 1, maximum: 4 });
      return [m.grow(delta), m.buffer.byteLength];
    }, `grow(${String(delta)})`);
  }
  await same((W: Namespace) => new W.Memory({ initial: 1 }).grow());
  await same((W: Namespace) => new W.Memory({ initial: 0 }).grow(65537));
});

test('a memory exported by wasm is one Memory object, shared with importers', async () => {
  await same((W: Namespace) => {
    const e = instantiate(W, '(module (memory (export "m") (export "m2") 1) (func (export "grow") (result i32) (memory.grow (i32.const 1))))');
    const e2 = instantiate(W, '(module (import "x" "m" (memory 1)) (export "again" (memory 0)))', { x: { m: e.m } });
    const b = e.m.buffer;
    e.grow();
    return [e.m === e.m2, e2.again === e.m, e.m instanceof W.Memory, b.byteLength, e.m.buffer.byteLength];
  });
});

test('memory.buffer is exactly the memory\'s size, also after wasm grew it before JS saw it', async () => {
  await same((W: Namespace) => {
    // The start function grows a memory one page at a time, as Rust's allocator does (an engine
    // that reserves room to grow must still hand JS a buffer of exactly the memory's size).
    const e = instantiate(W, `(module (memory (export "m") 1)
      (func $start (local i32) (loop (drop (memory.grow (i32.const 1)))
        (br_if 0 (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 9)))))
      (start $start)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "last") (result i32) (i32.load8_u (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)))))`);
    const sizes = [e.m.buffer.byteLength];
    new Uint8Array(e.m.buffer)[10 * 65536 - 1] = 7;
    const seen = [e.last()];
    for (const d of [1, 1, 0, 3]) {
      e.grow(d);
      sizes.push(e.m.buffer.byteLength);
      seen.push(e.last(), new Uint8Array(e.m.buffer)[10 * 65536 - 1]!);
    }
    return [sizes, seen];
  });
});

test('JS reading memory.buffer inside an import, after wasm grew the memory, shares bytes both ways', async () => {
  await same((W: Namespace) => {
    const seen: number[] = [];
    let m: { buffer: ArrayBuffer } | null = null;
    const e = instantiate(W, `(module (import "js" "peek" (func $peek (param i32)))
      (memory (export "m") 1)
      (func (export "run") (result i32)
        (drop (memory.grow (i32.const 1))) (drop (memory.grow (i32.const 1)))
        (i32.store8 (i32.const 140000) (i32.const 5))
        (call $peek (i32.const 140000))
        (i32.load8_u (i32.const 140001))))`, {
      js: { peek: (at: number) => {
        const bytes = new Uint8Array(m!.buffer);
        seen.push(bytes.length, bytes[at]!);
        bytes[at + 1] = 6;
      } },
    });
    m = e.m;
    return [e.run(), seen, e.m.buffer.byteLength];
  });
});

// tswasm only from here: Node 20 has neither memory64 nor a non-detaching mode.

test('memory64: i64 addresses take and return BigInts', () => {
  const m = new ours.Memory({ initial: 1n, maximum: 3n, address: 'i64' });
  assert.equal(m.buffer.byteLength, 65536);
  assert.equal(m.grow(1n), 1n);
  assert.throws(() => m.grow(1), TypeError);
  assert.throws(() => m.grow(-1n), TypeError);
  assert.throws(() => m.grow(2n ** 64n), TypeError);
  assert.throws(() => m.grow(2n), RangeError);
  assert.throws(() => new ours.Memory({ initial: 1, address: 'i64' }), TypeError);
  assert.throws(() => new ours.Memory({ initial: 2n ** 48n + 1n, address: 'i64' }), RangeError);
  assert.throws(() => new ours.Memory({ initial: 1, address: 'i128' }), TypeError);
  const e = instantiate(ours, '(module (import "m" "mem" (memory i64 1)) (func (export "size") (result i64) (memory.size)))', { m: { mem: m } });
  assert.equal(e.size(), 2n);
});

test('the JS API\'s runtime limit: a memory of more than 262,144 pages (16 GiB) cannot be made or grown to', () => {
  assert.throws(() => new ours.Memory({ initial: 262_145n, address: 'i64' }), RangeError);
  // Valid (a maximum up to 2^48 pages), so accepted; the limit stops growth.
  const m = new ours.Memory({ initial: 1n, maximum: 2n ** 40n, address: 'i64' });
  assert.throws(() => m.grow(262_144n), RangeError);
  assert.equal(m.buffer.byteLength, 65536);
  // A module whose memory starts above it compiles (a dynamic limit) and cannot be instantiated.
  const over = wasm('(module (memory i64 262145))');
  assert.ok(ours.validate(over));
  assert.throws(() => new ours.Instance(new ours.Module(over)), RangeError);
  const e = instantiate(ours, '(module (memory i64 1) (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))');
  assert.equal(e.grow(262_144n), -1n);
});

test('memory64 past 4 GiB, beside Node 24\'s and 26\'s (V8 there has buffers that long; Node 18 and 20 do not, and growth fails)', { skip: needsKnownOracle('memory64 past 4 GiB') }, async () => {
  const grow = (W: Namespace) => {
    const m = new W.Memory({ initial: 1n, address: 'i64' });
    const old = m.grow(65_536n);
    const bytes = new Uint8Array(m.buffer);
    bytes[2 ** 32 + 5] = 42;
    const e = instantiate(W, '(module (import "m" "mem" (memory i64 1)) (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0))))', { m: { mem: m } });
    return [old, m.buffer.byteLength, e.load(2n ** 32n + 5n)];
  };
  if (nativeFrom(24)) assert.deepEqual(await same(grow), { value: [1n, 2 ** 32 + 65536, 42] });
  else if (nativeFrom(22)) assert.deepEqual(await outcome(ours, grow), { value: [1n, 2 ** 32 + 65536, 42] });
  else assert.deepEqual(await outcome(ours, grow), { error: 'RangeError' });
});

test('a shared memory64 past 4 GiB, beside Node 24\'s and 26\'s', { skip: needsKnownOracle('shared memory64 past 4 GiB') }, async () => {
  const grow = (W: Namespace) => {
    const m = new W.Memory({ address: 'i64', initial: 1n, maximum: 70_000n, shared: true });
    const old = m.grow(65_536n);
    return [old, m.buffer.byteLength];
  };
  if (nativeFrom(24)) assert.deepEqual(await same(grow), { value: [1n, 2 ** 32 + 65536] });
  else if (nativeFrom(22)) assert.deepEqual(await outcome(ours, grow), { value: [1n, 2 ** 32 + 65536] });
  else assert.deepEqual(await outcome(ours, grow), { error: 'RangeError' });
  // The JS API's limit holds for shared memories too.
  const big = new ours.Memory({ address: 'i64', initial: 1n, maximum: 2n ** 20n, shared: true });
  assert.throws(() => big.grow(262_144n), RangeError);
});

test('detachOnGrow: false keeps old buffers attached (stale), and still refreshes `buffer`', () => {
  const W = createWebAssembly({ detachOnGrow: false });
  const mem = new W.Memory({ initial: 1, maximum: 4 });
  const e = instantiate(W, GROW, { m: { mem } });
  const b0 = mem.buffer;
  new Uint8Array(b0)[5] = 9;
  assert.equal(e.grow(1), 1);
  assert.equal(b0.byteLength, 65536, 'the old buffer is still attached');
  assert.notEqual(mem.buffer, b0);
  assert.equal(e.load(5), 9, 'contents were copied');
  new Uint8Array(b0)[5] = 1;
  assert.equal(e.load(5), 9, 'writes to the old buffer no longer reach the memory');
  const b1 = mem.buffer;
  mem.grow(0);
  assert.equal(mem.buffer, b1, 'a grow by 0 changes nothing');
});

test('a buffer nobody has seen is not detached (nothing could observe it)', () => {
  const mem = new ours.Memory({ initial: 1, maximum: 4 });
  const e = instantiate(ours, GROW, { m: { mem } });
  e.store(3, 5);
  e.grow(1);
  e.grow(0);
  assert.equal(new Uint8Array(mem.buffer)[3], 5);
  assert.equal(mem.buffer.byteLength, 2 * 65536);
});

test('glue that notices growth by its view becoming empty (wasm-bindgen\'s) needs the spec mode', async () => {
  // wasm-bindgen caches `new Uint8Array(memory.buffer)` and renews it when its byteLength is 0.
  const glue = (W: Namespace) => {
    const mem = new W.Memory({ initial: 1, maximum: 4 });
    const e = instantiate(W, GROW, { m: { mem } });
    let cached: Uint8Array | null = null;
    const view = () => {
      if (cached === null || cached.byteLength === 0) cached = new Uint8Array(mem.buffer);
      return cached;
    };
    view()[10] = 1;
    e.grow(1);
    e.store(70000, 2);
    return [view().length, view()[70000], e.load(10)];
  };
  await same(glue);
  const stale = glue(createWebAssembly({ detachOnGrow: false }));
  assert.deepEqual(stale, [65536, undefined, 1], 'with detachOnGrow: false the cached view stays stale');
});

test('toResizableBuffer and toFixedLengthBuffer follow the spec (Node 20 has neither to compare with)', () => {
  const memory = new ours.Memory({ initial: 1, maximum: 4 });
  if (typeof (ArrayBuffer.prototype as { resize?: unknown }).resize !== 'function') {
    // Node 18: no resizable ArrayBuffers, so toResizableBuffer says so and the memory is unchanged.
    const fixed = memory.buffer;
    assert.throws(() => memory.toResizableBuffer(), /this JavaScript engine has no resizable ArrayBuffers/);
    assert.equal(memory.toFixedLengthBuffer(), fixed);
    return;
  }
  const e = instantiate(ours, GROW, { m: { mem: memory } }) as any;
  const fixed: ArrayBuffer = memory.buffer;
  assert.equal(memory.toFixedLengthBuffer(), fixed, 'a fixed-length buffer is returned as it is');
  e.store(5, 77);
  const rab: ArrayBuffer & { resizable?: boolean; maxByteLength?: number; resize(n: number): void } = memory.toResizableBuffer();
  assert.equal(fixed.byteLength, 0, 'the fixed-length buffer it replaces is detached');
  assert.equal(rab.resizable, true);
  assert.equal(rab.maxByteLength, 4 * 65536);
  assert.equal(memory.buffer, rab);
  assert.equal(memory.toResizableBuffer(), rab, 'a resizable buffer is returned as it is');
  const bytes = new Uint8Array(rab);
  assert.equal(bytes[5], 77, 'the same bytes');
  // Growth from wasm keeps the buffer and its length-tracking views; so does a grow by 0.
  assert.equal(e.grow(1), 1);
  assert.equal(memory.buffer, rab);
  assert.equal(bytes.length, 2 * 65536);
  e.store(65536 + 3, 5);
  assert.equal(bytes[65539], 5);
  assert.equal(memory.grow(0), 2);
  assert.equal(memory.buffer, rab);
  // HostResizeArrayBuffer: resizing the buffer grows the memory, by whole pages only.
  rab.resize(3 * 65536);
  assert.equal(e.size(), 3);
  assert.equal(memory.buffer, rab);
  for (const bad of [3 * 65536 + 1, 2 * 65536, 5 * 65536]) assert.throws(() => rab.resize(bad), RangeError, `resize(${bad})`);
  assert.equal(e.size(), 3);
  // Back to a fixed-length buffer: the resizable one is detached, the memory keeps its bytes, and
  // growth detaches the fixed-length buffer as before.
  const fixedAgain = memory.toFixedLengthBuffer();
  assert.equal(rab.byteLength, 0);
  assert.equal((fixedAgain as { resizable?: boolean }).resizable, false);
  assert.equal(fixedAgain.byteLength, 3 * 65536);
  assert.equal(e.load(65539), 5);
  assert.equal(memory.grow(1), 3);
  assert.equal(fixedAgain.byteLength, 0);
  assert.equal(memory.buffer.byteLength, 4 * 65536);
  assert.throws(() => new ours.Memory({ initial: 1 }).toResizableBuffer(), TypeError, 'a memory without a maximum has no resizable buffer');
  assert.throws(() => ours.Memory.prototype.toResizableBuffer.call({}), TypeError);
});

test('createWebAssembly checks its options (a misspelt detachOnGrow would silently keep the default)', () => {
  const refused: [unknown, RegExp][] = [
    [null, /options must be an object/],
    [{ detach: false }, /unknown option "detach"/],
    [{ detachOnGrow: 'no' }, /detachOnGrow must be a boolean/],
    [{ engine: { compilation: 'fast' } }, /Config\.compilation must be 'lazy' or 'eager'/],
    [{ engine: { coredumpOnTrap: true } }, /coredumpOnTrap is not an option here/],
  ];
  for (const [options, message] of refused) {
    assert.throws(() => createWebAssembly(options as never), (e: unknown) => e instanceof TypeError && message.test(e.message), JSON.stringify(options));
  }
});
