// Modules precompiled to ES modules (Module.serializeJs / deserializeJs) and `tswasm compile`: round
// trips through a real file import, refusal of artifacts for another configuration or version or
// with edited bytes, and the CLI's .cwasm and --js outputs run with --allow-precompiled (and only
// with it), also where code generation from strings is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeserializeError, Engine, Instance, Module, Store, Trap, Val } from '../../src/index.js';
import { projectRoot } from '../helpers/paths.js';
import { tempDir } from '../wasi/helpers.js';
import { boxesNaNs } from '../../src/core/nan-boxing.js';

const WAT = `(module $pre
  (type $p (struct (field i64) (field f32)))
  (table 2 funcref)
  (elem (i32.const 0) $fac $boom)
  (memory (export "m") 1)
  (data (i32.const 0) "precompiled")
  (func $fac (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func $boom (param i64) (result i64) (unreachable))
  (func (export "pick") (param i32 i64) (result i64)
    (return_call_indirect (param i64) (result i64) (local.get 1) (local.get 0)))
  (func (export "pair") (param i64 f32) (result f32)
    (struct.get $p 1 (struct.new $p (local.get 0) (local.get 1)))))`;

function behaviour(engine: Engine, module: Module) {
  const store = new Store(engine);
  const instance = new Instance(store, module, []);
  const pick = instance.getFunc(store, 'pick')!;
  let trap: Trap | null = null;
  try {
    pick.call(store, [Val.i32(1), Val.i64(0n)]);
  } catch (e) {
    trap = e as Trap;
  }
  return {
    fac: pick.call(store, [Val.i32(0), Val.i64(20n)])[0]!.value,
    pair: instance.getFunc(store, 'pair')!.call(store, [Val.i64(1n), Val.f32(0.1)])[0]!.value,
    trap: trap?.message,
    frames: trap?.backtrace.map((f) => `${f.moduleName}!${f.funcName ?? f.funcIndex}@${f.moduleOffset}`),
    text: new TextDecoder().decode(instance.getMemory(store, 'm')!.read(store, 0, 11)),
  };
}

async function importArtifact(dir: string, name: string, text: string): Promise<unknown> {
  const path = join(dir, name);
  writeFileSync(path, text);
  return import(pathToFileURL(path).href);
}

