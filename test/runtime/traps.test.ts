// Traps: codes, spec messages, wasm backtraces, stack overflow (JS limit and maxWasmStack), host
// exceptions passing through unchanged, and the store staying usable after a trap.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Func, I32, Instance, Module, Store, Trap, TrapCode, Val, WasmBacktrace, funcType } from '../../src/api/index.js';
import { instantiateWat } from '../api/wat-helper.js';
import { trapOf } from '../helpers/caught.js';
import { isStackOverflow, wasmBacktrace } from '../../src/runtime/traps.js';

const wat = `(module
  (import "host" "f" (func $host (param i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 7) (local.get 0)))
  (func $outer (export "div") (param i32) (result i32) (call $inner (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "conv") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "unreachable") (unreachable))
  (func (export "indirect") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
  (func $rec (export "rec") (param i32) (result i32) (call $rec (i32.add (local.get 0) (i32.const 1))))
  (func (export "callhost") (param i32) (result i32) (call $host (local.get 0))))`;

function setup(config = {}, host: (x: number) => number = (x) => x) {
  return instantiateWat(wat, config, (store) => [Func.wrap(store, funcType([I32], [I32]), host)]);
}


test('each trap kind has its code, spec message and a wasm backtrace', () => {
  const { store, instance } = setup();
  const call = (name: string, ...args: Val[]) => () => instance.getFunc(store, name)!.call(store, args);
  const div = trapOf(call('div', Val.i32(0)));
  assert.equal(div.code, TrapCode.IntegerDivisionByZero);
  assert.equal(div.message, 'integer divide by zero');
  assert.deepEqual(div.backtrace.map((f) => f.funcIndex), [1, 2]);
  assert.equal(trapOf(call('load', Val.i32(65534))).code, TrapCode.MemoryOutOfBounds);
  assert.equal(trapOf(call('conv', Val.f64(NaN))).code, TrapCode.BadConversionToInteger);
  assert.equal(trapOf(call('conv', Val.f64(3e9))).code, TrapCode.IntegerOverflow);
  assert.equal(trapOf(call('unreachable')).code, TrapCode.UnreachableCodeReached);
  const undef = trapOf(call('indirect', Val.i32(5)));
  assert.equal(undef.message, 'undefined element');
  assert.equal(trapOf(call('indirect', Val.i32(1))).code, TrapCode.IndirectCallToNull);
  // The instance stays usable.
  assert.equal(instance.getFunc(store, 'div')!.call(store, [Val.i32(7)])[0]!.value, 1);
});

test('deep recursion traps with StackOverflow, with and without maxWasmStack', () => {
  for (const config of [{}, { maxWasmStack: 500 }]) {
    const { store, instance } = setup(config);
    const t = trapOf(() => instance.getFunc(store, 'rec')!.call(store, [Val.i32(0)]));
    assert.equal(t.code, TrapCode.StackOverflow);
    assert.equal(t.message, 'call stack exhausted');
    assert.equal(instance.getFunc(store, 'div')!.call(store, [Val.i32(1)])[0]!.value, 7);
  }
});

test('recursion through host functions also ends as StackOverflow, not as a raw RangeError', () => {
  // wasm -> host -> wasm -> ...: the JS stack runs out in whichever of them is on top, often in the
  // boundary code while it turns the nested overflow into a trap; before, that second RangeError
  // reached the embedder as if the host function had thrown it.
  let again: Func | null = null;
  const { store, instance } = setup({}, (n) => (n === 0 ? 0 : 1 + (again!.call(store, [Val.i32(n - 1)])[0]!.value as number)));
  again = instance.getFunc(store, 'callhost')!;
  assert.equal(again.call(store, [Val.i32(10)])[0]!.value, 10);
  for (const depth of [1000, 100_000]) {
    const t = trapOf(() => again!.call(store, [Val.i32(depth)]));
    assert.equal(t.code, TrapCode.StackOverflow, `depth ${depth}`);
  }
  assert.equal(again.call(store, [Val.i32(5)])[0]!.value, 5);
  // A host function that exhausts the stack on its own counts the same way: the stack is shared.
  const runaway = (n: number): number => runaway(n + 1) + 1;
  const own = setup({}, runaway);
  assert.equal(trapOf(() => own.instance.getFunc(own.store, 'callhost')!.call(own.store, [Val.i32(0)])).code, TrapCode.StackOverflow);
});

