// Byte-for-byte agreement with wasm-tools (jco-transpile, a dev dependency used only as an
// oracle) on every well-formed text module of the suite, except the explained differences
// committed in oracle-differences.txt.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, testsuiteRoot } from '../helpers/paths.js';
import { parseWat } from '../../src/text/wat.js';
import { isWellFormedText, sourceOf, suiteModules } from '../../tools/text-suite-modules.js';
import { describeDifference, equalBytes, oracleEncode } from '../../tools/text-oracle.js';
import { readDifferences } from '../../tools/text-differences.js';

const skip = existsSync(testsuiteRoot) ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)`;

test('every well-formed text module of the suite encodes as wasm-tools does, except the listed differences', { skip }, async () => {
  const listed = readDifferences(join(projectRoot, 'test', 'text', 'oracle-differences.txt'));
  assert.ok(listed.size > 0, 'oracle-differences.txt is missing or empty');
  const unexplained: string[] = [];
  const stale: string[] = [];
  let identical = 0;
  for (const m of suiteModules(testsuiteRoot)) {
    if (!isWellFormedText(m)) continue;
    const where = `${m.file}:${m.line}`;
    const source = sourceOf(m);
    const ours = parseWat(source, m.file);
    const theirs = await oracleEncode(source);
    const same = theirs instanceof Uint8Array && equalBytes(ours, theirs);
    if (same) identical++;
    if (same && listed.has(where)) stale.push(where);
    if (!same && !listed.has(where)) {
      unexplained.push(`${where}: ${theirs instanceof Uint8Array ? describeDifference(ours, theirs) : `oracle rejects: ${theirs.error}`}`);
    }
  }
  assert.deepEqual(unexplained, [], 'differences not in oracle-differences.txt');
  assert.deepEqual(stale, [], 'listed in oracle-differences.txt but now identical');
  assert.ok(identical > 5000);
});

test('the oracle harness itself sees a difference when there is one', async () => {
  const theirs = await oracleEncode('(module (func (result i32) (i32.const 1)))');
  assert.ok(theirs instanceof Uint8Array);
  const ours = parseWat('(module (func (result i32) (i32.const 2)))');
  assert.equal(equalBytes(ours, theirs), false);
  assert.equal(describeDifference(ours, theirs), 'code section differ');
});
