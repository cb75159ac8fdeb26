// ToWebAssemblyValue and ToJSValue outside the call path (globals, tables, exceptions, rare reference
// types). Engine values: i32 a number, i64 a BigInt, f32/f64 carrier doubles, references themselves.

import {
  F32, F64, HT_ANY, HT_ARRAY, HT_EQ, HT_EXTERN, HT_FUNC, HT_I31, HT_NOEXTERN, HT_NOFUNC, HT_NONE, HT_STRUCT,
  I32, I64, heapOf, isNullable, isRef, valTypeName, type ValType,
} from '../core/types.js';
import { WasmFunc } from '../runtime/func.js';
import { canonicalKind, isCanonicalSubtype } from '../validate/type-registry.js';

/** What conversions need from a realm: the Exported Function of a function, and back. */
export interface FuncRealm {
  /** The Exported Function of `f` (one per function and realm). */
  exportedFunction(f: WasmFunc): (...args: unknown[]) => unknown;
}

/** Exported Function -> its function, for every realm (so namespaces can share functions). */
const functionOf = new WeakMap<object, WasmFunc>();

/** Records `fn` as the Exported Function of `f`. */
export function registerExportedFunction(fn: object, f: WasmFunc): void {
  functionOf.set(fn, f);
}

/** The function behind an Exported Function, or undefined for any other value. */
export function funcOfExported(v: unknown): WasmFunc | undefined {
  return typeof v === 'function' ? functionOf.get(v) : undefined;
}

/** Whether `v` is a number that ToWebAssemblyValue turns into an i31 reference. */
function isI31Number(v: unknown): v is number {
  return typeof v === 'number' && v === (v | 0) && v < 2 ** 30 && v >= -(2 ** 30);
}

function typeError(t: ValType, why: string): never {
  throw new TypeError(`cannot convert to a WebAssembly ${valTypeName(t)}: ${why}`);
}

/**
 * ToWebAssemblyValue for a reference type `t` (canonical). GC values cannot exist yet (the engine
 * does not run GC code), so struct/array types hold only null, and i31 references are the numbers
 * themselves.
 */
export function refToWasm(t: ValType, v: unknown): unknown {
  if (v === null) {
    if (!isNullable(t)) typeError(t, 'null is not allowed');
    return null;
  }
  const h = heapOf(t);
  switch (h) {
    case HT_EXTERN: return v;
    case HT_ANY: return isI31Number(v) ? v | 0 : v;
    case HT_EQ: case HT_I31:
      if (isI31Number(v)) return v | 0;
      return typeError(t, 'not an i31 value');
    case HT_NOEXTERN: case HT_NOFUNC: case HT_NONE: case HT_STRUCT: case HT_ARRAY:
      return typeError(t, 'only null is allowed');
  }
  const f = funcOfExported(v);
  if (h === HT_FUNC) return f ?? typeError(t, 'not a WebAssembly function');
  if (h >= 0 && canonicalKind(h) === 'func') {
    if (f === undefined) typeError(t, 'not a WebAssembly function');
    if (!isCanonicalSubtype(f.type, h)) typeError(t, 'the function has the wrong type');
    return f;
  }
  return typeError(t, 'values of this type cannot come from JavaScript');
}

/** ToJSValue for a reference of type `t`: functions become their Exported Functions. */
export function refToJs(realm: FuncRealm, x: unknown): unknown {
  return x instanceof WasmFunc ? realm.exportedFunction(x) : x;
}

/** ToWebAssemblyValue: a JS value as an engine value of type `t` (canonical). */
export function toWasm(t: ValType, v: unknown): unknown {
  switch (t) {
    case I32: return (v as number) | 0;
    case I64: return BigInt.asIntN(64, v as bigint); // ToBigInt64
    case F32: return Math.fround(v as number);
    case F64: return +(v as number);
  }
  if (!isRef(t)) throw new TypeError(`values of type ${valTypeName(t)} cannot be converted from JavaScript`);
  return refToWasm(t, v);
}

/** ToJSValue: an engine value of type `t` as a JS value. */
export function toJs(realm: FuncRealm, t: ValType, x: unknown): unknown {
  return isRef(t) ? refToJs(realm, x) : x;
}

/** DefaultValue: undefined (as a host reference) for externref, else the type's zero; null if there is none. */
export function defaultValue(t: ValType): { value: unknown } | null {
  switch (t) {
    case I32: case F32: case F64: return { value: 0 };
    case I64: return { value: 0n };
  }
  if (!isRef(t)) return null;
  if (!isNullable(t)) return null;
  return { value: heapOf(t) === HT_EXTERN ? undefined : null };
}
