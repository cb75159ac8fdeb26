// Templates for the i32, f32 and f64 instructions that are one JS expression each (the opcode
// table gives their signatures). Operands arrive as parenthesised or simple expressions.

import { Op } from '../binary/op.js';
import { unsignedCode as u } from './entry.js';

export interface Template {
  /** JS expression from the operand expressions. */
  readonly js: (a: string, b: string) => string;
  /** The expression is a JS boolean (comparisons). */
  readonly bool?: boolean;
  /** Operands appear more than once: the generator first evaluates them into temps. */
  readonly repeats?: boolean;
  /** Helpers the expression calls. */
  readonly helpers?: readonly string[];
  /**
   * Variable operands (a local or a temp) are marked int32 with `| 0` (for a JIT): V8 types a
   * variable that a loop carries more widely than int32, and once an add has overflowed in the
   * interpreter (its feedback is then "Number") TurboFan adds such operands as doubles and
   * truncates the sum, six to twelve times slower than an int32 add (RATIONALE.md).
   */
  readonly int32Operands?: boolean;
}

const fr = (x: string) => `Math.fround(${x})`;

/** `32 - b` (shift counts are taken mod 32), folded when b is a literal. */
function minus32(b: string): string {
  return /^\d+$/.test(b) ? String((32 - (Number(b) & 31)) & 31) : `(32 - ${b})`;
}

/**
 * Trailing zeros of an int32 `a` (a simple operand), branch-free: `~a & (a - 1)` sets exactly the
 * bits below the lowest set one (all 32 for zero). One expression where a helper branched on zero
 * (V8 inlined the helper: i64.ctz ran 1.7x native either way; without a JIT a call costs more).
 */
export function ctz32(a: string): string {
  return `(32 - Math.clz32(~${a} & ((${a} - 1) | 0)))`;
}

/**
 * copysign: b's sign bit read through the shared scratch (a store keeps a NaN's sign; both
 * operands are temps, so nothing comes between the write and the read). A number a: |a| times
 * 1 or -1 (the high word >> 31 | 1), exact and branch-free (a branch on b's sign mispredicts on
 * data: 4.4x native against 1.0x). A NaN a: Math.abs and negation, which keep its payload as the
 * f32/f64 abs and neg templates do (a product would not). An f32 carrier's sign is its f32's.
 * Where NaNs are boxed, the copysign helper (BOXED_TEMPLATES).
 */
const COPYSIGN: Template = {
  js: (a, b) => `${a} === ${a} ? Math.abs(${a}) * (SF64[0] = ${b}, SI32[1] >> 31 | 1) : (SF64[0] = ${b}, SI32[1] < 0) ? -Math.abs(${a}) : Math.abs(${a})`,
  repeats: true, helpers: ['SF64', 'SI32'],
};

