// Very large dispatch loops (Go's) and switch loops (interpreters') compiled as several JS functions:
// the engine then optimizes each part on its own, soon and cheaply, instead of one function of
// megabytes it gives up on or never tries. Which chains are split: split-choice.ts; which locals a
// part call passes: split-liveness.ts.

import { I32, I64, isRef, type ValType } from '../core/types.js';
import { Kind, componentKinds, resultSlot } from '../runtime/lowering.js';
import { int, simpleEntry, type Entry } from './entry.js';
import { chunkDecl, tempName, viewStatements, type Frame, type FunctionCompiler } from './function-compiler.js';
import { functionLiveness, livenessAtChain, type ChainLiveness, type FunctionLiveness } from './split-liveness.js';
import { splitsEverywhere } from './split-choice.js';
import { forEachNumberedName } from './numbered-names.js';
import { outerReturn } from './calls.js';

/**
 * A part ends at the first case boundary after this many bytes of code. Smaller parts make each
 * re-optimisation after a deoptimisation cheaper: esbuild's median transform in the harness went
 * from 332 to 290 ms with 2048 instead of 4096 (medians of 7 and 8 harness runs), its steady state
 * unchanged; 1024 was no better (298 ms over 3).
 */
export const PART_BYTES = 2048;

/** A `loop` whose body starts with a flattened chain dispatching on `local.get x; br_table`. */
export interface Dispatch {
  readonly loop: Frame;
  readonly local: number;
  /** The chain state each br_table index selects, and the default's. */
  readonly states: readonly number[];
  readonly dflt: number;
  readonly label: string;
  readonly state: string;
  readonly n: number;
}

/** One part: the cases [first, last] of the split chain, written to its own output. */
export interface Part {
  readonly index: number;
  readonly first: number;
  last: number;
  readonly startPos: number;
  readonly lines: string[];
  readonly reloadLines: number[];
  readonly memories: Set<number>;
  /** Locals the part assigns (passed back to the outer function). */
  readonly writes: Set<number>;
  /** Lines that continue the part's loop with a state that may lie beyond the part: patched at its end. */
  readonly forward: { line: number; k: number }[];
  /** The part function's parameters after the state (its locals), once written. */
  params: string[];
  /** The locals it hands back and their slots (writeSlots), once written. */
  slots: [string, string][];
  /** Where it may leave to: chain states, enclosing frames (indices in fc.frames), or any state. */
  readonly exitStates: Set<number>;
  readonly exitFrames: Set<number>;
  anyState: boolean;
}

/** What the outer function had while a part is being written. */
interface Saved {
  readonly lines: string[];
  readonly reloadLines: number[];
  readonly memories: Set<number>;
  readonly depth: number;
}

export interface Split {
  /** The split whose case 0 (in the outer function) holds this one, else null. */
  readonly parent: Split | null;
  readonly label: string;
  readonly state: string;
  /** The chain's end state (a cut straight run, split-linear.ts, knows it only at its end). */
  n: number;
  /** Frames below this index in fc.frames enclose the chain; branches to them leave the part. */
  readonly frameBase: number;
  readonly exits: Frame[];
  readonly parts: Part[];
  outer: Saved | null;
  /** The outer function's placeholder lines for the part dispatcher: its calls, view reloads, exits. */
  readonly dispatchLine: number;
  /** Some part returns from the function. */
  returns: boolean;
  /** Which locals are live at the chain's boundaries (null: unknown, so parts pass every local they use). */
  readonly live: ChainLiveness | null;
}

/** Each function's liveness, solved once for all the chains it splits (and dropped with its compiler). */
const functionLivenessOf = new WeakMap<FunctionCompiler, FunctionLiveness | null>();

/**
 * Starts the split: the outer loop holds the dispatcher (filled at the end) and case 0. A straight
 * run cut by split-linear.ts brings its own liveness (`given`, whose case entries it fills in as it
 * goes); null: none is known, and parts pass every local they use and hand back every one they assign.
 */
