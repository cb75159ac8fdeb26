#!/usr/bin/env node
// Code generation time of bodies shaped to make compiling slow, as an untrusted module could be:
// operand stacks tens of thousands of values deep, switch chains nested inside each other's first
// case (split into parts: each chain's liveness used to cover the whole body again), and many
// dispatch loops in one body (each used to scan the whole body for how its state is set), and, lazily
// compiled, thousands of functions in a module with thousands of tables and globals. Each
// shape at growing sizes; linear growth means the time doubles with the size.
//
//   node bench/compile-scaling.mjs [--sizes 10000,20000,40000]   (after npm run build)

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

/** A module with one memory and one function `() -> ()` with `locals` i32 locals and `body`. */
function module(body, locals = 1) {
  const code = [1, ...leb(locals), 0x7f, ...body, 0x0b];
  return new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, 0, 0]])), ...section(3, vec([[0]])), ...section(5, vec([[0, 1]])),
    ...section(10, vec([[...leb(code.length), ...code]])),
  ]);
}

/**
 * Chains of 20 empty blocks dispatched by one br_table, each nested in the first case of the one
 * around it (`size / 400` of them); the other cases update locals. Split into parts.
 */
function nestedChains(size) {
  const k = Math.max(1, Math.round(size / 400));
  const n = 20;
  const pre = [];
  const post = [];
  for (let d = k - 1; d >= 0; d--) {
    pre.push(...repeat(n, [0x02, 0x40]), 0x20, 0, 0x0e, ...leb(n - 1), ...Array.from({ length: n }, (_, i) => leb(Math.min(i, n - 1))).flat(), 0x0b);
    const tail = [];
    for (let i = 1; i < n; i++) {
      const x = 1 + ((i + d) * 7) % 899;
      tail.push(0x0b, 0x20, ...leb(x), 0x41, 1, 0x6a, 0x21, ...leb(x), ...repeat(20, [0x01]));
    }
    post.unshift(...tail);
  }
  return module([...pre, 0x01, ...post], 900);
}

/** `size / 40` dispatch loops in Go's shape one after another (64 cases each, the state set to constants). Split. */
function dispatchLoops(size) {
  const n = 64;
  const one = [0x03, 0x40, ...repeat(n, [0x02, 0x40]), 0x20, 0, 0x0e, ...leb(n - 1), ...Array.from({ length: n }, (_, i) => leb(Math.min(i, n - 1))).flat()];
  for (let i = 0; i < n; i++) one.push(0x0b, 0x41, ...leb(i + 1), 0x21, 0, 0x20, 0, 0x41, ...leb(n), 0x48, 0x0d, ...leb(n - i));
  one.push(0x0b);
  return module(repeat(Math.max(1, Math.round(size / 40)), one), 2);
}

const shapes = {
  'n local.get, then n local.set': (n) => [...repeat(n, [0x20, 0]), ...repeat(n, [0x41, 0, 0x21, 0]), ...repeat(n, [0x1a])],
  'n i32.const, then n stores': (n) => [...repeat(n, [0x41, 1]), ...repeat(n, [0x41, 0, 0x41, 0, 0x36, 2, 0]), ...repeat(n, [0x1a])],
  'n loads, then n drops': (n) => [...repeat(n, [0x41, 0, 0x28, 2, 0]), ...repeat(n, [0x1a])],
  'n i32.const, then n - 1 i32.add': (n) => [...repeat(n, [0x41, 1]), ...repeat(n - 1, [0x6a]), 0x1a],
  'n/400 nested split chains': nestedChains,
  'n/40 dispatch loops (Go\'s shape)': dispatchLoops,
};

console.log(`node ${process.version}; eager compilation (validation + JS generation + V8 parsing), splitLargeSwitches on, ms`);
console.log(['shape'.padEnd(34), ...sizes.map((n) => String(n).padStart(8))].join(' '));
for (const [name, shape] of Object.entries(shapes)) {
  const row = [name.padEnd(34)];
  for (const n of sizes) {
    const bytes = shape === nestedChains || shape === dispatchLoops ? shape(n) : module(shape(n));
    const t = performance.now();
    try {
      new Module(new Engine({ compilation: 'eager', splitLargeSwitches: true }), bytes);
      row.push((performance.now() - t).toFixed(0).padStart(8));
    } catch (e) {
      // Nesting past what V8's parser takes is a CompileError (README: limits of compiling to JS).
      row.push(`${e.name}`.padStart(8));
    }
  }
  console.log(row.join(' '));
}

// Lazily compiled units each bind the instance state their code names, not all of it: n/8 tables,
// n/8 globals and n/8 functions, each function called once (compiled on its first call).
const { parseWat } = await import(distUrl('src/text/index.js'));
const { Store, Instance } = await import(distUrl('src/api/index.js'));
const row = ['n/8 tables, globals, functions (lazy)'.padEnd(34)];
for (const n of sizes) {
  const k = Math.max(1, Math.round(n / 8));
  const wat = `(module ${'(table 1 funcref)'.repeat(k)} ${'(global (mut i32) (i32.const 1))'.repeat(k)}
    ${Array.from({ length: k }, (_, i) => `(func $f${i} (result i32) (i32.add (table.size ${i}) (global.get ${i})))`).join(' ')}
    (func (export "all") ${Array.from({ length: k }, (_, i) => `(drop (call $f${i}))`).join(' ')}))`;
  const engine = new Engine({ compilation: 'lazy' });
  const store = new Store(engine);
  const t = performance.now();
  const instance = new Instance(store, new Module(engine, parseWat(wat)), []);
  instance.getFunc(store, 'all').call(store, []);
  row.push((performance.now() - t).toFixed(0).padStart(8));
}
console.log(row.join(' '));
