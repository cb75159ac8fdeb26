// Memory: a handle to a linear memory. `data` is a view that stays valid until the memory grows.

import type { MemoryType } from '../core/types.js';
import { MemoryObject } from '../runtime/memory.js';
import { checkStore, type Store } from './store.js';
import { handleFor } from './handles.js';

export class Memory {
  /** Creates a memory in `store` (Wasmtime's Memory::new). */
  constructor(store: Store, type: MemoryType, raw?: MemoryObject) {
    this.store = store;
    if (raw) {
      this.raw = raw;
      return;
    }
    this.raw = new MemoryObject(type);
    this.raw.store = store.raw;
  }
  readonly store: Store;
  readonly raw: MemoryObject;

  static fromRaw(store: Store, raw: MemoryObject): Memory {
    return handleFor(store, raw, () => new Memory(store, raw.type, raw));
  }

  type(store: Store): MemoryType {
    checkStore(store, this);
    return this.raw.type;
  }
  /** Size in pages. */
  size(store: Store): number {
    checkStore(store, this);
    return this.raw.pages;
  }
  /** Grows by `delta` pages; returns the old size. Throws if the memory cannot grow that much. */
  grow(store: Store, delta: number): number {
    checkStore(store, this);
    if (!Number.isInteger(delta) || delta < 0) throw new RangeError('memory.grow: delta must be a non-negative integer');
    const old = this.raw.grow(delta);
    if (old < 0) throw new RangeError(`failed to grow memory by ${delta} pages`);
    return old;
  }
  /** The memory's bytes (a view that a later grow leaves behind). */
  data(store: Store): Uint8Array {
    checkStore(store, this);
    return this.raw.bytes;
  }
  dataSize(store: Store): number {
    return this.data(store).length;
  }
  read(store: Store, offset: number, length: number): Uint8Array {
    const bytes = this.data(store);
    if (offset < 0 || length < 0 || offset + length > bytes.length) throw new RangeError('out of bounds memory access');
    return bytes.slice(offset, offset + length);
  }
  write(store: Store, offset: number, data: Uint8Array): void {
    const bytes = this.data(store);
    if (offset < 0 || offset + data.length > bytes.length) throw new RangeError('out of bounds memory access');
    bytes.set(data, offset);
  }
}
