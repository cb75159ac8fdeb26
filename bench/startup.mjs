#!/usr/bin/env node
// Start-up costs of tswasm beside polywasm's and native's: compile, instantiate (stub imports) and, for
// the kernels, the first run_small() call; each measured in a fresh process so every JIT starts cold.
//
//   node bench/startup.mjs [--dist DIR] [--runs N] [--only a,b] [--mode lazy|eager|both] [--no-anchors]

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const benchDir = resolve(process.env.TSWASM_BENCH ?? join(root, '..', 'bench'));

if (args[0] === '--child') {
  // One measurement: runtime, mode, file.
  const [, runtime, mode, file, dist] = args;
  const bytes = new Uint8Array(readFileSync(file));
  const t0 = performance.now();
  let api, engine, store, mod, inst;
  let compileMs, instMs, firstMs = null;
  if (runtime === 'tswasm') {
    api = await import(pathToFileURL(join(dist, 'src', 'api', 'index.js')).href);
    const t = performance.now();
    engine = new api.Engine({ compilation: mode });
    store = new api.Store(engine);
    mod = new api.Module(engine, bytes);
    const t1 = performance.now();
    const imports = mod.imports().map((imp) => stubImport(api, store, imp));
    inst = new api.Instance(store, mod, imports);
    const t2 = performance.now();
    compileMs = t1 - t;
    instMs = t2 - t1;
    const run = inst.getFunc(store, 'run_small');
    if (run) {
      const t3 = performance.now();
      run.call(store, []);
      firstMs = performance.now() - t3;
    }
  } else {
    const W = runtime === 'native' ? globalThis.WebAssembly : (await import(pathToFileURL(join(benchDir, 'node_modules', 'polywasm', 'index.js')).href)).WebAssembly;
    const descs = globalThis.WebAssembly.Module.imports(new globalThis.WebAssembly.Module(bytes));
    const t = performance.now();
    mod = await W.compile(bytes);
    const t1 = performance.now();
    const imports = {};
    for (const imp of descs) {
      imports[imp.module] ??= {};
      imports[imp.module][imp.name] = jsStub(W, mod, imp);
    }
    inst = await W.instantiate(mod, imports);
    const t2 = performance.now();
    compileMs = t1 - t;
    instMs = t2 - t1;
    if (inst.exports.run_small) {
      const t3 = performance.now();
      inst.exports.run_small();
      firstMs = performance.now() - t3;
    }
  }
  void t0;
  process.stdout.write(JSON.stringify({ compileMs, instMs, firstMs }));
  process.exit(0);
}

function stubImport(api, store, imp) {
  const t = imp.type;
  switch (t.kind) {
    case 'func': return api.Func.create(store, t.type, () => { throw new Error(`stub import ${imp.module}.${imp.name} called`); });
    case 'memory': return new api.Memory(store, t.type);
    case 'table': return new api.Table(store, t.type, api.Val.funcref(null));
    case 'global': return new api.Global(store, t.type, zeroVal(api, t.type.type));
    default: throw new Error(`cannot stub ${t.kind}`);
  }
}
function zeroVal(api, vt) {
  if (vt === api.I32) return api.Val.i32(0);
  if (vt === api.I64) return api.Val.i64(0n);
  if (vt === api.F32) return api.Val.f32(0);
  if (vt === api.F64) return api.Val.f64(0);
  return api.Val.funcref(null);
}
function jsStub(W, mod, imp) {
  // Native and polywasm need typed descriptors; the real modules' imports are functions, one memory, one table.
  switch (imp.kind) {
    case 'function': return () => { throw new Error('stub'); };
    case 'memory': return new W.Memory({ initial: 256, maximum: 32768 });
    case 'table': return new W.Table({ initial: 4096, element: 'anyfunc' });
    case 'global': return 0;
    default: throw new Error(imp.kind);
  }
}

const dist = resolve(opt('--dist', join(root, 'dist')));
const runs = Number(opt('--runs', '3'));
const mode = opt('--mode', 'both');
const only = opt('--only', null)?.split(',');
const modules = [];
for (const k of ['dispatch', 'f32', 'fannkuch', 'fib', 'i64', 'lz77', 'matmul', 'nbody', 'sha256']) {
  modules.push({ name: k, file: join(benchDir, 'kernels', 'reactor', `${k}.wasm`) });
}
modules.push({ name: 'sql.js', file: join(benchDir, 'node_modules/sql.js/dist/sql-wasm.wasm') });
modules.push({ name: 'quickjs', file: join(benchDir, 'node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm') });
modules.push({ name: 'esbuild', file: join(benchDir, 'node_modules/esbuild-wasm/esbuild.wasm') });

const configs = [];
if (!args.includes('--no-anchors')) configs.push(['native', '-'], ['polywasm', '-']);
if (mode === 'both' || mode === 'lazy') configs.push(['tswasm', 'lazy']);
if (mode === 'both' || mode === 'eager') configs.push(['tswasm', 'eager']);

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};
const fmt = (x) => (x === null ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(0));
console.log('module       runtime          compile      inst     first    total   (ms, median of ' + runs + ' fresh processes)');
for (const m of modules) {
  if (only && !only.includes(m.name)) continue;
  if (!existsSync(m.file)) continue;
  for (const [rt, md] of configs) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      try {
        const out = execFileSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', rt, md, m.file, dist], { cwd: benchDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
        samples.push(JSON.parse(out));
      } catch (e) {
        samples.push({ error: String(e.stderr ?? e).split('\n').find((l) => /Error/.test(l)) ?? 'failed' });
        break;
      }
    }
    const err = samples.find((s) => s.error);
    const label = rt === 'tswasm' ? `tswasm-${md}` : rt;
    if (err) {
      console.log(`${m.name.padEnd(12)} ${label.padEnd(16)} ${err.error.slice(0, 100)}`);
      continue;
    }
    const c = median(samples.map((s) => s.compileMs));
    const n = median(samples.map((s) => s.instMs));
    const f = median(samples.map((s) => s.firstMs));
    const tot = median(samples.map((s) => s.compileMs + s.instMs + (s.firstMs ?? 0)));
    console.log(`${m.name.padEnd(12)} ${label.padEnd(16)} ${fmt(c).padStart(8)} ${fmt(n).padStart(9)} ${fmt(f).padStart(9)} ${fmt(tot).padStart(8)}`);
  }
}
