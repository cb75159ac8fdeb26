// Runs the whole spec suite (core and proposals) and fails on any command that fails and is not in
// known-failures.txt, and on any listed failure that now passes, so the list stays exact.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { runFile } from '../../src/cli/wast.js';
import { selectEngine } from '../../src/spec/select-engine.js';
import { testsuiteRoot, wastFiles } from '../helpers/paths.js';
import { failureKey, readKnownFailures } from './known-failures.js';


const haveSuite = existsSync(join(testsuiteRoot, 'i32.wast'));

test('spec suite: every failure is a known, explained failure', { skip: haveSuite ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)` }, () => {
  const engines = selectEngine();
  const known = readKnownFailures();
  const unexpected: string[] = [];
  const stillListed = new Set(known.keys());
  for (const file of wastFiles(testsuiteRoot)) {
    const path = relative(testsuiteRoot, file).split(sep).join('/');
    const report = runFile(file, path, engines);
    for (const note of report.notes) {
      if (note.outcome !== 'failed') continue;
      const key = failureKey(path, note.line, note.kind);
      if (known.has(key)) stillListed.delete(key);
      else unexpected.push(`${key}: ${note.reason}`);
    }
  }
  assert.deepEqual(unexpected, [], 'new failures (fix them, or list them with a reason in known-failures.txt)');
  assert.deepEqual([...stillListed], [], 'listed failures that now pass (remove them from known-failures.txt)');
});
