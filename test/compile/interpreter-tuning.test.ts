// Config.tuneForInterpreter: code shaped for engines without a JIT (call_indirect's table lookup
// written inline). The same module must do the same with it on and off: every outcome of
// call_indirect, including subtypes and each trap, and its backtrace offsets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, Module, Trap, Val, type JsEngine } from '../../src/api/index.js';
import { thisJsEngine } from '../../src/core/js-engine.js';
import { applyWasmOption, defaultWasmOptions, engineConfig } from '../../src/cli/wasm-options.js';
import { projectRoot } from '../helpers/paths.js';
import { tempDir } from '../wasi/helpers.js';
import { instantiateWat } from '../api/wat-helper.js';

const MODULE = `(module
  (type $base (sub (func (result i32))))
  (type $derived (sub $base (func (result i32))))
  (type $other (func (param i32) (result i32)))
  (table 6 funcref)
  (func $seven (type $base) (i32.const 7))
  (func $nine (type $derived) (i32.const 9))
  (func $twice (type $other) (i32.mul (local.get 0) (i32.const 2)))
  (elem (i32.const 0) func $seven $nine $twice)
  (elem (i32.const 4) funcref (ref.null func))
  (func (export "base") (param i32) (result i32) (call_indirect (type $base) (local.get 0)))
  (func (export "other") (param i32) (result i32) (call_indirect (type $other) (i32.const 21) (local.get 0))))`;

function outcomes(tuneForInterpreter: boolean): unknown[] {
  const { store, instance } = instantiateWat(MODULE, { tuneForInterpreter });
  const call = (name: string, i: number) => {
    try {
      return instance.getFunc(store, name)!.call(store, [Val.i32(i)])[0]!.value;
    } catch (e) {
      assert.ok(e instanceof Trap, String(e));
      return `${e.code} at 0x${e.backtrace[0]?.moduleOffset?.toString(16)}`;
    }
  };
  return [0, 1, 2, 3, 4, 5, 6, -1].flatMap((i) => [call('base', i), call('other', i)]);
}

test('call_indirect does the same with tuneForInterpreter on and off: exact types, subtypes, every trap', () => {
  const on = outcomes(true);
  assert.deepEqual(on, outcomes(false));
  assert.deepEqual(on.slice(0, 6), [7, 'BadSignature at 0x73', 9, 'BadSignature at 0x73', 'BadSignature at 0x69', 42]);
  assert.ok(on.includes('IndirectCallToNull at 0x69') && on.includes('TableOutOfBounds at 0x69'));
});

test('tuneForInterpreter is a boolean or an engine, on by default only where the engine has no WebAssembly of its own', () => {
  const native = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'undefined';
  assert.equal(new Engine().config.tuneForInterpreter, !native);
  assert.equal(new Engine().config.interpreter, native ? null : thisJsEngine());
  assert.equal(new Engine({ tuneForInterpreter: true }).config.tuneForInterpreter, true);
  // true shapes the code for the engine running it: Node's is V8.
  assert.equal(thisJsEngine(), 'v8');
  assert.equal(new Engine({ tuneForInterpreter: true }).config.interpreter, 'v8');
  assert.equal(new Engine({ tuneForInterpreter: false }).config.interpreter, null);
  const jsc = new Engine({ tuneForInterpreter: 'javascriptcore' }).config;
  assert.deepEqual([jsc.tuneForInterpreter, jsc.interpreter, jsc.splitLargeSwitches], [true, 'javascriptcore', false]);
  assert.throws(() => new Engine({ tuneForInterpreter: 'yes' as never }),
    /Config.tuneForInterpreter must be a boolean or one of 'v8', 'javascriptcore', 'spidermonkey', not "yes"/);
});

// The shapes differ where an interpreter was measured to pay more than it saves: JavaScriptCore's
// stores bytes through the DataView, and it and SpiderMonkey's keep i64.rem_u's quotient estimate.
const SHAPED = `(module (memory 1)
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "remU") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1))))`;

