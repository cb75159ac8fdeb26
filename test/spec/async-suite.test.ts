// The whole spec suite again with Config.asyncSupport, where every function is a generator and
// every call a `yield*` (runtime/async-calls.ts): the same commands must pass, with the same known
// failures, as in the default code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { runFile } from '../../src/cli/wast.js';
import { ApiSpecEngine } from '../../src/spec/api-engine.js';
import { testsuiteRoot, wastFiles } from '../helpers/paths.js';
import { failureKey, readKnownFailures } from './known-failures.js';

const haveSuite = existsSync(join(testsuiteRoot, 'i32.wast'));

test('spec suite with asyncSupport: the same failures as without', { skip: haveSuite ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)` }, () => {
  const known = readKnownFailures();
  const unexpected: string[] = [];
  let passed = 0;
  for (const file of wastFiles(testsuiteRoot)) {
    const path = relative(testsuiteRoot, file).split(sep).join('/');
    const report = runFile(file, path, (features) => new ApiSpecEngine(features, { asyncSupport: true }));
    passed += report.kinds.assert_return.passed;
    for (const note of report.notes) {
      if (note.outcome === 'failed' && !known.has(failureKey(path, note.line, note.kind))) unexpected.push(`${path}:${note.line} ${note.kind}: ${note.reason}`);
    }
  }
  assert.deepEqual(unexpected, []);
  assert.ok(passed > 50000, `only ${passed} assert_return passed`);
});
