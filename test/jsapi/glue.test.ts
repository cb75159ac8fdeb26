// Glue code written for the standard WebAssembly namespace runs unchanged on tswasm's: wasm-bindgen's
// Node glue (brotli-wasm, a Rust crate: module-level heap of JS objects, strings and byte arrays
// through memory, classes with free(), errors thrown across the boundary), loaded once under Node's
// namespace and once under tswasm's, must give the same bytes and the same errors. (emscripten and
// Go glue run in the real-program benchmark: npm run bench:realworld.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';
import { native, ours } from './side-by-side.js';

const require = createRequire(import.meta.url);

interface Brotli {
  compress(buf: Uint8Array, options?: { quality?: number }): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
  CompressStream: new (quality?: number) => {
    compress(input: Uint8Array | undefined, outputSize: number): { buf: Uint8Array; code: number; free(): void };
    free(): void;
  };
}

/** A fresh copy of the package whose glue captured `W` as its WebAssembly at load time. */
const global = globalThis as unknown as { WebAssembly: unknown };

function loadWith(W: unknown): Brotli {
  const saved = global.WebAssembly;
  for (const key of Object.keys(require.cache)) if (key.includes('brotli-wasm')) delete require.cache[key];
  global.WebAssembly = W;
  try {
    return require('brotli-wasm') as Brotli;
  } finally {
    global.WebAssembly = saved;
  }
}

const text = new TextEncoder().encode(readFileSync(join(projectRoot, 'README.md'), 'utf8').repeat(4));

test('wasm-bindgen glue (brotli-wasm) gives the same bytes and errors on tswasm as on Node', () => {
  const [n, t] = [loadWith(native), loadWith(ours)];
  assert.notEqual(n, t);
  for (const quality of [1, 6, 11]) {
    const packed = t.compress(text, { quality });
    assert.deepEqual(packed, n.compress(text, { quality }), `quality ${quality}`);
    assert.deepEqual(t.decompress(packed), text);
  }
  // A streaming compressor: a wasm-bindgen class holding a pointer into wasm memory.
  const chunks: Uint8Array[] = [];
  const stream = new t.CompressStream(5);
  for (let at = 0; at < text.length; at += 4096) {
    const r = stream.compress(text.subarray(at, at + 4096), 65536);
    chunks.push(r.buf);
    r.free();
  }
  const last = stream.compress(undefined, 65536);
  chunks.push(last.buf);
  last.free();
  stream.free();
  const joined = new Uint8Array(chunks.reduce((k, c) => k + c.length, 0));
  chunks.reduce((at, c) => (joined.set(c, at), at + c.length), 0);
  assert.deepEqual(n.decompress(joined), text);
  // A Rust error becomes a JS exception with the same message.
  const garbage = new TextEncoder().encode('this is not brotli data');
  const message = (b: Brotli) => {
    try {
      b.decompress(garbage);
      return 'no error';
    } catch (e) {
      return String(e);
    }
  };
  assert.equal(message(t), message(n));
  assert.notEqual(message(t), 'no error');
});
