// tswasm as the WebAssembly namespace for the shared benchmark harnesses (run-anchors.mjs,
// run-realworld.mjs): the JS API of src/jsapi, built into dist/ (`npm run build`; the bench scripts do it).
//
// Mode: the spec's (a Memory's old ArrayBuffer is detached when it grows). TSWASM_DETACH=0 selects
// detachOnGrow: false; anchor-runtime-nodetach.mjs is that mode under its own name, for side-by-side
// runs. TSWASM_COMPILATION=eager compiles at WebAssembly.compile instead of on first calls.
// As a Node host it applies tswasm/node's V8 settings (tuneV8: V8 optimizes big functions too); they
// are process-wide, so in the harness they reach the other runtimes' workers as well. TSWASM_TUNE=0
// leaves V8 alone (TSWASM_EAGER_FEEDBACK=1 adds stop 37's eager feedback allocation, for A/B runs). TSWASM_DIST points at another build output (default: this checkout's dist/).

import { distUrl } from './find-harness.mjs';

const { createWebAssembly } = await import(distUrl('src/jsapi/index.js'));
if (process.env.TSWASM_TUNE !== '0') (await import(distUrl('src/node/index.js'))).tuneV8();
// TSWASM_EAGER_FEEDBACK=1: feedback vectors from a function's first call, as tuneV8 set until stop 39.
if (process.env.TSWASM_EAGER_FEEDBACK === '1') (await import('node:v8')).setFlagsFromString('--no-lazy-feedback-allocation');

/** The namespace with the mode chosen by the environment (the spec's unless TSWASM_DETACH=0). */
export function tswasmNamespace(detachOnGrow = process.env.TSWASM_DETACH !== '0') {
  return createWebAssembly({
    detachOnGrow,
    engine: { compilation: process.env.TSWASM_COMPILATION === 'eager' ? 'eager' : 'lazy' },
  });
}

export const WebAssembly = tswasmNamespace();
export default WebAssembly;
