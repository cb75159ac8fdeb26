// Translates one wasm function body into one JS function: a symbolic operand stack of JS
// expressions, structured control as labeled blocks and loops, locals as lets, direct calls.

import { FuelMeter } from './fuel-meter.js';
import { CompileError, UnsupportedError } from '../core/errors.js';
import { F32, F64, I32, I64, V128, isRef, type FuncType, type ValType } from '../core/types.js';
import { opByByte, opByPrefixed } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { BLOCK_EMPTY, BLOCK_TYPE_INDEX, ByteReader } from '../binary/reader.js';
import { readMemArg, skipImmediates, type MemArg } from '../binary/instructions.js';
import { changed, comparison, cond, derived, entry, int, int32Variable, intLiteral, isNumber, literal, simpleEntry, type Entry } from './entry.js';
import { BOXED_TEMPLATES, NAN_PRODUCING, TAKES_BOXES, TEMPLATES, TRAPPING } from './numeric.js';
import { compileI64Op, isI64Op } from './i64.js';
import { compileMemoryOp, isMemoryOp } from './memory-ops.js';
import { compileRefTableOp, isRefTableOp } from './ref-table-ops.js';
import { compileSimdOp, simdLowering } from './simd.js';
import { pushV128Local, setV128Local, v128LocalDecls, webSlot, webViews, wordSlot, type V128Slot, type V128View } from './simd-locals.js';
import { v128Webs, type V128Webs } from './simd-webs.js';
import { compileExceptionOp, endTry, isExceptionOp, skipDeadException, type TryState } from './exceptions.js';
import { compileGcOp, isGcOp } from './gc.js';
import { compileAtomicOp } from './atomics.js';
import { nanTolerantLocals } from './consumer.js';
import { compileWideArithmeticOp, isWideArithmeticOp } from './wide-arithmetic.js';
import type { ModuleContext } from './module-context.js';
import {
  continueOrLeave, finishSplit, jumpToState, openSplit, partBranch, splitBoundary, type Dispatch, type Part, type Split,
} from './split.js';
import { dispatchLocal, partsLeaveFrames, shouldSplit, splitChainMin } from './split-choice.js';
import { closeLinear, linearBoundary, linearStarts, openLinear, partFull, type Linear, type LinearStarts } from './split-linear.js';
import type { OffsetTrace } from './offset-trace.js';
import { forEachNumberedName } from './numbered-names.js';
import { callDirect, callIndirect, callRef, returnValues } from './calls.js';
import { tuned } from './interpreter-tuning.js';
import { isShortCountedLoop, type ConstantSet } from './counted-loops.js';

/**
 * The longest expression kept unevaluated on the operand stack (characters, both i64 halves). At
 * 2-3 characters per nesting level this stays far below what V8's parser can nest (about 1,000
 * levels of parentheses), and real code rarely reaches it (the kernels never do).
 */
const MAX_EXPRESSION_LENGTH = 2000;

type FrameKind = 'block' | 'loop' | 'if' | 'func';

export interface Frame {
  readonly kind: FrameKind;
  readonly label: string;
  /** Line index of the header, patched at `end` once we know whether the label is used. */
  readonly headerLine: number;
  readonly headerText: string;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Stack height below the frame's parameters. */
  readonly base: number;
  /** Branch targets: result variables (block, if) or parameter variables (loop). */
  vars: Entry[] | null;
  /** Some branch targets this frame. */
  used: boolean;
  /** The frame's parameters as they entered (restored at `else`). */
  readonly paramEntries: readonly Entry[];
  hasElse: boolean;
  /**
   * An earlier arm fell through to the end (so it is reachable whatever the last arm does): the
   * then-branch of an `if` with `else`, or the body or a catch of a legacy `try`.
   */
  armFellThrough: boolean;
  /** A block of a flattened chain (see openChain), else undefined. */
  chain?: Chain;
  /** Temps this frame holds while open (its variables, restored parameters, chain state). */
  pins?: number[];
  /** A try_table or legacy try (compile/exceptions.ts), else undefined. */
  exn?: TryState;
  /** A loop: the line where its body starts (a chain opened there may be a dispatch, split.ts). */
  bodyLine?: number;
}

/**
 * A run of `n` directly nested empty blocks, compiled as one `for (;;) switch (state)`: the end of
 * block k (1 innermost .. n outermost) is `case k:`, and a branch to block k < n is `state = k; continue`.
 */
interface Chain {
  readonly label: string;
  readonly state: string;
  readonly k: number;
  readonly n: number;
}

/**
 * Chains at least this long are flattened: Go's functions open one block per resume point, over
 * 3,000 deep in esbuild, and V8's parser overflows its stack at about 2,500 nested JS blocks.
 */
const CHAIN_MIN = 64;

/** How many instructions pass between two sweeps for free temps (see recycleTemps). */
const RECYCLE_EVERY = 32;
/**
 * How deep the unfrozen part of the operand stack may grow (see freeze), and how much of it stays
 * unfrozen after a freeze. Real code stays far below (a few tens of entries); a body that pushes
 * tens of thousands of values would otherwise make every scan of the stack (before a statement, a
 * local.set, a block) cost its whole depth, and compiling it quadratic: 40,000 `local.get` then as
 * many `local.set` took 50 s.
 */
const FREEZE_AT = 256;
const FREEZE_KEEP = 128;
/** Calls `found` with the number of every temp `code` refers to (`t12`, or `t12h` for an i64's high half). */
function forEachTemp(code: string, found: (letter: number, n: number) => void): void {
  if (code.indexOf('t') >= 0) forEachNumberedName(code, 't', found);
}

/** Adds the numbers of the temps `code` refers to to `into`. */
function tempsIn(code: string, into: Set<number>): void {
  forEachTemp(code, (_, n) => into.add(n));
}

/** The numbers of the temps an entry's code refers to, each once. */
function entryTemps(e: Entry): Set<number> {
  const numbers = new Set<number>();
  tempsIn(e.code, numbers);
  tempsIn(e.hi, numbers);
  return numbers;
}

/** A temp's name from its number. */
export function tempName(n: number): string {
  return `t${n}`;
}

/** Whether `code` mentions the identifier `name` (not merely a longer name starting with it). */
function readsName(code: string, name: string): boolean {
  let i = code.indexOf(name);
  while (i >= 0) {
    const before = i === 0 ? '' : code[i - 1]!;
    const after = code[i + name.length] ?? '';
    if (!/[\w$]/.test(before) && !/[\w$]/.test(after)) return true;
    i = code.indexOf(name, i + 1);
  }
  return false;
}

/** The block type byte of a block without parameters or results. */
const BLOCK_EMPTY_BYTE = 0x40;


/** The words of generated code: runs of word characters, as RegExp's word boundaries delimit them. */
const WORDS = /\w+/g;

export class FunctionCompiler {
  /** The output being written: the function's lines, or a part's (split.ts). */
  lines: string[] = [];
  private indent = INDENTS[1]!;
  /** The indentation of the next line written. */
  get currentIndent(): string {
    return this.indent;
  }
  depth = 1;
  /** Characters of code emitted so far, without indentation or trace marks (the same traced or not). */
  emittedChars = 0;
  stack: Entry[] = [];
  readonly frames: Frame[] = [];
  unreachable = false;
  deadDepth = 0;
  /**
   * Entries below this index are frozen: evaluated into temps (or simple values) that read no
   * local, so the scans over the stack start here. Their temps are pinned while they are frozen.
   */
  private frozen = 0;
  /**
   * Temps by number (`t3` is 3): whether each is an i64's pair (`t3`, `t3h`), how many open
   * frames and frozen entries hold it, and whether it is free for reuse. Numbers, not names: the
   * sweeps that free temps visit every temp made, thousands in Go's functions.
   */
  private readonly tempIsWide: boolean[] = [];
  private readonly pinCount: number[] = [];
  private readonly tempIsFree: boolean[] = [];
  private readonly freeNarrow: number[] = [];
  private readonly freeWide: number[] = [];
  /** Marks of the temps live at a sweep: the sweep's number, so that nothing is cleared between sweeps. */
  private readonly liveAt: number[] = [];
  private sweeps = 0;
  private sinceRecycle = 0;
  private labelCount = 0;
  readonly localTypes: ValType[];
  /** The memory views the code (or the part being written) names: a memory's index for its DataView, byteViewKey and byteLengthKey for its Uint8Array. */
  usedMemories = new Set<number>();
  /**
   * The memories and tables the function's code names anywhere, its parts included: what a lazily
   * compiled unit binds (a module may have thousands, and binding all in every unit cost their count each time).
   */
  readonly boundMemories = new Set<number>();
  readonly boundTables = new Set<number>();
  /** A chain being compiled as parts, and the part being written (split.ts). */
  split: Split | null = null;
  part: Part | null = null;
  /** The part functions written so far. */
  readonly partSources: string[] = [];
  /** Whether a tail call of the function itself became a jump to its start (selfTailCall). */
  private selfLooped = false;
  /** Where the units cut into straight runs start (split-linear.ts), the one open and its state's pin. */
  private linearStarts: LinearStarts | null = null;
  private linear: Linear | null = null;
  private linearPins: number[] = [];
  /** The chain most recently opened: where its case 0 starts, and whether it opens a loop body. */
  private chainOpen: { readonly label: string; readonly state: string; readonly n: number; readonly base: number; readonly loop: Frame | null; readonly line: number } | null = null;
  /** A dispatch loop (`loop; chain; local.get x; br_table`), and x's value when it is a known constant. */
  private dispatch: (Dispatch & { readonly base: number }) | null = null;
  private known: number | null = null;
  /** The last `local.set` of an i32 constant, so that a loop right after it can see its counter's start. */
  private constantSet: ConstantSet | null = null;
  /** A `local.tee x` consumed by fuseLocalSet: x is pushed once the producer has assigned it. */
  private pendingTee = -1;
  /** Instance bindings this function uses (a lazily compiled function binds only these). */
  readonly usedHelpers = new Set<string>();
  readonly usedGlobals = new Set<number>();
  readonly usedConstants = new Set<string>();
  /** Functions called directly by index. */
  readonly callees = new Set<number>();
  /** Line indices where memory views are re-read (after calls and memory.grow). */
  reloadLines: number[] = [];
  readonly r: ByteReader;
  private readonly bodyStart: number;
  private readonly memArg: MemArg = { memory: 0, align: 0, offset: 0 };
  readonly trampolined: boolean;
  readonly depthCounted: boolean;
  /** The accounting of this function's runs with Config.consumeFuel (null without fuel). */
  private readonly meter: FuelMeter | null;
  /** Config.consumeFuel. */
  get fuel(): boolean {
    return this.meter !== null;
  }
  /** Config.epochInterruption: check the deadline at function entry and loop headers. */
  readonly epochs: boolean;
  /** Config.nanCanonicalization. */
  private readonly canonNaN: boolean;
  /** Config.asyncSupport, in a function that may suspend: `*` after `function`, and `yield* ` before calls through tables, references and parts. */
  readonly star: string;
  readonly callPrefix: string;

