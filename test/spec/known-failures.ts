// Reads test/spec/known-failures.txt: every spec-suite command tswasm is known to fail, one per
// line as "PATH:LINE KIND: reason", where the reason explains why it fails.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';

export const KNOWN_FAILURES_FILE = join(projectRoot, 'test', 'spec', 'known-failures.txt');

/** Key of a failure: "PATH:LINE KIND". */
export function failureKey(path: string, line: number, kind: string): string {
  return `${path}:${line} ${kind}`;
}

export function readKnownFailures(): Map<string, string> {
  const known = new Map<string, string>();
  const text = readFileSync(KNOWN_FAILURES_FILE, 'utf8');
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+:\d+ \S+): (.+)$/.exec(line);
    if (!match) throw new Error(`known-failures.txt: cannot read line "${line}"`);
    known.set(match[1]!, match[2]!);
  }
  return known;
}
