// Coredumps (Config.coredumpOnTrap, Wasmtime's WasmCoreDump): what a trap carries, and its
// serialization in the standard format (WebAssembly/tool-conventions, Coredump.md), read back here
// with the project's decoder and a reader of the four custom sections.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine, FUNCREF, Func, Global, I32, Instance, Linker, Memory, Module, SharedMemory, Store, Trap, Val, WasmCoreDump, funcType,
} from '../../src/index.js';
import { decodeModule } from '../../src/binary/decoder.js';
import { ByteReader } from '../../src/binary/reader.js';

// Wasmtime's own coredump example: `run` calls a, b and c; a stores 42 at 0x1234, b sets $g to 36,
// c traps.
const TRAPPER = `(module $trapper
  (memory 10)
  (global $g (mut i32) (i32.const 0))
  (func (export "run") call $a)
  (func $a i32.const 0x1234 i64.const 42 i64.store call $b)
  (func $b i32.const 36 global.set $g call $c)
  (func $c unreachable))`;

function trapOf(f: () => unknown): Trap {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Trap, `expected a Trap, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a trap');
}

interface DumpFrame { instance: number; func: number; offset: number; locals: number; stack: number }

/** The coredump's custom sections, decoded as Coredump.md defines them. */
function readCoredump(engine: Engine, bytes: Uint8Array) {
  Module.validate(engine, bytes);
  const module = new Module(engine, bytes);
  const one = (name: string) => {
    const sections = module.customSections(name);
    assert.equal(sections.length, 1, `one "${name}" section`);
    return new ByteReader(sections[0]!);
  };
  const name = (r: ByteReader) => {
    const n = r.u32();
    const text = new TextDecoder().decode(r.bytes.subarray(r.pos, r.pos + n));
    r.pos += n;
    return text;
  };
  const vec = <T>(r: ByteReader, item: () => T): T[] => Array.from({ length: r.u32() }, item);
  const zero = (r: ByteReader) => assert.equal(r.u8(), 0);

  const core = one('core');
  zero(core);
  const executable = name(core);
  const mods = one('coremodules');
  const modules = vec(mods, () => (zero(mods), name(mods)));
  const insts = one('coreinstances');
  const instances = vec(insts, () => (zero(insts), { module: insts.u32(), memories: vec(insts, () => insts.u32()), globals: vec(insts, () => insts.u32()) }));
  const stack = one('corestack');
  zero(stack);
  const thread = name(stack);
  const frames: DumpFrame[] = vec(stack, () => {
    zero(stack);
    return { instance: stack.u32(), func: stack.u32(), offset: stack.u32(), locals: stack.u32(), stack: stack.u32() };
  });
  const info = decodeModule(bytes, engine.config.features);
  return { executable, modules, instances, thread, frames, info };
}

function trapper(config = {}) {
  const engine = new Engine({ coredumpOnTrap: true, ...config });
  const store = new Store(engine);
  const module = new Module(engine, TRAPPER);
  const instance = new Instance(store, module);
  return { engine, store, module, instance };
}

test('a trap carries a coredump of its store: frames, the instance, its memory and global', () => {
  const { engine, store, module, instance } = trapper();
  const trap = trapOf(() => instance.getFunc(store, 'run')!.call(store, []));
  const dump = WasmCoreDump.fromError(trap)!;
  assert.ok(dump instanceof WasmCoreDump);
  assert.deepEqual(dump.frames.map((f) => f.funcIndex), [3, 2, 1, 0]);
  assert.deepEqual(dump.frames, trap.backtrace);
  assert.deepEqual(dump.modules, [module]);
  assert.deepEqual(dump.instances, [instance]);
  assert.equal(dump.memories.length, 1);
  assert.equal((dump.memories[0] as Memory).read(store, 0x1234, 1)[0], 42);
  assert.deepEqual(dump.globals.map((g) => g.get(store)), [Val.i32(36)]);
  const text = dump.toString();
  assert.match(text, new RegExp(`^wasm coredump generated while executing store ${store.id}:\nmodules:\n  trapper\ninstances:\n  Instance\\(store=${store.id}, index=0\\)`));
  assert.match(text, /backtrace:\n.*trapper!c \(function 3\)/);

  const bytes = dump.serialize(store, 'trapper.wasm');
  const d = readCoredump(engine, bytes);
  assert.equal(d.executable, 'trapper.wasm');
  assert.deepEqual(d.modules, ['trapper']);
  assert.deepEqual(d.instances, [{ module: 0, memories: [0], globals: [0] }]);
  assert.equal(d.thread, 'main');
  assert.deepEqual(d.frames, dump.frames.map((f) => ({ instance: 0, func: f.funcIndex, offset: f.funcOffset, locals: 0, stack: 0 })));
  assert.ok(d.frames.every((f) => f.offset > 0), 'each frame has its offset in the function');
  // The memory at its current size, its non-zero bytes as active segments; the global as a constant.
  assert.equal(d.info.memories.length, 1);
  assert.equal(d.info.memories[0]!.limits.min, 10);
  assert.equal(d.info.datas.length, 1);
  assert.deepEqual([...d.info.datas[0]!.data], [42]);
  assert.deepEqual([...bytes.subarray(d.info.datas[0]!.offset!.start, d.info.datas[0]!.offset!.end)], [0x41, 0xb4, 0x24]);
  const g = d.info.globalDefs[0]!;
  assert.equal(g.type.type, I32);
  assert.equal(g.type.mutable, false);
  assert.deepEqual([...bytes.subarray(g.init.start, g.init.end)], [0x41, 36]);
});

test('serialize reads memories and globals as they are when it is called', () => {
  const { engine, store, instance } = trapper();
  const dump = WasmCoreDump.fromError(trapOf(() => instance.getFunc(store, 'run')!.call(store, [])))!;
  (dump.memories[0] as Memory).write(store, 0x10, new Uint8Array([7, 8]));
  const d = readCoredump(engine, dump.serialize(store, 'x'));
  assert.deepEqual(d.info.datas.map((s) => [...s.data]), [[7, 8], [42]]);
});

test('without Config.coredumpOnTrap, and for what is not a trap, there is no coredump', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, TRAPPER));
  assert.equal(WasmCoreDump.fromError(trapOf(() => instance.getFunc(store, 'run')!.call(store, []))), null);
  assert.equal(store.raw.dumpable, null, 'a store keeps nothing for coredumps unless asked');

  const on = new Engine({ coredumpOnTrap: true });
  const s2 = new Store(on);
  const hostError = new Error('host');
  const thrower = Func.wrap(s2, funcType([], []), () => {
    throw hostError;
  });
  const m = new Module(on, '(module (import "h" "f" (func $f)) (func (export "g") call $f))');
  const g = new Instance(s2, m, [thrower]).getFunc(s2, 'g')!;
  assert.throws(() => g.call(s2, []), (e) => e === hostError);
  assert.equal(WasmCoreDump.fromError(hostError), null);
  assert.equal(WasmCoreDump.fromError('text'), null);
  assert.equal(WasmCoreDump.fromError(null), null);
});

test('a trap in a start function: the instance being created is in the coredump', () => {
  const engine = new Engine({ coredumpOnTrap: true });
  const store = new Store(engine);
  const module = new Module(engine, `(module
    (memory 1)
    (func $boom (i32.store (i32.const 8) (i32.const 0x01020304)) (drop (i32.div_u (i32.const 1) (i32.const 0))))
    (start $boom))`);
  const trap = trapOf(() => new Instance(store, module));
  const dump = WasmCoreDump.fromError(trap)!;
  assert.equal(dump.instances.length, 1);
  assert.equal(dump.instances[0]!.raw.module, module);
  const d = readCoredump(engine, dump.serialize(store, 'start'));
  assert.deepEqual(d.frames.map((f) => [f.instance, f.func]), [[0, 0]]);
  assert.deepEqual([...d.info.datas[0]!.data], [4, 3, 2, 1]);
});

test('frames are attributed to the instance the host called into, among instances of one module', () => {
  const engine = new Engine({ coredumpOnTrap: true });
  const store = new Store(engine);
  const module = new Module(engine, TRAPPER);
  new Instance(store, module);
  const second = new Instance(store, module);
  const dump = WasmCoreDump.fromError(trapOf(() => second.getFunc(store, 'run')!.call(store, [])))!;
  assert.equal(dump.instances.length, 2);
  assert.deepEqual(dump.modules, [module]);
  const d = readCoredump(engine, dump.serialize(store, 'two'));
  assert.deepEqual(d.frames.map((f) => f.instance), [1, 1, 1, 1]);
  assert.deepEqual(d.instances, [{ module: 0, memories: [0], globals: [0] }, { module: 0, memories: [1], globals: [1] }]);
  assert.equal(d.info.datas.length, 1, 'only the second instance stored anything');
  assert.equal(d.info.datas[0]!.memory, 1);
});

test('memories and globals the host created are listed, shared ones once; a reference global is written as null', () => {
  const engine = new Engine({ coredumpOnTrap: true });
  const store = new Store(engine);
  const memory = new Memory(store, { limits: { min: 1, max: 2 }, address64: false, shared: false, pageSizeLog2: 16 });
  const counter = new Global(store, { type: I32, mutable: true }, Val.i32(5));
  // A host global no instance imports: listed all the same, as the store's.
  new Global(store, { type: FUNCREF, mutable: false }, Val.funcref(Func.wrap(store, funcType([], []), () => {})));
  const linker = new Linker(engine);
  linker.define(store, 'host', 'memory', memory);
  linker.define(store, 'host', 'counter', counter);
  const module = new Module(engine, `(module
    (import "host" "memory" (memory 1 2))
    (import "host" "counter" (global $c (mut i32)))
    (global $own f64 (f64.const -0.5))
    (func (export "go") (global.set $c (i32.const 9)) (i32.store8 (i32.const 3) (i32.const 200)) unreachable))`);
  const instance = linker.instantiate(store, module);
  const dump = WasmCoreDump.fromError(trapOf(() => instance.getFunc(store, 'go')!.call(store, [])))!;
  assert.equal(dump.memories.length, 1, 'the imported memory is the host one, listed once');
  assert.deepEqual(dump.globals.map((g) => g.get(store).type), ['i32', 'funcref', 'f64']);
  const bytes = dump.serialize(store, 'host');
  const d = readCoredump(engine, bytes);
  assert.deepEqual(d.instances, [{ module: 0, memories: [0], globals: [0, 2] }]);
  assert.equal(d.info.memories[0]!.limits.max, 2);
  assert.deepEqual([...d.info.datas[0]!.data], [200]);
  const inits = d.info.globalDefs.map((g) => [...bytes.subarray(g.init.start, g.init.end)]);
  assert.deepEqual(inits[0], [0x41, 9]);
  assert.deepEqual(inits[1], [0xd0, 0x70], 'ref.null func: the format holds no reference');
  assert.deepEqual(inits[2], [0x44, 0, 0, 0, 0, 0, 0, 0xe0, 0xbf]);
});

test('memory64 and several memories: each keeps its address type and its own segments', () => {
  const engine = new Engine({ coredumpOnTrap: true });
  const store = new Store(engine);
  const module = new Module(engine, `(module
    (memory $a i64 1)
    (memory $b 2)
    (func (export "go")
      (i64.store $a (i64.const 100) (i64.const 0x0807060504030201))
      (i32.store8 $b (i32.const 70000) (i32.const 9))
      unreachable))`);
  const instance = new Instance(store, module);
  const dump = WasmCoreDump.fromError(trapOf(() => instance.getFunc(store, 'go')!.call(store, [])))!;
  const d = readCoredump(engine, dump.serialize(store, 'mem64'));
  assert.deepEqual(d.info.memories.map((m) => [m.address64, m.limits.min]), [[true, 1], [false, 2]]);
  assert.deepEqual(d.info.datas.map((s) => [s.memory, [...s.data]]), [[0, [1, 2, 3, 4, 5, 6, 7, 8]], [1, [9]]]);
});

test('a shared memory is listed as its SharedMemory and written with its shared flag', () => {
  const engine = new Engine({ coredumpOnTrap: true, features: { threads: true } });
  const store = new Store(engine);
  const module = new Module(engine, `(module (memory 1 2 shared)
    (func (export "go") (i32.atomic.store (i32.const 64) (i32.const 0x0a0b0c0d)) unreachable))`);
  const instance = new Instance(store, module);
  const dump = WasmCoreDump.fromError(trapOf(() => instance.getFunc(store, 'go')!.call(store, [])))!;
  assert.ok(dump.memories[0] instanceof SharedMemory);
  const d = readCoredump(engine, dump.serialize(store, 'shared'));
  assert.deepEqual(d.info.memories.map((m) => [m.shared, m.limits.min, m.limits.max]), [[true, 1, 2]]);
  assert.deepEqual([...d.info.datas[0]!.data], [0x0d, 0x0c, 0x0b, 0x0a]);
});

test('a coredump serializes only with its own store', () => {
  const { instance, store } = trapper();
  const dump = WasmCoreDump.fromError(trapOf(() => instance.getFunc(store, 'run')!.call(store, [])))!;
  assert.throws(() => dump.serialize(new Store(new Engine({ coredumpOnTrap: true })), 'x'), /object used with the wrong store/);
});

test('an async call that traps carries a coredump too', async () => {
  const { store, instance } = trapper({ asyncSupport: true });
  const error = await instance.getFunc(store, 'run')!.callAsync(store, []).then(() => null, (e: unknown) => e);
  assert.ok(error instanceof Trap);
  assert.deepEqual(WasmCoreDump.fromError(error)!.frames.map((f) => f.funcIndex), [3, 2, 1, 0]);
});

test('Config.coredumpOnTrap must be a boolean', () => {
  assert.throws(() => new Engine({ coredumpOnTrap: 1 as never }), /Config.coredumpOnTrap must be a boolean/);
});
