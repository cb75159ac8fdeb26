// ExternRef: a host value made into a wasm `externref` in one store (Wasmtime's ExternRef). Wasm
// sees the ExternRef object itself, so identity survives round trips; another store refuses it.

import { isGcObject } from '../runtime/gc-casts.js';
import { isInstance } from '../runtime/host-values.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';

const wrappers = new WeakMap<object, ExternRef>();

/** A host value as a wasm externref, owned by one store (Wasmtime's ExternRef). */
export class ExternRef {
  /**
   * @internal What wasm sees: the ExternRef itself for one made by `new`; for one that wraps a
   * value that came from elsewhere (a lower layer, or `extern.convert_any`), that value, so it
   * goes back into wasm unchanged.
   */
  readonly raw: unknown;

  private constructor(/** The store it belongs to (using it with another store throws). */ readonly store: Store<any>, private readonly value: unknown, wrapped: boolean) {
    this.raw = wrapped ? value : this;
  }

  /** A reference to `value` in the context's store (Wasmtime's ExternRef::new). */
  static new(cx: AsContext<any>, value: unknown): ExternRef {
    return new ExternRef(storeOf(cx), value, false);
  }

  /**
   * The host value this reference holds; null for a struct or array made external with
   * `extern.convert_any` (read it with `AnyRef.convertExtern`), as Wasmtime's `data` has none.
   */
  data(cx: AsContext<any>): unknown {
    checkStore(cx, this);
    return isGcObject(this.value) ? null : this.value;
  }

  /** The untyped raw form (a ValRaw): the reference object itself. */
  toRaw(cx: AsContext<any>): object {
    checkStore(cx, this);
    return this;
  }

  /** The externref of an anyref, as `extern.convert_any` makes it (Wasmtime's ExternRef::convert_any). */
  static convertAny(cx: AsContext<any>, ref: { readonly store: Store<any>; readonly raw: unknown }): ExternRef {
    checkStore(cx, ref);
    return ExternRef.fromRaw(cx, ref.raw)!;
  }

  /**
   * The ExternRef of a raw externref value (null for null). A raw value that did not come from this
   * API (a layer below it made it) is wrapped, once per object.
   */
  static fromRaw(cx: AsContext<any>, raw: unknown): ExternRef | null {
    const store = storeOf(cx);
    if (raw === null || raw === undefined) return null;
    if (isInstance(raw, ExternRef)) {
      checkStore(store, raw);
      return raw;
    }
    if (typeof raw !== 'object' && typeof raw !== 'function') return new ExternRef(store, raw, true);
    let w = wrappers.get(raw);
    if (w === undefined) {
      w = new ExternRef(store, raw, true);
      wrappers.set(raw, w);
    }
    checkStore(store, w);
    return w;
  }
}
