// An exception tag: one object per tag, compared by identity when a handler matches an exception
// (so instances importing the same tag share it, and equal-typed tags stay distinct).

import type { StoreObject } from './store.js';

export class TagObject {
  /** The store it belongs to (the API refuses it in another store); null until it is known. */
  store: StoreObject | null = null;
  /** Canonical id of the tag's function type. */
  constructor(readonly typeId: number) {}
}
