// Long runs of code that are not switch loops (unrolled hash rounds, heavily inlined C) compiled as
// parts, cut between instructions: V8 never optimises a function of over 60 KiB of bytecode unless
// its limit is lifted (browsers cannot), and such code then runs hundreds of times slower than
// native. The parts are split.ts's, as a chain whose states are the runs in order: each part
// falls through to the next by returning its state, and branches out of a run leave through the
// outer function's dispatcher.

import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';
import { readValidOpcode, skipImmediates } from '../binary/instructions.js';
import { I64, V128 } from '../core/types.js';
import type { FunctionCompiler } from './function-compiler.js';
import { tuned } from './interpreter-tuning.js';
import { finishSplit, fromResultSlots, leave, openSplit, splitBoundary, startNextPart, toResultSlots, type Split } from './split.js';
import { simpleEntry } from './entry.js';
import { unitsLiveness, type UnitLiveness } from './split-liveness.js';
import { HUGE_SPLIT_MIN_BYTES, cutsEverywhere, partsCarryLocals, splitChainMin } from './split-choice.js';

/**
 * A block, loop, `if` arm or function body is cut into parts when its estimated size (bytes,
 * i64 instructions weighted, see I64_WEIGHT) is at least this. V8 stops optimising straight-line
 * i32 code at about 23 KB of wasm and i64 code at about 6.5 KB (perfcliff sweep, no tuneV8).
 */
export const LINEAR_SPLIT_MIN_WEIGHT = 12288;
/** An i64 instruction's bytes count this many times: each becomes two int32 halves of JS. */
const I64_WEIGHT = 4;
/**
 * A part ends at the first instruction boundary after this many characters of generated JS (not
 * counting indentation).
 */
export const LINEAR_PART_CHARS = 32768;

/** Where a unit that is cut into parts starts (the byte after its block type, `else`, or locals). */
export type LinearStarts = ReadonlySet<number>;

/** A cut unit being compiled: its split, how many frames are open at its level, where its part began. */
export interface Linear {
  readonly split: Split;
  readonly depth: number;
  /** FunctionCompiler.emittedChars when the part being written began. */
  partStart: number;
  /** Liveness at the unit's instruction boundaries (null: unknown), and the split's case entries, filled in as parts end. */
  readonly unit: UnitLiveness | null;
  readonly caseEntry: ReadonlySet<number>[];
}

/**
 * The units of this function to cut into parts (null: none): the innermost blocks, loops, arms and
 * the body that are large enough and have no parameters or results (the body may have results).
 * Functions with a switch chain are left to split.ts, as are those parts cannot carry (v128 or
 * other non-scalar locals, exception handlers, tail calls through the trampoline).
 */
export function linearStarts(fc: FunctionCompiler): LinearStarts | null {
  const everywhere = cutsEverywhere();
  const o = fc.mc.options;
  const m = fc.mc.module;
  const code = m.codes[fc.funcIndex - m.numImportedFuncs]!.code;
  const size = code.end - code.start;
  if (!everywhere) {
    if (tuned(o) && o.splitLargeSwitches !== true) return null;
    const allowed = o.splitLargeSwitches !== false || (o.splitHugeSwitches === true && size >= HUGE_SPLIT_MIN_BYTES);
    if (!allowed || size < LINEAR_SPLIT_MIN_WEIGHT / I64_WEIGHT) return null;
  }
  if (fc.trampolined || !partsCarryLocals(fc)) return null;
  const wide = Uint8Array.from(fc.localTypes, (t) => (t === I64 ? 1 : 0));
  return scanUnits(fc.r.bytes, code.start, code.end, wide, everywhere ? 0 : LINEAR_SPLIT_MIN_WEIGHT, everywhere ? 0 : splitChainMin());
}

interface Unit {
  readonly start: number;
  readonly ok: boolean;
  weight: number;
  chosenInside: boolean;
}

function scanUnits(bytes: Uint8Array, start: number, end: number, wideLocals: Uint8Array, minWeight: number, chainMin: number): Set<number> | null {
  const r = new ByteReader(bytes, start, end);
  const out = new Set<number>();
  const units: Unit[] = [{ start, ok: true, weight: 0, chosenInside: false }];
  let emptyBlocks = 0;
  const finish = (u: Unit): void => {
    const chosen = u.ok && !u.chosenInside && u.weight >= minWeight;
    if (chosen) out.add(u.start);
    const parent = units[units.length - 1];
    if (parent !== undefined) {
      parent.weight += u.weight;
      parent.chosenInside ||= chosen || u.chosenInside;
    }
  };
  while (r.pos < r.end) {
    const at = r.pos;
    const byte = bytes[at]!;
    const op = readValidOpcode(r);
    if (op === undefined || op.feature === 'exceptions' || op.feature === 'legacy_exceptions') return null;
    const top = units[units.length - 1]!;
    if (byte === Op.Block || byte === Op.Loop || byte === Op.If) {
      const empty = bytes[r.pos] === 0x40;
      emptyBlocks = byte === Op.Block && empty ? emptyBlocks + 1 : 0;
      // A run of empty blocks is a switch (split.ts's chains): such functions are not cut here.
      if (chainMin > 0 && emptyBlocks >= chainMin) return null;
      skipImmediates(r, op);
      top.weight += r.pos - at;
      units.push({ start: r.pos, ok: empty, weight: 0, chosenInside: false });
      continue;
    }
    emptyBlocks = 0;
    if (byte === Op.LocalGet || byte === Op.LocalSet || byte === Op.LocalTee) {
      top.weight += (wideLocals[r.u32()] === 1 ? I64_WEIGHT : 1) * (r.pos - at);
      continue;
    }
    skipImmediates(r, op);
    if (byte === Op.Else) {
      const arm = units.pop()!;
      finish(arm);
      units.push({ start: r.pos, ok: arm.ok, weight: 0, chosenInside: false });
      continue;
    }
    if (byte === Op.End) {
      finish(units.pop()!);
      if (units.length === 0) break;
      continue;
    }
    const wide = op.params?.includes(I64) === true || op.results?.includes(I64) === true;
    top.weight += (r.pos - at) * (wide ? I64_WEIGHT : 1);
  }
  return out.size > 0 ? out : null;
}

