// Differential fuzzing of Wasm GC (and exnref exception handling) against a browser: random valid
// modules (tools/gc-fuzz-gen.ts) run in headless Chromium's native WebAssembly (V8, through
// tools/chromium-oracle.ts: Node 20's V8 has neither final GC nor exnref) and on tswasm's embedding
// API in lazy and eager compilation, in one of exec-fuzz's variant configurations (fuel, epochs,
// async support, code tuned for interpreters, ...) in turn, and on tswasm's JS API; after every call of an export, "dump" (every global, folded)
// is called too, and each call's outcome must agree: the i64 result exactly, or the same trap
// (V8's message mapped to tswasm's TrapCode by exec-fuzz-core's TRAP_CODES), or an uncaught wasm
// exception on both sides (V8_ORDER below lists where V8 traps for another reason than the spec's
// when there are two). A module Chromium rejects is a generator bug, unless tswasm rejects it
// too for the same reason (both are reported); one tswasm rejects and Chromium accepts is a mismatch.
//
// Usage: npx tsx tools/gc-fuzz.ts [--seed N] [--count M] [--start I] [--only I] [--verbose] [--exnref | --no-exnref] [--closures] [--split-everywhere] [--nan-boxes]
//   modules start..start+count-1 of the seed (default 0..199); --only I runs module I alone (with
//   --verbose: its text, calls and outcomes); --exnref / --no-exnref: exnref exception handling in
//   every module / none (default: a third of them); --closures: tswasm makes its GC struct
//   constructors and tail-call adaptors as closures (as where eval is refused); --split-everywhere:
//   every chain of two or more empty blocks is split into parts (see exec-fuzz.ts); --nan-boxes:
//   floats whose NaN bits a JS number would lose travel as NaNBoxes (as on engines that NaN-box).
// Each mismatch prints the seed, module index and call, and writes the module to
// /tmp/gc-fuzz-<seed>-<module>.wasm. The exit code is 1 after any mismatch or invalid module.

import { integerOption } from './fuzz-args.js';
import { writeFileSync } from 'node:fs';
import { Engine, Instance, Module, Store, TrapCode } from '../src/index.js';
import { printModule } from '../src/text/index.js';
import type { Outcome } from './exec-fuzz-core.js';
import { createWebAssembly } from '../src/jsapi/index.js';
import { forceNaNBoxes } from '../src/core/nan-boxing.js';
import { I32, I64, type NumType } from './exec-fuzz-gen.js';
import { ChromiumOracle, type OracleCall, type OracleOutcome } from './chromium-oracle.js';
import { Rng, generateGcModule, moduleSeed, type GcGenOptions, type GcModulePlan } from './gc-fuzz-gen.js';
import { OPCODES } from '../src/binary/opcodes.js';
import { forceClosureForms } from '../src/runtime/dynamic-code.js';
import { forceSplitEverywhere } from '../src/compile/split-choice.js';

// An engine takes the NaN mode it is made in: set it before exec-fuzz-core makes its engines.
if (process.argv.includes('--nan-boxes')) forceNaNBoxes(true);
const { compareOutcome, countInstructions, namespaceCall, tsCall, UNCAUGHT_WASM_EXCEPTION, VARIANTS } = await import('./exec-fuzz-core.js');

const ENGINES: readonly [string, Engine][] = [
  ['lazy', new Engine({ compilation: 'lazy' })],
  ['eager', new Engine({ compilation: 'eager' })],
];

/** One tswasm configuration running a module: calls an export by name. */
interface GcSide {
  readonly engine: string;
  call(name: string, types: readonly NumType[], args: readonly bigint[]): Outcome;
}

/** The module on tswasm's embedding API, in one engine (with a store setup). */
function apiSide(name: string, engine: Engine, setup: (s: Store) => void, bytes: Uint8Array): GcSide {
  const store = new Store(engine);
  setup(store);
  const instance = new Instance(store, new Module(engine, bytes), []);
  return { engine: name, call: (f, types, args) => tsCall(store, instance.getFunc(store, f)!, types, RESULT, args) };
}

/** The module on tswasm's JS API (its WebAssembly namespace). */
function jsapiSide(bytes: Uint8Array): GcSide {
  const W = createWebAssembly();
  const exports = new W.Instance(new W.Module(bytes), {}).exports as Record<string, (...a: unknown[]) => unknown>;
  return { engine: 'jsapi', call: (f, types, args) => namespaceCall(exports[f]!, types, RESULT, args) };
}
const RESULT: readonly NumType[] = [I64];
/**
 * Where V8 checks in another order than the spec (whose reference interpreter tswasm follows), so
 * that a call with two reasons to trap traps for the other one there: V8's message, tswasm's trap
 * (the spec's), and what V8 does. Reproducers (Chromium 150): /work/scratch/gcfuzz/array-copy-null-src.wat,
 * array-init-elem-order.wat and array-init-data-order.wat.
 */
