// The embedding API of tswasm, shaped like Wasmtime's: Engine, Config, Store, Module, Linker,
// Instance, Func, Caller, Memory, Table, Global, Tag, Val, limits, and the error kinds.

export { Engine } from './engine.js';
export type { Config, CompilationMode, ResolvedConfig } from './config.js';
export type { JsEngine } from '../core/js-engine.js';
export { Store, UpdateDeadline, type AsContext, type CallHook } from './store.js';
export { Caller } from './caller.js';
export { StoreLimits, StoreLimitsBuilder, ResourceLimitError, type ResourceLimiter, type ResourceLimiterAsync } from './limits.js';
export { Module, ModuleExport, type ExternType, type ImportType, type ExportType, type ModuleSource, type ResourcesRequired } from './module.js';
export { DeserializeError, FORMAT_VERSION, isSerializedModule } from './serialize.js';
export { JS_FORMAT_VERSION, type PrecompiledJs } from './serialize-js.js';
export { canGenerateCode } from '../runtime/dynamic-code.js';
export { Linker } from './linker.js';
export { InstancePre } from './instance-pre.js';
export { Instance } from './instance.js';
export { Func, type AsyncHostFunction, type HostFunction, type HostFunctionWithCaller } from './func.js';
export { TypedFunc } from './typed-func.js';
export { Memory } from './memory.js';
export { SharedMemory, type SharedMemoryParts, type WaitResult } from './shared-memory.js';
export { Table } from './table.js';
export { Global } from './global.js';
export { Tag } from './tag.js';
export { ExternRef } from './externref.js';
export { AnyRef, StructRef, ArrayRef, I31 } from './anyref.js';
export { ExnRef, ThrownException } from './exnref.js';
export { Val, valToJs, jsToVal, type ValRaw, type FuncHandle } from './val.js';
export type { Extern } from './extern.js';
export { WasmBacktrace } from './backtrace.js';
export { WasmCoreDump } from './coredump.js';
export { VERSION } from './version.js';
export * from './types.js';
export { CompileError, LinkError, RuntimeError, Trap, TrapCode, TRAP_MESSAGES, type FrameInfo, type FrameSymbol } from '../core/errors.js';
export type { FeatureName } from '../core/features.js';
export { formatBacktrace } from '../runtime/traps.js';
