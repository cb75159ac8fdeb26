// The Linker: host functions by name in any store, define/instance/module, shadowing, unknown
// imports as traps or defaults, aliases, getDefault and iter, and InstancePre instantiating many times.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Engine, F64, Func, Global, I32, I64, Instance, LinkError, Linker, Module, Store, Trap, TrapCode, Val, funcType, valTypeName,
} from '../../src/index.js';

const counter = `(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "base" (global $base i32))
  (global $n (mut i32) (i32.const 0))
  (func (export "next") (result i32)
    (global.set $n (call $add (global.get $n) (i32.const 1)))
    (i32.add (global.get $n) (global.get $base))))`;

test('funcWrap and define satisfy imports by name', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  linker.funcWrap('env', 'add', funcType([I32, I32], [I32]), (a: number, b: number) => a + b);
  linker.define(store, 'env', 'base', new Global(store, { type: I32, mutable: false }, Val.i32(100)));
  const instance = linker.instantiate(store, new Module(engine, counter));
  const next = instance.getTypedFunc(store, 'next', [], [I32]);
  assert.deepEqual([next.call(store), next.call(store)], [101, 102]);
});

test('unknown imports, shadowing and aliases', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  const module = new Module(engine, counter);
  assert.throws(() => linker.instantiate(store, module), (e: unknown) => e instanceof LinkError && /unknown import: `env::add` has not been defined/.test(e.message));
  linker.funcWrap('env', 'add', funcType([I32, I32], [I32]), (a: number, b: number) => a + b);
  assert.throws(() => linker.funcWrap('env', 'add', funcType([I32, I32], [I32]), (a: number, b: number) => a - b), /import of `env::add` defined twice/);
  linker.allowShadowing(true);
  linker.funcWrap('env', 'add', funcType([I32, I32], [I32]), (a: number, b: number) => a + 2 * b);
  linker.define(store, 'other', 'base', new Global(store, { type: I32, mutable: false }, Val.i32(7)));
  linker.alias('other', 'base', 'env', 'base');
  const instance = linker.instantiate(store, module);
  assert.equal(instance.getFunc(store, 'next')!.call(store)[0]!.value, 9);
  // A definition of the wrong type is a link error.
  const wrong = new Linker(engine);
  wrong.funcWrap('env', 'add', funcType([I64], []), () => {});
  wrong.define(store, 'env', 'base', new Global(store, { type: I32, mutable: false }, Val.i32(0)));
  assert.throws(() => wrong.instantiate(store, module), /incompatible import type for "env" "add"/);
});

test('defineUnknownImportsAsTraps and defineUnknownImportsAsDefaultValues', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const module = new Module(engine, `(module (import "x" "f" (func $f (result i32 i64 f64)))
    (func (export "call") (result i32 i64 f64) (call $f)) (func (export "ok") (result i32) (i32.const 1)))`);
  const traps = new Linker(engine).defineUnknownImportsAsTraps(module);
  const instance = traps.instantiate(store, module);
  assert.equal(instance.getFunc(store, 'ok')!.call(store)[0]!.value, 1);
  assert.throws(() => instance.getFunc(store, 'call')!.call(store), (e: unknown) => e instanceof Trap && /unknown import: `x::f`/.test(e.message));
  const defaults = new Linker(engine).defineUnknownImportsAsDefaultValues(module).instantiate(store, module);
  assert.deepEqual(defaults.getFunc(store, 'call')!.call(store).map((v) => v.value), [0, 0n, 0n]);
});

test('instance() registers exports for other modules; module() handles reactors and commands', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  const lib = new Instance(store, new Module(engine, `(module (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5))))`), []);
  linker.instance(store, 'lib', lib);
  const user = linker.instantiate(store, new Module(engine, `(module (import "lib" "half" (func $h (param f64) (result f64)))
    (func (export "quarter") (param f64) (result f64) (call $h (call $h (local.get 0)))))`));
  assert.equal(user.getTypedFunc(store, 'quarter', [F64], [F64]).call(store, 10), 2.5);

  // A reactor is instantiated once and initialised; its state persists between calls.
  const reactor = new Module(engine, `(module (global $n (mut i32) (i32.const 0))
    (func (export "_initialize") (global.set $n (i32.const 10)))
    (func (export "bump") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))`);
  linker.module(store, 'reactor', reactor);
  const bump = linker.get(store, 'reactor', 'bump') as Func;
  assert.deepEqual([bump.call(store)[0]!.value, bump.call(store)[0]!.value], [11, 12]);
  // A command gets a fresh instance for every call.
  const command = new Module(engine, `(module (global $n (mut i32) (i32.const 0)) (func (export "_start"))
    (func (export "bump") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))`);
  linker.module(store, 'command', command);
  const cbump = linker.get(store, 'command', 'bump') as Func;
  assert.deepEqual([cbump.call(store)[0]!.value, cbump.call(store)[0]!.value], [1, 1]);
});

