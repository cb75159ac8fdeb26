// A linear memory: an ArrayBuffer behind a DataView and a Uint8Array of exactly the memory's size,
// which bound every access. Growth past the buffer allocates a new one and copies (or, once the JS
// API's toResizableBuffer moved the memory into a resizable buffer, resizes that one); no buffer is
// ever detached here. A new buffer reserves room to grow, so that repeated growth does not copy
// the whole memory each time; bytes past the size are never written (every view ends at it), so
// they are still zero when the memory grows into them. The JS API's memory.buffer must be exactly
// the memory's size: exposeBuffer gives it one, and the growth after that makes an exact one again.

import type { MemoryType } from '../core/types.js';
import { verdictNow, type GrowVerdict, type ResourceLimiter, type ResourceLimiterAsync, type StoreObject } from './store.js';
import { runEmbedderCode } from './traps.js';

/**
 * The longest resizable buffer asked for when a memory's maximum is too long for this engine's (a
 * 32-bit memory's largest size): toResizableBuffer then still works, and growth past it fails.
 */
const RESIZABLE_FALLBACK_BYTES = 2 ** 32;

export class MemoryObject {
  // `declare`: no class-field definition (which would store undefined first). V8 then sees one
  // store per field until the memory grows, keeps the field constant, and generated code gets
  // the DataView and its length as constants: no map check or length load per access (sha256
  // kernel 1.22x -> 1.05x native).
  declare view: DataView;
  declare bytes: Uint8Array;
  /** Size in pages. */
  pages: number;
  readonly pageSize: number;
  readonly maxPages: number;
  /** The store it belongs to (its limiter is consulted before every grow); null outside any store. */
  store: StoreObject | null = null;
  /**
   * Called after a successful grow with the buffer that was replaced (the JS API uses it to detach
   * it); after a grow by 0 pages with the current buffer, which the hook may replace.
   */
  onGrow: ((oldBuffer: ArrayBuffer) => void) | null = null;
  /** Whether JS holds the current buffer (exposeBuffer); it is then exactly the memory's size. */
  private exposed = false;

  /** `shared`/`pages`: a shared memory's buffer and size (runtime/shared-memory.ts); else a new ArrayBuffer. */
  constructor(readonly type: MemoryType, shared?: SharedArrayBuffer, pages = type.limits.min) {
    this.pageSize = 2 ** type.pageSizeLog2;
    const limit = type.address64 ? 2 ** 53 / this.pageSize : 2 ** 32 / this.pageSize;
    this.maxPages = Math.min(type.limits.max ?? limit, limit);
    this.pages = pages;
    this.setViews(shared ?? new ArrayBuffer(pages * this.pageSize), pages * this.pageSize);
  }

  /** Points the views at the first `size` bytes of `buffer`, or at all of it, following its length, without a size. */
  protected setViews(buffer: ArrayBufferLike, size?: number): void {
    this.view = new DataView(buffer, 0, size);
    this.bytes = new Uint8Array(buffer, 0, size);
    if (this.store !== null) this.store.viewsReplaced++;
  }

  /** Moves the contents into `buffer` (at least as large) and the views onto it (as setViews). */
  private moveTo(buffer: ArrayBuffer, size?: number): void {
    new Uint8Array(buffer).set(this.bytes);
    this.setViews(buffer, size);
  }

  /**
   * Whether the memory lives in a resizable ArrayBuffer (the JS API's toResizableBuffer): growth
   * then resizes that buffer in place and its length-tracking views follow, nothing is replaced.
   */
  get resizable(): boolean {
    return (this.bytes.buffer as { resizable?: boolean }).resizable === true;
  }

  get byteLength(): number {
    return this.bytes.length;
  }

  /** memory.grow in wasm: grow, where what the limiter throws goes to the embedder (runEmbedderCode). */
  growFromWasm(delta: number): number {
    return runEmbedderCode(() => this.grow(delta));
  }

  /**
   * Grows by `delta` pages; returns the old size in pages, or -1 when it cannot. The store's limiter
   * is asked first and told about failures; either may throw, which makes the growth trap.
   */
  grow(delta: number): number {
    return this.growAllowed(delta, verdictNow(this.growVerdict(delta)));
  }

  /** The store's limiter's answer to growing by `delta` pages (true without a limiter or for 0 pages). */
  growVerdict(delta: number): GrowVerdict {
    const limiter = this.store?.limiter ?? null;
    if (limiter === null || delta === 0) return true;
    const old = this.currentPages();
    const max = this.type.limits.max === null ? null : this.type.limits.max * this.pageSize;
    return limiter.memoryGrowing(old * this.pageSize, (old + delta) * this.pageSize, max);
  }

  /** The most bytes the memory may grow to: its type's maximum, within its store's limit (the JS API's). */
  protected maxBytes(): number {
    return Math.min(this.maxPages * this.pageSize, this.store?.maxMemoryBytes ?? Infinity);
  }

  /** The size in pages the next growth starts from (what the limiter is asked about). */
  growthStart(): number {
    return this.currentPages();
  }

