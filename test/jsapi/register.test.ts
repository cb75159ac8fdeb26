// `node --import tswasm/register`: a program that does not mention tswasm runs on its namespace,
// and so do the Workers it starts from files (Node runs --import in them too); TSWASM_REGISTER_OPTIONS
// gives the namespace options.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../helpers/paths.js';
import { needsKnownOracle } from '../helpers/oracle.js';
import { LIFTS_LIMIT } from '../../src/node/tuning.js';

const built = existsSync(join(projectRoot, 'dist', 'bundle', 'register.js'));

// Node's own classes print as native code; tswasm's are JavaScript.
const WHICH = "Function.prototype.toString.call(WebAssembly.Module).includes('[native code]') ? 'native' : 'tswasm'";
// (module (memory (export "m") i64 1) (func (export "size") (result i64) memory.size)): memory64.
// (module (import "env" "memory" (memory 1 10 shared)) (func (export "add") (param i32 i32)
//   (drop (i32.atomic.rmw.add (local.get 0) (local.get 1)))))
const ADD = '[0,97,115,109,1,0,0,0,1,6,1,96,2,127,127,0,2,16,1,3,101,110,118,6,109,101,109,111,114,121,2,3,1,10,3,2,1,0,7,7,1,3,97,100,100,0,0,10,13,1,11,0,32,0,32,1,254,30,2,0,26,11]';
const MEMORY64 = '[0,97,115,109,1,0,0,0,1,5,1,96,0,1,126,3,2,1,0,5,3,1,4,1,7,12,2,1,109,2,0,4,115,105,122,101,0,0,10,6,1,4,0,63,0,11]';

