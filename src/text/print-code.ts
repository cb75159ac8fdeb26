// Text of instruction sequences (function bodies and constant expressions) read from binary with
// the opcode table: one instruction per line, blocks indented, every immediate stated exactly.

import { Imm, opsByName, type OpInfo } from '../binary/opcodes.js';
import { opensBlock, readCastFlags, readMemArg, readOpcode, type MemArg } from '../binary/instructions.js';
import { ByteReader, BLOCK_EMPTY, BLOCK_TYPE_INDEX } from '../binary/reader.js';
import { ALL_FEATURES } from '../core/features.js';
import { formatF32, formatF64 } from './print-values.js';
import { heapTypeText, valTypeText, type IndexText } from './print-types.js';

export interface CodeNames {
  readonly type: IndexText;
  readonly func: IndexText;
  readonly table: IndexText;
  readonly memory: IndexText;
  readonly global: IndexText;
  readonly tag: IndexText;
  readonly elem: IndexText;
  readonly data: IndexText;
  readonly local: IndexText;
  readonly field: (type: number, field: number) => string;
  /** The label name of the n-th block of the function, if any. */
  readonly label: (ordinal: number) => string | null;
}

const memArg: MemArg = { memory: 0, align: 0, offset: 0 };

/**
 * Appends the instructions of bytes[start, end) to `lines`, indented by `indent` plus block depth.
 * A trailing `end` that closes the sequence itself (function bodies) is not printed.
 */
export function printInstructions(bytes: Uint8Array, start: number, end: number, names: CodeNames, lines: string[], indent: string): void {
  const r = new ByteReader(bytes, start, end);
  let depth = 0;
  let ordinal = 0;
  while (!r.atEnd()) {
    const at = r.pos;
    const op = readOpcode(r, ALL_FEATURES);
    const name = op.name;
    if (name === 'end') {
      if (depth === 0) {
        if (!r.atEnd()) r.fail('instructions after the end of the sequence');
        break;
      }
      depth--;
      lines.push(indent + indentation(depth) + 'end');
      continue;
    }
    const dedent = name === 'else' || name === 'catch' || name === 'catch_all' || name === 'delegate';
    // Printing does not validate, but the indentation needs the block structure to hold.
    if (dedent && depth === 0) r.fail(`${name} outside a block`, at);
    let text = name;
    if (opensBlock(op)) {
      const label = names.label(ordinal++);
      if (label !== null) text += ' ' + label;
    }
    text += immediates(r, op, names);
    lines.push(indent + indentation(dedent ? depth - 1 : depth) + text);
    if (opensBlock(op)) depth++;
    if (name === 'delegate') depth--;
  }
}

/** Indentation for a block depth; it stops growing so that deep nesting stays linear in size. */
function indentation(depth: number): string {
  return '  '.repeat(Math.min(depth, MAX_INDENT));
}
const MAX_INDENT = 32;

function blockType(r: ByteReader, names: CodeNames): string {
  const bt = r.blockType();
  if (bt === BLOCK_EMPTY) return '';
  if (bt >= BLOCK_TYPE_INDEX) return ` (type ${names.type(bt - BLOCK_TYPE_INDEX)})`;
  return ` (result ${valTypeText(bt, names.type)})`;
}

function heapType(r: ByteReader, names: CodeNames): string {
  const { heap, exact } = r.heapTypeAndExact();
  return heapTypeText(heap, exact, names.type);
}

function refText(nullable: boolean, heap: string): string {
  return nullable ? `(ref null ${heap})` : `(ref ${heap})`;
}

