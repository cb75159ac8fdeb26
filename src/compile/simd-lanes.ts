// v128 values on the operand stack as lanes: besides its JS expression (which evaluates to a V128
// object), a SIMD entry may carry one JS expression per lane, so chains of SIMD instructions never box.

import { F32, F64, I32, V128 } from '../core/types.js';
import { derived, type Entry } from './entry.js';
import type { FunctionCompiler } from './function-compiler.js';

/**
 * The lane view of a v128: `i32` four int32 words (lane k of i32x4; the bit patterns of every other
 * shape), `f32` four f32 carriers (exactly the scalar engine's f32 values: NaN payloads included),
 * `f64` two doubles.
 */
export type LaneKind = 'i32' | 'f32' | 'f64';

export interface LaneForm {
  readonly kind: LaneKind;
  readonly lanes: readonly string[];
  /** For v128.const: the 16 bytes, so that any view of it is a literal. */
  readonly bytes?: Uint8Array;
  /**
   * f32 lanes that cannot be signalling-NaN carriers (results of arithmetic): a Float32Array store
   * then gives their bits exactly, without f32ToBits' NaN path.
   */
  readonly quiet?: boolean;
}

/** The lanes of entries made by the SIMD lowering (entries are immutable: identity is enough). */
const forms = new WeakMap<Entry, LaneForm>();

/** Names, fields of a name, and number literals (negative ones in parentheses). */
const SIMPLE = /^(?:[A-Za-z_$][\w$]*(?:\.w[0-3])?|\d+(?:\.\d+)?(?:e[+-]?\d+)?|\(-\d+(?:\.\d+)?(?:e[+-]?\d+)?\))$/;

export function isSimple(code: string): boolean {
  return SIMPLE.test(code);
}

/** A lane or scalar expression made safe to use as an operand (lane expressions may be any JS expression). */
export function paren(code: string): string {
  return SIMPLE.test(code) ? code : `(${code})`;
}

/** The expression that makes a V128 object of lanes of `kind`. */
function boxCode(fc: FunctionCompiler, kind: LaneKind, lanes: readonly string[], quiet = false): string {
  if (kind === 'i32') return `new ${fc.helper('V128')}(${lanes.join(', ')})`;
  if (kind === 'f32' && quiet) return boxCode(fc, 'i32', convert(fc, { kind, lanes, quiet }, 'i32', false).lanes);
  return `${fc.helper(kind === 'f32' ? 'v128_of_f32' : 'v128_of_f64')}(${lanes.join(', ')})`;
}

/**
 * Pushes the v128 whose lanes are `lanes`; `operands` are the (pure) entries the lane expressions
 * read, for the locals they depend on; `quiet`: f32 lanes that are results of arithmetic.
 */
export function pushLanes(fc: FunctionCompiler, kind: LaneKind, lanes: readonly string[], operands: readonly Entry[], quiet = false): void {
  const e = derived(V128, boxCode(fc, kind, lanes, quiet), [...operands]);
  forms.set(e, { kind, lanes, quiet });
  fc.push(e);
}

/** The lane view an entry has now (int32 words for a plain V128 object). */
export function viewOf(e: Entry): LaneForm | undefined {
  return forms.get(e);
}

/** Pushes a v128 entry with a known form (its JS expression given). */
export function pushWithForm(fc: FunctionCompiler, e: Entry, form: LaneForm): void {
  forms.set(e, form);
  fc.push(e);
}

/**
 * Pops `n` operands and makes them pure: when any is not (it may trap), everything below them on the
 * stack is evaluated first, then each operand that is not pure, in order (v128s into lane temps).
 * The lowering may then use, repeat or drop operand lanes freely.
 */
export function takeOperands(fc: FunctionCompiler, n: number): Entry[] {
  const args = fc.popN(n);
  if (args.every((a) => a.pure)) return args;
  fc.spillNonPure();
  return args.map((a) => {
    if (a.pure) return a;
    if (a.type !== V128) return fc.materialize(a);
    const form = formOf(fc, a);
    const lanes = tempLanes(fc, form.kind, form.lanes);
    const e = derived(V128, boxCode(fc, form.kind, lanes, form.quiet), []);
    forms.set(e, { kind: form.kind, lanes, quiet: form.quiet });
    return e;
  });
}

/** The lane form of a v128 entry: its own, or the fields of its V128 object. */
function formOf(fc: FunctionCompiler, e: Entry): LaneForm {
  const own = forms.get(e);
  if (own !== undefined) return own;
  const box = e.simple ? e : fc.materialize(e);
  return { kind: 'i32', lanes: [0, 1, 2, 3].map((k) => `${box.code}.w${k}`) };
}

/**
 * The lanes of `e` in view `kind`, converting where needed; `simple` makes each a temp or literal.
 * `tolerant`: the consumer treats every NaN alike (arithmetic, comparisons), so int32 words may
 * become f32 lanes through a Float32Array, which quiets a signalling NaN; otherwise f32 lanes are
 * exact carriers (f32FromBits).
 */
