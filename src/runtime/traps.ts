// Trap creation for generated code (one tiny thrower per trap kind), and the conversion of
// whatever escaped generated code into a Trap with a wasm backtrace at the embedding boundary.

import { RuntimeError, Trap, TrapCode, onRuntimeErrorConstructed, type FrameInfo, type FrameSymbol } from '../core/errors.js';
import { ADAPTOR_URL, CODE_URL_PREFIX, codeInfo, codeUrl, type CodeInfo, type TailCallKind } from './code-registry.js';
import { isInstance, isObject } from './host-values.js';
import { displayName, functionLabel } from './demangle.js';
import type { InlinedFrame } from '../binary/dwarf-inlines.js';
import type { CodeLocation } from '../compile/code-locator.js';
import { HIDDEN, plainStack, presentStack, type FrameLine, type StackScan } from './stack-text.js';

/**
 * Wraps an exception thrown by a host (imported JS) function so the boundary rethrows it unchanged.
 * `callers`, when given, is a JS stack taken where the host function threw, deep enough to show
 * its wasm callers (hostThrow).
 */
export class HostThrow {
  constructor(readonly error: unknown, readonly callers: Error | null = null) {}
}

/**
 * What a host function threw, wrapped with the stack of its wasm callers: Wasmtime gives an error
 * that a host function returns a WasmBacktrace, and so does tswasm (hostErrorBacktrace). Only an
 * object can carry one (it is looked up by identity), so other values are wrapped alone.
 */
export function hostThrow(e: unknown): HostThrow {
  if (!isObject(e)) return new HostThrow(e);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = TRAP_FRAMES;
  const callers = new Error();
  Error.stackTraceLimit = limit;
  return new HostThrow(e, callers);
}

/**
 * Host errors that left wasm, each with the stack taken where it was first thrown from a host
 * function (the innermost, which also shows the frames of every enclosing call), read into frames
 * only when asked, since finding their offsets compiles their functions again.
 */
const hostErrorCallers = new WeakMap<object, Error | FrameInfo[]>();

/** The wasm frames below the host function that threw `error` (innermost first), or null. */
export function hostErrorBacktrace(error: unknown): FrameInfo[] | null {
  if (!isObject(error)) return null;
  const known = hostErrorCallers.get(error);
  if (known === undefined || Array.isArray(known)) return known ?? null;
  const frames = wasmBacktrace(plainStack(known));
  hostErrorCallers.set(error, frames);
  return frames;
}

/**
 * Runs embedder code that wasm reaches without a call instruction (a deadline callback, a resource
 * limiter). What it throws leaves wasm so: a trap stays a trap and a JS stack overflow stays raw (the
 * outermost entry into wasm reports it as StackOverflow); anything else reaches the embedder
 * unchanged, never taken for a trap (a RangeError would otherwise read as an out-of-bounds access).
 */
export function runEmbedderCode<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw embedderError(e);
  }
}

/**
 * What embedder code threw (or its promise rejected with), as it must leave wasm (runEmbedderCode);
 * one already wrapped (a refused suspension thrown back into the stack) stays as it is.
 */
export function embedderError(e: unknown): unknown {
  return e instanceof HostThrow || isInstance(e, Trap) || isStackOverflow(e) ? e : new HostThrow(e);
}

/** Traps the runtime raised itself (makeTrap), whose stack shows its own code innermost. */
const raisedByEngine = new WeakSet<Trap>();
/** Errors whose stack (and a trap's backtrace) were read off their JS stack at the boundary. */
const presented = new WeakSet<object>();

/**
 * How many frames an error records that the engine raises in wasm (a DataView's RangeError for an
 * out-of-bounds access), or that the runtime makes (a trap, a host error's callers): backtraces and
 * coredumps are read from them. V8 records `Error.stackTraceLimit` of them, 10 by default.
 */
export const TRAP_FRAMES = 100;

