// Exception handling in generated code: `throw`, `throw_ref`, `try_table` and the legacy
// `try`/`catch`/`catch_all`/`delegate`/`rethrow`, as JS try/catch around the protected code.

import { CompileError } from '../core/errors.js';
import { EXNREF, I32, I64, type ValType } from '../core/types.js';
import { CATCH, CATCH_ALL, CATCH_ALL_REF, CATCH_REF } from '../binary/instructions.js';
import { Op } from '../binary/op.js';
import { int, simpleEntry, type Entry } from './entry.js';
import type { Frame, FunctionCompiler } from './function-compiler.js';

/** One catch clause of a try_table. */
interface CatchClause {
  readonly kind: number;
  /** Tag index (catch and catch_ref). */
  readonly tag: number;
  /** Label depth, counted from outside the try_table. */
  readonly label: number;
}

/** What a try frame (try_table or legacy try) carries beside the block it is. */
export interface TryState {
  /** The try_table's catch clauses; null for a legacy try. */
  readonly clauses: readonly CatchClause[] | null;
  /** The catch variable, `e` + the frame's label (so `rethrow` in nested handlers can name it). */
  readonly caught: string;
  /** Handler id within the function, for delegation (the label's number). */
  readonly id: number;
  /** Legacy: how many catch/catch_all arms opened so far (0: still in the body); the last was catch_all. */
  arms: number;
  catchAll: boolean;
  /** Legacy: `delegate` ends the try, to this label depth (counted from outside the try). */
  delegate: number | null;
  /** A delegation targets this handler, or it is the outermost one a delegation crosses: it unwraps. */
  unwraps: boolean;
}

/** Whether `code` is an exception-handling instruction this module compiles. */
export function isExceptionOp(code: number): boolean {
  switch (code) {
    case Op.Throw: case Op.ThrowRef: case Op.TryTable:
    case Op.Try: case Op.Catch: case Op.CatchAll: case Op.Delegate: case Op.Rethrow:
      return true;
  }
  return false;
}

export function compileExceptionOp(fc: FunctionCompiler, code: number): void {
  const r = fc.r;
  switch (code) {
    case Op.Throw:
      throwTag(fc, r.u32());
      return;
    case Op.ThrowRef: {
      const x = fc.pop();
      fc.spillNonPure();
      fc.fuelSave();
      fc.emit(`throw ${fc.helper('thrownRef')}(${x.code});`);
      fc.unreachable = true;
      return;
    }
    case Op.TryTable: {
      const bt = r.blockType();
      const clauses: CatchClause[] = [];
      const n = r.count();
      for (let i = 0; i < n; i++) {
        const kind = r.u8();
        const tag = kind === CATCH || kind === CATCH_REF ? r.u32() : -1;
        clauses.push({ kind, tag, label: r.u32() });
      }
      openTry(fc, bt, clauses);
      return;
    }
    case Op.Try:
      openTry(fc, fc.r.blockType(), null);
      return;
    case Op.Catch:
      nextArm(fc, r.u32());
      return;
    case Op.CatchAll:
      nextArm(fc, -1);
      return;
    case Op.Delegate:
      delegate(fc, r.u32());
      return;
    case Op.Rethrow: {
      const f = fc.frameAt(r.u32());
      if (f.exn === undefined || f.exn.arms === 0) throw new CompileError(`function ${fc.funcIndex}: invalid rethrow label`);
      fc.spillNonPure();
      fc.fuelSave();
      fc.emit(`throw ${f.exn.caught};`);
      fc.unreachable = true;
      return;
    }
  }
}

/**
 * Dead code: `catch`, `catch_all` and `delegate` of the try being skipped (depth 0) switch arms or
 * end it; a `delegate` deeper down ends a nested try. Returns false for every other byte.
 */
export function skipDeadException(fc: FunctionCompiler, byte: number): boolean {
  if (byte === Op.Delegate) {
    const depth = fc.r.u32();
    if (fc.deadDepth > 0) fc.deadDepth--;
    else delegate(fc, depth);
    return true;
  }
  if ((byte === Op.Catch || byte === Op.CatchAll) && fc.deadDepth === 0) {
    nextArm(fc, byte === Op.Catch ? fc.r.u32() : -1);
    return true;
  }
  return false;
}

/**
 * Whether code here runs inside a try body: a tail call from here must leave the handler's
 * scope (the spec replaces the frame, handlers and all), so it goes through the trampoline.
 */
export function inTryBody(fc: FunctionCompiler): boolean {
  return fc.frames.some(guards);
}