test('host exceptions reach the caller unchanged, RangeErrors included', () => {
  const err = new RangeError('Offset is outside the bounds of the DataView');
  const { store, instance } = setup({}, () => {
    throw err;
  });
  assert.throws(() => instance.getFunc(store, 'callhost')!.call(store, [Val.i32(1)]), (e) => e === err);
});

test('the first trap in wasm order wins when a later operand is evaluated into a temp first', () => {
  // Found by tools/exec-fuzz.ts: the code generator defers a trapping operand (here a load out of
  // bounds) as an expression, and used to evaluate a later trapping operand that needs a temp
  // (a division's dividend, a rotate's operand, an i64's halves, a store's value) before it.
  const oob = '(i32.load (i32.const 70000))';
  const div0 = '(i32.div_u (local.get 0) (local.get 0))';
  const bodies: Record<string, string> = {
    'i32.div_s': `(i32.add ${oob} (i32.div_s (i32.div_s (local.get 0) (local.get 0)) (local.get 1)))`,
    'i32.rem_u': `(i32.add ${oob} (i32.rem_u ${div0} (local.get 1)))`,
    'i32.rotl': `(i32.add ${oob} (i32.rotl ${div0} (local.get 1)))`,
    'select': `(i32.add ${oob} (select (local.get 1) ${div0} (local.get 1)))`,
    'i64.extend_i32_s': `(i32.add ${oob} (i32.wrap_i64 (i64.extend_i32_s ${div0})))`,
    'i64.extend8_s': `(i32.add ${oob} (i32.wrap_i64 (i64.extend8_s (i64.extend_i32_u ${div0}))))`,
    'i64.add': `(i32.add ${oob} (i32.wrap_i64 (i64.add (i64.extend_i32_u ${div0}) (i64.const 1))))`,
    'f32.store': `(f32.store ${oob} (f32.convert_i32_u ${div0})) (i32.const 0)`,
    'i64.store': `(i64.store ${oob} (i64.extend_i32_u ${div0})) (i32.const 0)`,
    // A non-constant i64 shift or rotate count (seed 20261128, module 18760).
    'i64.shl': `(i32.add ${oob} (i32.wrap_i64 (i64.shl (i64.const 5) (i64.extend_i32_u ${div0}))))`,
    'i64.shr_s': `(i32.add ${oob} (i32.wrap_i64 (i64.shr_s (i64.const -5) (i64.extend_i32_u ${div0}))))`,
    'i64.rotr': `(i32.add ${oob} (i32.wrap_i64 (i64.rotr (i64.const 5) (i64.extend_i32_u ${div0}))))`,
    // Assigning a local that a deferred trapping operand reads puts that operand in a temp first
    // (seed 7103, module 10158: a trunc_u read the local of a later local.tee).
    'local.set': `${oob} ${div0} (local.set 0 (i32.const 1)) (i32.add)`,
    'local.tee': `${oob} ${div0} (drop (local.tee 0 (i32.const 1))) (i32.add)`,
  };
  for (const compilation of ['lazy', 'eager'] as const) {
    for (const [name, body] of Object.entries(bodies)) {
      const { store, instance } = instantiateWat(`(module (memory 1) (func (export "f") (param i32 i32) (result i32) ${body}))`, { compilation });
      const t = trapOf(() => instance.getFunc(store, 'f')!.call(store, [Val.i32(0), Val.i32(5)]));
      assert.equal(t.code, TrapCode.MemoryOutOfBounds, `${compilation} ${name}`);
    }
  }
});

