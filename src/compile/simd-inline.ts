// The inline lowering of SIMD instructions: lane expressions instead of helper calls. Lane-wise
// i32x4/f32x4/f64x2 instructions reuse the scalar templates of numeric.ts lane by lane (the opcode
// table pairs `f32x4.add` with `f32.add`); i8x16/i16x8 ones compute each 32-bit word inline (simd-words.ts).

import { opsByName, OPCODES, type OpInfo } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { F32, F64, I32, I64, V128 } from '../core/types.js';
import { derived, literal, type Entry } from './entry.js';
import { operand, type FunctionCompiler } from './function-compiler.js';
import { NAN_PRODUCING, TEMPLATES } from './numeric.js';
import { isSimple, kindOf, lanesOf, paren, pushLanes, simpleScalar, takeOperands, viewOf, type LaneKind } from './simd-lanes.js';
import * as I64X2 from './simd-i64x2.js';
import { laneOfWord, narrowWord, widenWord, WORD_OPS } from './simd-words.js';

type Lower = (fc: FunctionCompiler, op: OpInfo, imm: number) => void;

const INLINE = new Map<number, Lower>();
/** Per instruction: the view of each operand, and whether it treats every NaN alike (arithmetic). */
const VIEWS = new Map<number, { kinds: readonly LaneKind[]; tolerant: boolean }>();

/** The inline lowering of a SIMD instruction (`imm`: its lane index, if it has one), if there is one. */
export function inlineLowering(code: number): Lower | undefined {
  return INLINE.get(code);
}

/**
 * The view instruction `code` wants its operand `k` in (loads read their lanes that way), and
 * whether it is tolerant (any NaN will do, so f32 loads need not rebuild signalling NaNs).
 */
export function operandView(code: number, k: number): { kind: LaneKind; tolerant: boolean } {
  const v = VIEWS.get(code);
  return { kind: v?.kinds[k] ?? 'i32', tolerant: v?.tolerant === true };
}

/**
 * Instructions whose inline lowering always leaves f32 carriers made by arithmetic (quiet), or
 * doubles, as its lanes: a live range of a v128 local they write can keep its lanes in that view
 * (simd-locals.ts).
 */
const floatLaneResults = new Map<number, 'f32' | 'f64'>();
export const FLOAT_LANE_RESULTS: ReadonlyMap<number, 'f32' | 'f64'> = floatLaneResults;
const floatResult = (code: number, kind: LaneKind) => {
  if (kind !== 'i32') floatLaneResults.set(code, kind);
};

function define(code: number, kinds: readonly LaneKind[], lower: Lower, tolerant = false): void {
  INLINE.set(code, lower);
  VIEWS.set(code, { kinds, tolerant });
}
const code = (name: string) => opsByName(name)![0]!.code;

const SHAPES: Readonly<Record<string, { scalar: string; kind: LaneKind }>> = {
  i32x4: { scalar: 'i32', kind: 'i32' }, f32x4: { scalar: 'f32', kind: 'f32' }, f64x2: { scalar: 'f64', kind: 'f64' },
};

/** Wraps a float lane in canonNaN when Config.nanCanonicalization asks for it (as the scalar instruction would). */
function canon(fc: FunctionCompiler, scalar: number, js: string): string {
  return fc.mc.options.nanCanonicalization === true && NAN_PRODUCING.has(scalar) ? `${fc.helper('canonNaN')}(${js})` : js;
}

// ---------------------------------------------------------------- lane-wise from the scalar templates

/** Scalar templates that move bits rather than compute (their lanes must stay exact). */
const BITWISE = new Set<number>([Op.F32Abs, Op.F32Neg, Op.F64Abs, Op.F64Neg]);

/**
 * `shape.op` lane by lane with the template of the scalar `type.op`: unary and binary lane-wise
 * instructions and shifts (whose count, an i32, is shared by every lane: JS masks it as wasm does).
 */
