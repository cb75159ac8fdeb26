// The integer lowering that is more than one template: i64 as two int32 halves (branch-free
// carries, exact multiply-high from one double product, 32-bit-divisor fast path) and trapping i32 division.

import { Op } from '../binary/op.js';
import { F32, F64, I32, I64 } from '../core/types.js';
import { changed, comparison, derived, entry, int, int32Variable, literal, simpleEntry, unsignedCode, wide, type Entry } from './entry.js';
import { operand, type FunctionCompiler } from './function-compiler.js';
import { tuned, tunedFor } from './interpreter-tuning.js';
import { mulHighU } from './mul-high.js';
import { ctz32 } from './numeric.js';

const I64_OPS = new Set<number>([
  Op.I64Eqz, Op.I64Eq, Op.I64Ne, Op.I64LtS, Op.I64LtU, Op.I64GtS, Op.I64GtU, Op.I64LeS, Op.I64LeU,
  Op.I64GeS, Op.I64GeU, Op.I64Clz, Op.I64Ctz, Op.I64Popcnt, Op.I64Add, Op.I64Sub, Op.I64Mul,
  Op.I64DivS, Op.I64DivU, Op.I64RemS, Op.I64RemU, Op.I64And, Op.I64Or, Op.I64Xor, Op.I64Shl,
  Op.I64ShrS, Op.I64ShrU, Op.I64Rotl, Op.I64Rotr, Op.I32WrapI64, Op.I64ExtendI32S, Op.I64ExtendI32U,
  Op.I64Extend8S, Op.I64Extend16S, Op.I64Extend32S, Op.I64TruncF32S, Op.I64TruncF32U,
  Op.I64TruncF64S, Op.I64TruncF64U, Op.I64TruncSatF32S, Op.I64TruncSatF32U, Op.I64TruncSatF64S,
  Op.I64TruncSatF64U, Op.F32ConvertI64S, Op.F32ConvertI64U, Op.F64ConvertI64S, Op.F64ConvertI64U,
  Op.I64ReinterpretF64, Op.F64ReinterpretI64,
  Op.I32DivS, Op.I32DivU, Op.I32RemS, Op.I32RemU,
]);

export function isI64Op(code: number): boolean {
  return I64_OPS.has(code);
}

const TWO32 = '4294967296';