test('64-bit memories and tables: bulk operations keep the order of their operands\' traps', () => {
  // Found by tools/exec-fuzz.ts (seed 20261138, module 1301): a 64-bit length or index was put in a
  // temp, evaluated before an earlier operand still inline in the call (a load out of bounds).
  const oob = '(i32.load (i64.const 70000))';
  const div0 = '(i64.extend_i32_u (i32.div_u (local.get 0) (local.get 0)))';
  const badSlot = '(table.get (i64.const 99))';
  const cases: [string, string, TrapCode][] = [
    ['memory.fill', `(memory.fill (i64.const 0) ${oob} ${div0})`, TrapCode.MemoryOutOfBounds],
    ['memory.copy', `(memory.copy (i64.extend_i32_u ${oob}) (i64.const 0) ${div0})`, TrapCode.MemoryOutOfBounds],
    ['memory.init', `(memory.init 0 (i64.extend_i32_u ${oob}) (i32.const 0) (i32.wrap_i64 ${div0}))`, TrapCode.MemoryOutOfBounds],
    ['table.fill', `(table.fill (i64.const 0) ${badSlot} ${div0})`, TrapCode.TableOutOfBounds],
    ['table.grow', `(drop (table.grow ${badSlot} ${div0}))`, TrapCode.TableOutOfBounds],
    ['table.copy', `(table.copy (i64.extend_i32_u ${oob}) (i64.const 0) ${div0})`, TrapCode.MemoryOutOfBounds],
    ['table.init', `(table.init 0 (i64.extend_i32_u ${oob}) (i32.const 0) (i32.wrap_i64 ${div0}))`, TrapCode.MemoryOutOfBounds],
  ];
  for (const compilation of ['lazy', 'eager'] as const) {
    for (const [name, body, code] of cases) {
      const { store, instance } = instantiateWat(`(module (memory i64 1) (table i64 1 funcref) (data "x") (elem func)
        (func (export "f") (param i32) ${body}))`, { compilation });
      const t = trapOf(() => instance.getFunc(store, 'f')!.call(store, [Val.i32(0)]));
      assert.equal(t.code, code, `${compilation} ${name}`);
    }
  }
});

test("backtraces do not depend on the host's Error.prepareStackTrace", () => {
  // source-map-support and error reporters install their own formatter; one returning call sites
  // made the boundary fail with a TypeError, one throwing leaked its error, others lost the frames.
  const formatters: ((e: Error, frames: NodeJS.CallSite[]) => unknown)[] = [
    (e, frames) => `${e.name}\n${frames.map((f) => `    at <mapped> ${f.getFunctionName()}`).join('\n')}`,
    (_e, frames) => frames,
    () => {
      throw new Error('formatter bug');
    },
  ];
  const saved = Error.prepareStackTrace;
  try {
    for (const formatter of formatters) {
      Error.prepareStackTrace = formatter;
      const seen: number[][] = [];
      const { store, instance } = setup({}, () => {
        seen.push(WasmBacktrace.capture(store).frames.map((f) => f.funcIndex));
        return 1;
      });
      const call = (name: string, ...args: Val[]) => () => instance.getFunc(store, name)!.call(store, args);
      assert.deepEqual(trapOf(call('div', Val.i32(0))).backtrace.map((f) => f.funcIndex), [1, 2]);
      const overflow = trapOf(call('rec', Val.i32(0)));
      assert.equal(overflow.code, TrapCode.StackOverflow);
      assert.ok(overflow.backtrace.length > 0 && overflow.backtrace.every((f) => f.funcIndex === 7));
      call('callhost', Val.i32(0))();
      assert.deepEqual(seen, [[8]]);
      assert.equal(Error.prepareStackTrace, formatter, 'the formatter is put back');
    }
  } finally {
    Error.prepareStackTrace = saved;
  }
});