  /** Module offset of the instruction being compiled (for the trace, and v128 locals' live ranges). */
  at = 0;

  /** `trace`: record where each line and expression came from (offset-trace.ts); null when compiling to run. */
  constructor(readonly mc: ModuleContext, readonly funcIndex: number, private readonly trace: OffsetTrace | null = null) {
    if (trace !== null && tuned(mc.options)) trace.finish = aliasMathCalls;
    const m = mc.module;
    const body = m.codes[funcIndex - m.numImportedFuncs]!;
    this.type = mc.typeOfFunc(funcIndex);
    this.localTypes = [...this.type.params, ...body.locals];
    this.r = new ByteReader(m.bytes, body.code.start, body.code.end);
    this.bodyStart = body.code.start;
    this.trampolined = mc.trampolined[funcIndex]!;
    this.depthCounted = mc.options.maxWasmStack !== null;
    this.meter = mc.options.consumeFuel === true ? new FuelMeter(this) : null;
    this.epochs = mc.options.epochInterruption === true;
    this.canonNaN = mc.options.nanCanonicalization === true;
    const gen = mc.suspends !== null && mc.suspends[funcIndex] === true;
    this.star = gen ? '*' : '';
    this.callPrefix = gen ? 'yield* ' : '';
  }
  readonly type: FuncType;

  // ------------------------------------------------------------------ output

  emit(line: string): void {
    this.emittedChars += line.length;
    // An empty line is dropped from the output; a marker would keep it and shift every line after.
    this.lines.push(this.trace === null || line === '' ? this.indent + line : this.indent + line + this.trace.mark(this.at));
  }
  open(line: string): void {
    this.emit(line);
    this.deeper();
  }
  setDepth(depth: number): void {
    this.depth = depth;
    this.indent = INDENTS[depth] ?? INDENTS[INDENTS.length - 1]!;
  }
  /** The JS name of this function's own code (the body when trampolined). */
  get ownName(): string {
    const name = this.mc.funcNames[this.funcIndex]!;
    return this.trampolined ? `${name}_body` : name;
  }
  /**
   * The declarations of the temps numbered `temps`, in name order (`t3`, or `t3, t3h` for an
   * i64), for a `var` statement: no initial values, since every temp is written before it is read.
   */
  tempDecls(temps: Iterable<number>): string[] {
    return [...temps].sort((a, b) => (tempName(a) < tempName(b) ? -1 : 1))
      .map((n) => (this.tempIsWide[n] ? `${tempName(n)}, ${tempName(n)}h` : tempName(n)));
  }
  close(line = '}'): void {
    this.shallower();
    this.emit(line);
  }
  /** Indentation stops growing at a fixed depth: deeply nested code (Go's) would otherwise be mostly spaces. */
  deeper(): void {
    this.indent = INDENTS[++this.depth] ?? this.indent;
  }
  shallower(): void {
    this.indent = INDENTS[--this.depth] ?? this.indent;
  }

  helper(name: string): string {
    this.usedHelpers.add(name);
    return this.mc.helper(name);
  }

  /** A closure constant holding the value of `expr` (evaluated once per instance). */
  constant(expr: string, ...helpers: string[]): string {
    for (const h of helpers) this.usedHelpers.add(h);
    const name = this.mc.constant(expr, ...helpers);
    this.usedConstants.add(name);
    return name;
  }

  /** A temp free for a new value (two names for i64: name and name + 'h'), reused when possible. */
  temp(type: ValType): string {
    const wide = type === I64;
    const reused = (wide ? this.freeWide : this.freeNarrow).pop();
    if (reused !== undefined) {
      this.tempIsFree[reused] = false;
      return tempName(reused);
    }
    const n = this.tempIsWide.length;
    this.tempIsWide.push(wide);
    this.pinCount.push(0);
    this.tempIsFree.push(false);
    this.liveAt.push(0);
    return tempName(n);
  }

  /**
   * Frees the temps that nothing pending refers to. Runs only between instructions, when every
   * live temp is held by the operand stack or an open frame (result and loop variables, the
   * parameters an `if` restores at `else`, a flattened chain's state). Without reuse, Go's large
   * functions needed 15,000 temps, and V8's interpreter frames got so big that esbuild's ordinary
   * recursion overflowed the stack.
   */
  private recycleTemps(): void {
    this.sinceRecycle = 0;
    const sweep = ++this.sweeps;
    const liveAt = this.liveAt;
    const mark = (_: number, n: number): void => {
      liveAt[n] = sweep;
    };
    for (let i = this.frozen; i < this.stack.length; i++) {
      const e = this.stack[i]!;
      forEachTemp(e.code, mark);
      forEachTemp(e.hi, mark);
    }
    const count = this.tempIsWide.length;
    for (let n = 0; n < count; n++) {
      if (liveAt[n] === sweep || this.pinCount[n] !== 0 || this.tempIsFree[n]) continue;
      this.tempIsFree[n] = true;
      (this.tempIsWide[n] ? this.freeWide : this.freeNarrow).push(n);
    }
  }

  /** Marks the temps an open frame holds as live until the frame ends (counted: frames nest). */
  private pinFrame(f: Frame): void {
    const numbers = new Set<number>();
    for (const e of f.vars ?? []) tempsIn(e.code, numbers);
    for (const e of f.paramEntries) {
      tempsIn(e.code, numbers);
      tempsIn(e.hi, numbers);
    }
    if (f.chain) tempsIn(f.chain.state, numbers);
    f.pins = [...numbers];
    this.pin(numbers);
  }

  private unpinFrame(f: Frame): void {
    this.unpin(f.pins ?? []);
  }

  private pin(temps: Iterable<number>): void {
    for (const n of temps) this.pinCount[n]!++;
  }

  private unpin(temps: Iterable<number>): void {
    for (const n of temps) this.pinCount[n]!--;
  }

  /** The frame's result variables, made (and held) on first need. */
  frameResultVars(f: Frame): Entry[] {
    if (f.vars === null) {
      f.vars = this.resultVars(f.results);
      this.unpinFrame(f);
      this.pinFrame(f);
    }
    return f.vars;
  }

  /** The memory view local of memory `index`, declared and kept fresh by the prologue and reloads. */
  view(index: number): string {
    this.usedMemories.add(index);
    this.boundMemories.add(index);
    return `dv${index}`;
  }

  /** The Uint8Array local of memory `index`, kept fresh as its DataView is. */
  byteView(index: number): string {
    this.usedMemories.add(byteViewKey(index));
    this.boundMemories.add(index);
    return `by${index}`;
  }

  /** The local holding the length of memory `index`'s Uint8Array (byteView), kept fresh with it. */
  byteLength(index: number): string {
    this.usedMemories.add(byteLengthKey(index));
    this.boundMemories.add(index);
    return `bn${index}`;
  }

  /** Memory `index`'s runtime object (`M<index>`: size, growth, bulk operations, atomics). */
  memory(index: number): string {
    this.boundMemories.add(index);
    return `M${index}`;
  }

  /** Table `index`'s elements (`T<index>`). */
  table(index: number): string {
    this.boundTables.add(index);
    return `T${index}`;
  }

  /** Table `index`'s runtime object (`TO<index>`: growth). */
  tableObject(index: number): string {
    this.boundTables.add(index);
    return `TO${index}`;
  }

  private tolerantLocals: Set<number> | null = null;
  private simdWebs: { readonly webs: V128Webs; readonly views: readonly V128View[] } | null | undefined;

