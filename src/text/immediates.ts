// The immediates of plain instructions, by the opcode table's immediate kind: indices, memory
// arguments, lanes and numeric constants (exactly rounded floats, every v128 lane shape).

import { Imm, type OpInfo } from '../binary/opcodes.js';
import type { ModuleContext } from './context.js';
import type { IdSpace } from './idspace.js';
import { T } from './tokens.js';
import type { ByteWriter } from './writer.js';
import { floatLiteral, i32Literal, intLiteral, V128_SHAPES } from './literals.js';
import { MALFORMED, OUT_OF_RANGE, parseU32, parseU64 } from './numbers.js';

export function parseImmediate(ctx: ModuleContext, op: OpInfo, out: ByteWriter): void {
  const c = ctx.c;
  switch (op.imm) {
    case Imm.Func: out.u32(ctx.index(ctx.funcs, 'function')); return;
    case Imm.Type: out.u32(ctx.index(ctx.types)); return;
    case Imm.Global: out.u32(ctx.index(ctx.globals)); return;
    case Imm.Table: out.u32(ctx.optIndex(ctx.tables)); return;
    case Imm.Mem: out.u32(ctx.optIndex(ctx.memories)); return;
    case Imm.Tag: out.u32(ctx.index(ctx.tags)); return;
    case Imm.Elem: out.u32(ctx.index(ctx.elems, 'elem segment')); return;
    case Imm.Data:
      ctx.noteDataIndex();
      out.u32(ctx.index(ctx.datas, 'data segment'));
      return;
    case Imm.MemArg: memArg(ctx, op, out, ctx.optIndex(ctx.memories)); return;
    case Imm.MemArgLane: {
      // A leading index is the memory only when a lane index (or a memarg) follows it.
      let mem = 0;
      const p = c.pos;
      if (c.kind[p] === T.Id || (c.isNat(p) && (c.isNat(p + 1) || isMemArgKeyword(ctx, p + 1)))) mem = ctx.index(ctx.memories);
      memArg(ctx, op, out, mem);
      out.byte(laneIndex(ctx));
      return;
    }
    case Imm.I32: out.s32(i32Literal(c) | 0); return;
    case Imm.I64: out.s64(intLiteral(c, 64)); return;
    case Imm.F32: out.u32le(Number(floatLiteral(c, 32))); return;
    case Imm.F64: out.u64le(floatLiteral(c, 64)); return;
    case Imm.V128: v128Const(ctx, out); return;
    case Imm.Shuffle: {
      const start = c.pos;
      const lanes: number[] = [];
      while (isLiteralToken(ctx, c.pos)) lanes.push(c.pos++);
      if (lanes.length !== 16) throw c.error(lanes.length > 16 ? lanes[16]! : start, 'invalid lane length', 'i8x16.shuffle takes 16 lane indices');
      for (const i of lanes) {
        const v = parseU32(c.tokenText(i));
        if (v < 0 || v > 255) throw c.error(i, 'i8 constant out of range', 'lane index out of range');
        out.byte(v);
      }
      return;
    }
    case Imm.Lane: out.byte(laneIndex(ctx)); return;
    case Imm.DataMem: {
      ctx.noteDataIndex();
      let mem = 0;
      if (ctx.isIndex(c.pos + 1) && ctx.isIndex(c.pos)) mem = ctx.index(ctx.memories);
      out.u32(ctx.index(ctx.datas, 'data segment'));
      out.u32(mem);
      return;
    }
    case Imm.MemMem: return indexPair(ctx, ctx.memories, out);
    case Imm.ElemTable: {
      let table = 0;
      if (ctx.isIndex(c.pos + 1) && ctx.isIndex(c.pos)) table = ctx.index(ctx.tables);
      out.u32(ctx.index(ctx.elems, 'elem segment'));
      out.u32(table);
      return;
    }
    case Imm.TableTable: return indexPair(ctx, ctx.tables, out);
    case Imm.TypeField: {
      const t = ctx.index(ctx.types);
      out.u32(t);
      out.u32(fieldIndex(ctx, t));
      return;
    }
    case Imm.TypeData:
      ctx.noteDataIndex();
      out.u32(ctx.index(ctx.types));
      out.u32(ctx.index(ctx.datas, 'data segment'));
      return;
    case Imm.TypeElem:
      out.u32(ctx.index(ctx.types));
      out.u32(ctx.index(ctx.elems, 'elem segment'));
      return;
    case Imm.TypeType:
      out.u32(ctx.index(ctx.types));
      out.u32(ctx.index(ctx.types));
      return;
    case Imm.TypeCount:
      out.u32(ctx.index(ctx.types));
      out.u32(c.u32('an element count'));
      return;
    case Imm.Zero:
      out.byte(0);
      return;
    default:
      throw c.error(c.pos, 'unexpected token', `instruction ${op.name} cannot be written here`);
  }
}

