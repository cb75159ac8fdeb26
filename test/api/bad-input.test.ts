// Misuse of the embedding API gets a TypeError that says what was expected, never a silent
// conversion (a string becoming 0) or an error from inside the implementation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine, Global, I32, I64, Instance, Linker, Memory, Module, SharedMemory, Store, Table, Val, funcType,
  type FuncType, type ValType,
} from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';

/** Throws a TypeError whose message matches `message`. */
function refuses(f: () => unknown, message: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

const anything = (x: unknown) => x as never;

test('Val constructors refuse values of the wrong JS type', () => {
  refuses(() => Val.i32(anything('7')), /Val\.i32: expected a number, got the string "7"/);
  refuses(() => Val.i64(anything(1.5)), /Val\.i64: 1\.5 is not an integer/);
  refuses(() => Val.i64(anything('1')), /Val\.i64: expected a bigint or an integer/);
  refuses(() => Val.f32(anything(undefined)), /Val\.f32: expected a number, got undefined/);
  refuses(() => Val.f64(anything(null)), /Val\.f64: expected a number, got null/);
  refuses(() => Val.f32Bits(anything(1n)), /Val\.f32Bits: expected a number/);
  refuses(() => Val.f64Bits(anything(1)), /Val\.f64Bits: expected a bigint/);
  refuses(() => Val.v128(anything(1)), /Val\.v128: expected a bigint/);
  refuses(() => Val.funcref(anything(() => 1)), /a funcref Val holds a Func or null/);
  // What they accept is unchanged: i32 wraps, i64 takes integral numbers too.
  assert.equal(Val.i32(0xffffffff).value, -1);
  assert.equal(Val.i64(2 ** 40).value, 2n ** 40n);
});

test('function types and typed views take value types only', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, parseWat('(module (func (export "f") (param i32) (result i32) (local.get 0)))')));
  refuses(() => funcType(anything(['i32']), []), /funcType params: entry 0 is not a value type .* got "i32"/);
  refuses(() => funcType([I32], anything(I64)), /funcType results: expected an array of value types/);
  refuses(() => instance.getTypedFunc(store, 'f', anything([0x99]), [I32]), /typed params: entry 0 is not a value type/);
  const linker = new Linker(engine);
  refuses(() => linker.funcNew('m', 'f', anything(42), () => []), /expected a function type/);
  const forged = { kind: 'func', params: ['i32'], results: [] } as unknown as FuncType;
  refuses(() => linker.funcWrap('m', 'g', forged, () => {}), /function type params: entry 0 is not a value type/);
  assert.equal(instance.getTypedFunc(store, 'f', [I32], [I32] as ValType[]).call(store, 5), 5);
});

test('memory, table and global types must have their shape', () => {
  const engine = new Engine({ features: { threads: true } });
  const store = new Store(engine);
  refuses(() => new Memory(store, anything('1 page')), /memory type: expected \{ limits, address64, shared, pageSizeLog2 \}/);
  refuses(() => new Memory(store, anything({ limits: { min: -1, max: null }, address64: false, shared: false, pageSizeLog2: 16 })), /memory type: limits must be/);
  refuses(() => new Memory(store, anything({ limits: { min: 1, max: null } })), /address64 and shared must be booleans/);
  refuses(() => new SharedMemory(engine, anything({ limits: { min: 1 } })), /memory type: limits must be/);
  refuses(() => new Table(store, anything({ element: I32, limits: { min: 1, max: null }, address64: false }), Val.i32(0)), /table type: element must be a reference type/);
  refuses(() => new Global(store, anything({ type: 'i32', mutable: false }), Val.i32(1)), /global type: expected \{ type, mutable \}/);
  refuses(() => new Global(store, anything(null), Val.i32(1)), /global type/);
  assert.equal(new Global(store, { type: I32, mutable: false }, Val.i32(3)).get(store).value, 3);
});

