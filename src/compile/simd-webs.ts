// The live ranges ("webs") of a function's v128 locals: each local.get joined with every local.set
// that reaches it. Compilers give one wasm local to several unrelated vectors (clang's register
// coloring puts an f32x4 accumulator and the bytes of an image in the same local), so the view a
// vector is best kept in (simd-locals.ts) belongs to a web, not to a local. Reaching writes are
// found over the body's basic blocks as split-liveness.ts builds them.

import { Op } from '../binary/op.js';
import { V128 } from '../core/types.js';
import { bodyBlocks } from './split-liveness.js';

/** One write of a v128 local: the instruction before its local.set/tee (-1 for a local's zero at entry, -2 for a parameter's argument). */
export interface WebDef {
  readonly local: number;
  readonly by: number;
  /** For a v128.const: whether one of its f32 lanes is a signalling NaN. */
  readonly signals?: boolean;
}

/** The webs of a body, and which web each local.get, local.set and local.tee (by opcode position) belongs to. */
export interface V128Webs {
  /** A local.tee's write and the value it leaves are in one web. */
  readonly webAt: ReadonlyMap<number, number>;
  /** Per web: its local, its writes, and the positions just after its reads (where their users start). */
  readonly webs: readonly { readonly local: number; readonly defs: readonly WebDef[]; readonly reads: readonly number[] }[];
}

/** A v128 local's access in a basic block, in order: its write id (a set or tee), and whether it reads. */
interface Access {
  readonly at: number;
  readonly after: number;
  readonly slot: number;
  readonly def: number;
  readonly reads: boolean;
}

/**
 * The webs of the v128 locals of the body [start, end) with `numParams` parameters, or null when
 * the body has no v128 local or has control flow the walk does not model (exception handling).
 * A read in code that cannot run joins every write of its local, which only merges webs.
 */
export function v128Webs(bytes: Uint8Array, start: number, end: number, localTypes: readonly number[], numParams: number): V128Webs | null {
  // The v128 locals at dense indices ("slots"), which the per-block states hold.
  const slot = new Map<number, number>();
  localTypes.forEach((t, i) => t === V128 && slot.set(i, slot.size));
  if (slot.size === 0) return null;
  const locals = [...slot.keys()];
  const defs: WebDef[] = locals.map((i) => ({ local: i, by: i < numParams ? -2 : -1 }));
  const accesses: Access[][] = [];
  const graph = bodyBlocks(bytes, start, end, localTypes.length, (block, at, after, op, local, prevOp, prevImm) => {
    const k = slot.get(local);
    if (k === undefined) return;
    let def = -1;
    if (op !== Op.LocalGet) {
      def = defs.push(prevOp === Op.V128Const
        ? { local, by: prevOp, signals: hasSignallingF32Lane(bytes, prevImm) } : { local, by: prevOp }) - 1;
    }
    (accesses[block] ??= []).push({ at, after, slot: k, def, reads: op !== Op.LocalSet });
  });
  if (graph === null) return null;
  const { succ, entry } = graph;
  // Blocks no path from the entry reaches hold code that cannot run (after a br, say): their writes
  // reach nothing, and their reads join every write of their local.
  const live = new Uint8Array(succ.length);
  for (const work = [entry]; work.length > 0;) {
    const b = work.pop()!;
    if (live[b] === 1) continue;
    live[b] = 1;
    work.push(...succ[b]!);
  }
  // Forward, to a fixed point: the writes reaching each block's start, per slot. Sets are never
  // changed once made, so states share them.
  const none: ReadonlySet<number> = new Set();
  const reachIn: (readonly ReadonlySet<number>[])[] = succ.map(() => locals.map(() => none));
  reachIn[entry] = locals.map((_, k) => new Set([k]));
  const transfer = (b: number, state: ReadonlySet<number>[], onRead?: (a: Access, reach: ReadonlySet<number>) => void) => {
    for (const a of accesses[b] ?? []) {
      if (a.def >= 0) state[a.slot] = new Set([a.def]);
      if (a.reads) onRead?.(a, state[a.slot]!);
    }
    return state;
  };
  const dirty = live.slice();
  for (let pending = dirty.reduce((n, d) => n + d, 0); pending > 0;) {
    for (let b = 0; b < succ.length; b++) {
      if (dirty[b] === 0) continue;
      dirty[b] = 0;
      pending--;
      const out = transfer(b, reachIn[b]!.slice());
      for (const t of succ[b]!) {
        const into = reachIn[t]!;
        let grew = false;
        const joined = into.map((x, k) => {
          const u = union(x, out[k]!);
          if (u !== x) grew = true;
          return u;
        });
        if (!grew) continue;
        reachIn[t] = joined;
        if (dirty[t] === 0) {
          dirty[t] = 1;
          pending++;
        }
      }
    }
  }
  // Union-find over writes: a read joins every write that reaches it.
  const parent = defs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const bySlot: number[][] = locals.map(() => []);
  defs.forEach((d, i) => bySlot[slot.get(d.local)!]!.push(i));
  const reads: { a: Access; first: number }[] = [];
  succ.forEach((_, b) => transfer(b, reachIn[b]!.slice(), (a, reach) => {
    const writes = live[b] === 1 ? [...reach] : bySlot[a.slot]!;
    for (const d of writes) parent[find(d)] = find(writes[0]!);
    reads.push({ a, first: writes[0]! });
  }));
  const webOf = new Map<number, number>();
  const webs: { local: number; defs: WebDef[]; reads: number[] }[] = [];
  const web = (d: number) => {
    const root = find(d);
    let w = webOf.get(root);
    if (w === undefined) {
      w = webs.push({ local: defs[root]!.local, defs: [], reads: [] }) - 1;
      webOf.set(root, w);
    }
    return w;
  };
  defs.forEach((d, i) => webs[web(i)]!.defs.push(d));
  const webAt = new Map<number, number>();
  for (const list of accesses) for (const a of list ?? []) if (a.def >= 0) webAt.set(a.at, web(a.def));
  for (const { a, first } of reads) {
    const w = web(first);
    webAt.set(a.at, w);
    webs[w]!.reads.push(a.after);
  }
  return { webAt, webs };
}

function union(x: ReadonlySet<number>, y: ReadonlySet<number>): ReadonlySet<number> {
  if (x === y || y.size === 0) return x;
  if (x.size === 0) return y;
  let out: Set<number> | null = null;
  for (const d of y) {
    if (x.has(d)) continue;
    out ??= new Set(x);
    out.add(d);
  }
  return out ?? x;
}

/** Whether the 16 bytes at `at`, read as f32 lanes, hold a signalling NaN. */
function hasSignallingF32Lane(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < 16; k += 4) {
    const w = (bytes[at + k]! | (bytes[at + k + 1]! << 8) | (bytes[at + k + 2]! << 16) | (bytes[at + k + 3]! << 24)) >>> 0;
    if ((w & 0x7f800000) === 0x7f800000 && (w & 0x7fffff) !== 0 && (w & 0x400000) === 0) return true;
  }
  return false;
}