function isMemArgKeyword(ctx: ModuleContext, i: number): boolean {
  const c = ctx.c;
  if (c.kind[i] !== T.Keyword) return false;
  const s = c.start[i]!;
  return c.text.startsWith('offset=', s) || c.text.startsWith('align=', s);
}

/** `offset=N? align=N?` after an optional memory index; natural alignment by default. */
function memArg(ctx: ModuleContext, op: OpInfo, out: ByteWriter, mem: number): void {
  const c = ctx.c;
  let offset = 0n;
  let alignLog2 = op.align;
  if (c.kind[c.pos] === T.Keyword && c.text.startsWith('offset=', c.start[c.pos]!)) {
    const v = parseU64(c.text.slice(c.start[c.pos]! + 7, c.end[c.pos]!));
    if (v === 'malformed') throw c.error(c.pos, 'unknown operator', `malformed offset ${c.tokenText(c.pos)}`);
    if (v === 'range') throw c.error(c.pos, 'constant out of range', 'offset out of range');
    offset = v;
    c.pos++;
  }
  if (c.kind[c.pos] === T.Keyword && c.text.startsWith('align=', c.start[c.pos]!)) {
    const v = parseU64(c.text.slice(c.start[c.pos]! + 6, c.end[c.pos]!));
    if (v === 'malformed') throw c.error(c.pos, 'unknown operator', `malformed alignment ${c.tokenText(c.pos)}`);
    if (v === 'range') throw c.error(c.pos, 'constant out of range', 'alignment out of range');
    if (v === 0n || (v & (v - 1n)) !== 0n) throw c.error(c.pos, 'alignment must be a power of two', `alignment ${v} is not a power of two`);
    alignLog2 = v.toString(2).length - 1;
    c.pos++;
  }
  out.u32(mem === 0 ? alignLog2 : alignLog2 | 0x40);
  if (mem !== 0) out.u32(mem);
  out.u64(offset);
}

function laneIndex(ctx: ModuleContext): number {
  const c = ctx.c;
  const i = c.pos;
  if (!c.isNat(i)) throw c.unexpected(i, 'a lane index');
  const v = parseU32(c.tokenText(i));
  if (v === MALFORMED) throw c.unexpected(i, 'a lane index');
  if (v === OUT_OF_RANGE || v > 255) throw c.error(i, 'i8 constant out of range', 'lane index out of range');
  c.pos++;
  return v;
}

/** Whether the token at i may be a numeric literal (atoms, and the float keywords inf / nan...). */
export function isLiteralToken(ctx: ModuleContext, i: number): boolean {
  const c = ctx.c;
  if (c.kind[i] === T.Atom) return true;
  if (c.kind[i] !== T.Keyword) return false;
  const s = c.start[i]!;
  return c.text.startsWith('inf', s) || c.text.startsWith('nan', s);
}

/** `shape lane*`: the 16 bytes of a v128 literal, little-endian lanes. */
export function v128Const(ctx: ModuleContext, out: ByteWriter): void {
  const c = ctx.c;
  const at = c.pos;
  const shape = c.kind[at] === T.Keyword ? V128_SHAPES[c.tokenText(at)] : undefined;
  if (shape === undefined) throw c.unexpected(at, 'a vector shape');
  c.pos++;
  // Count first: a wrong count is reported before any lane's range.
  const first = c.pos;
  let n = 0;
  while (isLiteralToken(ctx, first + n)) n++;
  if (n !== shape.lanes) throw c.error(first + Math.min(n, shape.lanes), 'wrong number of lane literals', `${c.tokenText(at)} takes ${shape.lanes} lanes`);
  const lanes: bigint[] = [];
  for (let k = 0; k < n; k++) lanes.push(shape.float ? floatLiteral(ctx.c, shape.bits as 32 | 64) : intLiteral(ctx.c, shape.bits));
  for (const lane of lanes) {
    for (let b = 0; b < shape.bits; b += 8) out.byte(Number((lane >> BigInt(b)) & 0xffn));
  }
}

function fieldIndex(ctx: ModuleContext, type: number): number {
  const c = ctx.c;
  const i = c.pos;
  if (c.kind[i] === T.Id) {
    const v = ctx.typeInfos[type]?.fieldIds.get(c.idName(i));
    if (v === undefined) throw c.error(i, 'unknown field', `unknown field ${c.tokenText(i)}`);
    c.pos++;
    return v;
  }
  return c.u32('a field index');
}

/** `dst src` of memory.copy / table.copy: both indices, or neither (0 and 0). */
function indexPair(ctx: ModuleContext, space: IdSpace, out: ByteWriter): void {
  const both = ctx.isIndex(ctx.c.pos);
  out.u32(both ? ctx.index(space) : 0);
  out.u32(both ? ctx.index(space) : 0);
}
