// The error kinds tswasm raises: CompileError (decode/validate), LinkError (imports), RuntimeError
// and its subclass Trap (a wasm trap with a code and a wasm backtrace). Each is created only here.

/**
 * A module failed to decode (`malformed`: not in the binary or text format) or to validate.
 * `offset` is the byte offset in the binary (or -1).
 */
export class CompileError extends Error {
  /** The byte offset in the binary where decoding or validation failed, or -1. */
  declare readonly offset: number;
  /** Whether the module is malformed (not in the format) rather than invalid. */
  declare readonly malformed: boolean;
  /**
   * `offset` may instead be the options object of the JS API's `new WebAssembly.CompileError(message,
   * options)`, whose `cause` the error keeps, as a NativeError does.
   */
  constructor(message?: string, offset: number | ErrorOptions = -1, malformed = false) {
    const at = typeof offset === 'number' ? offset : -1;
    super(at >= 0 ? `${message} (at offset 0x${at.toString(16)})` : message, typeof offset === 'object' && offset !== null ? offset : undefined);
    // Not enumerable, so that the error serialises and prints as the JS engine's own does.
    Object.defineProperty(this, 'offset', { value: at, writable: false, enumerable: false, configurable: true });
    Object.defineProperty(this, 'malformed', { value: malformed, writable: false, enumerable: false, configurable: true });
  }
  /** The message without the offset suffix (for spec-test comparison). */
  get reason(): string {
    const at = this.message.lastIndexOf(' (at offset 0x');
    return at >= 0 ? this.message.slice(0, at) : this.message;
  }
}
Object.defineProperty(CompileError.prototype, 'name', { value: 'CompileError', writable: true, configurable: true });

/** A valid module uses something this engine cannot run yet (e.g. SIMD in the JS compiler). */
export class UnsupportedError extends CompileError {
  constructor(message: string) {
    super(`not supported yet: ${message}`);
  }
}
Object.defineProperty(UnsupportedError.prototype, 'name', { value: 'UnsupportedError', writable: true, configurable: true });

/**
 * A valid module goes beyond a limit of compiling to JS (control structures nested deeper than the
 * JS engine's parser takes). Still a CompileError, as the JS API requires of implementation limits,
 * and named as one, so glue that checks `name` sees no difference.
 */
export class ImplementationLimitError extends CompileError {}

/** Instantiation failed because an import is missing or does not match. */
export class LinkError extends Error {}
Object.defineProperty(LinkError.prototype, 'name', { value: 'LinkError', writable: true, configurable: true });

/** What the runtime does with each RuntimeError made as such (runtime/traps.ts: its stack). */
let constructed: ((error: RuntimeError) => void) | null = null;
let stackGiven = false;

/** Base class of run-time failures (the JS API's WebAssembly.RuntimeError). */
export class RuntimeError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    // Glue code makes its own (emscripten's abort() throws `new WebAssembly.RuntimeError(what)` from an import).
    if (new.target === RuntimeError && !stackGiven) constructed?.(this);
  }
}

/** Sets what happens to every RuntimeError constructed as such (not a subclass's). */
export function onRuntimeErrorConstructed(f: (error: RuntimeError) => void): void {
  constructed = f;
}

/** A RuntimeError whose stack its maker gives it (a trap's, in the JS API): none is captured for it. */
export function runtimeErrorWithStackToCome(message: string): RuntimeError {
  const limit = Error.stackTraceLimit;
  stackGiven = true;
  Error.stackTraceLimit = 0;
  try {
    return new RuntimeError(message);
  } finally {
    stackGiven = false;
    Error.stackTraceLimit = limit;
  }
}
Object.defineProperty(RuntimeError.prototype, 'name', { value: 'RuntimeError', writable: true, configurable: true });

// The JS API's WebAssembly.CompileError/LinkError/RuntimeError are these classes: give them the
// NativeError shape (constructor length 1, an empty `message` on the prototype).
for (const E of [CompileError, LinkError, RuntimeError]) {
  Object.defineProperty(E, 'length', { value: 1, configurable: true });
  Object.defineProperty(E.prototype, 'message', { value: '', writable: true, configurable: true });
}

/** Trap codes, named as Wasmtime's `Trap` enum. */
export enum TrapCode {
  StackOverflow = 'StackOverflow',
  MemoryOutOfBounds = 'MemoryOutOfBounds',
  HeapMisaligned = 'HeapMisaligned',
  TableOutOfBounds = 'TableOutOfBounds',
  IndirectCallToNull = 'IndirectCallToNull',
  BadSignature = 'BadSignature',
  IntegerOverflow = 'IntegerOverflow',
  IntegerDivisionByZero = 'IntegerDivisionByZero',
  BadConversionToInteger = 'BadConversionToInteger',
  UnreachableCodeReached = 'UnreachableCodeReached',
  Interrupt = 'Interrupt',
  OutOfFuel = 'OutOfFuel',
  NullReference = 'NullReference',
  ArrayOutOfBounds = 'ArrayOutOfBounds',
  AllocationTooLarge = 'AllocationTooLarge',
  CastFailure = 'CastFailure',
  AtomicWaitNonSharedMemory = 'AtomicWaitNonSharedMemory',
  UninitializedElement = 'UninitializedElement',
  DataSegmentOutOfBounds = 'DataSegmentOutOfBounds',
  ElementSegmentOutOfBounds = 'ElementSegmentOutOfBounds',
  UncaughtException = 'UncaughtException',
  HostError = 'HostError',
}

