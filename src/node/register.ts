// `node --import tswasm/register app.js`: the program runs with tswasm's WebAssembly namespace in
// place of Node's, unchanged — its glue, and that of every module it loads, sees tswasm — and so do
// the Workers it starts, which inherit Node's --import. For Wasm 3.0 programs (GC, memory64,
// exceptions, ...) on a Node that cannot run them, or to run a program with tswasm's checks.
// TSWASM_REGISTER_OPTIONS, when set, is the namespace's options as JSON (createWebAssembly's:
// '{"detachOnGrow":false}' for glue that re-reads memory.buffer, such as emscripten's and Go's).
// A shared WebAssembly.Memory or a Module posted to or from a Worker (emscripten's pthreads glue
// posts both) arrives as the receiving thread's own object (worker-messages.ts), as does one in a
// Worker's workerData or read with receiveMessageOnPort. node:wasi's WASI
// is tswasm's (tswasm/wasi), which serves the instances of any namespace.

import { createWebAssembly, type JsApiOptions, type WebAssemblyNamespace } from '../jsapi/index.js';
import { tuneV8 } from './tuning.js';
import { carryWebAssemblyObjects } from './worker-messages.js';
import { WASI } from '../wasi/node-wasi.js';
import { createRequire, syncBuiltinESMExports } from 'node:module';

// TSWASM_TUNE=0 leaves V8's settings alone (large switch loops are then split, as in browsers).
if (process.env.TSWASM_TUNE !== '0') tuneV8();

/** The namespace installed as `globalThis.WebAssembly`: the defaults (the spec's mode), or TSWASM_REGISTER_OPTIONS's. */
export const WebAssembly: WebAssemblyNamespace = createWebAssembly(optionsFromEnvironment());

Object.defineProperty(globalThis, 'WebAssembly', { value: WebAssembly, writable: true, configurable: true, enumerable: false });

carryWebAssemblyObjects(WebAssembly);

// node:wasi's WASI accepts only Node's own WebAssembly.Memory; tswasm's has its shape and takes any.
// Loading node:wasi warns that Node's WASI is experimental; the program gets tswasm's instead, so
// that one warning is dropped (it would also appear in programs that never use WASI).
const emitWarning = process.emitWarning;
process.emitWarning = function emitOtherWarnings(this: unknown, warning: string | Error, ...rest: unknown[]) {
  if (!(typeof warning === 'string' && warning.startsWith('WASI is an experimental feature'))) {
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }
} as typeof process.emitWarning;
try {
  createRequire(import.meta.url)('node:wasi').WASI = WASI;
} finally {
  process.emitWarning = emitWarning;
}
syncBuiltinESMExports();

function optionsFromEnvironment(): JsApiOptions {
  const text = process.env.TSWASM_REGISTER_OPTIONS;
  if (text === undefined || text === '') return {};
  try {
    return JSON.parse(text) as JsApiOptions;
  } catch (e) {
    throw new TypeError(`TSWASM_REGISTER_OPTIONS must be createWebAssembly's options as JSON: ${(e as Error).message}`);
  }
}