/** Whether frame `f` is a try whose body is still open (a try_table, or a legacy try before its first catch). */
function guards(f: Frame): boolean {
  return f.exn !== undefined && (f.exn.clauses !== null || f.exn.arms === 0);
}

/** The closure constant holding tag `index` of this instance (tags are compared by identity). */
function tagRef(fc: FunctionCompiler, index: number): string {
  return fc.constant(`ctx.instance.tags[${index}]`);
}

function throwTag(fc: FunctionCompiler, index: number): void {
  const args = fc.popN(tagParamsOf(fc, index).length);
  fc.spillNonPure();
  const comps: string[] = [tagRef(fc, index)];
  // In order: what cannot trap stays inline, the rest (and i64 pairs) is evaluated first.
  for (const a of args.map((x) => (x.pure && x.type !== I64 ? x : fc.materialize(x)))) {
    comps.push(a.type === I32 ? int(a) : a.code);
    if (a.type === I64) comps.push(a.hi);
  }
  fc.fuelSave();
  fc.emit(`throw ${fc.helper('newException')}(${comps.join(', ')});`);
  fc.unreachable = true;
}

function tagParamsOf(fc: FunctionCompiler, index: number): readonly ValType[] {
  return fc.mc.funcType(fc.mc.module.tags[index]!.typeIndex).params;
}

/**
 * Opens the block of a try_table (`clauses`) or a legacy try (null) and its JS try statement:
 * `B5: { try { body } catch (eB5) { handlers } }`. Only functions with try blocks get one.
 */
function openTry(fc: FunctionCompiler, bt: number, clauses: CatchClause[] | null): void {
  fc.openBlock(Op.Block, bt);
  const f = fc.frames[fc.frames.length - 1]!;
  const id = Number(f.label.slice(1));
  f.exn = { clauses, caught: `e${f.label}`, id, arms: 0, catchAll: false, delegate: null, unwraps: false };
  // A handler restores the call depth of its function and the count of plain tail calls on the
  // stack (calls.ts): frames it unwinds never decremented them.
  fc.emit(fc.depthCounted ? `let d${f.label} = DEPTH[0], p${f.label} = DEPTH[1];` : `let p${f.label} = DEPTH[1];`);
  fc.emit('try {');
  fc.deeper();
}

/** The legacy try frame on top, or a CompileError. */
function legacyTop(fc: FunctionCompiler, what: string): Frame & { exn: TryState } {
  const f = fc.frames[fc.frames.length - 1];
  if (f === undefined || f.exn === undefined || f.exn.clauses !== null || f.exn.catchAll) {
    throw new CompileError(`function ${fc.funcIndex}: ${what} without matching try`);
  }
  return f as Frame & { exn: TryState };
}

/**
 * `catch tag` (tag >= 0) or `catch_all` (-1): ends the body or the previous arm and opens the
 * next arm, which starts with the exception's payload on the stack.
 */
function nextArm(fc: FunctionCompiler, tag: number): void {
  const f = legacyTop(fc, tag >= 0 ? 'catch' : 'catch_all');
  const s = f.exn;
  // Several arms reach the end: results go through the frame's variables (payload entries name
  // the catch variable, which is out of scope after the try).
  if (f.results.length > 0) {
    f.used = true;
    fc.frameResultVars(f);
  }
  if (!fc.unreachable) {
    fc.fallthroughInto(f);
    f.armFellThrough = true;
  }
  fc.truncateStack(f.base);
  fc.deadDepth = 0;
  const test = tag >= 0 ? `${s.caught}.tag === ${tagRef(fc, tag)}` : null;
  if (s.arms === 0) {
    catchClause(fc, f);
    fc.emit(test !== null ? `if (${test}) {` : '{');
  } else {
    fc.shallower();
    fc.emit(test !== null ? `} else if (${test}) {` : '} else {');
  }
  fc.deeper();
  s.arms++;
  s.catchAll = tag < 0;
  fc.unreachable = false;
  if (tag >= 0) for (const e of payloadEntries(s.caught, tagParamsOf(fc, tag))) fc.push(e);
  fc.fuelStart();
}

/** `delegate l`: ends the legacy try; what its body throws continues as if thrown at label l. */
function delegate(fc: FunctionCompiler, depth: number): void {
  const f = legacyTop(fc, 'delegate');
  if (f.exn.arms > 0) throw new CompileError(`function ${fc.funcIndex}: delegate after catch`);
  f.exn.delegate = depth;
  fc.end();
}

