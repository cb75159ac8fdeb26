// A compilation cache: compile once, keep the signed serialized module on disk, and load it
// later without compiling. A blob that was altered on disk is refused before any of it runs.
//
//   npm run build && node examples/serialize-cache.mjs

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeserializeError, Engine, Instance, Module, Store } from 'tswasm';

// In a real host the key comes from a secret store, never from the cache directory.
const engine = new Engine({ serializationKey: 'example key: keep it out of the cache' });
const cache = join(mkdtempSync(join(tmpdir(), 'tswasm-cache-')), 'fib.tswasm');

const source = readFileSync(new URL('./fib.wat', import.meta.url), 'utf8');
let t = performance.now();
const compiled = new Module(engine, source);
writeFileSync(cache, compiled.serialize());
console.log(`compiled and cached in ${(performance.now() - t).toFixed(1)} ms`);

t = performance.now();
const loaded = Module.deserialize(engine, readFileSync(cache));
const store = new Store(engine);
const fib = new Instance(store, loaded, []).getTypedFunc(store, 'fib');
console.log(`loaded from the cache in ${(performance.now() - t).toFixed(1)} ms; fib(90) = ${fib.call(store, 90)}`);

const altered = readFileSync(cache);
altered[altered.length - 100] ^= 1;
try {
  Module.deserialize(engine, altered);
} catch (e) {
  if (!(e instanceof DeserializeError)) throw e;
  console.log(`altered cache entry refused: ${e.message}`);
}
