// Store<T>: owns instances and every object created in it, holds the embedder's data, fuel, the
// epoch deadline, resource limits and the call hook (Wasmtime's Store and StoreContextMut).

import { TrapCode } from '../core/errors.js';
import { StoreObject, deadlineAfter, type CallHookKind } from '../runtime/store.js';
import { makeTrap } from '../runtime/traps.js';
import { Caller, callerStore } from './caller.js';
import { checkEngine, type Engine } from './engine.js';
import type { ResourceLimiter, ResourceLimiterAsync } from './limits.js';

/** What the callback set with `Store.epochDeadlineCallback` decides (Wasmtime's UpdateDeadline). */
export type UpdateDeadline = { readonly kind: 'continue' | 'yield'; readonly delta: number } | { readonly kind: 'interrupt' };

/** Constructors for UpdateDeadline. */
export const UpdateDeadline = {
  /** Keep running; the new deadline is the current epoch plus `delta` ticks. */
  continue: (delta: number): UpdateDeadline => ({ kind: 'continue', delta }),
  /** Stop with an Interrupt trap. */
  interrupt: (): UpdateDeadline => ({ kind: 'interrupt' }),
  /**
   * Let the event loop run (timers, I/O), then keep running with the deadline `delta` ticks past the
   * current epoch. Needs Config.asyncSupport and a call made with `callAsync`.
   */
  yield: (delta: number): UpdateDeadline => ({ kind: 'yield', delta }),
};

/** Wasmtime's CallHook: the four transitions between the host and wasm. */
export type CallHook = CallHookKind;

let nextStoreId = 0;

/** Owns instances and every object created in them, with the embedder's data of type T (Wasmtime's Store). */
export class Store<T = unknown> {
  /** A number unique to this store in this process (for diagnostics). */
  readonly id = nextStoreId++;
  /** The run-time state generated code and runtime objects consult (fuel, epochs, limits). */
  readonly raw: StoreObject;
  private userData: T;

  /**
   * A store for `engine` holding `data` (Wasmtime's Store::new). With epoch interruption on, the
   * deadline starts at the current epoch, so wasm traps at once until `setEpochDeadline` is called
   * (as in Wasmtime).
   */
  constructor(/** The engine whose modules it instantiates. */ readonly engine: Engine, data?: T) {
    checkEngine(engine, 'Store');
    this.userData = data as T;
    this.raw = new StoreObject(engine.epoch);
    this.raw.handle = this;
    if (engine.config.epochInterruption) this.raw.epochDeadline = deadlineAfter(engine.epoch, 0);
    if (engine.config.coredumpOnTrap) this.raw.dumpable = { instances: [], memories: [], globals: [] };
  }

  /** The embedder's data (Wasmtime's `data()` / `data_mut()`). */
  get data(): T {
    return this.userData;
  }
  set data(value: T) {
    this.userData = value;
  }

  /** Remaining fuel. Throws unless the engine was configured with `consumeFuel`. */
  getFuel(): number {
    this.requireFuel();
    return Math.max(0, this.raw.fuel + this.raw.fuelReserve);
  }

  /**
   * Sets the remaining fuel: an integer from 0 to 2^64 - 1, as Wasmtime's u64. Amounts above
   * 2^53 - 1 (what a double counts exactly) are kept as 2^53 - 1, which is still years of running,
   * so `setFuel(2n ** 64n - 1n)` means unlimited as it does in Wasmtime; getFuel then says
   * 2^53 - 1. Throws unless `consumeFuel` is on.
   */
  setFuel(fuel: number | bigint): void {
    this.requireFuel();
    if (typeof fuel !== 'number' && typeof fuel !== 'bigint') throw new TypeError('fuel must be a number or a bigint');
    if (typeof fuel === 'number' ? !Number.isInteger(fuel) || fuel < 0 || fuel > 2 ** 64 : fuel < 0n || fuel >= 2n ** 64n) {
      throw new RangeError('fuel must be an integer from 0 to 2^64 - 1');
    }
    this.sliceFuel(Math.min(Number(fuel), Number.MAX_SAFE_INTEGER));
  }

