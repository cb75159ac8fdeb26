// Global: a handle to a global variable (Wasmtime's Global), read and written as Vals.

import type { GlobalType } from '../core/types.js';
import { I64 } from '../core/types.js';
import { readGlobal, writeGlobal } from '../runtime/const-eval.js';
import { GlobalObject } from '../runtime/global.js';
import { componentArray } from '../runtime/lowering.js';
import { handleFor } from './handles.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';
import { liftVal, lowerVal, type Val } from './val.js';
import { checkGlobalType } from './types.js';

/** A handle to a global in one store (Wasmtime's Global). */
export class Global {
  /** The store the global belongs to. */
  readonly store: Store<any>;
  /** The runtime object behind the handle. */
  readonly raw: GlobalObject;

  /** Creates a global holding `init` (Wasmtime's Global::new); `init` must have the global's type. */
  constructor(cx: AsContext<any>, type: GlobalType, init: Val);
  /** @internal */
  constructor(cx: AsContext<any>, type: GlobalType, init: Val | null, raw: GlobalObject);
  constructor(cx: AsContext<any>, type: GlobalType, init: Val | null, raw?: GlobalObject) {
    const store = storeOf(cx);
    this.store = store;
    if (raw) {
      this.raw = raw;
      return;
    }
    checkGlobalType(type);
    this.raw = new GlobalObject(type);
    this.raw.store = store.raw;
    this.write(init!);
    store.raw.dumpable?.globals.push(this.raw);
  }

  /** @internal The handle of a runtime global (one per global; another store's is refused). */
  static fromRaw(store: Store<any>, raw: GlobalObject): Global {
    return handleFor(store, raw, () => new Global(store, raw.type, null, raw));
  }

  /** The global's value type and mutability. */
  type(cx: AsContext<any>): GlobalType {
    checkStore(cx, this);
    return this.raw.type;
  }
  /** The current value. */
  get(cx: AsContext<any>): Val {
    const store = checkStore(cx, this);
    return liftVal(store, this.raw.type.type, this.raw.cell as ArrayLike<unknown>, 0)[0];
  }
  /** Sets a mutable global; throws for an immutable one or a value of another type. */
  set(cx: AsContext<any>, value: Val): void {
    checkStore(cx, this);
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
