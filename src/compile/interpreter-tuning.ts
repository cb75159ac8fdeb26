// Code tuned for an interpreter (Config.tuneForInterpreter) is shaped for one engine's: each
// tuning below was measured in every engine's interpreter, and an engine where it costs more than it
// saves is left without it (RATIONALE.md, "Each interpreter its own shape").

import type { JsEngine } from '../core/js-engine.js';
import type { CodegenOptions } from './module-context.js';

/** The tunings that are not for every interpreter. */
export type InterpreterTuning =
  /** Byte stores index the memory's Uint8Array (a typed-array store is a slow path in JavaScriptCore's LLInt). */
  | 'byteStoresIndexed'
  /** i64.rem_u by a divisor below 2^32 as three double `%` (slower than the estimate in JavaScriptCore's LLInt and SpiderMonkey's baseline interpreter). */
  | 'remByDoubles';

const LEFT_OUT: Readonly<Record<JsEngine, readonly InterpreterTuning[]>> = {
  v8: [],
  spidermonkey: ['remByDoubles'],
  javascriptcore: ['byteStoresIndexed', 'remByDoubles'],
};

/** Whether code generated with `options` is shaped for an interpreter at all. */
export function tuned(options: CodegenOptions): boolean {
  return options.interpreter != null;
}

/** Whether code generated with `options` uses `tuning`. */
export function tunedFor(options: CodegenOptions, tuning: InterpreterTuning): boolean {
  const engine = options.interpreter;
  return engine != null && !LEFT_OUT[engine].includes(tuning);
}