  /**
   * Wasm yields to the event loop every `interval` units of fuel it consumes, and goes on while fuel
   * remains (Wasmtime's fuel_async_yield_interval; needs Config.asyncSupport and consumeFuel, and
   * calls made with callAsync). Where it stops for lack of fuel does not change. null turns it off.
   */
  fuelAsyncYieldInterval(interval: number | null): void {
    this.requireFuel();
    if (!this.engine.config.asyncSupport) throw new Error('fuelAsyncYieldInterval needs an engine with Config.asyncSupport');
    if (interval !== null && !(Number.isSafeInteger(interval) && interval > 0)) throw new RangeError('the fuel yield interval must be a positive integer or null');
    const total = Math.max(0, this.raw.fuel + this.raw.fuelReserve);
    this.raw.fuelYieldInterval = interval ?? 0;
    this.sliceFuel(total);
  }

  /** Generated code counts down at most one yield interval of `total`; the rest waits in reserve. */
  private sliceFuel(total: number): void {
    const slice = this.raw.fuelYieldInterval;
    this.raw.fuel = slice === 0 ? total : Math.min(total, slice);
    this.raw.fuelReserve = total - this.raw.fuel;
  }

  private requireFuel(): void {
    if (!this.engine.config.consumeFuel) throw new Error('fuel is not configured in this store');
  }

  /**
   * Wasm running in this store is interrupted once the engine's epoch is `ticksBeyondCurrent` past
   * the current one. The epoch counts in an int32, so a deadline past 2^31 - 1 is reached there.
   */
  setEpochDeadline(ticksBeyondCurrent: number): void {
    if (!Number.isInteger(ticksBeyondCurrent) || ticksBeyondCurrent < 0) throw new RangeError('the epoch deadline delta must be a non-negative integer');
    this.raw.epochDeadline = deadlineAfter(this.engine.epoch, ticksBeyondCurrent);
  }

  /** Reaching the deadline traps with Interrupt (the default; removes any callback). */
  epochDeadlineTrap(): void {
    this.raw.epochDeadlineCallback = null;
  }

  /**
   * Reaching the deadline calls `callback`, which either continues with a new deadline
   * (`UpdateDeadline.continue(delta)`, or just a number) or stops (`UpdateDeadline.interrupt()`,
   * or throwing any error, which the interrupted call then throws).
   */
  epochDeadlineCallback(callback: (store: Store<T>) => UpdateDeadline | number): void {
    if (typeof callback !== 'function') throw new TypeError('epochDeadlineCallback: the callback must be a function');
    this.raw.epochDeadlineCallback = () => {
      const r = callback(this) as UpdateDeadline | number | null | undefined;
      if (typeof r !== 'number' && (typeof r !== 'object' || r === null || (r.kind !== 'continue' && r.kind !== 'interrupt' && r.kind !== 'yield'))) {
        throw new TypeError('the epoch deadline callback must return a number of ticks or an UpdateDeadline');
      }
      const delta = typeof r === 'number' ? r : r.kind !== 'interrupt' ? r.delta : -1;
      if (delta < 0 || !Number.isInteger(delta)) throw makeTrap(TrapCode.Interrupt);
      this.raw.yieldAtDeadline = typeof r === 'object' && r.kind === 'yield';
      return delta;
    };
  }

  /**
   * Reaching the deadline lets the event loop run, then sets the deadline `delta` ticks past the
   * current epoch and goes on (Wasmtime's epoch_deadline_async_yield_and_update; needs
   * Config.asyncSupport). A long computation called with `callAsync` then shares the thread with
   * timers and I/O, and a timer can end it (with `epochDeadlineTrap`, or a callback that interrupts).
   */
  epochDeadlineAsyncYieldAndUpdate(delta: number): void {
    if (!this.engine.config.asyncSupport) throw new Error('epochDeadlineAsyncYieldAndUpdate needs an engine with Config.asyncSupport');
    if (!Number.isInteger(delta) || delta < 0) throw new RangeError('the epoch deadline delta must be a non-negative integer');
    this.epochDeadlineCallback(() => UpdateDeadline.yield(delta));
  }

