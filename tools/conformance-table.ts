// Prints the README's conformance tables (markdown) from one run of the spec runner over the suite:
// per group (core, each proposal), the passed / failed / not-runnable counts of every command kind.
// Usage: npx tsx tools/conformance-table.ts [SUITE_DIR]

import { readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { runFile } from '../src/cli/wast.js';
import { COMMAND_KINDS } from '../src/spec/kinds.js';
import { addCounts, emptyCounts, type KindCounts } from '../src/spec/report.js';
import { selectEngine } from '../src/spec/select-engine.js';
import { groupOf } from '../src/spec/suite.js';
import type { CommandKind } from '../src/spec/kinds.js';

const root = resolve(process.argv[2] ?? process.env.WASM_TESTSUITE ?? join(import.meta.dirname, '..', '..', 'shared', 'testsuite'));

function wastFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? wastFiles(join(dir, e.name)) : e.name.endsWith('.wast') ? [join(dir, e.name)] : []));
}

const groups = new Map<string, { counts: Record<CommandKind, KindCounts>; files: number; valid: [number, number] }>();
const engines = selectEngine();
for (const file of wastFiles(root)) {
  const path = relative(root, file).split(sep).join('/');
  const report = runFile(file, path, engines);
  const group = groupOf(path);
  const entry = groups.get(group) ?? { counts: emptyCounts(), files: 0, valid: [0, 0] as [number, number] };
  addCounts(entry.counts, report.kinds);
  entry.files++;
  entry.valid[0] += report.validModules.passed;
  entry.valid[1] += report.validModules.passed + report.validModules.failed;
  groups.set(group, entry);
}

const names = [...groups.keys()];
const cell = (c: KindCounts) => (c.passed + c.failed + c.skipped === 0 ? '–' : `${c.passed} / ${c.failed} / ${c.skipped}`);
console.log(`| kind (passed / failed / not runnable yet) | ${names.map((n) => `${n} (${groups.get(n)!.files} files)`).join(' | ')} |`);
console.log(`|---|${names.map(() => '---:').join('|')}|`);
for (const kind of COMMAND_KINDS) {
  const cells = names.map((n) => cell(groups.get(n)!.counts[kind]));
  if (cells.every((c) => c === '–')) continue;
  console.log(`| ${kind} | ${cells.join(' | ')} |`);
}
console.log(`| valid modules decoded + validated | ${names.map((n) => `${groups.get(n)!.valid[0]} / ${groups.get(n)!.valid[1]}`).join(' | ')} |`);
