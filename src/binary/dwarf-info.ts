// Reading `.debug_info`'s entries (DIEs) of DWARF 2 to 5, 32- and 64-bit: unit headers,
// abbreviation tables, attribute values in every form, and the strings they name. The inline table
// reads whole units with these; the line table only each compile unit's first entry, for the
// directory its relative file names start from.

import type { ModuleInfo } from './module.js';
import { DwarfError, Reader, stringAt } from './dwarf-reader.js';

export const FORM = {
  addr: 0x01, block2: 0x03, block4: 0x04, data2: 0x05, data4: 0x06, data8: 0x07, string: 0x08, block: 0x09,
  block1: 0x0a, data1: 0x0b, flag: 0x0c, sdata: 0x0d, strp: 0x0e, udata: 0x0f, refAddr: 0x10, ref1: 0x11,
  ref2: 0x12, ref4: 0x13, ref8: 0x14, refUdata: 0x15, indirect: 0x16, secOffset: 0x17, exprloc: 0x18,
  flagPresent: 0x19, strx: 0x1a, addrx: 0x1b, refSup4: 0x1c, strpSup: 0x1d, data16: 0x1e, lineStrp: 0x1f,
  refSig8: 0x20, implicitConst: 0x21, loclistx: 0x22, rnglistx: 0x23, refSup8: 0x24,
  strx1: 0x25, strx2: 0x26, strx3: 0x27, strx4: 0x28, addrx1: 0x29, addrx2: 0x2a, addrx3: 0x2b, addrx4: 0x2c,
  gnuAddrIndex: 0x1f01, gnuStrIndex: 0x1f02, gnuRefAlt: 0x1f20, gnuStrpAlt: 0x1f21,
} as const;


export interface AbbrevAttr {
  readonly at: number;
  readonly form: number;
  readonly implicit: number;
}

export interface Abbrev {
  readonly tag: number;
  readonly children: boolean;
  readonly attrs: readonly AbbrevAttr[];
}

/** A raw attribute value: a number, a string, or an index to be resolved with the unit's bases. */
export type Raw = { readonly form: number; readonly value: number | string };


/** The abbreviation table at `offset` of `.debug_abbrev`. */
export function readAbbrevs(section: Uint8Array, offset: number): Map<number, Abbrev> {
  const r = new Reader(section, offset, section.length);
  const table = new Map<number, Abbrev>();
  for (let code = r.uleb(); code !== 0; code = r.uleb()) {
    const tag = r.uleb();
    const children = r.u8() !== 0;
    const attrs: AbbrevAttr[] = [];
    for (;;) {
      const at = r.uleb();
      const form = r.uleb();
      if (at === 0 && form === 0) break;
      attrs.push({ at, form, implicit: form === FORM.implicitConst ? r.sleb() : 0 });
    }
    table.set(code, { tag, children, attrs });
  }
  return table;
}

/** Reads one attribute value in `form`, or skips it (returning null) when nothing here needs it. */
export function readForm(r: Reader, form: number, u: UnitHeader, implicit: number): Raw | null {
  switch (form) {
    case FORM.addr: return { form, value: r.address(u.addressSize) };
    case FORM.data1: case FORM.ref1: case FORM.flag: case FORM.strx1: case FORM.addrx1: return { form, value: r.u8() };
    case FORM.data2: case FORM.ref2: case FORM.strx2: case FORM.addrx2: return { form, value: r.u16() };
    case FORM.strx3: case FORM.addrx3: return { form, value: r.u16() | (r.u8() << 16) };
    case FORM.data4: case FORM.ref4: case FORM.strx4: case FORM.addrx4: case FORM.refSup4: return { form, value: r.u32() };
    case FORM.data8: case FORM.ref8: case FORM.refSig8: case FORM.refSup8: return { form, value: r.u64() };
    case FORM.sdata: return { form, value: r.sleb() };
    case FORM.udata: case FORM.refUdata: case FORM.strx: case FORM.addrx: case FORM.loclistx: case FORM.rnglistx:
    case FORM.gnuAddrIndex: case FORM.gnuStrIndex:
      return { form, value: r.uleb() };
    case FORM.string: return { form, value: r.cstring() };
    case FORM.strp: case FORM.lineStrp: case FORM.secOffset: case FORM.strpSup: case FORM.gnuRefAlt: case FORM.gnuStrpAlt:
      return { form, value: r.offset(u.offset64) };
    case FORM.refAddr: return { form, value: u.version <= 2 ? (r.address(u.addressSize)) : r.offset(u.offset64) };
    case FORM.implicitConst: return { form, value: implicit };
    case FORM.flagPresent: return { form, value: 1 };
    case FORM.data16: r.skip(16); return null;
    case FORM.exprloc: case FORM.block: r.skip(r.uleb()); return null;
    case FORM.block1: r.skip(r.u8()); return null;
    case FORM.block2: r.skip(r.u16()); return null;
    case FORM.block4: r.skip(r.u32()); return null;
    case FORM.indirect: {
      let actual = r.uleb();
      while (actual === FORM.indirect) actual = r.uleb();
      return readForm(r, actual, u, implicit);
    }
  }
  throw new DwarfError(`unknown attribute form 0x${form.toString(16)}`);
}