/** Each function's liveness in all its cut units, from one walk (and dropped with its compiler). */
const unitsLivenessOf = new WeakMap<FunctionCompiler, ReadonlyMap<number, UnitLiveness> | null>();

/**
 * Opens the cut of the unit whose frame is on top (the operand stack is empty; `starts` are all the
 * function's, this one among them): case 0 is empty.
 */
export function openLinear(fc: FunctionCompiler, label: string, state: string, starts: LinearStarts): Linear {
  let units = unitsLivenessOf.get(fc);
  if (units === undefined) {
    const m = fc.mc.module;
    const code = m.codes[fc.funcIndex - m.numImportedFuncs]!.code;
    units = unitsLiveness(fc.r.bytes, code.start, code.end, fc.localTypes.length, starts);
    unitsLivenessOf.set(fc, units);
  }
  const unit = units?.get(fc.r.pos) ?? null;
  const first = unit?.at(fc.r.pos) ?? null;
  // The walk's frames around the unit are fc.frames after the function's, one for one.
  const known = unit !== null && first !== null && unit.frameTarget.length === fc.frames.length - 1;
  const caseEntry: ReadonlySet<number>[] = [new Set(), first ?? new Set()];
  const s = openSplit(fc, label, state, 0, known ? { caseEntry, frameTarget: unit.frameTarget } : null);
  fc.split = s;
  splitBoundary(fc, s, 1, true);
  return { split: s, depth: fc.frames.length, partStart: fc.emittedChars, unit: known ? unit : null, caseEntry };
}

/** What is live where the instruction at `pos` begins (every local where that is not known). */
function liveAt(fc: FunctionCompiler, l: Linear, pos: number): ReadonlySet<number> {
  const known = l.unit?.at(pos) ?? null;
  return known ?? new Set(fc.localTypes.keys());
}

/**
 * Operand values a part hands to the next one through the result slots, at most: clang keeps
 * values on the stack across whole unrolled rounds (BLAKE2b's compress empties it 28 times in
 * 6 KB), so runs are cut between instructions, not only between statements.
 */
const MAX_CARRIED = 256;

/** Whether the part being written is long enough to end before the next instruction, and may. */
export function partFull(fc: FunctionCompiler, l: Linear): boolean {
  const stack = fc.stack;
  if (stack.length > MAX_CARRIED) return false;
  // Not v128s, nor an i64 load on its way to a store as one float64 (memory-ops.ts): no halves.
  for (const e of stack) if (e.type === V128 || (e.type === I64 && e.hi === '' && e.hiOf === undefined)) return false;
  return fc.emittedChars - l.partStart >= (cutsEverywhere() ? 1 : LINEAR_PART_CHARS);
}

/**
 * Ends the part being written; the next instruction (at `pos`) starts the next, with the operands
 * carried over.
 */
export function linearBoundary(fc: FunctionCompiler, l: Linear, pos: number): void {
  l.caseEntry[fc.part!.last + 1] = liveAt(fc, l, pos);
  const values = fc.popN(fc.stack.length);
  toResultSlots(fc, values);
  startNextPart(fc, l.split);
  // Copied out at once: the next call the part makes writes the same slots.
  for (const e of fromResultSlots(values.map((v) => v.type))) {
    const t = fc.temp(e.type);
    fc.emit(e.type === I64 ? `${t} = ${e.code}; ${t}h = ${e.hi};` : `${t} = ${e.code};`);
    fc.push(simpleEntry(e.type, t, e.type === I64 ? `${t}h` : ''));
  }
  l.partStart = fc.emittedChars;
}

/**
 * The unit's `end` or `else`: the last part leaves for the end of the chain (when control gets
 * there) and the outer function's dispatcher is written.
 */
export function closeLinear(fc: FunctionCompiler, l: Linear, reachable: boolean, pos: number): void {
  const s = l.split;
  s.n = fc.part!.last + 1;
  l.caseEntry[s.n] = liveAt(fc, l, pos);
  if (reachable) leave(fc, s, s.n);
  finishSplit(fc, s);
  fc.split = s.parent;
}