export function compileI64Op(fc: FunctionCompiler, code: number): void {
  switch (code) {
    case Op.I32DivS: case Op.I32DivU: case Op.I32RemS: case Op.I32RemU:
      return i32Division(fc, code);
    case Op.I64Eqz: {
      const a = fc.pair(fc.pop());
      const js = literal(a.hi) === 0 ? `(${a.code} === 0)` : `((${a.code} | ${a.hi}) === 0)`;
      fc.push(tuned(fc.mc.options) ? derived(I32, js, [a], true, true) : comparison(js, `(${js} | 0)`, [a]));
      return;
    }
    case Op.I64Eq: case Op.I64Ne: {
      const [a, b] = fc.pairs(fc.popN(2)) as [Entry, Entry];
      const eq = code === Op.I64Eq;
      const js = eq ? `(${a.code} === ${b.code} && ${a.hi} === ${b.hi})` : `(${a.code} !== ${b.code} || ${a.hi} !== ${b.hi})`;
      // As a value, both halves compared without a branch (Entry.asInt), as compare() does.
      const asInt = eq ? `((${a.code} === ${b.code}) & (${a.hi} === ${b.hi}))` : `((${a.code} !== ${b.code}) | (${a.hi} !== ${b.hi}))`;
      fc.push(comparison(js, asInt, [a, b]));
      return;
    }
    case Op.I64LtS: case Op.I64LtU: case Op.I64GtS: case Op.I64GtU:
    case Op.I64LeS: case Op.I64LeU: case Op.I64GeS: case Op.I64GeU:
      return compare(fc, code);
    case Op.I64Clz: {
      const a = fc.materialize(fc.pop());
      // Branch-free for a JIT (the low word's count is added when the high word's is 32): a branch
      // on data whose high word is zero now and then mispredicts, 4.6x native against 2.2x
      // (docs/speed.md). Without one, each Math.clz32 is a call and the branch is the cheaper.
      const js = tuned(fc.mc.options)
        ? `(${a.hi} !== 0 ? Math.clz32(${a.hi}) : 32 + Math.clz32(${a.code}))`
        : `(Math.clz32(${a.hi}) + Math.imul(Math.clz32(${a.code}), Math.clz32(${a.hi}) >>> 5))`;
      fc.push(derived(I64, js, [a], true, false, '0'));
      return;
    }
    case Op.I64Ctz: {
      const a = fc.materialize(fc.pop());
      fc.push(derived(I64, `(${a.code} !== 0 ? ${ctz32(a.code)} : 32 + ${ctz32(a.hi)})`, [a], true, false, '0'));
      return;
    }
    case Op.I64Popcnt: {
      const a = fc.pair(fc.pop());
      fc.push(derived(I64, `${fc.helper('popcnt64')}(${a.code}, ${a.hi})`, [a], true, false, '0'));
      return;
    }
    case Op.I64Add: return addSub(fc, true);
    case Op.I64Sub: return addSub(fc, false);
    case Op.I64Mul: return mul(fc);
    case Op.I64DivU: case Op.I64RemU: return divRemU(fc, code === Op.I64DivU);
    case Op.I64DivS: case Op.I64RemS: return divRemS(fc, code === Op.I64DivS);
    case Op.I64And: case Op.I64Or: case Op.I64Xor: {
      const [a, b] = fc.pairs(fc.popN(2)) as [Entry, Entry];
      const o = code === Op.I64And ? '&' : code === Op.I64Or ? '|' : '^';
      fc.push(derived(I64, `(${a.code} ${o} ${b.code})`, [a, b], true, false, `(${a.hi} ${o} ${b.hi})`));
      return;
    }
    case Op.I64Shl: case Op.I64ShrS: case Op.I64ShrU: return shift(fc, code);
    case Op.I64Rotl: case Op.I64Rotr: return rotate(fc, code === Op.I64Rotl);
    case Op.I32WrapI64: {
      const a = fc.pop();
      const w = derived(I32, a.code, [a]);
      fc.push(a.simple ? changed(w, { simple: true }) : w);
      return;
    }
    case Op.I64ExtendI32S: {
      const a = fc.materialize(fc.pop());
      fc.push(derived(I64, a.code, [a], true, false, `(${a.code} >> 31)`));
      return;
    }
    case Op.I64ExtendI32U: {
      const a = fc.pop();
      // A variable or literal stays one: consumers can repeat it without a temp.
      if (a.simple && !a.bool) fc.push(changed(a, { type: I64, hi: '0' }));
      else fc.push(derived(I64, operand(a), [a], true, false, '0'));
      return;
    }
    case Op.I64Extend8S: case Op.I64Extend16S: case Op.I64Extend32S: {
      const a = fc.pop();
      if (!a.pure) fc.spillNonPure();
      const bits = code === Op.I64Extend8S ? 24 : code === Op.I64Extend16S ? 16 : 0;
      const t = fc.temp(I32);
      fc.emit(`${t} = ${bits ? `(${a.code} << ${bits}) >> ${bits}` : a.code};`);
      fc.push(entry(I64, t, `(${t} >> 31)`, true, null, false));
      return;
    }
    case Op.I64TruncF32S: case Op.I64TruncF64S: return helperPairFrom(fc, 'i64TruncS', true);
    case Op.I64TruncF32U: case Op.I64TruncF64U: return helperPairFrom(fc, 'i64TruncU', true);
    case Op.I64TruncSatF32S: case Op.I64TruncSatF64S: return helperPairFrom(fc, 'i64TruncSatS', false);
    case Op.I64TruncSatF32U: case Op.I64TruncSatF64U: return helperPairFrom(fc, 'i64TruncSatU', false);
    case Op.I64ReinterpretF64: return helperPairFrom(fc, 'f64Bits', false, true);
    case Op.F32ConvertI64S: case Op.F32ConvertI64U: {
      const a = fc.pair(fc.pop());
      const h = fc.helper(code === Op.F32ConvertI64S ? 'f32ConvertI64S' : 'f32ConvertI64U');
      fc.push(derived(F32, `${h}(${a.code}, ${a.hi})`, [a]));
      return;
    }
    case Op.F64ConvertI64S: {
      const a = fc.pair(fc.pop());
      fc.push(derived(F64, `(${a.hi} * ${TWO32} + (${a.code} >>> 0))`, [a]));
      return;
    }
    case Op.F64ConvertI64U: {
      const a = fc.pair(fc.pop());
      fc.push(derived(F64, `((${a.hi} >>> 0) * ${TWO32} + (${a.code} >>> 0))`, [a]));
      return;
    }
    case Op.F64ReinterpretI64: {
      const a = fc.pair(fc.pop());
      fc.push(derived(F64, `${fc.helper('f64FromHalves')}(${a.code}, ${a.hi})`, [a]));
      return;
    }
  }
  throw new Error(`i64 lowering: unhandled opcode ${code.toString(16)}`);
}