/** Runs `main` on tswasm/register and on Node's own WebAssembly: both print `expected`. */
function printsOnRegisterAndNatively(main: string, expected: string): void {
  const run = spawnSync(process.execPath, ['--import', 'tswasm/register', main], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, expected);
  const native = spawnSync(process.execPath, [main], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  assert.equal(native.stdout, run.stdout, 'Node\'s own WebAssembly does the same');
}

test('node --import tswasm/register runs an unchanged program, and its file Workers, on tswasm', built ? {} : { skip: 'needs the built package: npm run build' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tswasm-register-'));
  try {
    writeFileSync(join(dir, 'worker.cjs'), `require('node:worker_threads').parentPort.postMessage(${WHICH});`);
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `
      import { Worker } from 'node:worker_threads';
      const { instance } = await WebAssembly.instantiate(new Uint8Array(${MEMORY64}));
      const worker = new Worker(${JSON.stringify(join(dir, 'worker.cjs'))});
      const inWorker = await new Promise((resolve) => worker.on('message', resolve));
      await worker.terminate();
      console.log(${WHICH}, instance.exports.size(), instance.exports.m.buffer.byteLength, inWorker);`);
    const run = (args: string[], env: Record<string, string> = {}, script = main) =>
      spawnSync(process.execPath, [...args, script], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
    const registered = run(['--import', 'tswasm/register']);
    assert.equal(registered.status, 0, registered.stderr);
    assert.equal(registered.stdout, 'tswasm 1n 65536 tswasm\n');
    const plain = run([]);
    assert.match(plain.stdout + plain.stderr, /^native|CompileError/, 'without it, the program sees Node\'s own namespace');

    // TSWASM_REGISTER_OPTIONS: the namespace's options as JSON (here the mode that does not detach).
    const grow = join(dir, 'grow.mjs');
    writeFileSync(grow, `const m = new WebAssembly.Memory({ initial: 1 }); const old = m.buffer; m.grow(1); console.log(old.byteLength, m.buffer.byteLength);`);
    assert.equal(run(['--import', 'tswasm/register'], {}, grow).stdout, '0 131072\n', 'the spec\'s mode: the old buffer is detached');
    assert.equal(run(['--import', 'tswasm/register'], { TSWASM_REGISTER_OPTIONS: '{"detachOnGrow":false}' }, grow).stdout, '65536 131072\n');
    const typo = run(['--import', 'tswasm/register'], { TSWASM_REGISTER_OPTIONS: '{"detach":false}' }, grow);
    assert.notEqual(typo.status, 0);
    assert.match(typo.stderr, /unknown option "detach"/);
    const notJson = run(['--import', 'tswasm/register'], { TSWASM_REGISTER_OPTIONS: '{detachOnGrow:false}' }, grow);
    assert.match(notJson.stderr, /TSWASM_REGISTER_OPTIONS must be createWebAssembly's options as JSON/);

    // tuneV8 lifts V8's limit on optimised functions, and then large switch loops are no longer split by default.
    const tuned = join(dir, 'tuned.mjs');
    writeFileSync(tuned, `const { Engine } = await import(${JSON.stringify(pathToFileURL(join(projectRoot, 'dist', 'bundle', 'index.js')).href)}); console.log(new Engine().config.splitLargeSwitches);`);
    assert.equal(run(['--import', 'tswasm/register'], {}, tuned).stdout, `${!LIFTS_LIMIT}\n`, 'register runs tuneV8 (which leaves V8 10 alone)');
    assert.equal(run(['--import', 'tswasm/register'], { TSWASM_TUNE: '0' }, tuned).stdout, 'true\n', 'TSWASM_TUNE=0 leaves V8 alone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shared Memory and a Module posted to a Worker arrive as its own objects (as emscripten\'s pthreads glue posts them)', built ? {} : { skip: 'needs the built package: npm run build' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tswasm-register-'));
  try {
    writeFileSync(join(dir, 'worker.mjs'), `
      import { parentPort } from 'node:worker_threads';
      parentPort.once('message', ({ memory, module, nested }) => {
        const checks = [memory instanceof WebAssembly.Memory, module instanceof WebAssembly.Module, nested[0].m === memory,
          memory.buffer instanceof SharedArrayBuffer, WebAssembly.Module.imports(module)[0].kind];
        const { add } = new WebAssembly.Instance(module, { env: { memory } }).exports;
        for (let i = 0; i < 1000; i++) add(0, 1);
        parentPort.postMessage({ checks, back: module });
      });`);
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `
      import { Worker } from 'node:worker_threads';
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 10, shared: true });
      const module = new WebAssembly.Module(new Uint8Array(${ADD}));
      const { add } = new WebAssembly.Instance(module, { env: { memory } }).exports;
      const worker = new Worker(${JSON.stringify(join(dir, 'worker.mjs'))});
      worker.postMessage({ cmd: 'load', memory, module, nested: [{ m: memory }] });
      for (let i = 0; i < 1000; i++) add(0, 2);
      const { checks, back } = await new Promise((resolve) => worker.on('message', resolve));
      await worker.terminate();
      console.log(JSON.stringify(checks), new Int32Array(memory.buffer)[0], back instanceof WebAssembly.Module);`);
    printsOnRegisterAndNatively(main, '[true,true,true,true,"memory"] 3000 true\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Worker\'s workerData and receiveMessageOnPort carry a shared Memory and a Module too', built ? {} : { skip: 'needs the built package: npm run build' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tswasm-register-'));
  try {
    writeFileSync(join(dir, 'worker.mjs'), `
      import { workerData } from 'node:worker_threads';
      const { memory, module, port, plain } = workerData;
      const checks = [memory instanceof WebAssembly.Memory, module instanceof WebAssembly.Module,
        memory.buffer instanceof SharedArrayBuffer, plain];
      const { add } = new WebAssembly.Instance(module, { env: { memory } }).exports;
      for (let i = 0; i < 1000; i++) add(0, 1);
      port.postMessage({ checks, memory, module });
      port.close();`);
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `
      import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 10, shared: true });
      const module = new WebAssembly.Module(new Uint8Array(${ADD}));
      const { port1, port2 } = new MessageChannel();
      // A program's own subclass of Worker constructs through register's.
      class Pool extends Worker {}
      const worker = new Pool(${JSON.stringify(join(dir, 'worker.mjs'))}, { workerData: { memory, module, port: port2, plain: 'x' }, transferList: [port2] });
      await new Promise((resolve) => worker.once('exit', resolve));
      const { message } = receiveMessageOnPort(port1);
      const { add } = new WebAssembly.Instance(message.module, { env: { memory: message.memory } }).exports;
      add(0, 5);
      console.log(JSON.stringify(message.checks), message.memory instanceof WebAssembly.Memory, new Int32Array(memory.buffer)[0],
        worker instanceof Worker, Worker.name, receiveMessageOnPort(port1));`);
    printsOnRegisterAndNatively(main, '[true,true,true,"x"] true 1005 true Worker undefined\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('postable and postedMessageReader carry Memory and Module objects through structured clone without tswasm/register', async () => {
  const { createWebAssembly, postable, postedMessageReader } = await import('../../src/jsapi/index.js');
  const sender = createWebAssembly();
  const receiver = createWebAssembly();
  const memory = new sender.Memory({ initial: 1, maximum: 2, shared: true });
  const module = new sender.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 0, 8, 4, 110, 97, 109, 101, 1, 2, 3]));
  const plain = { n: 1, list: [memory] };
  const message = { module, plain, deep: { a: { b: { memory } } } };
  const sent = postable(message) as Record<string, any>;
  assert.equal(plain.list[0], memory, 'the message itself is not changed');
  assert.equal(postable(plain.n), 1);
  const read = postedMessageReader(receiver);
  const received = read(structuredClone(sent)) as Record<string, any>;
  assert.ok(received.module instanceof receiver.Module);
  assert.deepEqual(receiver.Module.customSections(received.module, 'name').map((b: ArrayBuffer) => [...new Uint8Array(b)]), [[1, 2, 3]]);
  assert.ok(received.plain.list[0] instanceof receiver.Memory);
  assert.equal(received.deep.a.b.memory, received.plain.list[0], 'one memory is one object on the receiving side');
  new Int32Array(received.plain.list[0].buffer)[0] = 42;
  assert.equal(new Int32Array(memory.buffer)[0], 42, 'the same bytes');
  received.plain.list[0].grow(1);
  assert.equal(memory.buffer.byteLength, 2 * 65536, 'growth on one side is seen on the other');
  const unshared = new sender.Memory({ initial: 1 });
  assert.equal((postable({ unshared }) as { unshared: unknown }).unshared, unshared, 'an unshared memory is not described (native cannot post one either)');
  const big = { data: new Array(1_000_000).fill(0), memory };
  const bigSent = postable(big) as Record<string, unknown>;
  assert.equal(bigSent.data, big.data, 'a large array is passed over, not copied or walked');
  assert.notEqual(bigSent.memory, memory, 'the memory beside it is still described');
  const tooDeep = { a: { b: { c: { d: { memory } } } } };
  assert.equal(postable(tooDeep), tooDeep, 'five levels down is past where descriptions are looked for');
  assert.throws(() => postedMessageReader({}), TypeError);
});

test('under tswasm/register, node:wasi\'s WASI is tswasm\'s, which serves tswasm\'s instances, without Node\'s experimental warning', { skip: built ? needsKnownOracle('node:wasi (Node 18\'s lacks getImportObject)') : 'needs the built package: npm run build' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tswasm-register-'));
  try {
    // A WASI command writing "wasi ok\n" with fd_write.
    const HELLO = '[0,97,115,109,1,0,0,0,1,12,2,96,4,127,127,127,127,1,127,96,0,0,2,35,1,22,119,97,115,105,95,115,110,97,112,115,104,111,116,95,112,114,101,118,105,101,119,49,8,102,100,95,119,114,105,116,101,0,0,3,2,1,1,5,3,1,0,1,7,19,2,6,109,101,109,111,114,121,2,0,6,95,115,116,97,114,116,0,1,10,29,1,27,0,65,0,65,16,54,2,0,65,4,65,8,54,2,0,65,1,65,0,65,1,65,8,16,0,26,11,11,14,1,0,65,16,11,8,119,97,115,105,32,111,107,10,0,11,4,110,97,109,101,1,4,1,0,1,119]';
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `
      import { WASI } from 'node:wasi';
      import { createRequire } from 'node:module';
      const wasi = new WASI({ version: 'preview1', returnOnExit: true });
      const { instance } = await WebAssembly.instantiate(new Uint8Array(${HELLO}), wasi.getImportObject());
      const code = wasi.start(instance);
      console.log('exit', code, createRequire(import.meta.url)('node:wasi').WASI === WASI);`);
    const run = spawnSync(process.execPath, ['--import', 'tswasm/register', main], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'wasi ok\nexit 0 true\n');
    assert.doesNotMatch(run.stderr, /ExperimentalWarning/);
    const native = spawnSync(process.execPath, [main], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(native.stdout, run.stdout, 'node:wasi with Node\'s own WebAssembly prints the same');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
