// Measures the decoder and validator against the spec suite's modules: malformed binaries must be
// rejected, invalid modules rejected (with the expected message as a prefix), all others accepted.
// Usage: npx tsx tools/frontend-suite.ts [--core-with-proposals] [--verbose] [filter]

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CompileError } from '../src/core/errors.js';
import { WASM3_FEATURES, withFeatures, type FeatureName, type WasmFeatures } from '../src/core/features.js';
import { decodeModule } from '../src/binary/decoder.js';
import { validateModule } from '../src/validate/index.js';
import { asciiOnly, scriptModules, unfoldLegacyTry, type ScriptModule } from './frontend-wast.js';
import { testsuiteRoot } from '../test/helpers/paths.js';

type Parse = (wat: string) => Promise<Uint8Array>;

const PROPOSAL_FEATURES: Readonly<Record<string, FeatureName>> = {
  'custom-descriptors': 'custom_descriptors',
  'custom-page-sizes': 'custom_page_sizes',
  threads: 'threads',
  'wide-arithmetic': 'wide_arithmetic',
};

export interface Tally {
  malformed: number; malformedRejected: number; malformedMessageMatched: number;
  invalid: number; invalidRejected: number; invalidMessageMatched: number;
  valid: number; validAccepted: number;
  oracleFailed: number;
  failures: string[];
  messageMisses: string[];
}

function newTally(): Tally {
  return {
    malformed: 0, malformedRejected: 0, malformedMessageMatched: 0, invalid: 0, invalidRejected: 0, invalidMessageMatched: 0,
    valid: 0, validAccepted: 0, oracleFailed: 0, failures: [], messageMisses: [],
  };
}

function wastFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.wast')).sort().map((f) => join(dir, f));
}

