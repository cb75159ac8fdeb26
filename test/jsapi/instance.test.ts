// Instance and instantiate beside Node's: reading the import object (order, TypeError and LinkError
// rules), the exports object, Exported Function identity, names and lengths, and start-time errors.

import { test } from 'node:test';
import { instantiate, recorder, same, wasm, type Namespace } from './side-by-side.js';

const IMPORTS = wasm(`(module
  (import "a" "f" (func $f (param i32) (result i32)))
  (import "a" "g" (global $g i32))
  (import "b" "mem" (memory 1))
  (import "b" "tab" (table 2 funcref))
  (import "a" "h" (func (param f64)))
  (import "c" "gm" (global $gm (mut i64)))
  (func (export "callF") (param i32) (result i32) (call $f (local.get 0)))
  (func (export "getG") (result i32) (global.get $g))
  (func (export "getGm") (result i64) (global.get $gm)))`);

/** A complete, valid import object for IMPORTS. */
function goodImports(W: Namespace) {
  return {
    a: { f: (x: number) => x + 1, g: 42, h: () => {} },
    b: { mem: new W.Memory({ initial: 1 }), tab: new W.Table({ element: 'anyfunc', initial: 2 }) },
    c: { gm: new W.Global({ value: 'i64', mutable: true }, 5n) },
  };
}

test('the import object is read in import order, each module object once per import', async () => {
  await same((W) => {
    const log: string[] = [];
    const imports = goodImports(W);
    const proxied = recorder(log, { a: recorder(log, imports.a, 'a'), b: recorder(log, imports.b, 'b'), c: recorder(log, imports.c, 'c') }, 'imports');
    const e = new W.Instance(new W.Module(IMPORTS), proxied).exports;
    return [log, e.callF(1), e.getG(), e.getGm()];
  });
  await same(async (W) => {
    const log: string[] = [];
    const imports = goodImports(W);
    const proxied = recorder(log, { a: recorder(log, imports.a, 'a'), b: recorder(log, imports.b, 'b'), c: recorder(log, imports.c, 'c') }, 'imports');
    const { instance } = await W.instantiate(IMPORTS, proxied);
    return [log, instance.exports.callF(2)];
  });
});

test('TypeError and LinkError rules of reading the imports', async () => {
  const variants: [string, (W: Namespace, i: ReturnType<typeof goodImports>) => unknown][] = [
    ['no import object', () => undefined],
    ['null import object', () => null],
    ['a number as import object', () => 5],
    ['module entry missing', (_, i) => ({ ...i, b: undefined })],
    ['module entry a string', (_, i) => ({ ...i, c: 'c' })],
    ['module entry a function', (_, i) => ({ ...i, c: Object.assign(() => {}, i.c) })],
    ['function missing', (_, i) => ({ ...i, a: { ...i.a, f: undefined } })],
    ['function an object', (_, i) => ({ ...i, a: { ...i.a, f: {} } })],
    ['function a class', (_, i) => ({ ...i, a: { ...i.a, f: class {} } })],
    ['global missing', (_, i) => ({ ...i, a: { ...i.a, g: undefined } })],
    ['i32 global from a BigInt', (_, i) => ({ ...i, a: { ...i.a, g: 1n } })],
    ['i32 global from a string', (_, i) => ({ ...i, a: { ...i.a, g: '1' } })],
    ['i32 global from a Number object', (_, i) => ({ ...i, a: { ...i.a, g: Object(1) } })],
    ['i32 global from a Global of another type', (W, i) => ({ ...i, a: { ...i.a, g: new W.Global({ value: 'f64' }, 1) } })],
    ['i32 global from a mutable Global', (W, i) => ({ ...i, a: { ...i.a, g: new W.Global({ value: 'i32', mutable: true }, 1) } })],
    ['mutable i64 global from a BigInt', (_, i) => ({ ...i, c: { gm: 1n } })],
    ['mutable i64 global from an immutable Global', (W, i) => ({ ...i, c: { gm: new W.Global({ value: 'i64' }, 1n) } })],
    ['memory missing', (_, i) => ({ ...i, b: { ...i.b, mem: undefined } })],
    ['memory an ArrayBuffer', (_, i) => ({ ...i, b: { ...i.b, mem: new ArrayBuffer(65536) } })],
    ['memory too small', (W, i) => ({ ...i, b: { ...i.b, mem: new W.Memory({ initial: 0 }) } })],
    ['table a Memory', (W, i) => ({ ...i, b: { ...i.b, tab: new W.Memory({ initial: 1 }) } })],
    ['table too small', (W, i) => ({ ...i, b: { ...i.b, tab: new W.Table({ element: 'anyfunc', initial: 1 }) } })],
    ['table of externref', (W, i) => ({ ...i, b: { ...i.b, tab: new W.Table({ element: 'externref', initial: 2 }) } })],
    ['function of another type', (W, i) => ({ ...i, a: { ...i.a, f: instantiate(W, '(module (func (export "f")))').f } })],
    ['everything right', (_, i) => i],
  ];
  for (const [what, make] of variants) {
    await same((W) => instantiate(W, IMPORTS, make(W, goodImports(W) as never) as object) && 'instantiated', what);
    await same(async (W) => (await W.instantiate(IMPORTS, make(W, goodImports(W) as never))).instance && 'instantiated', `${what} (async)`);
  }
  await same((W) => new W.Instance(new W.Module(IMPORTS)), 'import object omitted');
  await same((W) => new W.Instance(new W.Module(wasm('(module)')), 5), 'a number as import object, no imports');
  await same((W) => new W.Instance(new W.Module(wasm('(module)'))) && 'ok', 'no imports, no import object');
  await same((W) => new W.Instance({}), 'not a Module');
  await same((W) => new W.Instance(), 'no arguments');
});

