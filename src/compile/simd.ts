// Compiles the 0xFD-prefixed instructions (SIMD and relaxed SIMD). At rest a v128 is one immutable
// V128 object (src/runtime/simd-value.ts); in flight, lanes (simd-lanes.ts). The opcode table's immediates pick the lowering.

import { Imm, opByPrefixed, type OpInfo } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { CompileError } from '../core/errors.js';
import { I64, V128 } from '../core/types.js';
import { derived, simpleEntry, type Entry } from './entry.js';
import { operand, type FunctionCompiler } from './function-compiler.js';
import { inlineLowering, inlineShuffle } from './simd-inline.js';
import { pushConstant } from './simd-lanes.js';
import { compileSimdMemory } from './simd-memory.js';
import { simdHelperName } from './simd-names.js';

/**
 * `inline` (the default): lane expressions in the generated code. `helpers`: every instruction is
 * one call of its runtime helper on V128 objects, the straightforward reference that tests compare
 * the inline lowering with.
 */
export type SimdLowering = 'inline' | 'helpers';
let lowering: SimdLowering = 'inline';

/** Selects the lowering for modules compiled from now on (tests); returns the previous one. */
export function setSimdLowering(mode: SimdLowering): SimdLowering {
  const before = lowering;
  lowering = mode;
  return before;
}

/** The lowering modules are compiled with now. */
export function simdLowering(): SimdLowering {
  return lowering;
}

/** Compiles the instruction 0xFD `sub` (its opcode already read). */
export function compileSimdOp(fc: FunctionCompiler, sub: number): void {
  const op = opByPrefixed(0xfd, sub);
  if (op === undefined) throw new CompileError(`function ${fc.funcIndex}: unknown opcode 0xfd ${sub}`);
  const inline = lowering === 'inline';
  switch (op.imm) {
    case Imm.MemArg: case Imm.MemArgLane:
      compileSimdMemory(fc, op, inline);
      return;
    case Imm.V128: {
      const bytes = fc.r.take(16);
      const e = simpleEntry(V128, v128Constant(fc, bytes));
      if (inline) pushConstant(fc, e, bytes);
      else fc.push(e);
      return;
    }
    case Imm.Shuffle: {
      const lanes = [...fc.r.take(16)];
      if (inline) inlineShuffle(fc, lanes);
      else helperCall(fc, op, [fc.constant(`new Uint8Array([${lanes.join(', ')}])`)]);
      return;
    }
    case Imm.Lane: case Imm.None: {
      const lane = op.imm === Imm.Lane ? fc.r.u8() : 0;
      const exactLanes = fc.mc.boxesNaNs && (PICKS_LANE_BITS.has(op.code) || MEETS_SCALARS.has(op.code));
      const lower = inline && !exactLanes ? inlineLowering(op.code) : undefined;
      if (lower !== undefined) lower(fc, op, lane);
      else if (op.code === Op.I64x2Splat || op.code === Op.I64x2ExtractLane || op.code === Op.I64x2ReplaceLane) i64Lanes(fc, op, lane);
      else helperCall(fc, op, op.imm === Imm.Lane ? [String(lane)] : []);
      return;
    }
  }
  throw new CompileError(`function ${fc.funcIndex}: ${op.name} has no SIMD lowering`);
}

/**
 * Instructions whose result lane is one operand's lane bit for bit. Their inline form passes lanes
 * through JS numbers, which engines that NaN-box (SpiderMonkey, JavaScriptCore) canonicalise; where
 * NaNs are boxed (Config.nanBoxes) the helpers, which copy the chosen lane through integer views,
 * keep NaN payloads exact.
 */
const PICKS_LANE_BITS = new Set<number>([Op.F32x4Pmin, Op.F32x4Pmax, Op.F64x2Pmin, Op.F64x2Pmax]);

/**
 * Where scalar floats may be NaNBoxes: the instructions that move a float lane's bits to or from a
 * scalar, or change only its sign, go through the helpers, which read and make boxes (the inline
 * lanes are plain numbers).
 */
