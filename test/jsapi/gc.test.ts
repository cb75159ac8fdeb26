// GC values through the JS API, checked against the spec text (Node 20 cannot run Wasm GC: its
// --experimental-wasm-gc reads a pre-standard encoding): Exported GC Objects, identity across the
// boundary, the i31 conversions, host values in anyref, and the type checks of ToWebAssemblyValue.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantiate, ours } from './side-by-side.js';

const W = ours;

const OBJECTS = `(module
  (type $s (struct (field (mut i32))))
  (type $a (array (mut i32)))
  (type $other (struct (field f64)))
  (import "js" "host" (func $host (param anyref) (result anyref)))
  (global $keep (mut anyref) (ref.null any))
  (table $t (export "table") 2 anyref)
  (global (export "global") (mut eqref) (ref.null eq))
  (func (export "makeStruct") (result (ref $s)) (struct.new $s (i32.const 42)))
  (func (export "makeArray") (result (ref $a)) (array.new $a (i32.const 42) (i32.const 5)))
  (func (export "keep") (param anyref) (global.set $keep (local.get 0)))
  (func (export "kept") (result anyref) (global.get $keep))
  (func (export "same") (param anyref anyref) (result i32) (ref.eq (ref.cast eqref (local.get 0)) (ref.cast eqref (local.get 1))))
  (func (export "field") (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0)))
  (func (export "other") (param (ref null $other)))
  (func (export "externalize") (param anyref) (result externref) (extern.convert_any (local.get 0)))
  (func (export "internalize") (param externref) (result anyref) (any.convert_extern (local.get 0)))
  (func (export "isStruct") (param externref) (result i32) (ref.test (ref $s) (any.convert_extern (local.get 0))))
  (func (export "isEq") (param anyref) (result i32) (ref.test eqref (local.get 0)))
  (func (export "isI31") (param anyref) (result i32) (ref.test i31ref (local.get 0)))
  (func (export "callHost") (param (ref $s)) (result anyref) (call $host (local.get 0))))`;

function objects(host: (x: unknown) => unknown = (x) => x) {
  return instantiate(W, OBJECTS, { js: { host } });
}

test('Exported GC Objects: no prototype, no properties, not extensible; writes and deletions throw', () => {
  const e = objects();
  for (const o of [e.makeStruct(), e.makeArray()]) {
    assert.equal(typeof o, 'object');
    assert.equal(o.foo, undefined);
    assert.equal(o[0], undefined);
    assert.equal('foo' in o, false);
    assert.throws(() => { o.foo = 5; }, TypeError);
    assert.throws(() => { o[0] = 5; }, TypeError);
    assert.throws(() => { delete o.foo; }, TypeError);
    assert.deepEqual(Object.getOwnPropertyNames(o), []);
    assert.deepEqual(Reflect.ownKeys(o), []);
    assert.equal(Object.getOwnPropertyDescriptor(o, 'foo'), undefined);
    assert.throws(() => Object.defineProperty(o, 'foo', { value: 1 }), TypeError);
    assert.equal(Object.getPrototypeOf(o), null);
    assert.throws(() => Object.setPrototypeOf(o, {}), TypeError);
    assert.equal(Object.isExtensible(o), false);
    assert.throws(() => Object.preventExtensions(o), TypeError);
    assert.throws(() => Object.seal(o), TypeError);
    assert.throws(() => o.toString(), TypeError);
    assert.equal(Object.prototype.toString.call(o), '[object Object]');
    assert.equal(Object.prototype.valueOf.call(o), o);
    const weak = new WeakMap([[o, 1]]);
    assert.equal(weak.get(o), 1);
  }
});

test('a struct or array is the same JS object every time it crosses, and the same wasm object back', () => {
  let seen: unknown;
  const e = objects((x) => (seen = x));
  const s = e.makeStruct();
  e.keep(s);
  assert.equal(e.kept(), s, 'through a global');
  assert.equal(e.same(s, e.kept()), 1, 'ref.eq sees the original');
  assert.equal(e.field(s), 42);
  e.table.set(1, s);
  assert.equal(e.table.get(1), s, 'through a table');
  e.global.value = s;
  assert.equal(e.global.value, s, 'through a Global');
  assert.equal(e.callHost(s), s, 'to a host function and back');
  assert.equal(seen, s);
  const ext = e.externalize(s);
  assert.equal(ext, s, 'extern.convert_any shows JS the same object');
  assert.equal(e.isStruct(ext), 1, 'and any.convert_extern finds the struct again');
  assert.equal(e.internalize(s), s);
  assert.notEqual(e.makeStruct(), s);
});