/** Calls a helper that returns the low half and leaves the high half in RI[0]. */
function helperPair(fc: FunctionCompiler, name: string, args: string[]): void {
  const t = fc.temp(I64);
  fc.emit(`${t} = ${fc.helper(name)}(${args.join(', ')}); ${t}h = RI[0];`);
  fc.push(simpleEntry(I64, t, `${t}h`));
}

function helperPairFrom(fc: FunctionCompiler, name: string, traps: boolean, readsBoxes = false): void {
  const a = fc.pop();
  if (traps || !a.pure) fc.spillNonPure();
  // Truncations test for NaN, which a NaNBox is only as a number; f64Bits reads the box itself.
  helperPair(fc, name, [fc.mc.boxesNaNs && !readsBoxes ? `+${a.code}` : a.code]);
}

function compare(fc: FunctionCompiler, code: number): void {
  const [a0, b0] = fc.popN(2) as [Entry, Entry];
  const a = fc.materialize(a0);
  const b = fc.materialize(b0);
  const signed = code === Op.I64LtS || code === Op.I64GtS || code === Op.I64LeS || code === Op.I64GeS;
  const rel = code === Op.I64LtS || code === Op.I64LtU ? '<' : code === Op.I64GtS || code === Op.I64GtU ? '>'
    : code === Op.I64LeS || code === Op.I64LeU ? '<=' : '>=';
  const strict = rel.length === 1 ? rel : rel[0]!;
  const low = `${unsignedCode(a.code)} ${rel} ${unsignedCode(b.code)}`;
  // Each comparison twice: with `||` and `&&` for branches, with `|` and `&` (no branch) as a value.
  let js: string;
  let asInt: string;
  if (!signed && literal(b.hi) === 0) {
    // Against a constant below 2^32 (Go compares lengths and indices so): the high word is 0 or bigger.
    js = strict === '<' ? `(${a.hi} === 0 && ${low})` : `(${a.hi} !== 0 || ${low})`;
    asInt = strict === '<' ? `((${a.hi} === 0) & (${low}))` : `((${a.hi} !== 0) | (${low}))`;
  } else {
    const ah = signed ? a.hi : unsignedCode(a.hi);
    const bh = signed ? b.hi : unsignedCode(b.hi);
    js = `(${ah} ${strict} ${bh} || (${a.hi} === ${b.hi} && ${low}))`;
    asInt = `((${ah} ${strict} ${bh}) | ((${a.hi} === ${b.hi}) & (${low})))`;
  }
  fc.push(comparison(js, asInt, [a, b]));
}