const MEETS_SCALARS = new Set<number>([
  Op.F32x4Splat, Op.F64x2Splat, Op.F32x4ExtractLane, Op.F64x2ExtractLane, Op.F32x4ReplaceLane, Op.F64x2ReplaceLane,
  Op.F32x4Abs, Op.F32x4Neg, Op.F64x2Abs, Op.F64x2Neg,
]);

/** A closure constant holding the vector of 16 little-endian bytes. */
function v128Constant(fc: FunctionCompiler, bytes: Uint8Array): string {
  const v = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const words = [0, 4, 8, 12].map((k) => v.getInt32(k, true));
  return fc.constant(`new V128(${words.join(', ')})`, 'V128');
}

/** One call of the instruction's helper with its operands (and `extra` literal arguments), pure. */
function helperCall(fc: FunctionCompiler, op: OpInfo, extra: readonly string[]): void {
  const args = fc.popN(op.params!.length);
  let js = `${fc.helper(simdHelperName(op.name))}(${[...args.map(operand), ...extra].join(', ')})`;
  if (fc.mc.options.nanCanonicalization === true) {
    const canon = NAN_PRODUCING.get(op.code);
    if (canon !== undefined) js = `${fc.helper(canon)}(${js})`;
  }
  fc.push(derived(op.results![0]!, js, args));
}

/** The helper lowering's i64 lanes, read and written inline (helpers return one value). */
function i64Lanes(fc: FunctionCompiler, op: OpInfo, lane: number): void {
  const V = fc.helper('V128');
  if (op.code === Op.I64x2Splat) {
    const x = simple(fc, fc.pop());
    fc.push(derived(V128, `new ${V}(${x.code}, ${x.hi}, ${x.code}, ${x.hi})`, [x]));
  } else if (op.code === Op.I64x2ExtractLane) {
    const v = simple(fc, fc.pop());
    fc.push(derived(I64, `${v.code}.w${2 * lane}`, [v], true, false, `${v.code}.w${2 * lane + 1}`));
  } else {
    const [v0, x0] = fc.popN(2) as [Entry, Entry];
    const v = simple(fc, v0);
    const x = simple(fc, x0);
    const w = [0, 1, 2, 3].map((k) => `${v.code}.w${k}`);
    w[2 * lane] = x.code;
    w[2 * lane + 1] = x.hi;
    fc.push(derived(V128, `new ${V}(${w.join(', ')})`, [v, x]));
  }
}

/** `e` (just popped) as a temp or literal, for expressions that use it more than once. */
function simple(fc: FunctionCompiler, e: Entry): Entry {
  if (e.simple) return e;
  // Evaluating it now: whatever is below it on the stack is evaluated first.
  fc.spillNonPure();
  return fc.materialize(e);
}

/**
 * Config.nanCanonicalization in the helper lowering: the float instructions whose NaN results
 * become canonical, lane by lane (Cranelift canonicalises vector NaNs too), with the helper that does it.
 */
const NAN_PRODUCING: ReadonlyMap<number, string> = new Map([
  ...[
    Op.F32x4Add, Op.F32x4Sub, Op.F32x4Mul, Op.F32x4Div, Op.F32x4Sqrt, Op.F32x4Min, Op.F32x4Max,
    Op.F32x4Ceil, Op.F32x4Floor, Op.F32x4Trunc, Op.F32x4Nearest, Op.F32x4DemoteF64x2Zero,
    Op.F32x4RelaxedMadd, Op.F32x4RelaxedNmadd, Op.F32x4RelaxedMin, Op.F32x4RelaxedMax,
  ].map((c): [number, string] => [c, 'v128_canon_f32']),
  ...[
    Op.F64x2Add, Op.F64x2Sub, Op.F64x2Mul, Op.F64x2Div, Op.F64x2Sqrt, Op.F64x2Min, Op.F64x2Max,
    Op.F64x2Ceil, Op.F64x2Floor, Op.F64x2Trunc, Op.F64x2Nearest, Op.F64x2PromoteLowF32x4,
    Op.F64x2RelaxedMadd, Op.F64x2RelaxedNmadd, Op.F64x2RelaxedMin, Op.F64x2RelaxedMax,
  ].map((c): [number, string] => [c, 'v128_canon_f64']),
]);
