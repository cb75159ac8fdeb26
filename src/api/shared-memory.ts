// SharedMemory: a memory shared by every store of an engine and every agent (Worker) holding its
// parts (Wasmtime's SharedMemory); it belongs to no store, grows in place and never moves.

import { memoryTypeProblem } from '../validate/memory-type.js';
import type { MemoryType } from '../core/types.js';
import { ATOMIC_HELPERS } from '../runtime/atomics.js';
import { SharedMemoryObject, type SharedMemoryParts } from '../runtime/shared-memory.js';
import { checkEngine, type Engine } from './engine.js';
import { checkMemoryType } from './types.js';

export type { SharedMemoryParts } from '../runtime/shared-memory.js';

/** What memory.atomic.wait32/64 ended with (Wasmtime's WaitResult). */
export type WaitResult = 'ok' | 'mismatch' | 'timed-out';
const WAIT_RESULTS: readonly WaitResult[] = ['ok', 'mismatch', 'timed-out'];

/** One handle per runtime memory, so an export read twice is the same SharedMemory. */
const handles = new WeakMap<SharedMemoryObject, SharedMemory>();

/**
 * A shared linear memory (Wasmtime's SharedMemory). It can be imported by instances in any store of
 * its engine; in another agent, `SharedMemory.fromParts(engine, memory.parts())` (the parts sent
 * with postMessage) is the same memory: stores and growth are seen by all.
 */
export class SharedMemory {
  /** The runtime object behind the handle (this agent's view of the memory). */
  readonly raw: SharedMemoryObject;

  /**
   * A new shared memory (Wasmtime's SharedMemory::new). The type must be shared, with a maximum;
   * the engine must have the threads feature on.
   */
  constructor(engine: Engine, type: MemoryType);
  /** @internal */
  constructor(engine: Engine, type: MemoryType, raw: SharedMemoryObject);
  constructor(/** The engine it belongs to (shared memories belong to no store). */ readonly engine: Engine, type: MemoryType, raw?: SharedMemoryObject) {
    if (raw !== undefined) {
      this.raw = raw;
      return;
    }
    checkEngine(engine, 'SharedMemory');
    if (!engine.config.features.threads) throw new Error('shared memories need the threads feature (Config.features.threads)');
    checkMemoryType(type);
    if (!type.shared) throw new TypeError('SharedMemory needs a shared memory type (`shared: true`)');
    const problem = memoryTypeProblem(type);
    if (problem !== null) throw new TypeError(`invalid memory type: ${problem}`);
    this.raw = SharedMemoryObject.create(type);
    handles.set(this.raw, this);
  }

  /**
   * This agent's handle of a shared memory made elsewhere: `parts` is what `parts()` returned there,
   * received through postMessage (or structuredClone), which shares both buffers rather than copying.
   */
  static fromParts(engine: Engine, parts: SharedMemoryParts): SharedMemory {
    checkEngine(engine, 'SharedMemory.fromParts');
    if (!engine.config.features.threads) throw new Error('shared memories need the threads feature (Config.features.threads)');
    return SharedMemory.fromRaw(engine, SharedMemoryObject.fromParts(parts));
  }

  /** @internal The handle of a runtime shared memory. */
  static fromRaw(engine: Engine, raw: SharedMemoryObject): SharedMemory {
    let h = handles.get(raw);
    if (h === undefined) {
      h = new SharedMemory(engine, raw.type, raw);
      handles.set(raw, h);
    }
    return h;
  }

  /** What another agent needs to open this memory: `{ buffer, control }`, two SharedArrayBuffers to post. */
  parts(): SharedMemoryParts {
    return this.raw.parts;
  }

