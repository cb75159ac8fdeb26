// ExternRef: a host value made into a wasm `externref` in one store (Wasmtime's ExternRef). Wasm
// sees the ExternRef object itself, so identity survives round trips; another store refuses it.

import { checkStore, storeOf, type AsContext, type Store } from './store.js';

const wrappers = new WeakMap<object, ExternRef>();

/** A host value as a wasm externref, owned by one store (Wasmtime's ExternRef). */
export class ExternRef {
  private constructor(readonly store: Store<any>, private readonly value: unknown) {}

  /** A reference to `value` in the context's store (Wasmtime's ExternRef::new). */
  static new(cx: AsContext<any>, value: unknown): ExternRef {
    return new ExternRef(storeOf(cx), value);
  }

  /** The host value this reference holds. */
  data(cx: AsContext<any>): unknown {
    checkStore(cx, this);
    return this.value;
  }

  /** The untyped raw form (a ValRaw): the reference object itself. */
  toRaw(cx: AsContext<any>): object {
    checkStore(cx, this);
    return this;
  }

  /**
   * The ExternRef of a raw externref value (null for null). A raw value that did not come from this
   * API (a layer below it made it) is wrapped, once per object.
   */
  static fromRaw(cx: AsContext<any>, raw: unknown): ExternRef | null {
    const store = storeOf(cx);
    if (raw === null || raw === undefined) return null;
    if (raw instanceof ExternRef) {
      checkStore(store, raw);
      return raw;
    }
    if (typeof raw !== 'object' && typeof raw !== 'function') return new ExternRef(store, raw);
    let w = wrappers.get(raw);
    if (w === undefined) {
      w = new ExternRef(store, raw);
      wrappers.set(raw, w);
    }
    checkStore(store, w);
    return w;
  }
}
