// Inlined calls from DWARF's `.debug_info`: which functions were inlined into the code at an
// address, and from which call sites, so that a backtrace frame in optimised code can list the
// inlined functions as Wasmtime does (FrameInfo.symbols, innermost first). Reads compile units of
// DWARF 2 to 5 (32- and 64-bit), their subprograms and inlined subroutines with their address
// ranges (low_pc/high_pc, `.debug_ranges`, `.debug_rnglists`) and names (followed through
// abstract_origin and specification), with DWARF 5's string and address indices.

import type { ModuleInfo } from './module.js';
import type { LineTable, SourceLocation } from './dwarf-lines.js';
import { DwarfError, Reader, lastAtOrBefore, stringAt } from './dwarf-reader.js';

/** One function of a frame's inline chain: its name, and where it is at the frame's address. */
export interface InlinedFrame {
  /** The function's DWARF name (its linkage name when it has one); null when DWARF gives none. */
  readonly name: string | null;
  readonly location: SourceLocation | null;
}

const TAG = { compileUnit: 0x11, partialUnit: 0x3c, subprogram: 0x2e, inlinedSubroutine: 0x1d } as const;
const AT = {
  name: 0x03, stmtList: 0x10, lowPc: 0x11, highPc: 0x12, abstractOrigin: 0x31, specification: 0x47,
  ranges: 0x55, callColumn: 0x57, callFile: 0x58, callLine: 0x59, linkageName: 0x6e, mipsLinkageName: 0x2007,
  strOffsetsBase: 0x72, addrBase: 0x73, rnglistsBase: 0x74,
} as const;
const FORM = {
  addr: 0x01, block2: 0x03, block4: 0x04, data2: 0x05, data4: 0x06, data8: 0x07, string: 0x08, block: 0x09,
  block1: 0x0a, data1: 0x0b, flag: 0x0c, sdata: 0x0d, strp: 0x0e, udata: 0x0f, refAddr: 0x10, ref1: 0x11,
  ref2: 0x12, ref4: 0x13, ref8: 0x14, refUdata: 0x15, indirect: 0x16, secOffset: 0x17, exprloc: 0x18,
  flagPresent: 0x19, strx: 0x1a, addrx: 0x1b, refSup4: 0x1c, strpSup: 0x1d, data16: 0x1e, lineStrp: 0x1f,
  refSig8: 0x20, implicitConst: 0x21, loclistx: 0x22, rnglistx: 0x23, refSup8: 0x24,
  strx1: 0x25, strx2: 0x26, strx3: 0x27, strx4: 0x28, addrx1: 0x29, addrx2: 0x2a, addrx3: 0x2b, addrx4: 0x2c,
  gnuAddrIndex: 0x1f01, gnuStrIndex: 0x1f02, gnuRefAlt: 0x1f20, gnuStrpAlt: 0x1f21,
} as const;

/** Address values linkers write for code they removed: such ranges cover nothing. */
const TOMBSTONE = 0xfffffffe;

interface AbbrevAttr {
  readonly at: number;
  readonly form: number;
  readonly implicit: number;
}

interface Abbrev {
  readonly tag: number;
  readonly children: boolean;
  readonly attrs: readonly AbbrevAttr[];
}

/** A raw attribute value: a number, a string, or an index to be resolved with the unit's bases. */
type Raw = { readonly form: number; readonly value: number | string };

/** A subprogram or inlined subroutine: its ranges, what names it, and (inlined) its call site. */
interface Scope {
  readonly ranges: readonly (readonly [number, number])[];
  readonly names: Names;
  readonly call: SourceLocation | null;
  readonly inner: Scope[];
}

/** A DIE's own name attributes and the DIEs it takes a name from. */
interface Names {
  readonly name: string | null;
  readonly linkage: string | null;
  /** Absolute `.debug_info` offsets of its abstract_origin and specification, when present. */
  readonly origin: number | null;
  readonly specification: number | null;
}

interface Sections {
  readonly abbrev: Uint8Array;
  readonly str: Uint8Array | null;
  readonly lineStr: Uint8Array | null;
  readonly strOffsets: Uint8Array | null;
  readonly addr: Uint8Array | null;
  readonly ranges: Uint8Array | null;
  readonly rnglists: Uint8Array | null;
}

