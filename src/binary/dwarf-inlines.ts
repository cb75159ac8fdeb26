// Inlined calls from DWARF's `.debug_info`: which functions were inlined into the code at an
// address, and from which call sites, so that a backtrace frame in optimised code can list the
// inlined functions as Wasmtime does (FrameInfo.symbols, innermost first). Reads compile units of
// DWARF 2 to 5 (32- and 64-bit), their subprograms and inlined subroutines with their address
// ranges (low_pc/high_pc, `.debug_ranges`, `.debug_rnglists`) and names (followed through
// abstract_origin and specification), with DWARF 5's string and address indices.

import type { ModuleInfo } from './module.js';
import type { LineTable, SourceLocation } from './dwarf-lines.js';
import { DwarfError, Reader, lastAtOrBefore } from './dwarf-reader.js';
import {
  AT_STR_OFFSETS_BASE, DEFAULT_STR_OFFSETS_BASE, FORM, abbrevsOf, holdsCode, readDie, readUnitHeader, stringOf,
  type Abbrev, type Raw, type StringSections, type UnitHeader,
} from './dwarf-info.js';

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
  strOffsetsBase: AT_STR_OFFSETS_BASE, addrBase: 0x73, rnglistsBase: 0x74,
} as const;
/** Address values linkers write for code they removed: such ranges cover nothing. */
const TOMBSTONE = 0xfffffffe;

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

interface Sections extends StringSections {
  readonly abbrev: Uint8Array;
  readonly addr: Uint8Array | null;
  readonly ranges: Uint8Array | null;
  readonly rnglists: Uint8Array | null;
}

/** A compile unit's header and bases (DWARF 5's str_offsets_base, addr_base, rnglists_base). */
interface Unit extends UnitHeader {
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
  const header = readUnitHeader(r);
  const end = header.end;
  if (!holdsCode(header)) {
    r.pos = end;
    return;
  }
  const abbrevs = abbrevsOf(s.abbrev, header, abbrevCache);
  const u: Unit = { ...header, strOffsetsBase: DEFAULT_STR_OFFSETS_BASE, addrBase: 8, rnglistsBase: 12, base: 0, files: [] };

  // The open scopes, innermost last, each with the DIE depth it was opened at.
  const open: [number, Scope][] = [];
  let depth = 0;
  while (r.pos < end) {
    const dieOffset = r.pos;
    const die = readDie(r, abbrevs, u);
    if (die === null) {
      depth--;
      while (open.length > 0 && open[open.length - 1]![0] > depth) open.pop();
      continue;
    }
    const { abbrev, attrs } = die;
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
