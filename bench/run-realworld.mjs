#!/usr/bin/env node
// `npm run bench:realworld`: runs the shared real-world harness (run-realworld.mjs: sql.js, quickjs-emscripten,
// esbuild-wasm) with tswasm's WebAssembly namespace plugged in, beside native (and polywasm with
// --runtimes native,polywasm). Extra args pass through (--only, --runs, ...); --nodetach also runs the
// detachOnGrow: false mode beside the spec's. The harness is found as in find-harness.mjs.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { findHarness, root } from './find-harness.mjs';

const bench = findHarness('run-realworld.mjs');
const args = process.argv.slice(2);
const noDetach = args.includes('--nodetach');
const spec = process.env.TSWASM_DETACH !== '0';
const runtimes = ['--runtime', join(root, 'bench', 'anchor-runtime.mjs')];
if (noDetach) runtimes.push('--runtime', join(root, 'bench', 'anchor-runtime-nodetach.mjs'));
console.log(`tswasm: the JS API namespace (src/jsapi); "anchor-runtime" is detachOnGrow: ${spec}`
  + `${spec ? " (the spec's mode)" : ' (TSWASM_DETACH=0, not conforming)'}`
  + `${noDetach ? ', "anchor-runtime-nodetach" is detachOnGrow: false (not conforming)' : ''}`
  + `; compilation ${process.env.TSWASM_COMPILATION ?? 'lazy'}`
  + `; ${process.env.TSWASM_TUNE === '0' ? 'V8 flags untouched' : 'tuneV8() applied (process-wide: the other runtimes run with it too)'}`);
execFileSync(process.execPath, [join(bench, 'run-realworld.mjs'), ...runtimes, ...args.filter((a) => a !== '--nodetach')], {
  cwd: bench, stdio: 'inherit',
});
