// Which instruction will use the value about to be pushed: lets a load pick the cheapest exact
// form for its user (a float read that quiets a signalling NaN is exact when the user is arithmetic).

import { opByByte, opByPrefixed, type OpInfo } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';
import { skipImmediates } from '../binary/instructions.js';
import type { FunctionCompiler } from './function-compiler.js';

/**
 * The instruction that will pop the value about to be pushed, and which of its operands the value
 * is (0 = deepest): found by walking the following instructions with the opcode table's signatures
 * (straight-line code only, at most 32 instructions; null when the walk cannot tell). The answer is
 * exact: a stack value is used once, by that instruction.
 */
export function consumerOf(fc: FunctionCompiler): { op: OpInfo; operand: number } | null {
  const r = new ByteReader(fc.r.bytes, fc.r.pos, fc.r.end);
  let depth = 1;
  for (let n = 0; n < 32 && r.pos < r.end; n++) {
    const byte = r.u8();
    const op = byte >= 0xfb && byte <= 0xfe ? opByPrefixed(byte, r.u32()) : opByByte(byte);
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
    if (params >= depth) return { op, operand: params - depth };
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

/** Whether the float value about to be pushed goes to an instruction that treats every NaN alike. */
export function floatUserIsNanTolerant(fc: FunctionCompiler): boolean {
  const c = consumerOf(fc);
  return c !== null && NAN_TOLERANT.has(c.op.code);
}
