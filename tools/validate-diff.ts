// Differential validation: byte mutations of the execution fuzzer's modules (tools/exec-fuzz-gen.ts)
// go through tswasm's decoder and validator, configured with the features the running Node's engine
// has, and through Node's WebAssembly.validate; both must accept or both refuse. Node 20's is V8 11.3
// with --experimental-wasm-memory64 (no GC, typed function references, multi-memory, extended
// constants, try_table/exnref or relaxed SIMD); Node 22's and later validate all of Wasm 3.0 (and
// threads). Each disagreement is printed once per kind of message, with the module written to /tmp
// for a look. Two known differences are V8's leniency, not ours, and are counted apart: V8 accepts
// atomic accesses with less than natural alignment, which the threads proposal's validation refuses
// (its reference interpreter: "atomic alignment must be natural"); and from Node 22 V8 lets a
// reference that `br_on_null` takes from an unreachable stack be any type, where the spec's
// validation algorithm (appendix, `pop_ref`) makes it `(ref bot)`, which no numeric instruction takes.
//
// Usage: npx tsx tools/validate-diff.ts [--seed N] [--count MODULES] [--mutations PER_MODULE]

import { setFlagsFromString } from 'node:v8';
import { writeFileSync } from 'node:fs';
import { decodeModule } from '../src/binary/decoder.js';
import { validateModule } from '../src/validate/index.js';
import { WASM3_FEATURES, withFeatures } from '../src/core/features.js';
import { Rng, generateModule, moduleSeed } from './exec-fuzz-gen.js';

const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) setFlagsFromString('--experimental-wasm-memory64');

/** tswasm's features set to what Node 20's engine validates. */
export const NODE20_FEATURES = withFeatures(WASM3_FEATURES, {
  function_references: false, gc: false, relaxed_simd: false, multi_memory: false, extended_const: false,
  exceptions: false, threads: true,
});

/** tswasm's features set to what the running Node's engine validates. */
export const NATIVE_FEATURES = nodeMajor >= 22 ? withFeatures(WASM3_FEATURES, { threads: true }) : NODE20_FEATURES;

const nativeValidate = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate;

export interface Disagreement {
  readonly module: number;
  readonly mutation: number;
  readonly ours: boolean;
  readonly message: string;
  readonly bytes: Uint8Array;
}

/** Mutates module `index` of `seed` `mutations` times; returns how many agreed, and the disagreements. */
export function compareModule(seed: number, index: number, mutations: number): { agreed: number; v8Lenient: number; disagreements: Disagreement[] } {
  // Without typed function references and extended constants, which Node 20 validates only behind
  // flags (the references in their older encoding).
  const base = generateModule(new Rng(moduleSeed(seed, index)), { funcRefs: false, extendedConst: false }).bytes;
  const rng = new Rng(moduleSeed(seed + 1, index));
  const disagreements: Disagreement[] = [];
  let agreed = 0;
  let v8Lenient = 0;
  for (let k = 0; k < mutations; k++) {
    const b = Uint8Array.from(base);
    // One to three bytes after the header: a random value or one bit flipped.
    for (let j = 1 + rng.below(3); j > 0; j--) {
      const at = 8 + rng.below(b.length - 8);
      b[at] = rng.chance(0.5) ? rng.below(256) : b[at]! ^ (1 << rng.below(8));
    }
    let ours = true;
    let message = '';
    try {
      validateModule(decodeModule(b, NATIVE_FEATURES), NATIVE_FEATURES);
    } catch (e) {
      ours = false;
      message = (e as Error).message;
    }
    if (ours === nativeValidate(b)) agreed++;
    else if (!ours && (message.startsWith('atomic alignment must be natural') || /but stack has \[.*\(ref bot\)/.test(message))) v8Lenient++;
    else disagreements.push({ module: index, mutation: k, ours, message, bytes: b });
  }
  return { agreed, v8Lenient, disagreements };
}

function main(): void {
  const argv = process.argv.slice(2);
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const seed = arg('--seed', 1);
  const count = arg('--count', 1000);
  const mutations = arg('--mutations', 20);
  let agreed = 0;
  let lenient = 0;
  let disagreed = 0;
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const r = compareModule(seed, i, mutations);
    agreed += r.agreed;
    lenient += r.v8Lenient;
    disagreed += r.disagreements.length;
    for (const d of r.disagreements) {
      const kind = d.ours ? 'tswasm accepts, Node refuses' : `tswasm refuses (${d.message.replace(/\d+|0x[0-9a-f]+/g, 'N')}), Node accepts`;
      if (seen.has(kind)) continue;
      seen.add(kind);
      const file = `/tmp/validate-diff-${seed}-${d.module}-${d.mutation}.wasm`;
      writeFileSync(file, d.bytes);
      console.log(`${kind}: ${file}`);
    }
  }
  console.log(`seed ${seed}: ${count} modules x ${mutations} mutations: ${agreed} agree, ${disagreed} disagree`
    + ` (and ${lenient} that V8 accepts against the spec: under-aligned atomics, or a br_on_null result from an unreachable stack)`);
  process.exitCode = disagreed > 0 ? 1 : 0;
}

if (process.argv[1]?.endsWith('validate-diff.ts')) main();
