// Which locals a split chain's parts must be handed and must hand back: liveness over the function's
// control-flow graph, so a part call passes only the locals that may be read before they are written
// from its cases on, and writes back only those that may be read after it returns.

import { Op } from '../binary/op.js';
import { Imm, opByByte, opByPrefixed } from '../binary/opcodes.js';
import { ByteReader } from '../binary/reader.js';
import { skipImmediates } from '../binary/instructions.js';

/** Liveness at a split chain's boundaries, as sets of local indices. */
export interface ChainLiveness {
  /** The locals live at the start of case k (index k, 1..n; index n is the code after the chain). */
  readonly caseEntry: readonly ReadonlySet<number>[];
  /** The locals live where a branch to each frame around the chain goes (outermost first, no function frame). */
  readonly frameTarget: readonly ReadonlySet<number>[];
}

/** A basic block: the locals it reads before writing, the locals it writes, where it may go next. */
interface Node {
  readonly uses: Set<number>;
  readonly defs: Set<number>;
  readonly succ: number[];
}

interface WalkFrame {
  readonly kind: 'block' | 'loop' | 'if';
  /** Where a branch to it goes: the loop's header or the block's continuation. */
  readonly target: number;
  /** The node after its `end`. */
  readonly cont: number;
  /** An `if`: the node whose condition chose the arm, and whether an `else` was seen. */
  readonly from: number;
  hasElse: boolean;
}

/**
 * Liveness for the chain of n blocks whose case 0 starts at casesStart, in the body [start, end),
 * or null where the body has control flow this analysis does not model (exception handling).
 */
export function chainLiveness(bytes: Uint8Array, start: number, end: number, n: number, casesStart: number): ChainLiveness | null {
  const nodes: Node[] = [];
  const node = (): number => nodes.push({ uses: new Set(), defs: new Set(), succ: [] }) - 1;
  const link = (from: number, to: number) => nodes[from]!.succ.push(to);
  const exit = node();
  let cur = node();
  const frames: WalkFrame[] = [];
  let caseEntries: number[] | null = null;
  let enclosing: number[] = [];
  const r = new ByteReader(bytes, start, end);
  const targetAt = (depth: number): number => {
    const f = frames[frames.length - 1 - depth];
    return f === undefined ? exit : f.target;
  };
  const branch = (depth: number) => link(cur, targetAt(depth));
  const split = () => {
    const next = node();
    link(cur, next);
    cur = next;
  };
  while (r.pos < r.end) {
    if (r.pos === casesStart) {
      // The chain's blocks are the n innermost frames: their continuations are cases 1..n.
      caseEntries = frames.slice(frames.length - n).reverse().map((f) => f.cont);
      enclosing = frames.slice(0, frames.length - n).map((f) => f.target);
    }
    const byte = r.u8();
    const op = byte >= 0xfb && byte <= 0xfe ? opByPrefixed(byte, r.u32()) : opByByte(byte);
    if (op === undefined) return null;
    if (op.feature === 'exceptions' || op.feature === 'legacy_exceptions') return null;
    switch (byte) {
      case Op.LocalGet: {
        const x = r.u32();
        const b = nodes[cur]!;
        if (!b.defs.has(x)) b.uses.add(x);
        continue;
      }
      case Op.LocalSet:
      case Op.LocalTee:
        nodes[cur]!.defs.add(r.u32());
        continue;
      case Op.Block: {
        r.blockType();
        const cont = node();
        frames.push({ kind: 'block', target: cont, cont, from: -1, hasElse: false });
        continue;
      }
      case Op.Loop: {
        r.blockType();
        const header = node();
        link(cur, header);
        cur = header;
        frames.push({ kind: 'loop', target: header, cont: node(), from: -1, hasElse: false });
        continue;
      }
      case Op.If: {
        r.blockType();
        const cont = node();
        const from = cur;
        frames.push({ kind: 'if', target: cont, cont, from, hasElse: false });
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
  if (caseEntries === null) return null;

  // Backward: live-in = uses + (live-out - defs), to a fixed point (loops need more than one pass).
  const liveIn: Set<number>[] = nodes.map((b) => new Set(b.uses));
  for (let changed = true; changed;) {
    changed = false;
    for (let i = nodes.length - 1; i >= 0; i--) {
      const b = nodes[i]!;
      const into = liveIn[i]!;
      for (const s of b.succ) {
        for (const x of liveIn[s]!) {
          if (!into.has(x) && !b.defs.has(x)) {
            into.add(x);
            changed = true;
          }
        }
      }
    }
  }
  return { caseEntry: [new Set(), ...caseEntries.map((e) => liveIn[e]!)], frameTarget: enclosing.map((t) => liveIn[t]!) };
}
