// Linear memory growth outside the JS API: a memory reserves room to grow in place (no copy of the
// whole memory at every memory.grow), and nothing past its size is ever reachable: loads, stores,
// bulk operations, atomics and the API all stop at the size, and pages grown into read as zero.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Memory, ResourceLimitError, Store, Trap, TrapCode, Val } from '../../src/api/index.js';
import { instantiateWat } from '../api/wat-helper.js';

const wat = `(module
  (memory (export "mem") 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "atomic") (param i32) (result i32) (i32.atomic.load (local.get 0))))`;

const PAGE = 65536;

function setup() {
  const { store, instance } = instantiateWat(wat, { features: { threads: true } });
  const call = (name: string, ...args: number[]) => instance.getFunc(store, name)!.call(store, args.map((a) => Val.i32(a)))[0]?.value;
  const trap = (f: () => unknown): TrapCode => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof Trap, String(e));
      return e.code;
    }
    return assert.fail('expected a trap');
  };
  return { store, memory: instance.getMemory(store, 'mem')!, call, trap };
}

test('growing one page at a time copies the memory a logarithmic number of times, and keeps its contents', () => {
  const { store, memory, call } = setup();
  const buffers = new Set<ArrayBufferLike>([memory.raw.bytes.buffer]);
  for (let pages = 1; pages < 200; pages++) {
    call('store', pages * PAGE - 1, pages & 255);
    assert.equal(call('grow', 1), pages);
    buffers.add(memory.raw.bytes.buffer);
    // The new page reads as zero, its last byte included.
    assert.equal(call('load', (pages + 1) * PAGE - 1), 0);
  }
  assert.ok(buffers.size <= 10, `${buffers.size} buffers for 199 grows`);
  for (let pages = 1; pages < 200; pages++) assert.equal(call('load', pages * PAGE - 1), pages & 255);
  assert.equal(memory.size(store), 200);
  assert.equal(memory.data(store).length, 200 * PAGE);
});

test('with room left in the buffer, every access still stops at the memory\'s size', () => {
  const { store, memory, call, trap } = setup();
  call('grow', 1);
  call('grow', 1); // 3 pages; the buffer has room for more
  assert.ok(memory.raw.bytes.buffer.byteLength > 3 * PAGE, 'the buffer reserves room to grow');
  const size = 3 * PAGE;
  assert.equal(call('load', size - 1), 0);
  assert.equal(trap(() => call('load', size)), TrapCode.MemoryOutOfBounds);
  assert.equal(trap(() => call('store', size, 1)), TrapCode.MemoryOutOfBounds);
  assert.equal(trap(() => call('fill', size - 1, 9, 2)), TrapCode.MemoryOutOfBounds);
  assert.equal(trap(() => call('atomic', size)), TrapCode.MemoryOutOfBounds);
  assert.throws(() => memory.read(store, size - 1, 2));
  assert.equal(memory.data(store).length, size);
  // Nothing was written past the size: the next page is zero once the memory grows into it.
  assert.equal(call('grow', 1), 3);
  assert.equal(call('load', size), 0);
  assert.equal(call('load', size - 1), 0);
});

test('atomics see a memory that grew in place', () => {
  const { call } = setup();
  call('grow', 1);
  call('grow', 1); // 3 pages in a 4-page buffer
  assert.equal(call('atomic', 3 * PAGE - 4), 0);
  assert.equal(call('grow', 1), 3); // in place
  call('store', 4 * PAGE - 4, 42);
  assert.equal(call('atomic', 4 * PAGE - 4), 42);
});

/** Whether this engine allocates and views a buffer past 4 GiB (V8 from Node 22; not Node 18 or 20). */
function buffersPast4GiB(): boolean {
  try {
    const buffer = new ArrayBuffer(2 ** 32 + PAGE);
    new Uint8Array(buffer);
    new DataView(buffer);
    return true;
  } catch {
    return false;
  }
}

test('memory64 past 4 GiB where the engine has such buffers (else growth fails, -1), and data segments past 2^53 (found by the stop 36 exhaustion audit)', () => {
  const { store, instance } = instantiateWat(`(module (memory (export "m") i64 1)
    (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
    (func (export "store") (param i64 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "load") (param i64) (result i32) (i32.load (local.get 0))))`);
  const call = (name: string, ...args: Val[]) => instance.getFunc(store, name)!.call(store, args)[0]?.value;
  call('store', Val.i64(8n), Val.i32(7));
  const high = 2n ** 32n + 16n;
  const end = 65537n * BigInt(PAGE);
  if (buffersPast4GiB()) {
    // 65,537 pages: one page past the longest typed array of V8 before Node 22.
    assert.equal(call('grow', Val.i64(65536n)), 1n);
    call('store', Val.i64(high), Val.i32(0x12345678));
    assert.deepEqual([call('load', Val.i64(high)), call('load', Val.i64(8n)), call('load', Val.i64(end - 4n))], [0x12345678, 7, 0]);
    assert.throws(() => call('load', Val.i64(end - 3n)), (e: unknown) => e instanceof Trap && e.code === TrapCode.MemoryOutOfBounds);
    assert.equal(instance.getMemory(store, 'm')!.size(store), 65537);
  } else {
    assert.equal(call('grow', Val.i64(65536n)), -1n);
    assert.equal(instance.getMemory(store, 'm')!.size(store), 1);
    assert.equal(call('load', Val.i64(8n)), 7);
  }
  // An offset a double rounds (2^64 - 1 rounds to 2^64, whose low 64 bits are 0) must still trap.
  for (const offset of ['-1', '-2', '0x20000000000000', '0x20000000000001']) {
    for (const bytes of ['""', '"a"']) {
      assert.throws(() => instantiateWat(`(module (memory i64 1) (data (i64.const ${offset}) ${bytes}))`),
        (e: unknown) => e instanceof Trap && e.code === TrapCode.MemoryOutOfBounds, `${offset} ${bytes}`);
    }
  }
  instantiateWat('(module (memory i64 1) (data (i64.const 65536) ""))');
});

test('a host memory the host cannot allocate is a ResourceLimitError, not an ArrayBuffer RangeError', () => {
  const engine = new Engine();
  const store = new Store(engine);
  assert.throws(() => new Memory(store, { limits: { min: 2 ** 40, max: null }, address64: true, shared: false, pageSizeLog2: 16 }), ResourceLimitError);
});
