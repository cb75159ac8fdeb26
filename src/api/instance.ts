// Instance: a module instantiated in a store with its imports given in order (Wasmtime's
// Instance::new); exports are looked up by name.

import { InstanceObject } from '../runtime/instance.js';
import type { RuntimeExtern } from '../runtime/link.js';
import { externFromRaw, isExtern, type Extern } from './extern.js';
import { Func } from './func.js';
import { Global } from './global.js';
import { Memory } from './memory.js';
import type { Module } from './module.js';
import { checkStore, type Store } from './store.js';
import { Table } from './table.js';

export class Instance {
  readonly raw: InstanceObject;
  readonly store: Store;

  /** Instantiates; throws LinkError for bad imports, Trap if a segment or the start function traps. */
  constructor(store: Store, module: Module, imports: readonly Extern[] = []) {
    if (module.engine !== store.engine) throw new Error('module and store belong to different engines');
    const raw: RuntimeExtern[] = imports.map((x, i) => {
      if (!isExtern(x)) throw new TypeError(`import ${i}: expected a Func, Memory, Table or Global`);
      checkStore(store, x);
      return x.raw;
    });
    this.store = store;
    this.raw = new InstanceObject(module, raw, store.raw);
  }

  getExport(store: Store, name: string): Extern | undefined {
    checkStore(store, this);
    const x = this.raw.exports.get(name);
    return x === undefined ? undefined : externFromRaw(store, x);
  }
  getFunc(store: Store, name: string): Func | undefined {
    const x = this.getExport(store, name);
    return x instanceof Func ? x : undefined;
  }
  getMemory(store: Store, name: string): Memory | undefined {
    const x = this.getExport(store, name);
    return x instanceof Memory ? x : undefined;
  }
  getTable(store: Store, name: string): Table | undefined {
    const x = this.getExport(store, name);
    return x instanceof Table ? x : undefined;
  }
  getGlobal(store: Store, name: string): Global | undefined {
    const x = this.getExport(store, name);
    return x instanceof Global ? x : undefined;
  }
  /** Every export in declaration order. */
  exports(store: Store): { name: string; value: Extern }[] {
    checkStore(store, this);
    return [...this.raw.exports].map(([name, x]) => ({ name, value: externFromRaw(store, x) }));
  }
}