/** The message the WebAssembly spec (and its test suite) uses for each trap code. */
export const TRAP_MESSAGES: Readonly<Record<TrapCode, string>> = {
  [TrapCode.StackOverflow]: 'call stack exhausted',
  [TrapCode.MemoryOutOfBounds]: 'out of bounds memory access',
  [TrapCode.HeapMisaligned]: 'unaligned atomic',
  [TrapCode.TableOutOfBounds]: 'out of bounds table access',
  [TrapCode.IndirectCallToNull]: 'uninitialized element',
  [TrapCode.BadSignature]: 'indirect call type mismatch',
  [TrapCode.IntegerOverflow]: 'integer overflow',
  [TrapCode.IntegerDivisionByZero]: 'integer divide by zero',
  [TrapCode.BadConversionToInteger]: 'invalid conversion to integer',
  [TrapCode.UnreachableCodeReached]: 'unreachable',
  [TrapCode.Interrupt]: 'interrupt',
  [TrapCode.OutOfFuel]: 'all fuel consumed by WebAssembly',
  [TrapCode.NullReference]: 'null reference',
  [TrapCode.ArrayOutOfBounds]: 'out of bounds array access',
  [TrapCode.AllocationTooLarge]: 'allocation size too large',
  [TrapCode.CastFailure]: 'cast failure',
  [TrapCode.AtomicWaitNonSharedMemory]: 'expected shared memory',
  [TrapCode.UninitializedElement]: 'uninitialized element',
  [TrapCode.DataSegmentOutOfBounds]: 'out of bounds memory access',
  [TrapCode.ElementSegmentOutOfBounds]: 'out of bounds table access',
  [TrapCode.UncaughtException]: 'uncaught exception',
  [TrapCode.HostError]: 'host error',
};

/** One frame of a wasm backtrace: the function index within its module and its name, if known. */
export interface FrameInfo {
  /** The function's index in its module (imports included). */
  readonly funcIndex: number;
  /** The function's name from the name section, if it has one. */
  readonly funcName: string | null;
  /** The module's name from the name section, if it has one. */
  readonly moduleName: string | null;
  /**
   * Offset in the module's bytes of the instruction this frame was executing (the trapping one, or
   * the call), as Wasmtime's `module_offset`; null when it cannot be told (precompiled code, code
   * deserialized from an engine that generated it otherwise, an engine whose stack traces give no
   * line and column, a module collected before the offset was first read). Worked out on first
   * read, by compiling the function again: it costs nothing until asked for.
   */
  readonly moduleOffset: number | null;
  /** The same instruction's offset from the start of its function's body, as Wasmtime's `func_offset`. */
  readonly funcOffset: number | null;
  /**
   * Where the instruction comes from in the program's sources, from the module's DWARF line table
   * (`.debug_line`, as a compiler's `-g` writes it) and its inlined calls (`.debug_info`), as
   * Wasmtime's `symbols()` with wasm_backtrace_details: the functions inlined here, innermost
   * first, then the frame's own; empty without debug info or an offset. Worked out on first read too.
   */
  readonly symbols: readonly FrameSymbol[];
}

/**
 * A function of a frame and its position in the program's sources (Wasmtime's FrameSymbol). A
 * frame has one per function inlined into it at its offset, innermost first, then its own.
 */
export interface FrameSymbol {
  /**
   * The function's DWARF name (a linkage name as it is, mangled); for the frame's own function,
   * the name section's where DWARF has none.
   */
  readonly name: string | null;
  /** The source file, as the compiler recorded it (joined to its directory when relative); null when unknown. */
  readonly file: string | null;
  /** 1-based line; 0 when the compiler attributes the instruction to no line; null when unknown. */
  readonly line: number | null;
  /** 1-based column; 0 when unknown to the compiler; null when unknown. */
  readonly column: number | null;
}

/** A wasm trap. `backtrace` lists wasm frames, innermost first. */
export class Trap extends RuntimeError {
  /** What kind of trap it is. */
  readonly code: TrapCode;
  /** The wasm frames active when it trapped, innermost first. */
  backtrace: FrameInfo[];
  constructor(code: TrapCode, message: string = TRAP_MESSAGES[code], backtrace: FrameInfo[] = []) {
    super(message);
    this.code = code;
    this.backtrace = backtrace;
  }
}
Object.defineProperty(Trap.prototype, 'name', { value: 'RuntimeError', writable: true, configurable: true });
