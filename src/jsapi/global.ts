// WebAssembly.Global: a global variable read and written from JS through `value` and `valueOf`,
// converted with ToJSValue / ToWebAssemblyValue (i64 as BigInt).

import { I64, V128, isRef, type ValType } from '../core/types.js';
import { GlobalObject } from '../runtime/global.js';
import { B64, HI, I32, LO } from './adaptor-runtime.js';
import { asWebIdlInterface } from './interface.js';
import type { Realm } from './realm.js';
import { isRejected, valueTypeFromJs } from './valtypes.js';
import { defaultValue, toJs, toWasm } from './values.js';
import { dictionary, notReceiver, required } from './webidl.js';

export type GlobalClass = ReturnType<typeof defineGlobal>;

/** Defines this realm's Global interface and registers its brand. */
export function defineGlobal(realm: Realm) {
  let adopting: GlobalObject | null = null;
  const cache = new WeakMap<GlobalObject, Global>();

  class Global {
    readonly #raw: GlobalObject;

    constructor(descriptor: unknown, ...rest: unknown[]) {
      if (adopting !== null) {
        this.#raw = adopting;
        adopting = null;
      } else {
        this.#raw = createGlobal(descriptor, rest, realm.jspi);
      }
      cache.set(this.#raw, this);
    }

    /** The value (GetGlobalValue). */
    valueOf(): unknown {
      return readValue(realm, realm.global.unwrap(this) ?? notReceiver('WebAssembly.Global.valueOf', 'Global'));
    }

    get value(): unknown {
      return readValue(realm, realm.global.unwrap(this) ?? notReceiver('WebAssembly.Global.value', 'Global'));
    }

    /** Sets a mutable global: a TypeError for an immutable one. */
    set value(v: unknown) {
      const raw = realm.global.unwrap(this) ?? notReceiver('WebAssembly.Global.value', 'Global');
      if (isRejected(raw.type.type)) throw new TypeError('WebAssembly.Global: values of this type cannot be set from JavaScript');
      if (!raw.type.mutable) throw new TypeError('WebAssembly.Global: cannot set the value of an immutable global');
      writeValue(raw, toWasm(raw.type.type, v, realm.jspi));
    }

    static {
      realm.global = {
        wrap: (raw) => cache.get(raw) ?? adopt(raw),
        unwrap: (v) => (typeof v === 'object' && v !== null && #raw in v ? v.#raw : undefined),
      };
    }
  }

  function adopt(raw: GlobalObject): Global {
    adopting = raw;
    return new Global(undefined);
  }

  asWebIdlInterface(Global, 1);
  return Global;
}

/** A new global holding `value` (an engine value of `type`, canonical). */
export function allocGlobal(type: ValType, mutable: boolean, value: unknown): GlobalObject {
  const raw = new GlobalObject({ type, mutable });
  writeValue(raw, value);
  return raw;
}

function readValue(realm: Realm, raw: GlobalObject): unknown {
  const t = raw.type.type;
  if (isRejected(t)) throw new TypeError('WebAssembly.Global: values of this type cannot be read from JavaScript');
  const cell = raw.cell as ArrayLike<unknown>;
  if (t === I64) {
    I32[LO] = cell[0] as number;
    I32[HI] = cell[1] as number;
    return B64[0];
  }
  return toJs(realm, t, cell[0]);
}

/** Stores an engine value (i64 as a BigInt) into the global's cell. */
function writeValue(raw: GlobalObject, value: unknown): void {
  const cell = raw.cell as { [i: number]: unknown };
  if (raw.type.type === I64) {
    B64[0] = value as bigint;
    cell[0] = I32[LO];
    cell[1] = I32[HI];
  } else {
    cell[0] = value;
  }
}

/** The Global constructor's steps: mutable, then value (WebIDL's member order), then the value. */
function createGlobal(descriptor: unknown, rest: readonly unknown[], jspi: boolean): GlobalObject {
  const what = 'WebAssembly.Global';
  const d = dictionary(descriptor, what);
  const mutable = !!d['mutable'];
  const type = valueTypeFromJs(required(d, 'value', what), `${what}: value`);
  if (type === V128) throw new TypeError(`${what}: v128 globals cannot be created from JavaScript`);
  // For number types an explicit undefined counts as missing, as the JS API tests expect (i64 gets
  // 0n, f64 0 rather than NaN); for references it is converted (V8 does both the same way).
  const missing = rest.length === 0 || (rest[0] === undefined && !isRef(type));
  const value = missing ? defaultValue(type)!.value : toWasm(type, rest[0], jspi);
  return allocGlobal(type, mutable, value);
}
