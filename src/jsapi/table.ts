// WebAssembly.Table: a table of references read and written from JS (functions as their Exported
// Functions, externref values as themselves), with the spec's default values and errors.

import { TableObject } from '../runtime/table.js';
import { asWebIdlInterface } from './interface.js';
import { MAX_TABLE_SIZE } from './limits.js';
import type { Realm } from './realm.js';
import { TABLE_KIND_NAMES, isRejected, toValueType } from './valtypes.js';
import { defaultValue, toJs, toWasm } from './values.js';
import {
  addressValueToU64, dictionary, notReceiver, requireArgs, required, toEnum, u64ToAddressValue, u64ToNumber, type AddressType,
} from './webidl.js';

const ADDRESS_TYPES: readonly AddressType[] = ['i32', 'i64'];

export type TableClass = ReturnType<typeof defineTable>;

/** Defines this realm's Table interface and registers its brand. */
export function defineTable(realm: Realm) {
  let adopting: TableObject | null = null;
  const cache = new WeakMap<TableObject, Table>();

  class Table {
    readonly #raw: TableObject;

    constructor(descriptor: unknown, ...rest: unknown[]) {
      if (adopting !== null) {
        this.#raw = adopting;
        adopting = null;
      } else {
        requireArgs(arguments.length, 1, 'WebAssembly.Table');
        this.#raw = createTable(realm, descriptor, rest);
      }
      cache.set(this.#raw, this);
    }

    /** Grows by `delta` elements set to `value` (or the default); returns the old length. */
    grow(delta: unknown, ...rest: unknown[]): number | bigint {
      const raw = realm.table.unwrap(this) ?? notReceiver('WebAssembly.Table.grow', 'Table');
      requireArgs(arguments.length, 1, 'WebAssembly.Table.grow');
      const address = addressOf(raw);
      const n = u64ToNumber(addressValueToU64(delta, address, 'WebAssembly.Table.grow'));
      const ref = elementValue(raw, rest, 'WebAssembly.Table.grow', true, realm.jspi);
      const old = raw.length;
      if (n > MAX_TABLE_SIZE || raw.grow(n, ref) < 0) throw new RangeError('WebAssembly.Table.grow: the table cannot grow by that many elements');
      return u64ToAddressValue(old, address);
    }

    /** The element at `index`: a RangeError when out of bounds. */
    get(index: unknown): unknown {
      const raw = realm.table.unwrap(this) ?? notReceiver('WebAssembly.Table.get', 'Table');
      requireArgs(arguments.length, 1, 'WebAssembly.Table.get');
      checkElementType(raw, 'WebAssembly.Table.get');
      const i = u64ToNumber(addressValueToU64(index, addressOf(raw), 'WebAssembly.Table.get'));
      if (i >= raw.length) throw new RangeError(`WebAssembly.Table.get: index ${i} is out of bounds (length ${raw.length})`);
      return toJs(realm, raw.type.element, raw.elems[i]);
    }

    /** Sets the element at `index` to `value`, or to the default value when `value` is not passed. */
    set(index: unknown, ...rest: unknown[]): undefined {
      const raw = realm.table.unwrap(this) ?? notReceiver('WebAssembly.Table.set', 'Table');
      requireArgs(arguments.length, 1, 'WebAssembly.Table.set');
      checkElementType(raw, 'WebAssembly.Table.set');
      const i = u64ToNumber(addressValueToU64(index, addressOf(raw), 'WebAssembly.Table.set'));
      const ref = elementValue(raw, rest, 'WebAssembly.Table.set', false, realm.jspi);
      if (i >= raw.length) throw new RangeError(`WebAssembly.Table.set: index ${i} is out of bounds (length ${raw.length})`);
      raw.elems[i] = ref;
      return undefined;
    }

    /** The number of elements (a BigInt for a table with i64 addresses). */
    get length(): number | bigint {
      const raw = realm.table.unwrap(this) ?? notReceiver('WebAssembly.Table.length', 'Table');
      return u64ToAddressValue(raw.length, addressOf(raw));
    }

    static {
      realm.table = {
        wrap: (raw) => cache.get(raw) ?? adopt(raw),
        unwrap: (v) => (typeof v === 'object' && v !== null && #raw in v ? v.#raw : undefined),
      };
    }
  }

  function adopt(raw: TableObject): Table {
    adopting = raw;
    return new Table(undefined);
  }

  asWebIdlInterface(Table, 1);
  return Table;
}

function addressOf(raw: TableObject): AddressType {
  return raw.type.address64 ? 'i64' : 'i32';
}

function checkElementType(raw: TableObject, what: string): void {
  if (isRejected(raw.type.element)) throw new TypeError(`${what}: elements of this table cannot be accessed from JavaScript`);
}

/**
 * The optional value argument as an element: ToWebAssemblyValue, or DefaultValue when missing. As in
 * V8 and the JS API tests, `set` converts an explicit undefined while `grow` treats it as missing.
 */
function elementValue(raw: TableObject, rest: readonly unknown[], what: string, undefinedIsMissing: boolean, jspi: boolean): unknown {
  const t = raw.type.element;
  if (rest.length > 0 && !(undefinedIsMissing && rest[0] === undefined)) return toWasm(t, rest[0], jspi);
  const d = defaultValue(t);
  if (d === null) throw new TypeError(`${what}: the table's element type has no default value; pass a value`);
  return d.value;
}

/** The Table constructor's steps, reading the descriptor in the order the JS API tests expect. */
function createTable(realm: Realm, descriptor: unknown, rest: readonly unknown[]): TableObject {
  const what = 'WebAssembly.Table';
  const d = dictionary(descriptor, what);
  const element = toValueType(toEnum(required(d, 'element', what), TABLE_KIND_NAMES, `${what}: element`));
  const addressValue = d['address'];
  const address = addressValue === undefined ? 'i32' : toEnum(addressValue, ADDRESS_TYPES, `${what}: address`);
  const initial = u64ToNumber(addressValueToU64(required(d, 'initial', what), address, `${what}: initial`));
  const maximumValue = d['maximum'];
  const maximum = maximumValue === undefined ? null : u64ToNumber(addressValueToU64(maximumValue, address, `${what}: maximum`));
  if (maximum !== null && initial > maximum) throw new RangeError(`${what}: initial ${initial} is above maximum ${maximum}`);
  const type = { element, limits: { min: initial, max: maximum }, address64: address === 'i64' };
  // An explicit undefined is the default value here (V8 does the same).
  const init = rest.length > 0 && rest[0] !== undefined ? toWasm(element, rest[0], realm.jspi) : defaultValue(element)!.value;
  if (initial > MAX_TABLE_SIZE) throw new RangeError(`${what}: initial ${initial} is above the limit of ${MAX_TABLE_SIZE} elements`);
  const raw = new TableObject(type, init);
  raw.store = realm.store.raw;
  return raw;
}