/** The string an attribute holds, or null for forms that are not this module's strings. */
export function stringOf(raw: Raw, u: StringBase, s: StringSections): string | null {
  switch (raw.form) {
    case FORM.string: return raw.value as string;
    case FORM.strp: return stringAt(s.str, raw.value as number);
    case FORM.lineStrp: return stringAt(s.lineStr, raw.value as number);
    case FORM.strx: case FORM.strx1: case FORM.strx2: case FORM.strx3: case FORM.strx4: case FORM.gnuStrIndex: {
      if (s.strOffsets === null) throw new DwarfError('string index without .debug_str_offsets');
      const size = u.offset64 ? 8 : 4;
      const r = new Reader(s.strOffsets, u.strOffsetsBase + (raw.value as number) * size, s.strOffsets.length);
      return stringAt(s.str, r.offset(u.offset64));
    }
  }
  return null;
}


/** A unit's header: where it ends, its encoding, and its abbreviation table. */
export interface UnitHeader {
  readonly start: number;
  readonly end: number;
  readonly version: number;
  readonly offset64: boolean;
  readonly addressSize: number;
  /** DW_UT_*: 0x01 compile, 0x03 partial (every unit before DWARF 5 counts as a compile unit). */
  readonly unitType: number;
  readonly abbrevOffset: number;
}

const UT_COMPILE = 0x01;
const UT_PARTIAL = 0x03;

/** Whether a unit holds code: compile and partial units (type units hold types; skeleton units point elsewhere). */
export const holdsCode = (u: UnitHeader) => u.unitType === UT_COMPILE || u.unitType === UT_PARTIAL;

export function readUnitHeader(r: Reader): UnitHeader {
  const start = r.pos;
  const { end, offset64, version } = r.unitStart('compile unit');
  let unitType = UT_COMPILE;
  let addressSize: number;
  let abbrevOffset: number;
  if (version >= 5) {
    unitType = r.u8();
    addressSize = r.u8();
    abbrevOffset = r.offset(offset64);
  } else {
    abbrevOffset = r.offset(offset64);
    addressSize = r.u8();
  }
  if (addressSize !== 4 && addressSize !== 8) throw new DwarfError(`address size ${addressSize}`);
  return { start, end, version, offset64, addressSize, unitType, abbrevOffset };
}

/** What resolving a string index needs: the unit's offset size and DW_AT_str_offsets_base. */
export interface StringBase {
  readonly offset64: boolean;
  readonly strOffsetsBase: number;
}

export interface StringSections {
  readonly str: Uint8Array | null;
  readonly lineStr: Uint8Array | null;
  readonly strOffsets: Uint8Array | null;
}

/** DWARF 5's default str_offsets_base: just past the `.debug_str_offsets` header of a 32-bit unit. */
export const DEFAULT_STR_OFFSETS_BASE = 8;

const AT_STMT_LIST = 0x10;
const AT_COMP_DIR = 0x1b;
export const AT_STR_OFFSETS_BASE = 0x72;

/** One entry: its abbreviation and the attribute values read (forms skipped by readForm left out). */
export interface Die {
  readonly abbrev: Abbrev;
  readonly attrs: Map<number, Raw>;
}

/** The entry at the reader, or null for a null entry (the end of a list of children). */
export function readDie(r: Reader, abbrevs: ReadonlyMap<number, Abbrev>, u: UnitHeader): Die | null {
  const code = r.uleb();
  if (code === 0) return null;
  const abbrev = abbrevs.get(code);
  if (abbrev === undefined) throw new DwarfError(`unknown abbreviation ${code}`);
  const attrs = new Map<number, Raw>();
  for (const a of abbrev.attrs) {
    const raw = readForm(r, a.form, u, a.implicit);
    if (raw !== null) attrs.set(a.at, raw);
  }
  return { abbrev, attrs };
}

/** The abbreviation table of a unit, read once per offset. */
export function abbrevsOf(section: Uint8Array, u: UnitHeader, cache: Map<number, Map<number, Abbrev>>): Map<number, Abbrev> {
  let abbrevs = cache.get(u.abbrevOffset);
  if (abbrevs === undefined) cache.set(u.abbrevOffset, (abbrevs = readAbbrevs(section, u.abbrevOffset)));
  return abbrevs;
}

/**
 * Each compile unit's directory (DW_AT_comp_dir) by its line table's offset in `.debug_line`
 * (DW_AT_stmt_list): relative file names in that table start from it, as llvm-symbolizer and
 * Wasmtime read them. Units without either attribute are left out; a malformed unit ends the scan.
 */
export function compilationDirectories(module: ModuleInfo): Map<number, string> {
  const out = new Map<number, string>();
  const section = (name: string) => module.customSections.find((c) => c.name === name)?.data ?? null;
  const info = section('.debug_info');
  const abbrev = section('.debug_abbrev');
  if (info === null || abbrev === null) return out;
  const s: StringSections = { str: section('.debug_str'), lineStr: section('.debug_line_str'), strOffsets: section('.debug_str_offsets') };
  const cache = new Map<number, Map<number, Abbrev>>();
  const r = new Reader(info, 0, info.length);
  try {
    while (r.pos < r.end) {
      const u = readUnitHeader(r);
      const attrs = holdsCode(u) && r.pos < u.end ? readDie(r, abbrevsOf(abbrev, u, cache), u)?.attrs : undefined;
      const stmtList = attrs?.get(AT_STMT_LIST)?.value;
      const compDir = attrs?.get(AT_COMP_DIR);
      if (typeof stmtList === 'number' && compDir !== undefined) {
        const base = attrs!.get(AT_STR_OFFSETS_BASE)?.value;
        const dir = stringOf(compDir, { offset64: u.offset64, strOffsetsBase: typeof base === 'number' ? base : DEFAULT_STR_OFFSETS_BASE }, s);
        if (dir !== null && dir !== '') out.set(stmtList, dir);
      }
      r.pos = u.end;
    }
  } catch (e) {
    if (!(e instanceof DwarfError)) throw e;
  }
  return out;
}
