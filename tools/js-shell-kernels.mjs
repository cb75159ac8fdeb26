// The benchmark kernels in a JS engine's own shell (JavaScriptCore's `jsc`, SpiderMonkey's `js102`):
// tswasm against polywasm, and against the shell's own WebAssembly with `native`. Build first.
//   jsc [--useJIT=false] -m tools/js-shell-kernels.mjs -- BENCH_DIR [run|run_small] [native]
//   js102 -m tools/js-shell-kernels.mjs -- BENCH_DIR run native
//   jsc --useJIT=false -m tools/js-shell-kernels.mjs -- BENCH_DIR run_small tuned tuned=v8
// BENCH_DIR is ../shared/bench (with its node_modules, for polywasm). Each runtime instantiates
// each kernel, calls the export once to warm up, then prints the median of 3 timed calls and
// whether the checksum matches the manifest.

import { createWebAssembly } from '../dist/src/jsapi/index.js';
import { args, now, readBytes, readText } from './js-shell-host.mjs';

/* global print */
const [bench, which = 'run_small'] = args;
if (!bench) throw new Error('give the bench folder (../shared/bench) as the first argument');
const manifest = JSON.parse(readText(`${bench}/kernels/manifest.json`));
const runtimes = { tswasm: createWebAssembly(), polywasm: (await import(`${bench}/node_modules/polywasm/index.js`)).WebAssembly };
if (args.includes('native') && typeof WebAssembly !== 'undefined') runtimes.native = WebAssembly;
// `tuned` adds tswasm with the code shaped for this engine's interpreter, which it chooses by itself
// only where the engine has no WebAssembly (jsc --useJIT=false keeps its own); `tuned=v8` and the
// like, shaped for another engine's.
for (const a of args.filter((x) => x === 'tuned' || x.startsWith('tuned='))) {
  runtimes[a] = createWebAssembly({ engine: { tuneForInterpreter: a === 'tuned' ? true : a.slice('tuned='.length) } });
}
for (const k of Object.keys(manifest.kernels)) {
  const bytes = readBytes(`${bench}/kernels/reactor/${k}.wasm`);
  const row = [k.padEnd(9)];
  for (const [name, W] of Object.entries(runtimes)) {
    try {
      const { instance } = await W.instantiate(bytes, {});
      const f = instance.exports[which];
      f();
      const times = [];
      let r;
      for (let i = 0; i < 3; i++) {
        const t = now();
        r = f();
        times.push(now() - t);
      }
      times.sort((a, b) => a - b);
      const ok = (r >>> 0).toString(16).padStart(8, '0') === manifest.kernels[k][which];
      row.push(`${name} ${times[1].toFixed(0)} ms${ok ? '' : ' (wrong checksum)'}`);
    } catch (e) {
      row.push(`${name}: ${e}`);
    }
  }
  print(row.join(' | '));
}
