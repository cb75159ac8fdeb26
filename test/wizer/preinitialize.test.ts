// Pre-initialisation (src/wizer, `tswasm wizer`): the rewritten module, instantiated without running
// its initialisation function, behaves exactly like the original after running it; what cannot be
// snapshotted is refused with a reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, Func, Instance, Linker, Module, Store, Tag, Val, funcType, I32 } from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';
import { PreinitializeError, preinitialize } from '../../src/wizer/index.js';
import { projectRoot } from '../helpers/paths.js';
import { tempDir } from '../wasi/helpers.js';

const WAT = `(module $wz
  (type $ii (func (param i32) (result i32)))
  (memory (export "mem") 1 10)
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global $big (mut i64) (i64.const 0))
  (global $f (mut f32) (f32.const 0))
  (global $d (mut f64) (f64.const 0))
  (global $v (mut v128) (v128.const i32x4 0 0 0 0))
  (global $r (mut funcref) (ref.func $get))
  (global $kept (mut (ref null $ii)) (ref.func $get))
  (data $p "passive-data")
  (data (i32.const 100) "active")
  (func $start (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  (start $start)
  (func (export "wizer-initialize")
    (local $i i32)
    (drop (memory.grow (i32.const 2)))
    (loop $l
      (i32.store (i32.mul (local.get $i) (i32.const 4)) (i32.mul (local.get $i) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
    (i32.store (i32.const 150000) (i32.const 0xdeadbeef))
    (i32.store (i32.const 196604) (i32.const -1))
    (memory.init $p (i32.const 200) (i32.const 0) (i32.const 7))
    (data.drop $p)
    (global.set $counter (i32.add (global.get $counter) (i32.const 10)))
    (global.set $big (i64.const 0x123456789abcdef0))
    (global.set $f (f32.const nan:0x200001))
    (global.set $d (f64.const -nan:0x8000000000001))
    (global.set $v (v128.const i32x4 1 2 3 4))
    (global.set $r (ref.null func)))
  (func $get (export "get") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "big") (result i64) (global.get $big))
  (func (export "fbits") (result i32) (i32.reinterpret_f32 (global.get $f)))
  (func (export "dbits") (result i64) (i64.reinterpret_f64 (global.get $d)))
  (func (export "lane") (result i32) (i32x4.extract_lane 2 (global.get $v)))
  (func (export "rnull") (result i32) (ref.is_null (global.get $r)))
  (func (export "kept") (param i32) (result i32) (call_ref $ii (local.get 0) (ref.as_non_null (global.get $kept))))
  (func (export "reinit") (param i32) (result i32) (memory.init $p (i32.const 300) (i32.const 0) (local.get 0)) (i32.const 1)))`;

/** Everything observable from outside, after running the initialisation function when `init`. */
function observe(bytes: Uint8Array, init: boolean) {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, bytes), []);
  if (init) instance.getFunc(store, 'wizer-initialize')!.call(store, []);
  const call = (name: string, ...args: Val[]) => {
    try {
      return instance.getFunc(store, name)!.call(store, args).map((v) => String(v.value));
    } catch (e) {
      return `trap: ${(e as Error).message}`;
    }
  };
  return {
    counter: instance.getGlobal(store, 'counter')!.get(store).value,
    memory: Buffer.from(instance.getMemory(store, 'mem')!.data(store)).toString('base64'),
    get: [0, 40, 3996, 150000, 196604, 200].map((a) => call('get', Val.i32(a))),
    size: call('size'), big: call('big'), fbits: call('fbits'), dbits: call('dbits'), lane: call('lane'), rnull: call('rnull'),
    kept: call('kept', Val.i32(40)), reinit0: call('reinit', Val.i32(0)), reinit1: call('reinit', Val.i32(1)),
  };
}

const exportNames = (bytes: Uint8Array) => new Module(new Engine(), bytes).exports().map((e) => e.name);

