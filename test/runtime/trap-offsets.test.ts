// Wasm offsets in backtraces (FrameInfo.moduleOffset and funcOffset, Wasmtime's module_offset and
// func_offset): the innermost frame of a trap is at the trapping instruction and every caller at its
// call, whatever the code's shape (lazy or eager, generators, fuel, split parts, tail calls).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Func, I32, Instance, Linker, Module, Store, Trap, Val, WasmBacktrace, funcType, type Config } from '../../src/api/index.js';
import { forceSplitEverywhere } from '../../src/compile/split-choice.js';
import { parseWat } from '../../src/text/index.js';
import { trapOf } from '../helpers/caught.js';
import { testsuiteRoot } from '../helpers/paths.js';
import { suiteModules } from '../../tools/text-suite-modules.js';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../wasi/helpers.js';

const OP = { unreachable: 0x00, call: 0x10, callIndirect: 0x11, i32Load: 0x28, i32Store: 0x36, i32DivS: 0x6d, i32TruncF64S: 0xaa, prefixFC: 0xfc };

const bytes = parseWat(`(module $offsets
  (type $ii (func (param i32) (result i32)))
  (import "host" "look" (func $look (param i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (func $unreachable (export "unreachable") (unreachable))
  (func $div (param i32) (result i32)
    (local i64)
    (i32.add (i32.const 1) (i32.div_s (i32.const 7) (local.get 0))))
  (func $load (param i32) (result i32)
    (i32.add (i32.const 3) (i32.mul (i32.const 2) (i32.load offset=4 (local.get 0)))))
  (func $store (param i32) (i32.store (local.get 0) (i32.const 9)))
  (func $conv (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func $fill (param i32) (memory.fill (local.get 0) (i32.const 0) (i32.const 16)))
  (func $indirect (param i32) (result i32) (call_indirect (type $ii) (i32.const 0) (local.get 0)))
  (func $machine (param i32) (result i32)
    (block (block (block (br_table 0 1 2 (local.get 0)))
      (return (call $div (i32.const 0))))
      (return (call $load (i32.const 65535))))
    (i32.const 30))
  (func $tail (param i32) (result i32) (return_call $div (local.get 0)))
  (func $run_div (export "div") (param i32) (result i32) (call $div (local.get 0)))
  (func $run_load (export "load") (param i32) (result i32) (call $load (local.get 0)))
  (func $run_store (export "store") (param i32) (call $store (local.get 0)))
  (func $run_conv (export "conv") (param f64) (result i32) (call $conv (local.get 0)))
  (func $run_fill (export "fill") (param i32) (call $fill (local.get 0)))
  (func $run_indirect (export "indirect") (param i32) (result i32) (call $indirect (local.get 0)))
  (func $run_machine (export "machine") (param i32) (result i32) (call $machine (local.get 0)))
  (func $run_tail (export "tail") (param i32) (result i32) (i32.add (i32.const 1) (call $tail (local.get 0))))
  (func $run_look (export "look") (param i32) (result i32) (i32.add (i32.const 1) (call $look (local.get 0))))
  (func $boom (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $hop (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (return_call $hop (i32.sub (local.get 0) (i32.const 1))))
      (else (call $boom (local.get 0)))))
  (func $run_hop (export "hop") (param i32) (result i32) (i32.add (i32.const 1) (call $hop (local.get 0)))))`);

/** [export, arguments, the opcode the innermost frame must be at, the names of the frames]. */
const CASES: [string, Val[], number, string[]][] = [
  ['unreachable', [], OP.unreachable, ['unreachable']],
  ['div', [Val.i32(0)], OP.i32DivS, ['div', 'run_div']],
  ['load', [Val.i32(65534)], OP.i32Load, ['load', 'run_load']],
  ['store', [Val.i32(65535)], OP.i32Store, ['store', 'run_store']],
  ['conv', [Val.f64(NaN)], OP.i32TruncF64S, ['conv', 'run_conv']],
  ['fill', [Val.i32(65530)], OP.prefixFC, ['fill', 'run_fill']],
  ['indirect', [Val.i32(1)], OP.callIndirect, ['indirect', 'run_indirect']],
  ['machine', [Val.i32(0)], OP.i32DivS, ['div', 'machine', 'run_machine']],
  ['machine', [Val.i32(1)], OP.i32Load, ['load', 'machine', 'run_machine']],
  // A tail call of a function that makes none is a plain JS call (compile/calls.ts), from the
  // tail caller's JS frame; at its return_call that frame is left out, as Wasmtime has none.
  ['tail', [Val.i32(0)], OP.i32DivS, ['div', 'run_tail']],
  // Through a trampoline (hop tail-calls itself): only its last activation has a frame, at its call.
  ['hop', [Val.i32(2)], OP.i32DivS, ['boom', 'hop', 'run_hop']],
];

