// The benchmark kernels on tswasm inside QuickJS, an interpreter-only engine of the kind embedders
// use, here the WebAssembly build of it that the bench folder's quickjs-emscripten package ships (so
// QuickJS itself runs compiled by V8: compare shapes with each other and with polywasm, not with
// other engines). tswasm's JS API and polywasm are bundled into one script (esbuild, a dev
// dependency) and evaluated in a fresh QuickJS context per kernel and runtime. Build first.
//   node tools/quickjs-kernels.mjs BENCH_DIR [KERNELS] [RUNTIMES] [CALLS]
// KERNELS: comma-separated (default: all with a manifest entry); RUNTIMES: tuned shapes by engine
// name (v8, javascriptcore, spidermonkey), `tuned` (this engine's: QuickJS is not told apart, so
// V8's), `untuned` and `polywasm` (default: all); CALLS: timed calls of run_small after one warm-up
// call, whose median is printed (default 3).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const [bench, kernelList, runtimeList, callsArg] = process.argv.slice(2);
if (!bench) throw new Error('give the bench folder (../shared/bench, with its node_modules) as the first argument');
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(bench, 'kernels', 'manifest.json'), 'utf8'));
const kernels = kernelList ? kernelList.split(',') : Object.keys(manifest.kernels);
const runtimes = (runtimeList ?? 'v8,javascriptcore,spidermonkey,untuned,polywasm').split(',');
const calls = Number(callsArg ?? 3);

const entry = `
import { createWebAssembly } from ${JSON.stringify(path.join(root, 'dist', 'src', 'jsapi', 'index.js'))};
import { WebAssembly as polywasm } from ${JSON.stringify(path.join(path.resolve(bench), 'node_modules', 'polywasm', 'index.js'))};
globalThis.runKernel = (bytes, runtime, calls) => {
  const W = runtime === 'polywasm' ? polywasm
    : createWebAssembly({ engine: { tuneForInterpreter: runtime === 'untuned' ? false : runtime === 'tuned' ? true : runtime } });
  const run = new W.Instance(new W.Module(new Uint8Array(bytes)), {}).exports.run_small;
  run();
  const times = [];
  let result = 0;
  for (let i = 0; i < calls; i++) {
    const t = Date.now();
    result = run();
    times.push(Date.now() - t);
  }
  times.sort((a, b) => a - b);
  return [times[calls >> 1], (result >>> 0).toString(16).padStart(8, '0')];
};`;
const built = await esbuild.build({ stdin: { contents: entry, resolveDir: root }, bundle: true, format: 'iife', target: 'es2020', write: false, logLevel: 'error' });
const script = built.outputFiles[0].text;

const { getQuickJS } = createRequire(path.join(path.resolve(bench), 'package.json'))('quickjs-emscripten');
const QuickJS = await getQuickJS();
for (const kernel of kernels) {
  const row = [kernel.padEnd(9)];
  const bytes = fs.readFileSync(path.join(bench, 'kernels', 'reactor', `${kernel}.wasm`));
  for (const runtime of runtimes) {
    const rt = QuickJS.newRuntime();
    rt.setMemoryLimit(-1);
    rt.setMaxStackSize(0);
    const vm = rt.newContext();
    try {
      vm.unwrapResult(vm.evalCode(script, 'tswasm.js')).dispose();
      const buffer = vm.newArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      vm.setProp(vm.global, 'kernelBytes', buffer);
      buffer.dispose();
      const handle = vm.unwrapResult(vm.evalCode(`runKernel(kernelBytes, ${JSON.stringify(runtime)}, ${calls})`));
      const [ms, checksum] = vm.dump(handle);
      handle.dispose();
      row.push(`${runtime} ${ms} ms${checksum === manifest.kernels[kernel].run_small ? '' : ' (wrong checksum)'}`);
    } catch (e) {
      row.push(`${runtime}: ${String(e?.message ?? e).slice(0, 120)}`);
    } finally {
      vm.dispose();
      rt.dispose();
    }
  }
  console.log(row.join(' | '));
}