  /**
   * The live ranges of the v128 locals and the view each keeps its lanes in (simd-locals.ts): float
   * views only under the inline SIMD lowering, and not where NaNs are boxed (lanes there may be
   * NaNBoxes); null when every range keeps words.
   */
  private v128Ranges(): { readonly webs: V128Webs; readonly views: readonly V128View[] } | null {
    if (this.simdWebs === undefined) {
      const webs = simdLowering() === 'inline' && !this.mc.boxesNaNs
        ? v128Webs(this.r.bytes, this.bodyStart, this.r.end, this.localTypes, this.type.params.length) : null;
      const views = webs === null ? [] : webViews(webs, this.r.bytes, this.r.end);
      this.simdWebs = webs === null || views.every((v) => v.kind === 'i32') ? null : { webs, views };
    }
    return this.simdWebs;
  }

  /** Where the lanes of v128 local `i` are at the local.get, local.set or local.tee at `at`. */
  v128Slot(i: number, at: number): V128Slot {
    const ranges = this.v128Ranges();
    if (ranges === null) return wordSlot(i);
    const w = ranges.webs.webAt.get(at);
    if (w === undefined || ranges.views[w]!.kind === 'i32') return wordSlot(i);
    return webSlot(i, w, ranges.views[w]!);
  }

  /** Declarations of the lets of the live ranges kept as float lanes. */
  private v128RangeDecls(): string[] {
    const ranges = this.v128Ranges();
    if (ranges === null) return [];
    const out: string[] = [];
    ranges.views.forEach((v, w) => {
      if (v.kind !== 'i32') for (const name of webSlot(ranges.webs.webs[w]!.local, w, v).names) out.push(`${name} = 0`);
    });
    return out;
  }

  /** Locals whose NaN bits are never observed (consumer.ts), found on first request. */
  nanTolerantLocals(): Set<number> {
    this.tolerantLocals ??= nanTolerantLocals(this.r.bytes, this.bodyStart, this.r.end, this.localTypes.length);
    return this.tolerantLocals;
  }

  /** Marks a point where memory may have grown or been replaced: views are re-read there. */
  reloadViews(): void {
    this.reloadLines.push(this.lines.length);
    this.lines.push(this.indent);
  }

  // ------------------------------------------------------------------ stack

  /**
   * Pushes an entry; one whose expression has grown long is evaluated into a temp first. Deferring
   * expressions nests them (a chain of 1,000 i32.add was 2,000 nested parentheses), and V8's
   * parser runs out of stack on deep nesting ("Maximum call stack size exceeded" from new Function).
   */
  push(e: Entry): void {
    this.trace?.entry(e, this.at);
    this.stack.push(e.code.length + e.hi.length > MAX_EXPRESSION_LENGTH ? this.materialize(e) : e);
    if (this.stack.length - this.frozen > FREEZE_AT) this.freeze(this.stack.length - FREEZE_KEEP);
  }
  pop(): Entry {
    if (this.stack.length === 0) throw new CompileError(`function ${this.funcIndex}: operand stack underflow`);
    this.thaw(this.stack.length - 1);
    const e = this.stack.pop()!;
    this.trace?.pop(e);
    return e;
  }
  popN(n: number): Entry[] {
    if (n === 0) return [];
    if (this.stack.length < n) throw new CompileError(`function ${this.funcIndex}: operand stack underflow`);
    this.thaw(this.stack.length - n);
    const es = this.stack.splice(this.stack.length - n, n);
    if (this.trace !== null) for (const e of es) this.trace.pop(e);
    return es;
  }
  /** Drops the entries above `length` (a frame's base, when its end or else is reached). */
  truncateStack(length: number): void {
    if (length >= this.stack.length) return;
    this.thaw(length);
    this.stack.length = length;
  }

  /**
   * Evaluates the entries below `upTo` in stack order, as spillNonPure and spillLocal would before
   * a later statement or assignment (so no trap, effect or local read moves across another), and
   * marks them frozen. Only deep stacks reach this (FREEZE_AT).
   */
  private freeze(upTo: number): void {
    for (let i = this.frozen; i < upTo; i++) {
      let e = this.stack[i]!;
      if (!(e.simple && e.locals === null)) e = this.stack[i] = this.snapshot(e);
      this.pin(entryTemps(e));
    }
    this.frozen = upTo;
  }

  /** Unfreezes the entries at and above `length`, which are about to leave the stack. */
  private thaw(length: number): void {
    while (this.frozen > length) {
      this.unpin(entryTemps(this.stack[--this.frozen]!));
    }
  }
  peek(): Entry {
    return this.stack[this.stack.length - 1]!;
  }

  /**
   * Evaluates a popped entry into a temp now (unless it is already simple). One that may trap or
   * have effects comes after the non-pure entries still on the stack (below it): wasm's order.
   */
  materialize(e: Entry): Entry {
    if (!e.pure && !e.simple) this.spillNonPure();
    return this.evaluate(e);
  }

  /** Evaluates an entry into a temp now (unless it is already simple), whatever is below it. */
  private evaluate(e: Entry): Entry {
    if (e.simple) return e;
    const t = this.temp(e.type);
    if (e.type === I64) {
      // A constant high half (a zero- or sign-known extension) stays a literal, so that arithmetic
      // on the value folds it (i64.mul drops a partial product, i64.add a term).
      if (e.hiOf === undefined && literal(e.hi) !== null) {
        this.emit(`${t} = ${e.code};`);
        return simpleEntry(I64, t, e.hi);
      }
      this.emit(`${t} = ${e.code}; ${t}h = ${e.hiOf ? e.hiOf(t) : e.hi};`);
      return simpleEntry(I64, t, `${t}h`);
    }
    this.emit(`${t} = ${e.type === I32 ? int(e) : e.code};`);
    return e.number ? changed(simpleEntry(e.type, t), { number: true }) : simpleEntry(e.type, t);
  }

  /** An i64 whose halves can both be used as they are (materialised when its high half needs the low one). */
  pair(e: Entry): Entry {
    if (e.hiOf === undefined) return e;
    if (!e.pure) this.spillNonPure();
    return this.materialize(e);
  }

  /**
   * `pair` for popped operands, in order: when one must be materialised, so is every non-pure one
   * before it (and what is below them on the stack), so effects and traps keep wasm's order.
   */
  pairs(es: readonly Entry[]): Entry[] {
    let last = -1;
    es.forEach((e, i) => {
      if (e.hiOf !== undefined) last = i;
    });
    if (last < 0) return es as Entry[];
    if (es.some((e, i) => i <= last && !e.pure)) this.spillNonPure();
    return es.map((e, i) => (i <= last && (e.hiOf !== undefined || !e.pure) ? this.materialize(e) : e));
  }

  /**
   * Pops `n` operands of an instruction that emits a statement (it traps or has effects), evaluated
   * as wasm orders them: what is below them first, then each operand that is not pure; i64 pairs
   * are made usable and operands used more than once (`simple`) are put in temps. Whatever the
   * statement then does with them (a 64-bit address put in a temp, say) cannot reorder their traps.
   */
  settle(n: number, simple: readonly boolean[] = []): Entry[] {
    const ops = this.popN(n);
    this.spillNonPure();
    return ops.map((e, i) => (!e.pure || e.hiOf !== undefined || (simple[i] === true && !e.simple) ? this.materialize(e) : e));
  }

  /** Evaluates, in stack order, every non-pure entry below the top `keep` ones. */
  spillNonPure(keep = 0): void {
    const n = this.stack.length - keep;
    for (let i = this.frozen; i < n; i++) if (!this.stack[i]!.pure) this.stack[i] = this.evaluate(this.stack[i]!);
  }

  /** Before control flow splits: everything that reads locals or state becomes a temp. */
  private spillForBlock(): void {
    for (let i = this.frozen; i < this.stack.length; i++) {
      const e = this.stack[i]!;
      if (!(e.simple && e.locals === null)) this.stack[i] = this.snapshot(e);
    }
  }

  /** A copy of `e` that no later local.set can change. */
  private snapshot(e: Entry): Entry {
    return e.simple && e.locals !== null ? this.materializeFresh(e) : this.evaluate(e);
  }

  /**
   * Before local `index` is assigned: every entry that reads it becomes a temp. One that may trap
   * or have effects is evaluated only after the non-pure entries below it, as wasm orders them.
   */
  private spillLocal(index: number): void {
    for (let i = this.frozen; i < this.stack.length; i++) {
      const e = this.stack[i]!;
      if (e.locals === null || !e.locals.includes(index)) continue;
      if (!e.pure) this.spillNonPure(this.stack.length - i);
      this.stack[i] = this.snapshot(e);
    }
  }

  /** Emits a statement that has effects or may trap: earlier non-pure entries are evaluated first. */
  statement(code: string, consumed = 0): void {
    this.spillNonPure(consumed);
    this.emit(code);
  }

  // ------------------------------------------------------------------ function

  compile(): string {
    return this.compileLines().join('\n');
  }

