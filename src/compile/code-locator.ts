// Wasm offsets of positions in generated code, for backtraces (FrameInfo.moduleOffset): the
// function is compiled again with an OffsetTrace and a JS stack frame's line and column are read
// against that, but only when the traced compilation, markers stripped, is line for line the code
// that ran. Used for generated modules and for deserialized ones (whose code this process did not
// generate, but regenerates alike when its engine's settings match). An offset's source line
// comes from the module's DWARF line table (binary/dwarf-lines.ts).

import type { ModuleInfo } from '../binary/module.js';
import { ByteReader } from '../binary/reader.js';
import { Op } from '../binary/op.js';
import { FunctionCompiler } from './function-compiler.js';
import type { ModuleContext } from './module-context.js';
import { OffsetTrace, stripMarkers } from './offset-trace.js';
import { LineTable } from '../binary/dwarf-lines.js';
import { InlineTable, type InlinedFrame } from '../binary/dwarf-inlines.js';
import type { CodeLocating, TailCallKind } from '../runtime/code-registry.js';

/** Where a position in generated code comes from in the wasm. */
export interface CodeLocation {
  /** Offset of the instruction in the module's bytes. */
  readonly moduleOffset: number;
  /** Offset of the instruction from the start of its function's body (after the body's size). */
  readonly funcOffset: number;
}

/** A function compiled with an OffsetTrace, and the line of its script where its code starts. */
interface TracedFunction {
  readonly trace: OffsetTrace;
  readonly marked: readonly string[];
  readonly start: number;
}

/** Lines `new Function` writes before the body it is given (`function anonymous(...` and `) {`). */
export const FUNCTION_WRAPPER_LINES = 2;

/**
 * How many traced functions a module keeps, the least recently read dropped first: a backtrace
 * often holds one function many times, or a few recursing through each other.
 */
const TRACED_KEPT = 16;
/** How many frame positions' tailCallAt answers a module keeps (a bound, not a tuning). */
const TAIL_CALL_ANSWERS_KEPT = 4096;

export class CodeLocator {
  private readonly cache = new Map<number, TracedFunction | null>();
  /** tailCallAt's answers by frame position. */
  private readonly tailCalls = new Map<string, TailCallKind | null>();
  /** The module's DWARF line table and inlined calls, read on first use (undefined: not read yet). */
  private debugInfo: { lines: LineTable; inlines: InlineTable | null } | null | undefined = undefined;

  constructor(
    /** The code generator's context for the module (made on first use when it is not at hand). */
    private readonly context: () => ModuleContext,
    /** The script that ran function `funcIndex`: its own unit's (`unit`) or the eager factory; null if unknown. */
    private readonly script: (funcIndex: number, unit: boolean) => string | null,
  ) {}

  /**
   * Where in the wasm a position of function `funcIndex`'s code comes from: `line` and `column`
   * are a JS stack frame's (1-based) in its unit's script (`unit`) or in the eager factory.
   */
  locate(funcIndex: number, unit: boolean, line: number, column: number): CodeLocation | null {
    const traced = this.traced(funcIndex, unit);
    if (traced === null) return null;
    const index = line - 1 - FUNCTION_WRAPPER_LINES - traced.start;
    if (index < 0 || index >= traced.marked.length) return null;
    const moduleOffset = traced.trace.offsetAt(traced.marked, index, column - 1);
    if (moduleOffset === null) return null;
    return { moduleOffset, funcOffset: moduleOffset - bodyStart(this.context().module, funcIndex) };
  }

  /**
   * Which tail call a stack frame's position in function `funcIndex`'s code is at (`return_call`:
   * direct; `return_call_indirect`, `return_call_ref`: indirect), or null. Asked for every frame of
   * a tail-calling function when a backtrace is made, so the answers are kept: a program trapping
   * again and again through more such functions than the traces kept would otherwise compile them
   * again at every trap.
   */
  tailCallAt(funcIndex: number, unit: boolean, line: number, column: number): TailCallKind | null {
    const key = `${funcIndex}:${unit ? 'u' : 'f'}:${line}:${column}`;
    let answer = this.tailCalls.get(key);
    if (answer === undefined) {
      const at = this.locate(funcIndex, unit, line, column);
      const op = at === null ? -1 : this.context().module.bytes[at.moduleOffset];
      answer = op === Op.ReturnCall ? 'direct' : op === Op.ReturnCallIndirect || op === Op.ReturnCallRef ? 'indirect' : null;
      if (this.tailCalls.size >= TAIL_CALL_ANSWERS_KEPT) this.tailCalls.clear();
      this.tailCalls.set(key, answer);
    }
    return answer;
  }