/**
 * i64.add and i64.sub stay expressions. The low half is `(a + b) | 0`; an add's high half needs
 * the carry, which compares the sum with an operand, so it is computed from the materialised low
 * half (Entry.hiOf): code that only wraps the result (Go's address arithmetic, `local.get;
 * i64.extend_i32_u; i64.const; i64.add; i32.wrap_i64`) never computes it. A sub's borrow compares
 * the operands, so its halves are independent.
 */
function addSub(fc: FunctionCompiler, add: boolean): void {
  const [a0, b0] = fc.popN(2) as [Entry, Entry];
  // Operands appear in both halves: anything but a variable or literal is evaluated once first.
  const a = a0.simple ? a0 : fc.materialize(a0);
  const b = b0.simple ? b0 : fc.materialize(b0);
  const op = add ? '+' : '-';
  // Variables marked int32, as i32.add's operands are (Template.int32Operands).
  const v = tuned(fc.mc.options) ? (x: string) => x : int32Variable;
  const lo = `((${v(a.code)} ${op} ${v(b.code)}) | 0)`;
  const h = (x: string, y: string) => (literal(y) === 0 ? x : literal(x) === 0 && add ? y : `${v(x)} ${op} ${v(y)}`);
  const high = h(a.hi, b.hi);
  if (!add) {
    const borrow = `(((${a.code} >>> 0) < (${b.code} >>> 0)) | 0)`;
    const hi = literal(b.code) === 0 ? `(${high} | 0)` : `((${high} - ${borrow}) | 0)`;
    fc.push(derived(I64, lo, [a, b], true, false, hi));
    return;
  }
  // Carry out of the low word: the sum is below an operand (unsigned) exactly when it wrapped.
  // Compare with b when it is a literal (one operand fewer to load), else with a.
  const k = literal(b.code);
  const other = k !== null ? String(k >>> 0) : `(${a.code} >>> 0)`;
  const hiOf = (t: string) => {
    const carry = `(((${t} >>> 0) < ${other}) | 0)`;
    return literal(high) === 0 ? carry : `((${high} + ${carry}) | 0)`;
  };
  // The self-contained form (for consumers of the high half alone): the carry from a double sum.
  const carry = `((((${a.code} >>> 0) + (${b.code} >>> 0)) > 4294967295) | 0)`;
  const hi = literal(high) === 0 ? carry : `((${high} + ${carry}) | 0)`;
  fc.push(wide(lo, hi, hiOf, [a, b]));
}

/**
 * The high word of (a_lo * b_lo) comes from one double product, which is within 2^11 of the exact
 * 64-bit product: biased by 2^31 before scaling, truncation cannot cross an integer.
 */
function mul(fc: FunctionCompiler): void {
  const [a0, b0] = fc.popN(2) as [Entry, Entry];
  const a = fc.materialize(a0);
  const b = fc.materialize(b0);
  const t = fc.temp(I64);
  fc.emit(`${t} = Math.imul(${a.code}, ${b.code});`);
  let hi = mulHighU(unsignedCode(a.code), unsignedCode(b.code), t);
  if (literal(a.hi) !== 0) hi += ` + Math.imul(${a.hi}, ${b.code})`;
  if (literal(b.hi) !== 0) hi += ` + Math.imul(${a.code}, ${b.hi})`;
  fc.emit(`${t}h = (${hi}) | 0;`);
  fc.push(simpleEntry(I64, t, `${t}h`));
}

/** A division's operands, evaluated in wasm's order and materialised, and the i64 temp of its result. */
function divisionOperands(fc: FunctionCompiler): { a: Entry; b: Entry; t: string } {
  const [a0, b0] = fc.popN(2) as [Entry, Entry];
  fc.spillNonPure();
  const a = fc.materialize(a0);
  const b = fc.materialize(b0);
  return { a, b, t: fc.temp(I64) };
}

/**
 * Unsigned division and remainder. A divisor below 2^31 - 2^16 takes the inline path: reduce the
 * high word with a 32-bit division, then one double division whose quotient is within 2^-20 of
 * the exact one, corrected with an exact int32 remainder. Anything else calls the runtime's helper.
 */
