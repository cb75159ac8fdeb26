// `tswasm wast FILE|DIR...`: runs spec scripts and reports, per file and in total, how many
// commands of each kind passed, failed (with reasons) and could not run yet.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { addCounts, emptyCounts, formatCounts, toJson, type FileReport } from '../spec/report.js';
import { runScript } from '../spec/runner.js';
import { featuresFor, groupOf } from '../spec/suite.js';
import { selectEngine, type EngineFactory } from '../spec/select-engine.js';
import { parseWast, parseWat } from '../text/index.js';
import type { Command } from './main.js';

const USAGE = `usage: tswasm wast [--json] [--verbose] [--root DIR] FILE|DIR...

Runs .wast scripts. Directories are searched recursively. Paths in the report are relative to
--root (default: $WASM_TESTSUITE, or the common folder of the arguments), which also decides the
features a script runs with: scripts under proposals/NAME/ get that proposal switched on.
  --json      print {"totals": {KIND: {passed, failed, skipped}}, "files": {PATH: {...}}}
  --verbose   list every failed and skipped command with its reason (default: failures only)
  --front-end only decode and validate; commands that need execution count as not runnable`;

export const command: Command = {
  summary: 'run .wast spec scripts and report per command kind',
  async run(args) {
    const options = parseArgs(args);
    if (options === USAGE && (args.includes('--help') || args.includes('-h'))) {
      console.log(USAGE);
      return 0;
    }
    if (typeof options === 'string') {
      console.error(options);
      return 2;
    }
    const missing = options.inputs.find((input) => !existsSync(input));
    if (missing !== undefined) {
      console.error(`tswasm wast: ${missing}: no such file or directory`);
      return 2;
    }
    const files = options.inputs.flatMap((input) => collect(resolve(input)));
    if (files.length === 0) {
      console.error('tswasm wast: no .wast files found');
      return 2;
    }
    const root = options.root ?? process.env.WASM_TESTSUITE ?? commonFolder(files);
    const engines = selectEngine(options.frontEndOnly);
    const reports: FileReport[] = [];
    for (const file of files) {
      const path = relative(resolve(root), file).split(sep).join('/');
      reports.push(runFile(file, path, engines));
    }
    if (options.json) console.log(JSON.stringify(toJson(reports)));
    else printText(reports, options.verbose);
    return reports.some((r) => Object.values(r.kinds).some((c) => c.failed > 0)) ? 1 : 0;
  },
};

interface Options {
  json: boolean;
  verbose: boolean;
  root: string | null;
  frontEndOnly: boolean;
  inputs: string[];
}

function parseArgs(args: string[]): Options | string {
  const options: Options = { json: false, verbose: false, root: null, frontEndOnly: false, inputs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--verbose' || arg === '-v') options.verbose = true;
    else if (arg === '--root') {
      const root = args[++i];
      if (root === undefined || root.startsWith('-')) return `tswasm wast: --root needs a directory\n\n${USAGE}`;
      options.root = root;
    }
    else if (arg === '--front-end') options.frontEndOnly = true;
    else if (arg === '--help' || arg === '-h') return USAGE;
    else if (arg.startsWith('-')) return `tswasm wast: unknown option ${arg}\n\n${USAGE}`;
    else options.inputs.push(arg);
  }
  if (options.inputs.length === 0) return USAGE;
  return options;
}

function collect(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return collect(child);
      return entry.name.endsWith('.wast') ? [child] : [];
    });
}

function commonFolder(files: string[]): string {
  let common = files[0]!.split(sep).slice(0, -1);
  for (const file of files) {
    const parts = file.split(sep);
    let i = 0;
    while (i < common.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(sep) || sep;
}

export function runFile(file: string, path: string, engines: EngineFactory): FileReport {
  const text = readFileSync(file, 'utf8');
  let script;
  try {
    script = parseWast(text, path);
  } catch (error) {
    const report: FileReport = { path, kinds: emptyCounts(), notes: [], validModules: { passed: 0, failed: 0 } };
    report.notes.push({ line: 0, kind: 'module', outcome: 'failed', reason: `script did not parse: ${String(error)}` });
    report.kinds.module.failed++;
    return report;
  }
  const features = featuresFor(path);
  return runScript(script, { engine: engines(features), features, encodeText: parseWat, path });
}

function printText(reports: FileReport[], verbose: boolean): void {
  const groups = new Map<string, FileReport[]>();
  for (const report of reports) {
    const group = groupOf(report.path);
    groups.set(group, [...(groups.get(group) ?? []), report]);
    for (const note of report.notes) {
      if (note.outcome === 'failed' || (verbose && note.outcome === 'skipped')) {
        console.log(`${report.path}:${note.line}: ${note.kind} ${note.outcome}: ${note.reason}`);
      }
    }
  }
  const totals = emptyCounts();
  for (const [group, members] of groups) {
    const counts = emptyCounts();
    let valid = 0;
    let invalid = 0;
    for (const report of members) {
      addCounts(counts, report.kinds);
      valid += report.validModules.passed;
      invalid += report.validModules.failed;
    }
    addCounts(totals, counts);
    console.log(`\n${formatCounts(`${group} (${members.length} files)`, counts)}`);
    console.log(`  valid modules decoded and validated: ${valid} of ${valid + invalid}`);
  }
  if (groups.size > 1) console.log(`\n${formatCounts(`total (${reports.length} files)`, totals)}`);
}
