// Reading DWARF's encodings (little-endian integers, LEB128, strings) from a custom section, for
// the line table (dwarf-lines.ts) and the inlined calls (dwarf-inlines.ts). Malformed data throws
// DwarfError, which the readers turn into "no debug info" rather than a failure.

import { decodeUtf8Escaping } from '../core/utf8.js';

/** Thrown inside the parser on malformed DWARF; the table is then left out, never a crash. */
export class DwarfError extends Error {}

export class Reader {
  pos: number;
  constructor(readonly bytes: Uint8Array, start: number, public end: number) {
    this.pos = start;
  }
  u8(): number {
    if (this.pos >= this.end) throw new DwarfError('unexpected end of a DWARF section');
    return this.bytes[this.pos++]!;
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    if (hi > 0x1fffff) throw new DwarfError('64-bit value out of range');
    return hi * 0x1_0000_0000 + lo;
  }
  uleb(): number {
    return this.leb(false);
  }
  sleb(): number {
    return this.leb(true);
  }
  private leb(signed: boolean): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return signed && (b & 0x40) !== 0 ? result - scale : result;
      if (scale > 2 ** 56) throw new DwarfError('LEB128 too long');
    }
  }
  cstring(): string {
    const start = this.pos;
    while (this.u8() !== 0);
    return utf8(this.bytes.subarray(start, this.pos - 1));
  }
  /** A target address of `size` bytes (4 for wasm32, 8 for wasm64). */
  address(size: number): number {
    return size === 8 ? this.u64() : this.u32();
  }
  /** A section offset: 4 bytes, or 8 in the 64-bit DWARF format. */
  offset(offset64: boolean): number {
    return offset64 ? this.u64() : this.u32();
  }
  /**
   * The header every unit starts with (`.debug_info`'s units, `.debug_line`'s programs): its
   * initial length (which also tells the 64-bit format) and DWARF version, 2 to 5.
   */
  unitStart(what: string): { end: number; offset64: boolean; version: number } {
    let length = this.u32();
    let offset64 = false;
    if (length === 0xffffffff) {
      length = this.u64();
      offset64 = true;
    }
    const end = this.pos + length;
    if (end > this.end) throw new DwarfError(`${what} longer than its section`);
    const version = this.u16();
    if (version < 2 || version > 5) throw new DwarfError(`${what}: DWARF version ${version}`);
    return { end, offset64, version };
  }
  skip(n: number): void {
    if (n > this.end - this.pos) throw new DwarfError('unexpected end of a DWARF section');
    this.pos += n;
  }
}

export function utf8(bytes: Uint8Array): string {
  return decodeUtf8Escaping(bytes);
}

/** A string at `offset` of a string section (DW_FORM_strp, DW_FORM_line_strp). */
export function stringAt(section: Uint8Array | null, offset: number): string {
  if (section === null || offset >= section.length) throw new DwarfError('string offset outside its section');
  let end = offset;
  while (end < section.length && section[end] !== 0) end++;
  return utf8(section.subarray(offset, end));
}


/** The index of the last of `items` (sorted by `key`) whose key is at most `value`; -1 if none. */
export function lastAtOrBefore<T>(items: readonly T[], key: (item: T) => number, value: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]!) <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