for (const op of OPCODES) {
  if (op.prefix !== 0xfd || op.params === null || op.results?.[0] !== V128) continue;
  const [shape, rest] = op.name.split('.') as [string, string];
  const s = SHAPES[shape];
  const scalar = s && opsByName(`${s.scalar}.${rest}`)?.[0];
  const t = scalar && TEMPLATES.get(scalar.code);
  if (!s || !scalar || !t || scalar.params!.length !== op.params.length || BITWISE.has(scalar.code)) continue;
  const shift = op.params[1] === I32;
  const kind = s.kind;
  const float = kind !== 'i32';
  define(op.code, shift ? [kind] : op.params.map(() => kind), (fc) => {
    for (const h of t.helpers ?? []) fc.helper(h);
    const args = takeOperands(fc, op.params!.length);
    const a = lanesOf(fc, args[0]!, kind, t.repeats === true, float);
    const count = shift ? simpleScalar(fc, operand(args[1]!), I32) : '';
    const b = op.params!.length === 1 ? [] : shift ? a.map(() => count) : lanesOf(fc, args[1]!, kind, t.repeats === true, float);
    const lanes = a.map((x, k) => canon(fc, scalar.code, t.js(paren(x), b[k] === undefined ? '' : paren(b[k]!))));
    if (t.bool !== true) pushLanes(fc, kind, lanes, args, float);
    // Comparisons: all-ones lanes (an f64x2 mask is two equal words per lane).
    else if (kind === 'f64') pushLanes(fc, 'i32', lanes.flatMap((c) => [`(${c} ? -1 : 0)`, `(${c} ? -1 : 0)`]), args);
    else pushLanes(fc, 'i32', lanes.map((c) => `(${c} ? -1 : 0)`), args);
  }, float);
  if (t.bool !== true) floatResult(op.code, kind);
}

/** abs and neg of float lanes move the sign bit: on the carriers if the operand has them, else on the words. */
for (const [name, shape, neg] of [['f32x4.abs', 'f32', false], ['f32x4.neg', 'f32', true], ['f64x2.abs', 'f64', false], ['f64x2.neg', 'f64', true]] as const) {
  define(code(name), [shape], (fc) => {
    const [a] = takeOperands(fc, 1) as [Entry];
    if (kindOf(a) === shape) {
      const x = lanesOf(fc, a, shape);
      pushLanes(fc, shape, x.map((v) => (neg ? `-${paren(v)}` : `Math.abs(${v})`)), [a], viewOf(a)?.quiet === true);
      return;
    }
    const w = lanesOf(fc, a, 'i32');
    const sign = (k: number) => shape === 'f32' || k % 2 === 1;
    pushLanes(fc, 'i32', w.map((v, k) => (!sign(k) ? v : neg ? `${paren(v)} ^ -2147483648` : `${paren(v)} & 2147483647`)), [a]);
  });
}

/**
 * Conversions between shapes, lane by lane with a scalar template: `from` picks the input lanes,
 * and `zero` fills the rest of a two-lane result with zeros.
 */