test('the pre-initialised module starts where the initialisation function left the original', () => {
  const bytes = parseWat(WAT);
  const out = preinitialize(bytes);
  const expected = observe(bytes, true);
  assert.deepEqual(observe(out, false), expected);
  // The values themselves, so that equal but wrong snapshots cannot pass.
  assert.equal(expected.counter, 11); // the start function ran once, and not again in the snapshot
  assert.deepEqual(expected.size, ['3']);
  assert.deepEqual(expected.get, [['0'], ['100'], ['998001'], ['-559038737'], ['-1'], ['1936941424']]);
  assert.deepEqual(expected.fbits, [String(0x7fa00001)]);
  assert.deepEqual(expected.dbits, [String(BigInt.asIntN(64, 0xfff8000000000001n))]);
  assert.equal(expected.reinit1, 'trap: out of bounds memory access'); // the dropped segment stays dropped
  assert.ok(!exportNames(out).includes('wizer-initialize'));
  assert.ok(exportNames(preinitialize(bytes, { keepInitFunc: true })).includes('wizer-initialize'));
  const renamed = exportNames(preinitialize(bytes, { renames: [['size', 'big'], ['lookup', 'get']] }));
  assert.ok(renamed.includes('lookup') && !renamed.includes('get') && renamed.includes('size') && !renamed.includes('big'));
  // The initialisation export goes even when a rename names it, as in wizer; kept, it is renamed.
  assert.ok(!exportNames(preinitialize(bytes, { renames: [['again', 'wizer-initialize']] })).includes('again'));
  assert.ok(exportNames(preinitialize(bytes, { renames: [['again', 'wizer-initialize']], keepInitFunc: true })).includes('again'));
});

test('memory64, a second memory and a module without data segments', () => {
  const wat = `(module
    (memory $a (export "a") i64 1)
    (memory $b (export "b") 2)
    (global $g (export "g") (mut i64) (i64.const 5))
    (func (export "wizer.initialize")
      (i64.store $a (i64.const 65000) (i64.const 0x1122334455667788))
      (i32.store8 $b (i32.const 131071) (i32.const 9))
      (global.set $g (i64.const -5))))`;
  const bytes = parseWat(wat);
  const out = preinitialize(bytes); // wizer.initialize: the older name is found when it is the only one
  const read = (b: Uint8Array) => {
    const engine = new Engine();
    const store = new Store(engine);
    const instance = new Instance(store, new Module(engine, b), []);
    return [instance.getMemory(store, 'a')!.read(store, 65000, 8).join(','), instance.getMemory(store, 'b')!.read(store, 131071, 1)[0], instance.getGlobal(store, 'g')!.get(store).value];
  };
  assert.deepEqual(read(out), ['136,119,102,85,68,51,34,17', 9, -5n]);
  assert.deepEqual(read(bytes), ['0,0,0,0,0,0,0,0', 0, 5n]);
});

test('what cannot be snapshotted is refused with the reason', () => {
  const refused = (wat: string, pattern: RegExp, options = {}) =>
    assert.throws(() => preinitialize(parseWat(wat), options), (e: unknown) => e instanceof PreinitializeError && pattern.test(e.message));
  refused('(module (import "env" "m" (memory 1)) (func (export "wizer-initialize")))', /imports a memory \(env\.m\)/);
  refused('(module (func (export "init")))', /exports no function "wizer-initialize"/);
  refused('(module (func (export "init")))', /exports no function "other"/, { initFunc: 'other' });
  refused('(module (func (export "wizer-initialize") (param i32)))', /must take and return nothing/);
  refused('(module (func (export "wizer-initialize") (drop (i32.div_s (i32.const 1) (i32.const 0)))))', /trapped: IntegerDivisionByZero/);
  refused('(module (import "env" "f" (func $f)) (func (export "wizer-initialize") (call $f)))', /trapped: .*unknown import: `env::f`/);
  refused('(module (table 1 funcref) (func $f) (elem declare func $f) (func (export "wizer-initialize") (table.set (i32.const 0) (ref.func $f))))', /changed table 0/);
  refused('(module (global (mut funcref) (ref.null func)) (func $f) (elem declare func $f) (func (export "wizer-initialize") (global.set 0 (ref.func $f))))', /reference in global 0/);
  refused('(module (table 1 funcref) (func $f) (elem $e func $f) (func (export "wizer-initialize") (elem.drop $e)))', /dropped element segment 0/);
  refused('(module (func (export "wizer-initialize")) (func (export "x")))', /cannot rename "nope"/, { renames: [['y', 'nope']] });
  // A tag nothing defines was a LinkError from inside preinitialize.
  refused('(module (import "env" "t" (tag (param i32))) (func (export "wizer-initialize")))', /cannot be instantiated for initialisation: .*env::t.*link option, or --preload/);
});

