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

/*
 * Not among them since stop 39: `--no-lazy-feedback-allocation`, which stop 37 added against an
 * export whose first long call left its entry without feedback (then 20-30 ms a call against 1.1).
 * With feedback from the first call, a call site that first reaches a lazily compiled callee
 * through its forwarder and then the compiled function saw two targets, went megamorphic and was
 * never inlined: small calls in loops ran 2-7x slower (perfcliff: a call returning two i64s 3.0x ->
 * 1.0x native without the flag, a non-throwing call in a try block 1.8x -> 0.28x, a tail call of a
 * leaf 2.6x -> 0.44x; a few GC probes lost, RATIONALE.md). The stall it fixed no longer reproduced.
 */

/**
 * Whether tuneV8 lifts the limit in this process: from V8 11 (Node 20) on. V8 10 (Node 18)
 * deoptimises a whole interpreter loop at each path that first runs after it was optimised, and
 * compiles its 184 KB of bytecode again each time (sql.js: nine times in its first two runs, 70-200
 * ms each, the loop running unoptimised in between), so sql.js's first two runs took 5.1 and 2.3 s
 * with the limit lifted against 0.8 and 0.2 s with the loop split, QuickJS's 3.4 and 0.8 s against
 * 0.9 and 0.4 s. Whole was faster only later (sql.js 50 ms a run against 58, QuickJS 108 against
 * 147), which pays back after hundreds and dozens of runs; there the loops stay split.
 */
export const LIFTS_LIMIT = Number(process.versions.v8.split('.')[0]) >= 11;

/** The flags tuneV8 sets (none on V8 10, see LIFTS_LIMIT). */
export const V8_FLAGS: readonly string[] = LIFTS_LIMIT ? [`--max-optimized-bytecode-size=${MAX_OPTIMIZED_BYTECODE_SIZE}`] : [];

let tuned = false;

/** Applies V8_FLAGS to this process (once; later calls do nothing). Call before compiling modules. */
export function tuneV8(): void {
  if (tuned) return;
  tuned = true;
  if (!LIFTS_LIMIT) return;
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
  // Engines created from now on keep large switch loops whole (Config.splitLargeSwitches).
  noteLargeFunctionsOptimised();
}
