// sql.js (the shared harness's workload: 20,000 inserts, an index, three queries) in a JS engine's
// shell, on tswasm, polywasm or the shell's own WebAssembly; above all in JavaScriptCore without the
// JIT (`jsc --useJIT=false`, as in iOS Lockdown Mode), where there is no WebAssembly at all. Build first.
//   jsc [--useJIT=false] -m tools/js-shell-sqljs.mjs -- BENCH_DIR tswasm|polywasm|native [RUNS] [SHAPE]
//   js102 -m tools/js-shell-sqljs.mjs -- BENCH_DIR tswasm|polywasm|native [RUNS]
//   node --jitless tools/js-shell-sqljs.mjs BENCH_DIR tswasm|polywasm [RUNS]
// BENCH_DIR is ../shared/bench with its node_modules. Prints the set-up time, each run's time and
// the result's digest (the same digest as run-realworld.mjs's for the same output).

import { createWebAssembly } from '../dist/src/jsapi/index.js';
import { utf8Bytes, utf8Text } from '../dist/src/core/utf8.js';
import { args, inNode, now, out, readBytes } from './js-shell-host.mjs';
import { runSqlWorkload } from './sqljs-workload.mjs';

/* global load, print */
const [bench, which = 'tswasm', runs = '4', shape = ''] = args;
if (!bench) throw new Error('give the bench folder (../shared/bench) as the first argument');

// What emscripten's glue expects of a browser that these shells lack.
globalThis.TextDecoder ??= class { decode(b) { return b === undefined ? '' : utf8Text(b instanceof Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)); } };
globalThis.TextEncoder ??= class { encode(s) { return utf8Bytes(s); } };
globalThis.console ??= {};
for (const k of ['log', 'warn', 'error', 'info']) globalThis.console[k] ??= print;
// SHAPE: `split` or `whole` sets splitLargeSwitches; `tuned` shapes the code for this engine's
// interpreter (tswasm does so by itself only where the engine has no WebAssembly, and jsc
// --useJIT=false keeps its own), `tuned=v8` and the like for another engine's.
const engine = shape === 'split' || shape === 'whole' ? { splitLargeSwitches: shape === 'split' }
  : shape === 'tuned' ? { tuneForInterpreter: true } : shape.startsWith('tuned=') ? { tuneForInterpreter: shape.slice('tuned='.length) } : {};
if (which === 'tswasm') globalThis.WebAssembly = createWebAssembly({ engine });
else if (which === 'polywasm') globalThis.WebAssembly = (await import(`${bench}/node_modules/polywasm/index.js`)).WebAssembly;
else if (which !== 'native' || typeof WebAssembly === 'undefined') throw new Error(`no runtime "${which}" here`);

// The shells load emscripten's CommonJS glue as a script; Node (`node --jitless`) requires it.
const initSqlJs = inNode ? (await import('node:module')).createRequire(`${bench}/package.json`)('sql.js') : loadGlue();
function loadGlue() {
  globalThis.module = { exports: {} };
  globalThis.exports = globalThis.module.exports;
  load(`${bench}/node_modules/sql.js/dist/sql-wasm.js`);
  return globalThis.module.exports;
}
const t0 = now();
const SQL = await initSqlJs({ wasmBinary: readBytes(`${bench}/node_modules/sql.js/dist/sql-wasm.wasm`) });
const setup = now() - t0;

const times = [];
let result = '';
for (let i = 0; i < Number(runs); i++) {
  const t = now();
  result = runSqlWorkload(SQL);
  times.push(Math.round(now() - t));
}
out(`${which}: set-up ${Math.round(setup)} ms, runs ${times.join(' ')} ms, result ${result}`);