  /** The function's JS as lines (a part is one multi-line string): what compile joins, for callers that join it into more. */
  compileLines(): string[] {
    const params: string[] = [];
    this.type.params.forEach((t, i) => {
      params.push(`l${i}`);
      if (t === I64) params.push(`l${i}h`);
    });
    const locals: string[] = [];
    this.type.params.forEach((t, i) => t === V128 && locals.push(...v128LocalDecls(i, true)));
    for (let i = this.type.params.length; i < this.localTypes.length; i++) {
      const t = this.localTypes[i]!;
      if (t === I64) locals.push(`l${i} = 0`, `l${i}h = 0`);
      else if (isRef(t)) locals.push(`l${i} = null`);
      else if (t === I32 || t === F32 || t === F64) locals.push(`l${i} = 0`);
      else if (t === V128) locals.push(...v128LocalDecls(i, false));
      else throw new UnsupportedError(`${valKindName(t)} locals in the JS compiler`);
    }
    locals.push(...this.v128RangeDecls());
    const func: Frame = {
      kind: 'func', label: 'F', headerLine: -1, headerText: '', params: [], results: this.type.results,
      base: 0, vars: null, used: false, paramEntries: [], hasElse: false, armFellThrough: false,
    };
    this.frames.push(func);
    // A tail call of the function itself continues this loop (selfTailCall), entry checks included.
    const selfLoopLine = this.lines.length;
    if (this.trampolined) this.lines.push('');
    // The entry checks belong to the body's first instruction, as a trap there reports it.
    this.at = this.r.pos;
    this.epochCheck();
    this.fuelStart(true, 'head');
    // Every invocation costs one unit more than its instructions, as in Wasmtime (so that calling
    // even an empty function consumes fuel and a call tree cannot run for free).
    if (this.meter !== null) this.meter.cost++;
    this.linearStarts = linearStarts(this);
    this.openLinearHere();
    this.body();
    this.fuelFlush();
    if (this.selfLooped) {
      this.lines[selfLoopLine] = `${INDENTS[1]}${SELF_LOOP}: for (;;) {`;
      this.lines.push(`${INDENTS[1]}}`);
    }

    const name = this.mc.funcNames[this.funcIndex]!;
    const own = this.trampolined ? `${name}_body` : name;
    const out: string[] = [`function${this.star} ${own}(${params.join(', ')}) {`];
    if (locals.length) out.push(...chunkDecl(locals));
    if (this.partSources.length) {
      // Parts declare their own temps: the function only those it uses.
      const used = new Set<number>();
      for (const line of this.lines) tempsIn(line, used);
      out.push(...chunkDecl(this.tempDecls(used), 'var'));
    } else {
      out.push(...chunkDecl(this.tempIsWide.flatMap((wide, n) => (wide ? [tempName(n), `${tempName(n)}h`] : [tempName(n)])), 'var'));
    }
    const { declare, reload } = viewStatements(this.usedMemories);
    if (declare) out.push(declare);
    if (this.fuel) out.push('  let fu = S.fuel;');
    if (this.epochs) out.push('  let dl = S.epochDeadline;');
    if (this.depthCounted) out.push(`  if (++DEPTH[0] > MAX_DEPTH) ${this.helper('depthExceeded')}();`);
    for (const i of this.reloadLines) this.lines[i] = reload || this.lines[i]!.trim() ? this.lines[i] + reload : '';
    for (const line of this.lines) if (line !== '') out.push(line);
    out.push('}');
    if (this.trampolined) {
      const runTail = this.helper(this.star ? 'runTailAsync' : 'runTail');
      out.push(`function${this.star} ${name}(${params.join(', ')}) {`);
      out.push(`  const r = ${this.callPrefix}${own}(${params.join(', ')});`);
      out.push(`  return r === TAIL ? ${this.callPrefix}${runTail}() : r;`);
      out.push('}');
    }
    out.push(...this.partSources);
    return tuned(this.mc.options) ? this.aliasMath(out) : out;
  }

  /**
   * Without a JIT, `fround(x)` through a bound helper costs about two thirds of `Math.fround(x)`,
   * which reads the global and then the property at every call (V8 --jitless); Math.imul and the
   * other Math functions likewise.
   */
  private aliasMath(lines: string[]): string[] {
    return lines.map((line) => (line.includes('Math.') ? line.replace(MATH_CALL, (_, name: string) => `${this.helper(name)}(`) : line));
  }

  private body(): void {
    const r = this.r;
    while (this.frames.length > 0) {
      if (r.pos >= r.end) throw new CompileError(`function ${this.funcIndex}: unexpected end of body`);
      this.at = r.pos;
      this.trace?.startInstruction();
      const byte = r.u8();
      if (this.unreachable) {
        this.skipDead(byte);
        continue;
      }
      const l = this.linear;
      if (l !== null && this.frames.length === l.depth && byte !== Op.End && byte !== Op.Else && partFull(this, l)) {
        this.fuelFlush();
        linearBoundary(this, l, this.at);
        this.known = null;
        this.constantSet = null;
        this.fuelStart();
      }
      if (this.meter !== null && FUEL_FREE[byte] !== 1) this.meter.cost++;
      // A sweep costs the temps made so far: with thousands (a frozen deep stack) sweeps are rarer.
      if (++this.sinceRecycle >= RECYCLE_EVERY && this.tempIsWide.length > RECYCLE_EVERY
        && this.sinceRecycle >= this.tempIsWide.length >> 3) this.recycleTemps();
      this.instruction(byte);
      if (this.pendingTee >= 0) {
        const i = this.pendingTee;
        this.pendingTee = -1;
        const t = this.localTypes[i]!;
        this.push(entry(t, `l${i}`, t === I64 ? `l${i}h` : '', true, [i], true));
      }
    }
  }

  // ------------------------------------------------------------------ fuel and epochs

  /** Starts a straight-line run (fuel-meter.ts); `chain`: it heads a chain of merged charges, or may join one. */
  fuelStart(checked = false, chain?: 'head' | 'fall'): void {
    this.meter?.start(checked, chain);
  }

  /** Ends the current run, writing its charge. */
  fuelFlush(): void {
    this.meter?.flush();
  }

  /** Charges a bulk operation's units; returns the expression for its length from then on. */
  fuelPerUnit(length: string): string {
    return this.meter === null ? length : this.meter.perUnit(length);
  }

  /** Writes the fuel back to the store before a call, a return or a throw. */
  fuelSave(): void {
    this.meter?.save();
  }

  /** fuelSave's statements, to write in front of another on the same line ('' without fuel). */
  fuelSaveCode(): string {
    return this.meter === null ? '' : this.meter.saveCode();
  }

  /** At function entry and loop headers: has the engine's epoch reached the store's deadline? */
  private epochCheck(): void {
    // A plain load, not Atomics.load (three times slower on fib): V8 does not hoist typed-array
    // loads out of loops, and test/compile/interrupts.test.ts checks that a Worker's increment is seen.
    // The deadline is kept in the local `dl`, read again after calls (a host call may move it).
    // With fuel, the callback sees (and may change) the fuel used so far.
    if (!this.epochs) return;
    if (this.star) {
      // With async support the store may yield to the event loop here, where memories can grow.
      this.open('if (EPOCH[0] >= dl) {');
      this.emit(`${this.fuel ? 'S.fuel = fu; ' : ''}dl = yield* ${this.helper('epochReachedAsync')}(S);${this.fuel ? ' fu = S.fuel;' : ''}`);
      this.reloadViews();
      this.close();
      return;
    }
    const reached = `dl = ${this.helper('epochReached')}(S);`;
    this.emit(this.fuel ? `if (EPOCH[0] >= dl) { S.fuel = fu; ${reached} fu = S.fuel; }` : `if (EPOCH[0] >= dl) ${reached}`);
  }

  /** Dead code after br, return, unreachable...: parsed for structure only. */
  private skipDead(byte: number): void {
    const r = this.r;
    if (skipDeadException(this, byte)) return;
    if (byte === Op.End) {
      if (this.deadDepth > 0) this.deadDepth--;
      else this.end();
      return;
    }
    if (byte === Op.Else && this.deadDepth === 0) {
      this.else();
      return;
    }
    const op = byte >= 0xfb && byte <= 0xfe ? opByPrefixed(byte, r.u32()) : opByByte(byte);
    if (op === undefined) throw new CompileError(`function ${this.funcIndex}: unknown opcode 0x${byte.toString(16)}`);
    if (byte === Op.Block || byte === Op.Loop || byte === Op.If || byte === 0x06 || byte === 0x1f) this.deadDepth++;
    skipImmediates(r, op);
  }

  // ------------------------------------------------------------------ dispatch

