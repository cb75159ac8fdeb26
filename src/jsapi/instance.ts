// WebAssembly.Instance: instantiation from a Module and an import object, and the exports object
// (null prototype, frozen, one JS object per exported runtime object).

import type { Module as EngineModule } from '../api/module.js';
import { WasmFunc } from '../runtime/func.js';
import { InstanceObject } from '../runtime/instance.js';
import type { RuntimeExtern } from '../runtime/link.js';
import { MemoryObject } from '../runtime/memory.js';
import { TableObject } from '../runtime/table.js';
import { TagObject } from '../runtime/tag.js';
import { jsApiError } from './adaptor-runtime.js';
import { readImports } from './imports.js';
import { checkDynamicLimits } from './limits.js';
import { asWebIdlInterface } from './interface.js';
import type { Realm } from './realm.js';
import { isObject, notReceiver, requireArgs } from './webidl.js';

export type InstanceClass = ReturnType<typeof defineInstance>;

/** WebIDL `optional object importObject`: undefined or an object, else a TypeError. */
export function checkImportObject(importObject: unknown, what: string): void {
  if (importObject !== undefined && !isObject(importObject)) throw new TypeError(`${what}: the import object must be an object`);
}

/** Instantiates and builds the exports object ("instantiate the core of a WebAssembly module"). */
export function instantiateCore(realm: Realm, module: EngineModule, imports: RuntimeExtern[]): object {
  checkDynamicLimits(module.info);
  let instance: InstanceObject;
  try {
    instance = new InstanceObject(module, imports, realm.store.raw);
  } catch (e) {
    throw jsApiError(e, realm);
  }
  const exports = Object.create(null) as Record<string, unknown>;
  for (const [name, x] of instance.exports) {
    Object.defineProperty(exports, name, { value: externToJs(realm, x), writable: true, enumerable: true, configurable: true });
  }
  return Object.freeze(exports);
}

function externToJs(realm: Realm, x: RuntimeExtern): unknown {
  if (x instanceof WasmFunc) return realm.exportedFunction(x);
  if (x instanceof MemoryObject) return realm.memory.wrap(x);
  if (x instanceof TableObject) return realm.table.wrap(x);
  if (x instanceof TagObject) return realm.tag.wrap(x);
  return realm.global.wrap(x);
}

/** Defines this realm's Instance interface. */
export function defineInstance(realm: Realm) {
  let adopting: object | null = null;

  class Instance {
    readonly #exports: object;

    constructor(module: unknown, importObject?: unknown) {
      if (adopting !== null) {
        this.#exports = adopting;
        adopting = null;
        return;
      }
      const what = 'WebAssembly.Instance';
      requireArgs(arguments.length, 1, what);
      const m = realm.moduleOf(module);
      if (m === undefined) throw new TypeError(`${what}: the first argument must be a WebAssembly.Module`);
      checkImportObject(importObject, what);
      this.#exports = instantiateCore(realm, m, readImports(realm, m, importObject));
    }

    /** The exports object: frozen, null prototype, one property per export in module order. */
    get exports(): object {
      if (typeof this !== 'object' || this === null || !(#exports in this)) notReceiver('WebAssembly.Instance.exports', 'Instance');
      return this.#exports;
    }

    static {
      realm.wrapInstance = (exports) => {
        adopting = exports;
        return new Instance(undefined);
      };
    }
  }

  asWebIdlInterface(Instance, 1);
  return Instance;
}
