// The receiving side of posting.ts: a message from another thread with Memory and Module
// descriptions in it made into this namespace's own WebAssembly.Memory and WebAssembly.Module
// objects, so that glue code there sees the objects it posted (`instanceof WebAssembly.Module`).

import { compileBytes } from './module.js';
import { realmOf } from './namespace.js';
import { memoryOfDescription, moduleDescription, revivePosted } from './posting.js';

/**
 * A reader of received messages for `namespace` (one createWebAssembly made): it replaces the
 * descriptions `postable` put in a message with this namespace's objects, in place. A Memory
 * description is always the same Memory object here; a Module is compiled once per description.
 */
export function postedMessageReader(namespace: object): (message: unknown) => unknown {
  const realm = realmOf(namespace);
  if (realm === undefined) throw new TypeError('postedMessageReader: not a namespace made by createWebAssembly');
  const modules = new WeakMap<object, object>();
  const revive = (description: object): object | undefined => {
    const memory = memoryOfDescription(description);
    if (memory !== undefined) return realm.memory.wrap(memory);
    const d = moduleDescription(description);
    if (d === undefined) return undefined;
    let module = modules.get(description);
    if (module === undefined) {
      try {
        module = realm.wrapModule(compileBytes(realm, d.bytes, d.options));
      } catch {
        return undefined; // not a module this namespace compiles: the listener gets the description
      }
      modules.set(description, module);
    }
    return module;
  };
  return (message) => revivePosted(message, revive);
}