/** Stack entries for the payload of exception `caught` of a tag with parameter types `params`. */
function payloadEntries(caught: string, params: readonly ValType[]): Entry[] {
  const out: Entry[] = [];
  let k = 0;
  for (const t of params) {
    if (t === I64) {
      out.push(simpleEntry(t, `${caught}.payload[${k}]`, `${caught}.payload[${k + 1}]`));
      k += 2;
    } else {
      out.push(simpleEntry(t, `${caught}.payload[${k}]`));
      k++;
    }
  }
  return out;
}

/**
 * Ends the JS try of frame `f` (already popped) with its catch clause: the try_table's dispatch,
 * the legacy arms' closing, or the delegation. Called by FunctionCompiler.end before the block closes.
 */
export function endTry(fc: FunctionCompiler, f: Frame): void {
  const s = f.exn!;
  if (s.clauses !== null) {
    catchClause(fc, f);
    dispatch(fc, s);
  } else if (s.arms > 0) {
    fc.shallower();
    if (!s.catchAll) {
      fc.emit('} else {');
      fc.emit(`  throw ${s.caught};`);
    }
    fc.emit('}');
  } else {
    catchClause(fc, f);
    fc.emit(s.delegate === null ? `throw ${s.caught};` : delegation(fc, s, s.delegate));
  }
  fc.shallower();
  fc.emit('}');
}

/**
 * Closes the JS try of frame `f` and opens its catch clause: delegations meant for this handler
 * are unwrapped, anything that is not a wasm exception is rethrown unchanged, and the state a
 * throw from a callee left stale (fuel, epoch deadline, memory views, call depth) is read again.
 */
function catchClause(fc: FunctionCompiler, f: Frame): void {
  const s = f.exn!;
  const e = s.caught;
  fc.shallower();
  fc.emit(`} catch (${e}) {`);
  fc.deeper();
  if (s.unwraps) {
    const onward = enclosingHandlers(fc).some((h) => h !== f) ? e : `${e}.exn`;
    fc.emit(`if (${e} instanceof ${fc.helper('Delegation')}) { if (${e}.to === ${s.id}) ${e} = ${e}.exn; else throw ${onward}; }`);
  }
  fc.emit(`if (!(${e} instanceof ${fc.helper('WasmException')})) throw ${e};`);
  fc.emit(fc.depthCounted ? `DEPTH[0] = d${f.label}; DEPTH[1] = p${f.label};` : `DEPTH[1] = p${f.label};`);
  if (fc.fuel) fc.emit('fu = S.fuel;');
  if (fc.epochs) fc.emit('dl = S.epochDeadline;');
  fc.reloadViews();
}

/** The try_table's clauses in order: the first that matches branches; none matching rethrows. */
function dispatch(fc: FunctionCompiler, s: TryState): void {
  const e = s.caught;
  for (const c of s.clauses!) {
    const target = fc.frameAt(c.label);
    const all = c.kind === CATCH_ALL || c.kind === CATCH_ALL_REF;
    const values = all ? [] : payloadEntries(e, tagParamsOf(fc, c.tag));
    if (c.kind === CATCH_REF || c.kind === CATCH_ALL_REF) values.push(simpleEntry(EXNREF, e));
    if (all) {
      fc.branchCode(target, values);
      return;
    }
    fc.emit(`if (${e}.tag === ${tagRef(fc, c.tag)}) {`);
    fc.deeper();
    fc.branchCode(target, values);
    fc.shallower();
    fc.emit('}');
  }
  fc.emit(`throw ${e};`);
}

/** The open frames whose try body encloses the current position, innermost first. */
function enclosingHandlers(fc: FunctionCompiler): Frame[] {
  return fc.frames.filter(guards).reverse();
}

/**
 * The statement a `delegate l` handler runs (frame already popped): the exception must reach the
 * handler of the first try body at or outside label l, skipping the handlers in between. When
 * there are none in between it is simply rethrown; otherwise it travels wrapped in a Delegation
 * that only its target (or, for the caller, the outermost handler) unwraps.
 */
function delegation(fc: FunctionCompiler, s: TryState, depth: number): string {
  const e = s.caught;
  const handlers = enclosingHandlers(fc);
  if (handlers.length === 0) return `throw ${e};`;
  const targetIndex = fc.frames.length - 1 - depth;
  const target = handlers.find((h) => fc.frames.indexOf(h) <= targetIndex);
  if (target === handlers[0]) return `throw ${e};`;
  const unwrapper = target ?? handlers[handlers.length - 1]!;
  unwrapper.exn!.unwraps = true;
  return `throw new ${fc.helper('Delegation')}(${e}, ${target === undefined ? -1 : target.exn!.id});`;
}
