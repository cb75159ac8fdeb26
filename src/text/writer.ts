// A growable byte buffer with the LEB128 and fixed-width writers the binary encoding needs, and
// cut/splice helpers for folded instructions whose bytes are emitted after their operands.

export class ByteWriter {
  buf: Uint8Array;
  length = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < this.length + extra) n *= 2;
    const next = new Uint8Array(n);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.length === this.buf.length) this.ensure(1);
    this.buf[this.length++] = b;
  }

  bytes(b: ArrayLike<number>): void {
    this.ensure(b.length);
    if (b instanceof Uint8Array) this.buf.set(b, this.length);
    else for (let i = 0; i < b.length; i++) this.buf[this.length + i] = b[i]!;
    this.length += b.length;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^53. */
  u32(v: number): void {
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Signed LEB128 of an integer in the safe range (used for s32 and s33 values). */
  s32(v: number): void {
    this.ensure(10);
    for (;;) {
      const b = v & 0x7f;
      v = Math.floor(v / 128);
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.buf[this.length++] = b;
        return;
      }
      this.buf[this.length++] = b | 0x80;
    }
  }

  /** Signed LEB128 of a 64-bit two's complement value given as an unsigned bigint. */
  s64(bits: bigint): void {
    let v = BigInt.asIntN(64, bits);
    if (v >= -(2n ** 52n) && v < 2n ** 52n) {
      this.s32(Number(v));
      return;
    }
    this.ensure(10);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.buf[this.length++] = b;
        return;
      }
      this.buf[this.length++] = b | 0x80;
    }
  }

  /** Unsigned LEB128 of a bigint below 2^64. */
  u64(v: bigint): void {
    if (v < 2n ** 53n) {
      this.u32(Number(v));
      return;
    }
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.length++] = Number(v);
  }

  /** Little-endian 32-bit word. */
  u32le(v: number): void {
    this.ensure(4);
    this.buf[this.length++] = v & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 24) & 0xff;
  }

  /** Little-endian 64-bit word from an unsigned bigint. */
  u64le(v: bigint): void {
    this.u32le(Number(v & 0xffffffffn));
    this.u32le(Number((v >> 32n) & 0xffffffffn));
  }

  /** A byte vector: length then bytes. */
  vec(b: ArrayLike<number>): void {
    this.u32(b.length);
    this.bytes(b);
  }

  /** The written bytes (a copy). */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** The written bytes [from, length) as a copy, then truncates to `from`. */
  cut(from: number): Uint8Array {
    const out = this.buf.slice(from, this.length);
    this.length = from;
    return out;
  }
}

/** Appends a binary string (one char per byte) to a writer. */
export function writeBinary(w: ByteWriter, s: string): void {
  for (let i = 0; i < s.length; i++) w.byte(s.charCodeAt(i));
}
