// WebAssembly.Table beside Node's: descriptors, default and initial values, get/set/grow with their
// conversions and errors, tables shared with wasm, and the evaluation order of the descriptor.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differs, instantiate, ours, same, type Namespace } from './side-by-side.js';
import { nativeFrom, needsKnownOracle } from '../helpers/oracle.js';

const FUNCS = '(module (func (export "f") (result i32) i32.const 1) (func (export "g") (param i32)))';

test('descriptors and initial values', async () => {
  const cases: [unknown, unknown[]][] = [
    [{ element: 'anyfunc', initial: 2 }, []], [{ element: 'externref', initial: 2 }, []], [{ element: 'externref', initial: 1 }, [{}]],
    [{ element: 'externref', initial: 1 }, [undefined]], [{ element: 'anyfunc', initial: 1 }, [null]], [{ element: 'anyfunc', initial: 1 }, [undefined]],
    [{ element: 'anyfunc', initial: 1 }, [() => 1]], [{ element: 'anyfunc', initial: 1, maximum: 0 }, []], [{ element: 'funcref', initial: 1 }, []],
    [{ element: 'i32', initial: 1 }, []], [{ element: 'anyfunc' }, []], [{ initial: 1 }, []], [{ element: 'anyfunc', initial: -1 }, []],
    [{ element: 'anyfunc', initial: 10_000_001 }, []], [{ element: 'anyfunc', initial: 1, maximum: 2 ** 32 }, []], [undefined, []], [5, []],
    [{ element: { toString: () => 'externref' }, initial: '3' }, []],
  ];
  for (const [i, [d, rest]] of cases.entries()) {
    await same((W: Namespace) => {
      const t = new W.Table(d, ...rest);
      return [t.length, t.get(0) === undefined ? 'undefined' : t.get(0) === null ? 'null' : typeof t.get(0)];
    }, `case ${i}`);
  }
  await same((W: Namespace) => {
    const { f } = instantiate(W, FUNCS);
    const t = new W.Table({ element: 'anyfunc', initial: 3 }, f);
    return [t.get(0) === f, t.get(2) === f];
  });
});

test('the descriptor is read in the order the JS API tests expect', async () => {
  await same((W) => {
    const log: string[] = [];
    new W.Table({
      get element() { log.push('element'); return { toString() { log.push('element toString'); return 'anyfunc'; } }; },
      get initial() { log.push('initial'); return { valueOf() { log.push('initial valueOf'); return 1; } }; },
      get maximum() { log.push('maximum'); return { valueOf() { log.push('maximum valueOf'); return 2; } }; },
    });
    return log;
  });
});

test('get, set and grow: values, default values and errors', async () => {
  const ops: [string, (W: Namespace, t: Namespace, e: Namespace) => unknown][] = [
    ['get out of bounds', (_, t) => t.get(2)], ['get -1', (_, t) => t.get(-1)], ['get no argument', (_, t) => t.get()],
    ['get "1"', (_, t) => t.get('1')], ['get 2^32', (_, t) => t.get(2 ** 32)],
    ['set a function', (_, t, e) => (t.set(1, e.f), t.get(1) === e.f)], ['set null', (_, t) => (t.set(0, null), t.get(0))],
    ['set without value', (_, t, e) => (t.set(0, e.f), t.set(0), t.get(0))], ['set undefined', (_, t) => t.set(0, undefined)],
    ['set a JS function', (_, t) => t.set(0, () => 1)], ['set an object', (_, t) => t.set(0, {})], ['set out of bounds', (_, t, e) => t.set(2, e.f)],
    ['set -1', (_, t) => t.set(-1, null)], ['set no arguments', (_, t) => t.set()], ['set returns', (_, t) => t.set(0, null)],
    ['grow', (_, t) => [t.grow(2), t.length, t.get(3)]], ['grow with a value', (_, t, e) => [t.grow(1, e.g), t.get(2) === e.g]],
    ['grow past maximum', (_, t) => t.grow(9)], ['grow -1', (_, t) => t.grow(-1)], ['grow no argument', (_, t) => t.grow()],
    ['grow with a bad value', (_, t) => t.grow(1, {})], ['grow 0', (_, t) => [t.grow(0), t.length]],
    ['length is read-only', (_, t) => { 'use strict'; t.length = 5; }],
  ];
  for (const [what, op] of ops) {
    await same((W: Namespace) => {
      const e = instantiate(W, FUNCS);
      return op(W, new W.Table({ element: 'anyfunc', initial: 2, maximum: 5 }), e);
    }, what);
  }
  for (const v of [undefined, null, 0, 'x', {}, Symbol('s'), 1n]) {
    await same((W: Namespace) => {
      const t = new W.Table({ element: 'externref', initial: 1 });
      t.set(0, v);
      t.grow(1);
      t.grow(1, v);
      return [t.get(0) === v, t.get(1), t.get(2) === v, t.length];
    });
  }
});

