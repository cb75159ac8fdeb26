// A shared linear memory: a SharedArrayBuffer that never moves (growable where the engine has
// growable ones, else allocated at the maximum size), a small shared control block (published size,
// type), and this agent's views of the size it last observed.

import type { MemoryType } from '../core/types.js';
import { MemoryObject, growFailed } from './memory.js';

/**
 * What another agent (a Worker) needs to use the same memory: two SharedArrayBuffers in a plain
 * object, so it survives postMessage / structuredClone with both buffers shared, not copied.
 */
export interface SharedMemoryParts {
  /**
   * The memory's bytes: a growable SharedArrayBuffer whose length is at least the memory's size, or
   * (engines without growable ones, such as Node 18) a fixed one as long as the maximum size.
   */
  readonly buffer: SharedArrayBuffer;
  /** The control block: the published size in pages and the memory type. */
  readonly control: SharedArrayBuffer;
}

/** Typed arrays over the size this agent observed, for Atomics (lengths are in elements). */
export interface AtomicArrays {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly i64: BigInt64Array;
  /** Size in bytes. */
  readonly length: number;
}

/** ES2024's growable SharedArrayBuffer, which the ES2022 library types do not describe. */
interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  grow(newLength: number): void;
  readonly growable: boolean;
  readonly maxByteLength: number;
}
type GrowableConstructor = new (length: number, options: { maxByteLength: number }) => GrowableSharedArrayBuffer;

// Words of the control block (an Int32Array). Sizes in pages are uint32, 64-bit limits two words.
// Word 0 held a grow lock in earlier versions; it is unused, and the layout stays the same.
const PAGES = 1;
const PAGE_SIZE_LOG2 = 2;
const FLAGS = 3;
const MIN_LO = 4;
const MIN_HI = 5;
const MAX_LO = 6;
const MAX_HI = 7;
const MAGIC = 8;
const CONTROL_WORDS = 16;
const MAGIC_VALUE = 0x74737731; // "tsw1": a control block made by this version of tswasm
const FLAG_ADDRESS64 = 1;

/**
 * The longest a shared memory's buffer is asked to become when the engine refuses its whole maximum
 * (V8 before Node 22 takes growable SharedArrayBuffers of at most 2^32 bytes), and the most a fixed
 * buffer allocated up front may hold: there a shared memory is at most 4 GiB.
 */
const SHARED_FALLBACK_BYTES = 2 ** 32;
const TWO32 = 2 ** 32;

