// `tswasm run`: a WASI command in a child process with argv, --env, --dir, stdin and the exit code
// inherited; traps (exit 134 with a backtrace); --invoke, also on a WASI reactor; clear errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { Engine, Module } from '../../src/index.js';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';
import { program, runCli, runCliInProcess, tempDir } from './helpers.js';

const fibWat = join(projectRoot, 'examples', 'fib.wat');

const REACTOR = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "initialized\\n")
  (global $ready (mut i32) (i32.const 0))
  (func (export "_initialize")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 12))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (global.set $ready (i32.const 100)))
  (func (export "add") (param i32 i64) (result i64)
    (i64.add (i64.extend_i32_s (i32.add (local.get 0) (global.get $ready))) (local.get 1))))`;

test('child processes: argv and --env, --dir, stdin, exit code, trap, reactor with --invoke', async () => {
  const dir = tempDir();
  try {
    const reactor = join(dir, 'reactor.wat');
    writeFileSync(reactor, REACTOR);
    const [args, files, stdin, exit, trap, invoke] = await Promise.all([
      runCli(['--env', 'GREETING=hello', '--env', 'B=2', '--env', 'B=3', program('args_env'), 'x', '--env', 'not-an-option']),
      runCli([`--dir=${dir}::/data`, program('files'), '/data']),
      runCli([program('stdin')], { input: 'first line\nsecond\n' }),
      runCli([program('exit'), 'exit', '42']),
      runCli([program('exit'), 'trap']),
      runCli(['--invoke', 'add', reactor, '5', '-7']),
    ]);
    assert.equal(args.status, 0, args.stderr);
    assert.match(args.stdout, /^argv\[0\]=\[.*args_env\.wasm\]$/m);
    assert.match(args.stdout, /^argv\[1\]=\[x\]\nargv\[2\]=\[--env\]\nargv\[3\]=\[not-an-option\]$/m, 'options after FILE are the program\'s');
    // A repeated --env is kept twice, as Wasmtime keeps it (getenv finds the first).
    assert.match(args.stdout, /^envc=3\nenv\[0\]=\[B=2\]\nenv\[1\]=\[B=3\]\nenv\[2\]=\[GREETING=hello\]$/m);

    assert.equal(files.status, 0, files.stdout + files.stderr);
    assert.match(files.stdout, /^0 failures$/m);

    assert.equal(stdin.stdout, 'bytes=18 lines=2 fnv=85f5a061 first=[FIRST LINE]\n');

    assert.equal(exit.status, 42);
    assert.equal(exit.stdout, 'mode exit 42\natexit handler ran\n');

    assert.equal(trap.status, 134, 'a trap exits as wasmtime run does on Unix');
    assert.equal(trap.stdout, 'mode trap 0\n');
    assert.match(trap.stderr, /^error: wasm trap: UnreachableCodeReached: unreachable\nwasm backtrace:\n {3}0: /);

    assert.equal(invoke.status, 0, invoke.stderr);
    assert.equal(invoke.stdout, 'initialized\n98\n', '_initialize ran (and printed) before the call');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stdin: poll_oneoff times out while nothing is written to a pipe, then sees the input; a socket is ready at once', async () => {
  // A named pipe, so that the child's stdin is a real pipe (Node's own stdio pipes are sockets).
  const dir = tempDir();
  try {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // Opening read-write first keeps the read-only open from blocking (Linux).
    const writer = openSync(fifo, constants.O_RDWR);
    const reader = openSync(fifo, constants.O_RDONLY);
    const late = runCli([program('stdin'), 'poll', '100'], {
      stdinFd: reader,
      onStdout: (text) => {
        if (text !== 'poll: timeout\n') return;
        writeSync(writer, 'later\n');
        closeSync(writer);
      },
    });
    closeSync(reader);
    const early = runCli([program('stdin'), 'poll', '20000'], { input: 'now\n' });
    const [a, b] = await Promise.all([late, early]);
    assert.equal(a.stdout, 'poll: timeout\nbytes=6 lines=1 fnv=15723b99 first=[LATER]\n', a.stderr);
    // Node's stdio "pipes" are sockets, whose readiness cannot be probed: reported ready at once.
    assert.match(b.stdout, /^poll: stdin ready \(error 0\)\nbytes=4 lines=1 fnv=[0-9a-f]{8} first=\[NOW\]\n$/, b.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('as wasmtime run: what runs, argv, and everything after FILE is the program\'s (found by the stop 36 CLI audit)', async () => {
  const dir = tempDir();
  try {
    // A module with only a start function did its work and exits 0 (it was "not a WASI command", exit 1).
    const startOnly = join(dir, 'start-only.wat');
    writeFileSync(startOnly, '(module (func $s) (start $s))');
    assert.deepEqual(await runCliInProcess([startOnly]), { status: 0, stdout: '', stderr: '' });
    // _initialize runs before _start too; the export "" comes before _start.
    const order = join(dir, 'order.wat');
    writeFileSync(order, `(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1) (global $g (mut i32) (i32.const 0))
      (func (export "_initialize") (global.set $g (i32.const 40)))
      (func (export "_start") (call $exit (i32.add (global.get $g) (i32.const 2))))
      (func (export "") (call $exit (i32.add (global.get $g) (i32.const 1)))))`);
    assert.equal((await runCliInProcess([order])).status, 41);
    // After FILE, --invoke is the program's argument; argv[0] is FILE's name without directories.
    const argv = join(dir, 'argv.wat');
    writeFileSync(argv, `(module (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_get" (func $get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start") (drop (call $sizes (i32.const 0) (i32.const 4)))
        (drop (call $get (i32.const 100) (i32.const 200)))
        (i32.store (i32.const 8) (i32.const 200)) (i32.store (i32.const 12) (i32.load (i32.const 4)))
        (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))))`);
    const args = await runCli([argv, '--invoke', 'x']);
    assert.equal(args.stdout, 'argv.wat\0--invoke\0x\0');
    assert.equal((await runCli(['--argv0', 'tool', argv, 'a'])).stdout, 'tool\0a\0');
    // --invoke takes its parameters from the first ARGS; the rest are only argv.
    assert.deepEqual(await runCliInProcess(['--invoke', 'fib', fibWat, '20', 'extra']), { status: 0, stdout: '6765\n', stderr: '' });
    // wasmtime's option spellings: hex counts, microsecond durations; and `tswasm FILE` is `tswasm run FILE`.
    assert.deepEqual(await runCliInProcess(['-W', 'fuel=0x100000,max-memory-size=0x20000', '--timeout', '5000000us', '--invoke', 'fib', fibWat, '10']),
      { status: 0, stdout: '55\n', stderr: '' });
    const { main } = await import('../../src/cli/main.js');
    const saved = console.log;
    let out = '';
    console.log = (...a: unknown[]) => void (out += `${a.join(' ')}\n`);
    try {
      assert.equal(await main(['--invoke', 'fib', fibWat, '10']), 0);
      assert.equal(await main([startOnly]), 0);
    } finally {
      console.log = saved;
    }
    assert.equal(out, '55\n');
    // `-` reads the module from standard input.
    const piped = await runCli(['--invoke', 'fib', '-', '12'], { input: readFileSync(fibWat, 'utf8') });
    assert.deepEqual([piped.status, piped.stdout], [0, '144\n'], piped.stderr);
    const few = await runCliInProcess(['--invoke', 'fib', fibWat]);
    assert.equal(few.status, 2);
    assert.match(few.stderr, /not enough arguments for `fib`/);
    // A WASI call from a module without a memory is an error, as in Wasmtime (it was EFAULT, and the program went on).
    const noMemory = join(dir, 'no-memory.wat');
    writeFileSync(noMemory, '(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32))) (func (export "_start") (call $exit (i32.const 3))))');
    const missing = await runCliInProcess([noMemory]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /missing required memory export/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--invoke arguments: decimal or hex integers in the signed or unsigned range, floats, inf and nan; nothing else', async () => {
  const dir = tempDir();
  try {
    const wat = join(dir, 'args.wat');
    writeFileSync(wat, `(module
      (func (export "add") (param i32 i64) (result i64) (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1)))
      (func (export "f") (param f32) (result f32) (local.get 0)))`);
    const invoke = (name: string, ...args: string[]) => runCliInProcess(['--invoke', name, wat, ...args]);
    assert.deepEqual(await invoke('add', '0x10', '-0x1'), { status: 0, stdout: '15\n', stderr: '' });
    assert.equal((await invoke('add', '4294967295', '18446744073709551615')).stdout, '-2\n');
    assert.equal((await invoke('add', '-2147483648', '0')).stdout, '-2147483648\n');
    assert.equal((await invoke('f', '1.5')).stdout, '1.5\n');
    assert.equal((await invoke('f', '-inf')).stdout, '-inf\n');
    assert.equal((await invoke('f', 'nan')).stdout, 'NaN\n');
    // Rust's Display, as wasmtime prints floats: no exponent.
    assert.equal((await invoke('f', '1e21')).stdout, '1000000000000000000000\n');
    assert.equal((await invoke('f', '1.5e-7')).stdout, '0.00000015\n');
    // Rounded to f32 once, from the decimal (through a double it was 1).
    assert.equal((await invoke('f', '1.0000000596046447753906251')).stdout, '1.0000001\n');
    // An f32 result prints as the shortest decimal that is the same f32, as wasmtime prints it.
    assert.equal((await invoke('f', '0.1')).stdout, '0.1\n');
    assert.equal((await invoke('f', '3.14159265')).stdout, '3.1415927\n');
    assert.equal((await invoke('f', '16777217')).stdout, '16777216\n');
    assert.equal((await invoke('f', '-0')).stdout, '-0\n');
    // A text file saved with a byte order mark.
    const bom = join(dir, 'bom.wat');
    writeFileSync(bom, '\uFEFF(module (func (export "g") (result i32) (i32.const 42)))');
    assert.deepEqual(await runCliInProcess(['--invoke', 'g', bom]), { status: 0, stdout: '42\n', stderr: '' });
    for (const [name, args, message] of [
      ['add', ['4294967296', '0'], /argument 1 \("4294967296"\) is not within the i32 range/],
      ['add', ['1', '18446744073709551616'], /argument 2 \("18446744073709551616"\) is not within the i64 range/],
      ['add', ['abc', '2'], /argument 1 \("abc"\) is not an i32/],
      ['add', ['1.5', '2'], /argument 1 \("1.5"\) is not an i32/],
      ['f', ['0x1p3'], /argument 1 \("0x1p3"\) is not a number/],
      ['f', [''], /argument 1 \(""\) is not a number/],
    ] as const) {
      const r = await invoke(name, ...args);
      assert.equal(r.status, 2, `${name} ${args.join(' ')}`);
      assert.match(r.stderr, message);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--fuel and --timeout stop a program that runs too long, as wasmtime run does', async () => {
  const dir = tempDir();
  try {
    const wat = join(dir, 'spin.wat');
    writeFileSync(wat, `(module
      (func (export "spin") (loop $l (br $l)))
      (func (export "count") (param i32) (result i32) (local i32)
        (loop $l (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
        (local.get 1)))`);
    // A program asleep in poll_oneoff for 60 s (a relative clock subscription) is interrupted too,
    // as wasmtime run's timeout does; before, the timeout fired only once the sleep was over.
    const sleeper = join(dir, 'sleep.wat');
    writeFileSync(sleeper, `(module
      (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        (i64.store (i32.const 24) (i64.const 60000000000))
        (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))
        (loop $l (br $l))))`);
    const started = performance.now();
    const [timedOut, inTime, outOfFuel, enoughFuel, badDuration, asleep] = await Promise.all([
      runCli(['--timeout', '200ms', '--invoke', 'spin', wat]),
      runCli(['--timeout', '30s', '--invoke', 'count', wat, '1000']),
      runCli(['--fuel', '1000', '--invoke', 'count', wat, '1000']),
      runCli(['--fuel=1000', '--invoke', 'count', wat, '100']),
      runCli(['--timeout', 'soon', '--invoke', 'spin', wat]),
      runCli(['--timeout', '300ms', sleeper]),
    ]);
    assert.equal(asleep.status, 134, asleep.stderr);
    assert.match(asleep.stderr, /wasm trap: Interrupt/);
    assert.equal(timedOut.status, 134, timedOut.stderr);
    assert.match(timedOut.stderr, /wasm trap: Interrupt/);
    // The 30 s timer ended with the program, and the 60 s sleep was cut: the children exited long before.
    assert.ok(performance.now() - started < 20_000, 'a pending timeout does not keep the process alive, nor a sleep a timed-out program');
    assert.equal(inTime.status, 0, inTime.stderr);
    assert.equal(inTime.stdout, '1000\n');
    assert.equal(outOfFuel.status, 134);
    assert.match(outOfFuel.stderr, /wasm trap: OutOfFuel/);
    assert.equal(enoughFuel.stdout, '100\n');
    assert.equal(badDuration.status, 2);
    assert.match(badDuration.stderr, /--timeout needs a duration/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-D coredump=PATH writes a coredump when the program traps, as wasmtime run -D does', async () => {
  const dir = tempDir();
  try {
    const dump = join(dir, 'trap.coredump');
    const unused = join(dir, 'unused.coredump');
    const [trapped, exited, bad] = await Promise.all([
      runCli(['-D', `coredump=${dump}`, program('exit'), 'trap']),
      runCli([`-Dcoredump=${unused}`, program('exit'), 'exit', '3']),
      runCli(['-D', 'coredumps', program('exit'), 'trap']),
    ]);
    assert.equal(trapped.status, 134, trapped.stderr);
    assert.match(trapped.stderr, new RegExp(`core dumped at ${dump.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const bytes = new Uint8Array(readFileSync(dump));
    const engine = new Engine();
    const module = new Module(engine, bytes);
    // The C program's memory and its frames: _start's callees down to the trap.
    assert.equal(module.customSections('core').length, 1);
    assert.equal(new TextDecoder().decode(module.customSections('core')[0]!.subarray(2)), program('exit'));
    assert.ok(module.customSections('corestack')[0]!.length > 10);
    assert.equal(exited.status, 3);
    assert.equal(existsSync(unused), false, 'no coredump without a trap');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /the only debug option is coredump=PATH/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an exit status of 126 or more is an error, as in Wasmtime; a coredump or profile that cannot be written does not hide the outcome', async () => {
  const nowhere = join(projectRoot, 'no-such-dir', 'x');
  const [s125, s126, s256, trapped, profiled] = await Promise.all([
    runCli([program('exit'), 'proc_exit', '125']),
    runCli([program('exit'), 'proc_exit', '126']),
    runCli([program('exit'), 'proc_exit', '256']),
    runCli(['-D', `coredump=${nowhere}`, program('exit'), 'trap']),
    runCli([`--profile=guest,${nowhere}`, program('exit'), 'return', '42']),
  ]);
  assert.equal(s125.status, 125);
  for (const [r, code] of [[s126, 126], [s256, 256]] as const) {
    assert.equal(r.status, 1, `proc_exit(${code}): ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`exit with invalid exit status outside of \\[0\\.\\.126\\): ${code}`));
  }
  assert.equal(trapped.status, 134, trapped.stderr);
  assert.match(trapped.stderr, /could not write the coredump to .*no-such-dir/);
  assert.match(trapped.stderr, /error: wasm trap: UnreachableCodeReached/);
  assert.equal(profiled.status, 42, profiled.stderr);
  assert.match(profiled.stderr, /could not write the guest profile/);
});

test("-W limits, as wasmtime run's: memory and table growth past the limit fails (or traps), too large a start is refused", async () => {
  const dir = tempDir();
  try {
    const wat = join(dir, 'grow.wat');
    writeFileSync(wat, `(module
      (memory 1)
      (table 1 funcref)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "grow_table") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
      ;; grows until refused, then reports the page count
      (func (export "fill") (result i32)
        (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
        (memory.size)))`);
    const limit = '-W max-memory-size=196608'; // three pages
    const run = (...args: string[]) => runCliInProcess(args.flatMap((a) => a.split(' ')));
    const fits = await run(limit, '--invoke', 'grow', wat, '2');
    assert.equal(fits.stdout, '1\n', fits.stderr);
    const refused = await run(limit, '--invoke', 'grow', wat, '3');
    assert.equal(refused.stdout, '-1\n', refused.stderr);
    const filled = await run('-Wmax-memory-size=655360', '--invoke', 'fill', wat);
    assert.equal(filled.stdout, '10\n', filled.stderr);
    const trapped = await run(`${limit},trap-on-grow-failure`, '--invoke', 'grow', wat, '3');
    assert.equal(trapped.status, 134);
    assert.match(trapped.stderr, /wasm trap: HostError: forcing trap when growing memory to 262144 bytes/);
    const tableRefused = await run('--wasm', 'max-table-elements=4', '--invoke', 'grow_table', wat, '4');
    assert.equal(tableRefused.stdout, '-1\n', tableRefused.stderr);
    const tableFits = await run('--wasm=max-table-elements=4', '--invoke', 'grow_table', wat, '3');
    assert.equal(tableFits.stdout, '1\n', tableFits.stderr);
    const tooSmall = await run('-W max-memory-size=1000', '--invoke', 'grow', wat, '0');
    assert.equal(tooSmall.status, 1);
    assert.match(tooSmall.stderr, /memory minimum size of 1 pages exceeds memory limits/);
    const noMemories = await run('-W max-memories=0', '--invoke', 'grow', wat, '0');
    assert.equal(noMemories.status, 1);
    assert.match(noMemories.stderr, /memory count too high/);
    const fuel = await run('-W fuel=3', '--invoke', 'fill', wat);
    assert.match(fuel.stderr, /wasm trap: OutOfFuel/);

    const unknown = await run('-W max-stack=5', '--invoke', 'grow', wat, '0');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown -W option "max-stack" \(tswasm supports fuel, timeout, max-memory-size/);
    const notNumber = await run('-W max-memory-size=1MB', '--invoke', 'grow', wat, '0');
    assert.equal(notNumber.status, 2);
    assert.match(notNumber.stderr, /-W max-memory-size needs a non-negative integer, not "1MB"/);
    const badSwitch = await run('-W trap-on-grow-failure=maybe', '--invoke', 'grow', wat, '0');
    assert.equal(badSwitch.status, 2);
    assert.match(badSwitch.stderr, /-W trap-on-grow-failure takes y or n, not "maybe"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--preload links a reactor the program imports from; -W unknown-imports-trap defers a missing import to its call', async () => {
  const dir = tempDir();
  try {
    const lib = join(dir, 'lib.wat');
    writeFileSync(lib, `(module
      (global $base (mut i32) (i32.const 0))
      (func (export "_initialize") (global.set $base (i32.const 40)))
      (func (export "add_base") (param i32) (result i32) (i32.add (global.get $base) (local.get 0))))`);
    const main = join(dir, 'main.wat');
    writeFileSync(main, `(module
      (import "lib" "add_base" (func $add (param i32) (result i32)))
      (import "env" "missing" (func $missing))
      (func (export "f") (param i32) (result i32) (call $add (local.get 0)))
      (func (export "g") (call $missing)))`);
    const linked = await runCliInProcess(['--preload', `lib=${lib}`, '-W', 'unknown-imports-trap', '--invoke', 'f', main, '2']);
    assert.equal(linked.stdout, '42\n', linked.stderr);
    const called = await runCliInProcess(['--preload', `lib=${lib}`, '-W', 'unknown-imports-trap=y', '--invoke', 'g', main]);
    assert.equal(called.status, 134);
    assert.match(called.stderr, /wasm trap: HostError: unknown import: `env::missing` has not been defined/);
    const unlinked = await runCliInProcess(['--preload', `lib=${lib}`, '--invoke', 'f', main, '2']);
    assert.equal(unlinked.status, 1);
    assert.match(unlinked.stderr, /main\.wat: unknown import: `env::missing` has not been defined/);
    const missingLib = await runCliInProcess(['--preload', `lib=${join(dir, 'nope.wat')}`, '--invoke', 'f', main, '2']);
    assert.equal(missingLib.status, 1);
    assert.match(missingLib.stderr, /nope\.wat: no such file/);
    // WASI calls made by the preloaded module use its own memory, also through a function pointer.
    const wlib = join(dir, 'wlib.wat');
    writeFileSync(wlib, `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (type $w (func (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "from lib\\n")
      (table 1 funcref) (elem (i32.const 0) $fd_write)
      (func (export "say")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 9))
        (drop (call_indirect (type $w) (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 0)))))`);
    const wmain = join(dir, 'wmain.wat');
    writeFileSync(wmain, `(module (import "lib" "say" (func $say)) (memory (export "memory") 1)
      (data (i32.const 16) "from main\\n") (func (export "_start") (call $say)))`);
    const viaTable = await runCli(['--preload', `lib=${wlib}`, wmain]);
    assert.equal(viaTable.stdout, 'from lib\n', viaTable.stderr);
    const badSpec = await runCliInProcess(['--preload', lib, '--invoke', 'f', main, '2']);
    assert.equal(badSpec.status, 2);
    assert.match(badSpec.stderr, /--preload needs NAME=FILE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('clear errors: missing file, invalid module, unknown import, bad usage, missing --dir', async () => {
  const dir = tempDir();
  try {
    const missing = await runCliInProcess([join(dir, 'nope.wasm')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^tswasm run: .*nope\.wasm: no such file$/m);

    const bad = join(dir, 'bad.wasm');
    writeFileSync(bad, new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
    const invalid = await runCliInProcess([bad]);
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /bad\.wasm: invalid module: /);

    const env = join(dir, 'env.wat');
    writeFileSync(env, '(module (import "env" "get_answer" (func (result i32))) (func (export "_start")))');
    const unknown = await runCliInProcess([env]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown import "env" "get_answer" \(func\)/);

    // Without _start (nor "" nor --invoke) there is nothing to call: exit 0, as wasmtime run.
    assert.deepEqual(await runCliInProcess([fibWat]), { status: 0, stdout: '', stderr: '' });

    const usage = await runCliInProcess(['--frobnicate', program('exit')]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unknown option --frobnicate/);

    const noFile = await runCliInProcess(['--dir', dir]);
    assert.equal(noFile.status, 2);
    assert.match(noFile.stderr, /no module file given/);

    const noDir = await runCliInProcess(['--dir', join(dir, 'missing-dir'), program('exit'), 'return', '0']);
    assert.equal(noDir.status, 1);
    assert.match(noDir.stderr, /missing-dir" does not exist/);

    const noExport = await runCliInProcess(['--invoke', 'nope', fibWat]);
    assert.equal(noExport.status, 1);
    assert.match(noExport.stderr, /no func export named `nope` found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tswasm wast: a missing file is a usage error, not a crash', async () => {
  const { command } = await import('../../src/cli/wast.js');
  const saved = console.error;
  let stderr = '';
  console.error = (...a: unknown[]) => void (stderr += `${a.join(' ')}\n`);
  try {
    assert.equal(await command.run([join(projectRoot, 'no-such-folder', 'nope.wast')]), 2);
  } finally {
    console.error = saved;
  }
  assert.match(stderr, /^tswasm wast: .*nope\.wast: no such file or directory$/m);
});

test('module files: text must be UTF-8, and a .wasm file that is neither binary nor text says so, each with an offset', async () => {
  const { moduleBytes } = await import('../../src/cli/read-module.js');
  const { CompileError } = await import('../../src/core/errors.js');
  const encode = (s: string) => new TextEncoder().encode(s);
  assert.deepEqual([...moduleBytes(encode('(module)'), 'm.wat')], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const cases: [Uint8Array, string, RegExp, number][] = [
    // A lone continuation byte inside a string, and an overlong encoding of '/'.
    [new Uint8Array([...encode('(module (func (export "'), 0x80, ...encode('")))')]), 'm.wat', /^malformed UTF-8/, 23],
    [new Uint8Array([...encode('(module) ;; '), 0xc0, 0xaf]), 'm.wat', /^malformed UTF-8/, 12],
    [new Uint8Array([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0]), 'm.wasm', /^not a wasm binary \(it does not start with \\0asm\), and as text: /, 0],
    [new Uint8Array([0xff, 0xfe, 0, 0]), 'm.wasm', /^not a wasm binary .*malformed UTF-8/, 0],
  ];
  for (const [bytes, path, message, offset] of cases) {
    assert.throws(() => moduleBytes(bytes, path), (e: unknown) => e instanceof CompileError && message.test(e.message) && e.offset === offset, `${path}: ${[...bytes.subarray(0, 8)]}`);
  }
});

test('an uncaught wasm exception, a _start with parameters and a trap in wizer initialisation are reported with what happened', async () => {
  const dir = tempDir();
  const saved = console.error;
  let stderr = '';
  try {
    const thrower = join(dir, 'throw.wat');
    writeFileSync(thrower, '(module (tag $e (param i32 i64)) (func (export "_start") (throw $e (i32.const 7) (i64.const -1))))');
    const thrown = await runCliInProcess([thrower]);
    assert.equal(thrown.status, 1);
    assert.match(thrown.stderr, /throw\.wat: uncaught wasm exception \(payload: i32 7, i64 -1\)/);

    // A _start with parameters takes them from ARGS, as wasmtime run's command default does.
    const startWithParam = join(dir, 'start-param.wat');
    writeFileSync(startWithParam, '(module (func (export "_start") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))');
    const refused = await runCliInProcess([startWithParam]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /not enough arguments for command default/);
    assert.deepEqual(await runCliInProcess([startWithParam, '41']), { status: 0, stdout: '42\n', stderr: '' });

    const trapping = join(dir, 'init-trap.wat');
    // The start function traps, before the initialisation function runs.
    writeFileSync(trapping, '(module (func $boom unreachable) (start $boom) (func (export "wizer-initialize")))');
    const { command } = await import('../../src/cli/wizer.js');
    console.error = (...a: unknown[]) => void (stderr += `${a.join(' ')}\n`);
    const status = await command.run([trapping, '-o', join(dir, 'out.wasm')]);
    assert.equal(status, 1);
    assert.match(stderr, /init-trap\.wat: the start function trapped: UnreachableCodeReached: unreachable\nwasm backtrace:\n +0: 0x[0-9a-f]+ - boom/);
  } finally {
    console.error = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tswasm validate: an unknown option is a usage error, an unreadable file says so once, and a proposal-only module hints at --all-features', async () => {
  const { command } = await import('../../src/cli/validate.js');
  const dir = tempDir();
  const saved = { log: console.log, error: console.error };
  let out = '';
  const capture = async (args: string[]) => {
    out = '';
    console.log = console.error = (...a: unknown[]) => void (out += `${a.join(' ')}\n`);
    try {
      return await command.run(args);
    } finally {
      Object.assign(console, saved);
    }
  };
  try {
    const shared = join(dir, 'shared.wat');
    writeFileSync(shared, '(module (memory 1 2 shared))');
    assert.equal(await capture(['--bogus', shared]), 2);
    assert.match(out, /unknown option --bogus/);
    assert.equal(await capture(['--help']), 0);
    assert.equal(await capture([join(dir, 'missing.wasm')]), 1);
    assert.equal(out, `${join(dir, 'missing.wasm')}: no such file\n`);
    assert.equal(await capture([shared]), 1);
    assert.match(out, /malformed limits flags .*\(valid with --all-features: it uses a proposal\)/);
    assert.equal(await capture(['--all-features', shared]), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors: empty --dir or --env parts, --js with --js-api, wast --root without a directory; print and wast --help exit 0', async () => {
  const { command: compile } = await import('../../src/cli/compile.js');
  const { command: wast } = await import('../../src/cli/wast.js');
  const { command: print } = await import('../../src/cli/print.js');
  for (const args of [['--dir', '::guest', fibWat], ['--dir=', fibWat], ['--env', '=x', fibWat]]) {
    const r = await runCliInProcess(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /--(dir|env) "[^"]*": needs/, args.join(' '));
  }
  const saved = { log: console.log, error: console.error };
  console.log = console.error = () => {};
  try {
    assert.equal(await compile.run(['--js', '--js-api', fibWat]), 2);
    assert.equal(await wast.run(['--root']), 2);
    assert.equal(await wast.run(['--help']), 0);
    assert.equal(await print.run(['--help']), 0);
  } finally {
    Object.assign(console, saved);
  }
  // As Wasmtime's parser: the error over the synopsis and a pointer to --help, whose whole text
  // goes to stdout; print names what is wrong too (it printed only its usage line).
  const usage = await runCliInProcess(['--bogus', fibWat]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^tswasm run: unknown option --bogus\n\nusage: tswasm run .*\n(.*\n)*?\nFor more information, try 'tswasm run --help'\.\n$/);
  assert.doesNotMatch(usage.stderr, /--timeout T {2,}/);
  const help = await runCliInProcess(['--help']);
  assert.equal(help.status, 0);
  assert.equal(help.stderr, '');
  assert.match(help.stdout, /--timeout T {2,}interrupt the program/);
  let stderr = '';
  console.log = () => {};
  console.error = (...a: unknown[]) => void (stderr += `${a.join(' ')}\n`);
  try {
    for (const [args, message] of [[['--zzz', fibWat], 'unknown option --zzz'], [[], 'no FILE given'], [[fibWat, fibWat], 'one FILE at a time, not 2']] as const) {
      stderr = '';
      assert.equal(await print.run([...args]), 2, args.join(' '));
      assert.match(stderr, new RegExp(`^tswasm print: ${message}\n`), args.join(' '));
    }
  } finally {
    Object.assign(console, saved);
  }
});

test('run --allow-precompiled on compile --js-api output says to compile with --js', async () => {
  const { command: compile } = await import('../../src/cli/compile.js');
  const dir = tempDir();
  const saved = { log: console.log, error: console.error };
  try {
    const out = join(dir, 'fib.wasm.mjs');
    console.log = console.error = () => {};
    try {
      assert.equal(await compile.run(['--js-api', '-o', out, fibWat]), 0);
    } finally {
      Object.assign(console, saved);
    }
    const r = await runCli(['--allow-precompiled', '--invoke', 'fib', out, '10']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /compiled with --js-api, for the WebAssembly namespace; compile with --js to run it here/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-S as wasmtime run takes it: inherit-env passes the host environment after --env, other WASI interfaces are refused by name', async () => {
  const hostVars = Object.entries(process.env).filter(([k, v]) => v !== undefined && k !== 'PATH');
  const [inherited, off] = await Promise.all([
    runCli(['-S', 'inherit-env', '--env', 'PATH=mine', program('args_env')]),
    runCli(['-Sinherit-env=n,preview2=n,cli,common=y', program('args_env')]),
  ]);
  // One at a time: runCliInProcess captures the console while a command runs.
  const threads = await runCliInProcess(['-S', 'threads', fibWat]);
  const cli = await runCliInProcess(['-S', 'cli=n', fibWat]);
  const unknown = await runCliInProcess(['--wasi', 'bogus', fibWat]);
  assert.equal(inherited.status, 0, inherited.stderr);
  assert.match(inherited.stdout, new RegExp(`^envc=${hostVars.length + 1}$`, 'm'));
  // (The program prints the environment sorted.)
  assert.match(inherited.stdout, /^env\[\d+\]=\[PATH=mine\]$/m, "--env's value wins");
  assert.equal(inherited.stdout.match(/=\[PATH=/g)?.length, 1, 'the host PATH is not passed beside --env PATH');
  const [name, value] = hostVars[0]!;
  assert.ok(inherited.stdout.includes(`=[${name}=${value}]\n`), `the host's ${name}`);
  assert.equal(off.status, 0, off.stderr);
  assert.match(off.stdout, /^envc=0$/m);
  assert.equal(threads.status, 2);
  assert.match(threads.stderr, /-S threads is not supported: tswasm implements WASI preview1 for core modules, without wasi-threads/);
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /-S cli=n is not supported: tswasm run always provides WASI preview1/);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown -S option "bogus" \(tswasm supports inherit-env, /);
});

