// Tag: a handle to an exception tag (Wasmtime's Tag): the identity wasm exceptions are caught by,
// shared by every instance that imports it.

import type { FuncType } from '../core/types.js';
import { TagObject } from '../runtime/tag.js';
import { canonicalType } from '../validate/type-registry.js';
import { handleFor } from './handles.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';
import { registerFuncType } from './types.js';

/** A handle to a tag in one store (Wasmtime's Tag). */
export class Tag {
  /** The store the tag belongs to. */
  readonly store: Store<any>;
  /** The runtime object behind the handle. */
  readonly raw: TagObject;

  /** A new tag whose exceptions carry values of `type.params` (results must be empty). */
  constructor(cx: AsContext<any>, type: FuncType);
  /** @internal */
  constructor(cx: AsContext<any>, type: FuncType | null, raw: TagObject);
  constructor(cx: AsContext<any>, type: FuncType | null, raw?: TagObject) {
    const store = storeOf(cx);
    this.store = store;
    if (raw) {
      this.raw = raw;
      return;
    }
    const typeId = registerFuncType(type!);
    if (type!.results.length !== 0) throw new TypeError('a tag type has no results');
    this.raw = new TagObject(typeId);
    this.raw.store = store.raw;
    // The one handle of this tag: an exception's `tag(store)` or an export of it is this object.
    handleFor(store, this.raw, () => this);
  }

  /** @internal The handle of a runtime tag (one per tag; another store's is refused). */
  static fromRaw(store: Store<any>, raw: TagObject): Tag {
    return handleFor(store, raw, () => new Tag(store, null, raw));
  }

  /** The tag's function type (canonical ids in reference types). */
  type(cx: AsContext<any>): FuncType {
    checkStore(cx, this);
    return canonicalType(this.raw.typeId).composite as FuncType;
  }
}
