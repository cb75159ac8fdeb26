// Tag: a handle to an exception tag (Wasmtime's Tag). Tags link and export already; throwing and
// catching wait for exception handling in the compiler.

import type { FuncType } from '../core/types.js';
import { TagObject } from '../runtime/tag.js';
import { canonicalType } from '../validate/type-registry.js';
import { handleFor } from './handles.js';
import { checkStore, type Store } from './store.js';
import { registerFuncType } from './types.js';

export class Tag {
  /** A new tag whose exceptions carry values of `type.params` (results must be empty). */
  constructor(store: Store, type: FuncType, raw?: TagObject) {
    this.store = store;
    this.raw = raw ?? new TagObject(registerFuncType(type));
  }
  readonly store: Store;
  readonly raw: TagObject;

  static fromRaw(store: Store, raw: TagObject): Tag {
    return handleFor(store, raw, () => new Tag(store, { kind: 'func', params: [], results: [] }, raw));
  }

  type(store: Store): FuncType {
    checkStore(store, this);
    return canonicalType(this.raw.typeId).composite as FuncType;
  }
}
