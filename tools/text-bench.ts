// Throughput of the text front end on the spec suite: parse + encode of every well-formed text
// module (MB of source text per second, median of several runs), and .wast script parsing.
//
// usage: npx tsx tools/text-bench.ts [--runs N]

import { readFileSync } from 'node:fs';
import { parseWat } from '../src/text/wat.js';
import { parseWast } from '../src/text/wast.js';
import { isWellFormedText, listWastFiles, sourceOf, suiteModules } from './text-suite-modules.js';
import { testsuiteRoot } from '../test/helpers/paths.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, bytes: number, runs: number, work: () => void): void {
  work(); // warm-up: let the JIT see the code once
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    const seconds = (performance.now() - start) / 1000;
    rates.push(bytes / 1e6 / seconds);
  }
  const m = median(rates);
  console.log(`${label}: ${(bytes / 1e6).toFixed(2)} MB, median ${m.toFixed(1)} MB/s (runs: ${rates.map((r) => r.toFixed(1)).join(', ')})`);
}

const runsAt = process.argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 7;
const root = testsuiteRoot;

const sources = suiteModules(root).filter(isWellFormedText).map(sourceOf);
const textBytes = sources.reduce((n, s) => n + s.length, 0);
measure(`parseWat on ${sources.length} suite modules`, textBytes, runs, () => {
  for (const s of sources) parseWat(s);
});

const scripts = listWastFiles(root).map((f) => readFileSync(f, 'utf8'));
const scriptBytes = scripts.reduce((n, s) => n + s.length, 0);
measure(`parseWast on ${scripts.length} scripts`, scriptBytes, runs, () => {
  for (const s of scripts) parseWast(s, 'bench.wast');
});

// One large module: every function of the suite's biggest text modules, concatenated.
const big = sources.filter((s) => s.length > 20000).slice(0, 40);
measure(`parseWat on the ${big.length} largest modules`, big.reduce((n, s) => n + s.length, 0), runs, () => {
  for (const s of big) parseWat(s);
});
