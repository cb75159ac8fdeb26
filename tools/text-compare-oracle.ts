// Encodes every well-formed text module of the spec suite with tswasm and with wasm-tools and
// reports each difference grouped by cause, checked against test/text/oracle-differences.txt.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWat } from '../src/text/wat.js';
import { isWellFormedText, sourceOf, suiteModules } from './text-suite-modules.js';
import { describeDifference, equalBytes, oracleEncode } from './text-oracle.js';
import { readDifferences } from './text-differences.js';
import { projectRoot, testsuiteRoot } from '../test/helpers/paths.js';

const root = testsuiteRoot;
const listed = readDifferences(join(projectRoot, 'test', 'text', 'oracle-differences.txt'));

const groups = new Map<string, string[]>();
let identical = 0;
let total = 0;
let oursFail = 0;
const unlisted: string[] = [];
const seen = new Set<string>();
for (const m of suiteModules(root)) {
  if (!isWellFormedText(m)) continue;
  total++;
  const where = `${m.file}:${m.line}`;
  const source = sourceOf(m);
  let ours: Uint8Array;
  try {
    ours = parseWat(source, m.file);
  } catch (e) {
    oursFail++;
    console.log(`OURS FAILS ${where}: ${(e as Error).message}`);
    continue;
  }
  const theirs = await oracleEncode(source);
  if (theirs instanceof Uint8Array && equalBytes(ours, theirs)) {
    identical++;
    continue;
  }
  const cause = theirs instanceof Uint8Array ? describeDifference(ours, theirs) : `oracle rejects: ${theirs.error}`;
  const list = groups.get(cause) ?? [];
  list.push(where);
  groups.set(cause, list);
  seen.add(where);
  if (!listed.has(where)) unlisted.push(`${where} (${cause})`);
}

console.log(`${total} well-formed text modules; ${identical} byte-identical to wasm-tools; ${oursFail} rejected by tswasm`);
for (const [cause, wheres] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`\n${wheres.length} × ${cause}`);
  for (const w of wheres) console.log(`  ${w}${listed.has(w) ? '' : '   <-- not in oracle-differences.txt'}`);
}
const stale = [...listed.keys()].filter((w) => !seen.has(w));
if (stale.length > 0) console.log(`\nlisted but no longer different:\n  ${stale.join('\n  ')}`);
if (unlisted.length > 0 || oursFail > 0) {
  console.log(`\n${unlisted.length} unexplained differences, ${oursFail} failures`);
  process.exitCode = 1;
}
