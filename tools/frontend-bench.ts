// Decode+validate throughput on large real modules (sql.js, quickjs, esbuild): median MB/s of
// several runs after warm-up. Usage: npx tsx tools/frontend-bench.ts [runs]

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASM3_FEATURES } from '../src/core/features.js';
import { decodeModule } from '../src/binary/decoder.js';
import { validateModule } from '../src/validate/index.js';
import { projectRoot } from '../test/helpers/paths.js';

/** The real-world modules come from the bench folder's npm packages ($BENCH_MODULES overrides). */
const BENCH = process.env.BENCH_MODULES ?? join(projectRoot, '..', 'bench', 'node_modules');
const MODULES: readonly [string, string][] = [
  ['sql.js', `${BENCH}/sql.js/dist/sql-wasm.wasm`],
  ['quickjs', `${BENCH}/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm`],
  ['esbuild', `${BENCH}/esbuild-wasm/esbuild.wasm`],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function timeOnce(bytes: Uint8Array): { decode: number; total: number } {
  const t0 = performance.now();
  const m = decodeModule(bytes, WASM3_FEATURES);
  const t1 = performance.now();
  validateModule(m, WASM3_FEATURES);
  const t2 = performance.now();
  return { decode: t1 - t0, total: t2 - t0 };
}

const runs = Math.max(5, Number(process.argv[2] ?? 11));
const loaded = MODULES.filter(([name, path]) => {
  if (existsSync(path)) return true;
  console.log(`${name}: missing ${path}`);
  return false;
}).map(([name, path]) => ({ name, bytes: new Uint8Array(readFileSync(path)), decode: [] as number[], total: [] as number[] }));
// Warm up every module first, then measure in interleaved rounds so that load on the machine
// spreads over all of them.
for (let i = 0; i < 5; i++) for (const m of loaded) timeOnce(m.bytes);
for (let i = 0; i < runs; i++) {
  for (const m of loaded) {
    const t = timeOnce(m.bytes);
    m.decode.push(t.decode);
    m.total.push(t.total);
  }
}
console.log(`module     size (MB)   decode ms   decode+validate ms   MB/s median   MB/s best   (${runs} runs)`);
for (const m of loaded) {
  const mb = m.bytes.length / 1e6;
  const ms = median(m.total);
  const best = Math.min(...m.total);
  console.log(
    `${m.name.padEnd(10)} ${mb.toFixed(2).padStart(9)} ${median(m.decode).toFixed(1).padStart(11)} ${ms.toFixed(1).padStart(20)} `
    + `${(mb / (ms / 1000)).toFixed(1).padStart(13)} ${(mb / (best / 1000)).toFixed(1).padStart(11)}`,
  );
}
