// compileStreaming and instantiateStreaming beside Node's, on fetch Responses: the MIME type and
// status checks, bodies already used, promises of responses, and values that are not responses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differs, ours, same, wasm, type Namespace } from './side-by-side.js';

const BYTES = wasm('(module (import "h" "x" (global i32)) (func (export "f") (result i32) (global.get 0)))');
const response = (body: ConstructorParameters<typeof Response>[0], init?: ConstructorParameters<typeof Response>[1]) => new Response(body, init);
const WASM = { headers: { 'Content-Type': 'application/wasm' } };

test('compileStreaming and instantiateStreaming on good and bad responses', async () => {
  const sources: [string, () => unknown][] = [
    ['a wasm response', () => response(BYTES, WASM)],
    ['a promise of one', () => Promise.resolve(response(BYTES, WASM))],
    ['MIME type with parameters', () => response(BYTES, { headers: { 'Content-Type': 'application/wasm; charset=utf-8' } })],
    ['no Content-Type', () => response(BYTES)],
    ['wrong Content-Type', () => response(BYTES, { headers: { 'Content-Type': 'application/octet-stream' } })],
    ['status 404', () => response(BYTES, { ...WASM, status: 404 })],
    ['invalid bytes', () => response(new Uint8Array([1, 2, 3]), WASM)],
    ['body used', () => { const r = response(BYTES, WASM); void r.arrayBuffer(); return r; }],
    ['not a response', () => BYTES],
    ['a rejected promise', () => Promise.reject(new URIError('no'))],
    ['undefined', () => undefined],
  ];
  for (const [what, source] of sources) {
    await same(async (W: Namespace) => (await W.compileStreaming(source())) instanceof W.Module, `compileStreaming: ${what}`);
    await same(async (W: Namespace) => {
      const r = await W.instantiateStreaming(source(), { h: { x: 7 } });
      return [Object.keys(r).sort(), r.instance.exports.f(), r.module instanceof W.Module];
    }, `instantiateStreaming: ${what}`);
  }
  await same(async (W: Namespace) => W.instantiateStreaming(response(BYTES, WASM)), 'missing import object');
  // The Web API spec compares the MIME type byte-case-insensitively; Node 20 wants it in lower case.
  await differs(async (W: Namespace) => (await W.compileStreaming(response(BYTES, { headers: { 'Content-Type': 'Application/WASM' } }))) instanceof W.Module, {
    native: { error: 'TypeError' }, tswasm: { value: true },
  });
  await same(async (W: Namespace) => W.instantiateStreaming(response(BYTES, WASM), 5), 'bad import object');
});

test('Response-like objects from other fetch implementations work too', async () => {
  const like = { ok: true, status: 200, headers: new Map([['Content-Type', 'application/wasm']]), arrayBuffer: async () => BYTES.slice().buffer };
  const m = await ours.compileStreaming(like);
  assert.ok(m instanceof ours.Module);
});