function divRemU(fc: FunctionCompiler, div: boolean): void {
  const { a, b, t } = divisionOperands(fc);
  if (!div && tunedFor(fc.mc.options, 'remByDoubles')) {
    remU32(fc, a, b, t, fc.temp(F64));
    return;
  }
  const d = b.code;
  fc.emit(`if (${b.hi} === 0 && ${d} > 0 && ${d} < 0x7fff0000) {`);
  const { q, hq, r } = smallDivisor(fc, a.code, a.hi, d, div);
  fc.emit(div ? `  ${t} = ${q} | 0; ${t}h = ${hq} | 0;` : `  ${t} = ${r}; ${t}h = 0;`);
  elseHelper(fc, div ? 'i64DivU' : 'i64RemU', a, b, t);
}

/**
 * Signed division and remainder by a divisor of magnitude 2 to 2^31 - 2^16 (C's `x / 1000` on
 * int64_t): the magnitudes take the unsigned path above, then the signs are applied branch-free
 * (the quotient's is the operands' signs combined, the remainder's the dividend's). Zero, ±1 (so
 * INT64_MIN / -1 traps there) and larger divisors call the runtime's helper.
 */
function divRemS(fc: FunctionCompiler, div: boolean): void {
  const { a, b, t } = divisionOperands(fc);
  const bl = b.code;
  // The divisor is its low word sign-extended, and neither 0 nor ±1.
  fc.emit(`if (${b.hi} === (${bl} >> 31) && ${bl} > -0x7fff0000 && ${bl} < 0x7fff0000 && (${bl} < -1 || ${bl} > 1)) {`);
  const sign = fc.temp(I32);
  const d = fc.temp(I32);
  const ul = fc.temp(I32);
  const uh = fc.temp(I32);
  // |a| as an unsigned pair: each half flipped when negative, the low half's carry into the high.
  fc.emit(`  ${sign} = ${a.hi} >> 31; ${d} = ${bl} < 0 ? 0 - ${bl} : ${bl};`);
  fc.emit(`  ${ul} = ((${a.code} ^ ${sign}) - ${sign}) | 0; ${uh} = ((${a.hi} ^ ${sign}) + (${sign} & ((${ul} === 0) | 0))) | 0;`);
  const { q, hq, r } = smallDivisor(fc, ul, uh, d, div);
  if (div) {
    fc.emit(`  ${sign} ^= ${bl} >> 31;`);
    fc.emit(`  ${t} = ((${q} ^ ${sign}) - ${sign}) | 0; ${t}h = ((${hq} ^ ${sign}) + (${sign} & ((${t} === 0) | 0))) | 0;`);
  } else {
    fc.emit(`  ${t} = ((${r} ^ ${sign}) - ${sign}) | 0; ${t}h = ${t} >> 31;`);
  }
  elseHelper(fc, div ? 'i64DivS' : 'i64RemS', a, b, t);
}

/**
 * The unsigned quotient (q: low word, hq: high word, both doubles) or remainder (r, an int32) of
 * the pair (lo, hi) by `d`, a positive int32 below 2^31 - 2^16, inside the caller's open `if`.
 */
function smallDivisor(fc: FunctionCompiler, lo: string, hi: string, d: string, div: boolean): { q: string; hq: string; r: string } {
  const q = fc.temp(F64);
  const hq = fc.temp(F64);
  const r = fc.temp(I32);
  fc.emit(`  ${hq} = ((${hi} >>> 0) / ${d}) >>> 0;`);
  fc.emit(`  ${q} = Math.floor((((${hi} >>> 0) - ${hq} * ${d}) * ${TWO32} + (${lo} >>> 0)) / ${d});`);
  fc.emit(`  ${r} = (${lo} - Math.imul(${q}, ${d})) | 0;`);
  if (div) fc.emit(`  if (${r} < 0) ${q}--; else if (${r} >= ${d}) ${q}++;`);
  else fc.emit(`  if (${r} < 0) ${r} += ${d}; else if (${r} >= ${d}) ${r} -= ${d};`);
  return { q, hq, r };
}