const V8_ORDER: readonly (readonly [string, TrapCode, string])[] = [
  // The spec checks both references for null, then both ranges.
  ['array element access out of bounds', TrapCode.NullReference, "array.copy checks the destination's range before the source's null"],
  // The spec checks the array's range, then the segment's.
  ['element segment out of bounds', TrapCode.ArrayOutOfBounds, "array.init_elem checks the segment's range before the array's"],
  ['data segment out of bounds', TrapCode.ArrayOutOfBounds, "array.init_data checks a large source offset before the array's range"],
];

/** The instructions this fuzzer means to cover: GC's and the exnref ones. */
export const GC_TARGET_INSTRUCTIONS: readonly string[] = [...new Set(OPCODES.filter((o) => o.feature === 'gc').map((o) => o.name)),
  'ref.eq', 'ref.as_non_null', 'br_on_null', 'br_on_non_null', 'call_ref', 'return_call_ref', 'try_table', 'throw', 'throw_ref', 'select'];

export interface GcStats {
  modules: number;
  exnrefModules: number;
  calls: number;
  equal: number;
  outcomes: Record<string, number>;
  invalid: { module: number; message: string; tswasm: string }[];
  mismatches: { module: number; engine: string; call: string; detail: string }[];
  instructions: Record<string, number>;
}

const bump = (r: Record<string, number>, k: string) => (r[k] = (r[k] ?? 0) + 1);

/** The calls of a plan as the oracle takes them: each export call followed by "dump". */
function oracleCalls(plan: GcModulePlan): { name: string; args: readonly bigint[]; types: readonly ('i32' | 'i64')[] }[] {
  return plan.calls.flatMap((c) => {
    const e = plan.exports[c.exportIndex]!;
    return [{ name: e.name, args: c.args, types: e.params }, { name: 'dump', args: [], types: [] }];
  });
}

function nativeOutcome(o: OracleOutcome): Outcome {
  switch (o.kind) {
    case 'values': return { kind: 'values', values: o.values.map((v) => BigInt.asUintN(64, BigInt(v))) };
    case 'trap': return { kind: 'trap', what: o.message };
    case 'exception':
      if (o.what.startsWith('Exception:')) return { kind: 'host', what: UNCAUGHT_WASM_EXCEPTION };
      if (/call stack/i.test(o.what)) return { kind: 'stack' };
      return { kind: 'crash', message: o.what };
  }
}

function tsRejects(bytes: Uint8Array): string {
  try {
    new Module(ENGINES[0]![1], bytes);
    return 'accepted';
  } catch (e) {
    return `rejected: ${(e as Error).message}`;
  }
}

