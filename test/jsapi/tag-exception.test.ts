// WebAssembly.Tag and WebAssembly.Exception beside Node's: constructors, payload conversion, is and
// getArg with their errors, tags imported and exported by modules, and exceptions thrown through
// wasm by host functions. Throwing and catching in wasm: exceptions.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differs, instantiate, ours, same, type Namespace } from './side-by-side.js';
import { nativeFrom, needsKnownOracle } from '../helpers/oracle.js';

test('Tag constructor', { skip: needsKnownOracle('the Tag constructor') }, async () => {
  for (const t of [{ parameters: [] }, { parameters: ['i32', 'i64', 'f32', 'f64', 'externref', 'anyfunc'] },
    { parameters: ['i16'] }, { parameters: 'i32' }, {}, undefined, 5, { parameters: [{ toString: () => 'i32' }] }]) {
    await same((W) => new W.Tag(t) instanceof W.Tag, JSON.stringify(t));
  }
  await same((W) => new W.Tag());
  // The spec's Tag constructor takes every ValueType, v128 included; Node 20 refuses v128, Node 22 on take it.
  const v128 = (W: Namespace) => new W.Tag({ parameters: ['v128'] }) && 'created';
  if (nativeFrom(22)) await same(v128);
  else await differs(v128, { native: { error: 'TypeError' }, tswasm: { value: 'created' } });
  // `parameters` is a WebIDL sequence, so any iterable will do; Node (20 to 26) wants an array.
  await differs((W) => new W.Tag({ parameters: new Set(['f64']) }) && 'created', { native: { error: 'TypeError' }, tswasm: { value: 'created' } });
});

test('Exception constructor, is and getArg', { skip: needsKnownOracle("WebAssembly.Exception (Node 18's inherits from Error and always traces its stack)") }, async () => {
  await same((W: Namespace) => {
    const tag = new W.Tag({ parameters: ['i32', 'i64', 'f32', 'externref'] });
    const other = new W.Tag({ parameters: ['i32', 'i64', 'f32', 'externref'] });
    const obj = {};
    const e = new W.Exception(tag, ['5.5', 2n ** 64n + 1n, 0.1, obj]);
    return [e instanceof W.Exception, e instanceof Error, e.is(tag), e.is(other), e.getArg(tag, 0), e.getArg(tag, 1), e.getArg(tag, 2),
      e.getArg(tag, 3) === obj, Object.prototype.toString.call(e)];
  });
  const errors: [string, (W: Namespace, tag: Namespace) => unknown][] = [
    ['a number for i64', (W, tag) => new W.Exception(tag, [1, 2])], ['not a sequence', (W, tag) => new W.Exception(tag, 5)],
    ['not a tag', (W) => new W.Exception({}, [])], ['no payload', (W, tag) => new W.Exception(tag)],
    ['getArg out of range', (W, tag) => new W.Exception(tag, [1, 2n]).getArg(tag, 2)],
    ['getArg -1', (W, tag) => new W.Exception(tag, [1, 2n]).getArg(tag, -1)],
    ['getArg another tag', (W, tag) => new W.Exception(tag, [1, 2n]).getArg(new W.Tag({ parameters: [] }), 0)],
    ['getArg not a tag', (W, tag) => new W.Exception(tag, [1, 2n]).getArg({}, 0)],
    ['getArg no index', (W, tag) => new W.Exception(tag, [1, 2n]).getArg(tag)],
    ['is not a tag', (W, tag) => new W.Exception(tag, [1, 2n]).is({})],
    ['options not an object', (W, tag) => new W.Exception(tag, [1, 2n], 5)],
  ];
  for (const [what, f] of errors) await same((W: Namespace) => f(W, new W.Tag({ parameters: ['i32', 'i64'] })), what);
  // The spec: a payload of the wrong length is a TypeError. Node 20 accepts it; Node 22 on agree.
  for (const payload of [[1], [1, 2n, 3]]) {
    const wrongLength = (W: Namespace) => new W.Exception(new W.Tag({ parameters: ['i32', 'i64'] }), payload) && 'created';
    if (nativeFrom(22)) assert.deepEqual(await same(wrongLength), { error: 'TypeError' });
    else await differs(wrongLength, { native: { value: 'created' }, tswasm: { error: 'TypeError' } });
  }
});

test('traceStack and the stack attribute', { skip: needsKnownOracle("WebAssembly.Exception (Node 18's inherits from Error and always traces its stack)") }, async () => {
  // Node 20 gives an Exception an own `stack` data property only with traceStack: true; the spec has
  // a `stack` accessor on the prototype that returns undefined otherwise.
  await same((W: Namespace) => {
    const tag = new W.Tag({ parameters: [] });
    const e = new W.Exception(tag, [], { traceStack: true });
    return [typeof e.stack, new W.Exception(tag, []).stack];
  });
  // The stack starts at the caller, with no frame of the namespace's own code (stop 36's exceptions audit).
  await same((W: Namespace) => {
    const tag = new W.Tag({ parameters: [] });
    return (function makeOne() { return new W.Exception(tag, [], { traceStack: true }); })().stack.split('\n')[1].trim().split(' ')[1];
  });
  await differs((W: Namespace) => Object.hasOwn(new W.Exception(new W.Tag({ parameters: [] }), [], { traceStack: true }), 'stack'), {
    native: { value: true }, tswasm: { value: false },
  });
});

test('tags imported and exported by modules', async () => {
  const source = '(module (import "x" "t" (tag $t (param i32))) (tag $own (export "own") (param f64)) (export "again" (tag $t)))';
  await same((W: Namespace) => {
    const t = new W.Tag({ parameters: ['i32'] });
    const e = instantiate(W, source, { x: { t } });
    const e2 = instantiate(W, '(module (import "y" "t" (tag (param f64))) (export "t" (tag 0)))', { y: { t: e.own } });
    return [e.again === t, e.own instanceof W.Tag, e2.t === e.own, new W.Exception(e.own, [1.5]).getArg(e2.t, 0)];
  });
  await same((W: Namespace) => instantiate(W, source, { x: { t: new W.Tag({ parameters: ['i64'] }) } }), 'a tag of another type');
  await same((W: Namespace) => instantiate(W, source, { x: { t: {} } }), 'not a tag');
});

test('a WebAssembly.Exception thrown by a host function passes through wasm unchanged', async () => {
  await same((W: Namespace) => {
    const tag = new W.Tag({ parameters: ['i32'] });
    const exn = new W.Exception(tag, [7]);
    const e = instantiate(W, '(module (import "h" "f" (func)) (func (export "run") call 0))', { h: { f: () => { throw exn; } } });
    try {
      e.run();
    } catch (err) {
      return [err === exn, (err as Namespace).getArg(tag, 0)];
    }
    return 'no exception';
  });
});

test('WebAssembly.JSTag (tswasm only: Node 20 does not have it)', () => {
  const tag = ours.JSTag;
  assert.ok(tag instanceof ours.Tag);
  assert.equal(ours.JSTag, tag);
  assert.throws(() => new ours.Exception(tag, [{}]), TypeError);
});
