// Extern: any importable or exportable object (Wasmtime's Extern), and the mapping between
// public handles and runtime objects.

import { WasmFunc } from '../runtime/func.js';
import { GlobalObject } from '../runtime/global.js';
import type { RuntimeExtern } from '../runtime/link.js';
import { MemoryObject } from '../runtime/memory.js';
import { SharedMemoryObject } from '../runtime/shared-memory.js';
import { TableObject } from '../runtime/table.js';
import { TagObject } from '../runtime/tag.js';
import { Func } from './func.js';
import { Global } from './global.js';
import { Memory } from './memory.js';
import { SharedMemory } from './shared-memory.js';
import { checkStore, type Store } from './store.js';
import { Table } from './table.js';
import { Tag } from './tag.js';

/** Anything a module can import or export. */
export type Extern = Func | Memory | SharedMemory | Table | Global | Tag;

/** The handle of a runtime object in `store` (refused if it belongs to another store). */
export function externFromRaw(store: Store<any>, raw: RuntimeExtern): Extern {
  if (raw instanceof WasmFunc) return Func.handle(store, raw);
  if (raw instanceof SharedMemoryObject) return SharedMemory.fromRaw(store.engine, raw);
  if (raw instanceof MemoryObject) return Memory.fromRaw(store, raw);
  if (raw instanceof GlobalObject) return Global.fromRaw(store, raw);
  if (raw instanceof TagObject) return Tag.fromRaw(store, raw);
  if (raw instanceof TableObject) return Table.fromRaw(store, raw);
  throw new TypeError('not a runtime extern');
}

/** Whether `x` is a Func, Memory, SharedMemory, Table, Global or Tag handle. */
export function isExtern(x: unknown): x is Extern {
  return x instanceof Func || x instanceof Memory || x instanceof SharedMemory || x instanceof Table || x instanceof Global
    || x instanceof Tag;
}

/** Refuses an extern that `store` cannot use: another store's item, or a shared memory of another engine. */
export function checkExternStore(store: Store<any>, x: Extern): void {
  if (x instanceof SharedMemory) x.checkEngine(store.engine);
  else checkStore(store, x);
}

/** The kind of an extern, as in import and export types. */
export function externKindOf(x: Extern): 'func' | 'memory' | 'table' | 'global' | 'tag' {
  return x instanceof Func ? 'func' : x instanceof Memory || x instanceof SharedMemory ? 'memory' : x instanceof Table ? 'table' : x instanceof Global ? 'global' : 'tag';
}
