// Extern: any importable or exportable object (Wasmtime's Extern), and the mapping between
// public handles and runtime objects.

import { WasmFunc } from '../runtime/func.js';
import { GlobalObject } from '../runtime/global.js';
import type { RuntimeExtern } from '../runtime/link.js';
import { MemoryObject } from '../runtime/memory.js';
import { TagObject } from '../runtime/tag.js';
import { Func } from './func.js';
import { Global } from './global.js';
import { Memory } from './memory.js';
import type { Store } from './store.js';
import { Table } from './table.js';
import { Tag } from './tag.js';

export type Extern = Func | Memory | Table | Global | Tag;

export function externFromRaw(store: Store, raw: RuntimeExtern): Extern {
  if (raw instanceof WasmFunc) return Func.fromRaw(store, raw);
  if (raw instanceof MemoryObject) return Memory.fromRaw(store, raw);
  if (raw instanceof GlobalObject) return Global.fromRaw(store, raw);
  if (raw instanceof TagObject) return Tag.fromRaw(store, raw);
  return Table.fromRaw(store, raw);
}

export function isExtern(x: unknown): x is Extern {
  return x instanceof Func || x instanceof Memory || x instanceof Table || x instanceof Global || x instanceof Tag;
}
