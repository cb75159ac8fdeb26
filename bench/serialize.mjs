#!/usr/bin/env node
// Serialized modules vs compiling: time to a ready instance of a big module (default: sql.js's
// sql-wasm.wasm), each measurement in a fresh process so V8's in-process code caches do not help.
//
//   npm run build && node bench/serialize.mjs [FILE.wasm] [--rounds N]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const api = join(root, process.env.TSWASM_DIST ?? 'dist', 'src', 'index.js');
if (process.argv[2] === '--child') {
  // One measurement: argv = --child MODE FILE BLOB KEY
  const [, , , mode, wasmFile, blobFile, key] = process.argv;
  const { Engine, Linker, Module, Store } = await import(api);
  const config = { compilation: mode === 'lazy' ? 'lazy' : 'eager', serializationKey: key || null };
  const engine = new Engine(config);
  const t0 = performance.now();
  const module = mode === 'deserialize'
    ? Module.deserialize(engine, readFileSync(blobFile))
    : new Module(engine, readFileSync(wasmFile));
  const t1 = performance.now();
  const store = new Store(engine);
  new Linker(engine).defineUnknownImportsAsTraps(module).instantiate(store, module);
  const t2 = performance.now();
  if (mode === 'serialize') writeFileSync(blobFile, module.serialize());
  process.stdout.write(JSON.stringify({ module: t1 - t0, instantiate: t2 - t1 }));
  process.exit(0);
}

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 5;
const file = resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds')
  ?? join(root, '..', 'bench', 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'));
if (!existsSync(api)) {
  console.error('bench/serialize: build first (npm run build)');
  process.exit(2);
}
const blob = join(mkdtempSync(join(tmpdir(), 'tswasm-ser-bench-')), 'module.bin');
const key = 'bench key';
const self = fileURLToPath(import.meta.url);
const run = (mode) => JSON.parse(execFileSync(process.execPath, [self, '--child', mode, file, blob, key], { encoding: 'utf8' }));
run('serialize');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { eager: [], lazy: [], deserialize: [] };
for (let r = 0; r < rounds; r++) for (const mode of Object.keys(results)) results[mode].push(run(mode));
const size = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`${file}: wasm ${size(readFileSync(file).length)}, serialized ${size(readFileSync(blob).length)}; median of ${rounds} fresh processes`);
console.log('mode          Module (ms)  + instantiate (ms)  = ready (ms)');
for (const [mode, rs] of Object.entries(results)) {
  const m = median(rs.map((x) => x.module));
  const i = median(rs.map((x) => x.instantiate));
  const total = median(rs.map((x) => x.module + x.instantiate));
  console.log(`${mode.padEnd(12)} ${m.toFixed(1).padStart(11)}  ${i.toFixed(1).padStart(18)}  ${total.toFixed(1).padStart(12)}`);
}
