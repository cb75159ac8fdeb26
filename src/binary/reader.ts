// A bounded cursor over module bytes: LEB128 with the exact limits of the spec, fixed-width
// numbers, names (strict UTF-8) and the type encodings shared by sections and instructions.

import { CompileError } from '../core/errors.js';
import {
  I16, I32, I8, V128, MAX_TYPE_INDEX, refType,
  type HeapType, type StorageType, type ValType,
} from '../core/types.js';
import { decodeUtf8 } from '../core/utf8.js';

export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;
  /** Reading stops here (end of the current section, body or module). */
  end: number;
  /** Low and high 32 bits of the last `s64`/`u64` read (as int32s). */
  lo = 0;
  hi = 0;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  /** Throws a malformed-module error at `at` (default: the current position). */
  fail(message: string, at = this.pos): never {
    throw new CompileError(message, at, true);
  }

  /** Throws the error for reading past `end` (the reference interpreter's wording, wherever it happens). */
  eof(): never {
    this.fail('unexpected end of section or function');
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) this.eof();
    return this.bytes[this.pos++]!;
  }

  peek(): number {
    if (this.pos >= this.end) this.eof();
    return this.bytes[this.pos]!;
  }

  /** Unsigned LEB128 of at most 32 bits, at most 5 bytes. */
  u32(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.bytes[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.u32Long();
  }

  // Apart from u32's one-byte case, so that the engine inlines only that case at every call site.
  private u32Long(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= this.end) {
        this.pos = pos;
        this.eof();
      }
      const b = bytes[pos++]!;
      if (shift === 28) {
        if (b & 0x80) this.fail('integer representation too long', pos - 1);
        if (b & 0x70) this.fail('integer too large', pos - 1);
        this.pos = pos;
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        return result >>> 0;
      }
    }
  }

  /** Signed LEB128 of at most `bits` (<= 33) bits; returns a JS number. */
  private sN(bits: number): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let result = 0;
    let multiplier = 1;
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; ; i++) {
      if (pos >= this.end) {
        this.pos = pos;
        this.eof();
      }
      const b = bytes[pos++]!;
      if (i === maxBytes - 1) {
        if (b & 0x80) this.fail('integer representation too long', pos - 1);
        const remainingBits = bits - 7 * i;
        const mask = (-1 << (remainingBits - 1)) & 0x7f;
        if ((b & mask) !== 0 && (b & mask) !== mask) this.fail('integer too large', pos - 1);
      }
      result += (b & 0x7f) * multiplier;
      multiplier *= 128;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        if (b & 0x40) result -= multiplier;
        return result;
      }
    }
  }

  s32(): number {
    const bytes = this.bytes;
    const pos = this.pos;
    if (pos < this.end) {
      const b = bytes[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return (b << 25) >> 25;
      }
    }
    return this.sN(32) | 0;
  }

  s33(): number {
    return this.sN(33);
  }

  /** Signed LEB128 of at most 64 bits into `lo`/`hi`. */
  s64(): void {
    this.leb64(true);
  }

  /** Unsigned LEB128 of at most 64 bits into `lo`/`hi`; returns it as a number (inexact above 2^53). */
  u64(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.bytes[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        this.lo = b;
        this.hi = 0;
        return b;
      }
    }
    this.leb64(false);
    return (this.hi >>> 0) * 4294967296 + (this.lo >>> 0);
  }

  /** The last s64/u64 as a bigint (signed for s64 when asked). */
  lastBigInt(signed: boolean): bigint {
    const v = (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
    return signed ? BigInt.asIntN(64, v) : v;
  }

  private leb64(signed: boolean): void {
    const bytes = this.bytes;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (pos >= this.end) {
        this.pos = pos;
        this.eof();
      }
      const b = bytes[pos++]!;
      if (i === 9) {
        if (b & 0x80) this.fail('integer representation too long', pos - 1);
        const ok = signed ? (b & 0x7f) === 0 || (b & 0x7f) === 0x7f : (b & 0x7e) === 0;
        if (!ok) this.fail('integer too large', pos - 1);
      }
      const low7 = b & 0x7f;
      const shift = 7 * i;
      if (shift < 32) {
        lo |= low7 << shift;
        if (shift > 25) hi |= low7 >>> (32 - shift);
      } else {
        hi |= low7 << (shift - 32);
      }
      if ((b & 0x80) === 0) {
        if (signed && b & 0x40) {
          const next = shift + 7;
          if (next < 32) {
            lo |= -1 << next;
            hi = -1;
          } else if (next < 64) {
            hi |= -1 << (next - 32);
          }
        }
        this.pos = pos;
        this.lo = lo | 0;
        this.hi = hi | 0;
        return;
      }
    }
  }

  /** A little-endian 32-bit word as an unsigned number (f32 bits). */
  u32le(): number {
    if (this.end - this.pos < 4) {
      this.pos = this.end;
      this.eof();
    }
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** f64 bits into `lo`/`hi`. */
  u64le(): void {
    this.lo = this.u32le() | 0;
    this.hi = this.u32le() | 0;
  }

  /** `n` raw bytes as a view into the module. */
  take(n: number): Uint8Array {
    if (this.end - this.pos < n) {
      this.pos = this.end;
      this.eof();
    }
    const view = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  skip(n: number): void {
    if (this.end - this.pos < n) {
      this.pos = this.end;
      this.eof();
    }
    this.pos += n;
  }

  /** A vector or string length, which cannot exceed the bytes left. */
  length(): number {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - this.pos) this.fail('length out of bounds', at);
    return n;
  }

  /**
   * A vector count. Not checked against the bytes left: every element takes at least one byte, so
   * a count that is too large ends in "unexpected end" while reading the elements.
   */
  count(): number {
    return this.u32();
  }

  name(): string {
    const at = this.pos;
    const n = this.length();
    const text = decodeUtf8(this.bytes, this.pos, this.pos + n);
    if (text === null) this.fail('malformed UTF-8 encoding', at);
    this.pos += n;
    return text;
  }

  /** A type index (u32) that must fit our reference-type encoding. */
  typeIndex(): number {
    const at = this.pos;
    const x = this.u32();
    if (x > MAX_TYPE_INDEX) this.fail('type index too large', at);
    return x;
  }

  /** A heap type: a non-negative s33 type index, an abstract heap type, or `exact x`. */
  heapType(): HeapType {
    return this.heapTypeAndExact().heap;
  }

  /** Reads a heap type, reporting whether it was written `exact x` (custom descriptors). */
  heapTypeAndExact(): { heap: HeapType; exact: boolean } {
    const at = this.pos;
    const first = this.peek();
    if (first === 0x62) {
      this.pos++;
      return { heap: this.typeIndex(), exact: true };
    }
    const v = this.s33();
    if (v >= 0) {
      if (v > MAX_TYPE_INDEX) this.fail('type index too large', at);
      return { heap: v, exact: false };
    }
    if (!isAbstractHeapCode(v) || this.pos - at !== 1) this.fail('malformed heap type', at);
    return { heap: v, exact: false };
  }

  /** A reference type; `first` is its already-read first byte. */
  refTypeAfter(first: number, at: number): ValType {
    if (first === 0x64 || first === 0x63) {
      const { heap, exact } = this.heapTypeAndExact();
      return refType(heap, first === 0x63, exact);
    }
    const abstract = first - 0x80;
    if (first >= 0x69 && first <= 0x74 && isAbstractHeapCode(abstract)) return refType(abstract, true);
    return this.fail('malformed reference type', at);
  }

  refType(): ValType {
    const at = this.pos;
    return this.refTypeAfter(this.u8(), at);
  }

  valType(): ValType {
    const at = this.pos;
    const b = this.u8();
    if (b >= V128 && b <= I32) return b;
    if (b === 0x64 || b === 0x63 || (b >= 0x69 && b <= 0x74)) return this.refTypeAfter(b, at);
    return this.fail('malformed value type', at);
  }

  storageType(): StorageType {
    const b = this.peek();
    if (b === I8 || b === I16) {
      this.pos++;
      return b;
    }
    const at = this.pos;
    if ((b >= V128 && b <= I32) || b === 0x64 || b === 0x63 || (b >= 0x69 && b <= 0x74)) return this.valType();
    return this.fail('malformed storage type', at);
  }

  /** A block type: -1 for empty, a value type (encoded as in types.ts), or a type index as `BLOCK_TYPE_INDEX + x`. */
  blockType(): number {
    const b = this.peek();
    if (b === 0x40) {
      this.pos++;
      return BLOCK_EMPTY;
    }
    if ((b >= V128 && b <= I32) || b === 0x64 || b === 0x63 || (b >= 0x69 && b <= 0x74)) return this.valType();
    const at = this.pos;
    const x = this.s33();
    if (x < 0) this.fail('malformed block type', at);
    if (x > MAX_TYPE_INDEX) this.fail('type index too large', at);
    return BLOCK_TYPE_INDEX + x;
  }
}

/** Block type: no parameters, no results. */
export const BLOCK_EMPTY = -1;
/** Block types at or above this value name a function type by index (value - BLOCK_TYPE_INDEX). */
export const BLOCK_TYPE_INDEX = 1 << 24;

function isAbstractHeapCode(v: number): boolean {
  return v >= -0x17 && v <= -0x0c;
}