function convert(simd: string, scalar: string, inKind: LaneKind, outKind: LaneKind, from: readonly number[], zero = false): void {
  const sop = opsByName(scalar)![0]!;
  const t = TEMPLATES.get(sop.code)!;
  define(code(simd), [inKind], (fc) => {
    for (const h of t.helpers ?? []) fc.helper(h);
    const [a] = takeOperands(fc, 1) as [Entry];
    const x = lanesOf(fc, a, inKind, false, true);
    const lanes = from.map((k) => canon(fc, sop.code, t.js(paren(x[k]!), '')));
    if (zero) lanes.push('0', '0');
    pushLanes(fc, outKind, lanes, [a], true);
  }, true);
  floatResult(code(simd), outKind);
}
convert('f32x4.convert_i32x4_s', 'f32.convert_i32_s', 'i32', 'f32', [0, 1, 2, 3]);
convert('f32x4.convert_i32x4_u', 'f32.convert_i32_u', 'i32', 'f32', [0, 1, 2, 3]);
convert('i32x4.trunc_sat_f32x4_s', 'i32.trunc_sat_f32_s', 'f32', 'i32', [0, 1, 2, 3]);
convert('i32x4.trunc_sat_f32x4_u', 'i32.trunc_sat_f32_u', 'f32', 'i32', [0, 1, 2, 3]);
convert('i32x4.relaxed_trunc_f32x4_s', 'i32.trunc_sat_f32_s', 'f32', 'i32', [0, 1, 2, 3]);
convert('i32x4.relaxed_trunc_f32x4_u', 'i32.trunc_sat_f32_u', 'f32', 'i32', [0, 1, 2, 3]);
convert('f64x2.convert_low_i32x4_s', 'f64.convert_i32_s', 'i32', 'f64', [0, 1]);
convert('f64x2.convert_low_i32x4_u', 'f64.convert_i32_u', 'i32', 'f64', [0, 1]);
convert('f64x2.promote_low_f32x4', 'f64.promote_f32', 'f32', 'f64', [0, 1]);
convert('f32x4.demote_f64x2_zero', 'f32.demote_f64', 'f64', 'f32', [0, 1], true);
convert('i32x4.trunc_sat_f64x2_s_zero', 'i32.trunc_sat_f64_s', 'f64', 'i32', [0, 1], true);
convert('i32x4.trunc_sat_f64x2_u_zero', 'i32.trunc_sat_f64_u', 'f64', 'i32', [0, 1], true);
convert('i32x4.relaxed_trunc_f64x2_s_zero', 'i32.trunc_sat_f64_s', 'f64', 'i32', [0, 1], true);
convert('i32x4.relaxed_trunc_f64x2_u_zero', 'i32.trunc_sat_f64_u', 'f64', 'i32', [0, 1], true);

// ---------------------------------------------------------------- hand-written lane expressions

/**
 * An instruction whose result lanes are `f` of its operands' lanes (all in view `kind`); `simple`:
 * `f` repeats operand lanes; `tolerant`: any NaN will do (the result is computed, not moved).
 */
function lanes(name: string, kind: LaneKind, arity: number, simple: boolean, f: (fc: FunctionCompiler, xs: string[][]) => string[],
  outKind = kind, tolerant = false): void {
  define(code(name), Array(arity).fill(kind), (fc) => {
    const args = takeOperands(fc, arity);
    const xs = args.map((a) => lanesOf(fc, a, kind, simple, tolerant));
    pushLanes(fc, outKind, f(fc, xs), args, tolerant && outKind === 'f32');
  }, tolerant);
}
const each = (f: (...x: string[]) => string) => (_fc: FunctionCompiler, xs: string[][]) => xs[0]!.map((_, k) => f(...xs.map((x) => paren(x[k]!))));

