// Global: a handle to a global variable, read and written as Vals.

import type { GlobalType } from '../core/types.js';
import { readGlobal, writeGlobal } from '../runtime/const-eval.js';
import { GlobalObject } from '../runtime/global.js';
import { I64 } from '../core/types.js';
import { handleFor } from './handles.js';
import { componentArray } from '../runtime/lowering.js';
import { checkStore, type Store } from './store.js';
import { liftVal, lowerVal, type Val } from './val.js';

export class Global {
  /** Creates a global holding `init` (Wasmtime's Global::new). */
  constructor(store: Store, type: GlobalType, init: Val, raw?: GlobalObject) {
    this.store = store;
    if (raw) {
      this.raw = raw;
      return;
    }
    this.raw = new GlobalObject(type);
    this.write(init);
  }
  readonly store: Store;
  readonly raw: GlobalObject;

  static fromRaw(store: Store, raw: GlobalObject): Global {
    return handleFor(store, raw, () => new Global(store, raw.type, null as unknown as Val, raw));
  }

  type(store: Store): GlobalType {
    checkStore(store, this);
    return this.raw.type;
  }
  get(store: Store): Val {
    checkStore(store, this);
    const t = this.raw.type.type;
    const cell = this.raw.cell as ArrayLike<unknown>;
    return liftVal(store, t, cell, 0)[0];
  }
  /** Sets a mutable global; throws for an immutable one. */
  set(store: Store, value: Val): void {
    checkStore(store, this);
    if (!this.raw.type.mutable) throw new TypeError('cannot set an immutable global');
    this.write(value);
  }
  private write(value: Val): void {
    const out = componentArray();
    lowerVal(this.store, this.raw.type.type, value, out, 'global value');
    if (this.raw.type.type === I64) writeGlobal(this.raw, (BigInt(out[1] as number) << 32n) | BigInt((out[0] as number) >>> 0));
    else writeGlobal(this.raw, out[0]);
  }
}

export { readGlobal };