/** Raises Error.stackTraceLimit to TRAP_FRAMES where it is lower: the limit to put back, or null when unchanged. */
export function raiseFrameLimit(): number | null {
  const limit = Error.stackTraceLimit;
  if (limit >= TRAP_FRAMES) return null;
  Error.stackTraceLimit = TRAP_FRAMES;
  return limit;
}

/** Creates a trap with a deep enough JS stack to recover the wasm backtrace. */
export function makeTrap(code: TrapCode, message?: string): Trap {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = TRAP_FRAMES;
  const trap = new Trap(code, message);
  Error.stackTraceLimit = limit;
  raisedByEngine.add(trap);
  return trap;
}

export function trapUnreachable(): never { throw makeTrap(TrapCode.UnreachableCodeReached); }
export function trapDivByZero(): never { throw makeTrap(TrapCode.IntegerDivisionByZero); }
export function trapIntOverflow(): never { throw makeTrap(TrapCode.IntegerOverflow); }
export function trapBadConversion(): never { throw makeTrap(TrapCode.BadConversionToInteger); }
export function trapMemory(): never { throw makeTrap(TrapCode.MemoryOutOfBounds); }
export function trapTable(): never { throw makeTrap(TrapCode.TableOutOfBounds); }
export function trapUndefinedElement(): never { throw makeTrap(TrapCode.TableOutOfBounds, 'undefined element'); }
export function trapUninitializedElement(index: number): never { throw makeTrap(TrapCode.IndirectCallToNull, `uninitialized element ${index}`); }
export function trapBadSignature(): never { throw makeTrap(TrapCode.BadSignature); }
export function trapNullReference(): never { throw makeTrap(TrapCode.NullReference); }
export function trapNullFunctionReference(): never { throw makeTrap(TrapCode.NullReference, 'null function reference'); }
export function trapStackOverflow(): never { throw makeTrap(TrapCode.StackOverflow); }

/** V8's (and JavaScriptCore's and Hermes's) message for an exhausted JS stack. */
export const STACK_OVERFLOW = 'Maximum call stack size exceeded';

/**
 * An exhausted JS stack (shared by wasm and host functions), as engines report it: V8,
 * JavaScriptCore and Hermes throw a RangeError, SpiderMonkey an InternalError "too much
 * recursion", QuickJS an InternalError "stack overflow".
 */
export function isStackOverflow(e: unknown): boolean {
  // What a host function throws may be any value, a Proxy included (host-values.ts), an Error whose
  // message is not a string or whose getters throw: it must leave unchanged, so only the engine's
  // own kind of error, with exactly the engine's message as an own data property, is taken for one.
  if (isInstance(e, RangeError)) {
    const message = ownMessage(e);
    return message === STACK_OVERFLOW || message === `${STACK_OVERFLOW}.`; // V8 and Hermes; JavaScriptCore
  }
  if (!isInstance(e, Error)) return false;
  const message = ownMessage(e);
  return (message === 'too much recursion' || message === 'stack overflow') && isInternalError(e);
}

/** `e`'s own `message` if it is a data property holding a string; nothing else runs. */
function ownMessage(e: object): string | null {
  try {
    const d = Object.getOwnPropertyDescriptor(e, 'message');
    return d !== undefined && typeof d.value === 'string' ? d.value : null;
  } catch {
    return null;
  }
}

/** Whether `e` is named InternalError, as SpiderMonkey's and QuickJS's are (a throwing getter: no). */
function isInternalError(e: object): boolean {
  try {
    return (e as { name?: unknown }).name === 'InternalError';
  } catch {
    return false;
  }
}

/**
 * What the embedder sees for an exception that left wasm: host exceptions unchanged, traps with
 * a backtrace, V8's stack-overflow RangeError as StackOverflow and DataView's bounds RangeError as
 * MemoryOutOfBounds. Anything else (an engine bug) passes through.
 */
