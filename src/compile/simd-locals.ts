// v128 locals and parameters as lets, so that SIMD code that keeps vectors in locals (all of clang's)
// reads and writes lanes instead of allocating a V128 per local.set: four int32 words (`l5_0` ..
// `l5_3`), or, for a live range that only float arithmetic (and splats, constants and loads) writes,
// its f32 carriers or two doubles in lets of its own (`l5w2_0` ..), so that a loop's f32x4
// accumulator is not converted to words and back through the scratch on every iteration (those
// conversions are serial: every one goes through the same scratch word).

import { CompileError } from '../core/errors.js';
import { F32, F64, I32, V128 } from '../core/types.js';
import { Op } from '../binary/op.js';
import { entry, type Entry } from './entry.js';
import type { FunctionCompiler } from './function-compiler.js';
import { consumerAt } from './consumer.js';
import { FLOAT_LANE_RESULTS, operandView } from './simd-inline.js';
import { lanesOf, pushWithForm, viewOf, type LaneKind } from './simd-lanes.js';
import type { V128Webs } from './simd-webs.js';

const LANES = [0, 1, 2, 3];

/** How a live range of a v128 local keeps its lanes: the view, and (f32) whether every carrier is quiet. */
export interface V128View {
  readonly kind: LaneKind;
  readonly quiet: boolean;
}

const WORDS: V128View = { kind: 'i32', quiet: false };

/** Where the lanes of a v128 local's value live at one read or write: their lets, and their view. */
export interface V128Slot {
  readonly names: readonly string[];
  readonly view: V128View;
}

/** The words of v128 local `i` (parameters and every live range kept as words). */
export function wordSlot(i: number): V128Slot {
  return { names: LANES.map((k) => `l${i}_${k}`), view: WORDS };
}

/** The lets of live range `w` of local `i`, kept in `view`. */
export function webSlot(i: number, w: number, view: V128View): V128Slot {
  return { names: (view.kind === 'f64' ? [0, 1] : LANES).map((k) => `l${i}w${w}_${k}`), view };
}

/**
 * The view each live range keeps its lanes in: 'f32' or 'f64' when each of its writes takes the
 * result of the instruction just before its local.set/tee, that instruction gives lanes of that
 * view (FLOAT_LANE_RESULTS: float arithmetic; or a splat of that shape, a v128.const or a v128.load,
 * which then reads that view; or the local's zero at entry), and no two of them give different
 * views; a range that only loads and constants write takes the view its reads all want; words
 * otherwise, and always for a parameter's argument. An f32 range is quiet when only arithmetic,
 * zero and constants without signalling-NaN lanes write it: a carrier made by arithmetic is never a
 * signalling NaN, so reading it as words through the scratch is exact. Other f32 ranges would be
 * read as words with f32ToBits, a call per lane: they are kept as f32 lanes only when every read
 * goes to an instruction that wants f32 lanes.
 */
export function webViews(webs: V128Webs, bytes: Uint8Array, end: number): V128View[] {
  return webs.webs.map((web) => {
    let kind: LaneKind | undefined;
    let quiet = true;
    for (const d of web.defs) {
      const made = FLOAT_LANE_RESULTS.get(d.by);
      const splat = d.by === Op.F32x4Splat ? 'f32' : d.by === Op.F64x2Splat ? 'f64' : undefined;
      const view = made ?? splat;
      if (view !== undefined) {
        if (kind !== undefined && kind !== view) return WORDS;
        kind = view;
        if (made === undefined) quiet = false;
      } else if (d.by === Op.V128Const) {
        if (d.signals === true) quiet = false;
      } else if (d.by === Op.V128Load) {
        quiet = false;
      } else if (d.by !== -1) {
        return WORDS;
      }
    }
    const reads = web.reads.map((at) => readView(bytes, at, end));
    // Written only by loads and constants: kept as floats if every read wants the same float view.
    if (kind === undefined && reads.length > 0 && reads.every((v) => v !== 'i32' && v === reads[0])) kind = reads[0];
    if (kind === undefined || kind === 'i32') return WORDS;
    const q = kind === 'f32' && quiet;
    if (kind === 'f32' && !q && reads.some((v) => v !== 'f32')) return WORDS;
    return { kind, quiet: q };
  });
}

/** The view the user of a value pushed just before `pos` wants its lanes in. */
function readView(bytes: Uint8Array, pos: number, end: number): LaneKind {
  const c = consumerAt(bytes, pos, end);
  return c !== null && c.op.prefix === 0xfd ? operandView(c.op.code, c.operand).kind : 'i32';
}

/** Declarations of v128 local `i`'s words: a parameter arrives as a V128 object and is unpacked at entry. */
export function v128LocalDecls(i: number, param: boolean): string[] {
  return LANES.map((k) => (param ? `l${i}_${k} = l${i}.w${k}` : `l${i}_${k} = 0`));
}

/** local.get of v128 local `i` (also the value local.tee leaves). */
export function pushV128Local(fc: FunctionCompiler, i: number): void {
  const { names, view } = fc.v128Slot(i, fc.at);
  const lanes = [...names];
  const box = view.kind === 'i32' ? `new ${fc.helper('V128')}(${lanes.join(', ')})`
    : `${fc.helper(view.kind === 'f32' ? 'v128_of_f32' : 'v128_of_f64')}(${lanes.join(', ')})`;
  const e: Entry = entry(V128, box, '', true, [i]);
  pushWithForm(fc, e, { kind: view.kind, lanes, quiet: view.quiet });
}

/**
 * local.set of v128 local `i` to `v` (stack entries reading the local were already evaluated by the
 * caller). Lanes are assigned in order, so a lane that reads an earlier lane of the same local
 * (a shuffle of the local into itself) is evaluated into a temp first.
 */
export function setV128Local(fc: FunctionCompiler, i: number, v: Entry): void {
  const { names, view } = fc.v128Slot(i, fc.at);
  const { kind, quiet } = view;
  if (kind !== 'i32') {
    const form = viewOf(v);
    // webViews promised lanes of this view (quiet ones, for a quiet range), or a constant: anything
    // else is a bug here.
    if (form === undefined || (form.bytes === undefined && (form.kind !== kind || (quiet && form.quiet !== true)))) {
      throw new CompileError(`internal error: function ${fc.funcIndex}: local ${i} is kept as ${kind} lanes here, but is set to another view`);
    }
  }
  const lanes = lanesOf(fc, v, kind);
  // Always a temp, even for a bare lane name such as l5_1 (tempLanes would leave that as it is).
  const safe = lanes.map((x, k) => {
    if (!names.slice(0, k).some((n) => x.includes(n) && new RegExp(`\\b${n}\\b`).test(x))) return x;
    const t = fc.temp(kind === 'i32' ? I32 : kind === 'f32' ? F32 : F64);
    fc.emit(`${t} = ${x};`);
    return t;
  });
  fc.emit(names.map((n, k) => `${n} = ${safe[k]};`).join(' '));
}