  /**
   * Installs a resource limiter (e.g. `new StoreLimitsBuilder().memorySize(1 << 20).build()`),
   * consulted when instances, memories and tables are created and before every growth. null removes
   * it; it replaces a limiter installed with `limiterAsync`.
   */
  limiter(limiter: ResourceLimiter | null): void {
    this.raw.limiter = checkLimiter(limiter, 'Store.limiter');
  }

  /**
   * Installs a limiter whose `memoryGrowing` and `tableGrowing` may answer with a promise
   * (Wasmtime's limiter_async; needs Config.asyncSupport). wasm called with `callAsync` waits for
   * the answer at memory.grow and table.grow; the host waits with Memory.growAsync, Table.growAsync,
   * Memory.newAsync, Table.newAsync and instantiateAsync. A promise met where nothing can wait (a
   * synchronous call, grow or creation) fails that operation with an error naming the async form.
   * null removes it; it replaces a limiter installed with `limiter`.
   */
  limiterAsync(limiter: ResourceLimiterAsync | null): void {
    if (!this.engine.config.asyncSupport) throw new Error('Store.limiterAsync needs an engine with Config.asyncSupport');
    this.raw.limiter = checkLimiter(limiter, 'Store.limiterAsync');
  }

  /**
   * Calls `hook` on every transition between host and wasm in this store; whatever it throws is
   * what the call throws. null removes it.
   */
  callHook(hook: ((store: Store<T>, kind: CallHook) => void) | null): void {
    if (hook !== null && typeof hook !== 'function') throw new TypeError('Store.callHook: expected a function or null');
    // What a synchronous hook returns is ignored (an async function given here is not awaited).
    this.raw.callHook = hook === null ? null : (kind) => {
      hook(this, kind);
    };
  }

  /**
   * callHook for an engine with Config.asyncSupport (Wasmtime's call_hook_async): `hook` may answer
   * with a promise, and a call made with callAsync (or Instance.newAsync) waits for it at that
   * transition; a rejection is what the call rejects with. A promise where nothing can wait (a call
   * made with `call`, `new Instance`) fails that call with an error naming the async form. It
   * replaces the hook callHook installed, and callHook replaces it; null removes it.
   */
  callHookAsync(hook: ((store: Store<T>, kind: CallHook) => void | PromiseLike<void>) | null): void {
    if (!this.engine.config.asyncSupport) throw new Error('Store.callHookAsync needs an engine with Config.asyncSupport');
    if (hook !== null && typeof hook !== 'function') throw new TypeError('Store.callHookAsync: expected a function or null');
    this.raw.callHook = hook === null ? null : (kind) => hook(this, kind);
  }
}

function checkLimiter<L extends ResourceLimiter | ResourceLimiterAsync>(limiter: L | null, what: string): L | null {
  if (limiter === null) return null;
  const l = limiter as Partial<Record<keyof ResourceLimiter, unknown>> | null;
  if (typeof l !== 'object' || l === null || typeof l.memoryGrowing !== 'function' || typeof l.tableGrowing !== 'function'
    || ![l.instances, l.tables, l.memories].every((n) => typeof n === 'number' && n >= 0)) {
    throw new TypeError(`${what}: expected a ResourceLimiter (StoreLimitsBuilder().build(), or memoryGrowing, tableGrowing, instances, tables, memories) or null`);
  }
  return limiter;
}

/** Where a store is expected: the Store itself, or the Caller of the current host call (Wasmtime's AsContext). */
export type AsContext<T = unknown> = Store<T> | Caller<T>;

/** The store behind a context; a Caller outside its host call throws. */
export function storeOf<T>(cx: AsContext<T>): Store<T> {
  if (cx instanceof Store) return cx;
  if (cx instanceof Caller) return callerStore(cx);
  throw new TypeError('expected a Store or a Caller');
}

/** Throws unless `handle` belongs to the context's store (Wasmtime: "object used with the wrong store"). */
export function checkStore(cx: AsContext<any>, handle: { readonly store: Store<any> }): Store<any> {
  const store = storeOf(cx);
  if (typeof handle !== 'object' || handle === null || !(handle.store instanceof Store)) {
    throw new TypeError('expected a handle of the API (Func, Memory, Table, Global, Tag, ExternRef, AnyRef, ExnRef, Instance)');
  }
  if (handle.store !== store) throw new Error('object used with the wrong store');
  return store;
}
