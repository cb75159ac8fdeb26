// Maps the source URL of every generated factory back to its module's function names, so a JS
// stack trace through generated code can be read as a wasm backtrace.

import type { InlinedFrame } from '../binary/dwarf-inlines.js';
import type { CodeLocation } from '../compile/code-locator.js';

export interface CodeInfo {
  readonly moduleName: string | null;
  readonly funcNames: ReadonlyMap<number, string>;
  /**
   * Finds the wasm offsets behind positions in this code and their source lines; absent for
   * precompiled code (deserializeJs), which runs from an imported file.
   */
  readonly locator?: CodeLocating;
  /** The module's binary, which the name of its code in stack traces is a hash of (stack-text.ts). */
  readonly bytes?: Uint8Array;
}

/** What a backtrace asks of the code its frames are in (compile/code-locator.ts answers). */
/** How a function made a tail call: to a named function, or through a table or a reference. */
export type TailCallKind = 'direct' | 'indirect';

export interface CodeLocating {
  /**
   * The wasm offsets behind a stack frame's `line` and `column` in function `funcIndex`'s code, in
   * its own unit's script (`unit`) or in the module's eager factory; null when they cannot be told.
   */
  locate(funcIndex: number, unit: boolean, line: number, column: number): CodeLocation | null;
  /**
   * Which tail call that position is at, if any: `direct` for `return_call`, `indirect` for
   * `return_call_indirect` and `return_call_ref`. The function has made a tail call, which JS runs
   * as a plain call from its frame, and Wasmtime shows no frame for it any more.
   */
  tailCallAt(funcIndex: number, unit: boolean, line: number, column: number): TailCallKind | null;
  /**
   * The functions at `moduleOffset` from DWARF, innermost first (inlined ones, then the function
   * they were inlined into), each with its source position; empty without debug info.
   */
  sourceFramesAt(moduleOffset: number): InlinedFrame[];
}

let nextId = 0;
const byId = new Map<number, CodeInfo>();
/** Precompiled code (tswasm compile --js) by its key: kept for the process, like the code itself. */
const byKey = new Map<string, CodeInfo>();
/** Forgets a module's names once the object holding its compiled code is collected. */
const forget = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<number>((id) => byId.delete(id)) : null;

/**
 * Registers a module's names for as long as `owner` (the object holding the module's compiled
 * code, which every instance reaches through its module) lives; returns the sourceURL its
 * generated code must carry. Without the owner, a host compiling a module per request kept
 * every module's names forever.
 */
export function registerCode(info: CodeInfo, owner: object): { id: number; url: string } {
  const id = nextId++;
  byId.set(id, info);
  forget?.register(owner, id);
  return { id, url: codeUrl(id) };
}

/** How every sourceURL of generated module code begins. */
export const CODE_URL_PREFIX = 'tswasm-module-';

/** The sourceURL of generated code registered under `key` (a number, or a precompiled key). */
export function codeUrl(key: number | string): string {
  return `${CODE_URL_PREFIX}${key}.js`;
}

/** The sourceURL of the JS API's generated call adaptors, whose frames stack traces leave out (stack-text.ts). */
export const ADAPTOR_URL = 'tswasm-adaptor.js';

/** The sourceURL of lazily compiled function `funcIndex` of the code at `url`: `tswasm-module-N.fK.js`. */
export function unitUrl(url: string, funcIndex: number): string {
  return url.replace(/\.js$/, `.f${funcIndex}.js`);
}

/** How many modules' names are registered (for tests). */
export function registeredCodeCount(): number {
  return byId.size;
}

/**
 * Registers the names of precompiled code, whose sourceURL `tswasm-module-<key>.js` was fixed when
 * it was written; the key is derived from the wasm bytes, so re-registering the same key is harmless.
 */
export function registerPrecompiledCode(key: string, info: CodeInfo): void {
  byKey.set(key, info);
}

/** The names behind the `<id>` of a sourceURL `tswasm-module-<id>.js`: a number, or a precompiled key. */
export function codeInfo(id: string): CodeInfo | undefined {
  return /^\d+$/.test(id) ? byId.get(Number(id)) : byKey.get(id);
}
