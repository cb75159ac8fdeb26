// Which instruction will use the value about to be pushed: lets a load pick the cheapest exact
// form for its user (a float read that quiets a signalling NaN is exact when the user is arithmetic).

import type { OpInfo } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';
import { readValidOpcode, skipImmediates } from '../binary/instructions.js';
import type { FunctionCompiler } from './function-compiler.js';

/**
 * The instruction that will pop the value about to be pushed, and which of its operands the value
 * is (0 = deepest): found by walking the following instructions with the opcode table's signatures
 * (straight-line code only, at most LOOKAHEAD instructions; null when the walk cannot tell). The answer is
 * exact: a stack value is used once, by that instruction.
 */
export function consumerOf(fc: FunctionCompiler): Consumer | null {
  return consumerAt(fc.r.bytes, fc.r.pos, fc.r.end);
}

/** How far consumerOf looks ahead: an f64 operand waits while the other side of nbody's subtractions is computed. */
const LOOKAHEAD = 64;

/** The instruction that pops a value pushed just before `pos`, as consumerOf; `at` is where its immediates start. */
export interface Consumer {
  readonly op: OpInfo;
  readonly operand: number;
  readonly at: number;
}

export function consumerAt(bytes: Uint8Array, pos: number, end: number): Consumer | null {
  const r = new ByteReader(bytes, pos, end);
  let depth = 1;
  for (let n = 0; n < LOOKAHEAD && r.pos < r.end; n++) {
    const op = readValidOpcode(r);
    if (op === undefined) return null;
    let params: number;
    let results: number;
    if (op.params !== null) {
      params = op.params.length;
      results = op.results!.length;
    } else if (op.code === Op.LocalGet || op.code === Op.GlobalGet) {
      [params, results] = [0, 1];
    } else if (op.code === Op.LocalTee) {
      [params, results] = [1, 1];
    } else if (op.code === Op.LocalSet || op.code === Op.GlobalSet || op.code === Op.Drop) {
      [params, results] = [1, 0];
    } else {
      return null;
    }
    if (params >= depth) return { op, operand: params - depth, at: r.pos };
    depth += results - params;
    skipImmediates(r, op);
  }
  return null;
}

/**
 * Float instructions that treat every NaN operand alike: arithmetic (whose NaN result may be any
 * quiet NaN), comparisons and conversions. A NaN quieted (or made canonical) on its way to them
 * changes nothing. A value's type decides its user's, so f32 and f64 share the set.
 */
const NAN_TOLERANT: ReadonlySet<number> = new Set([
  Op.F32Add, Op.F32Sub, Op.F32Mul, Op.F32Div, Op.F32Sqrt, Op.F32Min, Op.F32Max,
  Op.F32Ceil, Op.F32Floor, Op.F32Trunc, Op.F32Nearest,
  Op.F32Eq, Op.F32Ne, Op.F32Lt, Op.F32Gt, Op.F32Le, Op.F32Ge,
  Op.F64PromoteF32, Op.I32TruncF32S, Op.I32TruncF32U, Op.I64TruncF32S, Op.I64TruncF32U,
  Op.I32TruncSatF32S, Op.I32TruncSatF32U, Op.I64TruncSatF32S, Op.I64TruncSatF32U,
  Op.F64Add, Op.F64Sub, Op.F64Mul, Op.F64Div, Op.F64Sqrt, Op.F64Min, Op.F64Max,
  Op.F64Ceil, Op.F64Floor, Op.F64Trunc, Op.F64Nearest,
  Op.F64Eq, Op.F64Ne, Op.F64Lt, Op.F64Gt, Op.F64Le, Op.F64Ge,
  Op.F32DemoteF64, Op.I32TruncF64S, Op.I32TruncF64U, Op.I64TruncF64S, Op.I64TruncF64U,
  Op.I32TruncSatF64S, Op.I32TruncSatF64U, Op.I64TruncSatF64S, Op.I64TruncSatF64U,
]);

/**
 * Whether the float value about to be pushed goes to an instruction that treats every NaN alike,
 * or, where NaNs are boxed, into a local whose every read does (nanTolerantLocals).
 */
export function floatUserIsNanTolerant(fc: FunctionCompiler): boolean {
  const c = consumerOf(fc);
  if (c === null) return false;
  if (NAN_TOLERANT.has(c.op.code)) return true;
  return fc.mc.boxesNaNs && c.op.code === Op.LocalSet && fc.nanTolerantLocals().has(new ByteReader(fc.r.bytes, c.at, fc.r.end).u32());
}

/**
 * The locals of a body whose every read (local.get, and the value local.tee leaves) goes straight to
 * an instruction that treats every NaN alike: which NaN such a local holds is never observed, so a
 * load into it need not keep a NaN's bits (where NaNs are boxed, that check is the cost of an f64
 * load: nbody 12% in JavaScriptCore). Any read the lookahead cannot follow disqualifies the local.
 */
export function nanTolerantLocals(bytes: Uint8Array, start: number, end: number, count: number): Set<number> {
  const tolerant = new Set<number>();
  for (let i = 0; i < count; i++) tolerant.add(i);
  const r = new ByteReader(bytes, start, end);
  while (r.pos < r.end && tolerant.size > 0) {
    const op = readValidOpcode(r);
    if (op === undefined) return new Set();
    if (op.code === Op.LocalGet || op.code === Op.LocalTee) {
      const index = r.u32();
      const c = consumerAt(bytes, r.pos, end);
      if (c === null || !NAN_TOLERANT.has(c.op.code)) tolerant.delete(index);
      continue;
    }
    skipImmediates(r, op);
  }
  return tolerant;
}