/** A compile unit's header facts and bases (DWARF 5's str_offsets_base, addr_base, rnglists_base). */
interface Unit {
  readonly start: number;
  readonly version: number;
  readonly offset64: boolean;
  readonly addressSize: number;
  strOffsetsBase: number;
  addrBase: number;
  rnglistsBase: number;
  /** The unit's base address (its DW_AT_low_pc), for range lists. */
  base: number;
  files: readonly string[];
}

/** The inlined calls of a module's code, from its `.debug_info`. */
export class InlineTable {
  private constructor(
    /** Top-level subprograms' ranges, sorted by start: [start, end, scope]. */
    private readonly roots: readonly (readonly [number, number, Scope])[],
    /** Name attributes of every subprogram and inlined subroutine, by `.debug_info` offset. */
    private readonly names: ReadonlyMap<number, Names>,
    private readonly lines: LineTable,
  ) {}

  /** The table of a module with `.debug_info`; null when it has none or it cannot be read. */
  static of(module: ModuleInfo, lines: LineTable): InlineTable | null {
    const section = (name: string) => module.customSections.find((c) => c.name === name)?.data ?? null;
    const info = section('.debug_info');
    const abbrev = section('.debug_abbrev');
    if (info === null || abbrev === null) return null;
    const s: Sections = {
      abbrev, str: section('.debug_str'), lineStr: section('.debug_line_str'), strOffsets: section('.debug_str_offsets'),
      addr: section('.debug_addr'), ranges: section('.debug_ranges'), rnglists: section('.debug_rnglists'),
    };
    const roots: [number, number, Scope][] = [];
    const names = new Map<number, Names>();
    try {
      const r = new Reader(info, 0, info.length);
      const abbrevCache = new Map<number, Map<number, Abbrev>>();
      while (r.pos < r.end) readUnit(r, s, lines, roots, names, abbrevCache);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      // The units read before the malformed one are kept.
    }
    if (roots.length === 0) return null;
    roots.sort((a, b) => a[0] - b[0]);
    return new InlineTable(roots, names, lines);
  }

  /**
   * The functions at `moduleOffset`, innermost first: the innermost inlined function at the
   * instruction's own line, then each function it was inlined into at the inlined call. Null
   * when no subprogram covers the address.
   */
  framesAt(moduleOffset: number): InlinedFrame[] | null {
    const address = moduleOffset - this.lines.codeSectionStart;
    let scope = this.rootAt(address);
    if (scope === null) return null;
    const chain: Scope[] = [scope];
    for (let inner = innerAt(scope, address); inner !== null; inner = innerAt(scope, address)) {
      scope = inner;
      chain.push(scope);
    }
    const frames: InlinedFrame[] = [];
    let location = this.lines.lookup(moduleOffset);
    for (let i = chain.length - 1; i >= 0; i--) {
      frames.push({ name: this.nameOf(chain[i]!.names), location });
      location = chain[i]!.call;
    }
    return frames;
  }

  private rootAt(address: number): Scope | null {
    const roots = this.roots;
    const found = lastAtOrBefore(roots, (root) => root[0], address);
    // Ranges of different subprograms do not overlap, but a subprogram's may be listed in pieces.
    for (let i = found; i >= 0 && i > found - 8; i--) {
      if (address < roots[i]![1]) return roots[i]![2];
    }
    return null;
  }

  /** The linkage name, else the name, of a DIE or of the DIE it refers to (a bounded walk). */
  private nameOf(start: Names): string | null {
    let names: Names | undefined = start;
    for (let hops = 0; names !== undefined && hops < 8; hops++) {
      if (names.linkage !== null) return names.linkage;
      if (names.name !== null) return names.name;
      const next: number | null = names.origin ?? names.specification;
      names = next === null ? undefined : this.names.get(next);
    }
    return null;
  }
}

function innerAt(scope: Scope, address: number): Scope | null {
  for (const inner of scope.inner) {
    for (const [start, end] of inner.ranges) if (address >= start && address < end) return inner;
  }
  return null;
}