test("what the start function did is in the snapshot too; a reactor's _initialize runs first and is not exported again", () => {
  // The start function alone sets $g and $f: the snapshot, which has no start, must start with them.
  const started = parseWat(`(module
    (global $g (mut i32) (i32.const 0)) (global $f (mut f64) (f64.const 0)) (global $fn (mut funcref) (ref.func $s))
    (func $s (global.set $g (i32.const 11)) (global.set $f (f64.const 2.5)))
    (start $s) (func (export "wizer-initialize"))
    (func (export "g") (result i32) (global.get $g)) (func (export "f") (result f64) (global.get $f)))`);
  const run = (bytes: Uint8Array, name: string) => {
    const engine = new Engine();
    const store = new Store(engine);
    return Val.toNumber(new Instance(store, new Module(engine, bytes), []).getFunc(store, name)!.call(store, [])[0]!);
  };
  const out = preinitialize(started);
  assert.equal(run(out, 'g'), 11);
  assert.equal(run(out, 'f'), 2.5);
  // What the start function did to a table or an element segment is refused, as when init does it.
  const refused = (wat: string, pattern: RegExp) =>
    assert.throws(() => preinitialize(parseWat(wat)), (e: unknown) => e instanceof PreinitializeError && pattern.test(e.message), wat);
  refused('(module (table 2 funcref) (func $a) (elem declare func $a) (func $s (table.set (i32.const 1) (ref.func $a))) (start $s) (func (export "wizer-initialize")))', /changed table 0/);
  refused('(module (table 1 funcref) (func $a) (elem $e func $a) (func $s (elem.drop $e)) (start $s) (func (export "wizer-initialize")))', /dropped element segment 0/);
  // A trap or an uncaught exception in the start function is a PreinitializeError, as in init.
  refused('(module (func $s unreachable) (start $s) (func (export "wizer-initialize")))', /the start function trapped: UnreachableCodeReached/);
  refused('(module (tag $t) (func (export "wizer-initialize") (throw $t)))', /the initialisation function threw a wasm exception/);
  // A struct changed inside while its global still holds it cannot be written: refused, not lost.
  refused(`(module (type $s (struct (field (mut i32)))) (global $h (ref $s) (struct.new $s (i32.const 3)))
    (func (export "wizer-initialize") (struct.set $s 0 (global.get $h) (i32.const 9))))`, /global 0 holds a struct or array/);
  // A WASI reactor's _initialize runs before the initialisation function (6, then times 7), once.
  const reactor = parseWat(`(module (global $g (mut i32) (i32.const 0))
    (func (export "_initialize") (global.set $g (i32.const 6)))
    (func (export "wizer-initialize") (global.set $g (i32.mul (global.get $g) (i32.const 7))))
    (func (export "run") (result i32) (global.get $g)))`);
  const wizened = preinitialize(reactor);
  assert.equal(run(wizened, 'run'), 42);
  assert.ok(!exportNames(wizened).includes('_initialize'));
});

test('an imported tag, given through the link option, is imported by the snapshot too', () => {
  const wat = `(module (import "env" "t" (tag $t (param i32))) (global (export "g") (mut i32) (i32.const 0))
    (func (export "wizer-initialize")
      (global.set 0 (block $h (result i32) (try_table (catch $t $h) (throw $t (i32.const 42))) (i32.const -1)))))`;
  const link = (linker: Linker<unknown>, store: Store<unknown>) => linker.define(store, 'env', 't', new Tag(store, funcType([I32], [])));
  const snapshot = preinitialize(parseWat(wat), { link });
  const engine = new Engine();
  const module = new Module(engine, snapshot);
  assert.deepEqual(module.imports().map((i) => `${i.module}.${i.name}:${i.type.kind}`), ['env.t:tag']);
  const store = new Store(engine);
  const linker = new Linker(engine);
  link(linker, store);
  assert.deepEqual(linker.instantiate(store, module).getGlobal(store, 'g')!.get(store), Val.i32(42));
});