test('instances, deserialization and memory writes check their arguments', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const module = new Module(engine, parseWat('(module (memory (export "m") 1))'));
  refuses(() => new Instance(store, anything(null)), /Instance: expected a Module/);
  refuses(() => new Instance(store, module, anything(null)), /imports must be an array/);
  // Text is a module source, not a serialized module: it is not parsed here.
  refuses(() => Module.deserialize(engine, anything('(module)')), /Module\.deserialize: expected the bytes of Module\.serialize/);
  const memory = new Instance(store, module).getMemory(store, 'm')!;
  refuses(() => memory.write(store, 0, anything('abc')), /Memory\.write: data must be a Uint8Array/);
  memory.write(store, 0, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...memory.read(store, 0, 3)], [1, 2, 3]);
});

test("a host function's results must have the JS types of its result types", () => {
  const engine = new Engine();
  const store = new Store(engine);
  const call = (results: ValType[], value: unknown) => {
    const linker = new Linker(engine);
    linker.funcWrap('host', 'r', funcType([], results), () => value);
    const type = results.map((t) => (t === I64 ? 'i64' : 'i32')).join(' ');
    const instance = linker.instantiate(store, new Module(engine, parseWat(`(module
      (import "host" "r" (func $r (result ${type})))
      (func (export "f") (result ${type}) (call $r)))`)));
    return instance.getFunc(store, 'f')!.call(store, []).map((v) => v.value);
  };
  refuses(() => call([I32], 'str'), /expected a number for i32, got the string "str"/);
  refuses(() => call([I32], undefined), /expected a number for i32, got undefined/);
  refuses(() => call([I64], undefined), /expected a bigint or an integer for i64, got undefined/);
  refuses(() => call([I64], 1.5), /expected a bigint or an integer for i64, got the number 1\.5/);
  assert.deepEqual(call([I32], 7), [7]);
  assert.deepEqual(call([I64], 7), [7n]);
  assert.deepEqual(call([I64], -7n), [-7n]);
});

test('a Config with a typo or a wrong type is refused, not silently ignored', () => {
  refuses(() => new Engine(anything(null)), /Config must be an object/);
  refuses(() => new Engine(anything({ consume_fuel: true })), /Config: unknown option "consume_fuel"/);
  refuses(() => new Engine(anything({ compilation: 'fast' })), /Config\.compilation must be 'lazy' or 'eager', not "fast"/);
  refuses(() => new Engine(anything({ consumeFuel: 'yes' })), /Config\.consumeFuel must be a boolean/);
  refuses(() => new Engine(anything({ features: { gcc: true } })), /Config\.features: unknown feature "gcc"/);
  refuses(() => new Engine(anything({ features: { gc: 1 } })), /Config\.features\.gc must be a boolean/);
  refuses(() => new Engine(anything({ serializationKey: 42 })), /Config\.serializationKey must be a string or a Uint8Array/);
  assert.equal(new Engine({ compilation: 'eager', features: { threads: true }, consumeFuel: false }).config.compilation, 'eager');
});

test('an Engine, a Store or a Caller where one is expected, or a TypeError saying so', () => {
  const engine = new Engine();
  const store = new Store(engine);
  refuses(() => new Store(anything({})), /Store: expected an Engine/);
  refuses(() => new Module(anything(undefined), '(module)'), /Module: expected an Engine/);
  refuses(() => Module.validate(anything({}), new Uint8Array(8)), /Module\.validate: expected an Engine/);
  refuses(() => Module.deserialize(anything(null), new Uint8Array(8)), /Module\.deserialize: expected an Engine/);
  refuses(() => new Linker(anything(store)), /Linker: expected an Engine/);
  // Wasmtime's define_unknown_imports_as_* take the module alone; a Store there was an internal TypeError.
  refuses(() => new Linker(engine).defineUnknownImportsAsTraps(anything(store)), /Linker\.defineUnknownImportsAsTraps: expected a Module/);
  refuses(() => new Linker(engine).defineUnknownImportsAsDefaultValues(anything(null)), /Linker\.defineUnknownImportsAsDefaultValues: expected a Module/);
  refuses(() => new Instance(anything(engine), new Module(engine, '(module)')), /expected a Store or a Caller/);
});
