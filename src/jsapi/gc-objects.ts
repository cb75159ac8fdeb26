// Exported GC Objects: how a wasm struct or array looks to JS (an opaque exotic object, one per
// struct or array, so identity survives round trips) and the externref conversions that meet them.

import { GcObject, gcState } from '../runtime/gc-types.js';
import { isGcObject } from '../runtime/gc-casts.js';

/** Struct or array -> its Exported GC Object, and back (process-wide, like the spec's per-agent cache). */
const exported = new WeakMap<GcObject, object>();
const objects = new WeakMap<object, GcObject>();

function refuse(): never {
  throw new TypeError('WebAssembly GC objects have no properties');
}

/**
 * The spec's internal methods of an Exported GC Object: no prototype, no properties, not
 * extensible; writes and deletions throw. The proxy's target is an empty non-extensible object
 * with a null prototype, which is what the Proxy invariants require of these answers.
 */
const HANDLER: ProxyHandler<object> = {
  getPrototypeOf: () => null,
  setPrototypeOf: () => false,
  isExtensible: () => false,
  preventExtensions: () => false,
  getOwnPropertyDescriptor: () => undefined,
  defineProperty: () => false,
  has: () => false,
  get: () => undefined,
  set: refuse,
  deleteProperty: refuse,
  ownKeys: () => [],
};

/** The Exported GC Object of a struct or array (made on first need). */
export function exportGcObject(x: GcObject): object {
  let p = exported.get(x);
  if (p === undefined) {
    p = new Proxy(Object.preventExtensions(Object.create(null) as object), HANDLER);
    exported.set(x, p);
    objects.set(p, x);
  }
  return p;
}

/** The struct or array behind an Exported GC Object, or undefined for any other value. */
export function gcObjectOf(v: unknown): GcObject | undefined {
  return typeof v === 'object' && v !== null ? objects.get(v) : undefined;
}

/**
 * ToWebAssemblyValue(v, externref) beyond `v` itself: an Exported GC Object becomes its struct or
 * array again. (A number in the i31 range is an i31ref by the spec, which is how the engine holds
 * both, and every other value is a host value, held as itself.) Adaptors call it only once `GC.used`.
 */
export function externIn(v: unknown): unknown {
  return gcObjectOf(v) ?? v;
}

/** ToJSValue for an externref: structs and arrays (made external by wasm) as Exported GC Objects. */
export function externOut(x: unknown): unknown {
  return isGcObject(x) ? exportGcObject(x) : x;
}

export { gcState as GC };
