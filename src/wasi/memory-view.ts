// Checked access to the guest's linear memory for WASI calls: every pointer is bounds- and
// alignment-checked (EFAULT, as Wasmtime does), strings must be UTF-8 (EILSEQ).

import { Errno, WasiError } from './errno.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** The most buffers one read or write moves (Linux's IOV_MAX). */
const IOV_MAX = 1024;
/** The most iovec records one call reads, empty ones included (Wasmtime's default hostcall fuel, 128 MiB, covers 2^24). */
const IOV_SCAN_MAX = 1 << 24;
const encoder = new TextEncoder();

/**
 * A view of linear memory valid for one syscall. Memory can only grow while wasm runs, never
 * during a host call, so `refresh` at the start of each call is enough; it rebuilds the DataView
 * only when growth replaced the buffer.
 */
export class GuestMemory {
  bytes: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.bytes.buffer);

  /** Re-reads the memory's current bytes (call at the start of every syscall). */
  refresh(bytes: Uint8Array): void {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
  }

  /** Throws EFAULT unless [ptr, ptr+len) is inside memory and ptr is aligned to `align`. */
  check(ptr: number, len: number, align = 1): number {
    const p = ptr >>> 0;
    if (p + len > this.bytes.length || p % align !== 0) throw new WasiError(Errno.EFAULT, `bad guest pointer 0x${p.toString(16)}`);
    return p;
  }

  u8(ptr: number): number { return this.view.getUint8(this.check(ptr, 1)); }
  u16(ptr: number): number { return this.view.getUint16(this.check(ptr, 2, 2), true); }
  u32(ptr: number): number { return this.view.getUint32(this.check(ptr, 4, 4), true); }
  u64(ptr: number): bigint { return this.view.getBigUint64(this.check(ptr, 8, 8), true); }
  setU8(ptr: number, v: number): void { this.view.setUint8(this.check(ptr, 1), v); }
  setU16(ptr: number, v: number): void { this.view.setUint16(this.check(ptr, 2, 2), v, true); }
  setU32(ptr: number, v: number): void { this.view.setUint32(this.check(ptr, 4, 4), v >>> 0, true); }
  setU64(ptr: number, v: bigint | number): void {
    this.view.setBigUint64(this.check(ptr, 8, 8), BigInt.asUintN(64, BigInt(v)), true);
  }

  /** A live view of guest bytes [ptr, ptr+len). */
  slice(ptr: number, len: number): Uint8Array {
    const p = this.check(ptr, len >>> 0);
    return this.bytes.subarray(p, p + (len >>> 0));
  }

  /** A UTF-8 string of `len` bytes at `ptr` (a path or name argument). */
  string(ptr: number, len: number): string {
    try {
      return utf8.decode(this.slice(ptr, len));
    } catch (e) {
      if (e instanceof WasiError) throw e;
      throw new WasiError(Errno.EILSEQ, 'string argument is not UTF-8');
    }
  }

  /**
   * The buffers one call moves from an (c)iovec array (`count` records of { buf: u32, buf_len: u32 }
   * at `ptr`): the non-empty ones, at most IOV_MAX of them and `maxBytes` in all (the last one cut).
   * readv and writev may move less than asked; bounding it here keeps a guest from making the host
   * allocate an object per record or move terabytes in one call (Wasmtime moves only the first
   * non-empty buffer). Records past the first IOV_SCAN_MAX are not read.
   */
  iovecs(ptr: number, count: number, maxBytes: number): Uint8Array[] {
    const n = count >>> 0;
    const base = this.check(ptr, n * 8, 4);
    const out: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < n && i < IOV_SCAN_MAX && out.length < IOV_MAX && total < maxBytes; i++) {
      const len = this.view.getUint32(base + i * 8 + 4, true);
      if (len === 0) continue;
      const b = this.slice(this.view.getUint32(base + i * 8, true), len);
      const take = Math.min(len, maxBytes - total);
      out.push(take === len ? b : b.subarray(0, take));
      total += take;
    }
    return out;
  }
}

/** UTF-8 bytes of a string. */
export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}