/** Whether this JavaScript engine can back shared memories (SharedArrayBuffers and Atomics). */
export function sharedMemorySupported(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

/**
 * Whether SharedArrayBuffers can grow (ES2024; V8 11, Node 20). Without them a shared memory's
 * buffer is allocated at its maximum size up front, and JS sees that length (docs/embedding.md).
 */
export function growableSharedBuffers(): boolean {
  return typeof (SharedArrayBuffer.prototype as Partial<GrowableSharedArrayBuffer>).grow === 'function';
}

let fixedBuffersForced = false;

/** For tests: make shared memories as engines without growable SharedArrayBuffers do (Node 18). */
export function forceFixedSharedBuffers(on: boolean): void {
  fixedBuffersForced = on;
}

/** How long a shared memory's buffer can become: its maximum length, or its length if it is fixed. */
function capacity(buffer: SharedArrayBuffer): number {
  const b = buffer as Partial<GrowableSharedArrayBuffer> & SharedArrayBuffer;
  return b.growable === true ? b.maxByteLength! : b.byteLength;
}

function newControl(type: MemoryType): Int32Array {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const max = type.limits.max ?? 0;
  control[PAGES] = type.limits.min;
  control[PAGE_SIZE_LOG2] = type.pageSizeLog2;
  control[FLAGS] = type.address64 ? FLAG_ADDRESS64 : 0;
  control[MIN_LO] = type.limits.min % TWO32;
  control[MIN_HI] = Math.floor(type.limits.min / TWO32);
  control[MAX_LO] = max % TWO32;
  control[MAX_HI] = Math.floor(max / TWO32);
  control[MAGIC] = MAGIC_VALUE;
  return control;
}

/** The memory type a control block records. */
function typeOf(control: Int32Array): MemoryType {
  const word = (i: number) => control[i]! >>> 0;
  return {
    limits: { min: word(MIN_HI) * TWO32 + word(MIN_LO), max: word(MAX_HI) * TWO32 + word(MAX_LO) },
    address64: (control[FLAGS]! & FLAG_ADDRESS64) !== 0,
    shared: true,
    pageSizeLog2: control[PAGE_SIZE_LOG2]!,
  };
}

/** Checks that `parts` came from SharedMemoryObject.parts (here or in another agent) and reads its type. */
function checkedParts(parts: SharedMemoryParts): { type: MemoryType; control: Int32Array; buffer: SharedArrayBuffer } {
  const buffer = parts?.buffer as SharedArrayBuffer | undefined;
  const controlBuffer = parts?.control;
  if (!(buffer instanceof SharedArrayBuffer) || !(controlBuffer instanceof SharedArrayBuffer)
      || controlBuffer.byteLength !== CONTROL_WORDS * 4) {
    throw new TypeError('not the parts of a shared memory: expected { buffer, control } from SharedMemory.parts()');
  }
  const control = new Int32Array(controlBuffer);
  if (control[MAGIC] !== MAGIC_VALUE) throw new TypeError('not the control block of a tswasm shared memory (or one from another version)');
  const type = typeOf(control);
  // A buffer and a control block of two memories would disagree on the size or the maximum.
  const pageSize = 2 ** type.pageSizeLog2;
  const room = capacity(buffer);
  const fitsType = room % pageSize === 0 && room <= (type.limits.max ?? 0) * pageSize;
  if (!fitsType || buffer.byteLength < (Atomics.load(control, PAGES) >>> 0) * pageSize) {
    throw new TypeError('the buffer and the control block are parts of two different shared memories');
  }
  return { type, control, buffer };
}

/**
 * A shared memory as seen by one agent. Every agent holding the parts sees the same bytes and the
 * same size; the fields inherited from MemoryObject (`view`, `bytes`, `pages`) are this agent's
 * views of the size it last observed, exactly sized, so generated code keeps DataView's own bounds
 * check. They are brought up to date at every synchronisation point (`sync`: after calls, atomic
 * operations, memory.size and memory.grow), which is all the wasm memory model asks of non-atomic
 * bounds checks. Generated code reaches the memory through `live`, whose getters sync first.
 */
export class SharedMemoryObject extends MemoryObject {
  /** The growable buffer and the control block, for another agent (`fromParts`). */
  readonly parts: SharedMemoryParts;
  /** What generated code binds as `M<i>`: the same memory, synced on every read of its views. */
  readonly live: LiveSharedMemory;
  private readonly control: Int32Array;
  private readonly sab: SharedArrayBuffer;
  /** Atomics views of the observed size, made on first need after each size change. */
  private arrays: AtomicArrays | null = null;

  /**
   * A new shared memory of `type` (whose limits must have a maximum), whose buffer may never become
   * longer than `limitBytes` (the JS API's runtime limit in a namespace).
   */
  static create(type: MemoryType, limitBytes = Infinity): SharedMemoryObject {
    if (!sharedMemorySupported()) {
      throw new Error('shared memories need SharedArrayBuffers and Atomics, which this JavaScript engine lacks');
    }
    if (type.limits.max === null) throw new TypeError('a shared memory must have a maximum size');
    const pageSize = 2 ** type.pageSizeLog2;
    const fallbackPages = Math.min(type.limits.max, Math.floor(Math.min(SHARED_FALLBACK_BYTES, limitBytes) / pageSize));
    let buffer: SharedArrayBuffer;
    if (growableSharedBuffers() && !fixedBuffersForced) {
      // The whole maximum (at most `limitBytes`) where the engine takes it: a 64-bit memory then
      // grows past 4 GiB (V8 from Node 22); else at most 4 GiB.
      const Growable = SharedArrayBuffer as unknown as GrowableConstructor;
      const initial = type.limits.min * pageSize;
      const maxPages = Math.min(type.limits.max, Math.floor(Math.min(2 ** 53, limitBytes) / pageSize));
      try {
        buffer = new Growable(initial, { maxByteLength: maxPages * pageSize });
      } catch {
        if (type.limits.min > fallbackPages) throw new RangeError(`cannot allocate ${type.limits.min} pages of shared memory`);
        buffer = new Growable(initial, { maxByteLength: fallbackPages * pageSize });
      }
    } else {
      if (type.limits.min > fallbackPages) throw new RangeError(`cannot allocate ${type.limits.min} pages of shared memory`);
      try {
        buffer = new SharedArrayBuffer(fallbackPages * pageSize);
      } catch {
        throw new RangeError(`cannot allocate ${fallbackPages} pages of shared memory up front (this JavaScript engine cannot grow a SharedArrayBuffer)`);
      }
    }
    return new SharedMemoryObject(type, newControl(type), buffer);
  }

  /** This agent's object for a shared memory another agent (or this one) created. */
  static fromParts(parts: SharedMemoryParts): SharedMemoryObject {
    const { type, control, buffer } = checkedParts(parts);
    return new SharedMemoryObject(type, control, buffer);
  }

  private constructor(type: MemoryType, control: Int32Array, buffer: SharedArrayBuffer) {
    const pages = Atomics.load(control, PAGES) >>> 0;
    super(type, buffer, pages);
    this.control = control;
    this.sab = buffer;
    this.parts = Object.freeze({ buffer, control: control.buffer as SharedArrayBuffer });
    this.live = new LiveSharedMemory(this);
  }

  /** Brings this agent's views up to the published size (a plain read: cheap enough for every call return). */
  sync(): void {
    const pages = this.control[PAGES]! >>> 0;
    if (pages !== this.pages) this.observe(pages);
  }

  /** The size in pages, read sequentially consistently (memory.size); the views follow it. */
  size(): number {
    const pages = Atomics.load(this.control, PAGES) >>> 0;
    if (pages !== this.pages) this.observe(pages);
    return pages;
  }

  private observe(pages: number): void {
    const length = pages * this.pageSize;
    this.pages = pages;
    this.setViews(this.sab, length);
    this.arrays = null;
  }

  /** For JS: the growable SharedArrayBuffer itself, shared by every agent and never replaced. */
  override exposeBuffer(): ArrayBuffer {
    return this.sab as unknown as ArrayBuffer;
  }

  /** Typed arrays over the current size, for Atomics. */
  atomicArrays(): AtomicArrays {
    this.sync();
    if (this.arrays === null) {
      const length = this.pages * this.pageSize;
      const sab = this.sab;
      this.arrays = {
        u8: new Uint8Array(sab, 0, length), u16: new Uint16Array(sab, 0, length >>> 1),
        i32: new Int32Array(sab, 0, Math.floor(length / 4)), i64: new BigInt64Array(sab, 0, Math.floor(length / 8)), length,
      };
    }
    return this.arrays;
  }

  /**
   * Grows in place by `delta` pages, atomically with respect to every agent: returns the old size,
   * or -1 (the maximum, the store's limiter when the memory was made in a store, allocation). No
   * lock: the new size is published with a compare-and-swap on the size word, after the buffer has
   * room for it, and a loser of that race starts again from the winner's size. (A lock word was
   * left held for good when V8 terminated a Worker inside the grow, since it skips `finally`
   * there, and every later grow spun forever.)
   */
  override growAllowed(delta: number, allowed: boolean): number {
    const old = this.size();
    if (delta === 0) return old;
    if (!allowed) return -1;
    const limiter = this.store?.limiter ?? null;
    const result = this.growRacing(delta);
    this.sync();
    return typeof result === 'number' ? result : growFailed(limiter, result);
  }

  protected override currentPages(): number {
    return this.size();
  }

  /** The old size, or why growing failed. */
  private growRacing(delta: number): number | string {
    for (;;) {
      const old = Atomics.load(this.control, PAGES) >>> 0;
      const pages = old + delta;
      if (pages * this.pageSize > Math.min(capacity(this.sab), this.maxBytes())) return 'memory maximum size exceeded';
      const length = pages * this.pageSize;
      // The buffer may be longer than the size already (another agent's grow, or JS's, since the
      // JS API hands it out; a fixed one always is): it never shrinks, and bytes past the size are
      // never written.
      if (this.sab.byteLength < length) {
        try {
          (this.sab as GrowableSharedArrayBuffer).grow(length);
        } catch {
          if (this.sab.byteLength < length) return `cannot allocate ${length} bytes of shared memory`;
        }
      }
      if (Atomics.compareExchange(this.control, PAGES, old | 0, pages | 0) >>> 0 === old) return old;
    }
  }
}


/**
 * The object generated code binds for a shared memory (`const M0 = ctx.memories[0].live`): the
 * members it and the bulk-memory helpers use, each reading the published size first, so a view
 * re-read after a call, an atomic operation or memory.grow sees growth by other agents.
 */
export class LiveSharedMemory {
  constructor(readonly owner: SharedMemoryObject) {}

  get view(): DataView {
    const o = this.owner;
    o.sync();
    return o.view;
  }
  get bytes(): Uint8Array {
    const o = this.owner;
    o.sync();
    return o.bytes;
  }
  get pages(): number {
    return this.owner.size();
  }
  grow(delta: number): number {
    return this.owner.grow(delta);
  }
  growFromWasm(delta: number): number {
    return this.owner.growFromWasm(delta);
  }
}