export function lanesOf(fc: FunctionCompiler, e: Entry, kind: LaneKind, simple = false, tolerant = false): string[] {
  let form = formOf(fc, e);
  if (form.bytes !== undefined) return constantLanes(fc, form.bytes, kind);
  if (form.kind !== kind) form = convert(fc, form, kind, tolerant);
  return simple ? tempLanes(fc, kind, form.lanes) : [...form.lanes];
}

/** Lanes evaluated into temps (except those already simple). */
export function tempLanes(fc: FunctionCompiler, kind: LaneKind, lanes: readonly string[]): string[] {
  const type = kind === 'i32' ? I32 : kind === 'f32' ? F32 : F64;
  return lanes.map((x) => {
    if (isSimple(x)) return x;
    const t = fc.temp(type);
    fc.emit(`${t} = ${x};`);
    return t;
  });
}

/** One scalar expression as a temp or literal. */
export function simpleScalar(fc: FunctionCompiler, code: string, type: number): string {
  if (isSimple(code)) return code;
  const t = fc.temp(type);
  fc.emit(`${t} = ${code};`);
  return t;
}

/**
 * Converts lanes between views, inline through the shared scratch (SI32/SF32/SF64: a write and the
 * read after it are one expression) where that is exact, through the bit-exact helpers otherwise.
 */
function convert(fc: FunctionCompiler, form: LaneForm, kind: LaneKind, tolerant: boolean): LaneForm {
  const { lanes } = form;
  if (form.kind === kind) return form;
  const [I, F, D] = ['SI32', 'SF32', 'SF64'].map((h) => fc.helper(h)) as [string, string, string];
  if (form.kind === 'i32' && kind === 'f32') {
    if (tolerant) return { kind, lanes: lanes.map((w) => `(${I}[0] = ${w}, ${F}[0])`), quiet: true };
    const h = fc.helper('f32FromBits');
    return { kind, lanes: lanes.map((w) => `${h}(${w})`) };
  }
  if (form.kind === 'f32' && kind === 'i32') {
    if (form.quiet === true) return { kind, lanes: lanes.map((x) => `(${F}[0] = ${x}, ${I}[0])`) };
    const h = fc.helper('f32ToBits');
    return { kind, lanes: lanes.map((x) => `${h}(${x})`) };
  }
  if (form.kind === 'i32' && kind === 'f64') {
    // Two writes before the read: the words must not themselves use the scratch (a converted f32 lane would).
    const w = tempLanes(fc, 'i32', lanes);
    return { kind, lanes: [0, 2].map((k) => `(${I}[0] = ${w[k]}, ${I}[1] = ${w[k + 1]}, ${D}[0])`) };
  }
  if (form.kind === 'f64' && kind === 'i32') {
    const d = tempLanes(fc, 'f64', lanes);
    return { kind, lanes: d.flatMap((x) => [`(${D}[0] = ${x}, ${I}[0])`, `(${D}[0] = ${x}, ${I}[1])`]) };
  }
  // f32 <-> f64: through the int32 words.
  return convert(fc, convert(fc, form, 'i32', tolerant), kind, tolerant);
}

/** The lanes of a constant in any view: literals, except NaN lanes, which become exact bit conversions. */
function constantLanes(fc: FunctionCompiler, bytes: Uint8Array, kind: LaneKind): string[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const lit = (x: number) => (Object.is(x, -0) ? '(-0)' : x === Infinity ? 'Infinity' : x === -Infinity ? '(-Infinity)' : x < 0 ? `(${x})` : String(x));
  if (kind === 'i32') return [0, 4, 8, 12].map((k) => lit(v.getInt32(k, true)));
  if (kind === 'f32') {
    return [0, 4, 8, 12].map((k) => {
      const x = v.getFloat32(k, true);
      return x === x ? lit(x) : `${fc.helper('f32FromBits')}(${v.getInt32(k, true)})`;
    });
  }
  return [0, 8].map((k) => {
    const x = v.getFloat64(k, true);
    return x === x ? lit(x) : `${fc.helper('f64FromHalves')}(${v.getInt32(k, true)}, ${v.getInt32(k + 4, true)})`;
  });
}

/** Records a constant's bytes on its entry. */
export function pushConstant(fc: FunctionCompiler, e: Entry, bytes: Uint8Array): void {
  pushWithForm(fc, e, { kind: 'i32', lanes: constantLanes(fc, bytes, 'i32'), bytes: bytes.slice() });
}

/** The view an entry's lanes are in now ('i32' for a V128 object or a constant). */
export function kindOf(e: Entry): LaneKind {
  const f = forms.get(e);
  return f === undefined || f.bytes !== undefined ? 'i32' : f.kind;
}
