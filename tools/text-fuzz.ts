// Seeded fuzzing of the text front end: random token streams and mutations (byte flips, token
// deletion, duplication and swaps, truncation) of every suite script. Any exception other than
// WatSyntaxError is a bug: it is printed with the seed and input, and the exit code is 1.
// Inputs that parse must also print and re-encode to the same bytes.
//
// usage: npx tsx tools/text-fuzz.ts [--count N] [--seed S] [--max-bytes B]

import { readFileSync } from 'node:fs';
import { parseWat } from '../src/text/wat.js';
import { parseWast } from '../src/text/wast.js';
import { printModule } from '../src/text/printer.js';
import { WatSyntaxError } from '../src/text/errors.js';
import { CompileError } from '../src/core/errors.js';
import { OPCODES } from '../src/binary/opcodes.js';
import { listWastFiles } from './text-suite-modules.js';
import { testsuiteRoot } from '../test/helpers/paths.js';

/** A small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'module', 'func', 'param', 'result', 'local', 'type', 'rec', 'sub', 'final', 'struct', 'array', 'field', 'mut',
  'import', 'export', 'table', 'memory', 'global', 'tag', 'elem', 'data', 'start', 'offset', 'item', 'declare',
  'block', 'loop', 'if', 'then', 'else', 'end', 'try_table', 'try', 'do', 'catch', 'catch_all', 'delegate',
  'ref', 'null', 'exact', 'funcref', 'externref', 'anyref', 'i32', 'i64', 'f32', 'f64', 'v128', 'i8', 'i16',
  'shared', 'pagesize', 'descriptor', 'describes', 'i32x4', 'f32x4', 'i8x16', 'binary', 'quote', 'definition',
  'assert_return', 'assert_trap', 'assert_malformed', 'assert_invalid', 'invoke', 'get', 'register', 'either',
  'nan:canonical', 'offset=4', 'align=3', 'align=0', 'inf', '-inf', 'nan', 'nan:0x1', '$x', '$y', '$"a b"', '$',
  '0', '1', '-1', '0x10', '1.5', '1e10', '0x1p-3', '4294967296', '1_000', '"x"', '"\\ff"', '"\\u{10ffff}"',
  '(@custom "s")', '(@name "n")', '(@a', '(;', ';)', ';;', '(@metadata.code.branch_hint "\\00")',
  ...OPCODES.map((op) => op.name),
];
const CHARS = '()$";@\\ \n\t0123456789abcdefxp.+-_=:,[]{}\u00e9\u03bb\udc80\ud800\u0000\u007f';

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

function randomTokens(r: () => number): string {
  const n = 1 + Math.floor(r() * 60);
  let s = r() < 0.5 ? '(module ' : '';
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.2) {
      s += '(';
      depth++;
    } else if (x < 0.35 && depth > 0) {
      s += ')';
      depth--;
    } else s += pick(r, WORDS);
    s += r() < 0.8 ? ' ' : '';
  }
  while (depth-- > 0 && r() < 0.9) s += ')';
  return s + (s.startsWith('(module') ? ')' : '');
}

/** Splits text at token-ish boundaries (spaces and parentheses kept as their own pieces). */
function pieces(text: string): string[] {
  return text.split(/(\s+|[()])/).filter((p) => p !== '');
}

function mutate(r: () => number, text: string): string {
  const kind = Math.floor(r() * 6);
  if (text.length === 0) return text;
  switch (kind) {
    case 0: { // character flips
      const chars = [...text];
      const n = 1 + Math.floor(r() * 4);
      for (let i = 0; i < n; i++) chars[Math.floor(r() * chars.length)] = pick(r, [...CHARS]);
      return chars.join('');
    }
    case 1: { // truncation
      return text.slice(0, Math.floor(r() * text.length));
    }
    default: {
      const p = pieces(text);
      const i = Math.floor(r() * p.length);
      const j = Math.floor(r() * p.length);
      if (kind === 2) p.splice(i, 1); // deletion
      else if (kind === 3) p.splice(i, 0, p[j]!); // duplication
      else if (kind === 4) [p[i], p[j]] = [p[j]!, p[i]!]; // swap
      else p.splice(i, 0, pick(r, WORDS)); // insertion of a random token
      return p.join('');
    }
  }
}

/** A window of a script around a random command, so that mutations stay cheap. */
function window(r: () => number, text: string, maxBytes: number): string {
  if (text.length <= maxBytes) return text;
  let start = Math.floor(r() * (text.length - maxBytes));
  const open = text.indexOf('\n(', start);
  if (open >= 0 && open < text.length - 1) start = open + 1;
  return text.slice(start, start + maxBytes);
}

