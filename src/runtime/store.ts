// The run-time side of a Store: what generated code and the runtime objects consult while wasm
// runs — fuel, the epoch deadline, resource limits, the call hook — plus the embedder's data.

/** Wasmtime's ResourceLimiter: asked before memories and tables grow or are created. */
export interface ResourceLimiter {
  /** May `current` bytes grow to `desired` (maximum: the type's, or null)? false fails the grow; throwing traps. */
  memoryGrowing(current: number, desired: number, maximum: number | null): boolean;
  /** May a table of `current` elements grow to `desired`? */
  tableGrowing(current: number, desired: number, maximum: number | null): boolean;
  /** Limits on how many instances, tables and memories the store may hold. */
  readonly instances: number;
  readonly tables: number;
  readonly memories: number;
}

/** Wasmtime's CallHook: the four transitions between the host and wasm. */
export type CallHookKind = 'CallingWasm' | 'ReturningFromWasm' | 'CallingHost' | 'ReturningFromHost';

export class StoreObject {
  /** Remaining fuel (Config.consumeFuel); generated code subtracts from it and traps below zero. */
  fuel = 0;
  /** Running wasm is interrupted once the engine's epoch reaches this (Config.epochInterruption). */
  epochDeadline = Number.POSITIVE_INFINITY;
  /**
   * Called when the deadline is reached: returns how many epochs to extend it by, or throws (a Trap
   * to stop). null means trap with Interrupt (Wasmtime's default, epoch_deadline_trap).
   */
  epochDeadlineCallback: ((store: StoreObject) => number) | null = null;
  limiter: ResourceLimiter | null = null;
  callHook: ((kind: CallHookKind) => void) | null = null;
  /** Counts checked against the limiter's instance/table/memory limits. */
  instanceCount = 0;
  tableCount = 0;
  memoryCount = 0;

  constructor(
    /** The engine's epoch counter (element 0), in a SharedArrayBuffer where one exists. */
    readonly epoch: Int32Array,
  ) {}
}

/** A fresh epoch counter: shared memory when the platform has it, so a Worker can advance it. */
export function newEpochCounter(): Int32Array {
  const shared = typeof SharedArrayBuffer === 'function';
  return new Int32Array(shared ? new SharedArrayBuffer(4) : new ArrayBuffer(4));
}