lanes('v128.not', 'i32', 1, false, each((a) => `~${a}`));
lanes('v128.and', 'i32', 2, false, each((a, b) => `${a} & ${b}`));
lanes('v128.andnot', 'i32', 2, false, each((a, b) => `${a} & ~${b}`));
lanes('v128.or', 'i32', 2, false, each((a, b) => `${a} | ${b}`));
lanes('v128.xor', 'i32', 2, false, each((a, b) => `${a} ^ ${b}`));
// The relaxed lane selects take the deterministic choice: bitselect.
for (const name of ['v128.bitselect', 'i8x16.relaxed_laneselect', 'i16x8.relaxed_laneselect', 'i32x4.relaxed_laneselect', 'i64x2.relaxed_laneselect']) {
  define(code(name), ['i32', 'i32', 'i32'], (fc) => {
    const args = takeOperands(fc, 3);
    const [a, b] = args.slice(0, 2).map((e) => lanesOf(fc, e, 'i32')) as [string[], string[]];
    const c = lanesOf(fc, args[2]!, 'i32', true);
    pushLanes(fc, 'i32', a.map((x, k) => `(${paren(x)} & ${c[k]}) | (${paren(b[k]!)} & ~${c[k]})`), args);
  });
}
lanes('i32x4.abs', 'i32', 1, false, each((a) => `Math.abs(${a}) | 0`));
lanes('i32x4.neg', 'i32', 1, false, each((a) => `-${a} | 0`));
lanes('i32x4.min_s', 'i32', 2, true, each((a, b) => `${a} < ${b} ? ${a} : ${b}`));
lanes('i32x4.max_s', 'i32', 2, true, each((a, b) => `${a} > ${b} ? ${a} : ${b}`));
lanes('i32x4.min_u', 'i32', 2, true, each((a, b) => `(${a} >>> 0) < (${b} >>> 0) ? ${a} : ${b}`));
lanes('i32x4.max_u', 'i32', 2, true, each((a, b) => `(${a} >>> 0) > (${b} >>> 0) ? ${a} : ${b}`));
// pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a pick an operand's lane, NaN payload and all.
for (const [shape, kind] of [['f32x4', 'f32'], ['f64x2', 'f64']] as const) {
  lanes(`${shape}.pmin`, kind, 2, true, each((a, b) => `${b} < ${a} ? ${b} : ${a}`));
  lanes(`${shape}.pmax`, kind, 2, true, each((a, b) => `${a} < ${b} ? ${b} : ${a}`));
}

/** relaxed_madd: fadd(fmul(a, b), c), two roundings (the deterministic choice); nmadd negates a. */
for (const [name, kind, neg] of [
  ['f32x4.relaxed_madd', 'f32', false], ['f32x4.relaxed_nmadd', 'f32', true],
  ['f64x2.relaxed_madd', 'f64', false], ['f64x2.relaxed_nmadd', 'f64', true],
] as const) {
  const mul = TEMPLATES.get(kind === 'f32' ? Op.F32Mul : Op.F64Mul)!;
  lanes(name, kind, 3, false, (fc, [a, b, c]) => a!.map((x, k) => {
    const p = mul.js(neg ? `(-${paren(x)})` : paren(x), paren(b![k]!));
    const sum = kind === 'f32' ? `Math.fround(${p} + ${paren(c![k]!)})` : `${p} + ${paren(c![k]!)}`;
    return canon(fc, kind === 'f32' ? Op.F32Add : Op.F64Add, sum);
  }), kind, true);
}

// ---------------------------------------------------------------- i8x16 and i16x8: word by word

/** Instructions whose result word k is a function of the operands' words k. */
for (const [name, word] of Object.entries(WORD_OPS)) {
  const op = opsByName(name)![0]!;
  const shift = op.params![1] === I32;
  const arity = shift ? 1 : op.params!.length;
  const bits = name.startsWith('i8x16') ? 8 : 16;
  define(op.code, Array(arity).fill('i32'), (fc) => {
    const args = takeOperands(fc, op.params!.length);
    const xs = args.slice(0, arity).map((a) => lanesOf(fc, a, 'i32', true));
    const k = shift ? simpleScalar(fc, `${paren(operand(args[1]!))} & ${bits - 1}`, I32) : '';
    const sat = fc.helper('vsat');
    const tmp = (x: string) => simpleScalar(fc, x, I32);
    const lanes = [0, 1, 2, 3].map((w) => word(xs.map((x) => x[w]!), sat, k, tmp));
    if (lanes.some((x) => x.includes('vpopcnt8('))) fc.helper('vpopcnt8');
    pushLanes(fc, 'i32', lanes, args);
  });
}
// The relaxed q15 multiply takes the deterministic choice: saturate, as q15mulr_sat_s.
define(Op.I16x8RelaxedQ15mulrS, ['i32', 'i32'], INLINE.get(Op.I16x8Q15mulrSatS)!);
for (const [relaxed, strict] of [
  ['f32x4.relaxed_min', 'f32x4.min'], ['f32x4.relaxed_max', 'f32x4.max'],
  ['f64x2.relaxed_min', 'f64x2.min'], ['f64x2.relaxed_max', 'f64x2.max'],
] as const) {
  const v = VIEWS.get(code(strict))!;
  define(code(relaxed), v.kinds, INLINE.get(code(strict))!, v.tolerant);
}

