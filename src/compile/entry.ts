// A value on the code generator's operand stack: a JS expression (two for an i64) plus what the
// generator must know to evaluate it later without changing wasm's order of effects.

import { I32 as I32_TYPE, I64 as I64_TYPE, type ValType } from '../core/types.js';

export interface Entry {
  readonly type: ValType;
  /** The JS expression; for i64 its low half. */
  readonly code: string;
  /** For i64: the high half's expression; '' otherwise. */
  readonly hi: string;
  /**
   * No effects, cannot trap, reads nothing but locals and constants: may be evaluated late, or
   * not at all. Everything else is evaluated in wasm order before the next statement.
   */
  readonly pure: boolean;
  /** A literal, a local or a temp: cheap to repeat. */
  readonly simple: boolean;
  /** Indices of the locals the expression reads (a local.set of one forces evaluation first). */
  readonly locals: readonly number[] | null;
  /** The expression is a JS boolean (an i32 0/1 not yet converted). */
  readonly bool: boolean;
  /**
   * A bool entry's value as a branch-free 0/1 expression: `(code) | 0`, or `|` and `&` where the
   * condition form has `||` and `&&` (i64 comparisons). V8 compiles `(code ? 1 : 0)` to a branch,
   * and a materialised carry or flag from random data mispredicts it half the time. '' where
   * `(code ? 1 : 0)` is as good: comparisons in code tuned for an interpreter, where the jump
   * costs no more than the conversion.
   */
  readonly asInt: string;
  /**
   * i64 only: the high half computed from the low half once that is in a variable (an add's carry
   * compares the sum with an operand). `hi` is then a slower form that does not need it. Consumers
   * that use both halves materialise the entry (`FunctionCompiler.pair`), so nothing that only
   * wants the low half (`i32.wrap_i64`, Go's address arithmetic) ever computes the high half.
   */
  readonly hiOf: ((lo: string) => string) | undefined;
  /**
   * f32/f64 only, where floats may be NaNBoxes: the value is a JS number (an arithmetic result),
   * never a box, so stores and templates need not check or convert it.
   */
  readonly number: boolean;
}

/**
 * Every Entry is made here, with all its fields in one order: the code generator reads entries
 * everywhere, and objects of one shape keep those reads monomorphic (with entries of several
 * shapes, made by spreading, esbuild's start-up functions took 3.1-3.3 s to generate, against
 * 2.2-2.35 s).
 */
function make(
  type: ValType, code: string, hi: string, pure: boolean, simple: boolean, locals: readonly number[] | null, bool: boolean,
  hiOf: ((lo: string) => string) | undefined, number: boolean, asInt = '',
): Entry {
  return { type, code, hi, pure, simple, locals, bool, asInt, hiOf, number };
}

export function entry(type: ValType, code: string, hi = '', pure = true, locals: readonly number[] | null = null, simple = false, bool = false): Entry {
  return make(type, code, hi, pure, simple, locals, bool, undefined, false);
}

/** `e` with some fields changed. */
export function changed(e: Entry, fields: { readonly type?: ValType; readonly hi?: string; readonly simple?: boolean; readonly number?: boolean }): Entry {
  return make(
    fields.type ?? e.type, e.code, fields.hi ?? e.hi, e.pure, fields.simple ?? e.simple, e.locals, e.bool, e.hiOf,
    fields.number ?? e.number, e.asInt,
  );
}

/** A float literal as FunctionCompiler's floatLiteral writes it. */
const NUMBER_LITERAL = /^\(?-?(?:Infinity|\d[\d.e+-]*)\)?$/;

/** A float entry that is a JS number, never a NaNBox: an arithmetic result or a literal. */
export function isNumber(e: Entry): boolean {
  return e.number === true || NUMBER_LITERAL.test(e.code);
}

/** A temp or literal: simple, pure, reads no locals. */
export function simpleEntry(type: ValType, code: string, hi = ''): Entry {
  return make(type, code, hi, true, true, null, false, undefined, false);
}

