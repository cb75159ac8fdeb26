// WasmBacktrace: the wasm frames of a trap, or of the current host call (Wasmtime's
// WasmBacktrace), each with its function index, name and module name.

import { Trap, type FrameInfo } from '../core/errors.js';
import { formatBacktrace, hostErrorBacktrace, wasmBacktrace } from '../runtime/traps.js';
import { plainStack } from '../runtime/stack-text.js';
import { storeOf, type AsContext } from './store.js';
import { Caller } from './caller.js';

/** The wasm frames of a trap or of the current host call (Wasmtime's WasmBacktrace). */
export class WasmBacktrace {
  /** @internal */
  constructor(
    /** Frames, innermost first. */
    readonly frames: readonly FrameInfo[],
  ) {}

  /**
   * The wasm frames on the stack now (Wasmtime's WasmBacktrace::capture): inside a host function
   * called from wasm, the wasm callers; outside wasm, none.
   */
  static capture(cx: AsContext<any>): WasmBacktrace {
    storeOf(cx);
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    const stack = plainStack(new Error());
    Error.stackTraceLimit = limit;
    const frames = wasmBacktrace(stack);
    // An async host function past its first await: its wasm callers are where it suspended.
    const suspended = frames.length === 0 && cx instanceof Caller ? Caller.suspendedAt(cx) : null;
    return new WasmBacktrace(suspended === null ? frames : wasmBacktrace(plainStack(suspended)));
  }

  /**
   * The backtrace a Trap carries; for an object a host function threw that then left wasm (as
   * Wasmtime attaches one to a host function's error), the wasm frames that called that host
   * function; null for anything else (a thrown primitive, or an error that never passed through wasm).
   */
  static fromError(error: unknown): WasmBacktrace | null {
    if (error instanceof Trap) return new WasmBacktrace(error.backtrace);
    const frames = hostErrorBacktrace(error);
    return frames === null ? null : new WasmBacktrace(frames);
  }

  /** One frame a line, like Wasmtime's "wasm backtrace:" section. */
  toString(): string {
    return formatBacktrace(this.frames);
  }
}