test('backtraces list each active wasm frame once, and no frame for a function that finished by a tail call', () => {
  const tail = `(module
    (func $boom (param i64) (result i64) (unreachable))
    (func $countdown (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (call $boom (local.get 0)))
        (else (return_call $countdown (i64.sub (local.get 0) (i64.const 1))))))
    (func $start (export "start") (param i64) (result i64) (return_call $countdown (local.get 0)))
    (func $caller (export "caller") (param i64) (result i64)
      (i64.add (i64.const 1) (call $countdown (local.get 0)))))`;
  for (const compilation of ['lazy', 'eager'] as const) {
    const { store, instance } = instantiateWat(tail, { compilation });
    const frames = (name: string) => trapOf(() => instance.getFunc(store, name)!.call(store, [Val.i64(3n)])).backtrace.map((f) => f.funcName);
    // countdown and start tail-called (Wasmtime shows neither); countdown's last activation made a plain call.
    assert.deepEqual(frames('start'), ['boom', 'countdown'], compilation);
    assert.deepEqual(frames('caller'), ['boom', 'countdown', 'caller'], compilation);
  }
  // A tail call of a function that makes none is a plain JS call from the caller's frame: that
  // frame, at its return_call, is left out too.
  const direct = `(module
    (func $boom (param i32) (result i32) (unreachable))
    (func $hop (param i32) (result i32) (if (local.get 0) (then (return (i32.const 1)))) (return_call $boom (local.get 0)))
    (func (export "run") (param i32) (result i32) (i32.add (i32.const 1) (call $hop (local.get 0)))))`;
  for (const compilation of ['lazy', 'eager'] as const) {
    const { store, instance } = instantiateWat(direct, { compilation });
    const trap = trapOf(() => instance.getFunc(store, 'run')!.call(store, [Val.i32(0)]));
    assert.deepEqual(trap.backtrace.map((f) => f.funcIndex), [0, 2], compilation);
  }
  // A return_call of an import: the host's trap shows no frame of the caller either. At a
  // return_call_indirect, a trap of the instruction's own (an index past the table) keeps it.
  const viaImport = `(module
    (import "host" "fail" (func $fail (param i32) (result i32)))
    (type $t (func (param i32) (result i32)))
    (table 1 funcref) (elem (i32.const 0) $boom)
    (func $boom (type $t) (unreachable))
    (func $hop (param i32) (result i32) (return_call $fail (local.get 0)))
    (func $pick (param i32) (result i32) (return_call_indirect (type $t) (local.get 0) (local.get 0)))
    (func (export "host") (param i32) (result i32) (i32.add (i32.const 1) (call $hop (local.get 0))))
    (func (export "table") (param i32) (result i32) (i32.add (i32.const 1) (call $pick (local.get 0)))))`;
  for (const compilation of ['lazy', 'eager'] as const) {
    const { store, instance } = instantiateWat(viaImport, { compilation }, (s) => [
      Func.wrap(s, funcType([I32], [I32]), () => { throw new Trap(TrapCode.UnreachableCodeReached, 'the host refuses'); }),
    ]);
    const frames = (name: string, x: number) => trapOf(() => instance.getFunc(store, name)!.call(store, [Val.i32(x)])).backtrace.map((f) => f.funcIndex);
    assert.deepEqual(frames('host', 0), [4], compilation);
    assert.deepEqual(frames('table', 0), [1, 5], compilation);
    assert.deepEqual(frames('table', 7), [3, 5], compilation);
  }
});