/** Decodes and validates; returns the CompileError, or null on success. Other exceptions propagate. */
export function compile(bytes: Uint8Array, features: WasmFeatures): CompileError | null {
  try {
    validateModule(decodeModule(bytes, features), features);
    return null;
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
}

const oracleCache = new Map<string, Uint8Array | null>();

export async function encodeText(parse: Parse, source: string): Promise<Uint8Array | null> {
  const cached = oracleCache.get(source);
  if (cached !== undefined) return cached;
  let bytes: Uint8Array | null;
  try {
    bytes = await parse(asciiOnly(source));
  } catch {
    try {
      bytes = await parse(asciiOnly(unfoldLegacyTry(source)));
    } catch {
      bytes = null;
    }
  }
  oracleCache.set(source, bytes);
  return bytes;
}

export async function loadOracle(): Promise<Parse> {
  const mod = await import('@bytecodealliance/jco-transpile/wasm-tools') as { parse: Parse };
  return mod.parse;
}

async function moduleBytes(parse: Parse, m: ScriptModule): Promise<Uint8Array | null> {
  if (m.form === 'binary') return m.bytes;
  const source = m.form === 'quote' && !/^\s*\(module\b/.test(m.source) ? `(module ${m.source})` : m.source;
  return encodeText(parse, source);
}

async function runFile(parse: Parse, file: string, features: WasmFeatures, t: Tally): Promise<void> {
  const where = relative(testsuiteRoot, file);
  if (process.env.SUITE_PROGRESS) console.error(where);
  for (const m of scriptModules(where, readFileSync(file, 'utf8'))) {
    const at = `${m.file}:${m.line}`;
    if (m.command.startsWith('assert_malformed')) {
      if (m.form !== 'binary') continue; // text-format errors belong to the text parser
      t.malformed++;
      let err: CompileError | null;
      try {
        err = compile(m.bytes, features);
      } catch (e) {
        t.failures.push(`${at} malformed: crashed: ${(e as Error).stack}`);
        continue;
      }
      if (err === null) {
        t.failures.push(`${at} malformed binary accepted (expected "${m.message}")`);
        continue;
      }
      t.malformedRejected++;
      if (m.message !== null && err.reason.startsWith(m.message) && err.malformed) t.malformedMessageMatched++;
      else t.messageMisses.push(`${at} malformed: expected "${m.message}", got "${err.message}" (malformed: ${err.malformed})`);
      continue;
    }
    const bytes = await moduleBytes(parse, m);
    if (bytes === null) {
      t.oracleFailed++;
      if (m.command !== 'assert_invalid') t.failures.push(`${at} oracle could not encode a ${m.command} module`);
      continue;
    }
    let err: CompileError | null;
    try {
      err = compile(bytes, features);
    } catch (e) {
      t.failures.push(`${at} ${m.command}: crashed: ${(e as Error).stack}`);
      continue;
    }
    if (m.command === 'assert_invalid') {
      t.invalid++;
      if (err === null) {
        t.failures.push(`${at} invalid module accepted (expected "${m.message}")`);
        continue;
      }
      t.invalidRejected++;
      if (m.message !== null && err.reason.startsWith(m.message) && !err.malformed) t.invalidMessageMatched++;
      else t.messageMisses.push(`${at} expected "${m.message}", got "${err.message}" (malformed: ${err.malformed})`);
      continue;
    }
    t.valid++;
    if (err === null) t.validAccepted++;
    else t.failures.push(`${at} ${m.command} module rejected: ${err.message}${err.malformed ? ' [malformed]' : ''}`);
  }
}

function pct(a: number, b: number): string {
  return b === 0 ? '-' : `${((100 * a) / b).toFixed(2)}%`;
}

function report(name: string, t: Tally, verbose: boolean): void {
  console.log(
    `${name.padEnd(34)} malformed ${t.malformedRejected}/${t.malformed} (${pct(t.malformedRejected, t.malformed)}, message ${t.malformedMessageMatched})  `
    + `invalid ${t.invalidRejected}/${t.invalid} (${pct(t.invalidRejected, t.invalid)}, message ${t.invalidMessageMatched})  `
    + `valid ${t.validAccepted}/${t.valid} (${pct(t.validAccepted, t.valid)})  oracle-failed ${t.oracleFailed}`,
  );
  for (const f of t.failures) console.log(`  FAIL ${f}`);
  if (verbose) for (const f of t.messageMisses) console.log(`  MESSAGE ${f}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const coreWithProposals = args.includes('--core-with-proposals');
  const filter = args.find((a) => !a.startsWith('--'));
  if (!existsSync(testsuiteRoot)) {
    console.log(`test suite not found at ${testsuiteRoot}`);
    return;
  }
  const parse = await loadOracle();
  let failed = false;
  const run = async (name: string, files: string[], features: WasmFeatures) => {
    const t = newTally();
    for (const f of files) if (!filter || f.includes(filter)) await runFile(parse, f, features, t);
    report(name, t, verbose);
    if (t.failures.length > 0) failed = true;
  };
  const coreDirs = ['.', 'legacy', 'custom', 'spec-only'];
  for (const d of coreDirs) await run(`core ${d}`, wastFiles(join(testsuiteRoot, d)), WASM3_FEATURES);
  for (const [dir, feature] of Object.entries(PROPOSAL_FEATURES)) {
    const path = join(testsuiteRoot, 'proposals', dir);
    if (!existsSync(path)) continue;
    const features = withFeatures(WASM3_FEATURES, { [feature]: true });
    const own = wastFiles(path);
    await run(`proposals/${dir}`, own, features);
    if (dir === 'threads') {
      // The threads repository predates multi-memory and reference types and still expects
      // "multiple memories" / "multiple tables"; this row runs it with those switched off.
      const older = withFeatures(features, { multi_memory: false, reference_types: false });
      await run(`proposals/${dir} (no multi-mem/ref-types)`, own, older);
    }
    if (coreWithProposals) {
      const replaced = new Set(own.map((f) => f.slice(f.lastIndexOf('/') + 1)));
      const core = coreDirs.flatMap((d) => wastFiles(join(testsuiteRoot, d)))
        .filter((f) => !replaced.has(f.slice(f.lastIndexOf('/') + 1)));
      await run(`core with ${dir}`, core, features);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main();
