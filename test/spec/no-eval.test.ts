// Where code generation from strings is refused (a Content-Security-Policy without 'unsafe-eval';
// here Node's --disallow-code-generation-from-strings): the whole spec suite runs from modules
// precompiled to ES modules, with the same results as with generated code, command by command.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileReport } from '../../src/spec/report.js';
import { testsuiteRoot, wastFiles } from '../helpers/paths.js';
import { failureKey, readKnownFailures } from './known-failures.js';

const helper = fileURLToPath(new URL('../helpers/no-eval-spec.js', import.meta.url));
const haveSuite = existsSync(join(testsuiteRoot, 'i32.wast'));


const runHelper = (nodeFlags: string[], args: string[]): FileReport[] => JSON.parse(execFileSync(process.execPath, [...nodeFlags, helper, ...args], {
  encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28,
})) as FileReport[];

test('node --disallow-code-generation-from-strings refuses new Function', () => {
  const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', 'try { new Function(""); console.log("allowed") } catch (e) { console.log(e.name) }'], { encoding: 'utf8' });
  assert.equal(out.trim(), 'EvalError');
});

test('without code generation from strings, the spec suite passes from precompiled modules', { skip: haveSuite ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)` }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tswasm-no-eval-'));
  try {
    const files = wastFiles(testsuiteRoot);
    const recorded = runHelper([], ['record', dir, ...files]);
    assert.ok(readdirSync(dir).length > 1500, `artifacts written: ${readdirSync(dir).length}`);
    const replayed = runHelper(['--disallow-code-generation-from-strings'], ['replay', dir, ...files]);
    assert.equal(replayed.length, recorded.length);
    for (let i = 0; i < recorded.length; i++) {
      assert.deepEqual(replayed[i]!.kinds, recorded[i]!.kinds, recorded[i]!.path);
      assert.deepEqual(replayed[i]!.notes, recorded[i]!.notes, recorded[i]!.path);
    }
    const known = readKnownFailures();
    const unexpected = replayed.flatMap((r) => r.notes.filter((n) => n.outcome === 'failed' && !known.has(failureKey(r.path, n.line, n.kind)))
      .map((n) => `${r.path}:${n.line} ${n.kind}: ${n.reason}`));
    assert.deepEqual(unexpected, []);
    const passed = replayed.reduce((n, r) => n + r.kinds.assert_return.passed, 0);
    assert.ok(passed > 50_000, `assert_return passed: ${passed}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