export function openSplit(fc: FunctionCompiler, label: string, state: string, n: number, given?: ChainLiveness | null): Split {
  const m = fc.mc.module;
  const body = m.codes[fc.funcIndex - m.numImportedFuncs]!.code;
  let live: ChainLiveness | null = given ?? null;
  if (given === undefined) {
    let known = functionLivenessOf.get(fc);
    if (known === undefined) {
      known = functionLiveness(fc.r.bytes, body.start, body.end, fc.localTypes.length);
      functionLivenessOf.set(fc, known);
    }
    live = known === null ? null : livenessAtChain(known, n, fc.r.pos);
    // The walk's frames around the chain are fc.frames after the function's, one for one.
    if (live !== null && live.frameTarget.length !== fc.frames.length - 1) live = null;
  }
  fc.open(`${label}: for (;;) {`);
  const dispatchLine = fc.lines.length;
  fc.lines.push('');
  // After a part returns, the views of the memories the function uses anywhere (known only at its
  // end, like those after calls) are re-read: the part may have grown one. The dispatcher's end follows.
  fc.deeper();
  fc.reloadViews();
  fc.shallower();
  fc.lines.push('');
  return { parent: fc.split, label, state, n, frameBase: fc.frames.length, exits: [], parts: [], outer: null, dispatchLine, returns: false, live };
}

/** The end of chain block k: case k begins, in a new part when the current one is big enough. */
export function splitBoundary(fc: FunctionCompiler, s: Split, k: number, reachable: boolean): void {
  const part = fc.part;
  if (part === null) {
    // The end of case 0, in the outer function: on to the dispatcher.
    if (reachable) fc.emit(`${s.state} = ${k}; continue ${s.label};`);
    fc.close();
    startPart(fc, s, k);
    return;
  }
  if (k < s.n && !splitsEverywhere() && fc.r.pos - part.startPos < PART_BYTES) {
    part.last = k;
    fc.emit(`case ${k}:`);
    return;
  }
  if (reachable) leave(fc, s, k);
  endPart(fc, s);
  if (k < s.n) startPart(fc, s, k);
}

function startPart(fc: FunctionCompiler, s: Split, k: number): void {
  if (s.outer === null) s.outer = { lines: fc.lines, reloadLines: fc.reloadLines, memories: fc.usedMemories, depth: fc.depth };
  const part: Part = {
    // Numbered within the function, not the chain: a function may split more than one chain.
    index: fc.partSources.length, first: k, last: k, startPos: fc.r.pos, lines: [], reloadLines: [], memories: new Set(),
    writes: new Set(), forward: [], params: [], slots: [], exitStates: new Set(), exitFrames: new Set(), anyState: false,
  };
  s.parts.push(part);
  fc.part = part;
  fc.lines = part.lines;
  fc.reloadLines = part.reloadLines;
  fc.usedMemories = part.memories;
  fc.setDepth(4);
  fc.emit(`case ${k}:`);
}

/** Finishes the current part: forward branches beyond it leave it; its function is written. */
function endPart(fc: FunctionCompiler, s: Split): void {
  const part = fc.part!;
  for (const { line, k } of part.forward) {
    if (k <= part.last) continue;
    part.lines[line] = part.lines[line]!.replace(`continue ${s.label};`, 'break P;');
    part.exitStates.add(k);
  }
  fc.partSources.push(partSource(fc, s, part));
  fc.part = null;
  const o = s.outer!;
  fc.lines = o.lines;
  fc.reloadLines = o.reloadLines;
  fc.usedMemories = o.memories;
  fc.setDepth(o.depth);
  s.outer = null;
}

/** Ends the part being written where its last case falls through; the next case starts a new part. */
export function startNextPart(fc: FunctionCompiler, s: Split): void {
  const k = fc.part!.last + 1;
  leave(fc, s, k);
  endPart(fc, s);
  startPart(fc, s, k);
}

