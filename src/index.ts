// The package entry of tswasm ("exports" in package.json): the Wasmtime-shaped embedding API, and
// the text format's encoder for modules given as text elsewhere (the WebAssembly namespace takes bytes).
// The WebAssembly JS namespace and WASI live in their own modules (src/jsapi, src/wasi).

export * from './api/index.js';
export { parseWat, WatSyntaxError } from './text/index.js';
