// Table: a handle to a table of references, read and written as Vals.

import type { TableType } from '../core/types.js';
import { TableObject } from '../runtime/table.js';
import { handleFor } from './handles.js';
import { componentArray } from '../runtime/lowering.js';
import { checkStore, type Store } from './store.js';
import { liftVal, lowerVal, type Val } from './val.js';

export class Table {
  /** Creates a table whose elements start as `init` (Wasmtime's Table::new). */
  constructor(store: Store, type: TableType, init: Val, raw?: TableObject) {
    this.store = store;
    if (raw) {
      this.raw = raw;
      return;
    }
    const out = componentArray();
    lowerVal(store, type.element, init, out, 'table initial value');
    this.raw = new TableObject(type, out[0]);
    this.raw.store = store.raw;
  }
  readonly store: Store;
  readonly raw: TableObject;

  static fromRaw(store: Store, raw: TableObject): Table {
    return handleFor(store, raw, () => new Table(store, raw.type, null as unknown as Val, raw));
  }

  type(store: Store): TableType {
    checkStore(store, this);
    return this.raw.type;
  }
  size(store: Store): number {
    checkStore(store, this);
    return this.raw.length;
  }
  /** The element at `index`, or undefined when out of bounds. */
  get(store: Store, index: number): Val | undefined {
    checkStore(store, this);
    if (!(index >= 0 && index < this.raw.length)) return undefined;
    return liftVal(store, this.raw.type.element, this.raw.elems, index)[0];
  }
  set(store: Store, index: number, value: Val): void {
    checkStore(store, this);
    if (!(index >= 0 && index < this.raw.length)) throw new RangeError('out of bounds table access');
    const out = componentArray();
    lowerVal(store, this.raw.type.element, value, out, 'table element');
    this.raw.elems[index] = out[0];
  }
  /** Grows by `delta` elements set to `init`; returns the old size. Throws if it cannot grow. */
  grow(store: Store, delta: number, init: Val): number {
    checkStore(store, this);
    const out = componentArray();
    lowerVal(store, this.raw.type.element, init, out, 'table initial value');
    const old = this.raw.grow(delta, out[0]);
    if (old < 0) throw new RangeError(`failed to grow table by ${delta}`);
    return old;
  }
}
