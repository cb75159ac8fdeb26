// Memory: a handle to a linear memory (Wasmtime's Memory). `data` is a view that stays valid
// until the memory grows; read/write copy and check bounds.

import { memoryTypeProblem } from '../validate/memory-type.js';
import type { MemoryType } from '../core/types.js';
import { MemoryObject } from '../runtime/memory.js';
import { growWhenAllowedAsync } from '../runtime/async-calls.js';
import { handleFor } from './handles.js';
import { requireAsync } from './boundary.js';
import { ResourceLimitError, admitMemory, admitMemoryAsync } from './limits.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';
import { checkMemoryType } from './types.js';

/** A handle to a memory in one store (Wasmtime's Memory). */
export class Memory {
  /** The store the memory belongs to. */
  readonly store: Store<any>;
  /** The runtime object behind the handle. */
  readonly raw: MemoryObject;

  /**
   * Creates a memory in the context's store (Wasmtime's Memory::new). Counts against the store's
   * limiter, which may refuse it (ResourceLimitError). A shared type is refused: shared memories
   * belong to no store and are made with `new SharedMemory(engine, type)`, as in Wasmtime.
   */
  constructor(cx: AsContext<any>, type: MemoryType);
  /** @internal */
  constructor(cx: AsContext<any>, type: MemoryType, raw: MemoryObject);
  constructor(cx: AsContext<any>, type: MemoryType, raw?: MemoryObject) {
    const store = storeOf(cx);
    this.store = store;
    if (raw) {
      this.raw = raw;
      return;
    }
    checkNewMemoryType(type);
    admitMemory(store, type);
    this.raw = allocate(type);
    this.raw.store = store.raw;
    store.raw.dumpable?.memories.push(this.raw);
  }

  /**
   * Creates a memory, waiting for the answer of the store's async limiter (Wasmtime's
   * Memory::new_async; needs Config.asyncSupport). Rejects as the constructor would throw.
   */
  static async newAsync(cx: AsContext<any>, type: MemoryType): Promise<Memory> {
    const store = storeOf(cx);
    requireAsync(store, 'Memory.newAsync');
    checkNewMemoryType(type);
    await admitMemoryAsync(store, type);
    const raw = allocate(type);
    raw.store = store.raw;
    store.raw.dumpable?.memories.push(raw);
    return Memory.fromRaw(store, raw);
  }

  /** @internal The handle of a runtime memory (one per memory; another store's is refused). */
  static fromRaw(store: Store<any>, raw: MemoryObject): Memory {
    return handleFor(store, raw, () => new Memory(store, raw.type, raw));
  }

  /** The memory's type (its declared limits, not its current size). */
  type(cx: AsContext<any>): MemoryType {
    checkStore(cx, this);
    return this.raw.type;
  }
  /** Size in pages. */
  size(cx: AsContext<any>): number {
    checkStore(cx, this);
    return this.raw.pages;
  }
  /** The page size in bytes (65536 unless the custom-page-sizes proposal says otherwise). */
  pageSize(cx: AsContext<any>): number {
    checkStore(cx, this);
    return this.raw.pageSize;
  }
  /**
   * Grows by `delta` pages and returns the old size in pages. Throws if the memory cannot grow
   * that much (its maximum, the store's limiter, or allocation failure).
   */
  grow(cx: AsContext<any>, delta: number): number {
    checkStore(cx, this);
    checkDelta(delta);
    return grown(this.raw.grow(delta), delta);
  }
  /**
   * Grows as `grow` does, waiting for the answer of the store's async limiter (Wasmtime's
   * Memory::grow_async; needs Config.asyncSupport). A rejection of the limiter is this one's.
   */
  async growAsync(cx: AsContext<any>, delta: number): Promise<number> {
    const store = checkStore(cx, this);
    requireAsync(store, 'Memory.growAsync');
    checkDelta(delta);
    return grown(await growWhenAllowedAsync(this.raw, delta, (allowed) => this.raw.growAllowed(delta, allowed)), delta);
  }
  /**
   * The memory's bytes: a live view of its current size. After a grow take a new one: the old one
   * keeps its length, and is a stale copy once the memory has outgrown its buffer's reserved room.
   */
  data(cx: AsContext<any>): Uint8Array {
    checkStore(cx, this);
    return this.raw.bytes;
  }
  /** Size in bytes. */
  dataSize(cx: AsContext<any>): number {
    return this.data(cx).length;
  }
  /**
   * Copies bytes out of memory: `length` bytes into a new array, or into `buffer` (filling it).
   * Throws RangeError when the range is out of bounds.
   */
  read(cx: AsContext<any>, offset: number, lengthOrBuffer: number | Uint8Array): Uint8Array {
    if (typeof lengthOrBuffer !== 'number' && !(lengthOrBuffer instanceof Uint8Array)) {
      throw new TypeError('Memory.read: give a length or a Uint8Array to fill');
    }
    const bytes = this.data(cx);
    const length = typeof lengthOrBuffer === 'number' ? lengthOrBuffer : lengthOrBuffer.length;
    inBounds(bytes, offset, length);
    if (typeof lengthOrBuffer === 'number') return bytes.slice(offset, offset + length);
    lengthOrBuffer.set(bytes.subarray(offset, offset + length));
    return lengthOrBuffer;
  }
  /** Copies `data` into memory at `offset`; throws RangeError when out of bounds. */
  write(cx: AsContext<any>, offset: number, data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) throw new TypeError('Memory.write: data must be a Uint8Array');
    const bytes = this.data(cx);
    inBounds(bytes, offset, data.length);
    bytes.set(data, offset);
  }
}

/** A new runtime memory of `type`; one the host cannot back is a ResourceLimitError, as in a module it is a LinkError. */
function allocate(type: MemoryType): MemoryObject {
  try {
    return new MemoryObject(type);
  } catch {
    throw new ResourceLimitError(`cannot allocate a memory of ${type.limits.min} pages`);
  }
}

function checkNewMemoryType(type: MemoryType): void {
  checkMemoryType(type);
  if (type.shared) throw new TypeError('shared memories must be created with SharedMemory');
  const problem = memoryTypeProblem(type);
  if (problem !== null) throw new TypeError(`invalid memory type: ${problem}`);
}

function checkDelta(delta: number): void {
  if (!Number.isSafeInteger(delta) || delta < 0) throw new RangeError('memory.grow: delta must be a non-negative integer');
}

function grown(old: number, delta: number): number {
  if (old < 0) throw new RangeError(`failed to grow memory by ${delta} pages`);
  return old;
}

function inBounds(bytes: Uint8Array, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
    throw new RangeError('out of bounds memory access');
  }
}