test('a module precompiled to an ES module behaves as the module it came from', async () => {
  const dir = tempDir('tswasm-pre-');
  try {
    const engine = new Engine();
    const original = new Module(engine, WAT);
    const namespace = await importArtifact(dir, 'pre.wasm.mjs', original.serializeJs());
    const expected = behaviour(engine, original);
    assert.equal(expected.fac, 2432902008176640000n);
    // The export tail-called boom: Wasmtime shows no frame for it. boom's `unreachable` is at 0x6e.
    assert.deepEqual(expected.frames, ['pre!boom@110']);
    // The namespace, or its default export, in the same engine or another with the same
    // configuration; the backtrace's offsets (and so its tail callers) are read from the module's text.
    assert.deepEqual(behaviour(engine, Module.deserializeJs(engine, namespace as never)), expected);
    const other = new Engine({ compilation: 'lazy' });
    assert.deepEqual(behaviour(other, Module.deserializeJs(other, (namespace as { default: never }).default)), expected);
    assert.throws(() => Module.deserializeJs(engine, namespace as never).serializeJs(), /has no source to serialize/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('precompiled ES modules for another configuration or version, or with edited bytes, are refused', async () => {
  const dir = tempDir('tswasm-pre-');
  try {
    const text = new Module(new Engine(), WAT).serializeJs();
    const ns = (await importArtifact(dir, 'a.mjs', text)) as { default: Record<string, unknown> };
    const refused = (engine: Engine, value: unknown, pattern: RegExp) => assert.throws(() => Module.deserializeJs(engine, value as never), (e: unknown) => e instanceof DeserializeError && pattern.test(e.message));
    refused(new Engine({ consumeFuel: true }), ns, /consumeFuel is false there, true here/);
    refused(new Engine({ nanCanonicalization: true }), ns, /nanCanonicalization is false there, true here/);
    refused(new Engine({ features: { gc: false } }), ns, /features differ \(only there: gc; only here: none\)/);
    const edited = await importArtifact(dir, 'b.mjs', text.replace(/^  version: "[^"]*",$/m, '  version: "0.0.0-other",'));
    refused(new Engine(), edited, /made by tswasm 0\.0\.0-other/);
    const otherBytes = new Module(new Engine(), '(module $other)').serializeJs();
    const wasmLine = /^  wasm: .*$/m.exec(otherBytes)![0];
    refused(new Engine(), await importArtifact(dir, 'c.mjs', text.replace(/^  wasm: .*$/m, wasmLine)), /do not match its digest/);
    refused(new Engine(), { default: { ...ns.default, format: 'tswasm-precompiled-js/2' } }, /has format tswasm-precompiled-js\/2/);
    refused(new Engine(), { default: { format: 'something else' } }, /not a precompiled tswasm module/);
    refused(new Engine(), 'module text', /not a precompiled tswasm module/);
    refused(new Engine(), null, /not a precompiled tswasm module/);
    refused(new Engine(), { default: { ...ns.default, version: undefined } }, /states no tswasm version/);
    refused(new Engine(), { default: { ...ns.default, wasm: 'not base64!' } }, /wasm field is not base64/);
    refused(new Engine(), { default: { ...ns.default, factory: 'source' } }, /no factory function/);
    refused(new Engine({ compilation: 'eager' }), { default: { ...ns.default, factory: () => null } }, /factory did not return/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const cli = join(projectRoot, 'bin', 'tswasm.mjs');
function tswasm(args: string[], nodeFlags: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('tswasm compile writes .cwasm and ES modules that run only with --allow-precompiled', () => {
  const dir = tempDir('tswasm-pre-');
  try {
    const fib = join(projectRoot, 'examples', 'fib.wat');
    const wat = join(dir, 'fib.wat');
    writeFileSync(wat, readFileSync(fib));
    const expected = tswasm(['run', '--invoke', 'fib', wat, '20']);
    assert.equal(expected.status, 0, expected.stderr);

    assert.equal(tswasm(['compile', wat]).status, 0);
    const cwasm = join(dir, 'fib.cwasm');
    assert.deepEqual(tswasm(['run', '--allow-precompiled', '--invoke', 'fib', cwasm, '20']), expected);
    // Other commands need the module itself, and say so (they read the blob as text).
    const asText = tswasm(['validate', cwasm]);
    assert.equal(asText.status, 1);
    assert.match(asText.stdout + asText.stderr, /is a precompiled module \(tswasm compile's output\)/);
    const refused = tswasm(['run', '--invoke', 'fib', cwasm, '20']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /is a precompiled module; run it with --allow-precompiled/);
    const otherConfig = tswasm(['run', '--allow-precompiled', '-W', 'fuel=1000', '--invoke', 'fib', cwasm, '20']);
    assert.equal(otherConfig.status, 1);
    assert.match(otherConfig.stderr, /consumeFuel is false there, true here \(compile and run it with the same -W/);

    const js = join(dir, 'fib-fuel.mjs');
    assert.equal(tswasm(['compile', '--js', '-W', 'fuel=1', wat, '-o', js]).status, 0);
    assert.deepEqual(tswasm(['run', '--allow-precompiled', '--fuel', '100000', '--invoke', 'fib', js, '20']), expected);
    // Where code generation from strings is refused, only the ES module runs.
    const strict = ['--disallow-code-generation-from-strings'];
    assert.deepEqual(tswasm(['run', '--allow-precompiled', '--fuel', '100000', '--invoke', 'fib', js, '20'], strict), expected);
    const outOfFuel = tswasm(['run', '--allow-precompiled', '--fuel', '100', '--invoke', 'fib', js, '20'], strict);
    assert.equal(outOfFuel.status, 134);
    assert.match(outOfFuel.stderr, /OutOfFuel/);
    const noEval = tswasm(['run', '--invoke', 'fib', wat, '20'], strict);
    assert.equal(noEval.status, 1);
    assert.match(noEval.stderr, /does not allow code generation from strings/);
    assert.match(tswasm(['run', '--invoke', 'fib', js, '20']).stderr, /runs only as a precompiled module, with --allow-precompiled/);

    // Code for engines that NaN-box (-W nan-boxes) runs on V8 too, when the engine is told so.
    const boxed = join(dir, 'fib-boxes.mjs');
    assert.equal(tswasm(['compile', '--js', '-W', 'nan-boxes', wat, '-o', boxed]).status, 0);
    assert.deepEqual(tswasm(['run', '--allow-precompiled', '-W', 'nan-boxes', '--invoke', 'fib', boxed, '20']), expected);
    const unboxed = tswasm(['run', '--allow-precompiled', '--invoke', 'fib', boxed, '20']);
    if (boxesNaNs()) {
      // V8 from 14.2 boxes NaNs by default, so the command's engine loads it as it is.
      assert.deepEqual(unboxed, expected);
    } else {
      assert.equal(unboxed.status, 1);
      assert.match(unboxed.stderr, /nanBoxes is true there, false here \(an Engine with nanBoxes: true loads it\)/);
    }

    const bad = tswasm(['compile', join(dir, 'missing.wasm')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /missing\.wasm: no such file/);
    assert.equal(tswasm(['compile', '--bogus', wat]).status, 2);
    // A valid module beyond a limit of compiling to JS is not called invalid.
    const deep = join(dir, 'deep.wat');
    writeFileSync(deep, `(module (func ${'(loop '.repeat(3000)}${')'.repeat(3000)}))`);
    const limit = tswasm(['compile', deep]);
    assert.equal(limit.status, 1);
    assert.match(limit.stderr, /deep\.wat: valid, but beyond an implementation limit: a function nests blocks, loops or ifs too deeply/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
