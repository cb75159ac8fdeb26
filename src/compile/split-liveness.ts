// Which locals a split chain's parts must be handed and must hand back: liveness over the function's
// control-flow graph, so a part call passes only the locals that may be read before they are written
// from its cases on, and writes back only those that may be read after it returns.

import { Op } from '../binary/op.js';
import { Imm } from '../binary/opcodes.js';
import { ByteReader } from '../binary/reader.js';
import { readValidOpcode, skipImmediates } from '../binary/instructions.js';

/** Liveness at a split chain's boundaries, as sets of local indices. */
export interface ChainLiveness {
  /** The locals live at the start of case k (index k, 1..n; index n is the code after the chain). */
  readonly caseEntry: readonly ReadonlySet<number>[];
  /** The locals live where a branch to each frame around the chain goes (outermost first, no function frame). */
  readonly frameTarget: readonly ReadonlySet<number>[];
}

interface WalkFrame {
  readonly kind: 'block' | 'loop' | 'if';
  /** The frame around it (null at the function's level): frames form a tree that queries share. */
  readonly parent: WalkFrame | null;
  /** Where a branch to it goes: the loop's header or the block's continuation. */
  readonly target: number;
  /** The node after its `end`. */
  readonly cont: number;
  /** An `if`: the node whose condition chose the arm, and whether an `else` was seen. */
  readonly from: number;
  hasElse: boolean;
}

/**
 * Liveness at every basic block of one function body, computed once however many chains the
 * function splits (they nest: SQLite's do, and a body nesting hundreds made every chain walk and
 * solve the whole body again, quadratic in its size), and the frames open after each block-opening
 * instruction.
 */
export interface FunctionLiveness {
  readonly numLocals: number;
  readonly words: number;
  /** Live-in bit sets, `words` per basic block. */
  readonly live: Int32Array;
  /** The innermost frame open at each position that follows a block, loop or if. */
  readonly frameAfter: ReadonlyMap<number, WalkFrame>;
}

/**
 * Liveness for the chain of n blocks whose case 0 starts at casesStart, in the body [start, end) of
 * a function with numLocals locals, or null where the body has control flow this analysis does not
 * model (exception handling).
 */
export function chainLiveness(
  bytes: Uint8Array, start: number, end: number, numLocals: number, n: number, casesStart: number,
): ChainLiveness | null {
  const f = functionLiveness(bytes, start, end, numLocals);
  return f === null ? null : livenessAtChain(f, n, casesStart);
}

/** chainLiveness from a function's liveness: the chain's n blocks are the innermost frames at casesStart. */
export function livenessAtChain(f: FunctionLiveness, n: number, casesStart: number): ChainLiveness | null {
  const frames: WalkFrame[] = [];
  for (let w = f.frameAfter.get(casesStart) ?? null; w !== null; w = w.parent) frames.push(w);
  if (frames.length < n) return null;
  // Innermost first: the chain's blocks, whose continuations are cases 1..n, then the frames around it.
  const caseEntries = frames.slice(0, n).map((w) => w.cont);
  const enclosing = frames.slice(n).reverse().map((w) => w.target);
  return { caseEntry: [new Set(), ...caseEntries.map((i) => liveSet(f, i))], frameTarget: enclosing.map((i) => liveSet(f, i)) };
}

/** The locals live on entry to basic block `i`. */
function liveSet(f: FunctionLiveness, i: number): Set<number> {
  const out = new Set<number>();
  for (let x = 0; x < f.numLocals; x++) if (f.live[i * f.words + (x >>> 5)]! & (1 << (x & 31))) out.add(x);
  return out;
}

/**
 * Liveness over the control-flow graph of the body [start, end), locals as bit sets, 32 to a word
 * (Go's bodies have tens of thousands of basic blocks), or null where the body has control flow
 * this analysis does not model (exception handling).
 */
export function functionLiveness(bytes: Uint8Array, start: number, end: number, numLocals: number): FunctionLiveness | null {
  return walk(bytes, start, end, numLocals, NO_UNITS)?.liveness ?? null;
}

const NO_UNITS: ReadonlySet<number> = new Set();

/** Liveness at the instruction boundaries of one unit cut into straight runs (split-linear.ts). */
export interface UnitLiveness {
  /** The locals live at the instruction starting at `pos` (one at the unit's own level), else null. */
  at(pos: number): ReadonlySet<number> | null;
  /** The locals live where a branch to each frame around the unit's body goes (outermost first, the unit's own last). */
  readonly frameTarget: readonly ReadonlySet<number>[];
}

/**
 * Liveness in the units whose bodies start at `unitStarts` (disjoint: none inside another), by unit
 * start, from one walk of the body in which every instruction at a unit's level begins a basic
 * block of its own, so that any of them can be asked about; null where the body has control flow
 * the analysis does not model.
 */
