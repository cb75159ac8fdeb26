// i64x2 lanes as pairs of int32 words (lo, hi): the integer arithmetic, shifts and comparisons of
// i64x2 as inline word expressions (the helpers go through BigInt64Array and a V128 per operation).
// Carries and comparisons are branch-free: on data they decide, branches mispredict.

import { mulHighS, mulHighU } from './mul-high.js';

/** Evaluates an expression into a temp now and returns the temp's name (or the expression if simple). */
export type Tmp = (x: string) => string;
/** One i64 lane: its low and high int32 words, each a simple expression. */
export type Pair = readonly [lo: string, hi: string];

const unsigned = (x: string) => `(${x} >>> 0)`;

/** 1 where the unsigned word x is below y, else 0. */
const below = (x: string, y: string) => `(${unsigned(x)} < ${unsigned(y)})`;

export function add([al, ah]: Pair, [bl, bh]: Pair, tmp: Tmp): string[] {
  const lo = tmp(`(${al} + ${bl}) | 0`);
  return [lo, `(${ah} + ${bh} + (${below(lo, al)} | 0)) | 0`];
}

export function sub([al, ah]: Pair, [bl, bh]: Pair): string[] {
  return [`(${al} - ${bl}) | 0`, `(${ah} - ${bh} - (${below(al, bl)} | 0)) | 0`];
}

/** -x = ~x + 1: the carry into the high word comes only from a zero low word. */
export function neg([al, ah]: Pair): string[] {
  return [`-${al} | 0`, `(-${ah} - ((${al} !== 0) | 0)) | 0`];
}

/** (x ^ s) - s with s the sign (0 or -1): the negation when x < 0, x otherwise. */
export function abs([al, ah]: Pair, tmp: Tmp): string[] {
  const s = tmp(`${ah} >> 31`);
  return [`((${al} ^ ${s}) - ${s}) | 0`, `((${ah} ^ ${s}) + ((${al} === 0) & ${s})) | 0`];
}

/** The low 64 bits of the product: lo*lo in full, and the low words of the cross products. */
export function mul([al, ah]: Pair, [bl, bh]: Pair, tmp: Tmp): string[] {
  const lo = tmp(`Math.imul(${al}, ${bl})`);
  return [lo, `(${mulHighU(unsigned(al), unsigned(bl), lo)} + Math.imul(${al}, ${bh}) + Math.imul(${ah}, ${bl})) | 0`];
}

/** The full 64-bit product of two int32 lanes (extmul of i32x4 halves). */
export function wideMul(a: string, b: string, signed: boolean, tmp: Tmp): string[] {
  const lo = tmp(`Math.imul(${a}, ${b})`);
  return [lo, signed ? mulHighS(a, b, lo) : mulHighU(unsigned(a), unsigned(b), lo)];
}

export type ShiftKind = 'shl' | 'shr_s' | 'shr_u';

/**
 * A shift by `k`: a literal (any integer: wasm takes it modulo 64) or a simple int32 expression.
 * A run-time count tests bit 5 (one choice for both lanes, so it predicts well); JS takes word
 * shifts modulo 32 as wasm's 64-bit shift needs, and `x >>> 1 >>> ~k` is x >>> (32 - k) that
 * gives 0 for k = 0.
 */
export function shift(kind: ShiftKind, [al, ah]: Pair, k: string | number): string[] {
  if (typeof k === 'number') {
    const n = k & 63;
    if (n === 0) return [al, ah];
    if (kind === 'shl') return n < 32 ? [`${al} << ${n}`, `(${ah} << ${n}) | (${al} >>> ${32 - n})`] : ['0', `${al} << ${n - 32}`];
    const low = `(${al} >>> ${n}) | (${ah} << ${32 - n})`;
    if (kind === 'shr_u') return n < 32 ? [low, `(${ah} >>> ${n}) | 0`] : [`(${ah} >>> ${n - 32}) | 0`, '0'];
    return n < 32 ? [low, `${ah} >> ${n}`] : [`${ah} >> ${n - 32}`, `${ah} >> 31`];
  }
  const big = `(${k} & 32) !== 0`;
  if (kind === 'shl') return [`${big} ? 0 : ${al} << ${k}`, `${big} ? ${al} << ${k} : (${ah} << ${k}) | ((${al} >>> 1) >>> ~${k})`];
  const low = `(${al} >>> ${k}) | ((${ah} << 1) << ~${k})`;
  if (kind === 'shr_u') return [`${big} ? (${ah} >>> ${k}) | 0 : ${low}`, `${big} ? 0 : (${ah} >>> ${k}) | 0`];
  return [`${big} ? ${ah} >> ${k} : ${low}`, `${big} ? ${ah} >> 31 : ${ah} >> ${k}`];
}

export type CompareKind = 'eq' | 'ne' | 'lt_s' | 'gt_s' | 'le_s' | 'ge_s';

/** 1 where the signed lane a is below b, else 0 (a number, branch-free). */
const lessS = ([al, ah]: Pair, [bl, bh]: Pair) => `(${ah} < ${bh}) | ((${ah} === ${bh}) & ${below(al, bl)})`;

/**
 * A comparison's mask word (0 or -1, both words of the result lane): the 0/1 truth subtracted
 * from 0 (not negated: -0 is a double, and would make the lane locals doubles), or the opposite
 * test's truth minus 1.
 */
export function compare(kind: CompareKind, a: Pair, b: Pair): string {
  const eq = `(${a[0]} === ${b[0]}) & (${a[1]} === ${b[1]})`;
  switch (kind) {
    case 'eq': return `0 - (${eq})`;
    case 'ne': return `(${eq}) - 1`;
    case 'lt_s': return `0 - (${lessS(a, b)})`;
    case 'gt_s': return `0 - (${lessS(b, a)})`;
    case 'le_s': return `(${lessS(b, a)}) - 1`;
    case 'ge_s': return `(${lessS(a, b)}) - 1`;
  }
}
