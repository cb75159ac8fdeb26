// Floats carried as NaNBoxes, the mode tswasm takes on engines that NaN-box their own values
// (SpiderMonkey, JavaScriptCore: core/nan-boxing.ts), forced here on V8. Node's numbers keep NaN
// bits either way, so this checks that the mode's code paths give the same results as V8's own;
// that they keep the bits where numbers do not is checked in those engines' shells
// (tools/js-shell-wast.mjs: every assert_return passes in both).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFile } from '../../src/cli/wast.js';
import { selectEngine } from '../../src/spec/select-engine.js';
import { forceNaNBoxes, NaNBox } from '../../src/core/nan-boxing.js';
import { f32FromBits, f64FromHalves } from '../../src/runtime/float-bits.js';
import { DeserializeError, Engine, Module } from '../../src/api/index.js';
import { testsuiteRoot, wastFiles } from '../helpers/paths.js';
import { failureKey, readKnownFailures } from './known-failures.js';

const fixture = fileURLToPath(new URL('../../../test/spec/fixtures/nan-bits.wast', import.meta.url));
const haveSuite = existsSync(join(testsuiteRoot, 'i32.wast'));


function failures(file: string, path: string): string[] {
  const report = runFile(file, path, selectEngine());
  assert.ok(report.kinds.assert_return.passed > 0, `${path}: nothing ran`);
  return report.notes.filter((n) => n.outcome === 'failed').map((n) => `${path}:${n.line} ${n.kind}: ${n.reason}`);
}

test('NaN bits through results, tail calls, globals, GC, exceptions and memory, without boxes', () => {
  forceNaNBoxes(false);
  assert.deepEqual(failures(fixture, 'nan-bits.wast'), []);
});

test('with boxes, a NaN other than the canonical one becomes a NaNBox, and the canonical one stays a number', () => {
  forceNaNBoxes(true);
  const box = f64FromHalves(1, 0x7ff00000) as unknown;
  assert.ok(box instanceof NaNBox);
  assert.deepEqual([(box as NaNBox).lo, (box as NaNBox).hi], [1, 0x7ff00000]);
  assert.ok(f32FromBits(0x7fa00001) as unknown instanceof NaNBox);
  assert.equal(typeof f64FromHalves(0, 0x7ff80000), 'number');
  assert.equal(typeof f32FromBits(0x7fc00000), 'number');
  assert.ok(Number.isNaN(+box));
});

test('with boxes, NaN bits through results, tail calls, globals, GC, exceptions and memory', () => {
  forceNaNBoxes(true);
  assert.deepEqual(failures(fixture, 'nan-bits.wast'), []);
});

test('a module compiled with boxes is refused by an engine without them, and the reverse', () => {
  const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  forceNaNBoxes(true);
  const boxed = new Module(new Engine(), wasm).serialize();
  forceNaNBoxes(false);
  const plain = new Module(new Engine(), wasm).serialize();
  assert.throws(() => Module.deserialize(new Engine(), boxed), (e: unknown) => e instanceof DeserializeError && /nanBoxes is true there, false here/.test(e.message));
  forceNaNBoxes(true);
  assert.throws(() => Module.deserialize(new Engine(), plain), (e: unknown) => e instanceof DeserializeError && /nanBoxes is false there, true here/.test(e.message));
  assert.ok(Module.deserialize(new Engine(), boxed) instanceof Module);
  // Code without boxes cannot run where the runtime makes them; code with boxes runs anywhere.
  assert.throws(() => new Engine({ nanBoxes: false }), /Config.nanBoxes cannot be false on this JavaScript engine/);
  forceNaNBoxes(false);
  assert.ok(Module.deserialize(new Engine({ nanBoxes: true }), boxed) instanceof Module);
  forceNaNBoxes(true);
});

test('with boxes, the spec suite: every failure is a known, explained failure', { skip: haveSuite ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)` }, () => {
  forceNaNBoxes(true);
  const known = readKnownFailures();
  const unexpected: string[] = [];
  for (const file of wastFiles(testsuiteRoot)) {
    const path = relative(testsuiteRoot, file).split(sep).join('/');
    const report = runFile(file, path, selectEngine());
    for (const note of report.notes) {
      if (note.outcome === 'failed' && !known.has(failureKey(path, note.line, note.kind))) unexpected.push(`${path}:${note.line} ${note.kind}: ${note.reason}`);
    }
  }
  assert.deepEqual(unexpected, []);
});