/** One-expression instructions, keyed by opcode. */
export const TEMPLATES: ReadonlyMap<number, Template> = new Map<number, Template>([
  // i32
  [Op.I32Eqz, { js: (a) => `${a} === 0`, bool: true }],
  [Op.I32Eq, { js: (a, b) => `${a} === ${b}`, bool: true }],
  [Op.I32Ne, { js: (a, b) => `${a} !== ${b}`, bool: true }],
  [Op.I32LtS, { js: (a, b) => `${a} < ${b}`, bool: true }],
  [Op.I32LtU, { js: (a, b) => `${u(a)} < ${u(b)}`, bool: true }],
  [Op.I32GtS, { js: (a, b) => `${a} > ${b}`, bool: true }],
  [Op.I32GtU, { js: (a, b) => `${u(a)} > ${u(b)}`, bool: true }],
  [Op.I32LeS, { js: (a, b) => `${a} <= ${b}`, bool: true }],
  [Op.I32LeU, { js: (a, b) => `${u(a)} <= ${u(b)}`, bool: true }],
  [Op.I32GeS, { js: (a, b) => `${a} >= ${b}`, bool: true }],
  [Op.I32GeU, { js: (a, b) => `${u(a)} >= ${u(b)}`, bool: true }],
  [Op.I32Clz, { js: (a) => `Math.clz32(${a})` }],
  [Op.I32Ctz, { js: ctz32, repeats: true }],
  [Op.I32Popcnt, { js: (a) => `popcnt32(${a})`, helpers: ['popcnt32'] }],
  [Op.I32Add, { js: (a, b) => `(${a} + ${b}) | 0`, int32Operands: true }],
  [Op.I32Sub, { js: (a, b) => `(${a} - ${b}) | 0`, int32Operands: true }],
  [Op.I32Mul, { js: (a, b) => `Math.imul(${a}, ${b})` }],
  [Op.I32And, { js: (a, b) => `${a} & ${b}` }],
  [Op.I32Or, { js: (a, b) => `${a} | ${b}` }],
  [Op.I32Xor, { js: (a, b) => `${a} ^ ${b}` }],
  [Op.I32Shl, { js: (a, b) => `${a} << ${b}` }],
  [Op.I32ShrS, { js: (a, b) => `${a} >> ${b}` }],
  [Op.I32ShrU, { js: (a, b) => `(${a} >>> ${b}) | 0` }],
  [Op.I32Rotl, { js: (a, b) => `(${a} << ${b}) | (${a} >>> ${minus32(b)})`, repeats: true }],
  [Op.I32Rotr, { js: (a, b) => `(${a} >>> ${b}) | (${a} << ${minus32(b)})`, repeats: true }],
  [Op.I32Extend8S, { js: (a) => `(${a} << 24) >> 24` }],
  [Op.I32Extend16S, { js: (a) => `(${a} << 16) >> 16` }],
  // f32: every result rounded to single precision
  [Op.F32Eq, { js: (a, b) => `${a} === ${b}`, bool: true }],
  [Op.F32Ne, { js: (a, b) => `${a} !== ${b}`, bool: true }],
  [Op.F32Lt, { js: (a, b) => `${a} < ${b}`, bool: true }],
  [Op.F32Gt, { js: (a, b) => `${a} > ${b}`, bool: true }],
  [Op.F32Le, { js: (a, b) => `${a} <= ${b}`, bool: true }],
  [Op.F32Ge, { js: (a, b) => `${a} >= ${b}`, bool: true }],
  [Op.F32Abs, { js: (a) => `Math.abs(${a})` }],
  [Op.F32Neg, { js: (a) => `-(${a})` }],
  [Op.F32Ceil, { js: (a) => `fceil(${a})`, helpers: ['fceil'] }],
  [Op.F32Floor, { js: (a) => `ffloor(${a})`, helpers: ['ffloor'] }],
  [Op.F32Trunc, { js: (a) => `ftrunc(${a})`, helpers: ['ftrunc'] }],
  [Op.F32Nearest, { js: (a) => `nearest(${a})`, helpers: ['nearest'] }],
  [Op.F32Sqrt, { js: (a) => fr(`Math.sqrt(${a})`) }],
  [Op.F32Add, { js: (a, b) => fr(`${a} + ${b}`) }],
  [Op.F32Sub, { js: (a, b) => fr(`${a} - ${b}`) }],
  [Op.F32Mul, { js: (a, b) => fr(`${a} * ${b}`) }],
  [Op.F32Div, { js: (a, b) => fr(`${a} / ${b}`) }],
  [Op.F32Min, { js: (a, b) => `fmin(${a}, ${b})`, helpers: ['fmin'] }],
  [Op.F32Max, { js: (a, b) => `fmax(${a}, ${b})`, helpers: ['fmax'] }],
  [Op.F32Copysign, COPYSIGN],
  // f64
  [Op.F64Eq, { js: (a, b) => `${a} === ${b}`, bool: true }],
  [Op.F64Ne, { js: (a, b) => `${a} !== ${b}`, bool: true }],
  [Op.F64Lt, { js: (a, b) => `${a} < ${b}`, bool: true }],
  [Op.F64Gt, { js: (a, b) => `${a} > ${b}`, bool: true }],
  [Op.F64Le, { js: (a, b) => `${a} <= ${b}`, bool: true }],
  [Op.F64Ge, { js: (a, b) => `${a} >= ${b}`, bool: true }],
  [Op.F64Abs, { js: (a) => `Math.abs(${a})` }],
  [Op.F64Neg, { js: (a) => `-(${a})` }],
  [Op.F64Ceil, { js: (a) => `fceil(${a})`, helpers: ['fceil'] }],
  [Op.F64Floor, { js: (a) => `ffloor(${a})`, helpers: ['ffloor'] }],
  [Op.F64Trunc, { js: (a) => `ftrunc(${a})`, helpers: ['ftrunc'] }],
  [Op.F64Nearest, { js: (a) => `nearest(${a})`, helpers: ['nearest'] }],
  [Op.F64Sqrt, { js: (a) => `Math.sqrt(${a})` }],
  [Op.F64Add, { js: (a, b) => `${a} + ${b}` }],
  [Op.F64Sub, { js: (a, b) => `${a} - ${b}` }],
  [Op.F64Mul, { js: (a, b) => `${a} * ${b}` }],
  [Op.F64Div, { js: (a, b) => `${a} / ${b}` }],
  [Op.F64Min, { js: (a, b) => `fmin(${a}, ${b})`, helpers: ['fmin'] }],
  [Op.F64Max, { js: (a, b) => `fmax(${a}, ${b})`, helpers: ['fmax'] }],
  [Op.F64Copysign, COPYSIGN],
  // conversions between i32, f32 and f64
  [Op.F32ConvertI32S, { js: (a) => fr(a) }],
  [Op.F32ConvertI32U, { js: (a) => fr(`${a} >>> 0`) }],
  [Op.F32DemoteF64, { js: (a) => fr(a) }],
  [Op.F64ConvertI32S, { js: (a) => `+${a}` }],
  [Op.F64ConvertI32U, { js: (a) => `${a} >>> 0` }],
  [Op.F64PromoteF32, { js: (a) => `quietNaN(${a})`, helpers: ['quietNaN'] }],
  [Op.I32ReinterpretF32, { js: (a) => `f32ToBits(${a})`, helpers: ['f32ToBits'] }],
  [Op.F32ReinterpretI32, { js: (a) => `f32FromBits(${a})`, helpers: ['f32FromBits'] }],
  [Op.I32TruncF32S, { js: (a) => `truncS32(${a})`, helpers: ['truncS32'] }],
  [Op.I32TruncF64S, { js: (a) => `truncS32(${a})`, helpers: ['truncS32'] }],
  [Op.I32TruncF32U, { js: (a) => `truncU32(${a})`, helpers: ['truncU32'] }],
  [Op.I32TruncF64U, { js: (a) => `truncU32(${a})`, helpers: ['truncU32'] }],
  [Op.I32TruncSatF32S, { js: (a) => `truncSatS32(${a})`, helpers: ['truncSatS32'] }],
  [Op.I32TruncSatF64S, { js: (a) => `truncSatS32(${a})`, helpers: ['truncSatS32'] }],
  [Op.I32TruncSatF32U, { js: (a) => `truncSatU32(${a})`, helpers: ['truncSatU32'] }],
  [Op.I32TruncSatF64U, { js: (a) => `truncSatU32(${a})`, helpers: ['truncSatU32'] }],
]);