  /** The memory's type (its declared limits). */
  type(): MemoryType {
    return this.raw.type;
  }
  /** Size in pages, as every agent sees it now (growth by other agents included). */
  size(): number {
    return this.raw.size();
  }
  /** Size in bytes. */
  dataSize(): number {
    return this.raw.size() * this.raw.pageSize;
  }
  /** The page size in bytes. */
  pageSize(): number {
    return this.raw.pageSize;
  }
  /**
   * Grows by `delta` pages in place and returns the old size in pages; atomic with respect to every
   * agent. Throws RangeError when it cannot (the maximum, allocation failure).
   */
  grow(delta: number): number {
    if (!Number.isSafeInteger(delta) || delta < 0) throw new RangeError('memory.grow: delta must be a non-negative integer');
    const old = this.raw.grow(delta);
    if (old < 0) throw new RangeError(`failed to grow shared memory by ${delta} pages`);
    return old;
  }
  /**
   * The memory's bytes now: a Uint8Array over the shared buffer, as long as the memory is at this
   * moment. It stays valid (the buffer never moves) but does not lengthen when the memory grows.
   */
  data(): Uint8Array {
    return new Uint8Array(this.raw.parts.buffer, 0, this.dataSize());
  }
  /** Copies bytes out of memory: `length` bytes into a new array, or into `buffer`. RangeError when out of bounds. */
  read(offset: number, lengthOrBuffer: number | Uint8Array): Uint8Array {
    const bytes = this.data();
    const length = typeof lengthOrBuffer === 'number' ? lengthOrBuffer : lengthOrBuffer.length;
    inBounds(bytes, offset, length);
    if (typeof lengthOrBuffer === 'number') return bytes.slice(offset, offset + length);
    lengthOrBuffer.set(bytes.subarray(offset, offset + length));
    return lengthOrBuffer;
  }
  /** Copies `data` into memory at `offset`; RangeError when out of bounds. */
  write(offset: number, data: Uint8Array): void {
    const bytes = this.data();
    inBounds(bytes, offset, data.length);
    bytes.set(data, offset);
  }

  /**
   * memory.atomic.notify from the host (Wasmtime's atomic_notify): wakes up to `count` agents
   * waiting at `addr` (in wasm or in Atomics.wait) and returns how many it woke. Traps when `addr` is
   * not 4-byte aligned or out of bounds.
   */
  atomicNotify(addr: number, count: number): number {
    return ATOMIC_HELPERS.atomicNotify(this.raw.live, address(addr, 'atomicNotify'), count);
  }
  /**
   * memory.atomic.wait32 from the host (Wasmtime's atomic_wait32): blocks this agent until notified
   * ('ok'), unless the i32 at `addr` is not `expected` ('mismatch'), or `timeoutMs` passes
   * ('timed-out'; undefined waits forever). Traps where the agent may not block (a browser's main thread).
   */
  atomicWait32(addr: number, expected: number, timeoutMs?: number): WaitResult {
    const [lo, hi] = timeoutNs(timeoutMs);
    return WAIT_RESULTS[ATOMIC_HELPERS.atomicWait32(this.raw.live, address(addr, 'atomicWait32'), expected | 0, lo, hi)]!;
  }
  /** memory.atomic.wait64 from the host: as atomicWait32, for the i64 at `addr` (8-byte aligned). */
  atomicWait64(addr: number, expected: bigint, timeoutMs?: number): WaitResult {
    const [lo, hi] = timeoutNs(timeoutMs);
    const v = BigInt.asUintN(64, expected);
    const r = ATOMIC_HELPERS.atomicWait64(this.raw.live, address(addr, 'atomicWait64'), Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0, lo, hi);
    return WAIT_RESULTS[r]!;
  }

  /** @internal Refuses an engine other than this memory's (Wasmtime: a shared memory is an engine's). */
  checkEngine(engine: Engine): void {
    if (engine !== this.engine) throw new Error('shared memory used with another engine');
  }
}

/** A timeout in milliseconds as the i64 nanoseconds of memory.atomic.wait (negative: forever). */
function timeoutNs(ms: number | undefined): [number, number] {
  if (ms === undefined || ms === Infinity) return [-1, -1];
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw new RangeError(`atomic wait: timeout must be a number of milliseconds, got ${String(ms)}`);
  const ns = Math.min(Math.max(0, Math.round(ms * 1e6)), 2 ** 62);
  return [ns % 2 ** 32 | 0, Math.floor(ns / 2 ** 32) | 0];
}

/**
 * An atomic operation's address: a non-negative integer (a RangeError otherwise, as read and write
 * give); past the memory it is the operation's trap, as in wasm.
 */
function address(addr: unknown, what: string): number {
  if (typeof addr !== 'number' || !Number.isSafeInteger(addr) || addr < 0) {
    throw new RangeError(`SharedMemory.${what}: the address must be a non-negative integer, got ${typeof addr === 'number' ? addr : typeof addr}`);
  }
  return addr;
}

function inBounds(bytes: Uint8Array, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
    throw new RangeError('out of bounds memory access');
  }
}
