// The live ranges ("webs") of a function's v128 locals: each local.get joined with every local.set
// that reaches it. Compilers give one wasm local to several unrelated vectors (clang's register
// coloring puts an f32x4 accumulator and the bytes of an image in the same local), so the view a
// vector is best kept in (simd-locals.ts) belongs to a web, not to a local.

import { readCastFlags, readValidOpcode, skipImmediates } from '../binary/instructions.js';
import { Imm } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';
import { V128 } from '../core/types.js';

/** One write of a v128 local: the instruction before its local.set/tee (-1 for the entry value). */
export interface WebDef {
  readonly local: number;
  readonly by: number;
  /** For a v128.const: whether one of its f32 lanes is a signalling NaN. */
  readonly signals?: boolean;
}

/** Whether the 16 bytes at `at`, read as f32 lanes, hold a signalling NaN. */
function hasSignallingF32Lane(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < 16; k += 4) {
    const w = (bytes[at + k]! | (bytes[at + k + 1]! << 8) | (bytes[at + k + 2]! << 16) | (bytes[at + k + 3]! << 24)) >>> 0;
    if ((w & 0x7f800000) === 0x7f800000 && (w & 0x7fffff) !== 0 && (w & 0x400000) === 0) return true;
  }
  return false;
}

/** The webs of a body: which web each local.set/tee and local.get (by opcode position) belongs to. */
export interface V128Webs {
  /** Web of the write at a local.set/tee's position. */
  readonly defWeb: ReadonlyMap<number, number>;
  /** Web of the read at a local.get's or local.tee's position. */
  readonly useWeb: ReadonlyMap<number, number>;
  /** Per web: its local, its writes, and the positions just after its reads (where their users start). */
  readonly webs: readonly { readonly local: number; readonly defs: readonly WebDef[]; readonly reads: readonly number[] }[];
}

/** Reaching writes per tracked local (sets of write ids), or null where the code is unreachable. */
type State = (Set<number> | undefined)[] | null;

interface Frame {
  readonly loop: boolean;
  /** Where a branch to the frame goes: its end (block, if) or its header (loop, by position). */
  readonly pos: number;
  out: State;
  /** An if's state for its else arm. */
  elseState: State;
  hasElse: boolean;
}

const MAX_PASSES = 64;

/**
 * The webs of the v128 locals of the body [start, end) with `numParams` parameters, or null when
 * the body has no v128 local or has control flow this analysis does not model (exception handling).
 * Reads in code it finds unreachable join every write of their local, which only merges webs.
 */