test('getDefault finds a module\'s "" or _start export, else a no-op; iter lists every definition', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  const ran: string[] = [];
  linker.funcWrap('env', 'mark', funcType([I32], []), (n: number) => void ran.push(`mark ${n}`));
  const module = (exports: string) => new Module(engine, `(module (import "env" "mark" (func $m (param i32))) ${exports})`);
  linker.instance(store, 'empty_name', linker.instantiate(store, module('(func (export "") (call $m (i32.const 1))) (func (export "_start") (call $m (i32.const 2)))')));
  linker.instance(store, 'start', linker.instantiate(store, module('(func (export "_start") (call $m (i32.const 3)))')));
  linker.instance(store, 'none', linker.instantiate(store, module('(func (export "other") (call $m (i32.const 4)))')));
  linker.instance(store, 'global', linker.instantiate(store, module('(global (export "") i32 (i32.const 0))')));
  for (const name of ['empty_name', 'start', 'none']) linker.getDefault(store, name).call(store);
  assert.deepEqual(ran, ['mark 1', 'mark 3']);
  assert.deepEqual(linker.getDefault(store, 'nowhere').type(store), funcType([], []));
  assert.throws(() => linker.getDefault(store, 'global'), /the default export of `global` \(``\) is not a function/);

  const listed = [...linker.iter(store)].map(([m, n, item]) => `${m}::${n}:${item.constructor.name}`);
  assert.deepEqual(listed, [
    'env::mark:Func', 'empty_name:::Func', 'empty_name::_start:Func', 'start::_start:Func', 'none::other:Func', 'global:::Global',
  ]);
});

test('instantiatePre resolves once and instantiates in many stores', () => {
  const engine = new Engine();
  const linker = new Linker<{ calls: number }>(engine);
  linker.funcWrapWithCaller('env', 'add', funcType([I32, I32], [I32]), (caller, a: number, b: number) => {
    caller.data.calls++;
    return a + b;
  });
  linker.funcWrap('env', 'unused', funcType([], []), () => {});
  const module = new Module(engine, counter.replace('(import "env" "base" (global $base i32))', '').replace('(global.get $base)', '(i32.const 0)'));
  const pre = linker.instantiatePre(module);
  // Later changes to the linker do not affect an InstancePre.
  linker.allowShadowing(true).funcWrap('env', 'add', funcType([I32, I32], [I32]), () => -1);
  const stores = [1, 2, 3].map(() => new Store(engine, { calls: 0 }));
  for (const store of stores) {
    const next = pre.instantiate(store).getTypedFunc(store, 'next');
    next.call(store);
    assert.equal(next.call(store), 2);
  }
  assert.deepEqual(stores.map((s) => s.data.calls), [2, 2, 2]);
  const bad = new Linker(engine);
  bad.funcWrap('env', 'add', funcType([I32], [I32]), (a: number) => a);
  assert.throws(() => bad.instantiatePre(module), LinkError);
  assert.throws(() => new Linker(engine).instantiatePre(module), /unknown import/);
});

test('a host function may trap with a Trap of its own', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  linker.funcNew('env', 'add', funcType([I32, I32], [I32]), () => {
    throw new Trap(TrapCode.UnreachableCodeReached, 'host says no');
  });
  linker.define(store, 'env', 'base', new Global(store, { type: I32, mutable: false }, Val.i32(0)));
  const instance = linker.instantiate(store, new Module(engine, counter));
  assert.throws(() => instance.getFunc(store, 'next')!.call(store), /host says no/);
});

test('module() refuses what Wasmtime refuses: command and reactor at once, non-function exports of a command, a mistyped _initialize', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  const both = new Module(engine, '(module (func (export "_start")) (func (export "_initialize")))');
  assert.throws(() => linker.module(store, 'both', both), /cannot be both a command \(`_start`\) and a reactor \(`_initialize`\)/);
  assert.throws(() => linker.module(store, 'g', new Module(engine, '(module (global (export "_start") i32 (i32.const 0)))')), /`_start` must be a function/);
  assert.throws(() => linker.module(store, 'r', new Module(engine, '(module (func (export "_initialize") (param i32)))')), /`_initialize` must take and return nothing/);
  // Toolchains' memory, table and globals are accepted in a command; anything else only with allowUnknownExports.
  const toolchain = new Module(engine, `(module (memory (export "memory") 1) (table (export "__indirect_function_table") 1 funcref)
    (global (export "__heap_base") i32 (i32.const 0)) (func (export "_start")) (func (export "run") (result i32) (i32.const 5)))`);
  linker.module(store, 'tool', toolchain);
  assert.deepEqual([...linker.iter(store)].map(([m, n]) => `${m}::${n}`), ['tool::_start', 'tool::run']);
  const counterCommand = new Module(engine, '(module (global (export "counter") (mut i32) (i32.const 0)) (func (export "_start")))');
  assert.throws(() => linker.module(store, 'c', counterCommand), /command export 'counter' is not a function/);
  assert.equal(linker.get(store, 'c', '_start'), undefined, 'nothing is defined when the command is refused');
  linker.allowUnknownExports(true).module(store, 'c', counterCommand);
  assert.ok(linker.get(store, 'c', '_start') instanceof Func);
  assert.equal(linker.get(store, 'c', 'counter'), undefined);
});