export function toEmbedderError(e: unknown): unknown {
  if (isInstance(e, HostThrow)) {
    const error = e.error;
    if (e.callers !== null && isObject(error) && !hostErrorCallers.has(error)) {
      hostErrorCallers.set(error, e.callers);
      presentHostError(error, e.callers);
      // A Trap a host function made: its backtrace (and a coredump's frames) are the wasm callers, as Wasmtime's are.
      if (isInstance(error, Trap) && error.backtrace.length === 0) error.backtrace = hostErrorBacktrace(error) ?? [];
    }
    return error;
  }
  if (isInstance(e, Trap)) {
    if (!presented.has(e)) {
      presented.add(e);
      const scan = scanStack(plainStack(e));
      if (e.backtrace.length === 0) e.backtrace = scan.frames;
      presentStack(e, () => scan, raisedByEngine.has(e));
    }
    return e;
  }
  if (isStackOverflow(e)) return trapFor(TrapCode.StackOverflow, e);
  // DataView's bounds check, in every engine.
  if (isInstance(e, RangeError)) return trapFor(TrapCode.MemoryOutOfBounds, e);
  return e;
}

/**
 * Gives V8's own error for an exhausted stack, leaving wasm as it is (the JS API's rule), a stack
 * that shows wasm frames as V8 writes its own.
 */
export function presentStackOverflow(e: unknown): void {
  if (typeof e !== 'object' || e === null || presented.has(e)) return;
  presented.add(e);
  const descriptor = Object.getOwnPropertyDescriptor(e, 'stack');
  if (descriptor !== undefined && !descriptor.configurable) return;
  const scan = scanStack(plainStack(e));
  presentStack(e, () => scan, false);
}

/**
 * Gives an Error that a host function threw the stack V8 gives one that passed through its own wasm
 * frames: those frames as V8 writes them, none of the generated code's machinery. Only an Error
 * whose stack shows generated code is changed; its other lines stay as the host's formatter (if it
 * has one: source maps) wrote them. Reading the stack here formats it, a few microseconds a throw;
 * glue's own control flow does not pay it, since emscripten's longjmp and C++ exceptions throw
 * objects that are not Errors (Go's and wasm-bindgen's glue throw Errors through wasm only to fail).
 * `callers`: the embedding API's stack taken where the host call failed (hostThrow), whose frames
 * replace the error's own past the host call (withCallers).
 */
export function presentHostError(error: unknown, callers?: Error): void {
  if (!isInstance(error, Error) || presented.has(error)) return;
  let text: unknown;
  try {
    const descriptor = Object.getOwnPropertyDescriptor(error, 'stack');
    if (descriptor === undefined || !descriptor.configurable) return;
    // Each error's own accessor from V8 12 (Node 22) on; a data property before.
    text = descriptor.get !== undefined ? descriptor.get.call(error) : descriptor.value;
  } catch {
    return; // the host's formatter or a Proxy's trap threw: the error is left as it is
  }
  if (typeof text !== 'string' || !(text.includes(CODE_URL_PREFIX) || text.includes(ADAPTOR_URL))) return;
  presented.add(error);
  const stack = text;
  presentStack(error, () => scanStack(callers === undefined ? stack : withCallers(stack, callers)), false);
}

/**
 * An embedding-API host error's stack text, its frames past the host call taken from `callers`
 * (captured 100 frames deep where the host call failed): the host's Error.stackTraceLimit counts
 * only the frames shown, and tswasm's own lines of the host call would otherwise use it up.
 */
function withCallers(stack: string, callers: Error): string {
  const lines = stack.split('\n');
  const own = lines.findIndex((l) => l.includes(HOST_CALL));
  const below = plainStack(callers)?.split('\n') ?? [];
  // Generator code (Config.asyncSupport) runs a host call after tswasm$hostEntry has returned its
  // generator: there the callers begin at the first line of generated code.
  let entry = below.findIndex((l) => l.includes(HOST_ENTRY));
  if (entry < 0) entry = below.findIndex((l) => l.includes(CODE_URL_PREFIX));
  return own < 0 || entry < 0 ? stack : [...lines.slice(0, own + 1), ...below.slice(entry)].join('\n');
}