/** Runs module `index` of campaign `seed`; adds to `stats`. */
export async function runGcModule(oracle: ChromiumOracle, seed: number, index: number, stats: GcStats, gen: GcGenOptions, log?: (line: string) => void): Promise<GcModulePlan> {
  const plan = generateGcModule(new Rng(moduleSeed(seed, index)), gen);
  stats.modules++;
  if (plan.exnref) stats.exnrefModules++;
  const calls = oracleCalls(plan);
  log?.(`module ${index}: ${plan.bytes.length} bytes${plan.exnref ? ', exnref' : ''}, ${plan.exports.length} exports, ${calls.length} calls`);
  const fail = (engine: string, call: string, detail: string) => {
    stats.mismatches.push({ module: index, engine, call, detail });
    writeFileSync(`/tmp/gc-fuzz-${seed}-${index}.wasm`, plan.bytes);
    log?.(`  MISMATCH (${engine}) ${call}: ${detail}`);
  };
  const native = await oracle.run(plan.bytes, calls.map((c): OracleCall => ({ name: c.name, args: c.args.map((v, i) => ({ type: c.types[i]!, value: v })) })));
  if (native.kind === 'invalid') {
    const tswasm = tsRejects(plan.bytes);
    stats.invalid.push({ module: index, message: native.message, tswasm });
    writeFileSync(`/tmp/gc-fuzz-${seed}-${index}-invalid.wasm`, plan.bytes);
    log?.(`  INVALID: ${native.message} (tswasm ${tswasm})`);
    return plan;
  }
  try {
    countInstructions(plan.bytes, stats.instructions);
  } catch { /* counted only for modules tswasm decodes */ }
  // Lazy, eager, one of exec-fuzz's variant configurations in turn, and the JS API.
  const variant = VARIANTS[index % VARIANTS.length]!;
  const makers: [string, () => GcSide][] = [
    ...ENGINES.map(([name, engine]): [string, () => GcSide] => [name, () => apiSide(name, engine, () => {}, plan.bytes)]),
    [variant.name, () => apiSide(variant.name, variant.engine, variant.setup, plan.bytes)],
    ['jsapi', () => jsapiSide(plan.bytes)],
  ];
  for (const [name, make] of makers) {
    let side: GcSide;
    try {
      side = make();
    } catch (e) {
      fail(name, '(instantiation)', `tswasm threw ${(e as Error)?.stack ?? e}; Chromium instantiated`);
      return plan;
    }
    for (let k = 0; k < calls.length; k++) {
      const c = calls[k]!;
      const types = c.types.map((t) => (t === 'i32' ? I32 : I64));
      const label = `${c.name}(${c.args.join(', ')}) (call ${k})`;
      const n = nativeOutcome(native.outcomes[k]!);
      if (name === 'lazy') stats.calls++;
      const ts = side.call(c.name, types, c.args);
      if (name === 'lazy') log?.(`  ${label} -> ${JSON.stringify(n, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
      const cmp = compareOutcome(n, ts, RESULT, false);
      const known = cmp.diff === null || n.kind !== 'trap' || ts.kind !== 'trap' ? undefined : V8_ORDER.find(([message, code]) => n.what === message && ts.what === code);
      if (known !== undefined) {
        if (name === 'lazy') bump(stats.outcomes, `${ts.kind === 'trap' ? ts.what : ''} (V8: ${known[2]})`);
        continue;
      }
      if (cmp.diff !== null) {
        fail(name, label, cmp.diff);
        return plan;
      }
      if (name === 'lazy') {
        stats.equal++;
        bump(stats.outcomes, n.kind === 'values' ? 'return' : n.kind === 'trap' ? (ts as { what: string }).what : n.kind);
      }
    }
  }
  return plan;
}

function summary(stats: GcStats): string {
  const missing = GC_TARGET_INSTRUCTIONS.filter((n) => !stats.instructions[n]);
  return [
    `modules: ${stats.modules} (${stats.exnrefModules} with exnref), calls: ${stats.calls} (export calls and dumps)`,
    `equal: ${stats.equal}, mismatches: ${stats.mismatches.length}, invalid modules: ${stats.invalid.length}`,
    `outcomes: ${Object.entries(stats.outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `GC/exnref instructions generated: ${GC_TARGET_INSTRUCTIONS.length - missing.length} of ${GC_TARGET_INSTRUCTIONS.length}${missing.length > 0 ? ` (never: ${missing.join(', ')})` : ''}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (flag: string): number | undefined => integerOption(args, flag);
  const verbose = args.includes('--verbose');
  // Compile-time switches (read as each function compiles, so on for the whole run).
  if (args.includes('--closures')) forceClosureForms(true);
  if (args.includes('--split-everywhere')) forceSplitEverywhere(true);
  const gen: GcGenOptions = { exnref: args.includes('--exnref') ? true : args.includes('--no-exnref') ? false : undefined };
  const seed = arg('--seed') ?? Date.now() % 0x7fffffff;
  const only = arg('--only');
  const first = only ?? arg('--start') ?? 0;
  const end = only === undefined ? first + (arg('--count') ?? 200) : only + 1;
  console.log(`gc-fuzz: seed ${seed}, modules ${first}..${end - 1}`);
  const stats: GcStats = { modules: 0, exnrefModules: 0, calls: 0, equal: 0, outcomes: {}, invalid: [], mismatches: [], instructions: {} };
  const started = Date.now();
  let oracle = await ChromiumOracle.start();
  const hangs: number[] = [];
  try {
    for (let i = first; i < end; i++) {
      const before = stats.mismatches.length;
      const invalidBefore = stats.invalid.length;
      let plan: GcModulePlan;
      try {
        plan = await runGcModule(oracle, seed, i, stats, gen, verbose ? (l) => console.log(l) : undefined);
      } catch (e) {
        // Chromium gave no answer (a module it runs for too long): a new browser for the rest.
        hangs.push(i);
        writeFileSync(`/tmp/gc-fuzz-${seed}-${i}-hang.wasm`, generateGcModule(new Rng(moduleSeed(seed, i)), gen).bytes);
        console.log(`HANG seed ${seed} module ${i} in Chromium: ${(e as Error).message}\n  module: /tmp/gc-fuzz-${seed}-${i}-hang.wasm`);
        await oracle.close();
        oracle = await ChromiumOracle.start();
        continue;
      }
      if (verbose && only !== undefined) console.log(printModule(plan.bytes));
      for (const m of stats.mismatches.slice(before)) {
        console.log(`MISMATCH seed ${seed} module ${m.module} [tswasm ${m.engine}] ${m.call}\n  ${m.detail}\n  module: /tmp/gc-fuzz-${seed}-${m.module}.wasm (rerun: --seed ${seed} --only ${m.module} --verbose)`);
      }
      for (const m of stats.invalid.slice(invalidBefore)) {
        console.log(`INVALID MODULE seed ${seed} module ${m.module}: ${m.message} (tswasm ${m.tswasm})\n  module: /tmp/gc-fuzz-${seed}-${m.module}-invalid.wasm`);
      }
      if (!verbose && (i + 1 - first) % 100 === 0) console.log(`  ${i + 1 - first} modules, ${stats.calls} calls, ${stats.mismatches.length} mismatches, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await oracle.close();
  }
  console.log(summary(stats));
  console.log(`Chromium hangs: ${hangs.length === 0 ? 'none' : hangs.join(', ')}`);
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (stats.mismatches.length > 0 || stats.invalid.length > 0 || hangs.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && /gc-fuzz\.ts$|gc-fuzz\.js$/.test(process.argv[1])) await main();
