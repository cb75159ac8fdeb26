// The module generator of the differential execution fuzzer (tools/exec-fuzz.ts): random modules
// that are valid by construction, built directly as bytes by a typed expression generator, plus a
// plan of calls (export, arguments) to run on every engine.
//
// Shape of a generated module:
//   - functions 0..n-1: random bodies (numerics, locals, globals, blocks/loops/ifs with multi-value
//     types, br/br_if/br_table/return/unreachable, calls, call_indirect, tail calls (return_call,
//     return_call_indirect), memory and table ops; in 40% of modules legacy exception handling:
//     tags, throw, try/catch/catch_all/delegate, rethrow; in 25% memory64, with i64 addresses; in
//     30% calls to imported host functions, run through tswasm's JS API: see exec-fuzz-core); in
//     30% typed function references: locals of type (ref null $t), ref.func, ref.null $t,
//     ref.as_non_null, br_on_null, br_on_non_null, typed select, call_ref and return_call_ref; in
//     30% extended constant expressions (i32/i64 add, sub, mul) for integer global initialisers
//     and data and element segment offsets; in 30% atomics (the threads proposal's loads, stores,
//     read-modify-writes, cmpxchg, notify, wait and fence, on the unshared memory: a misaligned
//     address traps, notify returns 0, wait traps);
//   - one wrapper per exported function ("w0", "w1", ...): takes and returns integers in place of
//     floats (reinterpreting them), so no float crosses the JS boundary, where NaN bits may change;
//     it also resets the call budget (below);
//   - "dump": returns every global (floats reinterpreted), so the runner compares their bits;
//   - memory "mem" (with a maximum, so memory.grow is deterministic), a funcref table with some
//     slots filled, data segments (active and passive).
//
// Termination by construction: global 0 is a call budget that every generated function decrements
// on entry (returning zeros when it is exhausted), so a call tree has at most `budget` calls, and
// recursion (direct or through the table) is bounded; every loop has its own counter local, set
// before the loop, and every branch to a loop label is a br_if whose condition decrements the
// counter and is forced to 0 once it runs out (so a loop body runs at most `counter` times).
// Loop bodies thus start with their own code, as Go's dispatch loops do (`loop; block*n;
// local.get x; br_table`), which the generator also produces, sometimes in functions large enough
// for tswasm to split them into several JS functions.
//
// NaNs: the spec lets an arithmetic float instruction return any NaN (canonical NaN of either sign
// when the NaN inputs are canonical, else any quiet NaN). Each module is generated in one of two modes:
//   - 'canon': after every arithmetic float instruction (add, sub, mul, div, sqrt, min, max, ceil,
//     floor, trunc, nearest, promote, demote) the generator inserts a canonicalisation,
//     `local.tee t; fN.const nan; local.get t; local.get t; fN.eq; select`, so the observable result
//     is deterministic. Everything else (consts, params, loads/stores, locals, globals, select, abs,
//     neg, copysign, reinterpret) must preserve NaN bits exactly, so in this mode every result,
//     global and memory byte is compared bit for bit.
//   - 'raw': no canonicalisation; arithmetic NaN bits are left to the engine. The generator tracks
//     which float values may carry such engine-chosen NaN bits ("nondeterministic") and never lets
//     them reach a place that exposes the bits: the operand of i32/i64.reinterpret, the sign operand
//     of copysign (a NaN's sign would become the sign of a non-NaN result), a store to memory, a
//     global.set. Values read from locals, block/call results and
//     params count as nondeterministic; consts, loads, global.get, int conversions and reinterprets
//     and abs/neg/copysign/select of deterministic operands are deterministic. So in this mode
//     memory, globals and integer results are still exact, and only a float *result* of an
//     exported function may differ, and only when it is a NaN on both sides (the runner then still
//     requires tswasm's NaN to be quiet, as an arithmetic NaN must be).
//
// SIMD: half the modules (or all, or none: GenOptions.simd) also use fixed-width SIMD (v128; not
// relaxed SIMD, which is nondeterministic by design): v128 locals, params, results and block types,
// v128.const with lane-shaped special values, every 0xFD instruction of the opcode table (lane ops,
// shuffles, integer and float lane arithmetic, conversions, loads/stores incl. extending, splat,
// zero and lane ones, with addresses near the end of memory), plus folds of a whole v128 into an
// i32/i64 (xor of its lanes) so that SIMD results reach what the runner compares. A v128 never
// crosses the JS boundary: a wrapper takes each v128 param as two i64 (low, high half) and builds it
// with i64x2.splat/replace_lane, and returns each v128 result as its two i64x2 lanes.
// SIMD NaN rules are the scalar ones, lane by lane: f32x4/f64x2 add, sub, mul, div, sqrt, min, max,
// ceil, floor, trunc, nearest, demote and promote are arithmetic (engine-chosen NaN bits); abs, neg,
// pmin, pmax (which return an operand's lane bit for bit), lane moves, bitwise ops, loads and stores
// preserve bits; float compares and trunc_sat do not look at NaN bits.
//   - 'canon': after each arithmetic SIMD instruction, `local.tee t; v128.const nan x N; local.get t;
//     local.get t; fNxM.eq; v128.bitselect` makes every NaN lane the positive canonical NaN.
//   - 'raw': v128 values are always deterministic (locals, params, results, stores, ...), so
//     arithmetic SIMD instructions occur only in 'loose' v128 expressions (FuncGen.genLoose) that
//     feed a float compare or trunc_sat of the same lane shape (results independent of NaN bits), or
//     a float extract_lane whose scalar result may be nondeterministic (see above). A loose value is
//     never reinterpreted with another lane shape: part of an f32 NaN's payload would become part
//     of a (non-NaN) f64 value.
//
// Typed function references: Node 20's engine runs them under --experimental-wasm-typed-funcref,
// but with the proposal's encodings from before Wasm 3.0: (ref null $t) and (ref $t) are 0x6c and
// 0x6b (now 0x63 and 0x64), ref.as_non_null and br_on_null are 0xd3 and 0xd4 (now 0xd4 and 0xd5).
// The generator records where it wrote such a byte, and the plan carries a second copy of the
// module with those bytes rewritten (ModulePlan.nativeBytes), which is what Node's engine runs.
//
// Traps: most modules keep traps occasional (addresses mostly masked into memory, divisors mostly
// made odd, table indices mostly in range) so that most calls run to the end. 'Trappy' modules make
// traps likelier, and some of them are 'order probes', where instructions that can trap often get an
// operand that makes them trap for sure and expressions are plain trees of numeric ops and loads:
// there the first trap in wasm's order decides the outcome, which checks that the compiler, which
// defers operands as JS expressions, keeps that order.

import { Imm, OPCODES, type OpInfo } from '../src/binary/opcodes.js';
import { s32 as sleb, s64, section, str as name, u32 as uleb, vec } from '../test/validate/builder.js';
import { Rng } from './fuzz-rng.js';

