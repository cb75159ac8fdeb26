// Reports, per suite group (core, proposals/NAME), how many text assert_malformed cases the text
// parser rejects and how many with the suite's message as the prefix of its reason; and how many
// well-formed text and quote modules encode.

import { parseWat } from '../src/text/wat.js';
import { WatSyntaxError } from '../src/text/errors.js';
import { groupOf, isWellFormedText, sourceOf, suiteModules } from './text-suite-modules.js';
import { testsuiteRoot } from '../test/helpers/paths.js';

const root = testsuiteRoot;
interface Row { malformed: number; rejected: number; sameReason: number; wellFormed: number; encoded: number; accepted: string[] }
const rows = new Map<string, Row>();
for (const m of suiteModules(root)) {
  if (m.module.form === 'binary') continue;
  const group = groupOf(m.file);
  let row = rows.get(group);
  if (row === undefined) rows.set(group, (row = { malformed: 0, rejected: 0, sameReason: 0, wellFormed: 0, encoded: 0, accepted: [] }));
  if (m.command === 'assert_malformed') {
    row.malformed++;
    try {
      parseWat(sourceOf(m), m.file);
      row.accepted.push(`${m.file}:${m.line} (expected "${m.message}")`);
    } catch (e) {
      row.rejected++;
      if (e instanceof WatSyntaxError && e.reason.startsWith(m.message!)) row.sameReason++;
    }
  } else if (isWellFormedText(m)) {
    row.wellFormed++;
    try {
      parseWat(sourceOf(m), m.file);
      row.encoded++;
    } catch {
      // counted as not encoded
    }
  }
}
for (const [group, r] of [...rows].sort()) {
  console.log(`${group}: assert_malformed (text) ${r.rejected}/${r.malformed} rejected, ${r.sameReason} with the suite's message; well-formed text modules ${r.encoded}/${r.wellFormed} encoded`);
  for (const a of r.accepted) console.log(`  accepted: ${a}`);
}
