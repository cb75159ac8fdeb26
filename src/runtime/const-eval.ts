// Evaluates constant expressions (global initialisers, segment offsets and elements, table
// initialisers) at instantiation, including the extended-const arithmetic and GC allocations.

import type { ConstExpr, ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';
import { UnsupportedError } from '../core/errors.js';
import { I64 } from '../core/types.js';
import { f32FromBits, f64FromHalves } from './float-bits.js';
import { evalGcConst } from './gc-const.js';
import { componentArray } from './lowering.js';
import { v128FromBytes } from './simd-value.js';
import type { WasmFunc } from './func.js';
import type { GlobalObject } from './global.js';

/** A constant's value: i32 as number, i64 as bigint, floats as carrier doubles, references as is. */
export type ConstValue = number | bigint | unknown;

export function readGlobal(g: GlobalObject): ConstValue {
  const c = g.cell as ArrayLike<unknown>;
  if (g.type.type === I64) return (BigInt(c[1] as number) << 32n) | BigInt((c[0] as number) >>> 0);
  return c[0];
}

export function writeGlobal(g: GlobalObject, v: ConstValue): void {
  const c = g.cell as { [i: number]: unknown };
  if (g.type.type === I64) {
    const b = BigInt.asIntN(64, v as bigint);
    c[0] = Number(BigInt.asIntN(32, b));
    c[1] = Number(BigInt.asIntN(32, b >> 32n));
  } else {
    c[0] = v;
  }
}

/** `canon` maps the module's type indices to canonical ids (for GC allocations). */
export function evalConst(
  module: ModuleInfo, expr: ConstExpr, globals: readonly GlobalObject[], funcs: readonly WasmFunc[], canon: ArrayLike<number>,
): ConstValue {
  const r = new ByteReader(module.bytes, expr.start, expr.end);
  // Holds boxed numbers: a plain array of doubles would quiet signalling NaNs (see componentArray).
  const stack: ConstValue[] = componentArray();
  const pop = () => stack.pop();
  while (r.pos < r.end) {
    const op = r.u8();
    switch (op) {
      case Op.I32Const: stack.push(r.s32()); break;
      case Op.I64Const: r.s64(); stack.push(r.lastBigInt(true)); break;
      case Op.F32Const: stack.push(f32FromBits(r.u32le() | 0)); break;
      case Op.F64Const: r.u64le(); stack.push(f64FromHalves(r.lo, r.hi)); break;
      case 0xfb: evalGcConst(module, canon, r, r.u32(), stack); break;
      case 0xfd: // v128.const, the only constant instruction with this prefix
        if (r.u32() !== (Op.V128Const & 0xffff)) throw new UnsupportedError('constant expression opcode 0xfd');
        stack.push(v128FromBytes(r.take(16)));
        break;
      case Op.GlobalGet: stack.push(readGlobal(globals[r.u32()]!)); break;
      case Op.RefNull: r.heapType(); stack.push(null); break;
      case Op.RefFunc: stack.push(funcs[r.u32()]); break;
      case Op.I32Add: case Op.I32Sub: case Op.I32Mul: {
        const b = pop() as number;
        const a = pop() as number;
        stack.push(op === Op.I32Add ? (a + b) | 0 : op === Op.I32Sub ? (a - b) | 0 : Math.imul(a, b));
        break;
      }
      case Op.I64Add: case Op.I64Sub: case Op.I64Mul: {
        const b = pop() as bigint;
        const a = pop() as bigint;
        stack.push(BigInt.asIntN(64, op === Op.I64Add ? a + b : op === Op.I64Sub ? a - b : a * b));
        break;
      }
      default:
        throw new UnsupportedError(`constant expression opcode 0x${op.toString(16)}`);
    }
  }
  return stack.pop();
}
