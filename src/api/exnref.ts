// ExnRef: a wasm exception as the embedder sees it (Wasmtime's ExnRef), and ThrownException, the
// error that carries one across the boundary: out of wasm when uncaught, into wasm from a host function.

import type { FuncType } from '../core/types.js';
import { WasmException } from '../runtime/exceptions.js';
import { canonicalType } from '../validate/type-registry.js';
import { WRONG_STORE, expectKind } from './handles.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';
import { Tag } from './tag.js';
import { liftVals, lowerVals, type Val } from './val.js';

/** One handle per exception (so identity survives round trips through wasm). */
const handles = new WeakMap<WasmException, ExnRef>();

/** A reference to a wasm exception in one store: its tag and payload fields (Wasmtime's ExnRef). */
export class ExnRef {
  private constructor(
    /** The store it belongs to (using it with another store throws). */ 
    readonly store: Store<any>,
    /** The runtime exception behind the handle. */
    readonly raw: WasmException,
  ) {}

  /**
   * A new exception of `tag` carrying `fields` (Wasmtime's ExnRef::new). Throw it from a host
   * function as `new ThrownException(exn)` and wasm can catch it by its tag.
   */
  static new(cx: AsContext<any>, tag: Tag, fields: readonly Val[]): ExnRef {
    const store = checkStore(cx, tag);
    const payload = lowerVals(store, params(tag.raw.typeId), fields, 'exception field');
    return ExnRef.of(store, new WasmException(tag.raw, payload));
  }

  /** @internal The handle of a runtime exception, refused when its tag belongs to another store. */
  static of(store: Store<any>, raw: WasmException): ExnRef {
    const owner = raw.tag.store;
    if (owner !== null && owner !== store.raw) throw new Error(WRONG_STORE);
    let h = handles.get(raw);
    if (h === undefined) {
      h = new ExnRef(store, raw);
      handles.set(raw, h);
    }
    return h;
  }

  /** The ExnRef of a raw exnref value (from `toRaw` or a ValRaw), or null for null. */
  static fromRaw(cx: AsContext<any>, raw: unknown): ExnRef | null {
    if (raw === null || raw === undefined) return null;
    if (!(raw instanceof WasmException)) throw new TypeError('not a raw exception reference');
    return ExnRef.of(storeOf(cx), raw);
  }

  /** The untyped raw form (a ValRaw). */
  toRaw(cx: AsContext<any>): object {
    expectKind(this, ExnRef, 'toRaw');
    checkStore(cx, this);
    return this.raw;
  }

  /** The exception's tag. */
  tag(cx: AsContext<any>): Tag {
    expectKind(this, ExnRef, 'tag');
    return Tag.fromRaw(checkStore(cx, this), this.raw.tag);
  }

  /** Every payload field, as Vals of the tag's parameter types. */
  fields(cx: AsContext<any>): Val[] {
    expectKind(this, ExnRef, 'fields');
    const store = checkStore(cx, this);
    return liftVals(store, params(this.raw.tag.typeId), this.raw.payload);
  }

  /** Payload field `index`. */
  field(cx: AsContext<any>, index: number): Val {
    expectKind(this, ExnRef, 'field');
    const all = this.fields(cx);
    if (!Number.isInteger(index) || index < 0 || index >= all.length) {
      throw new RangeError(`field index ${String(index)} is out of bounds (${all.length} fields)`);
    }
    return all[index]!;
  }
}

/**
 * A wasm exception outside wasm (Wasmtime's ThrownException, with the exception on the error rather
 * than pending on the store). A call whose exception nobody caught throws one; a host function
 * throws one to raise an exception that wasm can catch. Whatever else a host function throws
 * passes through wasm unchanged and uncatchable, as in Wasmtime.
 */
export class ThrownException extends Error {
  constructor(/** The exception wasm threw. */ readonly exception: ExnRef) {
    // Checked here, not when a host function throws it: the mistake then shows where it was made.
    if (!(exception instanceof ExnRef)) throw new TypeError('ThrownException: expected an ExnRef (ExnRef.new(store, tag, fields))');
    super('thrown Wasm exception');
  }
}
Object.defineProperty(ThrownException.prototype, 'name', { value: 'ThrownException', writable: true, configurable: true });

/** What the embedder sees for an error out of wasm: a wasm exception becomes a ThrownException. */
export function embedderException(store: Store<any>, e: unknown): unknown {
  return e instanceof WasmException ? new ThrownException(ExnRef.of(store, e)) : e;
}

/** The wasm exception a host function raises by throwing a ThrownException of its store, else undefined. */
export function hostException(store: Store<any>, e: unknown): WasmException | undefined {
  if (!(e instanceof ThrownException)) return undefined;
  if (e.exception.store !== store) throw new Error(WRONG_STORE);
  return e.exception.raw;
}

function params(typeId: number): FuncType['params'] {
  return (canonicalType(typeId).composite as FuncType).params;
}