test('the exports object: null prototype, frozen, in module order; the same object every time', async () => {
  const source = `(module
    (func $f (export "z") (export "a") (param i32 i64) (result f32) f32.const 1)
    (memory (export "m") 1) (table (export "t") 1 funcref) (global (export "g") (mut i32) (i32.const 3))
    (export "f2" (func $f)) (func (export "__proto__")))`;
  await same((W) => {
    const i = new W.Instance(new W.Module(wasm(source)));
    const e = i.exports;
    const descs = Object.entries(Object.getOwnPropertyDescriptors(e)).map(([k, d]) => [k, d.writable, d.enumerable, d.configurable]);
    return [Object.getPrototypeOf(e), Object.isFrozen(e), Object.keys(e), descs, i.exports === e, Object.getPrototypeOf(i) === W.Instance.prototype,
      e.z === e.a, e.a === e.f2, typeof e.__proto__];
  });
});

test('Exported Functions: name is the function index, length the parameter count, not constructors', async () => {
  const source = `(module
    (import "h" "x" (func (param i32 i32 i32)))
    (import "h" "y" (func))
    (func (export "f0") (param i32 i64))
    (func (export "f1") (result i32 i32) i32.const 1 i32.const 2)
    (export "imported" (func 0)) (export "imported2" (func 1)))`;
  await same((W) => {
    const e = instantiate(W, source, { h: { x() {}, y() {} } });
    return Object.entries(e).map(([k, f]: [string, Namespace]) => [k, f.name, f.length, typeof f, Object.getPrototypeOf(f) === Function.prototype,
      Object.hasOwn(f, 'prototype'), Object.getOwnPropertyDescriptor(f, 'name')!.writable]);
  });
  await same((W) => new (instantiate(W, source, { h: { x() {}, y() {} } }).f0)());
});

test('function identity: the same function object everywhere, across instances and re-exports', async () => {
  const a = '(module (func $f (export "f") (result i32) i32.const 7) (table (export "t") 1 funcref) (elem (i32.const 0) $f))';
  const b = '(module (import "a" "f" (func $g (result i32))) (export "g" (func $g)) (table (export "t") 1 funcref) (elem (i32.const 0) $g))';
  await same((W) => {
    const ea = instantiate(W, a);
    const eb = instantiate(W, b, { a: { f: ea.f } });
    return [ea.t.get(0) === ea.f, eb.g === ea.f, eb.t.get(0) === ea.f, eb.g()];
  });
  await same((W) => {
    const host = () => 5;
    const eb = instantiate(W, b, { a: { f: host } });
    const ec = instantiate(W, b, { a: { f: eb.g } });
    const ed = instantiate(W, b, { a: { f: host } });
    return [eb.g === host, eb.g.name, eb.g.length, ec.g === eb.g, ed.g === eb.g, eb.t.get(0) === eb.g, eb.g()];
  }, 'a JS function imported and re-exported becomes one new Exported Function per import');
});

test('instantiate: both overloads and the shape of their results', async () => {
  const bytes = wasm('(module (func (export "f") (result i32) i32.const 1))');
  await same(async (W) => {
    const r = await W.instantiate(bytes);
    return [Object.getPrototypeOf(r) === Object.prototype, Object.keys(r).sort(), r.module instanceof W.Module, r.instance instanceof W.Instance, r.instance.exports.f()];
  });
  await same(async (W) => {
    const i = await W.instantiate(new W.Module(bytes));
    return [i instanceof W.Instance, i.exports.f()];
  });
  await same(async (W) => W.instantiate(new W.Module(bytes), null));
  await same(async (W) => W.instantiate(bytes, 5));
  await same(async (W) => W.instantiate());
  await same(async (W) => W.instantiate({}));
  await same(async (W) => W.instantiate(new Uint8Array([1, 2, 3])));
});

test('errors at instantiation: segments out of bounds and traps in the start function', async () => {
  await same((W) => instantiate(W, '(module (memory 1) (data (i32.const 65535) "ab"))'));
  await same((W) => instantiate(W, '(module (table 1 funcref) (func $f) (elem (i32.const 1) $f))'));
  await same((W) => instantiate(W, '(module (func unreachable) (start 0))'));
  await same((W) => {
    const thrown = { mine: true };
    try {
      instantiate(W, '(module (import "h" "f" (func)) (start 0))', { h: { f: () => { throw thrown; } } });
    } catch (e) {
      return e === thrown;
    }
    return 'no exception';
  });
  await same(async (W) => {
    const log: string[] = [];
    const p = W.instantiate(wasm('(module (import "h" "f" (func)) (start 0))'), { h: { f: () => log.push('start') } });
    log.push('returned');
    await p;
    return log;
  });
});

test('the order of instantiate(bytes) with a faulty import object: compile first, then read', async () => {
  await same(async (W) => {
    const log: string[] = [];
    const p = W.instantiate(IMPORTS, recorder(log, {}, 'imports'));
    log.push('returned');
    try {
      await p;
    } catch (e) {
      log.push((e as Error).constructor.name);
    }
    return log;
  });
});