for (const [shape, bits] of [['i8x16', 8], ['i16x8', 16], ['i32x4', 32]] as const) {
  // all_true and bitmask combine one value per word.
  define(code(`${shape}.all_true`), ['i32'], (fc) => {
    const [a] = takeOperands(fc, 1) as [Entry];
    const w = lanesOf(fc, a, 'i32', bits !== 32);
    const read = bits === 8 ? 'u8' : 'u16';
    const tests = bits === 32 ? w.map((x) => `${paren(x)} !== 0`)
      : w.flatMap((x) => Array.from({ length: 32 / bits }, (_, i) => `${laneOfWord(read, x, i)} !== 0`));
    fc.push(derived(I32, `(${tests.join(' && ')})`, [a], true, true));
  });
  define(code(`${shape}.bitmask`), ['i32'], (fc) => {
    const [a] = takeOperands(fc, 1) as [Entry];
    const w = lanesOf(fc, a, 'i32', bits !== 32);
    const per = 32 / bits;
    const parts = w.flatMap((x, k) => Array.from({ length: per }, (_, i) => {
      const top = bits * i + bits - 1;
      const bit = k * per + i;
      // The sign bit of lane i of the word, moved to bit `k * per + i` of the mask.
      return `((${paren(x)} >>> ${top}) & 1)${bit ? ` << ${bit}` : ''}`;
    }));
    fc.push(derived(I32, `(${parts.map((p) => `(${p})`).join(' | ')})`, [a]));
  });
}
define(Op.I64x2AllTrue, ['i32'], (fc) => {
  const [a] = takeOperands(fc, 1) as [Entry];
  const w = lanesOf(fc, a, 'i32');
  fc.push(derived(I32, `((${paren(w[0]!)} | ${paren(w[1]!)}) !== 0 && (${paren(w[2]!)} | ${paren(w[3]!)}) !== 0)`, [a], true, true));
});
define(Op.I64x2Bitmask, ['i32'], (fc) => {
  const [a] = takeOperands(fc, 1) as [Entry];
  const w = lanesOf(fc, a, 'i32');
  fc.push(derived(I32, `((${paren(w[1]!)} >>> 31) | ((${paren(w[3]!)} >>> 31) << 1))`, [a]));
});
define(Op.V128AnyTrue, ['i32'], (fc) => {
  const [a] = takeOperands(fc, 1) as [Entry];
  const w = lanesOf(fc, a, 'i32');
  fc.push(derived(I32, `((${w.map(paren).join(' | ')}) !== 0)`, [a], true, true));
});

// ---------------------------------------------------------------- i64x2: lanes as word pairs (simd-i64x2.ts)