test('the argument conversion order of set: index first, then the value', async () => {
  await same((W) => {
    const log: string[] = [];
    const t = new W.Table({ element: 'anyfunc', initial: 1 });
    try {
      t.set({ valueOf: () => (log.push('index'), 0) }, {});
    } catch (e) {
      log.push((e as Error).constructor.name);
    }
    return log;
  });
});

test('tables shared between JS and wasm', async () => {
  const user = `(module (import "x" "t" (table 2 funcref)) (type $v (func (result i32)))
    (func (export "call") (param i32) (result i32) (call_indirect (type $v) (local.get 0)))
    (func (export "size") (result i32) (table.size 0))
    (func (export "grow") (result i32) (table.grow 0 (ref.null func) (i32.const 3))))`;
  await same((W: Namespace) => {
    const { f, g } = instantiate(W, FUNCS);
    const t = new W.Table({ element: 'anyfunc', initial: 2 });
    const e = instantiate(W, user, { x: { t } });
    t.set(0, f);
    t.set(1, g);
    const out: unknown[] = [e.call(0)];
    for (const i of [1, 5]) {
      try {
        e.call(i);
      } catch (err) {
        out.push((err as Error).constructor.name, err instanceof W.RuntimeError);
      }
    }
    out.push(e.grow(), t.length, e.size());
    return out;
  });
  await same((W: Namespace) => {
    const e = instantiate(W, '(module (table (export "t") (export "t2") 1 externref))');
    return [e.t === e.t2, e.t instanceof W.Table, e.t.get(0)];
  }, 'an exported externref table starts with null, not undefined');
});

test('tables beyond the JS API size limit', { skip: needsKnownOracle('the table size limit') }, async () => {
  await same((W: Namespace) => new W.Table({ element: 'anyfunc', initial: 1, maximum: 20_000_000 }).grow(10_000_000));
  // A table over the limit is the JS API's dynamic limit: the module compiles, and instantiating it is
  // a RangeError (the spec's web-platform test limits.any.js); Node 24 on refuse to compile it.
  const overLimit = (W: Namespace) => instantiate(W, '(module (table 10000001 funcref))');
  if (nativeFrom(24)) await differs(overLimit, { native: { error: 'CompileError' }, tswasm: { error: 'RangeError' } });
  else await same(overLimit);
  // i64 table addresses (Node 20 and 22 have no memory64 tables, and ignore `address`).
  const t = new ours.Table({ element: 'externref', initial: 1n, address: 'i64' }, 'x');
  assert.equal(t.length, 1n);
  assert.equal(t.grow(2n), 1n);
  assert.equal(t.get(2n), undefined);
  assert.throws(() => t.get(0), TypeError);
  const i64Sizes = (W: Namespace) => new W.Table({ element: 'anyfunc', initial: 1, address: 'i64' }).length;
  if (nativeFrom(24)) await same(i64Sizes);
  else await differs(i64Sizes, { native: { value: 1 }, tswasm: { error: 'TypeError' } });
});
