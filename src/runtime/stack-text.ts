// The JS `stack` of a trap as V8 writes one for its own WebAssembly: each wasm frame as
// `at name (wasm://wasm/<hash>:wasm-function[index]:0x<offset>)`, and none of the generated code's
// machinery (its trampolines, stubs and adaptors, and the runtime code that raised the trap).

import type { FrameInfo } from '../core/errors.js';
import type { CodeInfo } from './code-registry.js';

/**
 * A JS stack text read line by line (runtime/traps.ts scanStack): its wasm frames and, for each
 * line, what it is to a reader of wasm frames: the frame it shows (with the code it ran in), HIDDEN
 * for tswasm's own machinery around generated code (parts, trampolines, lazy-compilation stubs,
 * call adaptors), or undefined for any other line.
 */
export interface StackScan {
  readonly frames: FrameInfo[];
  readonly lines: readonly string[];
  readonly kinds: readonly (FrameLine | typeof HIDDEN | undefined)[];
}

/** A line showing a frame of generated code: the frame, its code's registered names and sourceURL. */
export interface FrameLine {
  readonly frame: FrameInfo;
  readonly info: CodeInfo | undefined;
  readonly url: string;
}

export const HIDDEN = 'hidden';

/**
 * Gives `error` a `stack` read from the stack text it was raised with (`scanOf` reads it) on its
 * first read, since working out frames' offsets compiles their functions again. `raisedByEngine`:
 * the lines before the innermost wasm frame are the runtime code that raised the trap (or the
 * DataView accessor whose bounds check it was), which V8 does not show for its own traps either.
 */
export function presentStack(error: object, scanOf: () => StackScan, raisedByEngine: boolean): void {
  const header = headerOf(error);
  defineLazyStack(error, () => {
    const scan = scanOf();
    const first = scan.lines.findIndex((l) => FRAME_LINE.test(l));
    // Another engine's format (SpiderMonkey's `name@url:line:col`, without a header) stays as it is.
    return first < 0 ? scan.lines.join('\n') : `${header}${wasmStackText(scan, first, raisedByEngine)}`;
  });
}

/** `stack` on `target` read from `source`'s on first read (the JS API's RuntimeError from its trap's). */
export function copyStackLazily(target: object, source: object): void {
  defineLazyStack(target, () => {
    const text = (source as { stack?: unknown }).stack;
    if (typeof text !== 'string') return String(text);
    const frames = text.indexOf('\n    at ');
    return `${headerOf(target)}${frames < 0 ? '' : text.slice(frames)}`;
  });
}

function defineLazyStack(target: object, compute: () => string): void {
  const settle = (value: unknown): void => {
    Object.defineProperty(target, 'stack', { value, writable: true, configurable: true, enumerable: false });
  };
  // Replacing V8's own `stack` formats it first, with the host's formatter if it has one.
  withDefaultFormatter(() => Object.defineProperty(target, 'stack', {
    get() {
      const text = compute();
      settle(text);
      return text;
    },
    set: settle,
    configurable: true,
    enumerable: false,
  }));
}

/**
 * The JS stack text of `e` in V8's own format, which backtraces read (traps.ts scanStack). The host
 * may have installed an `Error.prepareStackTrace` (source-map-support, error reporters) that formats
 * differently, returns call-site objects or throws; V8 formats a stack on its first read, so that
 * read happens with the default formatter. Undefined when there is no string to read.
 */
export function plainStack(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  try {
    const stack = withDefaultFormatter(() => (e as { stack?: unknown }).stack);
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `f` with V8's default stack formatter in place of the host's. */
function withDefaultFormatter<T>(f: () => T): T {
  const ErrorClass = Error as { prepareStackTrace?: unknown };
  const own = Object.prototype.hasOwnProperty.call(ErrorClass, 'prepareStackTrace');
  const saved = ErrorClass.prepareStackTrace;
  ErrorClass.prepareStackTrace = undefined;
  try {
    return f();
  } finally {
    if (own) ErrorClass.prepareStackTrace = saved;
    else delete ErrorClass.prepareStackTrace;
  }
}

/** `Name: message` as V8 heads a stack (the message may span lines). */
function headerOf(error: object): string {
  const e = error as { name?: unknown; message?: unknown };
  const name = e.name === undefined ? 'Error' : String(e.name);
  const message = e.message === undefined ? '' : String(e.message);
  return name === '' ? message : message === '' ? name : `${name}: ${message}`;
}

/** The frame lines from line `first` on (each after a newline), as many as Error.stackTraceLimit allows. */
function wasmStackText(scan: StackScan, first: number, raisedByEngine: boolean): string {
  const innermostWasm = raisedByEngine ? scan.kinds.findIndex((k) => typeof k === 'object') : first;
  const limit = typeof Error.stackTraceLimit === 'number' ? Error.stackTraceLimit : Infinity;
  let text = '';
  let count = 0;
  for (let i = Math.max(first, innermostWasm); i < scan.lines.length && count < limit; i++) {
    const kind = scan.kinds[i];
    if (kind === HIDDEN) continue;
    text += `\n${kind === undefined ? scan.lines[i] : `    at ${wasmFrameText(kind)}`}`;
    count++;
  }
  return text;
}

const FRAME_LINE = /^\s+at /;

/** A wasm frame as V8 writes its own: `name (url:wasm-function[i]:0xoffset)`, or without any name `url:...`. */
function wasmFrameText({ frame, info, url }: FrameLine): string {
  const offset = frame.moduleOffset === null ? '' : `:0x${frame.moduleOffset.toString(16)}`;
  // Precompiled code is named by a hash of its wasm bytes already (tswasm-module-p<hex>.js).
  const hash = info?.bytes !== undefined ? bytesHash(info) : /-p([0-9a-f]{8})/.exec(url)?.[1] ?? '00000000';
  const module = frame.moduleName;
  const where = `wasm://wasm/${module !== null ? `${module}-` : ''}${hash}:wasm-function[${frame.funcIndex}]${offset}`;
  // V8 puts the module's name in front of the function's: `mod.func`, or `mod` for a function without one.
  const name = module !== null ? (frame.funcName !== null ? `${module}.${frame.funcName}` : module) : frame.funcName;
  return name === null ? where : `${name} (${where})`;
}

const hashes = new WeakMap<CodeInfo, string>();

/** FNV-1a over the module's bytes, as eight hex digits. */
function bytesHash(info: CodeInfo): string {
  let hash = hashes.get(info);
  if (hash === undefined) {
    let h = 0x811c9dc5;
    const bytes = info.bytes ?? new Uint8Array(0);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    hash = (h >>> 0).toString(16).padStart(8, '0');
    hashes.set(info, hash);
  }
  return hash;
}