export function unitsLiveness(
  bytes: Uint8Array, start: number, end: number, numLocals: number, unitStarts: ReadonlySet<number>,
): ReadonlyMap<number, UnitLiveness> | null {
  const w = walk(bytes, start, end, numLocals, unitStarts);
  if (w === null) return null;
  const f = w.liveness;
  const at = (pos: number): Set<number> | null => {
    const i = w.unitNodes.get(pos);
    return i === undefined ? null : liveSet(f, i);
  };
  const out = new Map<number, UnitLiveness>();
  for (const [unit, frames] of w.unitFrames) out.set(unit, { at, frameTarget: frames.map((frame) => liveSet(f, frame.target)) });
  return out;
}

interface Walk {
  readonly liveness: FunctionLiveness;
  /** The node each instruction at a unit's level starts, and by unit start the frames open in its body. */
  readonly unitNodes: ReadonlyMap<number, number>;
  readonly unitFrames: ReadonlyMap<number, readonly WalkFrame[]>;
}

function walk(bytes: Uint8Array, start: number, end: number, numLocals: number, unitStarts: ReadonlySet<number>): Walk | null {
  const g = buildGraph(bytes, start, end, numLocals, unitStarts, null);
  return g === null ? null : { liveness: solveLiveness(g, numLocals), unitNodes: g.unitNodes, unitFrames: g.unitFrames };
}

/**
 * Called at each local.get, local.set and local.tee of a walk, in order: the basic block it is in,
 * its position and the position after it, its opcode and local, and the opcode of the instruction
 * before it and where that instruction's immediates start.
 */
export type LocalVisitor = (block: number, at: number, after: number, op: number, local: number, prevOp: number, prevImm: number) => void;

/**
 * The basic blocks of the body [start, end) and where control may go from each (`entry` the first;
 * block 0 is the function's exit), calling `visit` at each local access; null where the body has
 * control flow this walk does not model (exception handling).
 */
export function bodyBlocks(
  bytes: Uint8Array, start: number, end: number, numLocals: number, visit: LocalVisitor,
): { readonly succ: readonly (readonly number[])[]; readonly entry: number } | null {
  return buildGraph(bytes, start, end, numLocals, NO_UNITS, visit);
}

interface Graph {
  readonly uses: readonly (readonly number[])[];
  readonly defs: readonly (readonly number[])[];
  readonly succ: readonly (readonly number[])[];
  readonly entry: number;
  readonly frameAfter: ReadonlyMap<number, WalkFrame>;
  readonly unitNodes: ReadonlyMap<number, number>;
  readonly unitFrames: ReadonlyMap<number, readonly WalkFrame[]>;
}