test('stack traces of SpiderMonkey and JavaScriptCore are read too, and their stack overflows are StackOverflow', () => {
  const frames = (lines: string[]) => wasmBacktrace(lines.join('\n')).map((f) => f.funcIndex);
  // V8: "at NAME (URL:line:col)"; SpiderMonkey and JavaScriptCore: "NAME@URL:line:col".
  assert.deepEqual(frames([
    'RuntimeError@file:///x/errors.js:34:8', 'trapDivByZero@file:///x/traps.js:21:41', '$f0_inner@tswasm-module-99999.f0.js:11:22',
    'lazy$0@tswasm-module-99999.js:6:52', '$f3_loop_body@tswasm-module-99999.f3.js:9:1', '$f3_loop@tswasm-module-99999.f3.js:20:1',
    'adaptor@file:///x/func.js:1:1', 'runTail@file:///x/helpers.js:268:15', '$f2_start@tswasm-module-99999.f2.js:18:23',
    '$f1@tswasm-module-p0123456789abcdef.js:12:8', 'callLowered@file:///x/call.js:11:19',
  ]), [0, 3, 1]);
  assert.deepEqual(frames([
    'RuntimeError: x', '    at trapDivByZero (file:///x/traps.js:21:41)', '    at $f0_inner (tswasm-module-99999.f0.js:11:22)',
    '    at Object.$f1 [as fn] (tswasm-module-99999.js:12:8)',
  ]), [0, 1]);
  const internal = (message: string) => Object.assign(new Error(message), { name: 'InternalError' });
  assert.equal(isStackOverflow(new RangeError('Maximum call stack size exceeded')), true);
  assert.equal(isStackOverflow(internal('too much recursion')), true);
  assert.equal(isStackOverflow(internal('stack overflow')), true);
  assert.equal(isStackOverflow(new RangeError('Offset is outside the bounds of the DataView')), false);
  assert.equal(isStackOverflow(new Error('too much recursion')), false);
});

test('found by the stop 36 debugging audit: every frame of an out-of-bounds trap, a host Trap\'s wasm callers, names past a malformed name subsection', () => {
  // An out-of-bounds access 20 calls deep: V8 records Error.stackTraceLimit (10) frames in the
  // DataView's RangeError, and the trap kept 9 of its 22 frames.
  const { store, instance } = instantiateWat(`(module (memory 1)
    (func $deep (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.load (i32.const 70000)))
        (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
    (func (export "run") (result i32) (call $deep (i32.const 20))))`);
  const trap = trapOf(() => instance.getFunc(store, 'run')!.call(store, []));
  assert.equal(trap.code, TrapCode.MemoryOutOfBounds);
  assert.equal(trap.backtrace.length, 22);
  // A Trap a host function throws gets the wasm frames that called it, as Wasmtime attaches them.
  const thrower = instantiateWat(`(module (import "h" "t" (func $t)) (func $inner (call $t)) (func $outer (export "outer") (call $inner)))`, {},
    (s) => [Func.wrap(s, funcType([], []), () => { throw new Trap(TrapCode.UnreachableCodeReached); })]);
  const hostTrap = trapOf(() => thrower.instance.getFunc(thrower.store, 'outer')!.call(thrower.store, []));
  assert.deepEqual(WasmBacktrace.fromError(hostTrap)!.frames.map((f) => f.funcName), ['inner', 'outer']);
  // A malformed data-names subsection before the function names costs only itself.
  const functionNames = [1, 4, 1, 0, 1, 0x61]; // {0: "a"}
  const badDataNames = [9, 3, 1, 0, 200]; // a name of 200 bytes in a subsection of 3
  const payload = [4, ...new TextEncoder().encode('name'), ...badDataNames, ...functionNames];
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0,
    10, 5, 1, 3, 0, 0x00, 0x0b, 0, payload.length, ...payload]);
  const engine = new Engine();
  const m = { store: new Store(engine), instance: undefined as unknown as Instance };
  m.instance = new Instance(m.store, new Module(engine, bytes), []);
  assert.deepEqual(trapOf(() => m.instance.getFunc(m.store, 'f')!.call(m.store, [])).backtrace.map((f) => f.funcName), ['a']);
});