async function framesOf(config: Config, name: string, args: Val[]): Promise<Trap> {
  const engine = new Engine(config);
  const store = new Store(engine);
  const linker = new Linker(engine).funcWrap('host', 'look', funcType([I32], [I32]), (x: number) => x);
  const module = new Module(engine, bytes);
  if (config.asyncSupport) {
    const instance = await linker.instantiateAsync(store, module);
    if (config.consumeFuel) store.setFuel(1_000_000);
    try {
      await instance.getFunc(store, name)!.callAsync(store, args);
    } catch (e) {
      return e as Trap;
    }
    throw new Error(`${name} did not trap`);
  }
  const instance = linker.instantiate(store, module);
  if (config.consumeFuel) store.setFuel(1_000_000);
  return trapOf(() => instance.getFunc(store, name)!.call(store, args));
}

const CONFIGS: [string, Config][] = [
  ['lazy', {}],
  ['eager', { compilation: 'eager' }],
  ['fuel', { consumeFuel: true }],
  ['async', { asyncSupport: true }],
  ['async with fuel', { asyncSupport: true, consumeFuel: true }],
];

for (const [label, config] of CONFIGS) {
  for (const split of [false, true]) {
    test(`${label}${split ? ', every chain split into parts' : ''}: a trap is at its instruction, each caller at its call`, async () => {
      forceSplitEverywhere(split);
      try {
        for (const [name, args, opcode, names] of CASES) {
          const trap = await framesOf(config, name, args);
          assert.ok(trap instanceof Trap, name);
          const frames = trap.backtrace;
          assert.deepEqual(frames.map((f) => f.funcName), names, name);
          frames.forEach((f, i) => {
            assert.notEqual(f.moduleOffset, null, `${name}: frame ${i} has an offset`);
            const want = i === 0 ? opcode : OP.call;
            assert.equal(bytes[f.moduleOffset!], want, `${name}: frame ${i} (${f.funcName}) at 0x${f.moduleOffset!.toString(16)}`);
            assert.ok(f.funcOffset! > 0 && f.funcOffset! < f.moduleOffset!, `${name}: frame ${i}'s function offset`);
          });
        }
      } finally {
        forceSplitEverywhere(false);
      }
    });
  }
}

test('an epoch interrupt is at the first instruction of the body it stops at entry, or at the loop it stops at', async () => {
  const interrupts = parseWat(`(module
    (import "host" "tick" (func $tick))
    (func $enter (export "enter") (param i32) (result i32) (local i64) (i32.add (local.get 0) (i32.const 1)))
    (func $spin (export "spin") (call $tick) (loop $l (br $l))))`);
  const LOOP = 0x03;
  const LOCAL_GET = 0x20; // the body's first instruction
  for (const [label, config] of [['sync', {}], ['async', { asyncSupport: true }], ['fuel', { consumeFuel: true }],
    ['async with fuel', { asyncSupport: true, consumeFuel: true }]] as [string, Config][]) {
    for (const [name, deadline, opcode] of [['enter', 0, LOCAL_GET], ['spin', 1, LOOP]] as [string, number, number][]) {
      const engine = new Engine({ ...config, epochInterruption: true });
      const store = new Store(engine);
      const linker = new Linker(engine).funcWrap('host', 'tick', funcType([], []), () => engine.incrementEpoch());
      const module = new Module(engine, interrupts);
      const instance = config.asyncSupport ? await linker.instantiateAsync(store, module) : linker.instantiate(store, module);
      if (config.consumeFuel) store.setFuel(1_000_000);
      store.setEpochDeadline(deadline);
      const args = name === 'enter' ? [Val.i32(4)] : [];
      let trap: unknown;
      try {
        if (config.asyncSupport) await instance.getFunc(store, name)!.callAsync(store, args);
        else instance.getFunc(store, name)!.call(store, args);
      } catch (e) {
        trap = e;
      }
      assert.ok(trap instanceof Trap && trap.code === 'Interrupt', `${label} ${name}: ${String(trap)}`);
      const top = trap.backtrace[0]!;
      assert.equal(top.funcName, name, `${label} ${name}`);
      assert.equal(interrupts[top.moduleOffset!], opcode, `${label} ${name}: at 0x${top.moduleOffset?.toString(16)}`);
      assert.ok(top.funcOffset! > 0 && top.funcOffset! < top.moduleOffset!, `${label} ${name}: funcOffset ${top.funcOffset}`);
    }
  }
});

