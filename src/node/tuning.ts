// Node-only: the V8 settings that let tswasm's generated code reach V8's optimizing compiler.
// The library core cannot change them (it runs in any JS engine); Node hosts call tuneV8() once.

import { setFlagsFromString } from 'node:v8';
import { noteLargeFunctionsOptimised } from '../core/large-functions.js';

/**
 * V8 does not optimize a function whose bytecode exceeds --max-optimized-bytecode-size (60 KiB
 * by default), so the largest functions of real programs (SQLite's interpreter loop, QuickJS's,
 * Go's) would stay in V8's interpreter. Measured: sql.js 15.6x native -> 3.0x, quickjs 26.8x ->
 * 2.9x with the limit raised. The flag is process-wide and applies to code compiled afterwards.
 */
export const V8_FLAGS: readonly string[] = ['--max-optimized-bytecode-size=16777216'];

let tuned = false;

/** Applies V8_FLAGS to this process (once; later calls do nothing). Call before compiling modules. */
export function tuneV8(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
  // Engines created from now on keep large switch loops whole (Config.splitLargeSwitches).
  noteLargeFunctionsOptimised();
}
