// Source lines of wasm instructions from DWARF debug info (the `.debug_line` custom section, with
// `.debug_line_str` and `.debug_str` for DWARF 5's file names), for backtraces' FrameInfo.symbols as
// Wasmtime's wasm_backtrace_details gives them. In wasm, DWARF addresses are offsets from the start
// of the code section's contents. DWARF versions 2 to 5 (DWARF 5: clang's default), 32- and 64-bit.

import type { ModuleInfo } from './module.js';
import { DwarfError, Reader, lastAtOrBefore, stringAt } from './dwarf-reader.js';
import { compilationDirectories } from './dwarf-info.js';

/** Where an instruction comes from in the program's sources. */
export interface SourceLocation {
  /** The file as the compiler recorded it, joined to its directory and its unit's when relative. */
  readonly file: string;
  /** 1-based; 0 when the compiler attributes the code to no line. */
  readonly line: number;
  /** 1-based; 0 when unknown. */
  readonly column: number;
}

/** One row of the line table: from `address` until the next row, unless it ends a sequence. */
interface Row extends SourceLocation {
  readonly address: number;
  readonly end: boolean;
}

const DW_LNCT_PATH = 1;
const DW_LNCT_DIRECTORY_INDEX = 2;

const DW_FORM = {
  block: 0x09, data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07, data16: 0x1e, string: 0x08,
  strp: 0x0e, lineStrp: 0x1f, udata: 0x0f, sdata: 0x0d, strx: 0x1a, strx1: 0x25, strx2: 0x26, strx3: 0x27, strx4: 0x28,
};

interface Sections {
  readonly lineStr: Uint8Array | null;
  readonly str: Uint8Array | null;
}

/** A DWARF 5 entry attribute's value: a string for paths, a number for indices, null for others. */
function formValue(r: Reader, form: number, offset64: boolean, s: Sections): string | number | null {
  switch (form) {
    case DW_FORM.string: return r.cstring();
    case DW_FORM.lineStrp: return stringAt(s.lineStr, r.offset(offset64));
    case DW_FORM.strp: return stringAt(s.str, r.offset(offset64));
    case DW_FORM.udata: return r.uleb();
    case DW_FORM.sdata: return r.sleb();
    case DW_FORM.data1: return r.u8();
    case DW_FORM.data2: return r.u16();
    case DW_FORM.data4: return r.u32();
    case DW_FORM.data8: return r.u64();
    case DW_FORM.data16: r.skip(16); return null;
    case DW_FORM.block: r.skip(r.uleb()); return null;
    // String indices need .debug_str_offsets and the unit's base: not given to line tables by clang or gcc.
    case DW_FORM.strx: r.uleb(); return null;
    case DW_FORM.strx1: r.skip(1); return null;
    case DW_FORM.strx2: r.skip(2); return null;
    case DW_FORM.strx3: r.skip(3); return null;
    case DW_FORM.strx4: r.skip(4); return null;
  }
  throw new DwarfError(`unsupported form 0x${form.toString(16)} in a line table header`);
}

/** DWARF 5's directory or file table: each entry's path and directory index. */
function entryTable(r: Reader, offset64: boolean, s: Sections): { path: string; dir: number }[] {
  const formats: [number, number][] = [];
  const formatCount = r.u8();
  for (let i = 0; i < formatCount; i++) formats.push([r.uleb(), r.uleb()]);
  const count = r.uleb();
  // Every entry takes at least a byte (no supported form is empty): a larger count is corrupt.
  if (formats.length === 0 ? count !== 0 : count > r.end - r.pos) throw new DwarfError('directory or file count past the table');
  const out: { path: string; dir: number }[] = [];
  for (let i = 0; i < count; i++) {
    let path = '';
    let dir = 0;
    for (const [content, form] of formats) {
      const v = formValue(r, form, offset64, s);
      if (content === DW_LNCT_PATH && typeof v === 'string') path = v;
      else if (content === DW_LNCT_DIRECTORY_INDEX && typeof v === 'number') dir = v;
    }
    out.push({ path, dir });
  }
  return out;
}

function joinPath(dir: string, file: string): string {
  if (file === '') return dir;
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || dir === '') return file;
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + file : `${dir}/${file}`;
}

/**
 * The rows of one line-number program (one compilation unit), appended to `rows`; returns its file
 * names. A relative name starts from its directory, and a relative directory from the unit's
 * (`compDir`, DW_AT_comp_dir; DWARF 5's directory 0 is the same directory, recorded again).
 */