function immediates(r: ByteReader, op: OpInfo, names: CodeNames): string {
  switch (op.imm) {
    case Imm.None: return '';
    case Imm.BlockType: return blockType(r, names);
    case Imm.Label: return ' ' + r.u32();
    case Imm.BrTable: {
      const n = r.u32();
      let s = '';
      for (let i = 0; i <= n; i++) s += ' ' + r.u32();
      return s;
    }
    case Imm.Func: return ' ' + names.func(r.u32());
    case Imm.Type: return ' ' + names.type(r.u32());
    case Imm.CallIndirect: {
      const type = r.u32();
      const table = r.u32();
      return ` ${names.table(table)} (type ${names.type(type)})`;
    }
    case Imm.Local: return ' ' + names.local(r.u32());
    case Imm.Global: return ' ' + names.global(r.u32());
    case Imm.Table: return ' ' + names.table(r.u32());
    case Imm.Mem: return ' ' + names.memory(r.u32());
    case Imm.MemArg: return memArgText(r, op, names);
    case Imm.MemArgLane: {
      const m = memArgText(r, op, names);
      return `${m} ${r.u8()}`;
    }
    case Imm.I32: return ' ' + r.s32();
    case Imm.I64:
      r.s64();
      return ' ' + r.lastBigInt(true);
    case Imm.F32: return ' ' + formatF32(r.u32le());
    case Imm.F64:
      r.u64le();
      return ' ' + formatF64(r.lastBigInt(false));
    case Imm.V128: {
      let s = ' i32x4';
      for (let i = 0; i < 4; i++) s += ' 0x' + r.u32le().toString(16).padStart(8, '0');
      return s;
    }
    case Imm.Shuffle: {
      let s = '';
      for (let i = 0; i < 16; i++) s += ' ' + r.u8();
      return s;
    }
    case Imm.Lane: return ' ' + r.u8();
    case Imm.HeapType: return ' ' + heapType(r, names);
    case Imm.SelectTypes: {
      const n = r.u32();
      const types: string[] = [];
      for (let i = 0; i < n; i++) types.push(valTypeText(r.valType(), names.type));
      return ` (result${types.map((t) => ' ' + t).join('')})`;
    }
    case Imm.DataMem: {
      const data = r.u32();
      const mem = r.u32();
      return ` ${names.memory(mem)} ${names.data(data)}`;
    }
    case Imm.Data: return ' ' + names.data(r.u32());
    case Imm.MemMem: return ` ${names.memory(r.u32())} ${names.memory(r.u32())}`;
    case Imm.ElemTable: {
      const elem = r.u32();
      const table = r.u32();
      return ` ${names.table(table)} ${names.elem(elem)}`;
    }
    case Imm.Elem: return ' ' + names.elem(r.u32());
    case Imm.TableTable: return ` ${names.table(r.u32())} ${names.table(r.u32())}`;
    case Imm.Tag: return ' ' + names.tag(r.u32());
    case Imm.TryTable: {
      let s = blockType(r, names);
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const kind = r.u8();
        if (kind === 0) s += ` (catch ${names.tag(r.u32())} ${r.u32()})`;
        else if (kind === 1) s += ` (catch_ref ${names.tag(r.u32())} ${r.u32()})`;
        else if (kind === 2) s += ` (catch_all ${r.u32()})`;
        else s += ` (catch_all_ref ${r.u32()})`;
      }
      return s;
    }
    case Imm.TypeField: {
      const type = r.u32();
      return ` ${names.type(type)} ${names.field(type, r.u32())}`;
    }
    case Imm.TypeData: return ` ${names.type(r.u32())} ${names.data(r.u32())}`;
    case Imm.TypeElem: return ` ${names.type(r.u32())} ${names.elem(r.u32())}`;
    case Imm.TypeType: return ` ${names.type(r.u32())} ${names.type(r.u32())}`;
    case Imm.TypeCount: return ` ${names.type(r.u32())} ${r.u32()}`;
    case Imm.CastType: {
      const nullable = opsByName(op.name)![1] === op;
      return ' ' + refText(nullable, heapType(r, names));
    }
    case Imm.BrOnCast: {
      const flags = readCastFlags(r);
      const label = r.u32();
      const from = heapType(r, names);
      const to = heapType(r, names);
      return ` ${label} ${refText((flags & 1) !== 0, from)} ${refText((flags & 2) !== 0, to)}`;
    }
    case Imm.Zero:
      r.u8();
      return '';
  }
}

function memArgText(r: ByteReader, op: OpInfo, names: CodeNames): string {
  readMemArg(r, memArg);
  const offset = r.lastBigInt(false);
  let s = '';
  if (memArg.memory !== 0) s += ' ' + names.memory(memArg.memory);
  if (offset !== 0n) s += ` offset=${offset}`;
  if (memArg.align !== op.align) s += ` align=${2n ** BigInt(memArg.align)}`;
  return s;
}

/** Number of block instructions (labels) in a code range, for checking label names. */
export function countBlocks(bytes: Uint8Array, start: number, end: number): number {
  const r = new ByteReader(bytes, start, end);
  let n = 0;
  while (!r.atEnd()) {
    const op = readOpcode(r, ALL_FEATURES);
    if (opensBlock(op)) n++;
    skip(r, op);
  }
  return n;
}

function skip(r: ByteReader, op: OpInfo): void {
  immediates(r, op, SKIP_NAMES);
}

const num = (i: number) => String(i);
const SKIP_NAMES: CodeNames = {
  type: num, func: num, table: num, memory: num, global: num, tag: num, elem: num, data: num, local: num,
  field: (_t, f) => String(f), label: () => null,
};

