// WebAssembly.Memory: a linear memory and its ArrayBuffer, which keeps its identity until the memory
// grows and is then detached (the spec), unless the realm was created with detachOnGrow: false.

import { MemoryObject } from '../runtime/memory.js';
import { SharedMemoryObject } from '../runtime/shared-memory.js';
import { postableMemory } from './posting.js';
import { MAX_MEMORY_BYTES } from './limits.js';
import { detachBuffer, transferBuffer } from './detach.js';
import { asWebIdlInterface } from './interface.js';
import type { Realm } from './realm.js';
import {
  addressValueToU64, dictionary, notReceiver, requireArgs, required, toEnum, u64ToAddressValue, u64ToNumber, type AddressType,
} from './webidl.js';

const ADDRESS_TYPES: readonly AddressType[] = ['i32', 'i64'];
const ARRAY_BUFFER_RESIZE = (ArrayBuffer.prototype as { resize?: (size: number) => void }).resize;
/** Largest valid memory limit in 64 KiB pages: 2^16 for i32 addresses, 2^48 for i64. */
const PAGE_LIMIT: Readonly<Record<AddressType, bigint>> = { i32: 2n ** 16n, i64: 2n ** 48n };

export type MemoryClass = ReturnType<typeof defineMemory>;

/** Defines this realm's Memory interface and registers its brand. */
export function defineMemory(realm: Realm) {
  let adopting: MemoryObject | null = null;
  const cache = new WeakMap<MemoryObject, Memory>();

  class Memory {
    readonly #raw: MemoryObject;
    /** The buffer JS has seen since the last refresh: only that one needs detaching. */
    #exposed: ArrayBuffer | null = null;

    constructor(descriptor: unknown) {
      if (adopting !== null) {
        this.#raw = adopting;
        adopting = null;
      } else {
        requireArgs(arguments.length, 1, 'WebAssembly.Memory');
        this.#raw = createMemory(realm, descriptor);
      }
      cache.set(this.#raw, this);
      if (this.#raw instanceof SharedMemoryObject) {
        // The spec freezes a shared memory's buffer object; here it is one object for good.
        Object.freeze(this.#raw.bytes.buffer);
        postableMemory(this, this.#raw);
      } else if (realm.detachOnGrow) {
        const previous = this.#raw.onGrow;
        this.#raw.onGrow = (old) => {
          previous?.(old);
          // After a grow by 0 the engine still has `old`: it moves to a new buffer first.
          if (old === this.#raw.bytes.buffer) this.#refreshInPlace();
          else this.#detachIfExposed(old);
        };
      }
    }

    /** Grows by `delta` pages; returns the old size. A RangeError when the memory cannot grow. */
    grow(delta: unknown): number | bigint {
      const raw = realm.memory.unwrap(this) ?? notReceiver('WebAssembly.Memory.grow', 'Memory');
      requireArgs(arguments.length, 1, 'WebAssembly.Memory.grow');
      const address: AddressType = raw.type.address64 ? 'i64' : 'i32';
      const pages = u64ToNumber(addressValueToU64(delta, address, 'WebAssembly.Memory.grow'));
      // The size grow saw: another thread may have grown a shared memory since this one looked.
      const old = raw.grow(pages);
      if (old < 0) throw new RangeError('WebAssembly.Memory.grow: the memory cannot grow by that many pages');
      return u64ToAddressValue(old, address);
    }

    /**
     * The memory's bytes; the same ArrayBuffer until the memory grows. A shared memory's is the
     * engine's growable SharedArrayBuffer itself, never detached (docs/js-api.md: the spec's fixed-length
     * SharedArrayBuffer per size cannot alias it in JavaScript).
     */
    get buffer(): ArrayBuffer {
      const buffer = (realm.memory.unwrap(this) ?? notReceiver('WebAssembly.Memory.buffer', 'Memory')).exposeBuffer();
      this.#exposed = buffer;
      return buffer;
    }

    /**
     * The memory's buffer as a fixed-length ArrayBuffer: `buffer` itself unless toResizableBuffer
     * made it resizable, else a fixed-length one replaces (and detaches) the resizable buffer. A
     * shared memory's is its growable SharedArrayBuffer either way (docs/js-api.md).
     */
    toFixedLengthBuffer(): ArrayBuffer {
      const raw = realm.memory.unwrap(this) ?? notReceiver('WebAssembly.Memory.toFixedLengthBuffer', 'Memory');
      if (!raw.resizable) return this.buffer;
      this.#replaced(raw.moveToFixedLength());
      return this.buffer;
    }

    /**
     * The memory's buffer as a resizable ArrayBuffer whose maximum is the memory's (a TypeError
     * for a memory without one): it stays the same object as the memory grows, and its `resize`
     * grows the memory by whole pages (the JS API's HostResizeArrayBuffer). The fixed-length buffer
     * it replaces is detached. V8 11 (Node 20) runs DataView accesses on resizable buffers far
     * slower, so generated code reading such a memory is slower too.
     */
    toResizableBuffer(): ArrayBuffer {
      const raw = realm.memory.unwrap(this) ?? notReceiver('WebAssembly.Memory.toResizableBuffer', 'Memory');
      if (raw.type.limits.max === null) throw new TypeError('WebAssembly.Memory.toResizableBuffer: the memory has no maximum');
      if (raw instanceof SharedMemoryObject || raw.resizable) return this.buffer;
      if (ARRAY_BUFFER_RESIZE === undefined) throw new TypeError('WebAssembly.Memory.toResizableBuffer: this JavaScript engine has no resizable ArrayBuffers');
      this.#replaced(raw.moveToResizable());
      const buffer = this.buffer;
      // HostResizeArrayBuffer: resizing the buffer grows the memory, by whole pages only.
      Object.defineProperty(buffer, 'resize', {
        configurable: true, writable: true,
        value: function resize(this: ArrayBuffer, newLength: unknown): undefined {
          if (this !== buffer) return Reflect.apply(ARRAY_BUFFER_RESIZE!, this, [newLength]);
          const delta = Number(newLength) - buffer.byteLength;
          if (!Number.isInteger(delta) || delta < 0 || delta % raw.pageSize !== 0) {
            throw new RangeError('ArrayBuffer.prototype.resize: a WebAssembly memory\'s buffer grows by whole pages only');
          }
          if (raw.grow(delta / raw.pageSize) < 0) throw new RangeError('ArrayBuffer.prototype.resize: the WebAssembly memory cannot grow to that length');
          return undefined;
        },
      });
      return buffer;
    }

    /** The buffer the memory left for another: detached, as the spec's steps detach it. */
    #replaced(old: ArrayBuffer): void {
      this.#exposed = null;
      try {
        detachBuffer(old);
      } catch {
        // Already detached: by JS (a transfer), or by another realm's Memory object of the same memory.
      }
    }

    #detachIfExposed(old: ArrayBuffer): void {
      if (old === this.#exposed) this.#replaced(old);
    }

    /** memory.grow(0): the old buffer is detached and a new one (same bytes, no copy) takes its place. */
    #refreshInPlace(): void {
      const raw = this.#raw;
      const old = raw.bytes.buffer as ArrayBuffer;
      // A resizable buffer is refreshed by keeping it (the spec's steps for one that is not fixed-length).
      if (!realm.detachOnGrow || raw.resizable || old !== this.#exposed || transferBuffer === null) return;
      const fresh = transferBuffer(old);
      raw.bytes = new Uint8Array(fresh);
      raw.view = new DataView(fresh);
      this.#exposed = null;
    }

    static {
      realm.memory = {
        wrap: (raw) => cache.get(raw) ?? adopt(raw),
        unwrap: (v) => (isObjectWith(v) && #raw in v ? v.#raw : undefined),
      };
    }
  }

  function adopt(raw: MemoryObject): Memory {
    adopting = raw;
    return new Memory(undefined);
  }

  asWebIdlInterface(Memory, 1);
  return Memory;
}

function isObjectWith(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

/** The Memory constructor's steps: the descriptor (in the order the JS API tests expect), validity, allocation. */
function createMemory(realm: Realm, descriptor: unknown): MemoryObject {
  const what = 'WebAssembly.Memory';
  const d = dictionary(descriptor, what);
  const addressValue = d['address'];
  const address = addressValue === undefined ? 'i32' : toEnum(addressValue, ADDRESS_TYPES, `${what}: address`);
  const initial = addressValueToU64(required(d, 'initial', what), address, `${what}: initial`);
  const maximumValue = d['maximum'];
  const maximum = maximumValue === undefined ? null : addressValueToU64(maximumValue, address, `${what}: maximum`);
  const shared = Boolean(d['shared']);
  if (shared && !realm.engine.config.features.threads) throw new TypeError(`${what}: shared memories need the threads feature, which this namespace's engine has off`);
  if (shared && maximum === null) throw new TypeError(`${what}: a shared memory needs a maximum`);
  const limit = PAGE_LIMIT[address];
  if (BigInt(initial) > limit) throw new RangeError(`${what}: initial ${initial} is above the limit of ${limit} pages`);
  if (maximum !== null && BigInt(maximum) > limit) throw new RangeError(`${what}: maximum ${maximum} is above the limit of ${limit} pages`);
  if (maximum !== null && BigInt(initial) > BigInt(maximum)) throw new RangeError(`${what}: initial ${initial} is above maximum ${maximum}`);
  // Valid, but past the JS API's runtime limit on a memory's size: an allocation that fails.
  if (BigInt(initial) * 65536n > BigInt(MAX_MEMORY_BYTES)) throw new RangeError(`${what}: cannot allocate ${initial} pages (the JS API allows ${MAX_MEMORY_BYTES / 65536})`);
  let raw: MemoryObject;
  const type = {
    limits: { min: u64ToNumber(initial), max: maximum === null ? null : u64ToNumber(maximum) },
    address64: address === 'i64', shared, pageSizeLog2: 16,
  };
  try {
    raw = shared ? SharedMemoryObject.create(type, MAX_MEMORY_BYTES) : new MemoryObject(type);
  } catch {
    throw new RangeError(`${what}: cannot allocate ${initial} pages`);
  }
  raw.store = realm.store.raw;
  return raw;
}