test('funcOffset counts from the start of the body, its local declarations included', () => {
  const unreachable = trapOf(() => {
    const engine = new Engine();
    const store = new Store(engine);
    const linker = new Linker(engine).funcWrap('host', 'look', funcType([I32], [I32]), (x: number) => x);
    linker.instantiate(store, new Module(engine, bytes)).getFunc(store, 'unreachable')!.call(store, []);
  });
  // `(func (unreachable))`: byte 0 is the count of local declarations (0), byte 1 the instruction.
  assert.equal(unreachable.backtrace[0]!.funcOffset, 1);
  assert.equal(bytes[unreachable.backtrace[0]!.moduleOffset! - 1], 0);
});

test('backtraces print module offsets; a host function sees its caller at the call', () => {
  const engine = new Engine();
  const store = new Store(engine);
  let seen: WasmBacktrace | null = null;
  const linker = new Linker(engine).funcWrap('host', 'look', funcType([I32], [I32]), (x: number) => {
    seen = WasmBacktrace.capture(store);
    return x;
  });
  const instance = linker.instantiate(store, new Module(engine, bytes));
  instance.getFunc(store, 'look')!.call(store, [Val.i32(1)]);
  const frame = seen!.frames[0]!;
  assert.equal(frame.funcIndex, 18);
  assert.equal(bytes[frame.moduleOffset!], OP.call);
  assert.match(seen!.toString(), new RegExp(`^ {3}0: 0x${frame.moduleOffset!.toString(16)} - offsets!run_look \\(function 18\\)$`));
  const trap = trapOf(() => instance.getFunc(store, 'div')!.call(store, [Val.i32(0)]));
  assert.match(WasmBacktrace.fromError(trap)!.toString(), /^ {3}0: 0x[0-9a-f]+ - offsets!div \(function 2\)\n {3}1: 0x[0-9a-f]+ - offsets!run_div \(function 10\)$/);
});