  /**
   * The functions at `moduleOffset` from the module's DWARF, innermost first: with inlined calls,
   * the inlined functions and then the one they were inlined into, each at its position; else one
   * entry (named null) at the line table's location. Empty without debug info for the address.
   */
  sourceFramesAt(moduleOffset: number): InlinedFrame[] {
    if (this.debugInfo === undefined) {
      const module = this.context().module;
      const lines = LineTable.of(module);
      this.debugInfo = lines === null ? null : { lines, inlines: InlineTable.of(module, lines) };
    }
    if (this.debugInfo === null) return [];
    const frames = this.debugInfo.inlines?.framesAt(moduleOffset);
    if (frames) return frames;
    const location = this.debugInfo.lines.lookup(moduleOffset);
    return location === null ? [] : [{ name: null, location }];
  }

  /** Function `funcIndex` compiled with an OffsetTrace, if that is the code that ran. */
  traced(funcIndex: number, unit: boolean): TracedFunction | null {
    const key = unit ? funcIndex : -1 - funcIndex;
    if (this.cache.has(key)) {
      const kept = this.cache.get(key)!;
      this.cache.delete(key);
      this.cache.set(key, kept);
      return kept;
    }
    const traced = this.trace(funcIndex, unit);
    if (this.cache.size >= TRACED_KEPT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, traced);
    return traced;
  }

  private trace(funcIndex: number, unit: boolean): TracedFunction | null {
    const mc = this.context();
    const m = mc.module;
    if (funcIndex < m.numImportedFuncs || funcIndex >= m.funcTypes.length) return null;
    const script = this.script(funcIndex, unit);
    if (script === null) return null;
    const trace = new OffsetTrace();
    const marked = new FunctionCompiler(mc, funcIndex, trace).compile().split('\n');
    // Where the function starts in its script: its first line is its own `function` line.
    const first = stripMarkers(marked[0]!).plain;
    const at = script.startsWith(first + '\n') ? 0 : script.indexOf('\n' + first + '\n') + 1;
    if (at === 0 && !script.startsWith(first + '\n')) return null;
    const ran = linesFrom(script, at, marked.length);
    if (ran.length !== marked.length || !marked.every((line, i) => stripMarkers(line).plain === ran[i])) return null;
    return { trace, marked, start: countLines(script, at) };
  }
}

/**
 * CodeInfo.locator for the code `owner` holds: the process-wide registry must not keep a module's
 * code alive, so it reaches the locator through a weak reference (no answers once it is gone).
 * The closures are made here, where nothing else is in scope: a closure made inside the owner's
 * own code would hold that code's whole scope, and with it the owner.
 */
export function weakLocator(owner: { readonly locator: CodeLocator | null }): CodeLocating | undefined {
  if (typeof WeakRef !== 'function') return undefined;
  const ref = new WeakRef(owner);
  return {
    locate: (funcIndex, unit, line, column) => ref.deref()?.locator?.locate(funcIndex, unit, line, column) ?? null,
    tailCallAt: (funcIndex, unit, line, column) => ref.deref()?.locator?.tailCallAt(funcIndex, unit, line, column) ?? null,
    sourceFramesAt: (moduleOffset) => ref.deref()?.locator?.sourceFramesAt(moduleOffset) ?? [],
  };
}

/** How many line breaks `text` has before `end`. */
function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** `count` lines of `text` from `at` (the factory of a large module is a hundred megabytes: no split). */
function linesFrom(text: string, at: number, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const end = text.indexOf('\n', at);
    out.push(end < 0 ? text.slice(at) : text.slice(at, end));
    if (end < 0) break;
    at = end + 1;
  }
  return out;
}

/** Offset of a defined function's body, just after its size (where Wasmtime counts func_offset from). */
function bodyStart(m: ModuleInfo, funcIndex: number): number {
  const body = m.codes[funcIndex - m.numImportedFuncs]!;
  const r = new ByteReader(m.bytes, body.offset, body.code.end);
  r.u32();
  return r.pos;
}