/** The trap an engine error raised in generated code stands for, with that error's frames. */
function trapFor(code: TrapCode, e: unknown): Trap {
  const scan = scanStack(plainStack(e));
  const trap = new Trap(code, undefined, scan.frames);
  presented.add(trap);
  presentStack(trap, () => scan, true);
  return trap;
}

// Lazily compiled functions each have their own URL, tswasm-module-N.fK.js; precompiled code is
// tswasm-module-pHEX.js. V8 writes a frame as `at $f3_name (URL:line:col)` (with a receiver's
// `Object.` in front, or ` [as name]` after, at times); SpiderMonkey and JavaScriptCore as
// `$f3_name@URL:line:col`. A part of a split function (compile/split.ts) is `$f3_name$p2`.
const FRAME = /(?:at (?:\S+\.)?|^\s*)(\$f(\d+)\w*)(\$p\d+)?(?: \[as \w+\])?(?: \(|@)tswasm-module-(\d+|p[0-9a-f]+)(\.f\d+)?\.js(?::(\d+):(\d+))?/;

/** Where a frame is in generated code, for working out its wasm offsets when they are read. */
interface CodePosition {
  readonly unit: boolean;
  readonly line: number;
  readonly column: number;
}

/** A wasm frame; its offsets are worked out on first read (FrameInfo.moduleOffset). */
class WasmFrame implements FrameInfo {
  #url: string;
  #info: CodeInfo | undefined;
  #position: CodePosition | null;
  #offsets: CodeLocation | null = null;
  #symbols: readonly FrameSymbol[] | null = null;

  constructor(
    readonly funcIndex: number,
    readonly funcName: string | null,
    readonly moduleName: string | null,
    url: string,
    info: CodeInfo | undefined,
    position: CodePosition | null,
  ) {
    this.#url = url;
    this.#info = info;
    this.#position = position;
  }

  /** The sourceURL of the code `frame` ran in (its module's CompiledCode.url), or null for another FrameInfo. */
  static codeUrl(frame: FrameInfo): string | null {
    return #url in frame ? (frame as WasmFrame).#url : null;
  }

  get moduleOffset(): number | null {
    return this.#locate()?.moduleOffset ?? null;
  }

  get funcOffset(): number | null {
    return this.#locate()?.funcOffset ?? null;
  }

  get symbols(): readonly FrameSymbol[] {
    if (this.#symbols === null) {
      const at = this.moduleOffset;
      let frames: InlinedFrame[] = [];
      try {
        frames = at === null ? [] : this.#info?.locator?.sourceFramesAt(at) ?? [];
      } catch {
        frames = [];
      }
      // The last is the wasm function itself: the name section names it where DWARF does not.
      this.#symbols = frames.map((f, i) => ({
        name: f.name ?? (i === frames.length - 1 ? this.funcName : null),
        file: f.location?.file ?? null, line: f.location?.line ?? null, column: f.location?.column ?? null,
      }));
    }
    return this.#symbols;
  }

  #locate(): CodeLocation | null {
    const p = this.#position;
    if (p !== null) {
      this.#position = null;
      try {
        this.#offsets = this.#info?.locator?.locate(this.funcIndex, p.unit, p.line, p.column) ?? null;
      } catch {
        // Compiling again may fail where the first compilation did not (the JS stack is nearly
        // exhausted when a stack overflow's backtrace is read): the offsets are then unknown.
        this.#offsets = null;
      }
    }
    return this.#offsets;
  }
}

/** The sourceURL of the module code a backtrace frame ran in, or null for a frame made elsewhere. */
export const frameCodeUrl = WasmFrame.codeUrl;