/** An i64x2 instruction whose result lane k (two words) is `f` of the operands' lanes k (word pairs, simple). */
function pairs(name: string, arity: number, f: (x: I64X2.Pair[], tmp: I64X2.Tmp) => string[]): void {
  define(code(name), Array(arity).fill('i32'), (fc) => {
    const args = takeOperands(fc, arity);
    const xs = args.map((a) => lanesOf(fc, a, 'i32', true));
    const tmp = (x: string) => simpleScalar(fc, x, I32);
    pushLanes(fc, 'i32', [0, 2].flatMap((k) => f(xs.map((w): I64X2.Pair => [w[k]!, w[k + 1]!]), tmp)), args);
  });
}
pairs('i64x2.add', 2, ([a, b], tmp) => I64X2.add(a!, b!, tmp));
pairs('i64x2.sub', 2, ([a, b]) => I64X2.sub(a!, b!));
pairs('i64x2.mul', 2, ([a, b], tmp) => I64X2.mul(a!, b!, tmp));
pairs('i64x2.neg', 1, ([a]) => I64X2.neg(a!));
pairs('i64x2.abs', 1, ([a], tmp) => I64X2.abs(a!, tmp));
for (const kind of ['eq', 'ne', 'lt_s', 'gt_s', 'le_s', 'ge_s'] as const) {
  pairs(`i64x2.${kind}`, 2, ([a, b], tmp) => {
    const m = tmp(I64X2.compare(kind, a!, b!));
    return [m, m];
  });
}
for (const kind of ['shl', 'shr_s', 'shr_u'] as const) {
  // The count is an i32 shared by both lanes: a literal is folded into each lane's expressions.
  define(code(`i64x2.${kind}`), ['i32'], (fc) => {
    const args = takeOperands(fc, 2);
    const w = lanesOf(fc, args[0]!, 'i32', true);
    const count = operand(args[1]!);
    const k = literal(count) ?? simpleScalar(fc, count, I32);
    pushLanes(fc, 'i32', [0, 2].flatMap((j) => I64X2.shift(kind, [w[j]!, w[j + 1]!], k)), args);
  });
}
/** Widening multiply: result lane k is the full product of i32 lanes k (+ 2 for high). */
for (const [high, part] of [[false, 'low'], [true, 'high']] as const) {
  for (const sign of ['s', 'u'] as const) {
    lanes(`i64x2.extmul_${part}_i32x4_${sign}`, 'i32', 2, true, (fc, [a, b]) => {
      const tmp = (x: string) => simpleScalar(fc, x, I32);
      const o = high ? 2 : 0;
      return [o, o + 1].flatMap((j) => I64X2.wideMul(a![j]!, b![j]!, sign === 's', tmp));
    });
  }
}

/** Widening, low or high half: result word k comes from input word (k + off) >> 1. */
for (const [high, part] of [[false, 'low'], [true, 'high']] as const) {
  for (const sign of ['s', 'u'] as const) {
    const read = sign === 's' ? 's8' : 'u8';
    // i8 -> i16: half (k + off) & 1 of the word (bytes 0-1 or 2-3).
    lanes(`i16x8.extend_${part}_i8x16_${sign}`, 'i32', 1, true, (_fc, [a]) => [0, 1, 2, 3].map((k) => {
      const j = k + (high ? 4 : 0);
      return widenWord(read, a![j >> 1]!, (j & 1) === 1);
    }));
    lanes(`i16x8.extmul_${part}_i8x16_${sign}`, 'i32', 2, true, (_fc, [a, b]) => [0, 1, 2, 3].map((k) => {
      const j = k + (high ? 4 : 0);
      return widenWord(read, a![j >> 1]!, (j & 1) === 1, b![j >> 1]!);
    }));
    // i16 -> i32: result word k is i16 lane k (+ 4 for high).
    const r16 = sign === 's' ? 's16' : 'u16';
    const lane16 = (w: string[], k: number) => laneOfWord(r16, w[(k + (high ? 4 : 0)) >> 1]!, (k + (high ? 4 : 0)) & 1);
    lanes(`i32x4.extend_${part}_i16x8_${sign}`, 'i32', 1, true, (_fc, [a]) => [0, 1, 2, 3].map((k) => lane16(a!, k)));
    lanes(`i32x4.extmul_${part}_i16x8_${sign}`, 'i32', 2, true, (_fc, [a, b]) => [0, 1, 2, 3].map((k) => `Math.imul(${lane16(a!, k)}, ${lane16(b!, k)})`));
  }
  // i32 -> i64: words lo, hi of lanes k (+ 2 for high).
  const o = high ? 2 : 0;
  lanes(`i64x2.extend_${part}_i32x4_s`, 'i32', 1, true, (_fc, [a]) => [a![o]!, `(${a![o]} >> 31)`, a![o + 1]!, `(${a![o + 1]} >> 31)`]);
  lanes(`i64x2.extend_${part}_i32x4_u`, 'i32', 1, true, (_fc, [a]) => [a![o]!, '0', a![o + 1]!, '0']);
}

