// Reading instructions from code: opcodes through the opcode table, and immediates generically by
// their kind, with the binary format's own checks (flags, reserved bytes, catch clause kinds).

import type { WasmFeatures } from '../core/features.js';
import { Imm, isPrefix, opByByte, opByPrefixed, type OpInfo } from './opcodes.js';
import type { ByteReader } from './reader.js';

/** Whether `op` is enabled: its feature is on (`throw` belongs to legacy exception handling as well). */
export function opEnabled(op: OpInfo, features: WasmFeatures): boolean {
  return features[op.feature] || (op.name === 'throw' && features.legacy_exceptions);
}

/** Reads one opcode; an unknown one, or one whose feature is disabled, is malformed ("illegal opcode"). */
export function readOpcode(r: ByteReader, features: WasmFeatures): OpInfo {
  const at = r.pos;
  const byte = r.u8();
  let op: OpInfo | undefined;
  if (isPrefix(byte)) {
    const sub = r.u32();
    op = opByPrefixed(byte, sub);
    if (op === undefined || !opEnabled(op, features)) r.fail(`illegal opcode ${hex(byte)} ${hex(sub)}`, at);
  } else {
    op = opByByte(byte);
    if (op === undefined || !opEnabled(op, features)) r.fail(`illegal opcode ${hex(byte)}`, at);
  }
  return op;
}

/** Reads one opcode of code already validated (prefix and sub-opcode too): undefined for an unknown one. */
export function readValidOpcode(r: ByteReader): OpInfo | undefined {
  const byte = r.u8();
  return isPrefix(byte) ? opByPrefixed(byte, r.u32()) : opByByte(byte);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** A decoded memory argument. */
export interface MemArg {
  memory: number;
  /** log2 of the alignment. */
  align: number;
  /** The static offset (inexact above 2^53, where it is out of bounds anyway). */
  offset: number;
}

/** Reads a memarg into `out` (reused to avoid allocation). */
export function readMemArg(r: ByteReader, out: MemArg, multiMemory = true): MemArg {
  const at = r.pos;
  const flags = r.u32();
  if (flags >= 0x80) r.fail('malformed memop flags', at);
  // Bit 6 announces a memory index only with multi-memory; without it, it is part of the alignment
  // (which validation then refuses as larger than natural).
  const indexed = multiMemory && (flags & 0x40) !== 0;
  out.memory = indexed ? r.u32() : 0;
  out.align = multiMemory ? flags & 0x3f : flags;
  out.offset = r.u64();
  return out;
}

/** Catch clause kinds of try_table. */
export const CATCH = 0x00;
export const CATCH_REF = 0x01;
export const CATCH_ALL = 0x02;
export const CATCH_ALL_REF = 0x03;

/** Reads the flags byte of br_on_cast (and the descriptor variants): bit 0 = source nullable, bit 1 = target nullable. */
export function readCastFlags(r: ByteReader): number {
  const at = r.pos;
  const flags = r.u8();
  if (flags & 0xfc) r.fail('malformed br_on_cast flags', at);
  return flags;
}

const scratchMemArg: MemArg = { memory: 0, align: 0, offset: 0 };

/** Skips an instruction's immediates, checking their encoding but not their meaning. */
export function skipImmediates(r: ByteReader, op: OpInfo): void {
  switch (op.imm) {
    case Imm.None:
      return;
    case Imm.BlockType:
      r.blockType();
      return;
    case Imm.Label: case Imm.Func: case Imm.Type: case Imm.Local: case Imm.Global: case Imm.Table:
    case Imm.Mem: case Imm.Data: case Imm.Elem: case Imm.Tag:
      r.u32();
      return;
    case Imm.CallIndirect: case Imm.DataMem: case Imm.MemMem: case Imm.ElemTable: case Imm.TableTable:
    case Imm.TypeField: case Imm.TypeData: case Imm.TypeElem: case Imm.TypeType: case Imm.TypeCount:
      r.u32();
      r.u32();
      return;
    case Imm.BrTable: {
      const n = r.count();
      for (let i = 0; i <= n; i++) r.u32();
      return;
    }
    case Imm.MemArg:
      readMemArg(r, scratchMemArg);
      return;
    case Imm.MemArgLane:
      readMemArg(r, scratchMemArg);
      r.u8();
      return;
    case Imm.I32:
      r.s32();
      return;
    case Imm.I64:
      r.s64();
      return;
    case Imm.F32:
      r.skip(4);
      return;
    case Imm.F64:
      r.skip(8);
      return;
    case Imm.V128: case Imm.Shuffle:
      r.skip(16);
      return;
    case Imm.Lane:
      r.u8();
      return;
    case Imm.HeapType: case Imm.CastType:
      r.heapType();
      return;
    case Imm.SelectTypes: {
      const n = r.count();
      for (let i = 0; i < n; i++) r.valType();
      return;
    }
    case Imm.TryTable: {
      r.blockType();
      const n = r.count();
      for (let i = 0; i < n; i++) skipCatchClause(r);
      return;
    }
    case Imm.BrOnCast:
      readCastFlags(r);
      r.u32();
      r.heapType();
      r.heapType();
      return;
    case Imm.Zero: {
      const at = r.pos;
      if (r.u8() !== 0) r.fail('zero byte expected', at);
      return;
    }
  }
}

function skipCatchClause(r: ByteReader): void {
  const at = r.pos;
  const kind = r.u8();
  if (kind === CATCH || kind === CATCH_REF) {
    r.u32();
    r.u32();
  } else if (kind === CATCH_ALL || kind === CATCH_ALL_REF) {
    r.u32();
  } else {
    r.fail('malformed catch clause', at);
  }
}

/** Whether an instruction opens a block that a matching `end` closes. */
export function opensBlock(op: OpInfo): boolean {
  return op.imm === Imm.BlockType || op.imm === Imm.TryTable;
}
