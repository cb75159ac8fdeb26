// Serialized modules are refused when they were compiled by a code generator whose output differs
// (Engine.fingerprint carries CODE_VERSION). This keeps CODE_VERSION honest: a fixed sample of
// random modules, compiled in several configurations, must produce exactly the code recorded for
// the current version. Any change to generated code fails here until CODE_VERSION is bumped and the
// new digest recorded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Module, type Config } from '../../src/api/index.js';
import { sha256 } from '../../src/api/crypto/sha256.js';
import { CODE_VERSION } from '../../src/compile/code-version.js';
import { forceSplitEverywhere } from '../../src/compile/split-choice.js';
import { Rng, generateModule, moduleSeed } from '../../tools/exec-fuzz-gen.js';
import { withoutNaNBoxes } from '../helpers/nan-boxes.js';

/** The digest of the sample's generated code, per CODE_VERSION. */
const RECORDED: Readonly<Record<number, string>> = {
  2: 'd302f013a26db1dafd3db202',
  // Same sample code; the ordering fix for locals changes code only for rarer modules.
  3: 'd302f013a26db1dafd3db202',
  // Temps are declared with var and no initial value (each is written before it is read).
  4: '7fe508c1c34e7a1a2ce9d0d0',
  // Memory views are re-read after table.grow (a store's resource limiter may grow a memory).
  5: '8dd2f3a1876fc12e0ea82189',
  // Same sample code; struct and array tests of an anyref or externref call a helper (host values may be Proxies).
  6: '8dd2f3a1876fc12e0ea82189',
  // memory.grow and table.grow call growFromWasm, which hands what a resource limiter throws to the embedder.
  7: '47fdd9000bfdd079cdf8f552',
  // With asyncSupport, memory.grow and table.grow may wait for an async limiter (the sample now
  // includes asyncSupport, whose code changed).
  8: 'b9125035db1924172b05fe96',
  // Code after a legacy try runs when only its body or an earlier arm falls through (the sample
  // also changed: the generator now makes legacy try statements whose arms throw on).
  9: 'f9fff457920023db810a14e1',
  // An i64.load whose next instruction is an i64.store is one float64 copy (the sample also changed:
  // the generator makes half its full-width i64 stores store an i64.load).
  10: '379f6ce88bd9773fd73115da',
  // An i64 temp whose high half is a constant (a zero- or sign-extension) keeps it as a literal.
  11: '6519367f65441f5ac76aea9d',
  // Unsigned operands that are literals are folded (comparisons, i64.mul), shifts by 32 are the
  // other half; an i64 local set from an expression reading it takes one temp, not two; with
  // tuneForInterpreter (now in the sample) byte accesses index a Uint8Array and addresses drop a sum's `| 0`.
  12: '83d96e1f7406821d01d52600',
  // With tuneForInterpreter, Math.fround and Math.imul are called through helpers bound to them.
  13: '0999694414021b646c833c60',
  // And so are the other Math functions generated code calls (clz32, abs, sqrt, floor, min, max).
  14: 'd52533a39081e21175ca382d',
  // Same sample code; an i64 local set from a non-pure expression reading it keeps the order of its halves.
  15: 'd52533a39081e21175ca382d',
  // A tuned byte store computes a memory64 address once (it was materialised twice).
  16: 'eab162f691060a58449c5ca9',
  // With tuneForInterpreter, i64.rem_u by a divisor below 2^32 reduces with double `%` (no helper calls).
  17: '6e456d36f2246d49c77a21ed',
  // Same sample code; with epochs, short counted innermost loops have no check of their own (compile/counted-loops.ts).
  18: '6e456d36f2246d49c77a21ed',
  // With fuel, only the runs at function entries and loop headers, and those that leave the function
  // (calls, returns, throws, unreachable), check the count; the others only subtract.
  19: '74f4d7e7129489f3eb74748b',
  // With fuel, a run entered only by falling through a br_if is charged with the loop header's or
  // the entry's run, and each br_if leaving that chain gives it back (compile/fuel-chain.ts).
  20: 'abe595c0a44ab2865c19143a',
  // With fuel, each call ends its run: what follows it is charged after it returns, so a host
  // function sees the fuel of what has run (as in Wasmtime).
  21: 'eaa5990d84cd8bd38ddade5b',
  // Same sample code; a typed select has its declared type (a nullable result keeps its uses' null checks).
  22: 'eaa5990d84cd8bd38ddade5b',
  // Stop 37's lowerings: i64.div_s/rem_s by small divisors inline, materialised i64 comparisons
  // branch-free, i64x2 SIMD inline, copysign inline, atomics on unshared memory as plain accesses.
  23: '31469c01ac7f1556c5247ead',
  // Long straight runs cut into parts (split-linear.ts); a part's return is a fuel check. The sample
  // now also compiles 60 modules with every function split (the digest covers parts' code).
  24: 'd5df1d668ec7f5c4975a04d4',
  // A function's return_call of itself is a jump to its start, not a trip through the trampoline.
  25: '157b780f7bbd6ee076249847',
  // Parts of straight runs pass only the locals live where they begin, and hand back only those live after them.
  26: 'e2948c73b9a575d0adb882de',
  // Variable operands of i32 and i64 adds and subtracts marked int32 (`(l1 | 0)`) for a JIT.
  27: 'df506af80f5b465003560ef5',
  // A tail call of a function that makes tail calls is a plain call of its body while fewer than 32
  // are on the stack; try blocks restore that count in their handlers.
  28: 'e69a383e3b14e1ca584bdc2c',
  // i64.clz branch-free for a JIT, i32/i64 ctz inline (32 - clz32(~x & (x - 1))), popcnt64 one multiply.
  29: '47362ea34f1f84d223ed1466',
  // Comparisons used as values `| 0` for a JIT (a conditional branched); integer selects masked.
  30: '5c3d18c69247e75ae38665f5',
  // Live ranges of v128 locals kept as f32 carriers or doubles where their writes and reads allow.
  31: '6416a47fced3a529609f50f1',
  // Where NaNs are boxed, a v128.load feeding an instruction that keeps lane bits reads words; the
  // sample now has a configuration with NaNBoxes.
  32: '8b8dfb9bbae07260d2e089bf',
};

