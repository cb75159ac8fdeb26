// The wide-arithmetic proposal on i64 pairs of int32 halves: i64.add128 and i64.sub128 as four-word
// carry chains, i64.mul_wide_s/u as an exact 64x64 -> 128 product from four 32x32 products, no BigInt.

import { Op } from '../binary/op.js';
import { F64, I64 } from '../core/types.js';
import { literal, simpleEntry, type Entry } from './entry.js';
import type { FunctionCompiler } from './function-compiler.js';
import { TWO_M32, mulHighU } from './mul-high.js';

const WIDE_OPS = new Set<number>([Op.I64Add128, Op.I64Sub128, Op.I64MulWideS, Op.I64MulWideU]);


export function isWideArithmeticOp(code: number): boolean {
  return WIDE_OPS.has(code);
}

export function compileWideArithmeticOp(fc: FunctionCompiler, code: number): void {
  switch (code) {
    case Op.I64Add128: return addSub128(fc, true);
    case Op.I64Sub128: return addSub128(fc, false);
    case Op.I64MulWideS: return mulWide(fc, true);
    case Op.I64MulWideU: return mulWide(fc, false);
  }
  throw new Error(`wide arithmetic: unhandled opcode ${code.toString(16)}`);
}

/**
 * Pops `n` i64 operands as variables or literals: each word is read more than once. Non-pure
 * entries (and what is below them) are evaluated first, so traps and effects keep wasm's order.
 */
function operands(fc: FunctionCompiler, n: number): Entry[] {
  fc.spillNonPure();
  return fc.popN(n).map((e) => (e.simple && e.hiOf === undefined ? e : fc.materialize(e)));
}

/** `x >>> 0`, folded for a literal. */
function u32(x: string): string {
  const k = literal(x);
  return k === null ? `(${x} >>> 0)` : String(k >>> 0);
}

/** A sum of terms, leaving out literal zeros ('0' when nothing is left). */
function sum(terms: string[]): string {
  const kept = terms.filter((t) => t !== '' && literal(t) !== 0);
  return kept.length === 0 ? '0' : kept.join(' + ');
}

/** Pushes the 128-bit result words r0 (lowest) .. r3 as two i64 temps: the low 64 bits, then the high. */
function pushResult(fc: FunctionCompiler, lo: string, hi: string): void {
  fc.push(simpleEntry(I64, lo, `${lo}h`));
  fc.push(simpleEntry(I64, hi, `${hi}h`));
}

/**
 * i64.add128 / i64.sub128: the four 32-bit words of each operand are added (subtracted) with the
 * carry (borrow) of the word below, each word's sum an exact double: the carry is `sum > 2^32 - 1`
 * and the borrow `difference < 0`, compares that compile to flags, not branches (PERF-NOTES).
 */
function addSub128(fc: FunctionCompiler, add: boolean): void {
  const [aLo, aHi, bLo, bHi] = operands(fc, 4) as [Entry, Entry, Entry, Entry];
  const a = [aLo.code, aLo.hi, aHi.code, aHi.hi];
  const b = [bLo.code, bLo.hi, bHi.code, bHi.hi];
  const lo = fc.temp(I64);
  const hi = fc.temp(I64);
  const out = [lo, `${lo}h`, hi, `${hi}h`];
  const w = fc.temp(F64);
  let carry = '';
  for (let i = 0; i < 4; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (i === 3) {
      // The top word wraps: int32 arithmetic, no carry out.
      const top = add ? sum([x, y, carry]) : `${x} - ${y}${carry ? ` - ${carry}` : ''}`;
      fc.emit(`${out[i]} = (${top}) | 0;`);
      break;
    }
    const value = add ? sum([u32(x), u32(y), carry]) : `${u32(x)} - ${u32(y)}${carry ? ` - ${carry}` : ''}`;
    fc.emit(`${w} = ${value}; ${out[i]} = ${w} | 0;`);
    carry = add ? `((${w} > 4294967295) | 0)` : `((${w} < 0) | 0)`;
  }
  pushResult(fc, lo, hi);
}