/** The abbreviation table at `offset` of `.debug_abbrev`. */
function readAbbrevs(section: Uint8Array, offset: number): Map<number, Abbrev> {
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
function readForm(r: Reader, form: number, u: Unit, implicit: number): Raw | null {
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

/** The string a name attribute holds, or null for forms that are not this module's strings. */
function stringOf(raw: Raw, u: Unit, s: Sections): string | null {
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

/** An address attribute's value: DW_FORM_addr as it is, an index through `.debug_addr`. */
function addressOf(raw: Raw, u: Unit, s: Sections): number {
  if (raw.form === FORM.addr) return raw.value as number;
  if (s.addr === null) throw new DwarfError('address index without .debug_addr');
  const r = new Reader(s.addr, u.addrBase + (raw.value as number) * u.addressSize, s.addr.length);
  return r.address(u.addressSize);
}

const numberOf = (raw: Raw | undefined) => (typeof raw?.value === 'number' ? raw.value : 0);

const isConstantForm = (form: number) =>
  form === FORM.data1 || form === FORM.data2 || form === FORM.data4 || form === FORM.data8 || form === FORM.udata
  || form === FORM.sdata || form === FORM.implicitConst;

/** A reference attribute as an absolute `.debug_info` offset. */
function referenceOf(raw: Raw, u: Unit): number | null {
  switch (raw.form) {
    case FORM.ref1: case FORM.ref2: case FORM.ref4: case FORM.ref8: case FORM.refUdata:
      return u.start + (raw.value as number);
    case FORM.refAddr: return raw.value as number;
  }
  return null; // type-unit signatures and supplementary files are not followed
}

/** The address ranges of a DIE: [low_pc, high_pc), or its DW_AT_ranges list. */
function rangesOf(attrs: ReadonlyMap<number, Raw>, u: Unit, s: Sections): [number, number][] {
  const out: [number, number][] = [];
  const add = (start: number, end: number) => {
    if (start < TOMBSTONE && end > start) out.push([start, end]);
  };
  const low = attrs.get(AT.lowPc);
  const high = attrs.get(AT.highPc);
  if (low !== undefined && high !== undefined) {
    const start = addressOf(low, u, s);
    add(start, isConstantForm(high.form) ? start + (high.value as number) : addressOf(high, u, s));
    return out;
  }
  const ranges = attrs.get(AT.ranges);
  if (ranges === undefined) return out;
  if (u.version >= 5) readRngList(ranges, u, s, add);
  else readRanges(ranges.value as number, u, s, add);
  return out;
}

/** DWARF 2-4's `.debug_ranges`: pairs of addresses, a base address selection, a (0, 0) end. */
function readRanges(offset: number, u: Unit, s: Sections, add: (start: number, end: number) => void): void {
  if (s.ranges === null) throw new DwarfError('DW_AT_ranges without .debug_ranges');
  const r = new Reader(s.ranges, offset, s.ranges.length);
  const max = u.addressSize === 8 ? 2 ** 64 - 1 : 0xffffffff;
  let base = u.base;
  for (let n = 0; n < 100_000; n++) {
    const start = r.address(u.addressSize);
    const end = r.address(u.addressSize);
    if (start === 0 && end === 0) return;
    if (start === max) base = end;
    else add(base + start, base + end);
  }
}

/** DWARF 5's `.debug_rnglists` entries, from a DW_FORM_rnglistx index or a section offset. */
function readRngList(raw: Raw, u: Unit, s: Sections, add: (start: number, end: number) => void): void {
  const section = s.rnglists;
  if (section === null) throw new DwarfError('DW_AT_ranges without .debug_rnglists');
  let offset = raw.value as number;
  if (raw.form === FORM.rnglistx) {
    const size = u.offset64 ? 8 : 4;
    const r = new Reader(section, u.rnglistsBase + offset * size, section.length);
    offset = u.rnglistsBase + r.offset(u.offset64);
  }
  const r = new Reader(section, offset, section.length);
  const indexed = (index: number) => addressOf({ form: FORM.addrx, value: index }, u, s);
  let base = u.base;
  for (let n = 0; n < 100_000; n++) {
    const kind = r.u8();
    switch (kind) {
      case 0: return; // DW_RLE_end_of_list
      case 1: base = indexed(r.uleb()); break; // base_addressx
      case 2: { const start = indexed(r.uleb()); add(start, indexed(r.uleb())); break; } // startx_endx
      case 3: { const start = indexed(r.uleb()); add(start, start + r.uleb()); break; } // startx_length
      case 4: { const start = r.uleb(); add(base + start, base + r.uleb()); break; } // offset_pair
      case 5: base = r.address(u.addressSize); break; // base_address
      case 6: { const start = r.address(u.addressSize); add(start, r.address(u.addressSize)); break; } // start_end
      case 7: { const start = r.address(u.addressSize); add(start, start + r.uleb()); break; } // start_length
      default: throw new DwarfError(`unknown range list entry ${kind}`);
    }
  }
}

/** One compile unit: its subprograms into `roots`, every scope's names into `names`. */
function readUnit(r: Reader, s: Sections, lines: LineTable, roots: [number, number, Scope][], names: Map<number, Names>, abbrevCache: Map<number, Map<number, Abbrev>>): void {
  const start = r.pos;
  const { end, offset64, version } = r.unitStart('compile unit');
  let unitType = 0x01; // DW_UT_compile
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
  // Only compile and partial units hold code (type units hold types; skeleton units point elsewhere).
  if (unitType !== 0x01 && unitType !== 0x03) {
    r.pos = end;
    return;
  }
  let abbrevs = abbrevCache.get(abbrevOffset);
  if (abbrevs === undefined) abbrevCache.set(abbrevOffset, (abbrevs = readAbbrevs(s.abbrev, abbrevOffset)));
  const u: Unit = { start, version, offset64, addressSize, strOffsetsBase: 8, addrBase: 8, rnglistsBase: 12, base: 0, files: [] };

  // The open scopes, innermost last, each with the DIE depth it was opened at.
  const open: [number, Scope][] = [];
  let depth = 0;
  while (r.pos < end) {
    const dieOffset = r.pos;
    const code = r.uleb();
    if (code === 0) {
      depth--;
      while (open.length > 0 && open[open.length - 1]![0] > depth) open.pop();
      continue;
    }
    const abbrev = abbrevs.get(code);
    if (abbrev === undefined) throw new DwarfError(`unknown abbreviation ${code}`);
    const attrs = new Map<number, Raw>();
    for (const a of abbrev.attrs) {
      const raw = readForm(r, a.form, u, a.implicit);
      if (raw !== null) attrs.set(a.at, raw);
    }
    if (abbrev.tag === TAG.compileUnit || abbrev.tag === TAG.partialUnit) {
      // The bases come before or after the attributes that need them: set them all first.
      const base = (at: number, fallback: number) => (attrs.get(at)?.value as number | undefined) ?? fallback;
      u.strOffsetsBase = base(AT.strOffsetsBase, u.strOffsetsBase);
      u.addrBase = base(AT.addrBase, u.addrBase);
      u.rnglistsBase = base(AT.rnglistsBase, u.rnglistsBase);
      const low = attrs.get(AT.lowPc);
      u.base = low === undefined ? 0 : addressOf(low, u, s);
      const stmtList = attrs.get(AT.stmtList);
      u.files = stmtList === undefined ? [] : lines.files(stmtList.value as number) ?? [];
    } else if (abbrev.tag === TAG.subprogram || abbrev.tag === TAG.inlinedSubroutine) {
      const own = (at: number) => {
        const raw = attrs.get(at);
        return raw === undefined ? null : stringOf(raw, u, s);
      };
      const ref = (at: number) => {
        const raw = attrs.get(at);
        return raw === undefined ? null : referenceOf(raw, u);
      };
      const dieNames: Names = {
        name: own(AT.name), linkage: own(AT.linkageName) ?? own(AT.mipsLinkageName),
        origin: ref(AT.abstractOrigin), specification: ref(AT.specification),
      };
      names.set(dieOffset, dieNames);
      const ranges = rangesOf(attrs, u, s);
      const parent = open.length > 0 ? open[open.length - 1]![1] : null;
      if (ranges.length > 0 && (parent !== null || abbrev.tag === TAG.subprogram)) {
        const file = attrs.get(AT.callFile)?.value;
        const call = abbrev.tag === TAG.inlinedSubroutine ? {
          file: typeof file === 'number' ? u.files[file] ?? `<file ${file}>` : '<unknown>',
          line: numberOf(attrs.get(AT.callLine)),
          column: numberOf(attrs.get(AT.callColumn)),
        } : null;
        const scope: Scope = { ranges, names: dieNames, call, inner: [] };
        if (parent !== null && abbrev.tag === TAG.inlinedSubroutine) parent.inner.push(scope);
        else for (const [a, b] of ranges) roots.push([a, b, scope]);
        if (abbrev.children) open.push([depth + 1, scope]);
      }
    }
    if (abbrev.children) depth++;
  }
  r.pos = end;
}