test('tswasm wizer pre-initialises a C program; the result prints the same, with the work done', () => {
  const dir = tempDir('tswasm-wizer-');
  try {
    const program = join(projectRoot, 'test', 'wasi', 'programs', 'preinit.wasm');
    const out = join(dir, 'preinit.wizer.wasm');
    const cli = (args: string[]) => spawnSync(process.execPath, [join(projectRoot, 'bin', 'tswasm.mjs'), ...args], { encoding: 'utf8' });
    const wizer = cli(['wizer', program, '-o', out]);
    assert.equal(wizer.status, 0, wizer.stderr);
    const before = cli(['run', program, '1000']);
    const after = cli(['run', out, '1000']);
    assert.equal(before.stdout, '216816 primes below 3000000; prime #1000 is 7927\n');
    assert.deepEqual([after.status, after.stdout, after.stderr], [before.status, before.stdout, before.stderr]);
    const exports = exportNames(new Uint8Array(readFileSync(out)));
    assert.ok(exports.includes('_start') && !exports.includes('wizer.initialize'));
    // The sieve was wiped before it was freed; the table of primes (867 KB) is what remains.
    assert.ok(readFileSync(out).length < 1_000_000, `snapshot size ${readFileSync(out).length}`);
    const bad = cli(['wizer', program, '-f', 'nope', '-o', out]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /exports no function "nope"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tswasm wizer --preload links a helper module for initialisation, which the snapshot leaves out', () => {
  const dir = tempDir('tswasm-wizer-');
  try {
    const helper = join(dir, 'helper.wat');
    const main = join(dir, 'main.wat');
    const out = join(dir, 'main.init.wasm');
    writeFileSync(helper, '(module (func (export "triple") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))');
    writeFileSync(main, `(module
      (import "helper" "triple" (func $triple (param i32) (result i32)))
      (memory (export "mem") 1)
      (func (export "wizer-initialize") (i32.store (i32.const 16) (call $triple (i32.const 14)))))`);
    const cli = (args: string[]) => spawnSync(process.execPath, [join(projectRoot, 'bin', 'tswasm.mjs'), ...args], { encoding: 'utf8' });
    const without = cli(['wizer', main, '-o', out]);
    assert.equal(without.status, 1);
    assert.match(without.stderr, /unknown import: `helper::triple`/);
    const r = cli(['wizer', '--preload', `helper=${helper}`, main, '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    const engine = new Engine();
    const store = new Store(engine);
    const snapshot = new Module(engine, new Uint8Array(readFileSync(out)));
    assert.deepEqual(snapshot.imports().map((i) => `${i.module}.${i.name}`), ['helper.triple']);
    const notCalled = Func.wrap(store, funcType([I32], [I32]), () => { throw new Error('not called after initialisation'); });
    const instance = new Instance(store, snapshot, [notCalled]);
    assert.equal(new DataView(instance.getMemory(store, 'mem')!.data(store).buffer).getInt32(16, true), 42);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('preinitialize checks its arguments before running anything', () => {
  const bytes = parseWat('(module (func (export "wizer-initialize")))');
  const typeError = (f: () => unknown, pattern: RegExp) => assert.throws(f, (e: unknown) => e instanceof TypeError && pattern.test(e.message));
  typeError(() => preinitialize('(module)' as never), /Uint8Array/);
  typeError(() => preinitialize(bytes, { initFunc: Symbol('x') as never }), /initFunc must be a string/);
  typeError(() => preinitialize(bytes, { renames: 5 as never }), /renames must be an array/);
  typeError(() => preinitialize(bytes, { renames: [['a']] as never }), /renames must be an array/);
  typeError(() => preinitialize(bytes, { keepInitFunc: 'yes' as never }), /keepInitFunc must be a boolean/);
  typeError(() => preinitialize(bytes, { initfunc: 'x' } as never), /unknown option "initfunc"/);
});