export function v128Webs(bytes: Uint8Array, start: number, end: number, localTypes: readonly number[], numParams: number): V128Webs | null {
  // State arrays hold the v128 locals only, at dense indices.
  const slot = new Map<number, number>();
  localTypes.forEach((t, i) => t === V128 && slot.set(i, slot.size));
  if (slot.size === 0) return null;
  const defs: WebDef[] = [];
  const defAt = new Map<number, number>();
  // The entry value of each v128 local: a parameter's argument, or zero.
  const entry: number[] = localTypes.map((t, i) => (t === V128 ? defs.push({ local: i, by: i < numParams ? -2 : -1 }) - 1 : -1));
  const backEdges = new Map<number, State>();
  let uses = new Map<number, { local: number; reach: Set<number> | null; after: number }>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    uses = new Map();
    let changed = false;
    let state: State = [...slot.keys()].map((i) => new Set([entry[i]!]));
    const frames: Frame[] = [{ loop: false, pos: -1, out: null, elseState: null, hasElse: false }];
    const r = new ByteReader(bytes, start, end);
    let prev = -1;
    let constSignals = false;
    const branch = (depth: number) => {
      const f = frames[frames.length - 1 - depth];
      if (f === undefined || state === null) return;
      if (!f.loop) {
        f.out = join(f.out, state);
        return;
      }
      const before = backEdges.get(f.pos) ?? null;
      const after = join(before, state);
      if (!same(before, after)) {
        backEdges.set(f.pos, after);
        changed = true;
      }
    };
    while (r.pos < r.end) {
      const at = r.pos;
      const op = readValidOpcode(r);
      if (op === undefined) return null;
      const code = op.code;
      switch (code) {
        case Op.Try: case Op.Catch: case Op.CatchAll: case Op.Delegate: case Op.TryTable:
        case Op.Throw: case Op.ThrowRef: case Op.Rethrow:
          return null;
        case Op.Block:
          r.blockType();
          frames.push({ loop: false, pos: at, out: null, elseState: null, hasElse: false });
          break;
        case Op.Loop:
          r.blockType();
          frames.push({ loop: true, pos: at, out: null, elseState: null, hasElse: false });
          state = join(state, backEdges.get(at) ?? null);
          break;
        case Op.If:
          r.blockType();
          frames.push({ loop: false, pos: at, out: null, elseState: copy(state), hasElse: false });
          break;
        case Op.Else: {
          const f = frames[frames.length - 1]!;
          f.out = join(f.out, state);
          f.hasElse = true;
          state = f.elseState;
          break;
        }
        case Op.End: {
          const f = frames.pop()!;
          state = f.loop ? state : join(join(f.out, state), f.hasElse ? null : f.elseState);
          break;
        }
        case Op.Br:
          branch(r.u32());
          state = null;
          break;
        case Op.BrIf: case Op.BrOnNull: case Op.BrOnNonNull:
          branch(r.u32());
          break;
        case Op.BrOnCast: case Op.BrOnCastFail: case Op.BrOnCastDescEq: case Op.BrOnCastDescEqFail: {
          readCastFlags(r);
          branch(r.u32());
          r.heapType();
          r.heapType();
          break;
        }
        case Op.BrTable: {
          const n = r.count();
          for (let i = 0; i <= n; i++) branch(r.u32());
          state = null;
          break;
        }
        case Op.Return: case Op.Unreachable: case Op.ReturnCall: case Op.ReturnCallIndirect: case Op.ReturnCallRef:
          skipImmediates(r, op);
          state = null;
          break;
        case Op.LocalGet: case Op.LocalSet: case Op.LocalTee: {
          const x = r.u32();
          const k = slot.get(x);
          if (k === undefined) break;
          if (code !== Op.LocalGet) {
            let id = defAt.get(at);
            if (id === undefined) {
              id = defs.push(prev === Op.V128Const ? { local: x, by: prev, signals: constSignals } : { local: x, by: prev }) - 1;
              defAt.set(at, id);
            }
            if (state !== null) {
              state = state.slice();
              state[k] = new Set([id]);
            }
          }
          if (code !== Op.LocalSet) uses.set(at, { local: x, reach: state === null ? null : state[k]!, after: r.pos });
          break;
        }
        default:
          // A branch this walk does not know would join states it never sees.
          if (op.imm === Imm.Label || op.imm === Imm.BrTable || op.imm === Imm.BrOnCast || op.imm === Imm.TryTable) return null;
          if (code === Op.V128Const) constSignals = hasSignallingF32Lane(bytes, r.pos);
          skipImmediates(r, op);
      }
      prev = code;
    }
    if (!changed) break;
    if (pass === MAX_PASSES - 1) return null;
  }
  // Union-find over writes: a read joins every write that reaches it.
  const parent = defs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const unite = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  const byLocal = new Map<number, number[]>();
  defs.forEach((d, i) => byLocal.set(d.local, [...(byLocal.get(d.local) ?? []), i]));
  for (const u of uses.values()) {
    const reach = u.reach === null ? byLocal.get(u.local)! : [...u.reach];
    for (const d of reach) unite(d, reach[0]!);
  }
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
  const defWeb = new Map<number, number>();
  for (const [at, id] of defAt) defWeb.set(at, web(id));
  const useWeb = new Map<number, number>();
  for (const [at, u] of uses) {
    const w = web(u.reach === null ? byLocal.get(u.local)![0]! : [...u.reach][0]!);
    useWeb.set(at, w);
    webs[w]!.reads.push(u.after);
  }
  return { defWeb, useWeb, webs };
}

// The sets in a State are never changed once made, so states share them freely.
function copy(s: State): State {
  return s === null ? null : s.slice();
}

function join(a: State, b: State): State {
  if (a === null) return copy(b);
  if (b === null) return a;
  return a.map((x, i) => union(x, b[i]));
}

function union(x: Set<number> | undefined, y: Set<number> | undefined): Set<number> | undefined {
  if (x === undefined || y === undefined || x === y) return x;
  let out: Set<number> | null = null;
  for (const d of y) {
    if (x.has(d)) continue;
    out ??= new Set(x);
    out.add(d);
  }
  return out ?? x;
}

function same(a: State, b: State): boolean {
  if (a === null || b === null) return a === b;
  return a.every((x, i) => x === b[i] || (x !== undefined && x.size === b[i]!.size && [...x].every((d) => b[i]!.has(d))));
}