export { Rng };

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
/** Only inside generated modules: v128 never crosses the JS boundary (wrappers pass it as two i64). */
export const V128 = 0x7b;
export type NumType = 0x7f | 0x7e | 0x7d | 0x7c | 0x7b;
const NUM_TYPES: readonly NumType[] = [I32, I64, F32, F64];
const SIMD_TYPES: readonly NumType[] = [I32, I64, F32, F64, V128];
export const isFloat = (t: NumType): boolean => t === F32 || t === F64;
export const typeName = (t: NumType): string => ({ 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' })[t];

// ---------------------------------------------------------------------------------------------
// Random numbers


/** The seed of module `index` of a campaign with seed `seed` (so one module is reproducible alone). */
export function moduleSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Interesting values

const f32view = new DataView(new ArrayBuffer(8));
export function f32Bits(x: number): number {
  f32view.setFloat32(0, x, true);
  return f32view.getUint32(0, true);
}
export function f64Bits(x: number): bigint {
  f32view.setFloat64(0, x, true);
  return f32view.getBigUint64(0, true);
}

const I32_SPECIAL = [
  0, 1, -1, 2, -2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, -0x80, 0xff, 0x100, 0x7fff, 0x8000,
  0xffff, 0x10000, 0xfffc, 0xfff8, 0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff, -0x10000, 0x12345678,
  0x55555555, 0xaaaaaaaa | 0, 0xff00ff00 | 0, 0x80000001 | 0, 0xfffffffe | 0,
];
export function randI32(rng: Rng): number {
  switch (rng.weighted([40, 20, 15, 25])) {
    case 0: return rng.pick(I32_SPECIAL);
    case 1: return rng.below(41) - 20;
    case 2: return ((1 << rng.below(32)) + rng.below(3) - 1) | 0;
    default: return rng.u32() | 0;
  }
}

const P = (k: number) => 2n ** BigInt(k);
const I64_SPECIAL: bigint[] = [
  0n, 1n, -1n, 2n, 31n, 32n, 63n, 64n, 65n, 0xffn, 0x7fffffffn, 0x80000000n, -0x80000000n, -0x80000001n,
  0xffffffffn, 0x100000000n, 0x100000001n, -0x100000000n, P(53) - 1n, P(53), P(53) + 1n, -P(53), -P(53) - 1n,
  -P(53) + 1n, P(63) - 1n, -P(63), -P(63) + 1n, P(62), P(32) - 1n, 0x123456789abcdef0n, -0x0123456789abcdefn,
  0x5555555555555555n, -0x5555555555555556n,
];
export function randI64(rng: Rng): bigint {
  switch (rng.weighted([35, 15, 15, 10, 25])) {
    case 0: return rng.pick(I64_SPECIAL);
    case 1: return BigInt(rng.below(41) - 20);
    case 2: return BigInt.asIntN(64, P(rng.below(64)) + BigInt(rng.below(3) - 1));
    case 3: return BigInt(randI32(rng));
    default: return BigInt.asIntN(64, rng.u64());
  }
}

// Float values near the limits of integer conversion (and their negatives): the bit patterns just
// below, at and above these are where truncation starts trapping or saturating.
const CONVERSION_LIMITS = [2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 32 - 1, 2 ** 63, 2 ** 64, 2 ** 53, 2 ** 24, 1, 0.5];

const F32_SPECIAL: number[] = [
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000, 0x7f800001, 0xff800001,
  0x7fffffff, 0xffffffff, 0x7fc00001, 0x7fe12345, 0xff812345, 1, 0x80000001, 0x007fffff, 0x807fffff,
  0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,
  ...[1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, 0.49999997, -0.99999994, 0.1, 100, 2 ** 31, -(2 ** 31),
    2 ** 32, 2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 23, 2 ** 24, 1e30, -1e-30].map(f32Bits),
];
export function randF32Bits(rng: Rng): number {
  switch (rng.weighted([40, 15, 20, 15, 10])) {
    case 0: return rng.pick(F32_SPECIAL);
    case 1: return rng.u32();
    case 2: return f32Bits((rng.below(2001) - 1000) / rng.pick([1, 2, 4, 3, 10]));
    case 3: {
      const limit = rng.pick(CONVERSION_LIMITS) * (rng.chance(0.5) ? -1 : 1);
      return (f32Bits(limit) + rng.below(5) - 2) >>> 0;
    }
    default: return f32Bits((rng.u32() / 0x1_0000_0000 - 0.5) * 2 ** rng.below(70));
  }
}

const F64_SPECIAL: bigint[] = [
  0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n,
  0x7ff0000000000001n, 0x7ff4000000000000n, 0xfff8000000000001n, 0x7fffffffffffffffn, 0xffffffffffffffffn,
  0x7ff8123456789abcn, 1n, 0x8000000000000001n, 0x000fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn,
  0xffefffffffffffffn,
  ...[1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, -0.9999999999999999, 0.1, 2 ** 31, 2 ** 31 - 1, 2147483647.5,
    2147483647.9999998, -2147483648.5, -2147483648.9999995, -2147483649, 2 ** 32, 2 ** 32 - 1, 4294967295.5,
    4294967296.5, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, -(2 ** 63), 2 ** 64, 1e300, -1e-300].map(f64Bits),
];
export function randF64Bits(rng: Rng): bigint {
  switch (rng.weighted([40, 15, 20, 15, 10])) {
    case 0: return rng.pick(F64_SPECIAL);
    case 1: return rng.u64();
    case 2: return f64Bits((rng.below(2001) - 1000) / rng.pick([1, 2, 4, 3, 10]));
    case 3: {
      const limit = rng.pick(CONVERSION_LIMITS) * (rng.chance(0.5) ? -1 : 1);
      return BigInt.asUintN(64, f64Bits(limit) + BigInt(rng.below(5) - 2));
    }
    default: return f64Bits((rng.u32() / 0x1_0000_0000 - 0.5) * 2 ** rng.below(140));
  }
}

/** A random value of type t as the runner passes it: an integer, floats as their bits (unsigned). */
export function randArg(rng: Rng, t: NumType): bigint {
  switch (t) {
    case I32: return BigInt(randI32(rng));
    case I64: return randI64(rng);
    case F32: return BigInt(randF32Bits(rng));
    case F64: return randF64Bits(rng);
    case V128: return randV128(rng);
  }
}

/**
 * A random v128 as an unsigned 128-bit integer (lane 0 in the low bits): lanes of one shape drawn
 * from that shape's special values, often all equal (a splat), or random bytes.
 */
export function randV128(rng: Rng): bigint {
  const shape = rng.below(7);
  if (shape === 6) return (rng.u64() << 64n) | rng.u64();
  const bits = [8, 16, 32, 64, 32, 64][shape]!;
  const lane = (): bigint => {
    switch (shape) {
      case 0: return BigInt(rng.chance(0.5) ? rng.pick([0, 1, 0x7f, 0x80, 0x81, 0xff, 0xfe, 0x40]) : rng.below(256));
      case 1: return BigInt(rng.chance(0.5) ? rng.pick([0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0xfffe, 0x4000, 0xff, 0x100]) : rng.below(65536));
      case 2: return BigInt(randI32(rng));
      case 3: return randI64(rng);
      case 4: return BigInt(randF32Bits(rng));
      default: return randF64Bits(rng);
    }
  };
  const splat = rng.chance(0.4);
  const first = lane();
  let v = 0n;
  for (let i = 0; i < 128 / bits; i++) v |= BigInt.asUintN(bits, splat ? first : lane()) << BigInt(i * bits);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Encoding

// LEB128 and vectors from the validator tests' encoder; the generator's values are wrapped to
// 32 bits first.
const u32 = (n: number): number[] => uleb(n >>> 0);
const s32 = (n: number): number[] => sleb(n | 0);

/**
 * A constant expression (without its `end`) of type t and value v: a plain const, or with
 * `extended` often an equal sum, difference or product of consts (the extended-const proposal,
 * which Node 20 runs under --experimental-wasm-extended-const). Only integers have such ops.
 */
function constExprBytes(rng: Rng, t: NumType, v: bigint, extended: boolean): number[] {
  if (!extended || (t !== I32 && t !== I64) || rng.chance(0.3)) return constBytes(t, v);
  const bits = t === I32 ? 32 : 64;
  const wrap = (x: bigint) => BigInt.asIntN(bits, x);
  const [add, sub, mul] = t === I32 ? [0x6a, 0x6b, 0x6c] : [0x7c, 0x7d, 0x7e];
  const a = randArg(rng, t);
  switch (rng.below(3)) {
    case 0: return [...constExprBytes(rng, t, a, rng.chance(0.3)), ...constBytes(t, wrap(v - a)), add];
    case 1: return [...constBytes(t, a), ...constExprBytes(rng, t, wrap(a - v), rng.chance(0.3)), sub];
    default: { // a * b + (v - a * b)
      const b = BigInt(1 + rng.below(7));
      return [...constBytes(t, a), ...constBytes(t, b), mul, ...constBytes(t, wrap(v - wrap(a * b))), add];
    }
  }
}

function constBytes(t: NumType, v: bigint): number[] {
  switch (t) {
    case I32: return [0x41, ...s32(Number(BigInt.asIntN(32, v)))];
    case I64: return [0x42, ...s64(v)];
    case F32: {
      const b = Number(BigInt.asUintN(32, v));
      return [0x43, b & 0xff, (b >>> 8) & 0xff, (b >>> 16) & 0xff, b >>> 24];
    }
    case F64: {
      const out = [0x44];
      let b = BigInt.asUintN(64, v);
      for (let i = 0; i < 8; i++, b >>= 8n) out.push(Number(b & 0xffn));
      return out;
    }
    case V128: {
      const out = [0xfd, 0x0c];
      let b = BigInt.asUintN(128, v);
      for (let i = 0; i < 16; i++, b >>= 8n) out.push(Number(b & 0xffn));
      return out;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Instructions from the opcode table

type Shape = 'f32x4' | 'f64x2';

interface NumOp {
  readonly name: string;
  readonly bytes: readonly number[];
  readonly params: readonly NumType[];
  readonly result: NumType;
  /** An arithmetic float instruction: a NaN result has engine-chosen bits. */
  readonly arith: boolean;
  /** Per operand: the instruction exposes the operand's NaN bits (reinterpret; copysign's sign). */
  readonly exposesBits: readonly boolean[];
  /** Immediates after the opcode (lane index, shuffle pattern). */
  readonly imm?: (rng: Rng) => number[];
  /**
   * SIMD only: the float shape of the lanes of the v128 operands, when these operands may hold
   * engine-chosen NaN bits in that shape ('loose' values, raw mode): either the instruction's
   * result does not depend on NaN bits at all (float compares, trunc_sat: `blind`), or it carries
   * them into a float result lane of the same kind (arithmetic, abs, neg, pmin/pmax, lane access).
   */
  readonly looseShape?: Shape;
  readonly blind?: boolean;
  /** SIMD only, with looseShape and a v128 result: the float shape of the result lanes. */
  readonly resultShape?: Shape;
}

const opBytes = (op: OpInfo): number[] => (op.prefix === 0 ? [op.sub] : [op.prefix, ...u32(op.sub)]);
const NUMERIC = new Set<number>(NUM_TYPES);
const SCALAR_FEATURES = new Set(['mvp', 'sign_extension', 'saturating_float_to_int']);
const ARITH = /^f(32|64)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64|promote_f32)$/;

/** Every numeric instruction of Wasm 1.0 + sign extension + saturating truncation (one result). */
export const NUM_OPS: readonly NumOp[] = OPCODES.filter((o) =>
  SCALAR_FEATURES.has(o.feature) && o.imm === Imm.None && o.params !== null && o.results !== null &&
  o.params.length >= 1 && o.results.length === 1 && [...o.params, ...o.results].every((t) => NUMERIC.has(t)),
).map((o) => ({
  name: o.name,
  bytes: opBytes(o),
  params: o.params as NumType[],
  result: o.results![0] as NumType,
  arith: ARITH.test(o.name),
  exposesBits: /reinterpret_f(32|64)$/.test(o.name) ? [true] : o.name.endsWith('.copysign') ? [false, true] : o.params!.map(() => false),
}));

// Fixed-width SIMD (not relaxed SIMD). NaN rules, per lane, as for scalars: the arithmetic float
// instructions below return engine-chosen NaN bits; abs, neg, pmin, pmax (which return one operand
// exactly), lane extraction/replacement, splats, loads, stores, bitwise ops and shuffles preserve
// bits; float compares and trunc_sat do not depend on NaN bits; conversions from integers never
// make NaNs.
const SIMD_ARITH = /^f(32x4|64x2)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64x2_zero|promote_low_f32x4)$/;
const SIMD_BLIND = /^(f(32x4|64x2)\.(eq|ne|lt|gt|le|ge)|i32x4\.trunc_sat_f(32x4|64x2)_[su](_zero)?)$/;
const SIMD_FOLLOW = /^f(32x4|64x2)\.(abs|neg|pmin|pmax|extract_lane|replace_lane)$/;
const SIMD_TYPES_SET = new Set<number>(SIMD_TYPES);

function simdOp(o: OpInfo): NumOp {
  const params = o.params as NumType[];
  const result = o.results![0] as NumType;
  const arith = SIMD_ARITH.test(o.name);
  const blind = SIMD_BLIND.test(o.name);
  const follows = arith || SIMD_FOLLOW.test(o.name);
  const nameShape = o.name.slice(0, 5) as Shape;
  let looseShape: Shape | undefined;
  if (blind) looseShape = /f64x2/.test(o.name) ? 'f64x2' : 'f32x4';
  else if (follows) looseShape = o.name === 'f32x4.demote_f64x2_zero' ? 'f64x2' : o.name === 'f64x2.promote_low_f32x4' ? 'f32x4' : nameShape;
  const imm = o.imm === Imm.Lane ? (rng: Rng) => [rng.below(o.lanes)]
    : o.imm === Imm.Shuffle ? (rng: Rng) => Array.from({ length: 16 }, () => (rng.chance(0.2) ? rng.below(16) + 16 * rng.below(2) : rng.below(32)))
      : undefined;
  return {
    name: o.name,
    bytes: opBytes(o),
    params,
    result,
    arith,
    // A v128 operand of any other instruction exposes its bits (e.g. as integer lanes); a scalar
    // float operand always does (v128 values are kept deterministic, see FuncGen.genLoose).
    exposesBits: params.map((p) => (p === V128 ? !follows && !blind : isFloat(p))),
    ...(imm ? { imm } : {}),
    ...(looseShape ? { looseShape } : {}),
    ...(blind ? { blind } : {}),
    ...(follows && result === V128 ? { resultShape: nameShape } : {}),
  };
}

/** Every fixed-width SIMD instruction that is not a memory access or v128.const (one result). */
export const SIMD_OPS: readonly NumOp[] = OPCODES.filter((o) =>
  o.feature === 'simd' && [Imm.None, Imm.Lane, Imm.Shuffle].includes(o.imm) && o.params !== null && o.results !== null &&
  o.params.length >= 1 && o.results.length === 1 && [...o.params, ...o.results].every((t) => SIMD_TYPES_SET.has(t)),
).map(simdOp);

interface OpTables {
  readonly byResult: Map<NumType, NumOp[]>;
  readonly unaryByTypes: Map<string, NumOp[]>;
  readonly binaryByOperand: Map<NumType, NumOp[]>;
  readonly unaryFrom: Map<NumType, NumOp[]>;
}
const unaryKey = (from: NumType, to: NumType) => `${from}:${to}`;
function opTables(ops: readonly NumOp[], types: readonly NumType[]): OpTables {
  const unaryByTypes = new Map<string, NumOp[]>();
  const binaryByOperand = new Map<NumType, NumOp[]>(types.map((t) => [t, []]));
  for (const op of ops) {
    if (op.params.length === 1) {
      const k = unaryKey(op.params[0]!, op.result);
      if (!unaryByTypes.has(k)) unaryByTypes.set(k, []);
      unaryByTypes.get(k)!.push(op);
    } else if (op.params.length === 2 && op.params[0] === op.params[1]) {
      binaryByOperand.get(op.params[0]!)!.push(op);
    }
  }
  return {
    byResult: new Map(types.map((t) => [t, ops.filter((o) => o.result === t)])),
    unaryByTypes,
    binaryByOperand,
    unaryFrom: new Map(types.map((t) => [t, ops.filter((o) => o.params.length === 1 && o.params[0] === t)])),
  };
}
const SCALAR_TABLES = opTables(NUM_OPS, NUM_TYPES);
const SIMD_TABLES = opTables([...NUM_OPS, ...SIMD_OPS], SIMD_TYPES);
const V128_NON_COMPARE = SIMD_OPS.filter((o) => o.result === V128 && !/\.(eq|ne|lt|gt|le|ge)(_[su])?$/.test(o.name));

/** Float compares and trunc_sat: results independent of NaN bits (see FuncGen.genLoose). */
const BLIND_V128 = SIMD_OPS.filter((o) => o.blind);
/** Loose-value producers by result shape (see FuncGen.genLoose). */
const LOOSE_PRODUCERS = new Map<Shape, NumOp[]>((['f32x4', 'f64x2'] as const).map((s) => [s, SIMD_OPS.filter((o) => o.resultShape === s)]));

interface MemOp {
  readonly name: string;
  readonly bytes: readonly number[];
  readonly type: NumType;
  readonly width: number;
  readonly alignLog: number;
}
const MEM_OPS = OPCODES.filter((o) => (o.feature === 'mvp' || o.feature === 'simd') && o.imm === Imm.MemArg);
const LOADS: readonly MemOp[] = MEM_OPS.filter((o) => o.results!.length === 1).map((o) => ({
  name: o.name, bytes: opBytes(o), type: o.results![0] as NumType, width: 1 << o.align, alignLog: o.align,
}));
const STORES: readonly MemOp[] = MEM_OPS.filter((o) => o.results!.length === 0).map((o) => ({
  name: o.name, bytes: opBytes(o), type: o.params![1] as NumType, width: 1 << o.align, alignLog: o.align,
}));

const I64_LOAD = LOADS.find((o) => o.name === 'i64.load')!;

/** v128.load8_lane .. v128.store64_lane: address, v128 (and memarg, lane index). */
const LANE_MEM_OPS = OPCODES.filter((o) => o.feature === 'simd' && o.imm === Imm.MemArgLane).map((o) => ({
  name: o.name, bytes: opBytes(o), width: 1 << o.align, lanes: o.lanes, load: o.results!.length === 1,
}));

/** The threads proposal's memory instructions (atomic.fence apart): address first, then values of their types. */
interface AtomicOp {
  readonly name: string;
  readonly bytes: readonly number[];
  readonly params: readonly NumType[];
  readonly result: NumType | null;
  /** log2 of the natural alignment, the only one atomics allow. */
  readonly align: number;
}
const ATOMIC_OPS: readonly AtomicOp[] = OPCODES.filter((o) => o.feature === 'threads' && o.imm === Imm.MemArg).map((o) => ({
  name: o.name, bytes: opBytes(o), params: o.params!.slice(1) as NumType[],
  result: (o.results![0] ?? null) as NumType | null, align: o.align,
}));
export const ATOMIC_OP_NAMES: readonly string[] = ATOMIC_OPS.map((o) => o.name);

/** Names of every instruction the generator can emit as a numeric op (for coverage reports). */
export const GENERATED_OP_NAMES: readonly string[] = [...NUM_OPS, ...SIMD_OPS, ...LOADS, ...STORES, ...LANE_MEM_OPS].map((o) => o.name);

// ---------------------------------------------------------------------------------------------
// Module plan

export interface FuncSig {
  readonly params: readonly NumType[];
  readonly results: readonly NumType[];
}
export interface ExportPlan {
  /** Name of the wrapper export. */
  readonly name: string;
  /** The generated function it calls. */
  readonly func: number;
  /**
   * The generated function's signature, with each v128 as two i64 (low and high half); the
   * wrapper's has integers in place of floats.
   */
  readonly params: readonly NumType[];
  readonly results: readonly NumType[];
}
export interface CallPlan {
  readonly exportIndex: number;
  /** Arguments of the generated function: integers, floats as their (unsigned) bits. */
  readonly args: readonly bigint[];
}
export interface ModulePlan {
  readonly bytes: Uint8Array;
  /** The same module in the encodings Node 20's engine reads (differs only with typed function references). */
  readonly nativeBytes: Uint8Array;
  /** Whether the module uses typed function references. */
  readonly funcRefs: boolean;
  /** Whether its constant expressions may be extended ones. */
  readonly extendedConst: boolean;
  /** Whether its functions use atomic memory instructions. */
  readonly atomics: boolean;
  readonly mode: 'canon' | 'raw';
  readonly simd: boolean;
  /** Whether the memory is a memory64 one. */
  readonly memory64: boolean;
  /** Signatures of the imported host functions "env" "h0", "h1", ... (integers only). */
  readonly hostImports: readonly FuncSig[];
  readonly exports: readonly ExportPlan[];
  readonly calls: readonly CallPlan[];
  /** Types of the globals, in the order "dump" returns them. */
  readonly globals: readonly NumType[];
}

interface GlobalDef {
  readonly type: NumType;
  readonly mutable: boolean;
  readonly init: bigint;
}
interface Label {
  /** 'try': a legacy try's body; 'catch': one of its catch or catch_all clauses (rethrow's target). */
  readonly kind: 'block' | 'loop' | 'if' | 'func' | 'try' | 'catch';
  /** The types a branch to this label carries. */
  readonly types: readonly NumType[];
  /** For loops, the local counting the remaining iterations. */
  readonly counter: number;
}

const sameTypes = (a: readonly NumType[], b: readonly NumType[]) => a.length === b.length && a.every((t, i) => t === b[i]);
const sameBytes = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** Wasm 3.0's byte -> the function-references proposal's, as Node 20's engine reads it (see the header). */
const NATIVE_ENCODING = new Map([[0x63, 0x6c], [0x64, 0x6b], [0xd4, 0xd3], [0xd5, 0xd4]]);

class ModuleGen {
  readonly types: FuncSig[] = [];
  private readonly typeKeys = new Map<string, number>();
  readonly funcs: (FuncSig & { type: number })[] = [];
  readonly globals: GlobalDef[] = [];
  memMin = 1;
  memMax = 2;
  tableMin = 0;
  tableMax = 0;
  /** Table contents after instantiation (function index or null), as far as the generator knows. */
  tableInit: (number | null)[] = [];
  readonly active: { offset: number; bytes: number[] }[] = [];
  readonly passive: number[][] = [];
  /**
   * Trappy modules make out-of-bounds addresses, zero divisors and bad table indices likelier:
   * more calls trap, and more expressions hold two instructions that could trap (their order).
   */
  readonly trappy: boolean;
  /**
   * Order-probe modules go further: each instruction that can trap often gets an operand that
   * makes it trap for sure (an address past the maximum memory, a zero divisor, a NaN to truncate,
   * a table index past the maximum), so the first trap in wasm's order decides the outcome.
   */
  readonly probe: boolean;
  /**
   * Exception-handling modules use legacy exception handling (which Node 20 runs natively): tags,
   * throw, try with catch/catch_all/delegate, rethrow. Wrappers catch what escapes (see generateModule).
   */
  readonly eh: boolean;
  /**
   * memory64: the memory takes i64 addresses (loads, stores, bulk operations, size and grow,
   * data segment offsets); addresses and offsets beyond 4 GiB must trap. Node 20 runs it under
   * --experimental-wasm-memory64 (exec-fuzz-core sets the flag).
   */
  readonly mem64: boolean;
  /** Typed function references (see the header): ref locals, call_ref, br_on_null, ... */
  readonly funcRefs: boolean;
  /** Extended constant expressions in global initialisers and segment offsets. */
  readonly extendedConst: boolean;
  /** Atomic memory instructions (the threads proposal; the memory stays unshared). */
  readonly atomics: boolean;
  /** Each tag's parameter types. */
  readonly tags: NumType[][] = [];
  /**
   * Functions imported from the host ("env" "h0", ...: integers only, so no float crosses JS),
   * which the runner implements the same way for Node's engine and tswasm's JS API (see
   * exec-fuzz-core's host functions). They come first in the function index space.
   */
  readonly hostImports: FuncSig[] = [];

  /** The function index of generated function f (after the imports). */
  fi(f: number): number {
    return f + this.hostImports.length;
  }

  /** A random call target: an import or a generated function (its index and signature). */
  callTarget(): { index: number; sig: FuncSig } {
    const k = this.rng.below(this.hostImports.length + this.funcs.length);
    return { index: k, sig: k < this.hostImports.length ? this.hostImports[k]! : this.funcs[k - this.hostImports.length]! };
  }

  /** The value types of locals, params, results and block types: the numeric ones, plus v128 with SIMD. */
  readonly valTypes: readonly NumType[];
  readonly ops: OpTables;

  constructor(readonly rng: Rng, readonly raw: boolean, readonly simd: boolean, options: GenOptions) {
    this.trappy = rng.chance(0.35);
    this.probe = this.trappy && rng.chance(0.5);
    this.eh = rng.chance(0.4);
    this.mem64 = rng.chance(0.25);
    // Drawn even when an option forces them, so that the rest of the module stays the same.
    const draw = (p: number, forced: boolean | undefined) => {
      const drawn = rng.chance(p);
      return forced ?? drawn;
    };
    this.funcRefs = draw(0.3, options.funcRefs);
    this.extendedConst = draw(0.3, options.extendedConst);
    this.atomics = draw(0.3, options.atomics);
    this.valTypes = simd ? SIMD_TYPES : NUM_TYPES;
    this.ops = simd ? SIMD_TABLES : SCALAR_TABLES;
  }

  typeIndex(params: readonly NumType[], results: readonly NumType[]): number {
    const key = `${params.join(',')}>${results.join(',')}`;
    let idx = this.typeKeys.get(key);
    if (idx === undefined) {
      idx = this.types.length;
      this.types.push({ params: [...params], results: [...results] });
      this.typeKeys.set(key, idx);
    }
    return idx;
  }
  get dataCount(): number {
    return this.active.length + this.passive.length;
  }
  randTypes(max: number): NumType[] {
    const n = this.rng.below(max + 1);
    // With SIMD, v128 is likelier than the other types: a v128 result is observed whole (the wrapper
    // returns its halves), a v128 param brings random lanes in.
    return Array.from({ length: n }, () => (this.simd && this.rng.chance(0.3) ? V128 : this.rng.pick(this.valTypes)));
  }
}

// ---------------------------------------------------------------------------------------------
// Function bodies

const MAX_LOOP_NEST = 2;

class FuncGen {
  readonly code: number[] = [];
  /** Where `code` holds a byte Node 20's engine reads in the proposal's encoding (see the header). */
  readonly patches: number[] = [];
  readonly locals: NumType[];
  /** Locals of type (ref null $t): local index -> type index (their slot in `locals` is a placeholder). */
  private readonly refLocals = new Map<number, number>();
  /** Locals random code may read and write (not counters, scratch or canonicalisation temps). */
  private readonly user = new Map<NumType, number[]>(SIMD_TYPES.map((t) => [t, []]));
  private readonly scratch = new Map<NumType, number>();
  private readonly canonTemp = new Map<NumType, number>();
  private readonly labels: Label[];
  private fuel: number;
  private depth = 0;
  private readonly maxDepth: number;
  private loopDepth = 0;
  private readonly rng: Rng;

  constructor(private readonly m: ModuleGen, private readonly sig: FuncSig, private readonly big = false) {
    this.rng = m.rng;
    this.locals = [...sig.params];
    sig.params.forEach((t, i) => this.user.get(t)!.push(i));
    for (const t of m.randTypes(4)) this.user.get(t)!.push(this.newLocal(t));
    this.labels = [{ kind: 'func', types: sig.results, counter: -1 }];
    this.fuel = 10 + this.rng.below(140);
    this.maxDepth = 4 + this.rng.below(4);
  }

  private e(...bytes: number[]): void {
    for (const b of bytes) this.code.push(b);
  }
  private newLocal(t: NumType): number {
    this.locals.push(t);
    return this.locals.length - 1;
  }
  /** A byte whose encoding differs in Node 20's engine (a reference type or opcode; see the header). */
  private patched(byte: number): void {
    this.patches.push(this.code.length);
    this.code.push(byte);
  }
  private scratchOf(t: NumType): number {
    let i = this.scratch.get(t);
    if (i === undefined) this.scratch.set(t, (i = this.newLocal(t)));
    return i;
  }
  /**
   * Whether a value of type t must have deterministic bits (raw mode, floats only). A v128 always
   * must: v128 values with engine-chosen NaN lanes are made only by genLoose, for consumers that
   * cannot expose the bits, so v128 locals, params, results and block values are all deterministic.
   */
  private strict(t: NumType, det: boolean): boolean {
    return this.m.raw && (t === V128 || (det && isFloat(t)));
  }

  /** The whole body: the budget prologue, then code leaving the results. */
  body(): void {
    const rs = this.sig.results;
    // if (budget == 0) return zeros; budget -= 1
    this.e(0x23, 0, 0x45, 0x04, 0x40);
    for (const t of rs) this.e(...constBytes(t, 0n));
    this.e(0x0f, 0x0b, 0x23, 0, 0x41, 1, 0x6b, 0x24, 0);
    if (this.big) this.dispatchLoop(true);
    this.stackBody([], rs);
    this.e(0x0b);
  }

  private canonicalize(t: NumType, shape?: Shape): void {
    if (this.m.raw || !(isFloat(t) || shape !== undefined)) return;
    let tmp = this.canonTemp.get(t);
    if (tmp === undefined) this.canonTemp.set(t, (tmp = this.newLocal(t)));
    this.e(0x22, ...u32(tmp));
    if (t === V128) {
      // local.tee t; v128.const nan*; local.get t; local.get t; fNxM.eq; v128.bitselect
      const nan = shape === 'f32x4' ? 0x7fc000007fc000007fc000007fc00000n : 0x7ff80000000000007ff8000000000000n;
      this.e(...constBytes(V128, nan), 0x20, ...u32(tmp), 0x20, ...u32(tmp), 0xfd, ...u32(shape === 'f32x4' ? 0x41 : 0x47), 0xfd, ...u32(0x52));
      return;
    }
    this.e(...(t === F32 ? constBytes(F32, 0x7fc00000n) : constBytes(F64, 0x7ff8000000000000n)));
    this.e(0x20, ...u32(tmp), 0x20, ...u32(tmp), t === F32 ? 0x5b : 0x61, 0x1b);
  }

  private emitOp(op: NumOp): void {
    this.e(...op.bytes);
    if (op.imm) this.e(...op.imm(this.rng));
    if (op.arith) this.canonicalize(op.result, op.resultShape);
  }

  private pushConst(t: NumType): void {
    const rng = this.rng;
    this.e(...constBytes(t, randArg(rng, t)));
  }

  private leaf(t: NumType, det: boolean): void {
    const locals = this.strict(t, det) && t !== V128 ? [] : this.user.get(t)!;
    const globals = this.m.globals.flatMap((g, i) => (g.type === t ? [i] : []));
    const r = this.rng.below(100);
    if (locals.length > 0 && r < 45) this.e(0x20, ...u32(this.rng.pick(locals)));
    else if (globals.length > 0 && r < 60) this.e(0x23, ...u32(this.rng.pick(globals)));
    else this.pushConst(t);
  }

  /** Emits code pushing one value of type t (deterministic bits if `det`, see the header). */
  gen(t: NumType, det = false): void {
    if (this.fuel <= 0 || this.depth >= this.maxDepth) return this.leaf(t, det);
    this.fuel--;
    this.depth++;
    const strict = this.strict(t, det);
    const opts: [number, () => void][] = [];
    // A third of the v128 instructions are lane compares, whose all-ones/all-zeros lanes would
    // hide most of what their operands computed: they get half of their share.
    const all = t === V128 && this.rng.chance(0.5) ? V128_NON_COMPARE : this.m.ops.byResult.get(t)!;
    const ops = strict ? all.filter((o) => !o.arith) : all;
    // v128 trees are kept shallow: most SIMD instructions lose information (compares, narrowing,
    // half-width extends and products, float ops on integer data), so a deep tree would seldom
    // carry a wrong lane to a place the runner observes.
    opts.push([t === V128 ? 30 : 12, () => this.leaf(t, det)]);
    // Order probes favour plain expression trees, where the compiler defers operands the most.
    opts.push([this.m.probe ? 110 : 38, () => this.numOp(this.rng.pick(ops), strict)]);
    opts.push([this.m.probe ? 25 : 7, () => this.load(t)]);
    if (this.m.atomics && (t === I32 || t === I64)) opts.push([this.m.probe ? 10 : 5, () => this.atomic(t)]);
    // Every lane of a v128 folded into an integer, so that all of a SIMD computation is observable.
    if (this.m.simd && (t === I32 || t === I64)) opts.push([this.m.probe ? 8 : 18, () => this.foldV128(t)]);
    if (t === V128) {
      opts.push([3, () => this.laneLoad()]);
      // Float lanes computed with engine-chosen NaN bits, then compared or truncated (raw mode).
      if (this.m.raw) opts.push([8, () => this.numOp(this.rng.pick(BLIND_V128), true)]);
    }
    opts.push([4, () => this.select(t, det)]);
    if (this.user.get(t)!.length > 0) opts.push([3, () => this.tee(t, det)]);
    opts.push([4, () => { this.stmt(); this.gen(t, det); }]);
    opts.push([1.5, () => this.branchAway()]);
    if (!strict) {
      opts.push([4, () => this.call(t)]);
      if (this.m.types.length > 0) opts.push([3, () => this.callIndirect(t)]);
      if (this.m.funcRefs) opts.push([4, () => this.callRef(t)]);
      opts.push([2.5, () => this.blockExpr(t)]);
      opts.push([3, () => this.ifExpr(t)]);
      if (this.loopDepth < MAX_LOOP_NEST) opts.push([2.5, () => this.loopExpr(t)]);
      opts.push([3, () => this.multiExpr(t)]);
      opts.push([3, () => this.brIfExpr(t)]);
      if (this.m.eh) opts.push([3, () => this.tryExpr(t)]);
      if (this.m.eh) opts.push([1.5, () => { this.tryExpr(null); this.gen(t, det); }]);
      if (this.m.tags.length > 0) opts.push([2, () => this.throwAway()]);
    }
    if (t === I32) {
      // memory64: size and grow are i64 (wrapped here; the delta is extended).
      const wrap = this.m.mem64 ? [0xa7] : [];
      opts.push([1.5, () => this.e(0x3f, 0, ...wrap)]); // memory.size
      opts.push([1.5, () => { this.growDelta(); if (this.m.mem64) this.e(0xad); this.e(0x40, 0, ...wrap); }]); // memory.grow
      opts.push([0.7, () => this.e(0xfc, 0x10, 0)]); // table.size
      opts.push([0.7, () => { this.refValue(); this.growDelta(); this.e(0xfc, 0x0f, 0); }]); // table.grow
      opts.push([1.2, () => { this.tableIndex(); this.e(0x25, 0, 0xd1); }]); // ref.is_null (table.get)
    }
    const choice = this.rng.weighted(opts.map((o) => o[0]));
    opts[choice]![1]();
    this.depth--;
  }

  private numOp(op: NumOp, strict: boolean): void {
    const divides = /\.(div|rem)_[su]$/.test(op.name);
    op.params.forEach((p, i) => {
      // Raw mode: a v128 operand that may carry engine-chosen NaN lanes (see genLoose).
      if (p === V128 && this.m.raw && op.looseShape !== undefined && (op.blind || (op.result !== V128 && !this.strict(op.result, strict)))) {
        this.genLoose(op.looseShape);
        return;
      }
      const det = op.exposesBits[i]! || (strict && isFloat(p));
      // Trappy modules often divide by 0 or -1 outright.
      if (i === 1 && divides && this.m.trappy && this.rng.chance(this.m.probe ? 0.4 : 0.2)) {
        this.e(...constBytes(p, this.rng.chance(0.7) ? 0n : -1n));
        return;
      }
      if (this.m.probe && /\.trunc_f(32|64)_[su]$/.test(op.name) && this.rng.chance(0.3)) {
        this.e(...(p === F32 ? constBytes(F32, BigInt(f32Bits(this.rng.pick([NaN, 1e30, -1e30])))) : constBytes(F64, f64Bits(this.rng.pick([NaN, 1e300, -1e300])))));
        return;
      }
      this.gen(p, det);
      // Divisors are usually made odd so that division traps are common but not dominant.
      if (i === 1 && divides && this.rng.chance(this.m.trappy ? 0.2 : 0.6)) {
        this.e(...constBytes(p, 1n), p === I32 ? 0x72 : 0x84);
      }
    });
    this.emitOp(op);
  }

  private memarg(width: number): void {
    const maxAlign = Math.log2(width);
    const align = this.rng.chance(0.7) ? maxAlign : this.rng.below(maxAlign + 1);
    const r = this.rng.below(100);
    const offset = r < (this.m.trappy ? 70 : 86) ? this.rng.below(16) : r < (this.m.trappy ? 90 : 98) ? this.rng.below(300) :
      this.rng.pick([65535, 65536, 65536 - width, 65536 * this.m.memMax - width, 0x7fffffff, 0xffffffff]);
    // memory64 offsets are u64 (uleb: any value below 2^53): sometimes past 4 GiB, where any access traps.
    if (this.m.mem64 && this.rng.chance(0.03)) {
      this.e(...u32(align), ...uleb(2 ** 32 + this.rng.pick([0, 1, 65536, 2 ** 40])));
      return;
    }
    this.e(...u32(align), ...u32(offset));
  }

  /**
   * Pushes an address (i64 for memory64: an i32 one zero-extended, or one with high bits set, or
   * any i64): mostly small, sometimes at the end of memory or anywhere.
   */
  private addr(width: number): void {
    if (!this.m.mem64) return this.addr32(width);
    switch (this.rng.weighted([80, 6, 6, 8])) {
      case 0:
        this.addr32(width, true);
        this.e(0xad); // i64.extend_i32_u
        break;
      case 1: // memory.size * 65536 - k, in i64
        this.e(0x3f, 0, 0x42, 16, 0x86, 0x42, ...s32(1 + this.rng.below(width + 4)), 0x7d);
        break;
      case 2:
        this.e(...constBytes(I64, this.rng.pick([1n << 32n, (1n << 32n) + 8n, -1n, -BigInt(width), 1n << 63n, (1n << 33n) - 1n])));
        break;
      default:
        this.gen(I64);
    }
  }

  private addr32(width: number, noSize = false): void {
    if (this.m.probe && this.rng.chance(0.3)) {
      this.e(0x41, ...s32(65536 * this.m.memMax + this.rng.below(1000)));
      return;
    }
    switch (this.rng.weighted(this.m.trappy ? [40, 20, 15, 10, 15] : [55, 27, 6, 6, 6])) {
      case 0:
        this.gen(I32);
        this.e(0x41, ...s32(this.rng.pick([0xff, 0x3ff, 0xfff, 0xffff])), 0x71);
        break;
      case 1:
        this.e(0x41, ...s32(this.rng.below(256)));
        break;
      case 2: // memory.size * 65536 - k: straddles the current end of memory
        if (noSize) this.e(0x41, ...s32(65536 * this.m.memMin - this.rng.below(width + 4)));
        else this.e(0x3f, 0, 0x41, 16, 0x74, 0x41, ...s32(1 + this.rng.below(width + 4)), 0x6b);
        break;
      case 3:
        this.e(0x41, ...s32(65536 * this.rng.below(this.m.memMax + 1) - this.rng.below(width + 4)));
        break;
      default:
        this.gen(I32);
    }
  }

  private load(t: NumType, op = this.rng.pick(LOADS.filter((o) => o.type === t && (this.m.simd || o.type !== V128)))): void {
    this.addr(op.width);
    this.e(...op.bytes);
    this.memarg(op.width);
  }

  private store(): void {
    const op = this.rng.pick(this.m.simd ? STORES : STORES.filter((o) => o.type !== V128));
    this.addr(op.width);
    // Half of the full-width i64 stores store a load of the same width: Go's moves of two-word
    // values, which tswasm writes as one float64 read and write.
    if (op.name === 'i64.store' && this.rng.chance(0.5)) this.load(I64, I64_LOAD);
    else this.gen(op.type, true);
    this.e(...op.bytes);
    this.memarg(op.width);
  }

  /**
   * An atomic instruction whose result is a t (a load, read-modify-write, cmpxchg, notify or wait),
   * or with t null a store. Its address is usually aligned (a misaligned one traps).
   */
  private atomic(t: NumType | null): void {
    const ops = ATOMIC_OPS.filter((o) => o.result === t && (!/wait/.test(o.name) || this.rng.chance(0.1)));
    const op = this.rng.pick(ops);
    const width = 1 << op.align;
    this.addr(width);
    const aligned = width > 1 && this.rng.chance(this.m.trappy ? 0.6 : 0.9);
    if (aligned) this.e(...(this.m.mem64 ? [...constBytes(I64, BigInt(-width)), 0x83] : [0x41, ...s32(-width), 0x71]));
    for (const p of op.params) this.gen(p, true);
    this.e(...op.bytes);
    // The alignment immediate must be the natural one; the offset mostly keeps the address aligned.
    const offset = this.rng.below(100) < 90 ? width * this.rng.below(8) : this.rng.pick([1, 3, 65536, 65536 * this.m.memMax - width]);
    this.e(...u32(op.align), ...u32(offset));
  }

  /** A v128 folded into an i32 (xor of its i32x4 lanes) or i64 (xor of its i64x2 lanes). */
  private foldV128(t: NumType): void {
    this.gen(V128, true);
    const tmp = this.scratchOf(V128); // no code runs between its set and its gets
    const [extract, lanes, xor] = t === I32 ? [0x1b, 4, 0x73] : [0x1d, 2, 0x85];
    this.e(0x22, ...u32(tmp), 0xfd, extract, 0);
    for (let k = 1; k < lanes; k++) this.e(0x20, ...u32(tmp), 0xfd, extract, k, xor);
  }

  /** v128.loadN_lane: address, v128, memarg, lane. */
  private laneLoad(): void {
    const op = this.rng.pick(LANE_MEM_OPS.filter((o) => o.load));
    this.addr(op.width);
    this.gen(V128, true);
    this.e(...op.bytes);
    this.memarg(op.width);
    this.e(this.rng.below(op.lanes));
  }

  private laneStore(): void {
    const op = this.rng.pick(LANE_MEM_OPS.filter((o) => !o.load));
    this.addr(op.width);
    this.gen(V128, true);
    this.e(...op.bytes);
    this.memarg(op.width);
    this.e(this.rng.below(op.lanes));
  }

  /**
   * Raw mode: a v128 whose `shape` lanes may hold NaNs with engine-chosen bits, made by float
   * arithmetic of that shape (or bit-preserving ops of it on such values) and consumed only where
   * the bits cannot show: a float compare or trunc_sat of the same shape (whose results are
   * deterministic), or a float lane extraction whose scalar result may be nondeterministic. Never
   * stored, never in a local (so other v128 values stay deterministic), never reinterpreted with
   * another lane shape (an f32 NaN's payload would become part of an f64 value).
   */
  private genLoose(shape: Shape): void {
    if (this.fuel <= 0 || this.depth >= this.maxDepth || this.rng.chance(0.3)) return this.gen(V128, true);
    this.fuel--;
    this.depth++;
    const op = this.rng.pick(LOOSE_PRODUCERS.get(shape)!);
    for (const p of op.params) {
      if (p === V128) this.genLoose(op.looseShape!);
      else this.gen(p, false);
    }
    this.emitOp(op);
    this.depth--;
  }

  private select(t: NumType, det: boolean): void {
    this.gen(t, det);
    this.gen(t, det);
    this.gen(I32);
    if (this.rng.chance(0.7)) this.e(0x1b);
    else this.e(0x1c, 1, t);
  }

  private tee(t: NumType, det: boolean): void {
    this.gen(t, det);
    this.e(0x22, ...u32(this.rng.pick(this.user.get(t)!)));
  }

  /** Length operand of memory.fill and memory.copy: i64 for memory64 (an i32 extended, or a huge one). */
  private memLength(): void {
    this.length();
    if (!this.m.mem64) return;
    this.e(0xad);
    if (this.rng.chance(0.05)) this.e(...constBytes(I64, 1n << 32n), 0x7c); // + 4 GiB
  }

  /** Length operand of bulk memory instructions. */
  private length(): void {
    switch (this.rng.weighted([50, 30, 10, 10])) {
      case 0: this.e(0x41, ...s32(this.rng.below(65))); break;
      case 1: this.gen(I32); this.e(0x41, ...s32(0xff), 0x71); break;
      case 2: this.e(0x41, ...s32(this.rng.pick([65536, 65535, 65537, 131072, -1]))); break;
      default: this.gen(I32);
    }
  }

  private growDelta(): void {
    switch (this.rng.weighted([60, 30, 10])) {
      case 0: this.e(0x41, this.rng.below(3)); break;
      case 1: this.gen(I32); this.e(0x41, 3, 0x71); break;
      default: this.gen(I32);
    }
  }

  private tableIndex(): void {
    if (this.m.probe && this.rng.chance(0.25)) {
      this.e(0x41, ...s32(this.m.tableMax + this.rng.below(5)));
      return;
    }
    switch (this.rng.weighted(this.m.trappy ? [60, 25, 15] : [70, 20, 10])) {
      case 0: this.e(0x41, ...s32(this.rng.below(this.m.tableMin + (this.rng.chance(this.m.trappy ? 0.5 : 0.8) ? 0 : 3)))); break;
      case 1: this.gen(I32); this.e(0x41, 7, 0x71); break;
      default: this.gen(I32);
    }
  }

  /** A funcref: ref.func of a generated function or ref.null func. */
  private refValue(): void {
    if (this.rng.chance(0.7)) this.e(0xd2, ...u32(this.m.fi(this.rng.below(this.m.funcs.length))));
    else this.e(0xd0, 0x70);
  }

  /** Leaves only the top of `stack` (of types) on the operand stack. */
  private keepTop(stack: readonly NumType[]): void {
    if (stack.length <= 1) return;
    const top = stack[stack.length - 1]!;
    const s = this.scratchOf(top);
    this.e(0x21, ...u32(s));
    for (let i = 1; i < stack.length; i++) this.e(0x1a);
    this.e(0x20, ...u32(s));
  }

  private dropAll(stack: readonly NumType[]): void {
    for (let i = 0; i < stack.length; i++) this.e(0x1a);
  }

  /** Turns values of types `stack` on the operand stack into one value of type t. */
  private reduceTo(stack: readonly NumType[], t: NumType, det = false): void {
    if (stack.length > 0 && !this.strict(t, det)) {
      const top = stack[stack.length - 1]!;
      if (top === t && this.rng.chance(0.85)) {
        this.keepTop(stack);
        return;
      }
      const convs = (this.m.ops.unaryByTypes.get(unaryKey(top, t)) ?? []).filter((o) => !(this.m.raw && o.exposesBits[0]));
      if (convs.length > 0 && this.rng.chance(0.6)) {
        this.keepTop(stack);
        this.emitOp(this.rng.pick(convs));
        return;
      }
    }
    this.dropAll(stack);
    this.gen(t, det);
  }

  private call(t: NumType): void {
    const { index, sig } = this.m.callTarget();
    for (const p of sig.params) this.gen(p);
    this.e(0x10, ...u32(index));
    this.reduceTo(sig.results, t);
  }

  private callIndirect(t: NumType): void {
    // Mostly a slot that holds a function at instantiation, called with that function's type (the
    // table may have changed since); else any type and any index.
    const slots = this.m.tableInit.flatMap((f, i) => (f === null ? [] : [i]));
    const slot = slots.length > 0 && this.rng.chance(0.8) ? this.rng.pick(slots) : -1;
    const type = slot >= 0 ? this.m.funcs[this.m.tableInit[slot]!]!.type : this.rng.below(this.m.types.length);
    const sig = this.m.types[type]!;
    for (const p of sig.params) this.gen(p);
    if (slot >= 0 && this.rng.chance(0.8)) this.e(0x41, ...s32(slot));
    else this.tableIndex();
    this.e(0x11, ...u32(type), 0);
    this.reduceTo(sig.results, t);
  }

  private callRef(t: NumType): void {
    const type = this.m.funcs[this.rng.below(this.m.funcs.length)]!.type;
    const sig = this.m.types[type]!;
    for (const p of sig.params) this.gen(p);
    this.funcRef(type);
    this.e(0x14, ...u32(type));
    this.reduceTo(sig.results, t);
  }

  /** A (ref null $type) local (one or two per type). */
  private refLocal(type: number): number {
    const mine = [...this.refLocals].flatMap(([i, ty]) => (ty === type ? [i] : []));
    if (mine.length > 0 && (mine.length === 2 || this.rng.chance(0.7))) return this.rng.pick(mine);
    const i = this.newLocal(I32);
    this.refLocals.set(i, type);
    return i;
  }

  /** A reference to a function of type `type` that call_ref may get: null (it traps) or not. */
  private funcRef(type: number): void {
    switch (this.rng.weighted([40, 20, 15, 15, 10])) {
      case 0: return this.nullableRef(type, true);
      case 1: // ref.as_non_null: traps on null
        this.nullableRef(type, true);
        this.patched(0xd4);
        return;
      case 2: // block (result (ref $t)) (br_on_non_null 0 r) (ref.func $g) end
        this.e(0x02);
        this.patched(0x64);
        this.e(...s32(type));
        this.nullableRef(type, false);
        this.e(0xd6, 0);
        this.funcOfType(type);
        this.e(0x0b);
        return;
      case 3: // block (result (ref $t)) (block (br_on_null 0 r) (br 1)) (ref.func $g) end
        this.e(0x02);
        this.patched(0x64);
        this.e(...s32(type), 0x02, 0x40);
        this.nullableRef(type, false);
        this.patched(0xd5);
        this.e(0, 0x0c, 1, 0x0b);
        this.funcOfType(type);
        this.e(0x0b);
        return;
      default: // a typed select of two references
        this.nullableRef(type, false);
        this.nullableRef(type, false);
        this.gen(I32);
        this.e(0x1c, 1);
        this.patched(0x63);
        this.e(...s32(type));
    }
  }

  /**
   * A (ref null $type): ref.func of a function of that type, ref.null, or a local's. With `nested`
   * false it emits no instruction that could branch (the caller may be inside a block of its own
   * that the label stack does not know).
   */
  private nullableRef(type: number, nested: boolean): void {
    const r = this.rng.below(100);
    if (r < 40) this.funcOfType(type);
    else if (r < (this.m.trappy ? 60 : 50)) this.e(0xd0, ...s32(type));
    else if (r < 85 || !nested) this.e(0x20, ...u32(this.refLocal(type)));
    else { // local.tee of a fresh reference
      this.nullableRef(type, false);
      this.e(0x22, ...u32(this.refLocal(type)));
    }
  }

  /** ref.func of a generated function of type `type` (there is one: types come from functions). */
  private funcOfType(type: number): void {
    const fs = this.m.funcs.flatMap((f, i) => (f.type === type ? [i] : []));
    this.e(0xd2, ...u32(this.m.fi(this.rng.pick(fs))));
  }

  private withLabel(label: Label, body: () => void): void {
    this.labels.push(label);
    if (label.kind === 'loop') this.loopDepth++;
    body();
    if (label.kind === 'loop') this.loopDepth--;
    this.labels.pop();
  }

  private stmts(max: number): void {
    const n = this.rng.below(max + 1);
    for (let i = 0; i < n; i++) this.stmt();
  }

  private blockExpr(t: NumType): void {
    this.e(0x02, t);
    this.withLabel({ kind: 'block', types: [t], counter: -1 }, () => {
      this.stmts(3);
      this.gen(t);
    });
    this.e(0x0b);
  }

  private ifExpr(t: NumType): void {
    this.gen(I32);
    this.e(0x04, t);
    this.withLabel({ kind: 'if', types: [t], counter: -1 }, () => {
      this.stmts(2);
      this.gen(t);
      this.e(0x05);
      this.stmts(2);
      this.gen(t);
    });
    this.e(0x0b);
  }

  /** `i32.const n; local.set c` then the loop opcode: c bounds the runs of the body. */
  private loopHead(blockType: number[]): number {
    const c = this.newLocal(I32);
    this.e(0x41, 1 + this.rng.below(4), 0x21, ...u32(c), 0x03, ...blockType);
    return c;
  }

  /**
   * Go's dispatch loop: `loop; block * n; local.get x; br_table` with the code of case k after the
   * k-th `end`, and jumps `i32.const k; local.set x; br_if $loop` between cases. With n >= 64 tswasm
   * flattens the blocks into a switch, and a large enough body is split into several functions.
   */
  private dispatchLoop(big: boolean): void {
    const rng = this.rng;
    const n = big ? 64 + rng.below(64) : rng.chance(0.15) ? 64 + rng.below(4) : 2 + rng.below(12);
    const x = this.newLocal(I32);
    const c = this.newLocal(I32);
    this.e(0x41, ...s32(rng.below(n + 1)), 0x21, ...u32(x));
    this.e(0x41, ...s32(big ? 4 + rng.below(16) : 1 + rng.below(6)), 0x21, ...u32(c), 0x03, 0x40);
    const loop: Label = { kind: 'loop', types: [], counter: c };
    this.labels.push(loop);
    this.loopDepth++;
    for (let i = 0; i < n; i++) {
      this.e(0x02, 0x40);
      this.labels.push({ kind: 'block', types: [], counter: -1 });
    }
    const targets = Array.from({ length: n }, (_, k) => u32(rng.chance(0.9) ? k : rng.below(n)));
    this.e(0x20, ...u32(x), 0x0e, ...vec(targets), ...u32(rng.below(n)));
    for (let k = 0; k < n; k++) {
      this.e(0x0b);
      this.labels.pop();
      if (big) this.fuel = Math.max(this.fuel, 0) + 30;
      this.stmts(big ? 6 : 2);
      if (rng.chance(0.5)) {
        this.e(0x41, ...s32(rng.below(n + 2)), 0x21, ...u32(x));
        this.guardedCond(loop);
        this.e(0x0d, ...u32(this.labels.length - 1 - this.labels.indexOf(loop)));
      }
    }
    this.labels.pop();
    this.loopDepth--;
    this.e(0x0b);
  }

  private loopExpr(t: NumType): void {
    const c = this.loopHead([t]);
    this.withLabel({ kind: 'loop', types: [], counter: c }, () => {
      this.stmts(2);
      this.backEdge();
      this.stmts(1);
      this.gen(t);
    });
    this.e(0x0b);
  }

  /** A block, loop or if with a function type (params and several results), as an expression. */
  private multiExpr(t: NumType): void {
    const results = this.multiBlock();
    this.reduceTo(results, t);
  }

  /** Emits a block/loop/if of a random function type (operands included); returns its results. */
  private multiBlock(): NumType[] {
    const params = this.m.randTypes(3);
    const results = this.m.randTypes(3);
    const type = this.m.typeIndex(params, results);
    for (const p of params) this.gen(p);
    switch (this.rng.below(this.loopDepth < MAX_LOOP_NEST ? 3 : 2)) {
      case 0:
        this.e(0x02, ...s32(type));
        this.withLabel({ kind: 'block', types: results, counter: -1 }, () => this.stackBody(params, results));
        break;
      case 1:
        this.gen(I32);
        this.e(0x04, ...s32(type));
        this.withLabel({ kind: 'if', types: results, counter: -1 }, () => {
          this.stackBody(params, results);
          // Without else when the params are the results (the false arm passes them through).
          if (sameTypes(params, results) && this.rng.chance(0.4)) return;
          this.e(0x05);
          this.stackBody(params, results);
        });
        break;
      default: {
        const c = this.loopHead(s32(type));
        this.withLabel({ kind: 'loop', types: params, counter: c }, () => this.stackBody(params, results));
      }
    }
    this.e(0x0b);
    return results;
  }

  /** The condition of a branch to loop label `l`: a random i32, or 0 once the loop's counter (decremented here) is used up. */
  private guardedCond(l: Label): void {
    this.gen(I32);
    this.e(0x41, 0, 0x20, ...u32(l.counter), 0x41, 1, 0x6b, 0x22, ...u32(l.counter), 0x41, 0, 0x4a, 0x1b);
  }

  private depthOf(i: number): number {
    return this.labels.length - 1 - i;
  }

  private brIfExpr(t: NumType): void {
    const i = this.rng.below(this.labels.length);
    const l = this.labels[i]!;
    for (const p of l.types) this.gen(p);
    if (l.kind === 'loop') this.guardedCond(l);
    else this.gen(I32);
    this.e(0x0d, ...u32(this.depthOf(i)));
    this.reduceTo(l.types, t);
  }

  /** A backward branch to the innermost loop (if any), taken while its counter lasts. */
  private backEdge(): void {
    for (let i = this.labels.length - 1; i >= 0; i--) {
      const l = this.labels[i]!;
      if (l.kind !== 'loop') continue;
      for (const p of l.types) this.gen(p);
      this.guardedCond(l);
      this.e(0x0d, ...u32(this.depthOf(i)));
      this.dropAll(l.types);
      return;
    }
  }

  /** An unconditional transfer (br, br_table, return, unreachable): valid as a value of any type. */
  private branchAway(): void {
    const forward = this.labels.flatMap((l, i) => (l.kind === 'loop' ? [] : [i]));
    const catches = this.labels.flatMap((l, i) => (l.kind === 'catch' ? [i] : []));
    const tags = this.m.tags.length;
    switch (this.rng.weighted([40, 28, 24, 8, 30, tags > 0 ? 30 : 0, catches.length > 0 ? 15 : 0])) {
      case 0: {
        const i = this.rng.pick(forward);
        for (const p of this.labels[i]!.types) this.gen(p);
        this.e(0x0c, ...u32(this.depthOf(i)));
        break;
      }
      case 1: {
        const i = this.rng.pick(forward);
        const types = this.labels[i]!.types;
        const same = forward.filter((j) => sameTypes(this.labels[j]!.types, types));
        const targets = Array.from({ length: this.rng.below(5) }, () => this.depthOf(this.rng.pick(same)));
        for (const p of types) this.gen(p);
        if (this.rng.chance(0.6)) {
          this.gen(I32);
          this.e(0x41, 3, 0x71);
        } else this.gen(I32);
        this.e(0x0e, ...u32(targets.length), ...targets.flatMap((d) => u32(d)), ...u32(this.depthOf(i)));
        break;
      }
      case 2:
        for (const r of this.sig.results) this.gen(r);
        this.e(0x0f);
        break;
      case 3:
        this.e(0x00);
        break;
      case 4:
        this.tailCall();
        break;
      case 5:
        if (tags === 0) return this.tailCall();
        this.throwAway();
        break;
      default:
        if (catches.length === 0) return this.tailCall();
        this.throwAway();
    }
  }

  /** throw (the payload of a random tag, then the tag), or inside a catch clause often rethrow. */
  private throwAway(): void {
    const catches = this.labels.flatMap((l, i) => (l.kind === 'catch' ? [i] : []));
    if (catches.length > 0 && this.rng.chance(0.4)) {
      this.e(0x09, ...u32(this.depthOf(this.rng.pick(catches))));
      return;
    }
    const tag = this.rng.below(this.m.tags.length);
    for (const p of this.m.tags[tag]!) this.gen(p);
    this.e(0x08, ...u32(tag));
  }

  /**
   * A legacy try as an expression of type t (or, for null, a statement without results): its
   * body, then catch clauses for some tags (the payload reduced to a t), maybe catch_all; or
   * instead `delegate` to any enclosing label (the function's passes the exception to the caller).
   * Arms often throw on, so that only the body (or an earlier arm) reaches the end.
   */
  private tryExpr(t: NumType | null): void {
    const types = t === null ? [] : [t];
    const result = () => {
      if (t !== null) this.gen(t);
    };
    this.e(0x06, t ?? 0x40);
    this.withLabel({ kind: 'try', types, counter: -1 }, () => {
      this.stmts(2);
      result();
    });
    if (this.rng.chance(0.2)) {
      // The immediate counts from the block around the try: 0 .. labels.length - 1 (the function).
      this.e(0x18, ...u32(this.rng.below(this.labels.length)));
      return;
    }
    const tags = [...this.m.tags.keys()].filter(() => this.rng.chance(0.5));
    for (const tag of tags) {
      this.e(0x07, ...u32(tag));
      this.withLabel({ kind: 'catch', types, counter: -1 }, () => {
        if (this.rng.chance(t === null ? 0.4 : 0.15)) {
          // Throw on: rethrow what was caught, or a new exception (the payload is discarded).
          if (t === null) this.dropAll(this.m.tags[tag]!);
          this.throwAway();
        } else if (t === null || this.rng.chance(0.3)) {
          // The payload kept aside, code run, then the result.
          this.dropAll(this.m.tags[tag]!);
          this.stmts(1);
          result();
        } else this.reduceTo(this.m.tags[tag]!, t);
      });
    }
    if (tags.length === 0 || this.rng.chance(0.5)) {
      this.e(0x19);
      this.withLabel({ kind: 'catch', types, counter: -1 }, () => {
        this.stmts(1);
        if (this.rng.chance(t === null ? 0.5 : 0.15)) this.throwAway();
        else result();
      });
    }
    this.e(0x0b);
  }

  /**
   * return_call or return_call_indirect of a function with this function's results (else a plain
   * return). The call budget bounds tail-call chains as it bounds calls.
   */
  private tailCall(): void {
    const results = this.sig.results;
    const funcs = this.m.funcs.flatMap((f, i) => (sameTypes(f.results, results) ? [i] : []));
    const types = this.m.types.flatMap((t, i) => (sameTypes(t.results, results) ? [i] : []));
    if (types.length > 0 && this.rng.chance(0.4)) {
      // As for call_indirect: mostly the type of the function a slot held at instantiation.
      const slots = this.m.tableInit.flatMap((f, i) => (f !== null && sameTypes(this.m.funcs[f]!.results, results) ? [i] : []));
      const slot = slots.length > 0 && this.rng.chance(0.8) ? this.rng.pick(slots) : -1;
      const type = slot >= 0 ? this.m.funcs[this.m.tableInit[slot]!]!.type : this.rng.pick(types);
      for (const p of this.m.types[type]!.params) this.gen(p);
      if (slot >= 0 && this.rng.chance(0.8)) this.e(0x41, ...s32(slot));
      else this.tableIndex();
      this.e(0x13, ...u32(type), 0);
      return;
    }
    if (funcs.length > 0 && this.m.funcRefs && this.rng.chance(0.4)) {
      const type = this.m.funcs[this.rng.pick(funcs)]!.type;
      for (const p of this.m.types[type]!.params) this.gen(p);
      this.funcRef(type);
      this.e(0x15, ...u32(type));
      return;
    }
    if (funcs.length > 0) {
      const f = this.rng.pick(funcs);
      for (const p of this.m.funcs[f]!.params) this.gen(p);
      this.e(0x12, ...u32(this.m.fi(f)));
      return;
    }
    for (const r of results) this.gen(r);
    this.e(0x0f);
  }

  /**
   * Code that starts with values of types `start` on the stack and ends with `end`: a few random
   * stack operations, then drops what does not match and pushes what is missing.
   */
  private stackBody(start: readonly NumType[], end: readonly NumType[]): void {
    const st = [...start];
    const rng = this.rng;
    let steps = rng.below(6);
    while (steps-- > 0) {
      const n = st.length;
      const top = st[n - 1];
      switch (rng.weighted([16, 14, 22, 6, 5, 10, 4, 10])) {
        case 0: { // binary op on the two top values
          if (n < 2 || st[n - 2] !== top) break;
          const ops = this.m.ops.binaryByOperand.get(top!)!.filter((o) => !(this.m.raw && (o.exposesBits.some(Boolean) || (o.arith && o.result === V128))));
          if (ops.length === 0) break;
          const op = rng.pick(ops);
          this.emitOp(op);
          st.splice(n - 2, 2, op.result);
          break;
        }
        case 1: { // unary op on the top value
          if (top === undefined) break;
          const ops = this.m.ops.unaryFrom.get(top)!.filter((o) => !(this.m.raw && (o.exposesBits[0] || (o.arith && o.result === V128))));
          if (ops.length === 0) break;
          const op = rng.pick(ops);
          this.emitOp(op);
          st[n - 1] = op.result;
          break;
        }
        case 2: {
          const t = rng.pick(this.m.valTypes);
          this.gen(t);
          st.push(t);
          break;
        }
        case 3:
          if (top === undefined) break;
          this.e(0x1a);
          st.pop();
          break;
        case 4:
          if (top === undefined || this.user.get(top)!.length === 0) break;
          this.e(0x22, ...u32(rng.pick(this.user.get(top)!)));
          break;
        case 5: { // br_if to a label whose types are on top of the stack
          const fits = this.labels.flatMap((l, i) => (l.types.length <= n && sameTypes(l.types, st.slice(n - l.types.length)) ? [i] : []));
          if (fits.length === 0) break;
          const i = rng.pick(fits);
          const l = this.labels[i]!;
          if (l.kind === 'loop') this.guardedCond(l);
          else this.gen(I32);
          this.e(0x0d, ...u32(this.depthOf(i)));
          break;
        }
        case 6: { // br to a (forward) label with the top of the stack: ends the body
          const fits = this.labels.flatMap((l, i) => (l.kind !== 'loop' && l.types.length <= n && sameTypes(l.types, st.slice(n - l.types.length)) ? [i] : []));
          if (fits.length === 0) break;
          const i = rng.pick(fits);
          this.e(0x0c, ...u32(this.depthOf(i)));
          return;
        }
        default:
          this.stmt();
      }
    }
    let keep = 0;
    while (keep < st.length && keep < end.length && st[keep] === end[keep]) keep++;
    for (let i = st.length; i > keep; i--) this.e(0x1a);
    for (let i = keep; i < end.length; i++) this.gen(end[i]!);
  }

  /** Emits code with no net effect on the stack (side effects, control flow). */
  stmt(): void {
    if (this.fuel <= 0) return;
    this.fuel--;
    const rng = this.rng;
    const m = this.m;
    const mutables = m.globals.flatMap((g, i) => (g.mutable && i > 0 ? [i] : []));
    const userLocals = [...this.user.values()].flat();
    const inLoop = this.labels.some((l) => l.kind === 'loop');
    const opts: [number, () => void][] = [
      [20, () => {
        if (userLocals.length === 0) return this.stmt();
        const x = rng.pick(userLocals);
        this.gen(this.locals[x]!);
        this.e(0x21, ...u32(x));
      }],
      [8, () => {
        if (mutables.length === 0) return;
        const g = rng.pick(mutables);
        this.gen(m.globals[g]!.type, true);
        this.e(0x24, ...u32(g));
      }],
      [15, () => this.store()],
      [m.atomics ? 5 : 0, () => this.atomic(null)],
      [m.atomics ? 1 : 0, () => this.e(0xfe, 0x03, 0x00)], // atomic.fence
      [m.funcRefs ? 6 : 0, () => { // local.set of a (ref null $t) local
        const type = m.funcs[rng.below(m.funcs.length)]!.type;
        this.nullableRef(type, true);
        this.e(0x21, ...u32(this.refLocal(type)));
      }],
      [m.simd ? 3 : 0, () => this.laneStore()],
      [m.simd ? 6 : 0, () => { // v128.store
        this.addr(16);
        this.gen(V128, true);
        this.e(0xfd, 0x0b);
        this.memarg(16);
      }],
      [7, () => {
        const t = rng.pick(m.valTypes);
        this.gen(t);
        this.e(0x1a);
      }],
      [6, () => {
        this.gen(I32);
        this.e(0x04, 0x40);
        this.withLabel({ kind: 'if', types: [], counter: -1 }, () => {
          this.stmts(3);
          if (rng.chance(0.5)) {
            this.e(0x05);
            this.stmts(3);
          }
        });
        this.e(0x0b);
      }],
      [5, () => {
        this.e(0x02, 0x40);
        this.withLabel({ kind: 'block', types: [], counter: -1 }, () => this.stmts(4));
        this.e(0x0b);
      }],
      [inLoop ? 10 : 0, () => this.backEdge()],
      [4, () => {
        const i = rng.below(this.labels.length);
        const l = this.labels[i]!;
        for (const p of l.types) this.gen(p);
        if (l.kind === 'loop') this.guardedCond(l);
        else this.gen(I32);
        this.e(0x0d, ...u32(this.depthOf(i)));
        this.dropAll(l.types);
      }],
      [3, () => this.dropAll(this.multiBlock())],
      [3, () => { // memory.fill
        this.addr(1);
        this.gen(I32);
        this.memLength();
        this.e(0xfc, 0x0b, 0);
      }],
      [3, () => { // memory.copy
        this.addr(1);
        this.addr(1);
        this.memLength();
        this.e(0xfc, 0x0a, 0, 0);
      }],
      [m.dataCount > 0 ? 3 : 0, () => { // memory.init
        this.addr(1);
        if (rng.chance(0.7)) this.e(0x41, rng.below(8));
        else this.gen(I32);
        this.length();
        this.e(0xfc, 0x08, ...u32(rng.below(m.dataCount)), 0);
      }],
      [m.dataCount > 0 ? 1 : 0, () => this.e(0xfc, 0x09, ...u32(rng.below(m.dataCount)))],
      [3, () => { // call, results dropped
        const { index, sig } = m.callTarget();
        for (const p of sig.params) this.gen(p);
        this.e(0x10, ...u32(index));
        this.dropAll(sig.results);
      }],
      [2, () => { // table.set
        this.tableIndex();
        this.refValue();
        this.e(0x26, 0);
      }],
      [0.7, () => { // table.copy
        this.tableIndex();
        this.tableIndex();
        this.e(0x41, rng.below(4));
        this.e(0xfc, 0x0e, 0, 0);
      }],
      [0.7, () => { // table.init from the active (0), declarative (1) or passive (2) segment
        this.tableIndex();
        this.e(0x41, rng.below(3));
        this.e(0x41, rng.below(4));
        this.e(0xfc, 0x0c, rng.below(3), 0);
      }],
      [0.3, () => this.e(0xfc, 0x0d, rng.below(3))], // elem.drop
      [0.7, () => { // table.fill
        this.tableIndex();
        this.refValue();
        this.e(0x41, rng.below(3));
        this.e(0xfc, 0x11, 0);
      }],
      [1, () => this.e(0x01)],
    ];
    if (this.loopDepth < MAX_LOOP_NEST) {
      opts.push([1.5, () => this.dispatchLoop(false)]);
      opts.push([4, () => {
        const c = this.loopHead([0x40]);
        this.withLabel({ kind: 'loop', types: [], counter: c }, () => {
          this.stmts(3);
          this.backEdge();
          this.stmts(1);
        });
        this.e(0x0b);
      }]);
    }
    opts[rng.weighted(opts.map((o) => o[0]))]![1]();
  }

  /** The locals declaration of the body (after the parameters), for Node 20's engine if `native`. */
  localDecls(native = false): number[] {
    const groups: [number, number[]][] = [];
    for (let i = this.sig.params.length; i < this.locals.length; i++) {
      const ref = this.refLocals.get(i);
      const t = ref === undefined ? [this.locals[i]!] : [native ? 0x6c : 0x63, ...s32(ref)];
      const last = groups[groups.length - 1];
      if (last && sameBytes(last[1], t)) last[0]++;
      else groups.push([1, t]);
    }
    return vec(groups.map(([n, t]) => [...u32(n), ...t]));
  }

  /** The body's code as Node 20's engine reads it. */
  nativeCode(): number[] {
    const code = [...this.code];
    for (const at of this.patches) code[at] = NATIVE_ENCODING.get(code[at]!)!;
    return code;
  }
}

// ---------------------------------------------------------------------------------------------
// Modules

export interface GenOptions {
  /**
   * Whether the module uses fixed-width SIMD (v128 locals, params, results, block types and
   * instructions): always, never, or (by default) in half of the modules.
   */
  readonly simd?: boolean;
  /** Whether the module uses typed function references: always, never, or (by default) in 30%. */
  readonly funcRefs?: boolean;
  /** Whether constant expressions may use i32/i64 add, sub and mul: always, never, or in 30%. */
  readonly extendedConst?: boolean;
  /** Whether functions use atomic memory instructions: always, never, or in 30%. */
  readonly atomics?: boolean;
}

/** A random valid module and the calls to make on it. */
export function generateModule(rng: Rng, options: GenOptions = {}): ModulePlan {
  const raw = rng.chance(0.4);
  const simdDraw = rng.chance(0.5);
  const m = new ModuleGen(rng, raw, options.simd ?? simdDraw, options);

  // Host imports in 30% of modules (integers only: a float's NaN bits may change crossing JS).
  if (rng.chance(0.3)) {
    for (let i = 1 + rng.below(3); i > 0; i--) {
      const ints = (max: number): NumType[] => Array.from({ length: rng.below(max + 1) }, () => rng.pick<NumType>([I32, I64]));
      m.hostImports.push({ params: ints(3), results: ints(2) });
    }
  }
  // Signatures first: bodies call any function and the table refers to any.
  const nfuncs = 1 + rng.below(6);
  for (let i = 0; i < nfuncs; i++) {
    const params = m.randTypes(4);
    const results = m.randTypes(rng.chance(0.7) ? 1 : 3);
    m.funcs.push({ params, results, type: m.typeIndex(params, results) });
  }
  m.globals.push({ type: I32, mutable: true, init: 0n }); // the call budget
  // With exceptions: tags, and a global the wrappers set when an exception reached them.
  const escaped = m.eh ? m.globals.length : -1;
  if (m.eh) {
    m.globals.push({ type: I32, mutable: true, init: 0n });
    for (let i = 1 + rng.below(3); i > 0; i--) {
      const params = m.randTypes(3);
      m.tags.push(params);
      m.typeIndex(params, []);
    }
  }
  for (let i = rng.below(5); i > 0; i--) {
    const type = rng.pick(NUM_TYPES);
    m.globals.push({ type, mutable: rng.chance(0.75), init: randArg(rng, type) });
  }
  m.memMin = rng.chance(0.05) ? 0 : 1;
  m.memMax = m.memMin + rng.below(3);
  m.tableMin = rng.chance(0.1) ? 0 : 1 + rng.below(8);
  m.tableMax = m.tableMin + rng.below(5);
  m.tableInit = new Array(m.tableMin).fill(null);
  const elemOffset = rng.below(m.tableMin + 1) >> 1;
  const elemFuncs = Array.from({ length: m.tableMin - elemOffset - rng.below(m.tableMin - elemOffset + 1) }, () => rng.below(nfuncs));
  elemFuncs.forEach((f, i) => (m.tableInit[elemOffset + i] = f));
  if (m.memMin > 0) {
    for (let i = rng.below(3); i > 0; i--) {
      const bytes = Array.from({ length: 1 + rng.below(32) }, () => rng.below(256));
      const offset = rng.chance(0.7) ? rng.below(512) : 65536 - bytes.length - rng.below(16);
      m.active.push({ offset, bytes });
    }
  }
  for (let i = rng.below(3); i > 0; i--) m.passive.push(Array.from({ length: rng.below(24) }, () => rng.below(256)));

  const bodies: number[][] = [];
  // The generated functions' bodies in Node 20's encodings (with typed function references only;
  // the wrappers and dump are the same in both).
  const nativeFuncBodies: number[][] = [];
  const big = rng.chance(0.04) ? rng.below(nfuncs) : -1;
  for (const [i, f] of m.funcs.entries()) {
    const g = new FuncGen(m, f, i === big);
    g.body();
    bodies.push([...g.localDecls(), ...g.code]);
    if (m.funcRefs) nativeFuncBodies.push([...g.localDecls(true), ...g.nativeCode()]);
  }

  // Wrappers: integers in place of floats, budget reset, then the call.
  const budget = 1 + rng.below(24);
  const exported = [...Array(nfuncs).keys()].filter(() => rng.chance(0.6));
  if (exported.length === 0) exported.push(rng.below(nfuncs));
  exported.splice(4);
  const asInt = (t: NumType): NumType => (t === F32 ? I32 : t === F64 ? I64 : t);
  // A v128 crosses the boundary as two i64 (its low and high halves), typed i64 for the runner.
  const flat = (ts: readonly NumType[]): NumType[] => ts.flatMap((t) => (t === V128 ? [I64, I64] : [t]));
  const exports: ExportPlan[] = [];
  const wrapperTypes: number[] = [];
  for (const f of exported) {
    const sig = m.funcs[f]!;
    const params = flat(sig.params);
    const results = flat(sig.results);
    wrapperTypes.push(m.typeIndex(params.map(asInt), results.map(asInt)));
    const code: number[] = [0x41, ...s32(budget), 0x24, 0];
    // try (result ...) call catch_all escaped = 1; zeros end: an exception never reaches JS, where
    // the two engines' exception objects differ.
    if (m.eh) {
      const rs = sig.results;
      code.push(0x06, ...(rs.length === 0 ? [0x40] : rs.length === 1 ? [rs[0]!] : s32(m.typeIndex([], rs))));
    }
    let k = 0;
    for (const t of sig.params) {
      code.push(0x20, ...u32(k++));
      if (t === F32) code.push(0xbe);
      if (t === F64) code.push(0xbf);
      if (t === V128) code.push(0xfd, ...u32(0x12), 0x20, ...u32(k++), 0xfd, ...u32(0x1e), 1); // i64x2.splat; i64x2.replace_lane 1
    }
    code.push(0x10, ...u32(m.fi(f)));
    if (m.eh) {
      code.push(0x19, 0x41, 1, 0x24, ...u32(escaped));
      for (const t of sig.results) code.push(...constBytes(t, 0n));
      code.push(0x0b);
    }
    const base = params.length;
    for (let j = sig.results.length - 1; j >= 0; j--) code.push(0x21, ...u32(base + j));
    sig.results.forEach((t, j) => {
      if (t === V128) {
        code.push(0x20, ...u32(base + j), 0xfd, ...u32(0x1d), 0, 0x20, ...u32(base + j), 0xfd, ...u32(0x1d), 1);
        return;
      }
      code.push(0x20, ...u32(base + j));
      if (t === F32) code.push(0xbc);
      if (t === F64) code.push(0xbd);
    });
    code.push(0x0b);
    bodies.push([...vec(sig.results.map((t) => [1, t])), ...code]);
    exports.push({ name: `w${exports.length}`, func: f, params, results });
  }
  // dump: every global, floats as bits.
  const globalTypes = m.globals.map((g) => g.type);
  const dumpType = m.typeIndex([], globalTypes.map(asInt));
  const dump: number[] = [0];
  m.globals.forEach((g, i) => {
    dump.push(0x23, ...u32(i));
    if (g.type === F32) dump.push(0xbc);
    if (g.type === F64) dump.push(0xbd);
  });
  dump.push(0x0b);
  bodies.push(dump);

  const calls: CallPlan[] = [];
  for (let n = exports.length * (2 + rng.below(4)); n > 0; n--) {
    const exportIndex = rng.below(exports.length);
    calls.push({ exportIndex, args: exports[exportIndex]!.params.map((t) => randArg(rng, t)) });
  }

  // Sections.
  const importTypes = m.hostImports.map((h) => m.typeIndex(h.params, h.results));
  const ext = m.extendedConst;
  const globalInits = m.globals.map((g) => constExprBytes(rng, g.type, g.init, ext));
  const dataOffsets = m.active.map((d) => constExprBytes(rng, m.mem64 ? I64 : I32, BigInt(d.offset), ext));
  const elems: number[][] = [
    [0x00, ...constExprBytes(rng, I32, BigInt(elemOffset), ext), 0x0b, ...vec(elemFuncs.map((f) => u32(m.fi(f))))],
    [0x03, 0x00, ...vec([...Array(nfuncs).keys()].map((f) => u32(m.fi(f))))], // declarative: for ref.func
    [0x01, 0x00, ...vec(Array.from({ length: 1 + rng.below(4) }, () => u32(m.fi(rng.below(nfuncs)))))], // passive
  ];
  const assemble = (bodies: readonly number[][]): Uint8Array => {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    out.push(...section(1, vec(m.types.map((t) => [0x60, ...vec(t.params.map((p) => [p])), ...vec(t.results.map((r) => [r]))]))));
    if (importTypes.length > 0) out.push(...section(2, vec(importTypes.map((t, k) => [...name('env'), ...name(`h${k}`), 0x00, ...u32(t)]))));
    out.push(...section(3, vec([...m.funcs.map((f) => u32(f.type)), ...wrapperTypes.map((t) => u32(t)), u32(dumpType)])));
    out.push(...section(4, vec([[0x70, 0x01, ...u32(m.tableMin), ...u32(m.tableMax)]])));
    out.push(...section(5, vec([[m.mem64 ? 0x05 : 0x01, ...u32(m.memMin), ...u32(m.memMax)]])));
    if (m.tags.length > 0) out.push(...section(13, vec(m.tags.map((p) => [0x00, ...u32(m.typeIndex(p, []))]))));
    out.push(...section(6, vec(m.globals.map((g, i) => [g.type, g.mutable ? 1 : 0, ...globalInits[i]!, 0x0b]))));
    const exportEntries: number[][] = exports.map((e, i) => [...name(e.name), 0x00, ...u32(m.fi(nfuncs + i))]);
    exportEntries.push([...name('dump'), 0x00, ...u32(m.fi(nfuncs + exports.length))]);
    exportEntries.push([...name('mem'), 0x02, 0]);
    out.push(...section(7, vec(exportEntries)));
    out.push(...section(9, vec(elems)));
    if (m.dataCount > 0) out.push(...section(12, u32(m.dataCount)));
    out.push(...section(10, vec(bodies.map((b) => [...u32(b.length), ...b]))));
    if (m.dataCount > 0) {
      out.push(...section(11, vec([
        ...m.active.map((d, i) => [0x00, ...dataOffsets[i]!, 0x0b, ...vec(d.bytes.map((b) => [b]))]),
        ...m.passive.map((d) => [0x01, ...vec(d.map((b) => [b]))]),
      ])));
    }
    return new Uint8Array(out);
  };
  const bytes = assemble(bodies);
  const nativeBytes = m.funcRefs ? assemble([...nativeFuncBodies, ...bodies.slice(nativeFuncBodies.length)]) : bytes;
  return { bytes, nativeBytes, funcRefs: m.funcRefs, extendedConst: m.extendedConst, atomics: m.atomics, mode: raw ? 'raw' : 'canon', simd: m.simd, memory64: m.mem64, hostImports: m.hostImports, exports, calls, globals: globalTypes };
}