function deepNesting(r: () => number): string {
  const n = 1000 + Math.floor(r() * 200000);
  const x = r();
  if (x < 0.25) return `(module (func ${'(block '.repeat(n)}${')'.repeat(n)}))`;
  if (x < 0.5) return `(module (func (result i32) ${'(i32.add (i32.const 1) '.repeat(n)}(i32.const 0)${')'.repeat(n)}))`;
  if (x < 0.75) return `(module (func ${'block '.repeat(n)}${'end '.repeat(n)}))`;
  return `(module (@a ${'('.repeat(n)}${')'.repeat(n)}) ${'(;'.repeat(n)}${';)'.repeat(n)})`;
}

export interface FuzzReport {
  inputs: number;
  accepted: number;
  rejected: number;
  /** Failing inputs with their position in the run (rerun with the same seed and count to see them again). */
  failures: { index: number; input: string; error: string }[];
}

/** Checks one input; returns a failure description or null. */
function check(input: string, asScript: boolean): { accepted: boolean; failure: string | null } {
  try {
    if (asScript) {
      const script = parseWast(input, 'fuzz.wast');
      for (const cmd of script.commands) {
        const module = 'module' in cmd && typeof cmd.module === 'object' ? cmd.module : null;
        if (module !== null && module.form !== 'binary') {
          try {
            parseWat(module.source, 'fuzz.wast');
          } catch (e) {
            if (!(e instanceof WatSyntaxError)) return { accepted: false, failure: describe(e) };
          }
        }
      }
      return { accepted: true, failure: null };
    }
    const bytes = parseWat(input, 'fuzz.wat');
    let text: string;
    try {
      text = printModule(bytes);
    } catch (e) {
      // A module can be well-formed text yet malformed binary (e.g. too many locals).
      if (e instanceof CompileError) return { accepted: true, failure: null };
      return { accepted: true, failure: `printModule: ${describe(e)}` };
    }
    const again = parseWat(text, 'printed.wat');
    if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) {
      return { accepted: true, failure: 'print -> parse changed the bytes' };
    }
    return { accepted: true, failure: null };
  } catch (e) {
    if (e instanceof WatSyntaxError) return { accepted: false, failure: null };
    return { accepted: false, failure: describe(e) };
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
}

export function fuzz(root: string, seed: number, count: number, maxBytes: number): FuzzReport {
  const r = rng(seed);
  const corpus = listWastFiles(root).map((f) => readFileSync(f, 'utf8'));
  const modules: string[] = [];
  for (const text of corpus) {
    try {
      for (const cmd of parseWast(text, 'corpus.wast').commands) {
        const module = 'module' in cmd && typeof cmd.module === 'object' ? cmd.module : null;
        if (module !== null && module.form !== 'binary') modules.push(module.source);
      }
    } catch {
      // the corpus is the suite; every script parses
    }
  }
  const report: FuzzReport = { inputs: 0, accepted: 0, rejected: 0, failures: [] };
  for (let i = 0; i < count; i++) {
    const x = r();
    let input: string;
    let asScript = false;
    if (x < 0.15) input = randomTokens(r);
    else if (x < 0.55) input = mutate(r, pick(r, modules));
    else if (x < 0.999) {
      input = mutate(r, window(r, pick(r, corpus), maxBytes));
      asScript = true;
    } else input = deepNesting(r);
    if (r() < 0.3) input = mutate(r, input);
    const result = check(input, asScript);
    report.inputs++;
    if (result.accepted) report.accepted++;
    else report.rejected++;
    if (result.failure !== null) report.failures.push({ index: i, input, error: result.failure });
  }
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const seed = arg('--seed', 1);
  const count = arg('--count', 100000);
  const maxBytes = arg('--max-bytes', 4000);
  const root = testsuiteRoot;
  const started = Date.now();
  const report = fuzz(root, seed, count, maxBytes);
  console.log(`seed ${seed}: ${report.inputs} inputs, ${report.accepted} accepted, ${report.rejected} rejected with WatSyntaxError, ${report.failures.length} failures (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const f of report.failures.slice(0, 10)) {
    console.log(`--- failure: seed ${seed}, input #${f.index} ---\ninput: ${JSON.stringify(f.input.slice(0, 2000))}\n${f.error}`);
  }
  if (report.failures.length > 0) process.exitCode = 1;
}
