// Which functions are split into parts (split.ts), and where: Go's dispatch loops, and chains of
// blocks that span most of a large function (clang's `switch` loops, interpreters' main loops).

import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';
import { readValidOpcode, skipImmediates } from '../binary/instructions.js';
import { F32, F64, I32, I64, isRef } from '../core/types.js';
import type { FunctionCompiler } from './function-compiler.js';
import { tuned } from './interpreter-tuning.js';

/**
 * Bodies of at least this many bytes are split at a large chain. Go's dispatch loops are up to
 * 195 KB and 10 times that as JS; TurboFan took 5-11 s per compile of the largest and gave up on two
 * ("code generation failed", over 16K deoptimization exits), and re-compiled the others after
 * every deoptimization. clang's large `switch` loops (SQLite's and QuickJS's interpreters, 35 and
 * 29 KB) are JS functions that no engine optimises at all unless its limits are lifted.
 */
export const SPLIT_MIN_BYTES = 16384;
/**
 * A chain that is not a Go dispatch (any `switch` compiled by clang) is split when its cases span
 * at least this many bytes: then most of the function is in parts.
 */
export const CHAIN_SPLIT_MIN_BYTES = 8192;
/**
 * Where the engine optimises functions of any size (tuneV8), a clang `switch` loop is still split
 * in a body of at least this many bytes, unless Config.splitLargeSwitches says otherwise:
 * TurboFan took 5.5-7.9 s to compile CPython's 77 KB evaluation loop (Pyodide) and threw the code
 * away at the first path it had not seen run, so Python ran unoptimised most of the time.
 */
export const HUGE_SPLIT_MIN_BYTES = 49152;
/**
 * Fewer blocks than CHAIN_MIN still form a chain when it is split: SQLite's interpreter switches
 * over 50 blocks around a block holding another 132, each case an opcode's code.
 */
export const SPLIT_CHAIN_MIN = 16;
let everywhere = false;
let straightEverywhere = false;

/**
 * Test switch: split every chain of two or more blocks in any function, each case its own part, and
 * cut every innermost block, loop, arm or body into parts between its instructions
 * (split-linear.ts), so that the fuzzers run the parts' machinery under every shape they generate;
 * 'chains' splits the chains only (null or false: off).
 */
export function forceSplitEverywhere(on: boolean | 'chains' | null): void {
  everywhere = on === true || on === 'chains';
  straightEverywhere = on === true;
}

/** Whether the test switch cuts straight runs everywhere too. */
export function cutsEverywhere(): boolean {
  return straightEverywhere;
}

/** Whether the test switch is on. */
export function splitsEverywhere(): boolean {
  return everywhere;
}

/** The fewest blocks a chain that is split may have (SPLIT_CHAIN_MIN unless forced everywhere). */
export function splitChainMin(): number {
  return everywhere ? 2 : SPLIT_CHAIN_MIN;
}

/** Parts pass written locals back through LI/LF/LR (slots.ts), which have this many entries. */
const MAX_COMPONENTS = 1000;

/**
 * Whether parts can take and hand back this function's locals: numbers and references only (not
 * v128s), and no more components than the LI/LF/LR slots hold.
 */
export function partsCarryLocals(fc: FunctionCompiler): boolean {
  let components = 0;
  for (const t of fc.localTypes) {
    if (!(t === I32 || t === I64 || t === F32 || t === F64 || isRef(t))) return false;
    components += t === I64 ? 2 : 1;
  }
  return components <= MAX_COMPONENTS;
}

/**
 * Whether a part may open inside the frames open now: a branch to one leaves the part, its values
 * through the result slots, so none may take parameters or handle exceptions.
 */
export function partsLeaveFrames(fc: FunctionCompiler): boolean {
  return fc.frames.every((f) => f.kind === 'func' || (f.params.length === 0 && f.exn === undefined));
}

/** The local that a chain's first instruction dispatches on (`local.get x; br_table`), else null. */
export function dispatchLocal(fc: FunctionCompiler): number | null {
  const r = fc.r;
  if (r.bytes[r.pos] !== Op.LocalGet) return null;
  const peek = new ByteReader(r.bytes, r.pos + 1, r.end);
  const x = peek.u32();
  return r.bytes[peek.pos] === Op.BrTable ? x : null;
}

/**
 * Whether the body is split at this chain (of n blocks; x is the local a dispatch loop switches on,
 * else null): large, with scalar locals, and either a dispatch loop whose state is (nearly) always
 * set to constants or a chain spanning most of the function.
 */
