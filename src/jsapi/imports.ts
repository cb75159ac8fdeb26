// The spec's "read the imports": Get on the import object in import order, a TypeError for a missing
// module object, a LinkError for a value of the wrong kind (types are matched at instantiation).
// Builtins and string constants the module was compiled to import come from the compile options.

import type { Module as EngineModule } from '../api/module.js';
import { LinkError } from '../core/errors.js';
import { F32, F64, I32, I64, V128 } from '../core/types.js';
import type { RuntimeExtern } from '../runtime/link.js';
import { canonicalizeValType } from '../validate/type-registry.js';
import { allocGlobal } from './global.js';
import { makeHostFunction } from './host-adaptor.js';
import { makeSuspendingFunction, suspendingFunction } from './jspi.js';
import { builtinOptionsOf } from './module.js';
import { builtinOf, instantiateBuiltin } from './string-builtins.js';
import type { Realm } from './realm.js';
import { funcOfExported, toWasm } from './values.js';
import { isObject } from './webidl.js';

/** The runtime objects to instantiate `module` with, in import order. */
export function readImports(realm: Realm, module: EngineModule, importObject: unknown): RuntimeExtern[] {
  const m = module.info;
  if (m.imports.length > 0 && importObject === undefined) {
    throw new TypeError('WebAssembly.Instance: the module has imports, but no import object was given');
  }
  const out: RuntimeExtern[] = [];
  let funcs = 0;
  const options = builtinOptionsOf(module);
  for (const imp of m.imports) {
    const where = `import "${imp.module}" "${imp.name}"`;
    const d = imp.desc;
    const builtin = builtinOf(imp, options);
    if (builtin !== null) {
      out.push(instantiateBuiltin(realm, builtin, funcs));
      funcs++;
      continue;
    }
    let v: unknown;
    if (imp.module === options.importedStringModule) {
      v = imp.name;
    } else {
      const o = (importObject as Record<string, unknown>)[imp.module];
      if (!isObject(o)) throw new TypeError(`${where}: the import object's "${imp.module}" is not an object`);
      v = (o as Record<string, unknown>)[imp.name];
    }
    switch (d.kind) {
      case 'func': {
        const suspending = realm.jspi && typeof v !== 'function' ? suspendingFunction(v) : undefined;
        if (suspending !== undefined) {
          out.push(makeSuspendingFunction(realm, suspending, module.canon[d.typeIndex]!, funcs));
          funcs++;
          break;
        }
        if (typeof v !== 'function') throw new LinkError(`${where}: a function is required`);
        out.push(funcOfExported(v, realm.jspi) ?? makeHostFunction(realm, v, module.canon[d.typeIndex]!, funcs));
        funcs++;
        break;
      }
      case 'global': {
        const g = realm.global.unwrap(v);
        out.push(g ?? globalFromValue(canonicalizeValType(d.type.type, module.canon), v, where, realm.jspi));
        break;
      }
      case 'memory': {
        const mem = realm.memory.unwrap(v);
        if (mem === undefined) throw new LinkError(`${where}: a WebAssembly.Memory is required`);
        out.push(mem);
        break;
      }
      case 'table': {
        const t = realm.table.unwrap(v);
        if (t === undefined) throw new LinkError(`${where}: a WebAssembly.Table is required`);
        out.push(t);
        break;
      }
      case 'tag': {
        const t = realm.tag.unwrap(v);
        if (t === undefined) throw new LinkError(`${where}: a WebAssembly.Tag is required`);
        out.push(t);
        break;
      }
    }
  }
  return out;
}

/** A plain JS value imported as a global: a new immutable global holding it, or a LinkError. */
function globalFromValue(type: number, v: unknown, where: string, jspi: boolean) {
  if (type === I64 && typeof v !== 'bigint') throw new LinkError(`${where}: an i64 global requires a BigInt or a WebAssembly.Global`);
  if ((type === I32 || type === F32 || type === F64) && typeof v !== 'number') {
    throw new LinkError(`${where}: a number or a WebAssembly.Global is required`);
  }
  if (type === V128) throw new LinkError(`${where}: v128 globals cannot be imported from JavaScript`);
  let value: unknown;
  try {
    value = toWasm(type, v, jspi);
  } catch (e) {
    if (e instanceof TypeError) throw new LinkError(`${where}: ${e.message}`);
    throw e;
  }
  return allocGlobal(type, false, value);
}