  /** The size in pages the next growth starts from. */
  protected currentPages(): number {
    return this.pages;
  }

  /** Grows by `delta` pages once the limiter has answered `allowed`: the old size, or -1. */
  growAllowed(delta: number, allowed: boolean): number {
    const old = this.pages;
    if (delta === 0) {
      // Nothing changes here, but the JS API still replaces the buffer, so the hook runs.
      this.onGrow?.(this.bytes.buffer as ArrayBuffer);
      return old;
    }
    if (!allowed) return -1;
    const limiter = this.store?.limiter ?? null;
    const pages = old + delta;
    const size = pages * this.pageSize;
    // No fixed limit beyond the type's: a 64-bit memory grows past 4 GiB where the JS engine can
    // allocate such buffers and view them (V8 from Node 22), and fails like any allocation elsewhere.
    if (size > this.maxBytes()) return growFailed(limiter, 'memory maximum size exceeded');
    const oldBuffer = this.bytes.buffer as ArrayBuffer;
    if (this.resizable) {
      try {
        resize(oldBuffer, size);
      } catch {
        return growFailed(limiter, `cannot allocate ${size} bytes of memory`);
      }
      this.pages = pages;
      return old;
    }
    if (size <= oldBuffer.byteLength) {
      this.setViews(oldBuffer, size);
    } else {
      // Right after JS saw the buffer, JS likely looks again soon (glue re-reads memory.buffer after
      // growth): an exact buffer then saves exposeBuffer a second copy.
      const reserved = this.exposed ? size : Math.min(Math.max(size, 2 * oldBuffer.byteLength), this.maxBytes());
      const fresh = allocate(reserved, size) ?? (reserved > size ? allocate(size, size) : null);
      if (fresh === null) return growFailed(limiter, `cannot allocate ${size} bytes of memory`);
      this.moveTo(fresh, size);
      this.exposed = false;
    }
    this.pages = pages;
    if (this.bytes.buffer !== oldBuffer) this.onGrow?.(oldBuffer);
    return old;
  }

  /**
   * Moves the memory into a resizable ArrayBuffer of its size that can grow to its maximum (at most
   * what an ArrayBuffer can back here), with length-tracking views; returns the buffer it left,
   * for the caller to detach. The memory must have a maximum.
   */
  moveToResizable(): ArrayBuffer {
    const old = this.bytes.buffer as ArrayBuffer;
    const max = this.maxBytes();
    let buffer: ArrayBuffer;
    try {
      buffer = new ResizableArrayBuffer(this.bytes.length, { maxByteLength: max });
    } catch {
      buffer = new ResizableArrayBuffer(this.bytes.length, { maxByteLength: Math.max(this.bytes.length, Math.min(max, RESIZABLE_FALLBACK_BYTES)) });
    }
    this.moveTo(buffer);
    this.exposed = true;
    return old;
  }

  /** Moves a resizable memory back into a fixed-length ArrayBuffer of its size; returns the resizable one. */
  moveToFixedLength(): ArrayBuffer {
    const old = this.bytes.buffer as ArrayBuffer;
    const size = this.bytes.length;
    this.moveTo(new ArrayBuffer(size), size);
    this.exposed = true;
    return old;
  }

  /**
   * The buffer, for JS to hold (the JS API's memory.buffer): exactly the memory's size, so one with
   * room to grow is first replaced by an exact copy. Generated code re-reads the views after every
   * call, so this may run inside a host call.
   */
  exposeBuffer(): ArrayBuffer {
    const size = this.bytes.length;
    if (this.bytes.buffer.byteLength !== size) this.moveTo(new ArrayBuffer(size), size);
    this.exposed = true;
    return this.bytes.buffer as ArrayBuffer;
  }
}

/** ArrayBuffer's constructor with ES2024's options (resizable buffers), which this TypeScript lib lacks. */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (size: number, options: { maxByteLength: number }) => ArrayBuffer;

const resizeMethod = (ArrayBuffer.prototype as { resize?: (this: ArrayBuffer, size: number) => void }).resize;

/** ArrayBuffer.prototype.resize itself: the JS API may shadow `resize` on the buffer object. */
function resize(buffer: ArrayBuffer, size: number): void {
  resizeMethod!.call(buffer, size);
}

/**
 * A zeroed buffer of `size` bytes whose first `used` bytes the views can cover, or null when the JS
 * engine cannot allocate it or make views that long (V8 before Node 22: 2^32 bytes at most).
 */
function allocate(size: number, used: number): ArrayBuffer | null {
  try {
    const buffer = new ArrayBuffer(size);
    new Uint8Array(buffer, 0, used);
    return buffer;
  } catch {
    return null;
  }
}

/** Tells the limiter (if any) that a memory growth failed, and gives memory.grow's -1. */
export function growFailed(limiter: ResourceLimiter | ResourceLimiterAsync | null, message: string): -1 {
  limiter?.memoryGrowFailed?.(new Error(message));
  return -1;
}
