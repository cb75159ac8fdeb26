// The run-time side of a Store: what generated code and the runtime objects consult while wasm
// runs — fuel, the epoch deadline, resource limits, the call hook — plus the embedder's data.

import type { GlobalObject } from './global.js';
import type { InstanceObject } from './instance.js';
import type { MemoryObject } from './memory.js';
import { isThenable, refusePromise } from '../core/thenable.js';

/** What both kinds of resource limiter share: the failure reports and the store's counts. */
interface LimiterCommon {
  /** Called when a memory growth failed for any reason; throwing turns the failure into a trap. */
  memoryGrowFailed?(error: Error): void;
  /** Called when a table growth failed for any reason; throwing turns the failure into a trap. */
  tableGrowFailed?(error: Error): void;
  /** How many instances the store may hold. */
  readonly instances: number;
  /** How many tables the store may hold. */
  readonly tables: number;
  /** How many memories the store may hold. */
  readonly memories: number;
}

/**
 * Wasmtime's ResourceLimiter: asked before memories and tables are created or grow, and told when
 * a growth fails. Sizes are in bytes for memories and in elements for tables.
 */
export interface ResourceLimiter extends LimiterCommon {
  /**
   * May a memory of `current` bytes grow to `desired` (maximum: the type's, in bytes, or null)?
   * false makes the growth fail (memory.grow returns -1); throwing makes it trap with that error.
   */
  memoryGrowing(current: number, desired: number, maximum: number | null): boolean;
  /** May a table of `current` elements grow to `desired`? Same rules as memoryGrowing. */
  tableGrowing(current: number, desired: number, maximum: number | null): boolean;
}

/**
 * Wasmtime's ResourceLimiterAsync (Store.limiterAsync, with Config.asyncSupport): a ResourceLimiter
 * whose growth questions may be answered later. Where wasm or the API can wait (callAsync,
 * instantiateAsync, Memory.growAsync, Table.growAsync, Memory.newAsync, Table.newAsync) a promise
 * is awaited; a promise met where nothing can wait makes that call fail with an error saying so.
 * Its failure reports stay synchronous, as in Wasmtime.
 */
export interface ResourceLimiterAsync extends LimiterCommon {
  /** As ResourceLimiter.memoryGrowing; a rejection is like a throw (the growth traps). */
  memoryGrowing(current: number, desired: number, maximum: number | null): GrowVerdict;
  /** As ResourceLimiter.tableGrowing; a rejection is like a throw (the growth traps). */
  tableGrowing(current: number, desired: number, maximum: number | null): GrowVerdict;
}

/** A limiter's answer to a growth question: at once, or (an async limiter's) later. */
export type GrowVerdict = boolean | PromiseLike<boolean>;

const CANNOT_WAIT = "the store's async resource limiter answered with a promise where nothing can wait for it: "
  + 'grow with Memory.growAsync or Table.growAsync, create with Memory.newAsync or Table.newAsync, '
  + 'instantiate with instantiateAsync and call with callAsync';

/**
 * A verdict needed now (a synchronous growth, creation or instantiation): a promise is refused
 * with an error naming the async forms (its rejection, if any, is dropped, not left unhandled).
 */
export function verdictNow(verdict: GrowVerdict): boolean {
  if (typeof verdict === 'boolean') return verdict;
  if (isThenable(verdict)) refusePromise(verdict, CANNOT_WAIT);
  return Boolean(verdict);
}

/** Wasmtime's CallHook: the four transitions between the host and wasm. */
export type CallHookKind = 'CallingWasm' | 'ReturningFromWasm' | 'CallingHost' | 'ReturningFromHost';

/** What a store keeps for coredumps, in creation order. */
export interface DumpableObjects {
  readonly instances: InstanceObject[];
  readonly memories: MemoryObject[];
  readonly globals: GlobalObject[];
}

/** The epoch counter's last value (an Int32Array's): a deadline further away is reached there. */
export const EPOCH_END = 0x7fffffff;

/** The deadline `delta` ticks past the epoch's current value, at most EPOCH_END. */
export function deadlineAfter(epoch: Int32Array, delta: number): number {
  return Math.min(Atomics.load(epoch, 0) + delta, EPOCH_END);
}

export class StoreObject {
  /**
   * Remaining fuel (Config.consumeFuel). Generated code subtracts the cost of what it executes and
   * traps with OutOfFuel when too little is left; the API reads it back (negative counts as 0).
   */
  fuel = 0;
  /**
   * With Store.fuelAsyncYieldInterval, the fuel beyond the current slice: generated code counts
   * down `fuel` (at most one interval), then yields and takes the next slice from here.
   */
  fuelReserve = 0;
  /** The slice size of Store.fuelAsyncYieldInterval, or 0 when generated code never yields for fuel. */
  fuelYieldInterval = 0;
  /**
   * Running wasm is interrupted once `Atomics.load(epoch, 0) >= epochDeadline`
   * (Config.epochInterruption). The API sets it to "current epoch + delta" (deadlineAfter). Always a
   * small integer: generated code compares it with the counter at every loop header, and a double
   * there cost lz77 1.54x against 1.2x (a field V8 has seen hold a double is read as one).
   */
  epochDeadline = EPOCH_END;
  /**
   * Called by generated code when the deadline is reached. It returns a delta: the caller then sets
   * `epochDeadline = deadlineAfter(epoch, delta)` and continues. To stop, it throws (a Trap with
   * code Interrupt, or the embedder's error). null means trap with Interrupt (Wasmtime's default,
   * epoch_deadline_trap).
   */
  epochDeadlineCallback: ((store: StoreObject) => number) | null = null;
  /** Set by the deadline callback to make generator code yield to the event loop (Config.asyncSupport). */
  yieldAtDeadline = false;
  /** Store.limiter's or Store.limiterAsync's limiter; only an async one answers with promises. */
  limiter: ResourceLimiter | ResourceLimiterAsync | null = null;
  /**
   * The most bytes a memory of this store may grow to beyond its own maximum: the JS API's runtime
   * limit (16 GiB, which only a 64-bit memory can reach) in a namespace's store, unbounded elsewhere.
   */
  maxMemoryBytes = Infinity;
  /**
   * How many times a memory of this store replaced its views (grew past its buffer, or gave JS an
   * exact one). Running generated code keeps the views it read; epochReached compares this count
   * around the deadline callback.
   */
  viewsReplaced = 0;
  /**
   * Called on each host/wasm transition; throwing makes that call fail with the thrown error. An
   * async hook (Store.callHookAsync) may answer with a promise, which async calls wait for.
   */
  callHook: ((kind: CallHookKind) => void | PromiseLike<void>) | null = null;
  /** Counts checked against the limiter's instance/table/memory limits. */
  instanceCount = 0;
  tableCount = 0;
  memoryCount = 0;
  /** The public handle (api/Store) of this store, set by the API layer. */
  handle: unknown = null;
  /**
   * With Config.coredumpOnTrap, what a coredump lists: every instance created in the store (added
   * before its segments and start function run, which may trap) and the memories and globals the
   * host created; null otherwise, so that a store does not keep what it no longer reaches.
   */
  dumpable: DumpableObjects | null = null;

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
