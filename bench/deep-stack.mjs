#!/usr/bin/env node
// Code generation time of bodies that keep tens of thousands of values on the operand stack: what
// an untrusted module could send to make compiling slow. Each shape at growing sizes; linear
// growth means the time doubles with the size. (Validation is timed apart: it was always linear.)
//
//   node bench/deep-stack.mjs [--sizes 10000,20000,40000]   (after npm run build)

import { distUrl } from './find-harness.mjs';

const { Engine, Module } = await import(distUrl('src/api/index.js'));

const args = process.argv.slice(2);
const sizesAt = args.indexOf('--sizes');
const sizes = (sizesAt >= 0 ? args[sizesAt + 1] : '10000,20000,40000,80000').split(',').map(Number);

const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const vec = (items) => [...leb(items.length), ...items.flat()];
const repeat = (n, bytes) => Array.from({ length: n }, () => bytes).flat();

/** A module with one memory and one function `() -> ()` with one i32 local and `body`. */
function module(body) {
  const code = [1, 1, 0x7f, ...body, 0x0b];
  return new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, 0, 0]])), ...section(3, vec([[0]])), ...section(5, vec([[0, 1]])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ]);
}

const shapes = {
  'n local.get, then n local.set': (n) => [...repeat(n, [0x20, 0]), ...repeat(n, [0x41, 0, 0x21, 0]), ...repeat(n, [0x1a])],
  'n i32.const, then n stores': (n) => [...repeat(n, [0x41, 1]), ...repeat(n, [0x41, 0, 0x41, 0, 0x36, 2, 0]), ...repeat(n, [0x1a])],
  'n loads, then n drops': (n) => [...repeat(n, [0x41, 0, 0x28, 2, 0]), ...repeat(n, [0x1a])],
  'n i32.const, then n - 1 i32.add': (n) => [...repeat(n, [0x41, 1]), ...repeat(n - 1, [0x6a]), 0x1a],
};

console.log(`node ${process.version}; eager compilation (validation + JS generation + V8 parsing), ms`);
console.log(['shape'.padEnd(34), ...sizes.map((n) => String(n).padStart(8))].join(' '));
for (const [name, shape] of Object.entries(shapes)) {
  const row = [name.padEnd(34)];
  for (const n of sizes) {
    const bytes = module(shape(n));
    const t = performance.now();
    new Module(new Engine({ compilation: 'eager' }), bytes);
    row.push((performance.now() - t).toFixed(0).padStart(8));
  }
  console.log(row.join(' '));
}