  private instruction(byte: number): void {
    const r = this.r;
    switch (byte) {
      case Op.Unreachable:
        // As in Wasmtime, the fuel used up to an `unreachable` is saved (after other traps, the
        // store has what was saved at this function's entry or last call).
        this.statement(`${this.fuelSaveCode()}${this.helper('trapUnreachable')}();`);
        this.unreachable = true;
        return;
      case Op.Nop:
        return;
      case Op.Block: {
        const n = this.chainLength();
        if (n >= CHAIN_MIN) this.openChain(n, false);
        // The blocks' types are one byte each, 2 bytes apart: case 0 starts after the last.
        else if (n >= splitChainMin() && shouldSplit(this, null, n, r.pos + 2 * n - 1)) this.openChain(n, true);
        else this.openBlock(byte, r.blockType());
        return;
      }
      case Op.Loop:
      case Op.If:
        this.openBlock(byte, r.blockType());
        return;
      case Op.Else:
        this.else();
        return;
      case Op.End:
        this.end();
        return;
      case Op.Br:
        this.br(r.u32());
        return;
      case Op.BrIf:
        this.brIf(r.u32());
        return;
      case Op.BrTable:
        this.brTable();
        return;
      case Op.Return:
        returnValues(this, this.popN(this.type.results.length));
        this.unreachable = true;
        return;
      case Op.Call:
        callDirect(this, r.u32(), false);
        return;
      case Op.CallIndirect: {
        const typeIndex = r.u32();
        callIndirect(this, typeIndex, r.u32(), false);
        return;
      }
      case Op.ReturnCall:
        callDirect(this, r.u32(), true);
        return;
      case Op.ReturnCallIndirect: {
        const typeIndex = r.u32();
        callIndirect(this, typeIndex, r.u32(), true);
        return;
      }
      case Op.CallRef:
        callRef(this, r.u32(), false);
        return;
      case Op.ReturnCallRef:
        callRef(this, r.u32(), true);
        return;
      case Op.BrOnNull:
        this.brOnNull(r.u32(), true);
        return;
      case Op.BrOnNonNull:
        this.brOnNull(r.u32(), false);
        return;
      case Op.Drop: {
        const e = this.pop();
        if (!e.pure) this.statement(`${e.code};${e.type === I64 ? ` ${e.hi};` : ''}`);
        return;
      }
      case Op.Select:
        this.select();
        return;
      case Op.SelectT: {
        // The declared type: a ref operand's own type may be narrower (non-null where the other may be null).
        const n = r.count();
        let declared: ValType | undefined;
        for (let i = 0; i < n; i++) declared = r.valType();
        this.select(declared);
        return;
      }
      case Op.LocalGet: {
        const i = r.u32();
        const t = this.localTypes[i]!;
        if (t === V128) pushV128Local(this, i);
        else this.push(entry(t, `l${i}`, t === I64 ? `l${i}h` : '', true, [i], true));
        return;
      }
      case Op.LocalSet:
        this.localSet(r.u32(), false);
        return;
      case Op.LocalTee:
        this.localSet(r.u32(), true);
        return;
      case Op.GlobalGet:
        this.globalGet(r.u32());
        return;
      case Op.GlobalSet:
        this.globalSet(r.u32());
        return;
      case Op.I32Const:
        this.push(simpleEntry(I32, intLiteral(r.s32())));
        return;
      case Op.I64Const:
        r.s64();
        this.push(simpleEntry(I64, intLiteral(r.lo), intLiteral(r.hi)));
        return;
      case Op.F32Const:
        this.push(simpleEntry(F32, this.f32Literal(r.u32le())));
        return;
      case Op.F64Const:
        r.u64le();
        this.push(simpleEntry(F64, this.f64Literal(r.lo, r.hi)));
        return;
    }
    if (byte >= 0xfb && byte <= 0xfe) {
      const sub = r.u32();
      this.prefixed(byte, sub);
      return;
    }
    this.simple(byte);
  }

  private prefixed(prefix: number, sub: number): void {
    const code = (prefix << 16) | sub;
    if ((prefix === 0xfc || prefix === 0xfb) && this.generic(code)) return;
    if (prefix === 0xfd) return compileSimdOp(this, sub);
    if (prefix === 0xfe) return compileAtomicOp(this, sub);
    if (isWideArithmeticOp(code)) return compileWideArithmeticOp(this, code);
    const op = opByPrefixed(prefix, sub);
    throw this.unsupported(op?.name ?? `0x${prefix.toString(16)} ${sub}`, op?.feature);
  }

  private simple(code: number): void {
    if (this.generic(code)) return;
    const op = opByByte(code);
    throw this.unsupported(op?.name ?? `0x${code.toString(16)}`, op?.feature);
  }

  /** Instructions handled by a table or a specialised module; false when none knows it. */
  private generic(code: number): boolean {
    if (code === Op.I32Eqz && this.stack.length > 0 && this.peek().bool) {
      const a = this.pop();
      this.push(derived(I32, `!(${a.code})`, [a], true, true));
      return true;
    }
    const t = TEMPLATES.get(code);
    if (t !== undefined) {
      this.template(code, t);
      return true;
    }
    if (isI64Op(code)) {
      compileI64Op(this, code);
      return true;
    }
    if (isMemoryOp(code)) {
      compileMemoryOp(this, code, this.memArg);
      return true;
    }
    if (isRefTableOp(code)) {
      compileRefTableOp(this, code);
      return true;
    }
    if (isExceptionOp(code)) {
      compileExceptionOp(this, code);
      return true;
    }
    if (isGcOp(code)) {
      compileGcOp(this, code);
      return true;
    }
    return false;
  }

  private unsupported(name: string, feature: string | undefined): UnsupportedError {
    const what = feature === 'simd' || feature === 'relaxed_simd' ? 'SIMD'
      : feature === 'gc' ? 'GC' : feature === 'exceptions' || feature === 'legacy_exceptions' ? 'exception handling'
        : feature ?? 'this instruction';
    return new UnsupportedError(`${name}: ${what} in the JS compiler`);
  }

  private template(code: number, t: (typeof TEMPLATES extends ReadonlyMap<number, infer T> ? T : never)): void {
    const op = opByByte(code) ?? opByPrefixed(code >>> 16, code & 0xffff)!;
    const arity = op.params!.length;
    let args = this.popN(arity);
    if (t.repeats) args = args.map((a) => this.materialize(a));
    if (this.mc.boxesNaNs) {
      const boxed = BOXED_TEMPLATES.get(code);
      if (boxed !== undefined) t = boxed;
    }
    if (t.helpers) for (const h of t.helpers) this.helper(h);
    // A NaNBox is an object: give templates that compare or test their float operands numbers.
    const unbox = this.mc.boxesNaNs && !TAKES_BOXES.has(code);
    const isFloat = (a: Entry) => a.type === F32 || a.type === F64;
    const markInt32 = t.int32Operands === true && !tuned(this.mc.options);
    let js = t.js(...(args.map((a) => (unbox && isFloat(a) && !isNumber(a) ? `+${operand(a)}`
      : markInt32 ? int32Variable(operand(a)) : operand(a))) as [string, string]));
    if (this.canonNaN && NAN_PRODUCING.has(code)) js = `${this.helper('canonNaN')}(${js})`;
    const resultType = op.results![0]!;
    // A comparison's 0/1 as `| 0`, not `? 1 : 0`: V8 branches on the conditional, which
    // mispredicts on data-dependent outcomes (7x slower summing random signs); `| 0` is a setcc.
    // An interpreter runs the conditional's jump as cheaply as the conversion (Entry.asInt).
    const result = t.bool === true && !tuned(this.mc.options)
      ? comparison(`(${js})`, `((${js}) | 0)`, args)
      : derived(resultType, `(${js})`, args, !TRAPPING.has(code), t.bool === true);
    // Arithmetic never makes a NaNBox: only the templates that keep a NaN's bits may.
    this.push(this.mc.boxesNaNs && unbox && code !== Op.F32ReinterpretI32 && (resultType === F32 || resultType === F64) ? changed(result, { number: true }) : result);
  }

  // ------------------------------------------------------------------ constants

  private f32Literal(bits: number): string {
    const v = f32Value(bits);
    if (v !== v) return this.constant(`f32FromBits(${bits | 0})`, 'f32FromBits');
    return floatLiteral(v);
  }

  private f64Literal(lo: number, hi: number): string {
    const v = f64Value(lo, hi);
    if (v !== v) return this.constant(`f64FromHalves(${lo}, ${hi})`, 'f64FromHalves');
    return floatLiteral(v);
  }

  // ------------------------------------------------------------------ locals, globals, select

  private localSet(index: number, tee: boolean): void {
    const v = this.pop();
    const t = this.localTypes[index]!;
    const k = v.simple ? literal(v.code) : null;
    this.constantSet = k === null || tee || t !== I32 ? null : { local: index, value: k, next: this.r.pos };
    this.part?.writes.add(index);
    if (this.dispatch !== null && index === this.dispatch.local) this.known = k;
    if (v.simple && v.code === `l${index}`) {
      // local.get x; local.set x
      if (tee) this.push(v);
      return;
    }
    if (!v.pure) this.spillNonPure();
    this.spillLocal(index);
    if (t === I64 && v.hiOf && !readsName(v.hiOf(''), `l${index}`)) {
      // The high half from the new low half (an add's carry), when it does not read the old one.
      this.emit(`l${index} = ${v.code}; l${index}h = ${v.hiOf(`l${index}`)};`);
    } else if (t === I64) {
      // Both halves are computed before either is assigned: the high half may read the low. One of
      // them goes through a temp and the other straight into the local, which is assigned last.
      if ((v.hiOf || v.hi.includes(`l${index}`)) && !v.simple) {
        if (v.hiOf) {
          const t = this.temp(I32);
          this.emit(`${t} = ${v.code}; l${index}h = ${v.hiOf(t)}; l${index} = ${t};`);
        } else if (v.pure) {
          // The high half first: nothing in either half can trap, so the order is free.
          const t = this.temp(I32);
          this.emit(`${t} = ${v.hi}; l${index} = ${v.code}; l${index}h = ${t};`);
        } else {
          const m = this.materialize(v);
          this.emit(`l${index} = ${m.code}; l${index}h = ${m.hi};`);
        }
      } else {
        this.emit(`l${index} = ${v.code}; l${index}h = ${v.hi};`);
      }
    } else if (t === V128) {
      setV128Local(this, index, v);
    } else {
      this.emit(`l${index} = ${t === I32 ? int(v) : v.code};`);
    }
    if (tee && t === V128) pushV128Local(this, index);
    else if (tee) this.push(entry(t, `l${index}`, t === I64 ? `l${index}h` : '', true, [index], true));
  }