function buildGraph(
  bytes: Uint8Array, start: number, end: number, numLocals: number, unitStarts: ReadonlySet<number>, visit: LocalVisitor | null,
): Graph | null {
  // Per basic block: the locals it reads before writing and those it writes (as lists while walking),
  // and where control may go next.
  const uses: number[][] = [];
  const defs: number[][] = [];
  const succ: number[][] = [];
  const node = (): number => {
    uses.push([]);
    defs.push([]);
    return succ.push([]) - 1;
  };
  // definedIn[x] is 1 + the block that last wrote local x, so a read in the same block is not a use.
  const definedIn = new Int32Array(numLocals);
  const link = (from: number, to: number) => succ[from]!.push(to);
  const exit = node();
  let cur = node();
  const entry = cur;
  let lastOp = -1;
  let lastImm = -1;
  const frames: WalkFrame[] = [];
  const frameAfter = new Map<number, WalkFrame>();
  const r = new ByteReader(bytes, start, end);
  const open = (frame: WalkFrame) => {
    frames.push(frame);
    frameAfter.set(r.pos, frame);
  };
  const top = () => frames[frames.length - 1] ?? null;
  const branch = (depth: number) => {
    const f = frames[frames.length - 1 - depth];
    link(cur, f === undefined ? exit : f.target);
  };
  const split = () => {
    const next = node();
    link(cur, next);
    cur = next;
  };
  // The level of the unit being walked: how many frames are open inside its body (-1: none).
  let level = -1;
  const unitFrames = new Map<number, readonly WalkFrame[]>();
  const unitNodes = new Map<number, number>();
  while (r.pos < r.end) {
    if (level >= 0 && frames.length < level) level = -1;
    if (unitStarts.has(r.pos)) {
      level = frames.length;
      unitFrames.set(r.pos, [...frames]);
    }
    if (level >= 0 && frames.length === level) {
      split();
      unitNodes.set(r.pos, cur);
    }
    const at = r.pos;
    const byte = r.bytes[at]!;
    const op = readValidOpcode(r);
    if (op === undefined) return null;
    if (op.feature === 'exceptions' || op.feature === 'legacy_exceptions') return null;
    const prevOp = lastOp;
    const prevImm = lastImm;
    lastOp = op.code;
    lastImm = r.pos;
    switch (byte) {
      case Op.LocalGet: {
        const x = r.u32();
        if (x >= numLocals) return null;
        visit?.(cur, at, r.pos, byte, x, prevOp, prevImm);
        if (definedIn[x] !== cur + 1) uses[cur]!.push(x);
        continue;
      }
      case Op.LocalSet:
      case Op.LocalTee: {
        const x = r.u32();
        if (x >= numLocals) return null;
        visit?.(cur, at, r.pos, byte, x, prevOp, prevImm);
        if (definedIn[x] !== cur + 1) {
          definedIn[x] = cur + 1;
          defs[cur]!.push(x);
        }
        continue;
      }
      case Op.Block: {
        r.blockType();
        const cont = node();
        open({ kind: 'block', parent: top(), target: cont, cont, from: -1, hasElse: false });
        continue;
      }
      case Op.Loop: {
        r.blockType();
        const header = node();
        link(cur, header);
        cur = header;
        open({ kind: 'loop', parent: top(), target: header, cont: node(), from: -1, hasElse: false });
        continue;
      }
      case Op.If: {
        r.blockType();
        const cont = node();
        open({ kind: 'if', parent: top(), target: cont, cont, from: cur, hasElse: false });
        split();
        continue;
      }
      case Op.Else: {
        const f = frames[frames.length - 1]!;
        link(cur, f.cont);
        f.hasElse = true;
        cur = node();
        link(f.from, cur);
        continue;
      }
      case Op.End: {
        const f = frames.pop();
        if (f === undefined) {
          link(cur, exit);
          continue;
        }
        link(cur, f.cont);
        if (f.kind === 'if' && !f.hasElse) link(f.from, f.cont);
        cur = f.cont;
        continue;
      }
    }
    if (op.imm === Imm.Label && (byte === Op.Br || byte === Op.BrIf || byte === Op.BrOnNull || byte === Op.BrOnNonNull)) {
      branch(r.u32());
      if (byte === Op.Br) cur = node();
      else split();
      continue;
    }
    if (op.imm === Imm.BrTable) {
      const count = r.u32();
      for (let i = 0; i <= count; i++) branch(r.u32());
      cur = node();
      continue;
    }
    if (op.imm === Imm.BrOnCast) {
      // Its cast flags (a byte), then the label.
      const peek = new ByteReader(bytes, r.pos, r.end);
      peek.u8();
      branch(peek.u32());
      skipImmediates(r, op);
      split();
      continue;
    }
    if (byte === Op.Return || byte === Op.Unreachable || byte === Op.ReturnCall || byte === Op.ReturnCallIndirect || byte === Op.ReturnCallRef) {
      skipImmediates(r, op);
      cur = node();
      continue;
    }
    skipImmediates(r, op);
  }
  return { uses, defs, succ, entry, frameAfter, unitNodes, unitFrames };
}

function solveLiveness(g: Graph, numLocals: number): FunctionLiveness {
  const { uses, defs, succ, frameAfter } = g;
  // Backward: live-in = uses + (live-out - defs), to a fixed point.
  const words = (numLocals + 31) >>> 5;
  const count = succ.length;
  const live = new Int32Array(count * words);
  const killed = new Int32Array(count * words);
  const preds: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < count; i++) {
    for (const x of uses[i]!) live[i * words + (x >>> 5)]! |= 1 << (x & 31);
    for (const x of defs[i]!) killed[i * words + (x >>> 5)]! |= 1 << (x & 31);
    for (const t of succ[i]!) preds[t]!.push(i);
  }
  // Sweeps from the last block to the first (most flow is forward, so most blocks see their
  // successors' final sets), each visiting only the blocks marked since they were last visited;
  // a block whose live-in grew marks its predecessors. A plain worklist revisited Go's dispatch
  // loops once per local that reached their header, over and over.
  const dirty = new Uint8Array(count).fill(1);
  let pending = count;
  while (pending > 0) {
    for (let i = count - 1; i >= 0; i--) {
      if (dirty[i] === 0) continue;
      dirty[i] = 0;
      pending--;
      const base = i * words;
      let grew = false;
      for (const t of succ[i]!) {
        const from = t * words;
        for (let w = 0; w < words; w++) {
          const add = live[from + w]! & ~killed[base + w]! & ~live[base + w]!;
          if (add !== 0) {
            live[base + w]! |= add;
            grew = true;
          }
        }
      }
      if (!grew) continue;
      for (const p of preds[i]!) {
        if (dirty[p] === 0) {
          dirty[p] = 1;
          pending++;
        }
      }
    }
  }
  return { numLocals, words, live, frameAfter };
}
