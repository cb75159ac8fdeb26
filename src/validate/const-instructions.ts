// Which instructions a constant expression may contain (Wasm 3.0 with extended-const, GC
// allocation, and the custom-descriptors allocations).

import { Op } from '../binary/op.js';

const CONSTANT: ReadonlySet<number> = new Set<number>([
  Op.End, Op.I32Const, Op.I64Const, Op.F32Const, Op.F64Const, Op.V128Const,
  Op.RefNull, Op.RefFunc, Op.RefI31, Op.GlobalGet,
  Op.StructNew, Op.StructNewDefault, Op.StructNewDesc, Op.StructNewDefaultDesc,
  Op.ArrayNew, Op.ArrayNewDefault, Op.ArrayNewFixed,
  Op.AnyConvertExtern, Op.ExternConvertAny,
]);

/** Integer arithmetic that the extended-const feature makes constant. */
const EXTENDED: ReadonlySet<number> = new Set<number>([Op.I32Add, Op.I32Sub, Op.I32Mul, Op.I64Add, Op.I64Sub, Op.I64Mul]);

/** Whether the instruction with this `Op` code is constant. */
export function isConstInstr(code: number, extendedConst: boolean): boolean {
  return CONSTANT.has(code) || (extendedConst && EXTENDED.has(code));
}
