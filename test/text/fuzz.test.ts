// A fixed-seed sample of tools/text-fuzz.ts: mutated suite scripts and random token streams
// must fail only with WatSyntaxError, and what parses must print and re-encode identically.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { testsuiteRoot } from '../helpers/paths.js';
import { fuzz } from '../../tools/text-fuzz.js';

const skip = existsSync(testsuiteRoot) ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)`;

test('3000 fuzzed inputs raise nothing but WatSyntaxError', { skip }, () => {
  const report = fuzz(testsuiteRoot, 20240601, 3000, 1500);
  assert.equal(report.inputs, 3000);
  assert.ok(report.accepted > 100 && report.rejected > 1000, `accepted ${report.accepted}, rejected ${report.rejected}`);
  assert.deepEqual(report.failures.map((f) => `${f.error}\ninput: ${JSON.stringify(f.input.slice(0, 500))}`), []);
});