  private globalGet(index: number): void {
    this.usedGlobals.add(index);
    const g = this.mc.module.globals[index]!;
    const t = g.type;
    if (!g.mutable) {
      this.push(simpleEntry(t, `G${index}`, t === I64 ? `G${index}h` : ''));
      return;
    }
    this.push(entry(t, `g${index}[0]`, t === I64 ? `g${index}[1]` : '', false));
  }

  private globalSet(index: number): void {
    this.usedGlobals.add(index);
    const t = this.mc.module.globals[index]!.type;
    let v = this.pop();
    if (t === I64) {
      v = this.materialize(v);
      this.statement(`g${index}[0] = ${v.code}; g${index}[1] = ${v.hi};`);
    } else {
      this.statement(`g${index}[0] = ${t === I32 ? int(v) : v.code};`, 0);
    }
  }

  /** select: `declared` is a typed select's type, else the operands' (numeric or vector) type. */
  private select(declared?: ValType): void {
    const c = this.pop();
    let [a, b] = this.popN(2) as [Entry, Entry];
    const t = declared ?? a.type;
    if (!a.pure) a = this.materializeInOrder(a, [b, c]);
    if (!b.pure) b = this.materialize(b);
    if ((t === I32 || t === I64) && !tuned(this.mc.options)) {
      this.maskSelect(t, a, b, c);
      return;
    }
    if (t === I64) {
      a = this.pair(a);
      b = this.pair(b);
      const cm = this.materialize(c);
      this.push(derived(I64, `(${cond(cm)} ? ${a.code} : ${b.code})`, [a, b, cm], true, false, `(${cond(cm)} ? ${a.hi} : ${b.hi})`));
      return;
    }
    const ai = t === I32 ? int(a) : a.code;
    const bi = t === I32 ? int(b) : b.code;
    this.push(derived(t, `(${cond(c)} ? ${ai} : ${bi})`, [a, b, c]));
  }

  /**
   * An integer select without a branch, `b ^ ((a ^ b) & mask)`: V8 compiles a conditional to a
   * branch, which mispredicts where the condition follows the data (native code uses cmov).
   */
  private maskSelect(t: ValType, a: Entry, b: Entry, c: Entry): void {
    let mask: Entry;
    if (c.bool) {
      mask = derived(I32, `(-${int(c)})`, [c]);
    } else {
      const v = this.materialize(c);
      mask = derived(I32, `((${v.code} | (0 - ${v.code})) >> 31)`, [v]);
    }
    if (t === I32) {
      const ai = this.materialize(a), bi = this.materialize(b);
      this.push(derived(I32, `(${bi.code} ^ ((${ai.code} ^ ${bi.code}) & ${mask.code}))`, [ai, bi, mask]));
      return;
    }
    const m = this.materialize(mask);
    const ap = this.materialize(this.pair(a)), bp = this.materialize(this.pair(b));
    const lo = `(${bp.code} ^ ((${ap.code} ^ ${bp.code}) & ${m.code}))`;
    const hi = `(${bp.hi} ^ ((${ap.hi} ^ ${bp.hi}) & ${m.code}))`;
    this.push(derived(I64, lo, [ap, bp, m], true, false, hi));
  }

  /** Materialises `e`, which sits below `later` on the stack, after spilling what is below it. */
  private materializeInOrder(e: Entry, _later: Entry[]): Entry {
    this.spillNonPure();
    return this.materialize(e);
  }

  // ------------------------------------------------------------------ control

  private blockSignature(bt: number): [readonly ValType[], readonly ValType[]] {
    if (bt === BLOCK_EMPTY) return [[], []];
    if (bt >= BLOCK_TYPE_INDEX) {
      const ft = this.mc.funcType(bt - BLOCK_TYPE_INDEX);
      return [ft.params, ft.results];
    }
    return [[], [bt]];
  }

  openBlock(kind: number, bt: number): void {
    const [params, results] = this.blockSignature(bt);
    let condition: Entry | null = null;
    if (kind === Op.If) condition = this.pop();
    let paramEntries = this.popN(params.length);
    this.spillNonPure();
    // A condition that reads memory or globals stays inline: what runs before the header only copies values.
    paramEntries = paramEntries.map((e) => (e.simple && e.locals === null ? e : this.snapshot(e)));
    this.spillForBlock();
    const n = this.labelCount++;
    const label = (kind === Op.Loop ? 'L' : kind === Op.If ? 'I' : 'B') + n;
    let vars: Entry[] | null = null;
    if (kind === Op.Loop && params.length > 0) {
      vars = params.map((t) => {
        const v = this.temp(t);
        return simpleEntry(t, v, t === I64 ? `${v}h` : '');
      });
      this.assign(vars, paramEntries);
      paramEntries = vars;
    }
    if (kind === Op.If && results.length > 0) vars = this.resultVars(results);
    const headerText = kind === Op.Loop ? 'for (;;) {' : kind === Op.If ? `if (${cond(condition!)}) {` : '{';
    const frame: Frame = {
      kind: kind === Op.Loop ? 'loop' : kind === Op.If ? 'if' : 'block', label, headerLine: this.lines.length,
      headerText, params, results, base: this.stack.length, vars, used: false, paramEntries, hasElse: false, armFellThrough: false,
    };
    this.open(headerText);
    this.frames.push(frame);
    this.pinFrame(frame);
    for (const e of paramEntries) this.push(e);
    // An innermost loop that runs a few known times leaves the check to the code around it.
    const counter = this.constantSet;
    if (kind === Op.Loop && !(this.epochs && counter !== null && counter.next === this.at
      && isShortCountedLoop(this.mc.module.bytes, this.r.pos, this.r.end, counter))) this.epochCheck();
    if (kind !== Op.Block) this.fuelStart(kind === Op.Loop, kind === Op.Loop ? 'head' : undefined);
    if (kind === Op.Loop) frame.bodyLine = this.lines.length;
    this.known = null;
    this.openLinearHere();
  }

  /** Starts cutting the unit whose body starts here into straight-run parts, when it is one to cut. */
  private openLinearHere(): void {
    if (this.linearStarts === null || !this.linearStarts.has(this.r.pos) || this.linear !== null || this.split !== null
      || this.stack.length !== 0 || this.unreachable || !partsLeaveFrames(this)) return;
    this.fuelFlush();
    this.known = null;
    this.constantSet = null;
    const label = `C${this.labelCount++}`;
    const state = this.temp(I32);
    const pins = new Set<number>();
    tempsIn(state, pins);
    this.linearPins = [...pins];
    this.pin(this.linearPins);
    this.emit(`${state} = 0;`);
    // A chain at the start of a cut loop body is in a part, not at the loop's head: no dispatch loop.
    this.frames[this.frames.length - 1]!.bodyLine = -1;
    this.linear = openLinear(this, label, state, this.linearStarts);
    this.fuelStart();
  }

  /** At the cut unit's `end` or `else`: its last part ends and the outer function's dispatcher is written. */
  private closeLinearHere(): void {
    const l = this.linear;
    if (l === null || this.frames.length !== l.depth) return;
    let reachable = !this.unreachable;
    const f = this.frames[this.frames.length - 1]!;
    if (reachable && f.kind === 'func' && f.results.length > 0) {
      // The body's results leave the part as a return does.
      returnValues(this, this.popN(f.results.length));
      reachable = false;
    }
    this.fuelFlush();
    closeLinear(this, l, reachable, this.at);
    this.linear = null;
    this.unpin(this.linearPins);
    this.linearPins = [];
    this.known = null;
    this.constantSet = null;
    this.unreachable = !reachable;
    this.fuelStart();
  }

  /**
   * Whether `return_call` of this function itself can be a jump to its start: parameters are
   * assigned, other locals start again from zero, and the entry's epoch and fuel checks run again,
   * as on a call. Not for v128 locals (kept as lanes), nor in parts.
   */
  canLoopSelf(): boolean {
    return this.trampolined && this.part === null && !this.localTypes.some((t) => t === V128);
  }

  /** `return_call` of this function itself (canLoopSelf): a jump to its start with the new parameters. */
  selfTailCall(args: readonly Entry[]): void {
    const params = this.type.params.map((t, i) => simpleEntry(t, `l${i}`, t === I64 ? `l${i}h` : ''));
    this.assign(params, args);
    const zeros: string[] = [];
    for (let i = params.length; i < this.localTypes.length; i++) {
      const t = this.localTypes[i]!;
      if (t === I64) zeros.push(`l${i} = 0; l${i}h = 0;`);
      else zeros.push(isRef(t) ? `l${i} = null;` : `l${i} = 0;`);
    }
    for (let i = 0; i < zeros.length; i += 8) this.emit(zeros.slice(i, i + 8).join(' '));
    this.emit(`continue ${SELF_LOOP};`);
    this.selfLooped = true;
    this.unreachable = true;
  }

  private resultVars(types: readonly ValType[]): Entry[] {
    return types.map((t) => {
      const v = this.temp(t);
      return simpleEntry(t, v, t === I64 ? `${v}h` : '');
    });
  }

