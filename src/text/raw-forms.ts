// Encoding choices of a binary module that ModuleInfo does not keep but its text must restate
// to encode to the same bytes: explicit rec groups, `sub` prefixes, exact limits, memory flags.

import { ByteReader } from '../binary/reader.js';
import { opensBlock, readOpcode, skipImmediates } from '../binary/instructions.js';
import { ALL_FEATURES } from '../core/features.js';

export interface SectionBounds {
  readonly id: number;
  /** Content range (after the size field). */
  readonly start: number;
  readonly end: number;
}

export interface LimitsForm {
  readonly flags: number;
  readonly min: bigint;
  readonly max: bigint | null;
  /** log2 of the page size when the flags carry one (memories only). */
  readonly pageLog2: number | null;
}

export interface RawForms {
  readonly sections: readonly SectionBounds[];
  /** Per rec group: whether it was written as `0x4e n ...` (else one bare subtype). */
  readonly recExplicit: readonly boolean[];
  /** Per type: whether its subtype was written with a 0x50 / 0x4f prefix. */
  readonly subPrefixed: readonly boolean[];
  /** Limits of every memory and table, imports first. */
  readonly memories: readonly LimitsForm[];
  readonly tables: readonly LimitsForm[];
}

/** Reads the forms from a module that decodeModule accepted (so the walk cannot fail). */
export function readRawForms(bytes: Uint8Array): RawForms {
  const sections: SectionBounds[] = [];
  const r = new ByteReader(bytes, 8);
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    sections.push({ id, start: r.pos, end: r.pos + size });
    r.pos += size;
  }
  const recExplicit: boolean[] = [];
  const subPrefixed: boolean[] = [];
  const memories: LimitsForm[] = [];
  const tables: LimitsForm[] = [];
  for (const s of sections) {
    const sr = new ByteReader(bytes, s.start, s.end);
    if (s.id === 1) readTypes(sr, recExplicit, subPrefixed);
    else if (s.id === 2) readImports(sr, memories, tables);
    else if (s.id === 4) readTables(sr, tables);
    else if (s.id === 5) {
      const n = sr.u32();
      for (let i = 0; i < n; i++) memories.push(limits(sr, true));
    }
  }
  return { sections, recExplicit, subPrefixed, memories, tables };
}

function readTypes(r: ByteReader, recExplicit: boolean[], subPrefixed: boolean[]): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    if (r.peek() === 0x4e) {
      r.pos++;
      recExplicit.push(true);
      const m = r.u32();
      for (let j = 0; j < m; j++) subType(r, subPrefixed);
    } else {
      recExplicit.push(false);
      subType(r, subPrefixed);
    }
  }
}

function subType(r: ByteReader, subPrefixed: boolean[]): void {
  const first = r.peek();
  if (first === 0x50 || first === 0x4f) {
    r.pos++;
    subPrefixed.push(true);
    const n = r.u32();
    for (let i = 0; i < n; i++) r.u32();
  } else {
    subPrefixed.push(false);
  }
  for (;;) {
    const b = r.peek();
    if (b === 0x4c || b === 0x4d) {
      r.pos++;
      r.u32();
    } else if (b === 0x65) {
      r.pos++;
    } else break;
  }
  const kind = r.u8();
  if (kind === 0x60) {
    for (let side = 0; side < 2; side++) {
      const n = r.u32();
      for (let i = 0; i < n; i++) r.valType();
    }
  } else if (kind === 0x5f) {
    const n = r.u32();
    for (let i = 0; i < n; i++) {
      r.storageType();
      r.u8();
    }
  } else {
    r.storageType();
    r.u8();
  }
}

function limits(r: ByteReader, memory: boolean): LimitsForm {
  const flags = r.u8();
  r.u64();
  const min = r.lastBigInt(false);
  let max: bigint | null = null;
  if (flags & 1) {
    r.u64();
    max = r.lastBigInt(false);
  }
  const pageLog2 = memory && flags & 8 ? r.u32() : null;
  return { flags, min, max, pageLog2 };
}

function readImports(r: ByteReader, memories: LimitsForm[], tables: LimitsForm[]): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      const len = r.u32();
      r.pos += len;
    }
    const kind = r.u8();
    switch (kind) {
      case 0x00: case 0x20: r.u32(); break;
      case 0x01: r.refType(); tables.push(limits(r, false)); break;
      case 0x02: memories.push(limits(r, true)); break;
      case 0x03: r.valType(); r.u8(); break;
      case 0x04: r.u8(); r.u32(); break;
    }
  }
}

function readTables(r: ByteReader, tables: LimitsForm[]): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    if (r.peek() === 0x40) {
      r.pos += 2;
      r.refType();
      tables.push(limits(r, false));
      // The initialiser: skipped by the caller's ModuleInfo; here only its end matters.
      skipConstExpr(r);
    } else {
      r.refType();
      tables.push(limits(r, false));
    }
  }
}

/** Skips a constant expression: instructions up to the `end` that closes it. */
function skipConstExpr(r: ByteReader): void {
  let depth = 0;
  for (;;) {
    const op = readOpcode(r, ALL_FEATURES);
    if (op.code === 0x0b) {
      if (depth === 0) return;
      depth--;
      continue;
    }
    if (opensBlock(op)) depth++;
    skipImmediates(r, op);
  }
}