/** Narrowing: result word k from input words 2k, 2k+1 of a (k < 2) or of b. */
for (const [name, from, signed] of [
  ['i8x16.narrow_i16x8_s', 16, true], ['i8x16.narrow_i16x8_u', 16, false],
  ['i16x8.narrow_i32x4_s', 32, true], ['i16x8.narrow_i32x4_u', 32, false],
] as const) {
  lanes(name, 'i32', 2, true, (fc, [a, b]) => [0, 1, 2, 3].map((k) => {
    const x = k < 2 ? a! : b!;
    const j = (k & 1) * 2;
    return narrowWord(from, signed, x[j]!, x[j + 1]!, fc.helper('vsat'));
  }));
}

// ---------------------------------------------------------------- splat, lanes, shuffle

/** Splats: one scalar (as a temp if it is an expression) in every lane. */
function splat(name: string, kind: LaneKind, word: (x: string) => string, type: number): void {
  const op = opsByName(name)![0]!;
  define(op.code, [], (fc) => {
    const [x] = takeOperands(fc, 1) as [Entry];
    if (op.code === Op.I64x2Splat) {
      const m = x.simple ? x : fc.materialize(x);
      pushLanes(fc, 'i32', [m.code, m.hi, m.code, m.hi], [m]);
      return;
    }
    const w = simpleScalar(fc, word(operand(x)), type);
    pushLanes(fc, kind, Array(kind === 'f64' ? 2 : 4).fill(w), [x]);
  });
}
splat('i8x16.splat', 'i32', (x) => `Math.imul(${paren(x)} & 255, 16843009)`, I32);
splat('i16x8.splat', 'i32', (x) => (isSimple(x) ? `(${x} & 65535) | (${x} << 16)` : `Math.imul(${paren(x)} & 65535, 65537)`), I32);
splat('i32x4.splat', 'i32', (x) => x, I32);
splat('i64x2.splat', 'i32', (x) => x, I64);
splat('f32x4.splat', 'f32', (x) => x, F32);
splat('f64x2.splat', 'f64', (x) => x, F64);

/** extract_lane: a lane expression (narrow lanes shifted out of their word). */
function extract(name: string, kind: LaneKind, type: number, f: (w: string[], lane: number) => string): void {
  define(code(name), [kind], (fc, _op, lane) => {
    const [a] = takeOperands(fc, 1) as [Entry];
    const w = lanesOf(fc, a, kind, type === I64);
    if (type === I64) fc.push(derived(I64, w[2 * lane]!, [a], true, false, w[2 * lane + 1]!));
    else fc.push(derived(type, paren(f(w, lane)), [a]));
  });
}
extract('i8x16.extract_lane_s', 'i32', I32, (w, l) => laneOfWord('s8', paren(w[l >> 2]!), l & 3));
extract('i8x16.extract_lane_u', 'i32', I32, (w, l) => laneOfWord('u8', paren(w[l >> 2]!), l & 3));
extract('i16x8.extract_lane_s', 'i32', I32, (w, l) => laneOfWord('s16', paren(w[l >> 1]!), l & 1));
extract('i16x8.extract_lane_u', 'i32', I32, (w, l) => laneOfWord('u16', paren(w[l >> 1]!), l & 1));
extract('i32x4.extract_lane', 'i32', I32, (w, l) => w[l]!);
extract('i64x2.extract_lane', 'i32', I64, () => '');
extract('f32x4.extract_lane', 'f32', F32, (w, l) => w[l]!);
extract('f64x2.extract_lane', 'f64', F64, (w, l) => w[l]!);

