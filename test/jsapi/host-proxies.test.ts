// Host values that are Proxies: the JS API lets wasm hold any JS value as a reference, and native
// WebAssembly never runs JS code to tell one from its own objects. tswasm tells them apart with
// `instanceof`, which a revoked Proxy makes throw: such a value must still pass through tables,
// globals, calls, exceptions and GC type tests as any other host value does, never as a TypeError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ours, same, wasm } from './side-by-side.js';

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const EXTERN = wasm(`(module
  (import "js" "throw" (func $throw))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "rethrow") (call $throw))
  (table (export "table") 1 externref)
  (global (export "global") (mut externref) (ref.null extern)))`);

test('a revoked Proxy passes through externref calls, tables and globals as on native', async () => {
  await same(async (W) => {
    const p = revokedProxy();
    const { instance } = await W.instantiate(EXTERN, { js: { throw: () => { throw p; } } });
    const { id, rethrow, table, global } = instance.exports;
    table.set(0, p);
    global.value = p;
    let thrown: unknown;
    try {
      rethrow();
    } catch (e) {
      thrown = e;
    }
    return [id(p) === p, table.get(0) === p, global.value === p, thrown === p];
  }, 'revoked Proxy as externref');
});

test('GC type tests of a revoked Proxy made internal answer no, and casts trap as for any host value', async () => {
  // Node 20 has no final Wasm GC to compare with: the results are the spec's for a host value.
  const { instance } = await ours.instantiate(wasm(`(module
    (type $s (struct (field i32)))
    (func (export "tests") (param externref) (result i32 i32 i32 i32 i32)
      (ref.test (ref $s) (any.convert_extern (local.get 0)))
      (ref.test (ref struct) (any.convert_extern (local.get 0)))
      (ref.test (ref array) (any.convert_extern (local.get 0)))
      (ref.test (ref eq) (any.convert_extern (local.get 0)))
      (ref.test (ref i31) (any.convert_extern (local.get 0))))
    (func (export "roundTrip") (param externref) (result externref)
      (extern.convert_any (any.convert_extern (local.get 0))))
    (func (export "internal") (param externref) (result anyref) (any.convert_extern (local.get 0)))
    (func (export "castEq") (param externref) (result i32)
      (ref.is_null (ref.cast (ref null eq) (any.convert_extern (local.get 0))))))`));
  const { tests, roundTrip, internal, castEq } = instance.exports;
  const p = revokedProxy();
  assert.deepEqual(tests(p), [0, 0, 0, 0, 0]);
  assert.equal(roundTrip(p), p);
  assert.equal(internal(p), p);
  assert.throws(() => castEq(p), (e: unknown) => e instanceof ours.RuntimeError && /cast/.test((e as Error).message));
});