/**
 * i64.rem_u for an interpreter: a divisor below 2^32 reduces the dividend 16 bits at a time with
 * double `%`, exact since every operand stays below 2^48. Without a JIT this is cheaper than the
 * quotient estimate above, whose Math.floor and Math.imul are calls.
 */
function remU32(fc: FunctionCompiler, a: Entry, b: Entry, t: string, du: string): void {
  fc.emit(`if (${b.hi} === 0 && ${b.code} !== 0) {`);
  fc.emit(`  ${du} = ${b.code} >>> 0;`);
  fc.emit(`  ${t} = (((((${a.hi} >>> 0) % ${du}) * 65536 + (${a.code} >>> 16)) % ${du}) * 65536 + (${a.code} & 65535)) % ${du} | 0; ${t}h = 0;`);
  elseHelper(fc, 'i64RemU', a, b, t);
}

/** Closes an inline fast path with its `else`: the runtime helper `name` of a and b into t, pushed. */
function elseHelper(fc: FunctionCompiler, name: string, a: Entry, b: Entry, t: string): void {
  fc.emit(`} else {`);
  fc.emit(`  ${t} = ${fc.helper(name)}(${a.code}, ${a.hi}, ${b.code}, ${b.hi}); ${t}h = RI[0];`);
  fc.emit(`}`);
  fc.push(simpleEntry(I64, t, `${t}h`));
}

function shift(fc: FunctionCompiler, code: number): void {
  const [a0, b] = fc.popN(2) as [Entry, Entry];
  const a = fc.materialize(a0);
  const k = literal(b.code);
  const lo = a.code;
  const hi = a.hi;
  if (k !== null) {
    const s = k & 63;
    let rl: string, rh: string;
    if (s === 0) { rl = lo; rh = hi; }
    else if (code === Op.I64Shl) {
      if (s < 32) { rl = `(${lo} << ${s})`; rh = `((${hi} << ${s}) | (${lo} >>> ${32 - s}))`; }
      else { rl = '0'; rh = s === 32 ? lo : `(${lo} << ${s - 32})`; }
    } else if (code === Op.I64ShrU) {
      if (s < 32) { rl = `((${lo} >>> ${s}) | (${hi} << ${32 - s}))`; rh = `((${hi} >>> ${s}) | 0)`; }
      else { rl = s === 32 ? hi : `((${hi} >>> ${s - 32}) | 0)`; rh = '0'; }
    } else {
      if (s < 32) { rl = `((${lo} >>> ${s}) | (${hi} << ${32 - s}))`; rh = `(${hi} >> ${s})`; }
      else { rl = s === 32 ? hi : `(${hi} >> ${s - 32})`; rh = `(${hi} >> 31)`; }
    }
    fc.push(derived(I64, rl, [a], true, false, rh));
    return;
  }
  const s = fc.temp(I32);
  const t = fc.temp(I64);
  // The count is evaluated here: what may trap below it on the stack goes first.
  if (!b.pure) fc.spillNonPure();
  fc.emit(`${s} = ${b.code} & 63;`);
  if (code === Op.I64Shl) {
    fc.emit(`if (${s} < 32) { ${t}h = (${hi} << ${s}) | ((${lo} >>> 1) >>> (31 - ${s})); ${t} = ${lo} << ${s}; }`);
    fc.emit(`else { ${t}h = ${lo} << (${s} - 32); ${t} = 0; }`);
  } else if (code === Op.I64ShrU) {
    fc.emit(`if (${s} < 32) { ${t} = (${lo} >>> ${s}) | ((${hi} << 1) << (31 - ${s})); ${t}h = (${hi} >>> ${s}) | 0; }`);
    fc.emit(`else { ${t} = (${hi} >>> (${s} - 32)) | 0; ${t}h = 0; }`);
  } else {
    fc.emit(`if (${s} < 32) { ${t} = (${lo} >>> ${s}) | ((${hi} << 1) << (31 - ${s})); ${t}h = ${hi} >> ${s}; }`);
    fc.emit(`else { ${t} = ${hi} >> (${s} - 32); ${t}h = ${hi} >> 31; }`);
  }
  fc.push(simpleEntry(I64, t, `${t}h`));
}

