// Reads test/text/oracle-differences.txt: the committed list of text modules whose encoding is
// known to differ from wasm-tools', each with the reason (lines "file:line  reason").

import { existsSync, readFileSync } from 'node:fs';

/** The listed differences by "file:line", with their reasons. */
export function readDifferences(path: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(path)) return out;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+:\d+)\s+(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}
