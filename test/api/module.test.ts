// Module: from bytes or text, validation, imports and exports with full types, custom sections.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompileError, DeserializeError, Engine, F64, FUNCREF, I32, I64, Instance, Module, Store, VERSION, refType,
} from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';

const text = `(module
  (type $t (func (param i32) (result i32)))
  (import "env" "f" (func (type $t)))
  (import "env" "g" (global (mut i64)))
  (import "env" "tab" (table 1 2 (ref null $t)))
  (import "env" "mem" (memory 1 10))
  (func (export "run") (param f64) (result i32) (i32.const 0))
  (global (export "gl") (ref null $t) (ref.null $t))
  (tag (export "tg") (param i64)))`;

test('a module from text or bytes has the same imports and exports, with full types', () => {
  const engine = new Engine();
  const fromText = new Module(engine, text);
  const fromBytes = Module.fromBinary(engine, parseWat(text));
  assert.deepEqual(fromText.imports(), fromBytes.imports());
  const imports = fromText.imports();
  assert.deepEqual(imports.map((i) => `${i.module}.${i.name}:${i.type.kind}`), ['env.f:func', 'env.g:global', 'env.tab:table', 'env.mem:memory']);
  const f = imports[0]!.type;
  assert.ok(f.kind === 'func');
  assert.deepEqual([f.type.params, f.type.results], [[I32], [I32]]);
  const g = imports[1]!.type;
  assert.ok(g.kind === 'global' && g.type.type === I64 && g.type.mutable);
  const tab = imports[2]!.type;
  const mem = imports[3]!.type;
  assert.ok(mem.kind === 'memory' && mem.type.limits.min === 1 && mem.type.limits.max === 10);
  // Concrete reference types use canonical ids: the same id in every module of the process.
  const other = new Module(engine, '(module (type $u (func (param i32) (result i32))) (table (export "x") 1 (ref null $u)))');
  const x = other.exports()[0]!.type;
  assert.ok(tab.kind === 'table' && x.kind === 'table');
  assert.equal(tab.type.element, x.type.element);
  assert.notEqual(tab.type.element, FUNCREF);
  assert.equal(tab.type.element, refType(fromText.canon[0]!, true));
  const exports = fromText.exports();
  assert.deepEqual(exports.map((e) => `${e.name}:${e.type.kind}`), ['run:func', 'gl:global', 'tg:tag']);
  const run = exports[0]!.type;
  assert.ok(run.kind === 'func' && run.type.params[0] === F64);
});

test('validate and construction refuse invalid modules with CompileError', () => {
  const engine = new Engine();
  const bad = parseWat('(module (func (result i32) (i64.const 0)))');
  assert.throws(() => Module.validate(engine, bad), CompileError);
  assert.throws(() => new Module(engine, bad), CompileError);
  assert.throws(() => new Module(engine, '(module (func'), CompileError);
  Module.validate(engine, parseWat(text));
  // Feature switches are per engine.
  const noMulti = new Engine({ features: { multi_memory: false } });
  assert.throws(() => new Module(noMulti, '(module (memory 1) (memory 1))'), CompileError);
  assert.ok(new Module(engine, '(module (memory 1) (memory 1))'));
});

test('customSections returns every section of that name in order', () => {
  const engine = new Engine();
  const base = parseWat('(module)');
  const section = (name: string, body: number[]) => [0, 1 + name.length + body.length, name.length, ...Buffer.from(name), ...body];
  const bytes = new Uint8Array([...base, ...section('meta', [1, 2]), ...section('other', [9]), ...section('meta', [3])]);
  const m = new Module(engine, bytes);
  assert.deepEqual(m.customSections('meta').map((s) => [...s]), [[1, 2], [3]]);
  assert.deepEqual(m.customSections('missing'), []);
  m.customSections('meta')[0]![0] = 99;
  assert.deepEqual([...m.customSections('meta')[0]!], [1, 2]);
});

test('VERSION is the package version', () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  assert.equal(VERSION, pkg.version);
});

test('resourcesRequired counts the memories and tables a module defines, not those it imports', () => {
  const engine = new Engine();
  const m = new Module(engine, `(module (import "env" "mem" (memory 50)) (import "env" "t" (table 90 funcref))
    (memory 3) (memory 7 9) (table 4 funcref) (table 2 externref))`);
  assert.deepEqual(m.resourcesRequired(), { numMemories: 2, maxInitialMemorySize: 7, numTables: 2, maxInitialTableSize: 4 });
  assert.deepEqual(new Module(engine, '(module)').resourcesRequired(), { numMemories: 0, maxInitialMemorySize: null, numTables: 0, maxInitialTableSize: null });
});

test('Engine.detectPrecompiled tells a serialized module from wasm bytes; Engine.same compares engines', () => {
  const engine = new Engine();
  const wasm = parseWat('(module (func (export "f")))');
  assert.equal(Engine.detectPrecompiled(new Module(engine, wasm).serialize()), 'module');
  assert.equal(Engine.detectPrecompiled(new Module(engine, wasm).serialize().buffer as ArrayBuffer), 'module');
  assert.equal(Engine.detectPrecompiled(wasm), null);
  assert.equal(Engine.detectPrecompiled(new Uint8Array(0)), null);
  assert.throws(() => Engine.detectPrecompiled('wasm' as unknown as Uint8Array), TypeError);
  assert.equal(Engine.same(engine, engine), true);
  assert.equal(Engine.same(engine, new Engine()), false);
});

test('Engine.precompileModule serializes without a Module; precompileCompatibilityHash tells which engines accept it', () => {
  const engine = new Engine();
  const blob = engine.precompileModule('(module (func (export "seven") (result i32) (i32.const 7)))');
  assert.equal(Engine.detectPrecompiled(blob), 'module');
  const same = new Engine();
  assert.equal(same.precompileCompatibilityHash(), engine.precompileCompatibilityHash());
  assert.match(engine.precompileCompatibilityHash(), /^[0-9a-f]{64}$/);
  const store = new Store(same);
  const seven = new Instance(store, Module.deserialize(same, blob), []).getFunc(store, 'seven')!;
  assert.equal(seven.call(store, [])[0]!.value, 7);
  // Another configuration: another hash, and the blob is refused.
  const fuel = new Engine({ consumeFuel: true });
  assert.notEqual(fuel.precompileCompatibilityHash(), engine.precompileCompatibilityHash());
  assert.throws(() => Module.deserialize(fuel, blob), DeserializeError);
  assert.throws(() => engine.precompileModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x0a])), CompileError);
});
