// Which loops can go without an epoch check at their header: innermost loops that provably run a
// small, known number of times (a C compiler's `for (i = 0; i != N; i += k)`), so that the check
// of the loop around them (or of the function) still comes within a bounded amount of work.
//
// The proof is syntactic and conservative: the loop's counter is set to a constant just before the
// loop, written once in the body (by the increment at its end), and the loop's only back edge is
// the `br_if 0` after comparing the counter with another constant. Anything that could add a back
// edge the scan does not follow (br_table, the exception and GC branch instructions, a nested loop)
// keeps the check. So does anything that may run host code (calls, memory.grow and table.grow,
// whose resource limiter is the embedder's, atomic waits): a host function that raises the epoch
// stops the loop at its next header, as in Wasmtime. Without host code only another thread can
// raise it, and for that thread the check coming a bounded amount of work later is the same as
// its increment arriving that much later.

import { ByteReader } from '../binary/reader.js';
import { readValidOpcode, skipImmediates } from '../binary/instructions.js';
import { Op } from '../binary/op.js';

/** A local set to an i32 constant by the instruction that ends at `next` (a byte offset). */
export interface ConstantSet {
  readonly local: number;
  readonly value: number;
  readonly next: number;
}

/** The most bytes of loop body times iterations run without a check: about a millisecond of JIT code. */
const MAX_UNCHECKED_BYTES = 1 << 20;
/** Longer bodies are not scanned. */
const MAX_BODY_BYTES = 4096;

/** The instruction the counted-loop pattern is matched on: its opcode and its first immediate. */
interface Step {
  readonly op: number;
  readonly imm: number;
}

/**
 * Whether the loop whose body spans [bodyStart, end) (the function's code ends at `end`) is an
 * innermost counted loop, entered right after `before` set its counter, that runs few enough
 * times for its epoch check to be left out.
 */
export function isShortCountedLoop(bytes: Uint8Array, bodyStart: number, end: number, before: ConstantSet): boolean {
  try {
    return scan(new ByteReader(bytes, bodyStart, Math.min(end, bodyStart + MAX_BODY_BYTES)), before);
  } catch {
    return false; // the body runs past what is scanned (the function itself was validated)
  }
}

function scan(r: ByteReader, before: ConstantSet): boolean {
  const bodyStart = r.pos;
  const writes = new Map<number, number>();
  let depth = 0;
  let backEdges = 0;
  const tail: Step[] = [];
  while (r.pos < r.end) {
    const op = readValidOpcode(r);
    if (op === undefined || NOT_FOLLOWED.has(op.code) || op.code >>> 16 === GC_PREFIX) return false;
    const code = op.code;
    if (code === Op.End) {
      if (depth === 0) return backEdges === 1 && countedTail(tail, writes, before, r.pos - bodyStart);
      depth--;
      tail.length = 0;
      continue;
    }
    if (code === Op.Block || code === Op.If) depth++;
    let imm = 0;
    if (code === Op.Br || code === Op.BrIf || code === Op.LocalSet || code === Op.LocalTee || code === Op.LocalGet) {
      imm = r.u32();
    } else if (code === Op.I32Const) {
      imm = r.s32();
    } else {
      skipImmediates(r, op);
    }
    if ((code === Op.Br || code === Op.BrIf) && imm === depth) backEdges++;
    if (code === Op.LocalSet || code === Op.LocalTee) writes.set(imm, (writes.get(imm) ?? 0) + 1);
    if (depth === 0) {
      tail.push({ op: code, imm });
      if (tail.length > 7) tail.shift();
    } else {
      tail.length = 0;
    }
  }
  return false;
}

/**
 * Instructions after which the scan cannot vouch for the loop: a nested loop, br_table, the
 * exception instructions (their labels and handlers) and the reference branches, which may all
 * branch back to the loop (the GC prefix is refused as a whole for its br_on_cast forms); the
 * calls, memory.grow, table.grow and the atomic waits, which may run host code.
 */
const NOT_FOLLOWED = new Set<number>([
  Op.Loop, Op.BrTable, Op.Try, Op.Catch, Op.Throw, Op.Rethrow, Op.ThrowRef, Op.Delegate, Op.CatchAll, Op.TryTable,
  Op.BrOnNull, Op.BrOnNonNull, Op.Call, Op.CallIndirect, Op.ReturnCall, Op.ReturnCallIndirect, Op.CallRef,
  Op.ReturnCallRef, Op.MemoryGrow, Op.TableGrow, Op.MemoryAtomicNotify, Op.MemoryAtomicWait32, Op.MemoryAtomicWait64,
]);
const GC_PREFIX = 0xfb;

/**
 * The body ends `local.get x; i32.const step; i32.add; local.tee x; i32.const bound; i32.ne; br_if 0`,
 * x is written nowhere else, and from the constant it starts at it reaches `bound` after few enough
 * iterations (modulo 2^32, as i32 arithmetic wraps).
 */
function countedTail(tail: readonly Step[], writes: ReadonlyMap<number, number>, before: ConstantSet, bodyBytes: number): boolean {
  if (tail.length !== 7) return false;
  const [get, step, add, tee, bound, ne, br] = tail as [Step, Step, Step, Step, Step, Step, Step];
  const x = get.imm;
  if (get.op !== Op.LocalGet || step.op !== Op.I32Const || add.op !== Op.I32Add || tee.op !== Op.LocalTee || tee.imm !== x
    || bound.op !== Op.I32Const || ne.op !== Op.I32Ne || br.op !== Op.BrIf || br.imm !== 0) return false;
  if (before.local !== x || writes.get(x) !== 1 || step.imm === 0) return false;
  // The distance to cover in the direction of the step, and the iterations that cover it exactly.
  const distance = step.imm > 0 ? (bound.imm - before.value) >>> 0 : (before.value - bound.imm) >>> 0;
  const stride = Math.abs(step.imm);
  if (distance === 0 || distance % stride !== 0) return false;
  return (distance / stride) * bodyBytes <= MAX_UNCHECKED_BYTES;
}