function generated(tuneForInterpreter: boolean | JsEngine): string {
  let source = '';
  const engine = new Engine({ tuneForInterpreter, compilation: 'eager', debugSource: (_name, s) => { source += s; } });
  new Module(engine, SHAPED).code();
  // Each module's code names itself in its sourceURL.
  return source.replace(/\/\/# sourceURL=.*/, '');
}

test('each engine\'s shape: byte stores index the Uint8Array but in JavaScriptCore\'s, rem_u uses double remainders only in V8\'s', () => {
  const byteArrayStore = /\bby\d+\[\w+\] = /;
  const remByDoubles = /% t\d+\) \* 65536 \+/;
  const v8 = generated('v8');
  assert.match(v8, remByDoubles);
  assert.match(v8, byteArrayStore);
  assert.doesNotMatch(v8, /setInt8\(/);
  const sm = generated('spidermonkey');
  assert.doesNotMatch(sm, remByDoubles);
  assert.match(sm, byteArrayStore);
  const jsc = generated('javascriptcore');
  assert.doesNotMatch(jsc, remByDoubles);
  assert.doesNotMatch(jsc, byteArrayStore);
  assert.match(jsc, /\.setInt8\(/);
  assert.equal(generated(true), generated('v8'));
});

// Byte loads and stores index the memory's Uint8Array when tuned, and Math.imul and Math.fround are bound helpers (a keyed access is a third of a
// DataView call in V8's interpreter): the same values, the same traps at the same offsets, the
// value evaluated before the store traps, and fresh arrays after the memory grows (in the
// function itself or in a callee).
const BYTES = `(module
  (memory 1 5)
  (global $g (mut i32) (i32.const 0))
  (data (i32.const 0) "\\01\\80\\ff\\7f")
  (func $bump (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (i32.const 200))
  (func $grow (result i32) (memory.grow (i32.const 1)))
  (func (export "load8u") (param i32) (result i32) (i32.load8_u offset=1 (local.get 0)))
  (func (export "load8s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "i64load8s") (param i32) (result i64) (i64.load8_s (local.get 0)))
  (func (export "i64load8u") (param i32) (result i64) (i64.load8_u (local.get 0)))
  (func (export "store8") (param i32 i32) (result i32)
    (i32.store8 offset=2 (local.get 0) (local.get 1)) (i32.load8_u offset=2 (local.get 0)))
  (func (export "i64store8") (param i32 i64) (result i64)
    (i64.store8 (local.get 0) (local.get 1)) (i64.load8_s (local.get 0)))
  (func (export "storeCall") (param i32) (result i32)
    (i32.store8 (local.get 0) (call $bump)) (global.get $g))
  (func (export "countCalls") (result i32) (global.get $g))
  (func (export "mulLoad") (param i32) (result i32) (i32.mul (i32.load offset=4 (local.get 0)) (i32.load8_u (local.get 0))))
  (func (export "loadMulAddr") (param i32) (result i32) (i32.add (i32.load (i32.mul (local.get 0) (i32.const 4))) (i32.const 1)))
  (func (export "froundLoad") (param i32) (result f32) (f32.mul (f32.add (f32.load (local.get 0)) (f32.const 1.5)) (f32.const 3)))
  (func (export "storeLoad") (param i32 i32) (i32.store8 (local.get 0) (i32.load offset=3 (local.get 1))))
  (func (export "growThenStore") (param i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.store8 (local.get 0) (i32.const 77)) (i32.load8_u (local.get 0)))
  (func (export "callGrowThenLoad") (param i32) (result i32)
    (i32.store8 (i32.const 65536) (i32.const 5))
    (drop (call $grow))
    (i32.store8 (local.get 0) (i32.const 66)) (i32.add (i32.load8_u (local.get 0)) (i32.load8_u (i32.const 65536)))))`;

function byteOutcomes(tuneForInterpreter: boolean | JsEngine): unknown[] {
  const { store, instance } = instantiateWat(BYTES, { tuneForInterpreter });
  const call = (name: string, ...args: Val[]) => {
    try {
      return instance.getFunc(store, name)!.call(store, args).map((v) => v.value);
    } catch (e) {
      assert.ok(e instanceof Trap, String(e));
      return `${e.code} at 0x${e.backtrace[0]?.moduleOffset?.toString(16)}`;
    }
  };
  const out: unknown[] = [];
  for (const a of [0, 1, 2, 3, 65534, 65535, 65536, -1, 2 ** 31]) {
    out.push(call('load8u', Val.i32(a)), call('load8s', Val.i32(a)), call('i64load8s', Val.i32(a)), call('i64load8u', Val.i32(a)));
    out.push(call('store8', Val.i32(a), Val.i32(0x1ff)), call('i64store8', Val.i32(a), Val.i64(-129n)));
    // Math.imul and Math.fround are bound helpers when tuned: a load inside one still traps at its own offset.
    out.push(call('mulLoad', Val.i32(a)), call('froundLoad', Val.i32(a)), call('loadMulAddr', Val.i32(a)));
  }
  // Both out of bounds: the value's load traps first, at its own offset.
  out.push(call('storeLoad', Val.i32(70000), Val.i32(70000)), call('storeLoad', Val.i32(70000), Val.i32(0)));
  out.push(call('storeCall', Val.i32(70000)), call('countCalls'), call('storeCall', Val.i32(7)), call('load8u', Val.i32(6)));
  out.push(call('growThenStore', Val.i32(65536 * 2 - 1)), call('growThenStore', Val.i32(65536 * 3)));
  out.push(call('callGrowThenLoad', Val.i32(65536 * 3 + 10)), call('callGrowThenLoad', Val.i32(65536 * 3 + 10)));
  return out;
}

test('byte loads and stores do the same with tuneForInterpreter on and off: values, traps and their offsets, growth', () => {
  const on = byteOutcomes(true);
  assert.deepEqual(on, byteOutcomes(false));
  assert.deepEqual(on, byteOutcomes('javascriptcore'));
  assert.deepEqual(on.slice(0, 6), [[128], [1], [1n], [1n], [255], [127n]]);
  const traps = on.filter((x) => typeof x === 'string');
  assert.ok(traps.length >= 20 && traps.every((t) => /^MemoryOutOfBounds at 0x[0-9a-f]+$/.test(t as string)), String(traps));
  const tail = on.slice(-8);
  // The value (a call) is evaluated before the out-of-bounds store traps: the call was counted.
  assert.match(tail[0] as string, /^MemoryOutOfBounds/);
  assert.deepEqual(tail.slice(1, 4), [[1], [2], [200]]);
  // In bounds only after the function's own memory.grow, then past the grown end; then in bounds
  // only after a callee's memory.grow (twice: the memory grows to 4 and 5 pages).
  assert.deepEqual(tail.slice(4, 5), [[77]]);
  assert.match(tail[5] as string, /^MemoryOutOfBounds/);
  assert.deepEqual(tail.slice(6), [[71], [71]]);
});

test('-W tune-for-interpreter takes y, n or an engine, and tswasm compile --js shapes the code for it', () => {
  const config = (text: string) => {
    const o = defaultWasmOptions();
    applyWasmOption(o, text);
    return engineConfig(o).tuneForInterpreter;
  };
  assert.deepEqual(['tune-for-interpreter', 'tune-for-interpreter=n', 'tune-for-interpreter=javascriptcore'].map(config), [true, false, 'javascriptcore']);
  assert.throws(() => config('tune-for-interpreter=safari'), /-W tune-for-interpreter takes y, n or v8, javascriptcore, spidermonkey, not "safari"/);
  const dir = tempDir('tswasm-tune-');
  try {
    const wat = join(dir, 'shaped.wat');
    writeFileSync(wat, SHAPED);
    const js = join(dir, 'shaped.mjs');
    const cli = join(projectRoot, 'bin', 'tswasm.mjs');
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    assert.equal(run(['compile', '--js', '-W', 'tune-for-interpreter=javascriptcore', wat, '-o', js]).status, 0);
    assert.match(readFileSync(js, 'utf8'), /\.setInt8\(/);
    // The shape is not part of the engine's fingerprint: the module runs on any engine.
    const r = run(['run', '--allow-precompiled', '--invoke', 'remU', js, '-1', '1000']);
    assert.equal(r.stdout, `${(2n ** 64n - 1n) % 1000n}\n`, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
