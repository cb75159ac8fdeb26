// Module, validate and compile beside Node's: every kind of BufferSource, bytes that are not a module,
// import/export descriptors, custom sections, and the promise-returning operations' rejections.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differs, ours, same, wasm, type Namespace } from './side-by-side.js';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { needsGrowableSharedBuffers } from '../helpers/oracle.js';

const EMPTY = wasm('(module)');
const MODULE = wasm(`(module
  (import "m" "f" (func (param i32)))
  (import "m" "t" (table 1 funcref))
  (import "m" "mem" (memory 1))
  (import "m" "g" (global i32))
  (func (export "run"))
  (table (export "tab") 1 funcref)
  (global (export "glob") i32 (i32.const 0))
  (export "f-again" (func 0))
  (export "memory" (memory 0)))`);

/** A module with custom sections (hand-encoded: the text format has no custom-section syntax). */
function withCustomSections(): Uint8Array {
  const section = (name: string, payload: number[]) => {
    const n = [...new TextEncoder().encode(name)];
    const body = [n.length, ...n, ...payload];
    return [0, body.length, ...body];
  };
  return new Uint8Array([
    ...EMPTY, ...section('meta', [1, 2, 3]), ...section('other', [9]), ...section('meta', []), ...section('\u00e9t\u00e9', [7]),
  ]);
}

const INVALID = [
  new Uint8Array([]), new Uint8Array([0, 97, 115, 109]), new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]),
  wasm('(module (func (result i32)))').slice(0, -1), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 0x60, 1, 0x7f]),
];

test('every kind of BufferSource compiles; other values are TypeErrors', async () => {
  const sources: ((W: Namespace) => unknown)[] = [
    () => EMPTY, () => EMPTY.buffer.slice(0), () => new Uint16Array(EMPTY.slice().buffer), () => Buffer.from(EMPTY),
    () => { const b = new Uint8Array(32); b.set(EMPTY, 5); return b.subarray(5, 5 + EMPTY.length); },
  ];
  for (const source of sources) {
    await same((W) => W.Module.exports(new W.Module(source(W))));
    await same((W) => W.validate(source(W)));
    await same(async (W) => W.Module.exports(await W.compile(source(W))));
  }
  for (const bad of [undefined, null, 1, 'x', {}, [0, 97, 115, 109, 1, 0, 0, 0], Symbol('s')]) {
    await same((W) => new W.Module(bad));
    await same((W) => W.validate(bad));
    await same((W) => W.compile(bad));
  }
  // A DataView is a BufferSource (an ArrayBufferView); Node 20 accepts only typed arrays and buffers.
  await differs((W) => W.validate(new DataView(EMPTY.slice().buffer)), { native: { error: 'TypeError' }, tswasm: { value: true } });
  // The spec takes [AllowShared] buffer sources; Node 20 refuses a SharedArrayBuffer.
  const shared = () => { const s = new SharedArrayBuffer(EMPTY.length); new Uint8Array(s).set(EMPTY); return s; };
  await differs((W) => W.Module.exports(new W.Module(shared())), { native: { error: 'TypeError' }, tswasm: { value: [] } });
  await differs((W) => W.validate(new Uint8Array(shared())), { native: { value: true }, tswasm: { value: true } });
  await same((W) => new W.Module());
  await same((W) => W.validate());
  await same((W) => W.compile());
});

test('bytes that are not a valid module: CompileError, validate false, compile rejects', async () => {
  for (const bytes of INVALID) {
    await same((W) => new W.Module(bytes));
    await same((W) => W.validate(bytes));
    await same((W) => W.compile(bytes));
  }
  await same((W) => {
    const buffer = EMPTY.slice().buffer;
    structuredClone(buffer, { transfer: [buffer] });
    return new W.Module(buffer);
  }, 'a detached buffer has no bytes');
});

test('the bytes are copied: changing them after compile does not matter', async () => {
  await same(async (W) => {
    const bytes = MODULE.slice();
    const p = W.compile(bytes);
    bytes.fill(0);
    return W.Module.imports(await p);
  });
});

test('Module.imports and Module.exports', async () => {
  await same((W) => [W.Module.imports(new W.Module(MODULE)), W.Module.exports(new W.Module(MODULE))]);
  await same((W) => W.Module.imports(new W.Module(MODULE)) !== W.Module.imports(new W.Module(MODULE)), 'fresh arrays');
  for (const bad of [undefined, null, {}, MODULE]) {
    await same((W) => W.Module.imports(bad));
    await same((W) => W.Module.exports(bad));
  }
  await same((W) => W.Module.imports());
});

