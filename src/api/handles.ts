// Provenance: which store a runtime object belongs to, and one public handle per runtime object,
// refused (with Wasmtime's "object used with the wrong store") when reached through another store.

import { WasmFunc } from '../runtime/func.js';
import { GlobalObject } from '../runtime/global.js';
import { InstanceObject } from '../runtime/instance.js';
import { MemoryObject } from '../runtime/memory.js';
import type { StoreObject } from '../runtime/store.js';
import { TableObject } from '../runtime/table.js';
import { TagObject } from '../runtime/tag.js';
import type { Store } from './store.js';

/** Wasmtime's message for a handle used with a store it does not belong to. */
export const WRONG_STORE = 'object used with the wrong store';

/** Throws the wrong-store error. */
export function wrongStore(): never {
  throw new Error(WRONG_STORE);
}

type Owned = WasmFunc | MemoryObject | TableObject | GlobalObject | TagObject | InstanceObject;

/** The store a runtime object belongs to, or null when none is recorded. */
export function rawStore(x: Owned): StoreObject | null {
  if (x instanceof WasmFunc) {
    if (x.store !== null) return x.store;
    return x.owner instanceof InstanceObject ? x.owner.store : null;
  }
  return x.store;
}

/** Records `store` as the owner of an object that has none yet; throws if it belongs to another store. */
export function claim(store: Store<any>, x: Owned): void {
  const owner = rawStore(x);
  if (owner === null) {
    if (!(x instanceof InstanceObject)) x.store = store.raw;
  } else if (owner !== store.raw) {
    wrongStore();
  }
}

const cache = new WeakMap<object, unknown>();

/** The one handle of `raw` (made by `make` the first time), after checking it belongs to `store`. */
export function handleFor<H>(store: Store<any>, raw: Owned, make: () => H): H {
  claim(store, raw);
  let h = cache.get(raw) as H | undefined;
  if (h === undefined) {
    h = make();
    cache.set(raw, h);
  }
  return h;
}

/** A TypeError unless `self` is a `kind` (a method of one kind of handle called on another). */
// eslint-disable-next-line @typescript-eslint/ban-types -- any class, protected constructors included
export function expectKind(self: unknown, kind: Function, method: string): void {
  if (!(self instanceof kind)) throw new TypeError(`${kind.name}.${method}: called on something that is not a ${kind.name}`);
}