/**
 * Where floats may be NaNBoxes (core/nan-boxing.ts): templates for the instructions that must keep
 * a NaN's bits, which take their float operands as they are. Every other template is given numbers.
 */
export const BOXED_TEMPLATES: ReadonlyMap<number, Template> = new Map<number, Template>([
  [Op.F32Copysign, { js: (a, b) => `copysign(${a}, ${b})`, helpers: ['copysign'] }],
  [Op.F64Copysign, { js: (a, b) => `copysign(${a}, ${b})`, helpers: ['copysign'] }],
  [Op.F32Abs, { js: (a) => `absBits(${a})`, helpers: ['absBits'] }],
  [Op.F32Neg, { js: (a) => `negBits(${a})`, helpers: ['negBits'] }],
  [Op.F64Abs, { js: (a) => `absBits(${a})`, helpers: ['absBits'] }],
  [Op.F64Neg, { js: (a) => `negBits(${a})`, helpers: ['negBits'] }],
]);

/** Templates whose helpers read a NaNBox's bits themselves. */
export const TAKES_BOXES: ReadonlySet<number> = new Set([
  Op.F32Abs, Op.F32Neg, Op.F64Abs, Op.F64Neg, Op.F32Copysign, Op.F64Copysign,
  Op.F64PromoteF32, Op.I32ReinterpretF32,
]);

/** Instructions whose template may trap (their entries are not pure). */
export const TRAPPING: ReadonlySet<number> = new Set([
  Op.I32TruncF32S, Op.I32TruncF64S, Op.I32TruncF32U, Op.I32TruncF64U,
]);

/** Float instructions whose NaN results Config.nanCanonicalization makes canonical (Cranelift's list). */
export const NAN_PRODUCING: ReadonlySet<number> = new Set([
  Op.F32Add, Op.F32Sub, Op.F32Mul, Op.F32Div, Op.F32Sqrt, Op.F32Min, Op.F32Max,
  Op.F32Ceil, Op.F32Floor, Op.F32Trunc, Op.F32Nearest,
  Op.F64Add, Op.F64Sub, Op.F64Mul, Op.F64Div, Op.F64Sqrt, Op.F64Min, Op.F64Max,
  Op.F64Ceil, Op.F64Floor, Op.F64Trunc, Op.F64Nearest,
  Op.F32DemoteF64, Op.F64PromoteF32,
]);