/** Leaves the current part for state k (the outer function dispatches it). */
export function leave(fc: FunctionCompiler, s: Split, k: number): void {
  fc.part!.exitStates.add(k);
  fc.emit(`${s.state} = ${k}; break P;`);
}

/**
 * Control to chain state k from wherever the compiler is: inside the chain's own loop when the
 * state is there (or may be: forward states in the current part are patched at its end).
 */
export function jumpToState(fc: FunctionCompiler, label: string, state: string, n: number, k: number): void {
  const s = fc.split;
  const part = fc.part;
  if (s === null || s.label !== label || part === null) {
    fc.emit(k === n && (s === null || s.label !== label) ? `break ${label};` : `${state} = ${k}; continue ${label};`);
    return;
  }
  if (k === n || k < part.first) {
    leave(fc, s, k);
    return;
  }
  part.forward.push({ line: fc.lines.length, k });
  fc.emit(`${state} = ${k}; continue ${label};`);
}

/** A table dispatch (br_table over chain blocks) in a part: stay when the state is in the part. */
export function continueOrLeave(fc: FunctionCompiler, label: string, state: string): void {
  const s = fc.split;
  const part = fc.part;
  if (s === null || s.label !== label || part === null) {
    fc.emit(`continue ${label};`);
    return;
  }
  // The bound is patched like a forward branch: `continue` becomes `break P` only for states beyond the part.
  part.anyState = true;
  fc.emit(`if (${state} <= @END) continue ${label};`);
  fc.emit('break P;');
}

/**
 * A branch from inside a part to a frame outside it: returns true when handled (a return, a
 * branch to an enclosing frame, its values through the result slots). Chain frames of the split
 * are handled by jumpToState.
 */
export function partBranch(fc: FunctionCompiler, f: Frame, values: readonly Entry[]): boolean {
  const s = fc.split!;
  if (f.kind === 'func') {
    partReturn(fc, s, values);
    return true;
  }
  const at = fc.frames.indexOf(f);
  if (at >= s.frameBase) return false;
  f.used = true;
  fc.part!.exitFrames.add(at);
  let j = s.exits.indexOf(f);
  if (j < 0) {
    j = s.exits.length;
    s.exits.push(f);
  }
  toResultSlots(fc, values);
  fc.emit(`${s.state} = ${-2 - j}; break P;`);
  return true;
}

/** `return` inside a part: every result component to its slot (component 0 too), then leave with -1. */
export function partReturn(fc: FunctionCompiler, s: Split, values: readonly Entry[]): void {
  fc.spillNonPure();
  toResultSlots(fc, values);
  // A return is where the count is checked (fuel-meter.ts): the outer function only passes it on.
  fc.fuelSave();
  s.returns = true;
  fc.emit(`${s.state} = -1; break P;`);
}

/**
 * Values leaving a part, one lowered component per result slot (numbered across kinds, as calls
 * do). What is below them on the stack was evaluated before (a branch or a return spills first).
 */
export function toResultSlots(fc: FunctionCompiler, values: readonly Entry[]): void {
  if (values.length === 0) return;
  const vals = fc.pairs(values).map((v) => fc.materialize(v));
  let k = 0;
  const out: string[] = [];
  for (const v of vals) {
    const kinds = componentKinds(v.type);
    out.push(`${resultSlot(kinds[0]!)}[${k++}] = ${v.type === I32 ? int(v) : v.code};`);
    if (v.type === I64) out.push(`RI[${k++}] = ${v.hi};`);
  }
  fc.emit(out.join(' '));
}

/** The values toResultSlots left, read back in the outer function. */
export function fromResultSlots(types: readonly ValType[]): Entry[] {
  let k = 0;
  return types.map((t) => {
    const code = `${resultSlot(componentKinds(t)[0]!)}[${k++}]`;
    return simpleEntry(t, code, t === I64 ? `RI[${k++}]` : '');
  });
}

