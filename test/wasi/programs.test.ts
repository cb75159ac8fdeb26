// The C test programs (test/wasi/programs/*.c, wasi-libc) on tswasm: args and environment, file
// I/O in a preopened directory, sandbox escapes, clocks and randomness, exit codes, stdin; where
// node:wasi behaves the same, its output (with V8's WebAssembly) must be identical.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Trap, TrapCode } from '../../src/api/index.js';
import { program, runNode, runTswasm, tempDir } from './helpers.js';

test('args and environment reach main() and environ, as on node:wasi', async () => {
  const options = { args: ['one', '', 'two words', 'héllo ✓'], env: { GREETING: 'hi there', EMPTY: '', Z: 'last=1' } };
  const ours = runTswasm(program('args_env'), options);
  assert.equal(ours.code, 0);
  assert.equal(ours.stdout, [
    'argc=5', 'argv[0]=[args_env.wasm]', 'argv[1]=[one]', 'argv[2]=[]', 'argv[3]=[two words]', 'argv[4]=[héllo ✓]',
    'envc=3', 'env[0]=[EMPTY=]', 'env[1]=[GREETING=hi there]', 'env[2]=[Z=last=1]', 'getenv(GREETING)=hi there', '',
  ].join('\n'));
  assert.deepEqual(await runNode(program('args_env'), options), ours);
});

