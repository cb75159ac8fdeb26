// tswasm/wasi's WASI, node:wasi's interface for instances of any WebAssembly namespace: the C test
// programs give node:wasi's results on tswasm's namespace and on V8's own, and it refuses what
// node:wasi refuses (a second start, a command passed to initialize, an instance without memory).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { WASI, type NodeWasiOptions } from '../../src/wasi/index.js';
import { program, runNode, type RunResult } from './helpers.js';

interface Namespace {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

const namespaces: [string, Namespace][] = [
  ['tswasm', createWebAssembly() as unknown as Namespace],
  ['native', (globalThis as unknown as { WebAssembly: Namespace }).WebAssembly],
];

async function run(W: Namespace, file: string, options: NodeWasiOptions = {}): Promise<RunResult> {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const wasi = new WASI({
    version: 'preview1',
    ...options,
    args: [file.split('/').pop()!, ...(options.args ?? [])],
    stdout: { write: (b) => out.push(b) },
    stderr: { write: (b) => err.push(b) },
  });
  const { instance } = await W.instantiate(new Uint8Array(readFileSync(file)), wasi.getImportObject());
  const code = wasi.start(instance);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

test("node:wasi's shape on either namespace: args, environment and exit codes as node:wasi gives them", async () => {
  const cases: [string, { args?: string[]; env?: Record<string, string> }][] = [
    ['args_env', { args: ['one', '', 'héllo ✓'], env: { GREETING: 'hi there', EMPTY: '' } }],
    ['exit', { args: ['return', '3'] }],
    ['exit', { args: ['proc_exit', '300'] }],
    ['exit', { args: ['exit', '0'] }],
  ];
  for (const [name, options] of cases) {
    const expected = await runNode(program(name), options);
    for (const [label, W] of namespaces) {
      assert.deepEqual(await run(W, program(name), options), expected, `${label}: ${name} ${options.args?.join(' ')}`);
    }
  }
});

test('a large stdin reaches the program through wasiImport, as through node:wasi', async () => {
  const text = 'first line\nsecond line\n'.repeat(2000);
  const expected = await runNode(program('stdin'), { stdin: text });
  for (const [label, W] of namespaces) {
    assert.deepEqual(await run(W, program('stdin'), { stdin: text }), expected, label);
  }
});

test('getImportObject names the module of the version; wasiImport holds every preview1 function', () => {
  const wasi = new WASI({ version: 'preview1' });
  assert.deepEqual(Object.keys(wasi.getImportObject()), ['wasi_snapshot_preview1']);
  assert.equal(wasi.getImportObject()['wasi_snapshot_preview1'], wasi.wasiImport);
  for (const name of ['fd_write', 'proc_exit', 'path_open', 'clock_time_get', 'random_get']) assert.equal(typeof wasi.wasiImport[name], 'function', name);
  assert.deepEqual(Object.keys(new WASI({ version: 'unstable' }).getImportObject()), ['wasi_unstable']);
  assert.throws(() => new WASI({ version: 'preview2' as 'preview1' }), TypeError);
  assert.throws(() => new WASI({ version: 'preview1', nonsense: 1 } as NodeWasiOptions), TypeError);
});

test('refused as node:wasi refuses: a second start, a command to initialize, no memory, no _start', async () => {
  const W = namespaces[0]![1];
  const bytes = new Uint8Array(readFileSync(program('exit')));
  const wasi = new WASI({ version: 'preview1', args: ['exit.wasm', 'return', '5'], stdout: { write() {} } });
  const { instance } = await W.instantiate(bytes, wasi.getImportObject());
  assert.throws(() => new WASI({ version: 'preview1' }).initialize(instance), /must not export _start/);
  assert.equal(wasi.start(instance), 5);
  assert.throws(() => wasi.start(instance), /already started/);
  assert.throws(() => new WASI({ version: 'preview1' }).start({ exports: {} }), /memory must be a WebAssembly.Memory/);
  assert.throws(() => new WASI({ version: 'preview1' }).start({ exports: { memory: { buffer: new ArrayBuffer(8) } } }), /_start must be a function/);
  assert.throws(() => new WASI({ version: 'preview1' }).start(null), TypeError);
});

test('a reactor: initialize calls _initialize, and its exports then use WASI with the bound memory', async () => {
  // (module (import fd_write) (memory (export "memory") 1) (data "hi\n") _initialize sets a flag; "say" writes "hi\n")
  const W = namespaces[0]![1];
  const { parseWat } = await import('../../src/text/index.js');
  const bytes = parseWat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "hi\\n")
    (global $ready (mut i32) (i32.const 0))
    (func (export "_initialize") (global.set $ready (i32.const 1)))
    (func (export "say") (result i32)
      (if (i32.eqz (global.get $ready)) (then (return (i32.const -1))))
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 3))
      (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))`);
  for (const [label, ns] of [['tswasm', W], namespaces[1]!] as const) {
    const out: Uint8Array[] = [];
    const wasi = new WASI({ version: 'preview1', stdout: { write: (b) => out.push(b) } });
    const { instance } = await ns.instantiate(bytes, wasi.getImportObject());
    wasi.initialize(instance);
    assert.equal((instance.exports['say'] as () => number)(), 0, label);
    assert.equal(Buffer.concat(out).toString(), 'hi\n', label);
  }
});
