// Hosts without SharedArrayBuffer (browsers without cross-origin isolation; Node with
// --no-harmony-sharedarraybuffer here): everything but what needs another thread still works.
// Importing the WASI module used to throw at load time, so `tswasm run` failed on every program.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';
import { nodeMajor } from '../helpers/oracle.js';

const cli = join(projectRoot, 'bin', 'tswasm.mjs');
const node = (args: string[]) => spawnSync(process.execPath, ['--no-harmony-sharedarraybuffer', ...args], { encoding: 'utf8' });

// Node 22's V8 dropped the flag, and Node's own streams need SharedArrayBuffer there, so the
// global cannot be taken away either.
const noFlag = nodeMajor >= 22 ? `Node ${process.versions.node} cannot run without SharedArrayBuffer (its V8 has no --no-harmony-sharedarraybuffer)` : false;

test('without SharedArrayBuffer: the CLI, WASI (sleeping included), the API and the JS API', { skip: noFlag }, () => {
  assert.equal(node(['-e', 'process.stdout.write(typeof SharedArrayBuffer)']).stdout, 'undefined');
  const fib = node([cli, 'run', '--invoke', 'fib', join(projectRoot, 'examples', 'fib.wat'), '20']);
  assert.equal(fib.stdout, '6765\n', fib.stderr);
  // The clocks program sleeps through poll_oneoff (Atomics.wait needs shared memory: it spins).
  const clocks = node([cli, 'run', join(projectRoot, 'test', 'wasi', 'programs', 'clocks.wasm')]);
  assert.equal(clocks.status, 0, clocks.stdout + clocks.stderr);
  assert.match(clocks.stdout, /^0 failures$/m);
  const api = node(['--input-type=module', '-e', `
    const { Engine, Store, Module, Instance, Val } = await import(${JSON.stringify(join(projectRoot, 'dist', 'src', 'index.js'))});
    const { WebAssembly } = await import(${JSON.stringify(join(projectRoot, 'dist', 'src', 'jsapi', 'index.js'))});
    const wat = '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))';
    const engine = new Engine({ epochInterruption: true, consumeFuel: true });
    const store = new Store(engine);
    store.setFuel(100);
    store.setEpochDeadline(1);
    const sum = new Instance(store, new Module(engine, wat), []).getFunc(store, 'add').call(store, [Val.i32(2), Val.i32(3)])[0].value;
    const { parseWat } = await import(${JSON.stringify(join(projectRoot, 'dist', 'src', 'text', 'index.js'))});
    const { instance } = await WebAssembly.instantiate(parseWat(wat));
    process.stdout.write(sum + ' ' + instance.exports.add(4, 5));
  `]);
  assert.equal(api.stdout, '5 9', api.stderr);
  // Only a timeout needs another thread: refused with a reason, not a ReferenceError.
  const timeout = node([cli, 'run', '--timeout', '100ms', '--invoke', 'fib', join(projectRoot, 'examples', 'fib.wat'), '1']);
  assert.equal(timeout.status, 1);
  assert.match(timeout.stderr, /no SharedArrayBuffer, so no other thread can advance the epoch/);
});
