// Store: owns instances and every object created in it. Handles remember their store, and a store
// refuses handles from another one.

import { StoreObject } from '../runtime/store.js';
import type { Engine } from './engine.js';

let nextStoreId = 0;

export class Store<T = unknown> {
  readonly id = nextStoreId++;
  /** Embedder data (Wasmtime's `Store<T>` data). */
  data: T;
  /** The run-time state generated code and runtime objects consult (fuel, epochs, limits). */
  readonly raw: StoreObject;
  constructor(readonly engine: Engine, data?: T) {
    this.data = data as T;
    this.raw = new StoreObject(engine.epoch);
  }
}

/** Throws unless `handle` belongs to `store` (Wasmtime: "object used with the wrong store"). */
export function checkStore(store: Store, handle: { readonly store: Store }): void {
  if (handle.store !== store) throw new Error('object used with the wrong store');
}