/** The outer function's statements for a part's exit to frame f. */
function exitCode(fc: FunctionCompiler, f: Frame): string[] {
  const saved = fc.lines;
  const out: string[] = [];
  fc.lines = out;
  fc.branchCode(f, fromResultSlots(f.kind === 'loop' ? f.params : f.results));
  fc.lines = saved;
  return out.map((l) => l.trim());
}

/** The JS function of a part: its locals as parameters, assigned locals passed back through LI/LF/LR. */
function partSource(fc: FunctionCompiler, s: Split, part: Part): string {
  const used = new Set<number>();
  const temps = new Set<number>();
  const note = (letter: number, n: number): void => {
    if (letter === 108) used.add(n);
    else temps.add(n);
  };
  for (const line of part.lines) forEachNumberedName(line, 'lt', note);
  // The state is the outer function's temp, passed in.
  const ownTemps = [...temps].filter((n) => tempName(n) !== s.state);
  for (const i of part.writes) used.add(i);
  // A local no case of the part may read before writing it is the part's own: not passed in.
  const liveIn = new Set<number>();
  for (let k = part.first; k <= part.last; k++) for (const x of s.live?.caseEntry[k] ?? used) liveIn.add(x);
  const locals = [...used].filter((i) => liveIn.has(i)).sort((a, b) => a - b);
  const own = [...used].filter((i) => !liveIn.has(i)).sort((a, b) => a - b);
  const params = [s.state];
  for (const i of locals) {
    params.push(`l${i}`);
    if (fc.localTypes[i] === I64) params.push(`l${i}h`);
  }
  part.params = params.slice(1);
  const name = `${fc.ownName}$p${part.index}`;
  const out = [`function${fc.star} ${name}(${params.join(', ')}) {`];
  out.push(...chunkDecl(own.flatMap((i) => ownLocalDecl(fc, i))));
  out.push(...chunkDecl(fc.tempDecls(ownTemps), 'var'));
  const { declare, reload } = viewStatements(part.memories);
  if (declare) out.push(declare);
  if (fc.fuel) out.push('  let fu = S.fuel;');
  if (fc.epochs) out.push('  let dl = S.epochDeadline;');
  out.push('  P: {', `    ${s.label}: for (;;) {`, `      switch (${s.state}) {`);
  for (const i of part.reloadLines) part.lines[i] = reload || part.lines[i]!.trim() ? part.lines[i] + reload : '';
  // Only a part with a table dispatch (continueOrLeave) has the bound to fill in.
  const last = String(part.last);
  for (const line of part.lines) if (line !== '') out.push(part.anyState ? line.replace('@END', last) : line);
  out.push('      }', '      break P;', '    }', '  }');
  part.slots = writeSlots(fc, s, part);
  out.push(...writeBack(part.slots));
  if (fc.fuel) out.push('  S.fuel = fu;');
  out.push(`  return ${s.state};`, '}');
  return out.join('\n');
}

/**
 * The slots of the locals a part assigns and that may be read after it returns, in order:
 * [local index, slot expression][] per lowered component.
 */
function writeSlots(fc: FunctionCompiler, s: Split, part: Part): [string, string][] {
  const out: [string, string][] = [];
  let ints = 0;
  let floats = 0;
  let refs = 0;
  const live = liveAfter(s, part);
  for (const i of [...part.writes].filter((l) => live === null || live.has(l)).sort((a, b) => a - b)) {
    const t: ValType = fc.localTypes[i]!;
    if (t === I64) {
      out.push([`l${i}`, `LI[${ints++}]`], [`l${i}h`, `LI[${ints++}]`]);
    } else {
      const kind = componentKinds(t)[0]!;
      out.push([`l${i}`, kind === Kind.Int ? `LI[${ints++}]` : kind === Kind.Float ? `LF[${floats++}]` : `LR[${refs++}]`]);
    }
  }
  return out;
}