test('Module.customSections', async () => {
  const bytes = withCustomSections();
  for (const name of ['meta', 'other', 'missing', '\u00e9t\u00e9', 'META', { toString: () => 'meta' }]) {
    await same((W) => W.Module.customSections(new W.Module(bytes), name).map((b: ArrayBuffer) => [b instanceof ArrayBuffer, [...new Uint8Array(b)]]));
  }
  await same((W) => {
    const m = new W.Module(bytes);
    const [a] = W.Module.customSections(m, 'meta');
    new Uint8Array(a).fill(0);
    return [...new Uint8Array(W.Module.customSections(m, 'meta')[0])];
  }, 'each call copies');
  await same((W) => W.Module.customSections(new W.Module(bytes)));
  await same((W) => W.Module.customSections(new W.Module(bytes), Symbol('s')));
  await same((W) => W.Module.customSections({}, 'meta'));
});

test('compile is asynchronous and resolves with a Module', async () => {
  await same(async (W) => {
    const order: string[] = [];
    const p = W.compile(EMPTY).then((m: unknown) => order.push(m instanceof W.Module ? 'module' : 'other'));
    order.push('sync');
    await p;
    return order;
  });
});

test('Module options: a non-object is a TypeError; JS String Builtins options are read (string-builtins.test.ts uses them)', async () => {
  await same((W) => W.Module.exports(new W.Module(EMPTY, {})));
  await same((W) => W.Module.exports(new W.Module(EMPTY, undefined)));
  await same((W) => W.validate(EMPTY, {}));
  // Node 20 does not read the options argument at all; the spec converts it to a dictionary.
  await differs((W) => W.validate(EMPTY, 5), { native: { value: true }, tswasm: { error: 'TypeError' } });
  assert.equal(ours.validate(EMPTY, { builtins: ['js-string'], importedStringConstants: 's' }), true);
});

test('shared memories and atomics: modules validate, compile and run as on Node', { skip: needsGrowableSharedBuffers('this test') }, async () => {
  const shared = wasm(`(module (memory (export "m") 1 2 shared)
    (func (export "inc") (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))`);
  await same((W) => W.validate(shared));
  await same((W) => {
    const { exports } = new W.Instance(new W.Module(shared));
    return [exports.inc(), exports.inc(), new Int32Array(exports.m.buffer)[0], exports.m.buffer instanceof SharedArrayBuffer];
  });
  await same((W) => {
    const m = new W.Memory({ initial: 1, maximum: 2, shared: true });
    const before = m.buffer;
    return [before instanceof SharedArrayBuffer, Object.isFrozen(before), before.byteLength, m.grow(1), m.buffer.byteLength, new Uint8Array(before)[0]];
  });
  await same((W) => new W.Memory({ initial: 1, shared: true }));
  // Growth: the spec gives a new fixed-length SharedArrayBuffer over the same bytes, which
  // JavaScript cannot make; tswasm's buffer is the engine's growable one, so it is the same object.
  await differs((W) => {
    const m = new W.Memory({ initial: 1, maximum: 2, shared: true });
    const before = m.buffer;
    m.grow(1);
    return [before === m.buffer, before.byteLength];
  }, { native: { value: [false, 65536] }, tswasm: { value: [true, 131072] } });
  // An embedder can still switch threads off: shared memories are then a CompileError.
  const off = createWebAssembly({ engine: { features: { threads: false } } });
  assert.equal(off.validate(shared), false);
  assert.throws(() => new off.Memory({ initial: 1, maximum: 1, shared: true }), TypeError);
});

test('SIMD modules validate, compile and run; a v128 crossing the JS boundary is a TypeError', async () => {
  const simd = wasm(`(module
    (func (export "lanes") (result i32) (i32x4.extract_lane 3 (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8))))
    (func (export "take") (param v128))
    (func (export "give") (result v128) (v128.const i64x2 0 0))
    (global (export "g") v128 (v128.const i64x2 1 2)))`);
  await same((W) => W.validate(simd));
  await same(async (W) => (await W.instantiate(simd)).instance.exports.lanes());
  await same(async (W) => (await W.instantiate(simd)).instance.exports.take());
  await same(async (W) => (await W.instantiate(simd)).instance.exports.give());
  await same(async (W) => (await W.instantiate(simd)).instance.exports.g.value);
});
