// Where native WebAssembly is missing: V8 without its JIT compilers (`node --jitless`, as in
// Lockdown Mode and JIT-less embedders) has no WebAssembly at all, and tswasm's generated code runs
// in V8's interpreter. The core spec suite and the benchmark kernels must pass there too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, testsuiteRoot } from '../helpers/paths.js';
import { benchDir } from '../wasi/helpers.js';

const cli = join(projectRoot, 'bin', 'tswasm.mjs');
const jitless = (args: string[]) => execFileSync(process.execPath, ['--jitless', ...args], {
  encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26,
});

test('node --jitless has no WebAssembly of its own', () => {
  assert.equal(jitless(['-e', 'process.stdout.write(typeof WebAssembly)']), 'undefined');
});

const haveSuite = existsSync(join(testsuiteRoot, 'i32.wast'));

test('without a JIT, the core spec suite passes', { skip: haveSuite ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)` }, () => {
  const files = readdirSync(testsuiteRoot).filter((f) => f.endsWith('.wast')).map((f) => join(testsuiteRoot, f));
  const report = JSON.parse(jitless([cli, 'wast', '--json', ...files])) as {
    totals: Record<string, { passed: number; failed: number; skipped: number }>;
  };
  const failed = Object.entries(report.totals).filter(([, c]) => c.failed > 0).map(([k, c]) => `${k}: ${c.failed}`);
  assert.deepEqual(failed, []);
  assert.ok(report.totals.assert_return!.passed > 50_000, `assert_return passed: ${report.totals.assert_return!.passed}`);
  assert.ok(report.totals.assert_exhaustion!.passed > 0, 'call stack exhaustion is detected in the interpreter too');
});

const manifestPath = join(benchDir, 'manifest.json');
const haveKernels = existsSync(manifestPath) && existsSync(join(benchDir, 'wasi'));

test('without a JIT, the benchmark kernels print their run_small checksums', { skip: haveKernels ? false : `no kernels at ${benchDir}` }, () => {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { kernels: Record<string, { run_small: string }> };
  const kernels = Object.keys(manifest.kernels).filter((k) => existsSync(join(benchDir, 'wasi', `${k}.wasm`)));
  assert.ok(kernels.length >= 9, `expected the 9 kernels, found ${kernels.length}`);
  for (const k of kernels) {
    assert.equal(jitless([cli, 'run', join(benchDir, 'wasi', `${k}.wasm`), 'small']), `${manifest.kernels[k]!.run_small}\n`, k);
  }
});
