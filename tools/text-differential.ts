// Differential testing against wasm-tools beyond the suite: mutated suite modules are encoded by
// both; agreements are counted and disagreements (accept/reject or bytes) listed by category
// with examples. Informational: wasm-tools is more lenient than the spec in places.
//
// usage: npx tsx tools/text-differential.ts [--count N] [--seed S]

import { readFileSync } from 'node:fs';
import { parseWat } from '../src/text/wat.js';
import { parseWast } from '../src/text/wast.js';
import { WatSyntaxError } from '../src/text/errors.js';
import { describeDifference, equalBytes, oracleEncode } from './text-oracle.js';
import { rng } from './text-fuzz.js';
import { listWastFiles } from './text-suite-modules.js';
import { testsuiteRoot } from '../test/helpers/paths.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('--count', 5000);
const seed = arg('--seed', 1);
const root = testsuiteRoot;

const modules: string[] = [];
for (const file of listWastFiles(root)) {
  if (file.includes('/legacy/')) continue; // the oracle has no legacy exception syntax
  for (const cmd of parseWast(readFileSync(file, 'utf8'), file).commands) {
    const m = 'module' in cmd && typeof cmd.module === 'object' ? cmd.module : null;
    if (m !== null && m.form === 'text' && m.source.length < 4000) modules.push(m.source);
  }
}
const WORDS = ['(', ')', '0', '1', '-1', '0x10', '$x', 'i32', 'i64', 'funcref', '(ref null func)', 'nop', 'drop',
  '(i32.const 1)', '"a"', 'offset=1', 'align=1', '(param i32)', '(result i32)', '(local i32)', 'end', 'block', 'else',
  '(then)', 'mut', '(export "e")', '(import "a" "b")', 'i32.add', '(type 0)', 'func', 'declare', 'item'];

const r = rng(seed);
const counts = { bothAccept: 0, sameBytes: 0, bothReject: 0, onlyTswasm: 0, onlyOracle: 0 };
const examples = new Map<string, string[]>();
const note = (category: string, input: string) => {
  const list = examples.get(category) ?? [];
  list.push(input);
  examples.set(category, list);
};
for (let i = 0; i < count; i++) {
  const parts = modules[Math.floor(r() * modules.length)]!.split(/(\s+|[()])/).filter((p) => p !== '');
  const a = Math.floor(r() * parts.length);
  const b = Math.floor(r() * parts.length);
  switch (Math.floor(r() * 4)) {
    case 0: parts.splice(a, 1); break;
    case 1: parts.splice(a, 0, WORDS[Math.floor(r() * WORDS.length)]!); break;
    case 2: [parts[a], parts[b]] = [parts[b]!, parts[a]!]; break;
    default: parts.splice(a, 0, parts[b]!);
  }
  const input = parts.join('');
  let ours: Uint8Array | null = null;
  let reason = '';
  try {
    ours = parseWat(input);
  } catch (e) {
    if (!(e instanceof WatSyntaxError)) throw e;
    reason = e.reason;
  }
  const theirs = await oracleEncode(input);
  if (ours !== null && theirs instanceof Uint8Array) {
    counts.bothAccept++;
    if (equalBytes(ours, theirs)) counts.sameBytes++;
    else note(`different bytes: ${describeDifference(ours, theirs)}`, input);
  } else if (ours !== null) {
    counts.onlyTswasm++;
    note(`only tswasm accepts (oracle: ${(theirs as { error: string }).error})`, input);
  } else if (theirs instanceof Uint8Array) {
    counts.onlyOracle++;
    note(`only wasm-tools accepts (tswasm: ${reason})`, input);
  } else {
    counts.bothReject++;
  }
}
console.log(`seed ${seed}, ${count} mutated suite modules:`, counts);
for (const [category, inputs] of [...examples].sort((x, y) => y[1].length - x[1].length)) {
  console.log(`\n${inputs.length} × ${category}`);
  for (const input of inputs.slice(0, 3)) console.log(`  ${JSON.stringify(input).slice(0, 300)}`);
}