test('i31 conversions: numbers in the i31 range are i31refs, other values host references', () => {
  const e = instantiate(W, `(module
    (func (export "makeI31") (param i32) (result (ref i31)) (ref.i31 (local.get 0)))
    (func (export "getI31") (param (ref i31)) (result i32) (i31.get_s (local.get 0)))
    (func (export "castI31") (param anyref) (result i32) (i31.get_u (ref.cast (ref i31) (local.get 0))))
    (func (export "argI31") (param i31ref))
    (global (export "g") (mut i31ref) (ref.i31 (i32.const 0)))
    (table (export "t") 10 i31ref))`);
  assert.equal(e.makeI31(42), 42);
  assert.equal(e.makeI31(2 ** 30 - 1), 2 ** 30 - 1);
  assert.equal(e.makeI31(2 ** 30), -(2 ** 30));
  assert.equal(e.makeI31(2 ** 31 - 1), -1);
  assert.equal(e.makeI31(2 ** 31), 0);
  assert.equal(e.getI31(e.makeI31(42)), 42);
  assert.equal(e.getI31(-(2 ** 30)), -(2 ** 30));
  assert.equal(e.getI31(-0), 0);
  e.argI31(null);
  for (const bad of [2 ** 30, -(2 ** 30) - 1, 1.5, 2n, () => 3, e.getI31, 'str', {}]) assert.throws(() => e.argI31(bad), TypeError, String(bad));
  assert.equal(e.castI31(42), 42);
  for (const host of [2 ** 30, -(2 ** 30) - 1, 2 ** 32, 0.5, NaN]) assert.throws(() => e.castI31(host), W.RuntimeError, String(host));
  assert.equal(e.g.value, 0);
  e.g.value = 42;
  assert.throws(() => { e.g.value = 2 ** 30; }, TypeError);
  assert.equal(e.g.value, 42);
  assert.equal(e.t.get(0), null);
  e.t.set(0, 7);
  assert.throws(() => e.t.set(0, -(2 ** 30) - 1), TypeError);
  assert.equal(e.t.get(0), 7);
});

test('host values in anyref and externref keep their identity and are neither i31 nor eq', () => {
  const e = objects();
  const values: unknown[] = [{}, 'text', Symbol('s'), 2 ** 40, 0.5, NaN, true, undefined, 10n, () => 1];
  for (const v of values) {
    e.keep(v);
    assert.ok(Object.is(e.kept(), v), String(v));
    assert.ok(Object.is(e.internalize(v), v));
    assert.equal(e.isEq(v), 0, String(v));
    assert.equal(e.isI31(v), 0, String(v));
  }
  assert.equal(e.isI31(7), 1);
  assert.equal(e.isEq(7), 1);
  assert.equal(e.isEq(e.makeArray()), 1);
});

test('ToWebAssemblyValue checks the value against the parameter type', () => {
  const e = objects();
  const s = e.makeStruct();
  assert.throws(() => e.field(null), TypeError, 'null for a non-nullable reference');
  assert.throws(() => e.field({}), TypeError, 'a host value for a struct type');
  assert.throws(() => e.field(e.makeArray()), TypeError, 'an array for a struct type');
  assert.throws(() => e.field(5), TypeError, 'an i31 for a struct type');
  assert.throws(() => e.other(s), TypeError, 'a struct of another type');
  e.other(null);
  assert.throws(() => { e.global.value = 'text'; }, TypeError, 'a host value for eqref');
  assert.throws(() => { e.global.value = 2 ** 31; }, TypeError, 'a number outside the i31 range for eqref');
});

test('anyref tables: null by default, a host value when given one; non-nullable tables need a value', () => {
  const e = instantiate(W, `(module
    (table (export "nullable") 10 20 anyref)
    (table (export "nonNullable") 10 20 (ref any) (ref.i31 (i32.const 42))))`);
  e.nullable.grow(5);
  assert.equal(e.nullable.get(12), null);
  assert.equal(e.nonNullable.get(3), 42);
  assert.throws(() => e.nonNullable.grow(5), TypeError);
  e.nonNullable.grow(5, 'foo');
  assert.equal(e.nonNullable.get(14), 'foo');
  e.nullable.set(0, 'x');
  e.nullable.set(0);
  assert.equal(e.nullable.get(0), null);
  assert.throws(() => e.nonNullable.set(0), TypeError);
});
