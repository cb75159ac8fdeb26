// Results of running spec scripts: per file and in total, for each command kind, how many passed,
// failed (with the reason) and could not run yet (with the reason).

import { COMMAND_KINDS, type CommandKind } from './kinds.js';

export interface KindCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export type Outcome = 'passed' | 'failed' | 'skipped';

/** One command that did not pass, or that passed with a different error message than the script's. */
export interface Note {
  readonly line: number;
  readonly kind: CommandKind;
  readonly outcome: Outcome;
  readonly reason: string;
}

export interface FileReport {
  readonly path: string;
  readonly kinds: Record<CommandKind, KindCounts>;
  /** Every failed or skipped command, and passed rejections whose message differs from the expected one. */
  readonly notes: Note[];
  /** Modules the script expects to be valid (module commands and modules inside assertions that run them): decoded and validated or not. */
  readonly validModules: { passed: number; failed: number };
}

export function emptyCounts(): Record<CommandKind, KindCounts> {
  const counts = {} as Record<CommandKind, KindCounts>;
  for (const kind of COMMAND_KINDS) counts[kind] = { passed: 0, failed: 0, skipped: 0 };
  return counts;
}

export function newFileReport(path: string): FileReport {
  return { path, kinds: emptyCounts(), notes: [], validModules: { passed: 0, failed: 0 } };
}

export function addCounts(into: Record<CommandKind, KindCounts>, from: Record<CommandKind, KindCounts>): void {
  for (const kind of COMMAND_KINDS) {
    into[kind].passed += from[kind].passed;
    into[kind].failed += from[kind].failed;
    into[kind].skipped += from[kind].skipped;
  }
}

/** The `--json` shape: totals and per-file counts by kind (kinds with no commands left out of files). */
export function toJson(reports: readonly FileReport[]): object {
  const totals = emptyCounts();
  const files: Record<string, Partial<Record<CommandKind, KindCounts>>> = {};
  for (const report of reports) {
    addCounts(totals, report.kinds);
    const used: Partial<Record<CommandKind, KindCounts>> = {};
    for (const kind of COMMAND_KINDS) {
      const c = report.kinds[kind];
      if (c.passed + c.failed + c.skipped > 0) used[kind] = c;
    }
    files[report.path] = used;
  }
  return { totals, files };
}

/** A plain-text table of counts by kind. */
export function formatCounts(title: string, counts: Record<CommandKind, KindCounts>): string {
  const rows = [`${title}`, `  ${'kind'.padEnd(26)}${'passed'.padStart(8)}${'failed'.padStart(8)}${'skipped'.padStart(9)}`];
  for (const kind of COMMAND_KINDS) {
    const c = counts[kind];
    if (c.passed + c.failed + c.skipped === 0) continue;
    rows.push(`  ${kind.padEnd(26)}${String(c.passed).padStart(8)}${String(c.failed).padStart(8)}${String(c.skipped).padStart(9)}`);
  }
  return rows.join('\n');
}
