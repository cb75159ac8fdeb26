// `node --import tswasm/register`: a program that does not mention tswasm runs on its namespace,
// and so do the Workers it starts from files (Node runs --import in them too); TSWASM_REGISTER_OPTIONS
// gives the namespace options.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';

const built = existsSync(join(projectRoot, 'dist', 'bundle', 'register.js'));

// Node's own classes print as native code; tswasm's are JavaScript.
const WHICH = "Function.prototype.toString.call(WebAssembly.Module).includes('[native code]') ? 'native' : 'tswasm'";
// (module (memory (export "m") i64 1) (func (export "size") (result i64) memory.size)): memory64.
const MEMORY64 = '[0,97,115,109,1,0,0,0,1,5,1,96,0,1,126,3,2,1,0,5,3,1,4,1,7,12,2,1,109,2,0,4,115,105,122,101,0,0,10,6,1,4,0,63,0,11]';

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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