/** replace_lane: the other lanes as they are, the new one (narrow lanes inserted into their word). */
function replace(name: string, kind: LaneKind, f: (w: string[], x: Entry, lane: number) => string[]): void {
  define(code(name), [kind], (fc, _op, lane) => {
    const args = takeOperands(fc, 2);
    const w = lanesOf(fc, args[0]!, kind);
    const x = args[1]!.type === I64 && !args[1]!.simple ? fc.materialize(args[1]!) : args[1]!;
    pushLanes(fc, kind, f(w, x, lane), [args[0]!, x]);
  });
}
const put = (w: string[], k: number, v: string) => w.map((x, i) => (i === k ? v : x));
replace('i8x16.replace_lane', 'i32', (w, x, l) => {
  const s = 8 * (l & 3);
  return put(w, l >> 2, `(${paren(w[l >> 2]!)} & ${~(255 << s)}) | ((${paren(operand(x))} & 255) << ${s})`);
});
replace('i16x8.replace_lane', 'i32', (w, x, l) => {
  const s = 16 * (l & 1);
  return put(w, l >> 1, `(${paren(w[l >> 1]!)} & ${~(65535 << s)}) | ((${paren(operand(x))} & 65535) << ${s})`);
});
replace('i32x4.replace_lane', 'i32', (w, x, l) => put(w, l, operand(x)));
replace('i64x2.replace_lane', 'i32', (w, x, l) => put(put(w, 2 * l, x.code), 2 * l + 1, x.hi));
replace('f32x4.replace_lane', 'f32', (w, x, l) => put(w, l, x.code));
replace('f64x2.replace_lane', 'f64', (w, x, l) => put(w, l, x.code));

/**
 * i8x16.swizzle (and relaxed_swizzle, which takes the same choice): the words of a go into the
 * swizzle scratch, then each result word is four scratch bytes picked by b's bytes (an index of
 * 16 or more reads one of the scratch's zero bytes). The result words are computed now, before
 * anything else can write the scratch.
 */
for (const name of ['i8x16.swizzle', 'i8x16.relaxed_swizzle']) {
  define(code(name), ['i32', 'i32'], (fc) => {
    const args = takeOperands(fc, 2);
    const a = lanesOf(fc, args[0]!, 'i32');
    const b = lanesOf(fc, args[1]!, 'i32', true);
    const [B, W] = [fc.helper('SWZ8'), fc.helper('SWZ32')];
    fc.emit(a.map((x, k) => `${W}[${k}] = ${x};`).join(' '));
    const words = b.map((x) => simpleScalar(fc, [0, 1, 2, 3].map((i) => {
      const byte = `${B}[${laneOfWord('u8', x, i)}]`;
      return i === 0 ? byte : `(${byte} << ${8 * i})`;
    }).join(' | '), I32));
    pushLanes(fc, 'i32', words, args);
  });
}

/**
 * i8x16.shuffle with its 16 lane indices: each result word is the bytes it takes, shifted into
 * place; a whole word taken in order is that word.
 */
export function inlineShuffle(fc: FunctionCompiler, indices: readonly number[]): void {
  const args = takeOperands(fc, 2);
  const src = args.map((a) => lanesOf(fc, a, 'i32', true));
  const word = (i: number) => src[i >> 4]![(i & 15) >> 2]!;
  const lanes = [0, 1, 2, 3].map((k) => {
    const idx = indices.slice(4 * k, 4 * k + 4);
    if (idx[0]! % 4 === 0 && idx.every((i, j) => i === idx[0]! + j)) return word(idx[0]!);
    return idx.map((i, j) => {
      const byte = laneOfWord('u8', word(i), i & 3);
      return j === 0 ? byte : `(${byte} << ${8 * j})`;
    }).join(' | ');
  });
  pushLanes(fc, 'i32', lanes, args);
}
