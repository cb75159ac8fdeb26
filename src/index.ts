// The package entry of tswasm ("exports" in package.json): the Wasmtime-shaped embedding API.
// The WebAssembly JS namespace and WASI live in their own modules (src/jsapi, src/wasi).

export * from './api/index.js';