function readUnit(r: Reader, s: Sections, rows: Row[], compDir: string | undefined): string[] {
  const { end: unitEnd, offset64, version } = r.unitStart('line table');
  if (version >= 5) {
    r.u8(); // address_size
    r.u8(); // segment_selector_size
  }
  const headerLength = r.offset(offset64);
  const programStart = r.pos + headerLength;
  const minInstLength = r.u8();
  if (version >= 4) r.u8(); // maximum_operations_per_instruction (VLIW only)
  r.u8(); // default_is_stmt: every row is a candidate for a backtrace's position
  const lineBase = (r.u8() << 24) >> 24;
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) throw new DwarfError('line_range 0');
  const standardLengths: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(r.u8());

  // File names, joined with their directories; index as the program's DW_LNS_set_file uses it.
  const files: string[] = [];
  let dirs: string[];
  const fullName = (dir: number, name: string) =>
    joinPath(joinPath(compDir ?? dirs[0] ?? '', dir === 0 ? '' : dirs[dir] ?? ''), name);
  if (version >= 5) {
    dirs = entryTable(r, offset64, s).map((d) => d.path);
    for (const f of entryTable(r, offset64, s)) files.push(fullName(f.dir, f.path));
  } else {
    dirs = ['']; // directory 0 is the unit's own, not listed before DWARF 5
    for (let d = r.cstring(); d !== ''; d = r.cstring()) dirs.push(d);
    files.push(''); // file 0 is not used before DWARF 5
    for (let f = r.cstring(); f !== ''; f = r.cstring()) {
      const dir = r.uleb();
      r.uleb(); // mtime
      r.uleb(); // length
      files.push(fullName(dir, f));
    }
  }
  r.pos = programStart;

  let address = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  const reset = () => {
    address = 0;
    file = 1;
    line = 1;
    column = 0;
  };
  const emit = (end: boolean) => rows.push({ address, file: files[file] ?? `<file ${file}>`, line, column, end });
  while (r.pos < unitEnd) {
    const op = r.u8();
    if (op >= opcodeBase) {
      const adjusted = op - opcodeBase;
      address += Math.floor(adjusted / lineRange) * minInstLength;
      line += lineBase + (adjusted % lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = r.uleb();
        const next = r.pos + len;
        const sub = len > 0 ? r.u8() : 0;
        if (sub === 1) {
          emit(true);
          reset();
        } else if (sub === 2) {
          address = len - 1 === 8 ? r.u64() : len - 1 === 4 ? r.u32() : 0;
        }
        r.pos = next;
        break;
      }
      case 1: emit(false); break; // DW_LNS_copy
      case 2: address += r.uleb() * minInstLength; break;
      case 3: line += r.sleb(); break;
      case 4: file = r.uleb(); break;
      case 5: column = r.uleb(); break;
      case 6: case 7: break; // negate_stmt, basic_block
      case 8: address += Math.floor((255 - opcodeBase) / lineRange) * minInstLength; break;
      case 9: address += r.u16(); break;
      case 10: case 11: break; // prologue_end, epilogue_begin
      default:
        for (let i = 0; i < (standardLengths[op] ?? 0); i++) r.uleb();
    }
  }
  r.pos = unitEnd;
  return files;
}

/** A module's line table: instruction offsets to source locations. */
export class LineTable {
  private constructor(
    private readonly rows: readonly Row[],
    /** Each unit's file names by the unit's offset in `.debug_line` (a compile unit's DW_AT_stmt_list). */
    private readonly unitFiles: ReadonlyMap<number, readonly string[]>,
    private readonly codeStart: number,
  ) {}

  /** The table of a module's `.debug_line` section; null when it has none or it cannot be read. */
  static of(module: ModuleInfo): LineTable | null {
    const section = (name: string) => module.customSections.find((c) => c.name === name)?.data ?? null;
    const debugLine = section('.debug_line');
    const codeStart = module.codeSectionStart;
    if (debugLine === null || codeStart === null) return null;
    const rows: Row[] = [];
    const unitFiles = new Map<number, readonly string[]>();
    try {
      const r = new Reader(debugLine, 0, debugLine.length);
      const s = { lineStr: section('.debug_line_str'), str: section('.debug_str') };
      const compDirs = compilationDirectories(module);
      while (r.pos < r.end) {
        const at = r.pos;
        unitFiles.set(at, readUnit(r, s, rows, compDirs.get(at)));
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      // Whatever units came before the malformed one are still good.
    }
    if (rows.length === 0) return null;
    // Sequences may come in any order. Where one ends at the address another starts at, the end
    // sorts first, so that the lookup lands on the new sequence's row; the sort is stable otherwise.
    rows.sort((a, b) => a.address - b.address || Number(b.end) - Number(a.end));
    return new LineTable(rows, unitFiles, codeStart);
  }

  /** The file names of the line-number program at `stmtList` in `.debug_line`, as its file indices number them. */
  files(stmtList: number): readonly string[] | null {
    return this.unitFiles.get(stmtList) ?? null;
  }

  /** Where the code section's contents start in the module: DWARF addresses count from there. */
  get codeSectionStart(): number {
    return this.codeStart;
  }

  /** Where the instruction at `moduleOffset` comes from, or null when no sequence covers it. */
  lookup(moduleOffset: number): SourceLocation | null {
    const address = moduleOffset - this.codeStart;
    const rows = this.rows;
    const found = lastAtOrBefore(rows, (row) => row.address, address);
    // The last row at or before the address: past a sequence's end, no sequence covers it.
    const row = found < 0 ? null : rows[found]!;
    if (row === null || row.end) return null;
    return { file: row.file, line: row.line, column: row.column };
  }
}