/** The exact unsigned 64-bit product of two int32 words as (low, high) int32 temps, or null when a factor is literally 0. */
function product(fc: FunctionCompiler, x: string, y: string): [string, string] | null {
  if (literal(x) === 0 || literal(y) === 0) return null;
  const lo = fc.temp(I64);
  // The double product is within 2^11 of the exact one; biased by 2^31 before scaling, truncation
  // cannot cross an integer (the same rule as i64.mul's high word in i64.ts).
  fc.emit(`${lo} = Math.imul(${x}, ${y}); ${lo}h = ${mulHighU(u32(x), u32(y), lo)};`);
  return [lo, `${lo}h`];
}

/**
 * i64.mul_wide_u: with a = ah:al and b = bh:bl (32-bit words), a * b = al*bl + (al*bh + ah*bl) 2^32
 * + ah*bh 2^64; each partial product is exact, and the columns are summed as exact doubles (below
 * 2^35) with their carries. A high word that is the literal 0 (an i64.extend_i32_u) drops its
 * products. i64.mul_wide_s subtracts the sign corrections from the high 64 bits:
 * a*b (signed) = a*b (unsigned) - [a < 0] b 2^64 - [b < 0] a 2^64, with masks, not branches.
 */
function mulWide(fc: FunctionCompiler, signed: boolean): void {
  const [a, b] = operands(fc, 2) as [Entry, Entry];
  const p00 = product(fc, a.code, b.code);
  const p01 = product(fc, a.code, b.hi);
  const p10 = product(fc, a.hi, b.code);
  const p11 = product(fc, a.hi, b.hi);
  const lo = fc.temp(I64);
  const hi = fc.temp(I64);
  const m = fc.temp(F64);
  fc.emit(`${lo} = ${p00 ? p00[0] : '0'};`);
  fc.emit(`${m} = ${sum([p00 ? u32(p00[1]) : '0', p01 ? u32(p01[0]) : '0', p10 ? u32(p10[0]) : '0'])}; ${lo}h = ${m} | 0;`);
  const column2 = [p01 ? u32(p01[1]) : '0', p10 ? u32(p10[1]) : '0', p11 ? u32(p11[0]) : '0', `((${m} * ${TWO_M32}) | 0)`];
  // Signed: subtract b from the high 64 bits when a < 0, and a when b < 0 (masks, not branches).
  // Each subtrahend's low word goes into column 2, its high word into column 3.
  const low: string[] = [];
  const high: string[] = [];
  if (signed) {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const mask = maskOf(x.hi);
      if (literal(mask) === 0) continue;
      low.push(u32(and(y.code, mask)));
      high.push(and(y.hi, mask));
    }
  }
  const minus = (terms: string[]) => terms.filter((t) => literal(t) !== 0).map((t) => ` - ${t}`).join('');
  fc.emit(`${m} = ${sum(column2)}${minus(low)}; ${hi} = ${m} | 0;`);
  // With subtractions the column can be negative: floor, not truncation, gives its (signed) carry.
  const carry = minus(low) ? `Math.floor(${m} * ${TWO_M32})` : `((${m} * ${TWO_M32}) | 0)`;
  fc.emit(`${hi}h = (${sum([p11 ? p11[1] : '0', carry])}${minus(high)}) | 0;`);
  pushResult(fc, lo, hi);
}

/** The sign mask of an int32 word: `(x >> 31)`, folded for a literal. */
function maskOf(x: string): string {
  const k = literal(x);
  return k === null ? `(${x} >> 31)` : String(k >> 31);
}

/** `x & mask`, folded when the mask is a literal 0 or -1. */
function and(x: string, mask: string): string {
  const k = literal(mask);
  if (k === 0) return '0';
  if (k === -1) return x;
  return `(${x} & ${mask})`;
}