export function mergeLocals(...es: Entry[]): readonly number[] | null {
  let out: number[] | null = null;
  for (const e of es) {
    if (e.locals === null) continue;
    if (out === null) out = [...e.locals];
    else for (const l of e.locals) if (!out.includes(l)) out.push(l);
  }
  return out;
}

/** An entry computed from operands: pure only if all operands are and the operation is. */
export function derived(type: ValType, code: string, operands: Entry[], opPure = true, bool = false, hi = ''): Entry {
  return fromOperands(type, code, hi, operands, opPure, bool, undefined);
}

/** A comparison: `code` a JS boolean for conditions, `asInt` the same value as a branch-free 0/1. */
export function comparison(code: string, asInt: string, operands: Entry[]): Entry {
  return make(I32_TYPE, code, '', operands.every((o) => o.pure), false, mergeLocals(...operands), true, undefined, false, asInt);
}

/** An i64 whose high half is best computed from the materialised low half (see Entry.hiOf). */
export function wide(code: string, hi: string, hiOf: (lo: string) => string, operands: Entry[], opPure = true): Entry {
  return fromOperands(I64_TYPE, code, hi, operands, opPure, false, hiOf);
}

function fromOperands(
  type: ValType, code: string, hi: string, operands: Entry[], opPure: boolean, bool: boolean, hiOf: ((lo: string) => string) | undefined,
): Entry {
  let pure = opPure;
  for (const o of operands) pure &&= o.pure;
  return make(type, code, hi, pure, false, mergeLocals(...operands), bool, hiOf, false);
}

/**
 * The value of an i32 entry as an unsigned JS number expression (`x >>> 0`). Keep the `| 0` of a
 * sum: `((a + b) | 0) >>> 0` is faster in TurboFan than `(a + b) >>> 0` (lz77 kernel: 262 vs 300 ms).
 */
export function u32(e: Entry): string {
  return e.simple ? unsignedCode(int(e)) : `(${int(e)} >>> 0)`;
}

/** `(x >>> 0)` of an i32 expression, folded for an integer literal (an interpreter would compute it each time). */
export function unsignedCode(x: string): string {
  const k = literal(x);
  return k === null ? `(${x} >>> 0)` : String(k >>> 0);
}

/** The entry's value as an i32 JS number expression (booleans converted). */
export function int(e: Entry): string {
  return !e.bool ? e.code : e.asInt !== '' ? e.asInt : `(${e.code} ? 1 : 0)`;
}

/** A local or a temp (or an i64's high half) as operands name them. */
const VARIABLE = /^[lt]\d+h?$/;

/**
 * An int32 operand of an add or subtract, marked int32 with `| 0` when it is a variable
 * (Template.int32Operands says why); anything else as it is.
 */
export function int32Variable(code: string): string {
  return VARIABLE.test(code) ? `(${code} | 0)` : code;
}

/** The entry as a JS condition. */
export function cond(e: Entry): string {
  return e.bool ? e.code : e.simple ? `${e.code} !== 0` : `(${e.code}) !== 0`;
}

/** Whether the expression is an integer literal, and its value. */
export function literal(code: string): number | null {
  // By hand, not /^\(?-?\d+\)?$/: asked of nearly every operand, and a regular expression
  // flattens the long concatenated strings that most operands are.
  const n = code.length;
  let i = 0;
  if (i < n && code.charCodeAt(i) === 40) i++;
  const negative = i < n && code.charCodeAt(i) === 45;
  if (negative) i++;
  const digits = i;
  let v = 0;
  for (; i < n; i++) {
    const d = code.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (i === digits) return null;
  // Beyond 15 digits the running sum may round differently from Number's parse.
  if (i - digits > 15) v = Number(code.slice(digits, i));
  if (i < n && code.charCodeAt(i) === 41) i++;
  if (i !== n) return null;
  return negative ? -v : v;
}

/** An int32 literal that reads well and parses unambiguously inside any expression. */
export function intLiteral(v: number): string {
  return v < 0 ? `(${v})` : String(v);
}
