// ExternRef: a host value made into a wasm `externref` in one store (Wasmtime's ExternRef). Wasm
// sees the ExternRef object itself, so identity survives round trips; another store refuses it.

import { isGcObject, isI31 } from '../runtime/gc-casts.js';
import { isInstance } from '../runtime/host-values.js';
import { AnyRef } from './anyref.js';
import { wrongStore } from './handles.js';
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
   * The host value this reference holds; null for a struct, array or i31 made external with
   * `extern.convert_any` (read it with `AnyRef.convertExtern`), as Wasmtime's `data` has none.
   */
  data(cx: AsContext<any>): unknown {
    checkStore(cx, this);
    // A number wasm made external is an i31 (extern.convert_any), which holds no host data.
    const fromWasm = this.raw !== this;
    return isGcObject(this.value) || (fromWasm && isI31(this.value)) ? null : this.value;
  }

  /** The untyped raw form (a ValRaw): the reference object itself. */
  toRaw(cx: AsContext<any>): object {
    checkStore(cx, this);
    return this;
  }

  /** The externref of an anyref, as `extern.convert_any` makes it (Wasmtime's ExternRef::convert_any). */
  static convertAny(cx: AsContext<any>, ref: AnyRef): ExternRef {
    if (!isInstance(ref, AnyRef)) throw new TypeError('ExternRef.convertAny: expected an AnyRef');
    return ExternRef.of(checkStore(cx, ref), ref.raw)!;
  }

  /**
   * The ExternRef of a raw externref (what `toRaw` or `Val.toRaw` gave), or null for null. Anything
   * else is a TypeError: a raw value is never trusted to be a reference of this kind.
   */
  static fromRaw(cx: AsContext<any>, raw: unknown): ExternRef | null {
    if (raw === null || raw === undefined) return null;
    if (!isInstance(raw, ExternRef)) throw new TypeError('not a raw externref (ExternRef.toRaw or Val.toRaw makes one)');
    checkStore(cx, raw);
    return raw;
  }

  /**
   * @internal The ExternRef of an engine externref value, or null for null. A value that did not
   * come from this API (a layer below it made it, or `extern.convert_any`) is wrapped, once per object.
   */
  static of(store: Store<any>, raw: unknown): ExternRef | null {
    if (raw === null || raw === undefined) return null;
    if (isInstance(raw, ExternRef)) {
      checkStore(store, raw);
      return raw;
    }
    adoptRef(store, raw);
    if (typeof raw !== 'object' && typeof raw !== 'function') return new ExternRef(store, raw, true);
    let w = wrappers.get(raw);
    if (w === undefined) {
      w = new ExternRef(store, raw, true);
      wrappers.set(raw, w);
    }
    return w;
  }
}

/**
 * The store that first saw each engine reference object the API wraps (structs, arrays, host
 * values from below the API). Wasm makes them without recording a store, so this is what stops a
 * raw reference of one store from being adopted by another.
 */
const owners = new WeakMap<object, Store<any>>();

/**
 * @internal Records `store` as the owner of the engine reference `raw` the first time the API sees
 * it; "object used with the wrong store" if another store saw it first. Primitives (i31s) belong
 * to no store.
 */
export function adoptRef(store: Store<any>, raw: unknown): void {
  if (isInstance(raw, ExternRef)) {
    checkStore(store, raw);
    return;
  }
  if ((typeof raw !== 'object' || raw === null) && typeof raw !== 'function') return;
  const owner = owners.get(raw);
  if (owner === undefined) owners.set(raw, store);
  else if (owner !== store) wrongStore();
}