  /** Parallel assignment of values to variables (values may read the variables). */
  private assign(vars: readonly Entry[], values: readonly Entry[]): void {
    if (vars.length === 1) {
      const v = vars[0]!;
      const x = values[0]!;
      if (v.type === I64) {
        const m = x.simple ? x : this.materialize(x);
        if (m.code !== v.code) this.emit(`${v.code} = ${m.code}; ${v.hi} = ${m.hi};`);
      } else if (x.code !== v.code) {
        this.emit(`${v.code} = ${v.type === I32 ? int(x) : x.code};`);
      }
      return;
    }
    const names = new Set(vars.map((v) => v.code));
    values = this.pairs(values);
    // One scan of each value's words (a variable, or its high half NAMEh), not one RegExp per
    // variable and value: a catch of 1,000 values made that a million RegExps.
    const readsAny = (text: string) => {
      for (const word of text.match(WORDS) ?? []) {
        if (names.has(word) || (word.endsWith('h') && names.has(word.slice(0, -1)))) return true;
      }
      return false;
    };
    const safe = values.map((x, i) => {
      const reads = readsAny(x.code + ' ' + x.hi);
      return reads && !(x.simple && names.has(x.code) && vars[i]!.code === x.code) ? this.materializeFresh(x) : x;
    });
    vars.forEach((v, i) => {
      const x = safe[i]!;
      if (x.code === v.code) return;
      if (v.type === I64) this.emit(`${v.code} = ${x.code}; ${v.hi} = ${x.hi};`);
      else this.emit(`${v.code} = ${v.type === I32 ? int(x) : x.code};`);
    });
  }

  /** Copies an entry into a new temp even if it is simple (parallel assignment). */
  private materializeFresh(e: Entry): Entry {
    const t = this.temp(e.type);
    if (e.type === I64) {
      // A constant high half (a zero- or sign-known extension) stays a literal, so that arithmetic
      // on the value folds it (i64.mul drops a partial product, i64.add a term).
      if (e.hiOf === undefined && literal(e.hi) !== null) {
        this.emit(`${t} = ${e.code};`);
        return simpleEntry(I64, t, e.hi);
      }
      this.emit(`${t} = ${e.code}; ${t}h = ${e.hiOf ? e.hiOf(t) : e.hi};`);
      return simpleEntry(I64, t, `${t}h`);
    }
    this.emit(`${t} = ${e.type === I32 ? int(e) : e.code};`);
    return e.number ? changed(simpleEntry(e.type, t), { number: true }) : simpleEntry(e.type, t);
  }

  frameAt(depth: number): Frame {
    const f = this.frames[this.frames.length - 1 - depth];
    if (f === undefined) throw new CompileError(`function ${this.funcIndex}: unknown label ${depth}`);
    return f;
  }

  /** The statements of a branch to `f` with `values` (already materialised where needed). */
  branchCode(f: Frame, values: readonly Entry[]): void {
    if (this.part !== null) {
      const c = f.chain;
      if (c !== undefined && c.label === this.split!.label) {
        f.used = true;
        jumpToState(this, c.label, c.state, c.n, c.k);
        return;
      }
      if (partBranch(this, f, values)) return;
    }
    if (f.kind === 'func') {
      returnValues(this, values);
      return;
    }
    f.used = true;
    if (f.chain !== undefined) {
      const c = f.chain;
      this.emit(c.k === c.n ? `break ${c.label};` : `${c.state} = ${c.k}; continue ${c.label};`);
      return;
    }
    if (f.kind === 'loop') {
      if (f.vars) this.assign(f.vars, values);
      this.emit(`continue ${f.label};`);
      return;
    }
    if (values.length > 0) this.assign(this.frameResultVars(f), values);
    this.emit(`break ${f.label};`);
  }

  private branchArity(f: Frame): number {
    return f.kind === 'loop' ? f.params.length : f.results.length;
  }

  private br(depth: number): void {
    const f = this.frameAt(depth);
    const values = this.popN(this.branchArity(f));
    this.spillNonPure(0);
    if (!this.jumpDispatch(f)) this.branchCode(f, values);
    this.unreachable = true;
  }

  /**
   * A branch to a dispatch loop (Go's `i32.const k; local.set x; br $loop`) whose state is a known
   * constant goes straight to the chain case the dispatch would pick. Not with fuel or epochs: the
   * loop header charges and checks there.
   */
  private jumpDispatch(f: Frame): boolean {
    const d = this.dispatch;
    const v = this.known;
    this.known = null;
    if (d === null || v === null || f !== d.loop || this.fuel || this.epochs) return false;
    const frameN = this.frames[d.base];
    if (frameN === undefined || frameN.chain?.label !== d.label) return false;
    const k = (v >>> 0) < d.states.length ? d.states[v]! : d.dflt;
    const frame = this.frames[d.base + d.n - k];
    if (frame !== undefined && frame.chain?.label === d.label && frame.chain.k === k) this.branchCode(frame, []);
    else jumpToState(this, d.label, d.state, d.n, k);
    return true;
  }

  private brIf(depth: number): void {
    const f = this.frameAt(depth);
    const c = this.pop();
    const n = this.branchArity(f);
    this.spillNonPure();
    const values = this.popN(n).map((e) => this.materialize(e));
    const known = this.known;
    this.open(`if (${cond(c)}) {`);
    const exit = (): void => {
      if (!this.jumpDispatch(f)) this.branchCode(f, values);
    };
    if (this.meter === null) exit();
    else this.meter.branchOut(exit);
    this.known = known;
    this.close();
    this.fuelStart(false, 'fall');
    for (const v of values) this.push(v);
  }

  /** br_on_null (branch when null, keep the reference) and br_on_non_null (branch with it). */
  private brOnNull(depth: number, onNull: boolean): void {
    const f = this.frameAt(depth);
    this.spillNonPure();
    const ref = this.materialize(this.pop());
    const n = this.branchArity(f) - (onNull ? 0 : 1);
    const values = this.popN(n).map((e) => this.materialize(e));
    this.open(`if (${ref.code} ${onNull ? '===' : '!=='} null) {`);
    this.branchCode(f, onNull ? values : [...values, ref]);
    this.close();
    this.fuelStart();
    for (const v of values) this.push(v);
    if (onNull) this.push(ref);
  }

  private brTable(): void {
    const r = this.r;
    const n = r.count();
    const targets: number[] = [];
    for (let i = 0; i < n; i++) targets.push(r.u32());
    const deflt = r.u32();
    let index = this.pop();
    const arity = this.branchArity(this.frameAt(deflt));
    this.spillNonPure();
    const values = this.popN(arity).map((e) => this.materialize(e));
    this.known = null;
    if (!index.simple) index = this.materialize(index);
    if (arity === 0 && n >= 8 && this.chainTable(targets, deflt, index)) return;
    const byTarget = new Map<number, number[]>();
    targets.forEach((t, i) => {
      if (t === deflt) return;
      const list = byTarget.get(t);
      if (list) list.push(i);
      else byTarget.set(t, [i]);
    });
    if (byTarget.size === 0) {
      this.branchCode(this.frameAt(deflt), values);
    } else if (byTarget.size === 1 && [...byTarget.values()][0]!.length === 1) {
      const [[t, [i]]] = [...byTarget.entries()] as [[number, number[]]];
      this.open(`if (${int(index)} === ${i}) {`);
      this.branchCode(this.frameAt(t), values);
      this.close();
      this.branchCode(this.frameAt(deflt), values);
    } else {
      this.open(`switch (${int(index)}) {`);
      for (const [t, cases] of byTarget) {
        this.emit(cases.map((c) => `case ${c}:`).join(' '));
        this.deeper();
        this.branchCode(this.frameAt(t), values);
        this.shallower();
      }
      this.emit('default:');
      this.deeper();
      this.branchCode(this.frameAt(deflt), values);
      this.shallower();
      this.close();
    }
    this.unreachable = true;
  }

  /**
   * A br_table whose targets are all blocks of one flattened chain (Go's resume dispatch, 2,000+
   * targets) sets the chain state from a constant table instead of a switch over every index.
   */
  private chainTable(targets: readonly number[], deflt: number, index: Entry): boolean {
    const d = this.frameAt(deflt);
    const c = d.chain;
    if (c === undefined) return false;
    const states: number[] = [];
    for (const t of targets) {
      const k = this.frameAt(t).chain;
      if (k === undefined || k.label !== c.label) return false;
      states.push(k.k);
    }
    for (const t of targets) this.frameAt(t).used = true;
    d.used = true;
    const o = this.chainOpen;
    if (this.dispatch === null && o !== null && o.label === c.label && o.loop !== null && this.lines.length === o.line
      && index.simple && index.locals !== null && index.locals.length === 1 && index.code === `l${index.locals[0]}`) {
      this.dispatch = { loop: o.loop, local: index.locals[0]!, states, dflt: c.k, label: c.label, state: c.state, n: c.n, base: o.base };
    }
    const table = this.constant(`new Int32Array([${states.join(',')}])`);
    const i = int(index);
    this.emit(`${c.state} = (${i} >>> 0) < ${states.length} ? ${table}[${i}] : ${c.k};`);
    continueOrLeave(this, c.label, c.state);
    this.unreachable = true;
    return true;
  }

  private else(): void {
    this.closeLinearHere();
    this.known = null;
    const f = this.frames[this.frames.length - 1]!;
    if (!this.unreachable) this.fallthroughInto(f);
    f.armFellThrough = !this.unreachable;
    this.truncateStack(f.base);
    f.hasElse = true;
    this.close('} else {');
    this.deeper();
    this.unreachable = false;
    for (const e of f.paramEntries) this.push(e);
    this.fuelStart();
    this.openLinearHere();
  }