/**
 * The wasm frames of a JS stack trace, innermost first. A function that makes tail calls runs as
 * a body (`$fN_name_body`) inside its trampoline (`$fN_name`), so the trampoline is never a frame
 * of its own: just inside it is either its body (the same wasm frame) or `runTail`, running the
 * function's tail callee after the function itself has finished (Wasmtime shows no frame for it),
 * and a body at a `return_call` has finished too.
 * A part of a split function is not a frame either: the function calling it is, at the part's position.
 */
export function wasmBacktrace(stack: string | undefined): FrameInfo[] {
  return scanStack(stack).frames;
}

/** The wasm frames of a JS stack text, and what each of its lines is (stack-text.ts). */
export function scanStack(stack: string | undefined): StackScan {
  const frames: FrameInfo[] = [];
  const lines = stack ? stack.split('\n') : [];
  const kinds: (FrameLine | typeof HIDDEN | undefined)[] = [];
  let innerLine = '';
  let innerIdentifier = '';
  let part: { readonly funcIndex: number; readonly match: RegExpExecArray } | null = null;
  // Inside the embedding API's code of a host call: from its call of the implementation down to
  // the function wasm called (api/host-call.ts), every line is tswasm's own.
  let hostCall = false;
  for (const [i, line] of lines.entries()) {
    kinds.push(HIDDEN);
    if (line.includes(HOST_CALL) || (hostCall && !FRAME.test(line))) {
      hostCall = !line.includes(HOST_ENTRY);
      innerLine = line;
      innerIdentifier = '';
      continue;
    }
    hostCall = false;
    if (line.includes(WASM_CALL) || line.includes(INSTANTIATE)) {
      // The embedding API's lines of a call into wasm, from its entry down to the wasm frames.
      let j = i - 1;
      while (j >= 0 && kinds[j] === undefined) j--;
      if (j >= 0) kinds.fill(HIDDEN, j + 1, i);
      innerLine = line;
      innerIdentifier = '';
      continue;
    }
    // V8 shows generator code (Config.asyncSupport) resumed by `yield*` as a frame of its own.
    const step = GENERATOR_STEP.exec(line);
    if (step !== null) {
      // Generated code's own, or one resuming it; another generator's line stays.
      if (!step[1]!.startsWith('$f') && !FRAME.test(lines[i + 1] ?? '')) kinds[i] = undefined;
      continue;
    }
    const m = FRAME.exec(line);
    if (m !== null && m[3] !== undefined) {
      part = { funcIndex: Number(m[2]), match: m };
      innerLine = line;
      innerIdentifier = '';
      continue;
    }
    const identifier = m ? `${m[4]}:${m[1]}` : '';
    const isTrampoline = m !== null && (innerIdentifier === `${identifier}_body` || RUN_TAIL.test(innerLine));
    innerLine = line;
    innerIdentifier = identifier;
    if (!m) {
      if (!isMachinery(line)) kinds[i] = undefined;
      continue;
    }
    if (isTrampoline) continue;
    const funcIndex = Number(m[2]);
    const info = codeInfo(m[4]!);
    const at = part !== null && part.funcIndex === funcIndex ? part.match : m;
    part = null;
    const position = at[6] !== undefined ? { unit: at[5] !== undefined, line: Number(at[6]), column: Number(at[7]) } : null;
    // A function that makes tail calls runs as a body; one at a tail call has finished and called
    // its callee from its frame (compile/calls.ts), where Wasmtime has none: a wasm callee's frames
    // are inside it, or an import's code is. Innermost at an indirect one, the trap is its own (a
    // null, out-of-bounds or mistyped target) and the frame stays.
    if (position !== null && m[1]!.endsWith('_body')) {
      const kind = tailCallAt(info, funcIndex, position);
      if (kind === 'direct' || (kind === 'indirect' && frames.length > 0)) continue;
    }
    const url = codeUrl(m[4]!);
    const frame = new WasmFrame(funcIndex, info?.funcNames.get(funcIndex) ?? null, info?.moduleName ?? null, url, info, position);
    frames.push(frame);
    kinds[i] = { frame, info, url };
  }
  return { frames, lines, kinds };
}