test('a deserialized module has offsets when this engine generates its code alike, and so has precompiled code', async () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine).funcWrap('host', 'look', funcType([I32], [I32]), (x: number) => x);
  const divide = (module: Module) => trapOf(() => linker.instantiate(store, module).getFunc(store, 'div')!.call(store, [Val.i32(0)]));
  const fresh = divide(new Module(engine, bytes)).backtrace.map((f) => [f.funcName, f.moduleOffset, f.funcOffset]);
  assert.equal(bytes[fresh[0]![1] as number], OP.i32DivS);
  const blob = new Module(engine, bytes).serialize();
  assert.deepEqual(divide(Module.deserialize(engine, blob)).backtrace.map((f) => [f.funcName, f.moduleOffset, f.funcOffset]), fresh);
  // Where this engine's code for a function differs (here it splits every chain into parts, as
  // $machine has one), that function's frames cannot be told; the others still can.
  const machine = (module: Module) => trapOf(() => linker.instantiate(store, module).getFunc(store, 'machine')!.call(store, [Val.i32(0)]));
  const whole = machine(Module.deserialize(engine, blob)).backtrace.map((f) => [f.funcName, f.moduleOffset]);
  forceSplitEverywhere('chains');
  try {
    const trap = machine(Module.deserialize(engine, blob));
    assert.deepEqual(trap.backtrace.map((f) => [f.funcName, f.moduleOffset]), [whole[0], ['machine', null], whole[2]]);
    assert.match(WasmBacktrace.fromError(trap)!.toString(), /\n {3}1: offsets!machine \(function 8\)\n/);
  } finally {
    forceSplitEverywhere(false);
  }
  // deserializeJs runs the code of an imported file: the locator reads the factory's own text, at
  // the lines it has there. A file whose lines moved (a bundler's rewrite) gives no offsets.
  const dir = tempDir();
  try {
    const file = join(dir, 'offsets.mjs');
    const text = new Module(engine, bytes).serializeJs();
    writeFileSync(file, text);
    const precompiled = Module.deserializeJs(engine, await import(pathToFileURL(file).href));
    assert.deepEqual(divide(precompiled).backtrace.map((f) => [f.funcName, f.moduleOffset, f.funcOffset]), fresh);
    const moved = join(dir, 'moved.mjs');
    writeFileSync(moved, `// one more line\n${text}`);
    const shifted = Module.deserializeJs(engine, await import(pathToFileURL(moved).href));
    assert.deepEqual(divide(shifted).backtrace.map((f) => [f.funcName, f.moduleOffset]), [['div', null], ['run_div', null]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stack overflow names its frames at their calls', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const rec = parseWat(`(module (func $rec (export "rec") (param i32) (result i32) (call $rec (i32.add (local.get 0) (i32.const 1)))))`);
  const trap = trapOf(() => new Instance(store, new Module(engine, rec), []).getFunc(store, 'rec')!.call(store, [Val.i32(0)]));
  // V8 keeps ten frames of its own stack overflow error.
  assert.ok(trap.backtrace.length >= 5, `${trap.backtrace.length} frames`);
  // The innermost frame may have been anywhere in the function when the JS stack ran out.
  for (const f of trap.backtrace.slice(1)) assert.equal(rec[f.moduleOffset!], OP.call);
});

const haveSuite = existsSync(join(testsuiteRoot, 'i32.wast'));

test('the traced compilation of every function of the core spec suite is the code that ran', { skip: haveSuite ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)` }, () => {
  // Offsets are given only when the traced compilation matches line for line; this keeps a change
  // to the code generator from silently turning them off. Modules take the switches in turn.
  const configs: Config[] = [{}, { consumeFuel: true }, { asyncSupport: true }];
  let functions = 0;
  const mismatched: string[] = [];
  let k = 0;
  for (const m of suiteModules(testsuiteRoot).filter((x) => x.command === 'module' && !x.file.startsWith('proposals/'))) {
    let module: Module;
    try {
      const engine = new Engine(configs[k++ % configs.length]);
      module = new Module(engine, m.module.form === 'binary' ? m.module.bytes : parseWat(m.module.source));
    } catch {
      continue; // a module the suite expects to fail later (at instantiation) may be unsupported here
    }
    const { locator } = module.code() as unknown as { locator: { traced(funcIndex: number, unit: boolean): unknown } };
    for (let i = module.info.numImportedFuncs; i < module.info.funcTypes.length; i++) {
      functions++;
      if (locator.traced(i, true) === null) mismatched.push(`${m.file}:${m.line} function ${i}`);
    }
  }
  assert.ok(functions > 5_000, `${functions} functions`);
  assert.deepEqual(mismatched.slice(0, 20), []);
});

test('an out-of-bounds access 15 calls deep in generator code (asyncSupport) has all 15 frames, as a synchronous call does', async () => {
  // V8 records Error.stackTraceLimit frames (10 by default) where the DataView throws, and generator
  // code shows two a function; each step of an async call raises the limit as a synchronous call does.
  const depth = 15;
  const funcs = Array.from({ length: depth }, (_, i) => (i === depth - 1
    ? `(func $d${i} (result i32) (i32.load (i32.const 65535)))`
    : `(func $d${i} (result i32) (i32.add (i32.const 1) (call $d${i + 1})))`));
  const deep = parseWat(`(module (memory 1) ${funcs.join(' ')} (export "run" (func $d0)))`);
  const names: string[][] = [];
  for (const asyncSupport of [false, true]) {
    const engine = new Engine({ asyncSupport });
    const store = new Store(engine);
    const module = new Module(engine, deep);
    let trap: unknown;
    try {
      if (asyncSupport) await (await Instance.newAsync(store, module, [])).getFunc(store, 'run')!.callAsync(store, []);
      else new Instance(store, module, []).getFunc(store, 'run')!.call(store, []);
    } catch (e) {
      trap = e;
    }
    assert.ok(trap instanceof Trap);
    names.push(trap.backtrace.map((f) => f.funcName ?? ''));
  }
  assert.equal(names[0]!.length, depth);
  assert.deepEqual(names[1], names[0]);
});