/** The locals that may be read after the part returns, wherever it leaves to (null: unknown, all). */
function liveAfter(s: Split, part: Part): Set<number> | null {
  const live = s.live;
  if (live === null) return null;
  const out = new Set<number>();
  const add = (xs: ReadonlySet<number>) => { for (const x of xs) out.add(x); };
  if (part.anyState) for (const e of live.caseEntry) add(e);
  for (const k of part.exitStates) add(live.caseEntry[k]!);
  // fc.frames[0] is the function (a return: nothing is read after it); the walk has no such frame.
  for (const i of part.exitFrames) add(live.frameTarget[i - 1]!);
  return out;
}

/** A part's own local (its value on entry is never read): declared with the type's zero. */
function ownLocalDecl(fc: FunctionCompiler, i: number): string[] {
  const t = fc.localTypes[i]!;
  if (t === I64) return [`l${i} = 0`, `l${i}h = 0`];
  return [isRef(t) ? `l${i} = null` : `l${i} = 0`];
}

function writeBack(slots: readonly [string, string][]): string[] {
  const out: string[] = [];
  // Pairs read by index, not destructured: V8's optimized iteration of the pairs deoptimized at
  // every call here (70 times while esbuild starts).
  for (let i = 0; i < slots.length; i += 6) out.push(`  ${slots.slice(i, i + 6).map((pair) => `${pair[1]} = ${pair[0]};`).join(' ')}`);
  return out;
}

/**
 * The end of the split chain: the outer function's dispatcher calls the part holding the state,
 * takes back the locals it assigned and follows its exit (a state, the end of the chain, a
 * return, a branch to an enclosing frame).
 */
export function finishSplit(fc: FunctionCompiler, s: Split): void {
  if (fc.part !== null) endPart(fc, s);
  const ind = '  '.repeat(Math.min(fc.depth + 1, 12));
  const lines: string[] = [];
  lines.push(`if (${s.state} !== 0) {`, `  if (${s.state} === ${s.n}) break ${s.label};`);
  lines.push(...select(fc, s, 0, s.parts.length, '  '));
  fc.lines[s.dispatchLine] = lines.map((l) => ind + l).join('\n');
  // Line dispatchLine + 1 re-reads the memory views (openSplit).
  lines.length = 0;
  if (s.returns || s.exits.length) {
    lines.push(`  if (${s.state} < 0) {`);
    if (s.returns) lines.push(`    if (${s.state} === -1) ${outerReturn(fc)}`);
    s.exits.forEach((f, j) => {
      lines.push(`    if (${s.state} === ${-2 - j}) { ${exitCode(fc, f).join(' ')} }`);
    });
    lines.push('  }');
  }
  lines.push(`  continue ${s.label};`, '}');
  fc.lines[s.dispatchLine + 2] = lines.map((l) => ind + l).join('\n');
}

/** Nested ifs on the part boundaries, calling the part of the state. */
function select(fc: FunctionCompiler, s: Split, lo: number, hi: number, ind: string): string[] {
  if (hi - lo === 1) return callPart(fc, s, s.parts[lo]!, ind);
  const mid = (lo + hi) >> 1;
  return [
    `${ind}if (${s.state} < ${s.parts[mid]!.first}) {`,
    ...select(fc, s, lo, mid, ind + '  '),
    `${ind}} else {`,
    ...select(fc, s, mid, hi, ind + '  '),
    `${ind}}`,
  ];
}

function callPart(fc: FunctionCompiler, s: Split, part: Part, ind: string): string[] {
  const args = [s.state, ...part.params];
  const out: string[] = [];
  if (fc.fuel) out.push(`${ind}S.fuel = fu;`);
  out.push(`${ind}${s.state} = ${fc.callPrefix}${fc.ownName}$p${part.index}(${args.join(', ')});`);
  const slots = part.slots;
  for (let i = 0; i < slots.length; i += 6) out.push(`${ind}${slots.slice(i, i + 6).map(([l, slot]) => `${l} = ${slot};`).join(' ')}`);
  if (fc.fuel) out.push(`${ind}fu = S.fuel;`);
  if (fc.epochs) out.push(`${ind}dl = S.epochDeadline;`);
  return out;
}