test('-W feature switches and unknown-imports-default, and the -O and -C options wasmtime command lines carry', async () => {
  const dir = tempDir();
  try {
    const simd = join(dir, 'simd.wat');
    writeFileSync(simd, '(module (func (export "f") (result i32) (i32x4.extract_lane 1 (v128.const i32x4 7 8 0 0))))');
    const deep = join(dir, 'deep.wat');
    writeFileSync(deep, `(module (func $down (export "down") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))`);
    const imports = join(dir, 'imports.wat');
    writeFileSync(imports, `(module (import "env" "missing" (func $m (param i32) (result i64)))
      (func (export "f") (result i64) (i64.add (call $m (i32.const 5)) (i64.const 3))))`);
    // One at a time: runCliInProcess captures the console while a command runs.
    const on = await runCliInProcess(['--invoke', 'f', simd]);
    const off = await runCliInProcess(['-W', 'simd=n', '--invoke', 'f', simd]);
    const offThenOn = await runCliInProcess(['-W', 'all-proposals=n,simd', '--invoke', 'f', simd]);
    const onThenOff = await runCliInProcess(['-Wsimd,all-proposals=n', '--invoke', 'f', simd]);
    const stack = await runCliInProcess(['-W', 'max-wasm-stack=4096', '--invoke', 'down', deep, '5000']);
    const noLimit = await runCliInProcess(['--invoke', 'down', deep, '5000']);
    const defaults = await runCliInProcess(['-W', 'unknown-imports-default', '--invoke', 'f', imports]);
    const noDefaults = await runCliInProcess(['--invoke', 'f', imports]);
    const tuning = await runCliInProcess(['-O', 'opt-level=s', '-C', 'cache=n,parallel-compilation', '-Ccache-config=none.toml', '--optimize', 'opt-level=0', '--invoke', 'fib', fibWat, '20']);
    const badLevel = await runCliInProcess(['-O', 'opt-level=3', fibWat]);
    const badCodegen = await runCliInProcess(['-C', 'compiler=winch', fibWat]);
    assert.equal(on.stdout, '8\n', on.stderr);
    assert.equal(off.status, 1);
    assert.match(off.stderr, /simd\.wat: invalid module: illegal opcode fd 0c \(at offset 0x/);
    // A feature's own switch wins over all-proposals, whatever their order (Wasmtime's `simd.or(all)`).
    assert.equal(offThenOn.stdout, '8\n', offThenOn.stderr);
    assert.equal(onThenOff.stdout, '8\n', onThenOff.stderr);
    // Wasmtime's max-wasm-stack counts bytes, Config.maxWasmStack calls: not taken.
    assert.equal(stack.status, 2);
    assert.match(stack.stderr, /unknown -W option "max-wasm-stack"/);
    assert.equal(noLimit.stdout, '5000\n', noLimit.stderr);
    assert.equal(defaults.stdout, '3\n', defaults.stderr);
    assert.equal(noDefaults.status, 1);
    assert.match(noDefaults.stderr, /unknown import "env" "missing" \(func\): not provided by WASI/);
    assert.equal(tuning.stdout, '6765\n', tuning.stderr);
    assert.equal(badLevel.status, 2);
    assert.match(badLevel.stderr, /-O opt-level takes 0, 1, 2 or s/);
    assert.equal(badCodegen.status, 2);
    assert.match(badCodegen.stderr, /unknown -C option "compiler" \(tswasm supports cache, /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