/**
 * Lines of tswasm's machinery between generated frames: a lazily compiled function's first-call stub
 * (`lazy$N` in the module's factory), the trampoline running tail calls, and the generated call
 * adaptors of the JS API (their code carries the sourceURL tswasm-adaptor.js).
 */
function isMachinery(line: string): boolean {
  return LAZY_STUB.test(line) || ADAPTOR_FRAME.test(line) || RUN_TAIL.test(line);
}
const LAZY_STUB = /(?:at (?:\S+\.)?|^\s*)lazy\$\d+(?: \[as \w+\] \(| \(|@)tswasm-module-/;
// The embedding API's call of a host function's implementation, and the function wasm calls
// (api/host-call.ts). Plain searches, not regular expressions: V8 may compile a regular expression
// on any run, and a compilation with the JS stack nearly exhausted (a stack overflow's backtrace
// is read there) aborts the process.
const HOST_CALL = 'tswasm$callHost';
const HOST_ENTRY = 'tswasm$hostEntry';
// The embedding API's call into wasm (api/boundary.ts), tswasm$callWasmAsync included, and its
// instantiation, which runs the start function (api/instance.ts).
const WASM_CALL = 'tswasm$callWasm';
const INSTANTIATE = 'tswasm$instantiate';
const ADAPTOR_FRAME = new RegExp(`[(@]${ADAPTOR_URL.replace(/\./g, '\\.')}:`);

// A RuntimeError that glue code makes inside an import shows the wasm frames that called it, as V8's
// own would. Its stack is captured beside it (V8's capture is cheap; formatting it is not) and read
// on the first read of its own.
onRuntimeErrorConstructed((error) => {
  const capture = (Error as { captureStackTrace?: (target: object, above?: unknown) => void }).captureStackTrace;
  if (typeof capture !== 'function') return;
  const holder = {};
  capture(holder, RuntimeError);
  presentStack(error, () => scanStack(plainStack(holder)), false);
});

/** Which tail call a frame is at, if any (its position read through the code's locator). */
function tailCallAt(info: CodeInfo | undefined, funcIndex: number, p: CodePosition): TailCallKind | null {
  try {
    return info?.locator?.tailCallAt(funcIndex, p.unit, p.line, p.column) ?? null;
  } catch {
    return null; // as for offsets: compiling again may fail where the JS stack is nearly exhausted
  }
}

/** A generator resumed by `yield*` (not runTailAsync's, which marks a trampoline as runTail's does). */
const GENERATOR_STEP = /^\s*at (?!runTailAsync\.)(\S+)\.next \(<anonymous>\)$/;
const RUN_TAIL = /^\s*(?:at runTail \(|runTail@|at runTailAsync\.next \(|runTailAsync@)/;

/**
 * Text of a backtrace, one frame a line, like Wasmtime's "wasm backtrace:" section: the frame's
 * module offset (when it can be told), module and function name (a Rust symbol demangled, as
 * Wasmtime prints it), and under it its source line when the module has DWARF debug info (with
 * inlined calls, each inlined function and the one it was inlined into, innermost first).
 */
export function formatBacktrace(frames: readonly FrameInfo[]): string {
  return frames.map((f, i) => {
    const where = f.moduleName !== null ? `${f.moduleName}!` : '';
    const name = functionLabel(f.funcName, f.funcIndex);
    const offset = f.moduleOffset !== null ? `0x${f.moduleOffset.toString(16)} - ` : '';
    // With inlined calls, each function is named above its position, as Wasmtime does.
    const inlined = f.symbols.length > 1;
    const at = f.symbols.map((s) => {
      const named = inlined ? `\n                - ${s.name !== null ? displayName(s.name) : '<unknown>'}` : '';
      return s.file === null ? named : `${named}\n                    at ${s.file}:${s.line}:${s.column}`;
    }).join('');
    return `  ${String(i).padStart(2)}: ${offset}${where}${name} (function ${f.funcIndex})${at}`;
  }).join('\n');
}
