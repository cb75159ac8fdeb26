// Instantiation time of a module with 1 MiB of active data segments (the memory image case):
// `node bench/data-image.mjs` after `npm run build`. Prints compile and median instantiate times.

import { Engine, Store, Module, Instance } from '../dist/src/api/index.js';

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
function section(id, body) {
  return [id, ...leb(body.length), ...body];
}

/** A module with one 32-page memory and `count` data segments of `size` bytes each. */
function dataModule(count, size) {
  const segs = [];
  for (let i = 0; i < count; i++) {
    const offset = i * size;
    const bytes = new Array(size).fill(0).map((_, k) => (k * 31 + i) & 255);
    segs.push(0, 0x41, ...signedLeb(offset), 0x0b, ...leb(size), ...bytes);
  }
  const mem = section(5, [1, 0, 32]);
  const data = section(11, [...leb(count), ...segs]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...mem, ...data]);
}
function signedLeb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const bytes = dataModule(256, 4096);
const engine = new Engine({ compilation: 'eager' });
const t0 = performance.now();
const module = new Module(engine, bytes);
const compileMs = performance.now() - t0;
const times = [];
for (let i = 0; i < 21; i++) {
  const store = new Store(engine);
  const t = performance.now();
  new Instance(store, module, []);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(`module ${bytes.length} bytes, 1 MiB in 256 data segments: compile ${compileMs.toFixed(2)} ms, ` +
  `instantiate median ${times[10].toFixed(3)} ms (min ${times[0].toFixed(3)}, first ${times.length} runs)`);
