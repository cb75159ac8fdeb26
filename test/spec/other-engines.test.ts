// tswasm in the shells of JavaScriptCore (`jsc`, Debian's libjavascriptcoregtk-4.0-bin) and
// SpiderMonkey (`js102`, libmozjs-102-dev), where it is installed: the whole spec suite
// (tools/js-shell-wast.mjs) with no failure beyond the known ones, NaN bits included, and execution
// fuzzer modules agreeing with tswasm on Node call by call (tools/js-shell-replay.mjs), also with every
// chain split into parts and with the code tuned for the shell's interpreter; and traps' backtraces
// (tools/js-shell-backtrace.mjs) against Node's. Both engines NaN-box their values, so these check
// the NaNBox mode (core/nan-boxing.ts) where it is needed.
// Without the shells the tests are skipped and say so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { projectRoot, testsuiteRoot, wastFiles } from '../helpers/paths.js';
import { readKnownFailures } from './known-failures.js';

const haveSuite = existsSync(join(testsuiteRoot, 'i32.wast'));
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const SHELLS = {
  jsc: { present: has('jsc'), run: (script: string, args: string[], env: Record<string, string>) => spawnSync('jsc', ['-m', script, '--', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 }) },
  js102: { present: has('js102'), run: (script: string, _args: string[], env: Record<string, string>) => spawnSync('js102', ['-m', script], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 }) },
} as const;