test('file I/O in a preopened directory: create, read back, seek, stat, readdir, rename, links, unlink, rmdir', () => {
  const dir = tempDir();
  try {
    const r = runTswasm(program('files'), { args: ['/work'], preopens: { '/work': dir } });
    assert.doesNotMatch(r.stdout, /^FAIL/m);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^readdir d: \. \.\. a\.txt b\.txt c$/m);
    assert.match(r.stdout, /^readdir d: \. \.\. c hard link renamed\.txt$/m);
    assert.match(r.stdout, /^readdir d\/c: \. \.\. b\.txt$/m);
    // wasi-libc reports a write on a read-only descriptor (ENOTCAPABLE from the runtime) as EBADF.
    assert.match(r.stdout, /^ {2}\(errno Bad file descriptor\)$/m);
    assert.match(r.stdout, /^0 failures$/m);
    assert.deepEqual(readdirSync(dir), [], 'the program cleaned up after itself');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a preopen named "." serves the relative paths wasi-libc hands it', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'from-host.txt'), 'data from the host\n');
    const r = runTswasm(program('files'), { args: ['.'], preopens: { '.': dir } });
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(readdirSync(dir), ['from-host.txt']);
    assert.equal(readFileSync(join(dir, 'from-host.txt'), 'utf8'), 'data from the host\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The tree sandbox.c expects: a preopen `box` beside a file it must not reach. */
function sandboxTree(): { root: string; box: string; outside: string } {
  const root = tempDir();
  const box = join(root, 'box');
  mkdirSync(join(box, 'sub'), { recursive: true });
  writeFileSync(join(box, 'inside.txt'), 'inside\n');
  const outside = join(root, 'outside.txt');
  writeFileSync(outside, 'secret\n');
  symlinkSync(outside, join(box, 'escape-abs'));
  symlinkSync('../outside.txt', join(box, 'escape-rel'));
  symlinkSync('../../outside.txt', join(box, 'sub', 'escape-deep'));
  symlinkSync('sub/../inside.txt', join(box, 'inside-link'));
  symlinkSync('loop', join(box, 'loop'));
  return { root, box, outside };
}

const SANDBOX_EXPECTED = `prestat of stdout -> EBADF
open inside.txt                 follow   -> success
open sub/../inside.txt          follow   -> success
open ./sub/./../inside.txt      follow   -> success
open inside-link                follow   -> success
open ../outside.txt             follow   -> ENOTCAPABLE
open sub/../../outside.txt      follow   -> ENOTCAPABLE
open /etc/passwd                follow   -> ENOTCAPABLE
open escape-abs                 follow   -> ENOTCAPABLE
open escape-abs                 nofollow -> ELOOP
open escape-rel                 follow   -> ENOTCAPABLE
open sub/escape-deep            follow   -> ENOTCAPABLE
open sub/escape-deep/x          nofollow -> ENOTCAPABLE
open loop                       follow   -> ELOOP
open missing/x                  follow   -> ENOENT
open inside.txt/x               follow   -> ENOTDIR
stat escape-rel                 follow   -> ENOTCAPABLE
stat escape-rel                 nofollow -> success (filetype 7)
stat ..                         follow   -> ENOTCAPABLE
stat .                          follow   -> success (filetype 3)
mkdir ../newdir -> ENOTCAPABLE
unlink ../outside.txt -> ENOTCAPABLE
unlink escape-rel/. -> ENOTCAPABLE
rename inside.txt ../moved -> ENOTCAPABLE
rename ../outside.txt stolen -> ENOTCAPABLE
link ../outside.txt stolen -> ENOTCAPABLE
link escape-rel (follow) stolen -> ENOTCAPABLE
symlink ../x sub/../../made -> ENOTCAPABLE
rmdir .. -> ENOTCAPABLE
rmdir . -> EINVAL
readlink escape-rel -> success [../outside.txt]
fopen /etc/passwd -> Capabilities insufficient
`;

test('sandbox: `..`, absolute paths and symlinks cannot leave the preopened directory', () => {
  const { root, box, outside } = sandboxTree();
  try {
    const r = runTswasm(program('sandbox'), { args: ['/sandbox'], preopens: { '/sandbox': box } });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, SANDBOX_EXPECTED);
    // Nothing outside changed, and nothing was created outside.
    assert.equal(readFileSync(outside, 'utf8'), 'secret\n');
    assert.deepEqual(readdirSync(root).sort(), ['box', 'outside.txt']);
    assert.deepEqual(readdirSync(box).sort(), ['escape-abs', 'escape-rel', 'inside-link', 'inside.txt', 'loop', 'sub']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('clocks, sleeping through poll_oneoff, random bytes and sched_yield, as on node:wasi', async () => {
  const args = [String(Math.floor(Date.now() / 1000))];
  const ours = runTswasm(program('clocks'), { args });
  assert.doesNotMatch(ours.stdout, /^FAIL/m);
  assert.equal(ours.code, 0, ours.stdout);
  assert.match(ours.stdout, /^0 failures$/m);
  // node:wasi, the reference, wakes early from timers: from a 20 ms sleep sometimes on Node 20 on a
  // loaded machine and in most runs on Node 26 (23 of 30 unloaded), and from a 5 ms absolute
  // deadline under load on Node 26 (a CI run). The checks that a timer did not fire early are taken
  // as passed in Node's run, which is then compared with ours line by line; any other failure of
  // Node's still shows, and ours must pass every check (above).
  const node = await runNode(program('clocks'), { args });
  let forgiven = 0;
  for (const check of ['it slept at least 20 ms', 'poll_oneoff: an absolute realtime deadline']) {
    const fail = `FAIL ${check} (errno 0: Success)\n`;
    if (!node.stdout.includes(fail)) continue;
    node.stdout = node.stdout.replace(fail, `ok   ${check}\n`);
    forgiven++;
  }
  const failures = /^(\d+) failures$/m.exec(node.stdout);
  if (forgiven > 0 && failures !== null && Number(failures[1]) === node.code) {
    node.code -= forgiven;
    node.stdout = node.stdout.replace(/^\d+ failures$/m, `${node.code} failures`);
  }
  assert.deepEqual(node, ours);
});

test('exit codes: returning from main, exit(), proc_exit(), and exit statuses past 255', async () => {
  const cases: [string[], number, string][] = [
    [['return', '3'], 3, 'mode return 3\natexit handler ran\n'],
    [['exit', '7'], 7, 'mode exit 7\natexit handler ran\n'],
    [['proc_exit', '3'], 3, 'mode proc_exit 3\ncalling proc_exit\n'],
    [['return', '0'], 0, 'mode return 0\natexit handler ran\n'],
    [['exit', '300'], 300, 'mode exit 300\natexit handler ran\n'],
  ];
  for (const [args, code, stdout] of cases) {
    const ours = runTswasm(program('exit'), { args });
    assert.deepEqual(ours, { code, stdout, stderr: '' }, args.join(' '));
    // The full u32 status comes back (a host process then keeps its low 8 bits), as from node:wasi.
    assert.deepEqual(await runNode(program('exit'), { args }), ours, `node: ${args.join(' ')}`);
  }
});

test('a trap is a Trap (not an exit): `unreachable` in C is __builtin_trap', () => {
  assert.throws(() => runTswasm(program('exit'), { args: ['trap'] }), (e: unknown) => {
    assert.ok(e instanceof Trap);
    assert.equal(e.code, TrapCode.UnreachableCodeReached);
    assert.ok(e.backtrace.length > 0);
    return true;
  });
});

test('stdin: a large input read to the end through fread, as on node:wasi', async () => {
  let text = '';
  for (let i = 0; text.length < 150_000; i++) text += `line ${i}: ${'abcdefghij'.repeat(i % 7)}\n`;
  const ours = runTswasm(program('stdin'), { stdin: text });
  assert.equal(ours.code, 0);
  const lines = text.split('\n').length - 1;
  assert.match(ours.stdout, new RegExp(`^bytes=${Buffer.byteLength(text)} lines=${lines} fnv=[0-9a-f]{8} first=\\[LINE 0: \\]\\n$`));
  assert.deepEqual(await runNode(program('stdin'), { stdin: text }), ours);
  // Empty input: end of file at once.
  assert.equal(runTswasm(program('stdin'), { stdin: '' }).stdout, 'bytes=0 lines=0 fnv=811c9dc5 first=[]\n');
});