test('module() resolves a command\'s imports when it is defined', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  const command = new Module(engine, `(module (import "env" "seed" (func $seed (result i32)))
    (func (export "_start")) (func (export "get") (result i32) (call $seed)))`);
  assert.throws(() => linker.module(store, 'cmd', command), (e: unknown) => e instanceof LinkError && /unknown import: `env::seed`/.test(e.message));
  linker.funcWrap('env', 'seed', funcType([], [I32]), () => 7);
  linker.module(store, 'cmd', command);
  // Later changes to the linker do not reach the command's instances.
  linker.allowShadowing(true).funcWrap('env', 'seed', funcType([], [I32]), () => 8);
  assert.equal((linker.get(store, 'cmd', 'get') as Func).call(store)[0]!.value, 7);
});

test('aliasModule copies what a module name defines now; getByImport finds an import\'s item', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);
  linker.funcWrap('wasi_snapshot_preview1', 'sched_yield', funcType([], [I32]), () => 0);
  linker.define(store, 'wasi_snapshot_preview1', 'base', new Global(store, { type: I32, mutable: false }, Val.i32(3)));
  linker.aliasModule('wasi_snapshot_preview1', 'wasi_unstable');
  linker.funcWrap('wasi_snapshot_preview1', 'later', funcType([], []), () => {});
  assert.deepEqual([...linker.iter(store)].map(([m, n]) => `${m}::${n}`), [
    'wasi_snapshot_preview1::sched_yield', 'wasi_snapshot_preview1::base', 'wasi_unstable::sched_yield', 'wasi_unstable::base',
    'wasi_snapshot_preview1::later',
  ]);
  assert.equal(linker.get(store, 'wasi_unstable', 'sched_yield'), linker.get(store, 'wasi_snapshot_preview1', 'sched_yield'));
  assert.throws(() => linker.aliasModule('wasi_snapshot_preview1', 'wasi_unstable'), /import of `wasi_unstable::sched_yield` defined twice/);
  assert.throws(() => linker.aliasModule(1 as unknown as string, 'x'), TypeError);

  const module = new Module(engine, `(module (import "wasi_unstable" "sched_yield" (func (result i32)))
    (import "wasi_unstable" "base" (global i32)) (import "wasi_unstable" "missing" (func)))`);
  const found = module.imports().map((imp) => linker.getByImport(store, imp));
  assert.ok(found[0] instanceof Func && found[1] instanceof Global);
  assert.equal(found[2], undefined);
  assert.throws(() => linker.getByImport(store, null as never), /expected an import from Module.imports\(\)/);
});

test('defineUnknownImportsAsDefaultValues: v128 results are zero; a non-nullable reference result is refused up front', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const v128 = new Module(engine, `(module (import "x" "v" (func $v (result v128 funcref)))
    (func (export "lanes") (result i32) (call $v) (drop) (i32x4.extract_lane 3)))`);
  const instance = new Linker(engine).defineUnknownImportsAsDefaultValues(v128).instantiate(store, v128);
  assert.equal(instance.getTypedFunc(store, 'lanes', [], [I32]).call(store), 0);
  const nonNull = new Module(engine, `(module (type $t (func)) (import "x" "ok" (func)) (import "x" "f" (func (result (ref $t)))))`);
  const linker = new Linker(engine);
  assert.throws(() => linker.defineUnknownImportsAsDefaultValues(nonNull), /no default value exists for type `\(ref \(func\)\)` \(import `x::f`\)/);
  assert.equal(linker.get(store, 'x', 'ok'), undefined, 'nothing is defined when one import has no default');
  // One name imported twice is defined once.
  const twice = new Module(engine, '(module (import "x" "g" (func (result i32))) (import "x" "g" (func (result i32))))');
  new Linker(engine).defineUnknownImportsAsDefaultValues(twice).instantiate(store, twice);
});