function rotate(fc: FunctionCompiler, left: boolean): void {
  const [a0, b] = fc.popN(2) as [Entry, Entry];
  const a = fc.materialize(a0);
  const k = literal(b.code);
  if (k !== null) {
    let s = left ? k & 63 : (64 - (k & 63)) & 63;
    let lo = a.code;
    let hi = a.hi;
    if (s >= 32) {
      [lo, hi] = [hi, lo];
      s -= 32;
    }
    if (s === 0) {
      fc.push(derived(I64, lo, [a], true, false, hi));
      return;
    }
    fc.push(derived(I64, `((${lo} << ${s}) | (${hi} >>> ${32 - s}))`, [a], true, false, `((${hi} << ${s}) | (${lo} >>> ${32 - s}))`));
    return;
  }
  const s = fc.temp(I32);
  const t = fc.temp(I64);
  const x = fc.temp(I32);
  const y = fc.temp(I32);
  if (!b.pure) fc.spillNonPure();
  fc.emit(`${s} = ${left ? `${b.code} & 63` : `(64 - (${b.code} & 63)) & 63`};`);
  fc.emit(`if (${s} >= 32) { ${x} = ${a.hi}; ${y} = ${a.code}; ${s} -= 32; } else { ${x} = ${a.code}; ${y} = ${a.hi}; }`);
  fc.emit(`if (${s} === 0) { ${t} = ${x}; ${t}h = ${y}; }`);
  fc.emit(`else { ${t} = (${x} << ${s}) | (${y} >>> (32 - ${s})); ${t}h = (${y} << ${s}) | (${x} >>> (32 - ${s})); }`);
  fc.push(simpleEntry(I64, t, `${t}h`));
}

/** i32 division and remainder: constant divisors need no checks; the rest trap through helpers. */
function i32Division(fc: FunctionCompiler, code: number): void {
  const [a0, b0] = fc.popN(2) as [Entry, Entry];
  const k = literal(b0.code);
  const signed = code === Op.I32DivS || code === Op.I32RemS;
  const div = code === Op.I32DivS || code === Op.I32DivU;
  if (k !== null && k !== 0 && !(signed && k === -1)) {
    const a = operand(a0);
    const js = signed
      ? div ? `((${a} / ${b0.code}) | 0)` : `((${a} % ${b0.code}) | 0)`
      : div ? `(((${a} >>> 0) / ${k >>> 0}) | 0)` : `(((${a} >>> 0) % ${k >>> 0}) | 0)`;
    fc.push(derived(I32, js, [a0]));
    return;
  }
  const a = fc.materialize(a0);
  const b = fc.materialize(b0);
  const zero = `${b.code} === 0 ? ${fc.helper('trapDivByZero')}()`;
  let js: string;
  if (code === Op.I32DivS) {
    js = `(${zero} : ${a.code} === -2147483648 && ${b.code} === -1 ? ${fc.helper('trapIntOverflow')}() : (${a.code} / ${b.code}) | 0)`;
  } else if (code === Op.I32RemS) {
    js = `(${zero} : (${a.code} % ${b.code}) | 0)`;
  } else if (code === Op.I32DivU) {
    js = `(${zero} : ((${a.code} >>> 0) / (${b.code} >>> 0)) | 0)`;
  } else {
    js = `(${zero} : ((${a.code} >>> 0) % (${b.code} >>> 0)) | 0)`;
  }
  fc.push(derived(I32, js, [a, b], false));
  void int;
}
