// An exception tag. Tags can be defined, imported and exported already; throwing and catching
// (exception handling) is not compiled yet.

import type { StoreObject } from './store.js';

export class TagObject {
  /** The store it belongs to (the API refuses it in another store); null until it is known. */
  store: StoreObject | null = null;
  /** Canonical id of the tag's function type. */
  constructor(readonly typeId: number) {}
}
