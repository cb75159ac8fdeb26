// Run-time type tests of references (ref.test, ref.cast, br_on_cast*) and the i31 representation:
// an i31 is the JS number of its signed value, everything else in the any hierarchy is an object
// or a host value, so each abstract type's test is a typeof or instanceof and a concrete type's test
// one load and compare in its supertype display.

import {
  HT_ARRAY, HT_EQ, HT_FUNC, HT_I31, HT_NOEXN, HT_NOEXTERN, HT_NOFUNC, HT_NONE, HT_STRUCT, heapOf, isExact, isNullable,
  type ValType,
} from '../core/types.js';
import { canonicalKind, isCanonicalSubtype } from '../validate/type-registry.js';
import { WasmFunc as WasmFuncClass, type WasmFunc } from './func.js';
import { GcArray, GcObject, GcStruct, rttOf, type Rtt } from './gc-types.js';

/**
 * Whether an any-hierarchy value is an i31. Host values that are numbers outside the i31 range
 * (the JS API lets any JS value be an externref, and extern values are internalised as they are)
 * are not; a number inside it is an i31 by the JS API's own conversion rule.
 */
export function isI31(x: unknown): boolean {
  return typeof x === 'number' && (x | 0) === x && x >= -0x40000000 && x < 0x40000000;
}

/** eqref: an i31, a struct or an array (not null). */
export function isEq(x: unknown): boolean {
  return isGcObject(x) || isI31(x);
}

// Each test below has its own `instanceof` site, so that V8 sees one class at each (with one shared
// isInstance, ref.test + ref.cast on anyref took 8.0-8.4 ns against 7.1-7.9), inside a try: a host
// value may be a revoked Proxy, whose getPrototypeOf throws (host-values.ts). A primitive is no
// instance, without asking.

/** Whether `x` is a struct or an array. */
export function isGcObject(x: unknown): x is GcObject {
  try {
    return x instanceof GcObject;
  } catch {
    return false;
  }
}
export function isStruct(x: unknown): x is GcStruct {
  try {
    return x instanceof GcStruct;
  } catch {
    return false;
  }
}
export function isArray(x: unknown): x is GcArray {
  try {
    return x instanceof GcArray;
  } catch {
    return false;
  }
}
export function isWasmFunc(x: unknown): x is WasmFunc {
  try {
    return x instanceof WasmFuncClass;
  } catch {
    return false;
  }
}

/** Whether a non-null value is a struct or array whose type is `t` or a declared subtype of it. */
export function isSubRtt(x: unknown, t: Rtt): boolean {
  try {
    return x instanceof GcObject && rttSub(x.$t, t);
  } catch {
    return false;
  }
}

/** Whether RTT `r` is `t` or a declared subtype of it: one compare in r's supertype display. */
export function rttSub(r: Rtt, t: Rtt): boolean {
  return r === t || (r.depth > t.depth && r.supers[t.depth] === t);
}

/** Exact types (custom descriptors): the value's type is `t` itself. */
export function isExactRtt(x: unknown, t: Rtt): boolean {
  return isGcObject(x) && x.$t === t;
}

/** Whether a non-null function reference has canonical type `id` or a subtype of it. */
export function isSubFunc(x: WasmFunc, id: number): boolean {
  return x.type === id || isCanonicalSubtype(x.type, id);
}

export { GcArray, GcStruct };

/**
 * Whether a value of the any, eq, i31, struct or array hierarchy (or a function) has the canonical
 * reference type `t`: the embedding APIs' check of a value given for a typed slot (null included).
 */
export function refMatches(x: unknown, t: ValType): boolean {
  if (x === null) return isNullable(t);
  const h = heapOf(t);
  if (h >= 0) {
    if (canonicalKind(h) === 'func') return isWasmFunc(x) && (isExact(t) ? x.type === h : isSubFunc(x, h));
    return isExact(t) ? isExactRtt(x, rttOf(h)) : isSubRtt(x, rttOf(h));
  }
  switch (h) {
    case HT_EQ: return isEq(x);
    case HT_I31: return isI31(x);
    case HT_STRUCT: return isStruct(x);
    case HT_ARRAY: return isArray(x);
    case HT_FUNC: return isWasmFunc(x);
    case HT_NONE: case HT_NOFUNC: case HT_NOEXTERN: case HT_NOEXN: return false;
  }
  return true;
}
