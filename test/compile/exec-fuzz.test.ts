// A fixed-seed sample of the differential execution fuzzer (tools/exec-fuzz.ts runs long
// campaigns): random valid modules run on tswasm (lazy, eager and a variant configuration) and on
// Node's WebAssembly must agree on every result, trap, global and memory byte. About half the
// modules use fixed-width SIMD (v128 values stay inside the module; see exec-fuzz-gen.ts). Calls
// also run again with exactly the fuel they cost (exec-fuzz-core's compareFuelRuns).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsKnownOracle } from '../helpers/oracle.js';
import { TrapCode } from '../../src/api/index.js';
import { ATOMIC_OP_NAMES, Rng, generateModule, moduleSeed } from '../../tools/exec-fuzz-gen.js';
import { SIMD_TARGET_INSTRUCTIONS, TARGET_INSTRUCTIONS, countInstructions, newStats, runModule, summary } from '../../tools/exec-fuzz-core.js';

// Chosen so that the sample holds every instruction the generator targets (atomics are many and
// each rare); 20261129 stopped covering i64.atomic.rmw.sub when stop 27's generator began storing loads.
const SEED = 20261132;
const MODULES = 250;

// Node 18's V8 aborts the process validating some generated modules (memory64 atomics).
test(`${MODULES} random modules behave alike on tswasm and on the native engine`, { skip: needsKnownOracle('generated modules') }, () => {
  const stats = newStats();
  for (let i = 0; i < MODULES; i++) runModule(SEED, i, stats);
  const report = summary(stats);
  assert.deepEqual(stats.invalid.map((m) => `module ${m.module}: ${m.message}`), [], report);
  assert.deepEqual(stats.mismatches.map((m) => `module ${m.module} [${m.engine}] ${m.call}: ${m.detail}`), [], report);
  // The comparison really ran: many calls, most of them returning, the rest trapping in many ways.
  assert.equal(stats.modules, MODULES);
  assert.ok(stats.calls >= 1200, report);
  assert.equal(stats.equal + Object.values(stats.skipped).reduce((a, b) => a + b, 0), stats.calls, report);
  assert.ok((stats.outcomes['return'] ?? 0) >= stats.calls * 0.4, report);
  for (const code of [
    TrapCode.MemoryOutOfBounds, TrapCode.TableOutOfBounds, TrapCode.IndirectCallToNull, TrapCode.BadSignature,
    TrapCode.IntegerOverflow, TrapCode.IntegerDivisionByZero, TrapCode.BadConversionToInteger, TrapCode.UnreachableCodeReached,
    TrapCode.NullReference, TrapCode.HeapMisaligned,
  ]) {
    assert.ok((stats.outcomes[code] ?? 0) > 0, `no ${code} trap in the sample\n${report}`);
  }
  assert.ok(stats.modes['canon']! > 0 && stats.modes['raw']! > 0, report);
  assert.deepEqual(TARGET_INSTRUCTIONS.filter((n) => !stats.instructions[n]), [], 'instructions the sample never generates');
  // About half the modules use fixed-width SIMD; together they contain every SIMD instruction
  // (lane ops, shuffles, conversions, v128 loads/stores incl. lane, splat, zero and extending ones).
  assert.ok(stats.simdModules >= MODULES * 0.3 && stats.simdModules <= MODULES * 0.7, report);
  assert.deepEqual(SIMD_TARGET_INSTRUCTIONS.filter((n) => !stats.instructions[n]), [], 'SIMD instructions the sample never generates');
  assert.ok(SIMD_TARGET_INSTRUCTIONS.reduce((a, n) => a + (stats.instructions[n] ?? 0), 0) >= 4000, report);
  // Tail calls, legacy exception handling, typed function references and memory64 modules are in the sample too.
  const missing = ['return_call', 'return_call_indirect', 'throw', 'rethrow', 'try', 'catch', 'catch_all', 'delegate',
    'call_ref', 'return_call_ref', 'ref.as_non_null', 'br_on_null', 'br_on_non_null', 'ref.null']
    .filter((n) => !stats.instructions[n]);
  assert.deepEqual(missing, [], 'instructions the sample never generates');
  assert.ok(stats.memory64Modules >= MODULES * 0.1, report);
  assert.ok(stats.funcRefModules >= MODULES * 0.15 && stats.extendedConstModules >= MODULES * 0.15, report);
  // Atomics (on the unshared memory): loads, stores, read-modify-writes and cmpxchg of every width.
  assert.ok(stats.atomicsModules >= MODULES * 0.15, report);
  const atomicMissing = ATOMIC_OP_NAMES.filter((n) => !/wait|notify/.test(n) && !stats.instructions[n]);
  assert.deepEqual(atomicMissing, [], 'atomic instructions the sample never generates');
  // Fuel is exact: calls ran again with exactly what they cost (and one unit less, which ran out).
  assert.ok(stats.fuelCalls >= 600 && stats.outOfFuel >= 30, report);
});

test("Node's copy of a module differs only in the typed-reference encodings it reads", () => {
  const NATIVE = new Map([[0x63, 0x6c], [0x64, 0x6b], [0xd4, 0xd3], [0xd5, 0xd4]]);
  let changed = 0;
  for (let i = 0; i < 40; i++) {
    const plan = generateModule(new Rng(moduleSeed(SEED, i)), { funcRefs: i % 2 === 0 });
    assert.equal(plan.nativeBytes.length, plan.bytes.length);
    if (!plan.funcRefs) assert.equal(plan.nativeBytes, plan.bytes);
    plan.bytes.forEach((b, at) => {
      if (plan.nativeBytes[at] === b) return;
      changed++;
      assert.equal(plan.nativeBytes[at], NATIVE.get(b), `module ${i} byte ${at}`);
    });
  }
  assert.ok(changed > 0);
});

test('SIMD can be forced on and off', () => {
  for (let i = 0; i < 20; i++) {
    assert.equal(generateModule(new Rng(moduleSeed(SEED, i)), { simd: true }).simd, true);
    const off = generateModule(new Rng(moduleSeed(SEED, i)), { simd: false });
    assert.equal(off.simd, false);
    const counts: Record<string, number> = {};
    countInstructions(off.bytes, counts);
    assert.deepEqual(SIMD_TARGET_INSTRUCTIONS.filter((n) => counts[n]), [], `module ${i} without SIMD`);
  }
});

test('the generator is deterministic: one seed, one module', () => {
  for (const i of [0, 7, 123]) {
    const a = generateModule(new Rng(moduleSeed(SEED, i)));
    const b = generateModule(new Rng(moduleSeed(SEED, i)));
    assert.deepEqual(a.bytes, b.bytes);
    assert.deepEqual(a.calls, b.calls);
  }
  assert.notDeepEqual(generateModule(new Rng(moduleSeed(SEED, 0))).bytes, generateModule(new Rng(moduleSeed(SEED, 1))).bytes);
});