for (const [name, shell] of Object.entries(SHELLS)) {
  const skip = !shell.present ? `${name} is not installed` : haveSuite ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)`;

  // Also with the code tuned for the shell's own interpreter (compile/interpreter-tuning.ts).
  for (const tuned of [false, true]) test(`${name}: the spec suite passes but for the known failures, every NaN bit included${tuned ? ', tuned for its interpreter' : ''}`, { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tswasm-shell-'));
    try {
      const list = join(dir, 'list.txt');
      writeFileSync(list, wastFiles(testsuiteRoot).map((f) => relative(testsuiteRoot, f).split(sep).join('/')).join('\n'));
      const r = shell.run(join(projectRoot, 'tools', 'js-shell-wast.mjs'), [testsuiteRoot, list, ...(tuned ? ['--tuned'] : [])], { WAST_ROOT: testsuiteRoot, WAST_LIST: list, TUNED: tuned ? '1' : '' });
      assert.equal(r.status, 0, r.stderr);
      const [totals, ...notPassed] = r.stdout.trim().split('\n');
      const known = readKnownFailures();
      // SpiderMonkey 102 has no growable SharedArrayBuffer: its shared memories are allocated at
      // their maximum size, and the threads scripts run there too.
      const unexpected = notPassed.filter((line) => {
        const m = /^(\S+:\d+ \S+) failed: /.exec(line);
        return m === null || !known.has(m[1]!);
      });
      assert.deepEqual(unexpected, []);
      const counts = JSON.parse(totals!) as Record<string, { passed: number; failed: number }>;
      assert.equal(counts.assert_return!.failed, 0);
      assert.ok(counts.assert_return!.passed > 50_000, `assert_return passed: ${counts.assert_return!.passed}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // NaN payloads through every place a float can live (test/spec/fixtures/nan-bits.wast), where
  // the engine boxes them: SIMD lanes loaded from memory lost them there until stop 41.
  test(`${name}: NaN bits through results, memory, locals and SIMD lanes (nan-bits.wast)`, { skip: shell.present ? false : `${name} is not installed` }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tswasm-shell-'));
    try {
      const list = join(dir, 'list.txt');
      writeFileSync(list, 'nan-bits.wast');
      const fixtures = join(projectRoot, 'test', 'spec', 'fixtures');
      const r = shell.run(join(projectRoot, 'tools', 'js-shell-wast.mjs'), [fixtures, list], { WAST_ROOT: fixtures, WAST_LIST: list });
      assert.equal(r.status, 0, r.stderr);
      const [totals, ...notPassed] = r.stdout.trim().split('\n');
      assert.deepEqual(notPassed, []);
      assert.ok((JSON.parse(totals!) as Record<string, { passed: number }>).assert_return!.passed >= 38, totals);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${name}: execution fuzzer modules agree with tswasm on Node, call by call`, { skip: shell.present ? false : `${name} is not installed` }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tswasm-replay-'));
    try {
      const script = join(projectRoot, 'tools', 'js-shell-replay.mjs');
      const recording = join(dir, 'replay.json');
      const rec = spawnSync(process.execPath, [script, 'record', '7111', '0', '400'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(rec.status, 0, rec.stderr);
      writeFileSync(recording, rec.stdout);
      // Then again with every chain of two or more blocks compiled as parts (compile/split.ts), and
      // with the code tuned for the shell's own interpreter (compile/interpreter-tuning.ts).
      for (const variant of ['', 'split', 'tuned'] as const) {
        const flags = variant === 'split' ? ['--split-everywhere'] : variant === 'tuned' ? ['--tuned'] : [];
        const r = shell.run(script, ['replay', recording, ...flags], { REPLAY: recording, SPLIT_EVERYWHERE: variant === 'split' ? '1' : '', TUNED: variant === 'tuned' ? '1' : '' });
        assert.equal(r.status, 0, r.stderr);
        const summary = r.stdout.trim().split('\n').pop()!;
        const m = /^replay: 400 modules \((\d+) with calls\), (\d+) calls, 0 disagreeing$/.exec(summary);
        assert.ok(m !== null, r.stdout);
        assert.ok(Number(m[2]) > 1000, summary);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// Code tuned for an interpreter is shaped for the engine running it (core/js-engine.ts).
for (const [name, shell, engine] of [['jsc', SHELLS.jsc, 'javascriptcore'], ['js102', SHELLS.js102, 'spidermonkey']] as const) {
  test(`${name}: tswasm tells ${engine} apart, for the code it tunes for its interpreter`, { skip: shell.present ? false : `${name} is not installed` }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tswasm-engine-'));
    try {
      const script = join(dir, 'engine.mjs');
      const dist = join(projectRoot, 'dist', 'src');
      writeFileSync(script, `import { thisJsEngine } from '${join(dist, 'core', 'js-engine.js')}';
        import { Engine } from '${join(dist, 'api', 'index.js')}';
        print(thisJsEngine(), new Engine({ tuneForInterpreter: true }).config.interpreter);`);
      const r = shell.run(script, [], {});
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), `${engine} ${engine}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Each case's frames as tools/js-shell-backtrace.mjs prints them. */
interface BacktraceCase {
  readonly case: string;
  readonly frames: readonly { index: number; name: string | null; module: string | null; moduleOffset: number | null; funcOffset: number | null }[];
}

const backtraceScript = join(projectRoot, 'tools', 'js-shell-backtrace.mjs');
const backtraces = (stdout: string): BacktraceCase[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as BacktraceCase);

for (const [name, shell] of Object.entries(SHELLS)) {
  // JavaScriptCore writes no position for code made by `new Function`, so there frames have no
  // offsets (runtime/frame-names.ts); the functions, their names and modules must still be Node's.
  test(`${name}: traps' backtraces have Node's frames${name === 'jsc' ? ' (without offsets)' : ', offsets included'}`, { skip: shell.present ? false : `${name} is not installed` }, () => {
    const onNode = spawnSync(process.execPath, [backtraceScript], { encoding: 'utf8' });
    assert.equal(onNode.status, 0, onNode.stderr);
    const want = backtraces(onNode.stdout);
    assert.equal(want.length, 30);
    for (const c of want) {
      assert.ok(c.frames.length >= 2, c.case);
      for (const f of c.frames) assert.ok(f.moduleOffset !== null && f.funcOffset !== null, c.case);
    }
    const r = shell.run(backtraceScript, [], {});
    assert.equal(r.status, 0, r.stderr);
    const expected = name === 'jsc'
      ? want.map((c) => ({ ...c, frames: c.frames.map((f) => ({ ...f, moduleOffset: null, funcOffset: null })) }))
      : want;
    assert.deepEqual(backtraces(r.stdout), expected);
  });
}
