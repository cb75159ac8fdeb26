// Runs every program in examples/ against the built package and checks what it prints, so the
// examples (and docs/embedding.md, which shows the same code) stay correct.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';

const built = existsSync(join(projectRoot, 'dist', 'bundle', 'index.js'));
const expected: Record<string, RegExp[]> = {
  'plugin-host.mjs': [
    /^polite: returned 42, .*log \["hello from a plugin"\]$/m,
    /^greedy: returned -1,/m,
    /^busy: stopped: OutOfFuel, fuel left 0,/m,
    /^stuck: stopped: Interrupt,/m,
  ],
  'linking.mjs': [/^handle\(7\) = 50 handle\(7\) again = 50$/m, /^two instances from one InstancePre: 10 11 10$/m],
  'async-host.mjs': [/^total of items 1-3: 425 \(the event loop ran meanwhile\)$/m, /^spin: stopped by a timer on the same thread: Interrupt after at least 50 ms$/m,
    /^grow by 2 pages: 1, then by 1 more: -1 \(over the quota\)$/m],
  'jspi.mjs': [/^total of items 1-3: 425$/m, /^called directly: SuspendError$/m],
  'backtrace.mjs': [/^trap: IntegerDivisionByZero$/m, /^ {2}divide at module offset 0x[0-9a-f]+ \(function offset \d+\), \.\/trap\.c:2:12$/m,
    /^ {2}run at module offset 0x[0-9a-f]+ \(function offset \d+\), \.\/trap\.c:12:10$/m, /^ {3}1: 0x[0-9a-f]+ - middle \(function 1\)\n {20}at \.\/trap\.c:7:10$/m,
    /^optimised:\n {2}divide at \.\/trap\.c:2:12\n {2}middle at \.\/trap\.c:7:10\n {2}run at \.\/trap\.c:12:10\n {3}0: 0x[0-9a-f]+ - run \(function 0\)\n {16}- divide\n/m],
  'coredump.mjs': [/^wasm coredump generated while executing store \d+:\nmodules:\n {2}trapper\n/m, /^ {3}0: 0x4b - trapper!c \(function 3\)$/m,
    /^coredump: 142 bytes written to .*tswasm-example-trapper\.coredump \(corestack present\)$/m],
  'serialize-cache.mjs': [/fib\(90\) = 2880067194370816120$/m, /^altered cache entry refused: serialized module signature does not verify/m],
};

const examples = readdirSync(join(projectRoot, 'examples')).filter((f) => f.endsWith('.mjs'));

test('every example has expectations', () => {
  assert.deepEqual(examples.sort(), Object.keys(expected).sort());
});

for (const file of examples) {
  test(`examples/${file}`, built ? {} : { skip: 'needs the built package: npm run build' }, () => {
    const out = execFileSync(process.execPath, [join(projectRoot, 'examples', file)], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
    for (const re of expected[file] ?? []) assert.match(out, re);
  });
}
