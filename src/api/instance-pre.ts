// InstancePre<T>: a module whose imports a Linker has already resolved and type-checked
// (Wasmtime's InstancePre), instantiated many times without looking names up again.

import { LinkError } from '../core/errors.js';
import { importExternType, matchesExternType, type ExternTypeOf } from '../validate/extern-match.js';
import { checkImport, incompatibleImport } from '../runtime/link.js';
import type { Extern } from './extern.js';
import { Instance } from './instance.js';
import type { Definition } from './linker.js';
import type { Module } from './module.js';
import { storeOf, type AsContext, type Store } from './store.js';

/** A module with its imports resolved by a Linker, ready to instantiate (Wasmtime's InstancePre). */
export class InstancePre<T = unknown> {
  /** @internal Use Linker.instantiatePre. */
  constructor(/** The module it instantiates. */ readonly module: Module, private readonly defs: readonly Definition[]) {
    // Every definition is checked now, as Wasmtime's InstancePre::new does, so a wrong one fails
    // here rather than at the first instantiation: host functions by their type, items by their
    // type now. Items are checked again at each instantiation, since tables and memories grow and
    // their size then is what matches.
    module.imports().forEach((imp, i) => {
      const d = defs[i]!;
      if (d.kind === 'item') return checkImport(module.info, module.canon, i, d.item.raw);
      const expected = importExternType(module.info, module.canon, i);
      const found: ExternTypeOf = { kind: 'func', typeId: d.typeId, exact: true };
      if (!matchesExternType(found, expected)) throw new LinkError(incompatibleImport(imp.module, imp.name, expected, found));
    });
  }

  /** Instantiates in the context's store; define()d items must belong to that store (shared memories: to its engine). */
  instantiate(cx: AsContext<T>): Instance {
    const store = storeOf(cx);
    return new Instance(store, this.module, this.imports(store));
  }

  /** `instantiate` in an engine with Config.asyncSupport: the start function may suspend (Wasmtime's InstancePre::instantiate_async). */
  async instantiateAsync(cx: AsContext<T>): Promise<Instance> {
    const store = storeOf(cx);
    return Instance.newAsync(store, this.module, this.imports(store));
  }

  private imports(store: Store<T>): Extern[] {
    return this.defs.map((d) => (d.kind === 'host' ? d.make(store) : d.item));
  }
}
