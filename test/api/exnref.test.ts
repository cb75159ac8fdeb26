// ExnRef and exnref Vals through the embedding API: made by the host, caught by wasm, kept in
// globals and tables, typed calls, and the store check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXNREF, Engine, ExnRef, F64, Func, I64, Store, Tag, ThrownException, Val, funcType,
} from '../../src/api/index.js';
import { instantiateWat } from './wat-helper.js';

const wat = `(module
  (import "host" "t" (tag $t (param i64 f64)))
  (global $g (export "g") (mut exnref) (ref.null exn))
  (table $tab (export "tab") 2 exnref)
  (func (export "throw") (param exnref) (throw_ref (local.get 0)))
  (func (export "catch") (param exnref) (result i64 f64 exnref)
    (block $h (result i64 f64 exnref)
      (try_table (catch_ref $t $h) (throw_ref (local.get 0)))
      (unreachable)))
  (func (export "keep") (param exnref)
    (global.set $g (local.get 0))
    (table.set $tab (i32.const 1) (local.get 0)))
  (func (export "null") (result exnref) (ref.null exn)))`;

test('an ExnRef made by the host is caught by wasm with its fields and comes back as the same ExnRef', () => {
  let tag: Tag | null = null;
  const { store, instance } = instantiateWat(wat, {}, (s) => [tag = new Tag(s, funcType([I64, F64], []))]);
  const exn = ExnRef.new(store, tag!, [Val.i64(-2n), Val.f64Bits(0x7ff0000000000001n)]);
  assert.equal(exn.tag(store), tag);
  assert.deepEqual(exn.field(store, 1), Val.f64Bits(0x7ff0000000000001n));
  assert.throws(() => exn.field(store, 2), RangeError);
  const [a, b, ref] = instance.getFunc(store, 'catch')!.call(store, [Val.exnref(exn)]);
  assert.deepEqual([a, b], [Val.i64(-2n), Val.f64Bits(0x7ff0000000000001n)]);
  assert.equal(ref!.value, exn);
  assert.throws(() => instance.getFunc(store, 'throw')!.call(store, [Val.exnref(exn)]),
    (e) => e instanceof ThrownException && e.exception === exn && e.name === 'ThrownException');

  instance.getFunc(store, 'keep')!.call(store, [Val.exnref(exn)]);
  assert.equal(instance.getGlobal(store, 'g')!.get(store).value, exn);
  assert.equal(instance.getTable(store, 'tab')!.get(store, 1)!.value, exn);
  assert.deepEqual(instance.getTable(store, 'tab')!.get(store, 0), Val.exnref(null));
  assert.deepEqual(instance.getFunc(store, 'null')!.call(store, []), [Val.exnref(null)]);

  const typed = instance.getTypedFunc(store, 'catch', [EXNREF], [I64, F64, EXNREF]);
  assert.deepEqual(typed.call(store, exn), [-2n, NaN, exn]);
  assert.equal(ExnRef.fromRaw(store, exn.toRaw(store)), exn);
});

test('wrong values and wrong stores are refused', () => {
  let tag: Tag | null = null;
  const { store, instance } = instantiateWat(wat, {}, (s) => [tag = new Tag(s, funcType([I64, F64], []))]);
  assert.throws(() => ExnRef.new(store, tag!, [Val.i32(1), Val.f64(0)]), TypeError);
  assert.throws(() => ExnRef.new(store, tag!, [Val.i64(1n)]), TypeError);
  assert.throws(() => instance.getFunc(store, 'throw')!.call(store, [Val.i32(0)]), TypeError);
  const other = new Store(new Engine());
  assert.throws(() => ExnRef.new(other, tag!, [Val.i64(1n), Val.f64(0)]), /wrong store/);
  const exn = ExnRef.new(store, tag!, [Val.i64(1n), Val.f64(0)]);
  assert.throws(() => exn.fields(other), /wrong store/);
  assert.throws(() => Val.exnref({} as ExnRef), TypeError);
  assert.throws(() => new ThrownException(null as unknown as ExnRef), TypeError, 'refused where it is made');
  assert.throws(() => new ThrownException({} as ExnRef), TypeError);
});

test('what a host function throws leaves wasm unchanged, however odd (found by the stop 36 exceptions audit)', () => {
  // Reading these to tell a stack overflow used to throw instead, replacing the error (and a
  // message merely containing V8's words made a StackOverflow trap).
  const odd: [string, () => unknown][] = [
    ['numeric message', () => Object.assign(new RangeError('x'), { message: 42 })],
    ['null message', () => Object.assign(new RangeError('x'), { message: null })],
    ['throwing message getter', () => Object.defineProperty(new RangeError('x'), 'message', { get() { throw new Error('getter'); } })],
    ['throwing name getter', () => Object.defineProperty(new Error('x'), 'name', { get() { throw new Error('getter'); } })],
    ['message containing the words', () => new RangeError('not a Maximum call stack size exceeded at all')],
  ];
  for (const [what, make] of odd) {
    const thrown = make();
    const { store, instance } = instantiateWat(`(module (import "h" "f" (func $f)) (func (export "run") (call $f)))`, {},
      (s) => [Func.wrap(s, funcType([], []), () => { throw thrown; })]);
    assert.throws(() => instance.getFunc(store, 'run')!.call(store, []), (e: unknown) => e === thrown, what);
  }
});

test('an exception thrown by a start function fails instantiation with a ThrownException', () => {
  assert.throws(() => instantiateWat('(module (tag $t (param i32)) (func $start (throw $t (i32.const 9))) (start $start))'),
    (e) => e instanceof ThrownException && e.exception.fields(e.exception.store).length === 1
      && e.exception.field(e.exception.store, 0).value === 9);
});
