// The embedding API of tswasm, shaped like Wasmtime's: Engine, Store, Module, Instance, Func,
// Memory, Table, Global, Val, and the error kinds (a Trap carries a code and a wasm backtrace).

export { Engine } from './engine.js';
export type { Config, CompilationMode } from './config.js';
export { Store } from './store.js';
export { Module, type ExternType, type ImportType, type ExportType } from './module.js';
export { Instance } from './instance.js';
export { Func, type HostFunction } from './func.js';
export { Memory } from './memory.js';
export { Table } from './table.js';
export { Global } from './global.js';
export { Tag } from './tag.js';
export { Val, valToJs, jsToVal } from './val.js';
export type { Extern } from './extern.js';
export * from './types.js';
export { CompileError, LinkError, RuntimeError, Trap, TrapCode, TRAP_MESSAGES, type FrameInfo } from '../core/errors.js';
export { formatBacktrace } from '../runtime/traps.js';
