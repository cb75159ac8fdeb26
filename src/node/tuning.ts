// Node-only: the V8 settings that let tswasm's generated code reach V8's optimizing compiler.
// The library core cannot change them (it runs in any JS engine); Node hosts call tuneV8() once.

import { setFlagsFromString } from 'node:v8';
import { noteLargeFunctionsOptimised } from '../core/large-functions.js';

/**
 * V8 does not optimize a function whose bytecode exceeds --max-optimized-bytecode-size (60 KiB
 * by default), so the largest functions of real programs (SQLite's interpreter loop, QuickJS's)
 * would stay in V8's interpreter. Measured: sql.js 15.6x native -> 3.0x, quickjs 26.8x -> 2.9x
 * with the limit raised. The flag is process-wide and applies to code compiled afterwards.
 *
 * It is raised only as far as tswasm's own code needs, since every other function in the process
 * gets it too: the largest switch loop tswasm keeps whole is under 48 KB of wasm (split-choice.ts'
 * HUGE_SPLIT_MIN_BYTES; Go's dispatch loops are split regardless), and SQLite's 34.7 KB loop takes
 * 184 KB of bytecode, QuickJS's 29 KB 142 KB. With the limit at 16 MiB, a polywasm running esbuild
 * in the same process (the benchmark harness's workers) had V8 optimise its far larger functions,
 * and those compiles took the compile threads from tswasm's: its median esbuild transform 789-819
 * ms beside polywasm against 274-307 ms with this limit (RATIONALE.md).
 */
export const MAX_OPTIMIZED_BYTECODE_SIZE = 512 * 1024;

/**
 * V8 gives a function its feedback vector (where inline caches record what they saw) only after
 * it has run a while. An export whose first call runs a long loop is optimised on-stack from
 * inside that loop, before its prologue's view reads (`M0.view`) recorded anything; the next call
 * deoptimises there ("insufficient type feedback"), and V8 keeps re-entering that on-stack code
 * instead of optimising the function again, when its compile threads are late (a busy machine): a
 * load loop called 20 times then ran 20-30 ms a call instead of native's 1.1 ms, in 7 of 11 runs
 * (the perf audit, docs/speed.md). Allocating feedback at the first call removes the trap: 1.1 ms
 * from the third call in all 20 runs. Elsewhere it changes nothing measurable (kernels'
 * geomean 1.61-1.79x against 1.62-1.65x, esbuild 6.90-9.38x against 6.61-8.18x; RATIONALE.md).
 */
export const EAGER_FEEDBACK = '--no-lazy-feedback-allocation';

/** The flags tuneV8 sets. */
export const V8_FLAGS: readonly string[] = [`--max-optimized-bytecode-size=${MAX_OPTIMIZED_BYTECODE_SIZE}`, EAGER_FEEDBACK];

let tuned = false;

/** Applies V8_FLAGS to this process (once; later calls do nothing). Call before compiling modules. */
export function tuneV8(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
  // Engines created from now on keep large switch loops whole (Config.splitLargeSwitches).
  noteLargeFunctionsOptimised();
}
