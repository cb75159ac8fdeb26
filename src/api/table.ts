// Table: a handle to a table of references (Wasmtime's Table), read and written as Vals.

import type { TableType } from '../core/types.js';
import { componentArray } from '../runtime/lowering.js';
import { TableObject } from '../runtime/table.js';
import { growWhenAllowedAsync } from '../runtime/async-calls.js';
import { isCanonicalValSubtype } from '../validate/type-registry.js';
import { handleFor } from './handles.js';
import { requireAsync } from './boundary.js';
import { admitTable, admitTableAsync } from './limits.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';
import { liftVal, lowerVal, type Val } from './val.js';
import { checkTableType } from './types.js';

/** A handle to a table in one store (Wasmtime's Table). */
export class Table {
  /** The store the table belongs to. */
  readonly store: Store<any>;
  /** The runtime object behind the handle. */
  readonly raw: TableObject;

  /**
   * Creates a table whose elements start as `init` (Wasmtime's Table::new). Counts against the
   * store's limiter, which may refuse it (ResourceLimitError).
   */
  constructor(cx: AsContext<any>, type: TableType, init: Val);
  /** @internal */
  constructor(cx: AsContext<any>, type: TableType, init: Val | null, raw: TableObject);
  constructor(cx: AsContext<any>, type: TableType, init: Val | null, raw?: TableObject) {
    const store = storeOf(cx);
    this.store = store;
    if (raw) {
      this.raw = raw;
      return;
    }
    checkTableType(type);
    const v = lower(store, type, init!, 'table initial value');
    admitTable(store, type);
    this.raw = new TableObject(type, v);
    this.raw.store = store.raw;
  }

  /**
   * Creates a table, waiting for the answer of the store's async limiter (Wasmtime's
   * Table::new_async; needs Config.asyncSupport). Rejects as the constructor would throw.
   */
  static async newAsync(cx: AsContext<any>, type: TableType, init: Val): Promise<Table> {
    const store = storeOf(cx);
    requireAsync(store, 'Table.newAsync');
    checkTableType(type);
    const v = lower(store, type, init, 'table initial value');
    await admitTableAsync(store, type);
    const raw = new TableObject(type, v);
    raw.store = store.raw;
    return Table.fromRaw(store, raw);
  }

  /** @internal The handle of a runtime table (one per table; another store's is refused). */
  static fromRaw(store: Store<any>, raw: TableObject): Table {
    return handleFor(store, raw, () => new Table(store, raw.type, null, raw));
  }

  /** The table's type (its declared limits, not its current size). */
  type(cx: AsContext<any>): TableType {
    checkStore(cx, this);
    return this.raw.type;
  }
  /** Number of elements. */
  size(cx: AsContext<any>): number {
    checkStore(cx, this);
    return this.raw.length;
  }
  /** The element at `index`, or undefined when out of bounds. */
  get(cx: AsContext<any>, index: number): Val | undefined {
    const store = checkStore(cx, this);
    if (!(Number.isInteger(index) && index >= 0 && index < this.raw.length)) return undefined;
    return liftVal(store, this.raw.type.element, this.raw.elems, index)[0];
  }
  /** Sets the element at `index`; throws RangeError when out of bounds, TypeError for a wrong value. */
  set(cx: AsContext<any>, index: number, value: Val): void {
    const store = checkStore(cx, this);
    const v = lower(store, this.raw.type, value, 'table element');
    if (!(Number.isInteger(index) && index >= 0 && index < this.raw.length)) throw new RangeError('out of bounds table access');
    this.raw.elems[index] = v;
  }
  /**
   * Grows by `delta` elements set to `init`; returns the old size. Throws if it cannot grow (its
   * maximum or the store's limiter).
   */
  grow(cx: AsContext<any>, delta: number, init: Val): number {
    const store = checkStore(cx, this);
    checkDelta(delta);
    return grown(this.raw.grow(delta, lower(store, this.raw.type, init, 'table initial value')), delta);
  }
  /**
   * Grows as `grow` does, waiting for the answer of the store's async limiter (Wasmtime's
   * Table::grow_async; needs Config.asyncSupport). A rejection of the limiter is this one's.
   */
  async growAsync(cx: AsContext<any>, delta: number, init: Val): Promise<number> {
    const store = checkStore(cx, this);
    requireAsync(store, 'Table.growAsync');
    checkDelta(delta);
    const v = lower(store, this.raw.type, init, 'table initial value');
    return grown(await growWhenAllowedAsync(this.raw, delta, (allowed) => this.raw.growAllowed(delta, v, allowed)), delta);
  }
  /** Sets `length` elements from `dst` to `value`; throws RangeError when out of bounds. */
  fill(cx: AsContext<any>, dst: number, value: Val, length: number): void {
    const store = checkStore(cx, this);
    const v = lower(store, this.raw.type, value, 'table fill value');
    inBounds(this.raw, dst, length);
    this.raw.elems.fill(v, dst, dst + length);
  }
  /**
   * Copies `length` elements from `srcTable[srcIndex..]` to `dstTable[dstIndex..]` (Wasmtime's
   * Table::copy); the ranges may overlap. Both tables must belong to the context's store and hold
   * compatible references.
   */
  static copy(cx: AsContext<any>, dstTable: Table, dstIndex: number, srcTable: Table, srcIndex: number, length: number): void {
    if (!(dstTable instanceof Table) || !(srcTable instanceof Table)) throw new TypeError('Table.copy: expected two Tables');
    const store = checkStore(cx, dstTable);
    checkStore(store, srcTable);
    const src = srcTable.raw;
    const dst = dstTable.raw;
    inBounds(src, srcIndex, length);
    inBounds(dst, dstIndex, length);
    // As Wasmtime's Table::copy: the tables' element types must match, whatever is copied.
    if (!isCanonicalValSubtype(src.type.element, dst.type.element)) {
      throw new TypeError("Table.copy: the source table's element type does not match the destination table's");
    }
    const items = src.elems.slice(srcIndex, srcIndex + length);
    for (let k = 0; k < length; k++) dst.elems[dstIndex + k] = items[k];
  }
}

function lower(store: Store<any>, type: TableType, v: Val, what: string): unknown {
  const out = componentArray();
  lowerVal(store, type.element, v, out, what);
  return out[0];
}

function inBounds(t: TableObject, at: number, length: number): void {
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(length) || at < 0 || length < 0 || at + length > t.length) {
    throw new RangeError('out of bounds table access');
  }
}

function checkDelta(delta: number): void {
  if (!Number.isSafeInteger(delta) || delta < 0) throw new RangeError('table.grow: delta must be a non-negative integer');
}

function grown(old: number, delta: number): number {
  if (old < 0) throw new RangeError(`failed to grow table by ${delta}`);
  return old;
}