test('Module.getExport and getExportIndex; Instance.getModuleExport only for instances of that module', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const wat = '(module (func (export "f") (result i32) (i32.const 1)) (global (export "g") i32 (i32.const 2)))';
  const module = new Module(engine, wat);
  assert.deepEqual(module.getExport('f'), { kind: 'func', type: funcType([], [I32]) });
  assert.equal(module.getExport('g')!.kind, 'global');
  assert.equal(module.getExport('nope'), undefined);
  assert.equal(module.getExportIndex('nope'), undefined);
  const f = module.getExportIndex('f')!;
  const g = module.getExportIndex('g')!;
  const instance = new Instance(store, module, []);
  assert.equal(instance.getModuleExport(store, f), instance.getFunc(store, 'f'));
  assert.equal((instance.getModuleExport(store, g) as Global).get(store).value, 2);
  // The same text compiled again is another module: its instances do not answer this module's exports.
  const twin = new Instance(store, new Module(engine, wat), []);
  assert.equal(twin.getModuleExport(store, f), undefined);
  assert.throws(() => instance.getModuleExport(new Store(engine), f), /object used with the wrong store/);
  assert.throws(() => instance.getModuleExport(store, { module, name: 'f' } as never), /expected a ModuleExport/);
  assert.throws(() => module.getExport(3 as never), TypeError);
});

test('a link error writes out the type the import wants and the type it was given', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const provider = new Linker(engine).instantiate(store, new Module(engine, `(module
    (type $pair (struct (field i32) (field (mut i64))))
    (memory (export "memory") 1)
    (global (export "counter") (mut i32) (i32.const 0))
    (table (export "table") 2 funcref)
    (func (export "take") (param (ref $pair)) (result i32) (i32.const 0)))`));
  const cases: [string, string, RegExp][] = [
    ['(import "m" "x" (func (param (ref $list))))', 'take',
      /expected \(func \(param \(ref \(struct \(field i32\) \(field \(ref null \(struct \.\.\.\)\)\)\)\)\)\), found \(func \(param \(ref \(struct \(field i32\) \(field \(mut i64\)\)\)\)\) \(result i32\)\)$/],
    ['(import "m" "x" (memory 2 4))', 'memory', /expected \(memory 2 4\), found \(memory 1\)$/],
    ['(import "m" "x" (global i32))', 'counter', /expected \(global i32\), found \(global \(mut i32\)\)$/],
    ['(import "m" "x" (table 1 externref))', 'table', /expected \(table 1 externref\), found \(table 2 funcref\)$/],
    ['(import "m" "x" (memory 1))', 'take', /expected \(memory 1\), found \(func /],
  ];
  for (const [imp, name, message] of cases) {
    const linker = new Linker(engine);
    linker.define(store, 'm', 'x', provider.getExport(store, name)!);
    const module = new Module(engine, `(module (type $list (struct (field i32) (field (ref null $list)))) ${imp})`);
    assert.throws(() => linker.instantiate(store, module), (e: unknown) =>
      e instanceof LinkError && e.message.startsWith('incompatible import type for "m" "x": ') && message.test(e.message), imp);
  }
  // A host function's type is checked when the linker resolves the module.
  const host = new Linker(engine).funcWrap('m', 'x', funcType([I32], [F64]), () => 0);
  assert.throws(() => host.instantiatePre(new Module(engine, '(module (import "m" "x" (func (param i64))))')),
    (e: unknown) => e instanceof LinkError && /expected \(func \(param i64\)\), found \(func \(param i32\) \(result f64\)\)$/.test(e.message));
  // So is a define()d item's, as in Wasmtime's InstancePre::new: not only at the first instantiation.
  const items = new Linker(engine).define(store, 'm', 'x', new Global(store, { type: I32, mutable: false }, Val.i32(0)));
  assert.throws(() => items.instantiatePre(new Module(engine, '(module (import "m" "x" (func)))')),
    (e: unknown) => e instanceof LinkError && /expected \(func\), found \(global i32\)$/.test(e.message));
  assert.throws(() => items.instantiatePre(new Module(engine, '(module (import "m" "x" (global (mut i32))))')), LinkError);
  assert.ok(items.instantiatePre(new Module(engine, '(module (import "m" "x" (global i32)))')));
});

test('valTypeName writes a concrete reference type out as its structure', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, `(module
    (type $f (func (param i32) (result i64)))
    (func (export "f") (param (ref null $f))))`));
  const param = instance.getFunc(store, 'f')!.type(store).params[0]!;
  assert.equal(valTypeName(param), '(ref null (func (param i32) (result i64)))');
  assert.equal(valTypeName(I64), 'i64');
});
