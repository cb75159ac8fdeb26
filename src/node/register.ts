// `node --import tswasm/register app.js`: the program runs with tswasm's WebAssembly namespace in
// place of Node's, unchanged — its glue, and that of every module it loads, sees tswasm — and so do
// the Workers it starts, which inherit Node's --import. For Wasm 3.0 programs (GC, memory64,
// exceptions, ...) on a Node that cannot run them, or to run a program with tswasm's checks.

import { createWebAssembly, type WebAssemblyNamespace } from '../jsapi/index.js';
import { tuneV8 } from './tuning.js';

tuneV8();

/** The namespace installed as `globalThis.WebAssembly` (the spec's mode: memories detach on growth). */
export const WebAssembly: WebAssemblyNamespace = createWebAssembly();

Object.defineProperty(globalThis, 'WebAssembly', { value: WebAssembly, writable: true, configurable: true, enumerable: false });