export function shouldSplit(fc: FunctionCompiler, x: number | null, n: number, casesStart: number): boolean {
  const m = fc.mc.module;
  const body = m.codes[fc.funcIndex - m.numImportedFuncs]!;
  // A split inside another's case 0 is in the outer function; inside a part it is not.
  if ((!everywhere && body.code.end - body.code.start < SPLIT_MIN_BYTES) || fc.trampolined || fc.part !== null) return false;
  if (!partsCarryLocals(fc) || !partsLeaveFrames(fc)) return false;
  const o = fc.mc.options;
  // Parts are for a JIT, which optimises each one on its own; code tuned for an interpreter would
  // only pay for their calls and the locals they pass. For switches the configuration says so
  // already (resolveConfig turns both switch options off); Go's loops, split regardless of them,
  // stay whole here unless splitting is asked for.
  const dispatchLoops = o.splitLargeSwitches === true || !tuned(o);
  if (x !== null && dispatchLoops && constantSets(fc, x, body.code.start, body.code.end)) return true;
  if (everywhere) return !handlesExceptions(fc, body.code.start, body.code.end);
  const switches = o.splitLargeSwitches !== false || (o.splitHugeSwitches === true && body.code.end - body.code.start >= HUGE_SPLIT_MIN_BYTES);
  return switches && !handlesExceptions(fc, body.code.start, body.code.end) && chainEnd(fc, n, casesStart) - casesStart >= CHAIN_SPLIT_MIN_BYTES;
}

/** Where the chain of n blocks whose case 0 starts at casesStart ends: after its outermost block's `end`. */
function chainEnd(fc: FunctionCompiler, n: number, casesStart: number): number {
  const r = new ByteReader(fc.r.bytes, casesStart, fc.r.end);
  let depth = n;
  while (r.pos < r.end) {
    const byte = r.bytes[r.pos]!;
    const op = readValidOpcode(r);
    if (op === undefined) return r.pos;
    if (byte === Op.Block || byte === Op.Loop || byte === Op.If || byte === Op.Try || byte === Op.TryTable) depth++;
    else if (byte === Op.End && --depth === 0) return r.pos;
    skipImmediates(r, op);
  }
  return r.pos;
}

/** What shouldSplit reads from a whole body, found in one pass per function (see bodyScan). */
interface BodyScan {
  /** An exception-handling instruction (parts do not carry handlers), or an opcode this does not read. */
  readonly handlesExceptions: boolean;
  /** Per local: how often the body sets it, and how often right after an `i32.const`. */
  readonly sets: Int32Array;
  readonly constantSets: Int32Array;
}

/**
 * Each function's scan, made on its first chain (a body with a thousand dispatch loops asked about
 * each in turn, each time over the whole body: 1 MB took 4.8 s) and dropped with its compiler.
 */
const scans = new WeakMap<FunctionCompiler, BodyScan>();

function bodyScan(fc: FunctionCompiler, start: number, end: number): BodyScan {
  let scan = scans.get(fc);
  if (scan === undefined) {
    scan = scanBody(fc, start, end);
    scans.set(fc, scan);
  }
  return scan;
}

function handlesExceptions(fc: FunctionCompiler, start: number, end: number): boolean {
  return bodyScan(fc, start, end).handlesExceptions;
}

/**
 * At least 90% of the `local.set/tee x` follow an `i32.const` (so most jumps resolve to a case at
 * compile time and stay in their part; Go also reuses the local once per indirect call), and
 * nothing handles exceptions.
 */
function constantSets(fc: FunctionCompiler, x: number, start: number, end: number): boolean {
  const scan = bodyScan(fc, start, end);
  return !scan.handlesExceptions && scan.constantSets[x]! >= scan.sets[x]! * 0.9;
}

function scanBody(fc: FunctionCompiler, start: number, end: number): BodyScan {
  const sets = new Int32Array(fc.localTypes.length);
  const constantSets = new Int32Array(fc.localTypes.length);
  const r = new ByteReader(fc.r.bytes, start, end);
  let prev = -1;
  while (r.pos < r.end) {
    const byte = r.bytes[r.pos]!;
    const op = readValidOpcode(r);
    if (op === undefined || op.feature === 'exceptions' || op.feature === 'legacy_exceptions') {
      return { handlesExceptions: true, sets, constantSets };
    }
    if (byte === Op.LocalSet || byte === Op.LocalTee) {
      const x = r.u32();
      if (x < sets.length) {
        sets[x]!++;
        if (prev === Op.I32Const) constantSets[x]!++;
      }
    } else {
      skipImmediates(r, op);
    }
    prev = byte;
  }
  return { handlesExceptions: false, sets, constantSets };
}