  /** Assigns the frame's results when control reaches its end by falling through. */
  fallthroughInto(f: Frame): void {
    const values = this.popN(f.results.length);
    this.spillNonPure();
    if (f.kind === 'if' && f.vars) {
      this.assign(f.vars, values.map((e) => e));
    } else if (f.used && values.length > 0) {
      this.assign(this.frameResultVars(f), values);
    } else {
      for (const v of values) this.push(v);
    }
  }

  /** How many empty blocks open here in a row (the reader is just past the first `block` opcode). */
  private chainLength(): number {
    const bytes = this.r.bytes;
    let p = this.r.pos;
    let n = 0;
    while (bytes[p] === BLOCK_EMPTY_BYTE) {
      n++;
      if (bytes[p + 1] !== Op.Block) break;
      p += 2;
    }
    return n;
  }

  /** Opens a chain of n empty blocks; split: shouldSplit already said yes. */
  private openChain(n: number, split: boolean): void {
    for (let i = 0; i < n; i++) {
      if (i > 0) this.r.u8();
      this.r.blockType();
    }
    this.spillNonPure();
    this.spillForBlock();
    this.known = null;
    const label = `C${this.labelCount++}`;
    const state = this.temp(I32);
    const parent = this.frames[this.frames.length - 1]!;
    const loop = parent.kind === 'loop' && this.lines.length === parent.bodyLine ? parent : null;
    const x = loop !== null && this.part === null ? dispatchLocal(this) : null;
    this.emit(`${state} = 0;`);
    const base = this.frames.length;
    if (split || shouldSplit(this, x, n, this.r.pos)) {
      this.split = openSplit(this, label, state, n);
    } else {
      this.open(`${label}: for (;;) {`);
      this.open(`switch (${state}) {`);
      this.emit('case 0:');
    }
    this.chainOpen = { label, state, n, base, loop, line: this.lines.length };
    for (let k = n; k >= 1; k--) {
      const frame: Frame = {
        kind: 'block', label, headerLine: -1, headerText: '', params: [], results: [], base: this.stack.length,
        vars: null, used: false, paramEntries: [], hasElse: false, armFellThrough: false, chain: { label, state, k, n },
      };
      this.frames.push(frame);
      this.pinFrame(frame);
    }
  }

  private endChain(f: Frame, c: Chain): void {
    const endReachable = !this.unreachable || f.used;
    this.deadDepth = 0;
    this.truncateStack(f.base);
    this.known = null;
    if (this.split !== null && this.split.label === c.label) {
      this.fuelFlush();
      splitBoundary(this, this.split, c.k, !this.unreachable);
      if (c.k === c.n) {
        finishSplit(this, this.split);
        this.split = this.split.parent;
      }
    } else if (c.k < c.n) {
      this.emit(`case ${c.k}:`);
    } else {
      this.close();
      this.emit(`break ${c.label};`);
      this.close();
    }
    this.unreachable = !endReachable;
    this.fuelStart();
  }

  end(): void {
    this.closeLinearHere();
    this.known = null;
    const f = this.frames.pop()!;
    this.unpinFrame(f);
    if (f.chain !== undefined) {
      this.endChain(f, f.chain);
      return;
    }
    if (f.kind === 'func') {
      if (!this.unreachable) returnValues(this, this.popN(this.type.results.length));
      return;
    }
    const reachable = !this.unreachable;
    let fallValues: Entry[] = [];
    if (reachable) {
      if (f.kind !== 'loop' && (f.kind === 'if' || f.used)) {
        this.fallthroughInto(f);
      } else {
        fallValues = this.popN(f.results.length);
      }
    }
    if (f.kind === 'if' && !f.hasElse) {
      // The implicit else passes the parameters through as results.
      if (f.vars) {
        this.close('} else {');
        this.deeper();
        this.assign(f.vars, f.paramEntries);
      }
    }
    if (f.kind === 'loop' && reachable) this.emit(`break ${f.label};`);
    if (f.kind === 'loop') f.used = true;
    if (f.exn !== undefined) endTry(this, f);
    this.close();
    this.fuelStart();
    const labelUsed = f.used;
    this.lines[f.headerLine] = this.lines[f.headerLine]!.replace(f.headerText, (labelUsed ? `${f.label}: ` : '') + f.headerText);
    this.deadDepth = 0;
    this.truncateStack(f.base);
    const endReachable = reachable || f.used || (f.kind === 'if' && !f.hasElse) || f.armFellThrough;
    if (f.kind === 'loop') {
      // A loop's end is reached only by falling through its body.
      this.unreachable = !reachable;
      for (const v of fallValues) this.push(v);
      return;
    }
    this.unreachable = !endReachable;
    if (f.vars) {
      for (const v of f.vars) this.push(v);
    } else {
      for (const v of fallValues) this.push(v);
    }
  }

  /** A 64-bit address or index as a JS number; anything at or above 2^53 becomes out of bounds. */
  index64(e: Entry): string {
    const m = this.materialize(e);
    return `((${m.hi} >>> 0) * 4294967296 + (${m.code} >>> 0))`;
  }

  /**
   * When the next instruction is `local.set x`, consumes it and returns x: the producer assigns the
   * local itself instead of going through a temp. Entries that read x are snapshotted first.
   */
  fuseLocalSet(): number | null {
    const r = this.r;
    const op = r.bytes[r.pos];
    if (op !== Op.LocalSet && op !== Op.LocalTee) return null;
    r.pos++;
    const index = r.u32();
    // A tee leaves the local on the stack; pushed after the producer has assigned it.
    if (op === Op.LocalTee) this.pendingTee = index;
    this.part?.writes.add(index);
    if (this.dispatch !== null && index === this.dispatch.local) this.known = null;
    if (this.meter !== null) this.meter.cost++;
    this.sinceRecycle++;
    this.spillLocal(index);
    return index;
  }

  /** Reads a memarg immediate. */
  readMemArg(): MemArg {
    return readMemArg(this.r, this.memArg);
  }
}

/** An operand inside a larger expression (i32 booleans converted). */
export function operand(e: Entry): string {
  return e.type === I32 ? int(e) : e.code;
}

/** Instructions that cost no fuel (Wasmtime): nop, drop, block, loop, end, else, unreachable, return. */
const FUEL_FREE = new Uint8Array(256);
for (const op of [Op.Nop, Op.Drop, Op.Block, Op.Loop, Op.End, Op.Else, Op.Unreachable, Op.Return]) FUEL_FREE[op] = 1;

/** The label of the loop around a body that tail-calls itself. */
const SELF_LOOP = 'TC';

/** Indentation by nesting depth, capped. */
const INDENTS: readonly string[] = Array.from({ length: 13 }, (_, i) => '  '.repeat(i));

const MATH_CALL = /\bMath\.(fround|imul|clz32|abs|sqrt|floor|min|max)\(/g;

/** `Math.fround(`, `Math.imul(` and the other Math calls generated code makes as calls of the helpers bound to them (FunctionCompiler.aliasMath). */
export function aliasMathCalls(text: string): string {
  return text.includes('Math.') ? text.replace(MATH_CALL, '$1(') : text;
}

/** usedMemories' key for memory `index`'s Uint8Array (its DataView's key is the index itself). */
export function byteViewKey(index: number): number {
  return ~(2 * index);
}

/** usedMemories' key for the length of memory `index`'s Uint8Array. */
export function byteLengthKey(index: number): number {
  return ~(2 * index + 1);
}

/** The declaration of the memory views `keys` (usedMemories) and the statement that re-reads them. */
export function viewStatements(keys: ReadonlySet<number>): { declare: string; reload: string } {
  const views = [...keys].filter((k) => k >= 0).sort().map((k) => `dv${k} = M${k}.view`);
  // An array's key (~2i) sorts before its length's (~(2i+1)), which is always bound with it (byteStore).
  for (const k of [...keys].filter((k) => k < 0).sort((a, b) => b - a)) {
    const i = ~k >> 1;
    views.push((~k & 1) === 0 ? `by${i} = M${i}.bytes` : `bn${i} = by${i}.length`);
  }
  return { declare: views.length ? `  let ${views.join(', ')};` : '', reload: views.map((v) => `${v};`).join(' ') };
}

/** `let` (or `var`) statements declaring `decls`, at most 12 a line. */
export function chunkDecl(decls: readonly string[], keyword = 'let'): string[] {
  const out: string[] = [];
  for (let i = 0; i < decls.length; i += 12) out.push(`  ${keyword} ${decls.slice(i, i + 12).join(', ')};`);
  return out;
}

function valKindName(t: ValType): string {
  return t === 0x7b ? 'v128' : `type ${t}`;
}

const f32buf = new Float32Array(1);
const f32bufI = new Int32Array(f32buf.buffer);
const f64buf = new Float64Array(1);
const f64bufI = new Int32Array(f64buf.buffer);

function f32Value(bits: number): number {
  f32bufI[0] = bits;
  return f32buf[0]!;
}
function f64Value(lo: number, hi: number): number {
  f64bufI[0] = lo;
  f64bufI[1] = hi;
  return f64buf[0]!;
}

/** An exact JS literal for a non-NaN double. */
export function floatLiteral(v: number): string {
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${v})` : String(v);
}

