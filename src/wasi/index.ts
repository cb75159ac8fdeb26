// WASI preview1 (wasi_snapshot_preview1, and wasi_unstable) for tswasm on Node: the Wasi class,
// node:wasi's WASI for instances of any WebAssembly namespace, proc_exit's WasiExit, the errno
// values and the stdio stream shapes an embedder can pass.

export { Wasi, type WasiOptions } from './wasi.js';
export { WASI, type NodeWasiOptions } from './node-wasi.js';
export { WasiExit } from './exit.js';
export { Errno } from './errno.js';
export type { StdinOption, StdoutOption, WasiInput, WasiOutput } from './stdio.js';
export { WASI_PREVIEW1, WASI_UNSTABLE } from './syscalls.js';
