// Caller<T>: what a host function that asks for it receives (Wasmtime's Caller): the calling
// instance's exports, the store's data, fuel and epoch deadline. Valid only during that host call.

import { InstanceObject } from '../runtime/instance.js';
import type { Engine } from './engine.js';
import { externFromRaw, type Extern } from './extern.js';
import type { Store } from './store.js';

const EXPIRED = 'a Caller may only be used during the host call it was passed to';

/** The view of the store and calling instance a host function gets (Wasmtime's Caller); expires with the call. */
export class Caller<T = unknown> {
  #store: Store<T>;
  #instance: InstanceObject | null;
  #live = true;
  /** The JS stack when an async host function first suspended: its wasm callers, for WasmBacktrace.capture after an await. */
  #suspendedAt: Error | null = null;

  /** Made by the runtime for one host call; embedders never construct one. */
  private constructor(store: Store<T>, instance: InstanceObject | null) {
    this.#store = store;
    this.#instance = instance;
  }

  /** @internal A Caller for one host call; `end` invalidates it when the call returns. */
  static begin<T>(store: Store<T>, instance: InstanceObject | null): Caller<T> {
    return new Caller(store, instance);
  }
  /** @internal */
  static end(caller: Caller<any>): void {
    caller.#live = false;
  }
  /** @internal Records the stack (with the wasm frames that called the host) as the host call suspends. */
  static suspending(caller: Caller<any>): void {
    if (caller.#suspendedAt !== null) return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    caller.#suspendedAt = new Error();
    Error.stackTraceLimit = limit;
  }
  /** @internal The stack recorded when the host call suspended, or null. */
  static suspendedAt(caller: Caller<any>): Error | null {
    return caller.#suspendedAt;
  }
  /** @internal The store, checking that the host call is still running. */
  static storeOf<T>(caller: Caller<T>): Store<T> {
    if (!caller.#live) throw new Error(EXPIRED);
    return caller.#store;
  }

  /** The store this call runs in (usable wherever a Store is, as is the Caller itself). */
  get store(): Store<T> {
    return Caller.storeOf(this);
  }
  /** The engine of the store. */
  get engine(): Engine {
    return this.store.engine;
  }
  /** The store's data. */
  get data(): T {
    return this.store.data;
  }
  set data(value: T) {
    this.store.data = value;
  }

  /**
   * An export of the calling instance (e.g. its "memory"), or undefined when it has none of that
   * name or the function was not called from wasm.
   */
  getExport(name: string): Extern | undefined {
    const store = this.store;
    if (typeof name !== 'string') throw new TypeError('an export name is a string');
    const x = this.#instance?.exports.get(name);
    return x === undefined ? undefined : externFromRaw(store, x);
  }

  /** The store's remaining fuel (throws unless fuel is configured). */
  getFuel(): number {
    return this.store.getFuel();
  }
  /** Sets the store's remaining fuel (throws unless fuel is configured). */
  setFuel(fuel: number | bigint): void {
    this.store.setFuel(fuel);
  }
  /** Sets the store's epoch deadline `ticksBeyondCurrent` ticks past the current epoch. */
  setEpochDeadline(ticksBeyondCurrent: number): void {
    this.store.setEpochDeadline(ticksBeyondCurrent);
  }
}

/** The store behind a Caller (throws once its host call has returned). */
export function callerStore<T>(caller: Caller<T>): Store<T> {
  return Caller.storeOf(caller);
}
