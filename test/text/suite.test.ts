// The whole spec suite through the text front end: every script parses, every well-formed text
// module encodes, every core assert_malformed text module is rejected with a text error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { testsuiteRoot } from '../helpers/paths.js';
import { parseWat } from '../../src/text/wat.js';
import { WatSyntaxError } from '../../src/text/errors.js';
import { CompileError } from '../../src/core/errors.js';
import { groupOf, isWellFormedText, sourceOf, suiteModules, type SuiteModule } from '../../tools/text-suite-modules.js';

const skip = existsSync(testsuiteRoot) ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)`;
let cached: SuiteModule[] | null = null;
const modules = () => (cached ??= suiteModules(testsuiteRoot));

test('every text and quote module outside assert_malformed encodes', { skip }, () => {
  const failures: string[] = [];
  let n = 0;
  for (const m of modules()) {
    if (!isWellFormedText(m)) continue;
    n++;
    try {
      parseWat(sourceOf(m), m.file);
    } catch (e) {
      failures.push(`${m.file}:${m.line}: ${(e as Error).message}`);
    }
  }
  assert.ok(n > 5000, `only ${n} modules found`);
  assert.deepEqual(failures, []);
});

test('every core assert_malformed text module fails with a WatSyntaxError', { skip }, () => {
  const accepted: string[] = [];
  let n = 0;
  for (const m of modules()) {
    if (m.command !== 'assert_malformed' || m.module.form === 'binary' || groupOf(m.file) !== 'core') continue;
    n++;
    try {
      parseWat(sourceOf(m), m.file);
      accepted.push(`${m.file}:${m.line}`);
    } catch (e) {
      assert.ok(e instanceof WatSyntaxError, `${m.file}:${m.line}: ${String(e)}`);
      assert.ok(e instanceof CompileError);
    }
  }
  assert.ok(n > 1000, `only ${n} cases found`);
  assert.deepEqual(accepted, []);
});

test('the short reason starts with the message the suite expects, for core assert_malformed', { skip }, () => {
  // The reference interpreter's wording; tswasm words a few cases more specifically, which the
  // suite's messages still prefix ("alignment" of "alignment must be a power of two").
  const mismatched: string[] = [];
  for (const m of modules()) {
    if (m.command !== 'assert_malformed' || m.module.form === 'binary' || groupOf(m.file) !== 'core') continue;
    try {
      parseWat(sourceOf(m), m.file);
    } catch (e) {
      const reason = (e as WatSyntaxError).reason;
      if (!reason.startsWith(m.message!)) mismatched.push(`${m.file}:${m.line}: expected "${m.message}", got "${reason}"`);
    }
  }
  assert.deepEqual(mismatched, []);
});

test('assert_malformed_custom and assert_invalid_custom annotation errors are text errors', { skip }, () => {
  for (const m of modules()) {
    const custom = m.command === 'assert_malformed_custom' || m.command === 'assert_invalid_custom';
    if (!custom || m.module.form === 'binary') continue;
    assert.throws(() => parseWat(sourceOf(m), m.file), (e: unknown) => e instanceof WatSyntaxError && e.reason.startsWith(m.message!.split(':')[0]!), `${m.file}:${m.line}`);
  }
});