const SEED = 20261126;
const FEATURES = { threads: true }; // the sample uses atomics
/** Configurations, how many modules each, and whether every function is split into parts (split.ts, split-linear.ts). */
const CONFIGS: readonly [Config, number, boolean][] = [
  [{}, 120, false],
  [{ consumeFuel: true }, 30, false],
  [{ nanBoxes: true }, 30, false],
  [{ epochInterruption: true }, 30, false],
  [{ maxWasmStack: 1000 }, 30, false],
  [{ nanCanonicalization: true }, 30, false],
  [{ asyncSupport: true }, 30, false],
  [{ tuneForInterpreter: true }, 30, false],
  [{}, 30, true],
  [{ consumeFuel: true }, 30, true],
];

test('the generated code of a fixed sample matches the digest recorded for CODE_VERSION', () => {
  const utf8 = new TextEncoder();
  const parts: Uint8Array[] = [];
  // The sample is V8's code without NaNBoxes unless a configuration asks for them, whichever engine
  // runs the test (V8 from 14.2 boxes by default); it is only compiled, never run.
  withoutNaNBoxes(() => {
    for (const [config, count, split] of CONFIGS) {
      const sources: string[] = [];
      const engine = new Engine({ ...config, features: FEATURES, compilation: 'eager', debugSource: (_name, source) => void sources.push(source) });
      forceSplitEverywhere(split);
      try {
        for (let i = 0; i < count; i++) new Module(engine, generateModule(new Rng(moduleSeed(SEED, i))).bytes);
      } finally {
        forceSplitEverywhere(false);
      }
      // The sourceURL line names the module by a per-process counter.
      for (const s of sources) parts.push(utf8.encode(s.replace(/\n\/\/# sourceURL=[^\n]*$/, '')));
    }
  });
  const digest = Array.from(sha256(...parts).subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
  assert.equal(digest, RECORDED[CODE_VERSION],
    `the generated code changed: bump CODE_VERSION in src/compile/code-version.ts and record '${digest}' for it here `
    + '(if only the sample changed, that is tools/exec-fuzz-gen.ts, record it for the current version instead)');
});
