// ToWebAssemblyValue and ToJSValue outside the call path (globals, tables, exceptions, rare reference
// types). Engine values: i32 a number, i64 a BigInt, f32/f64 carrier doubles, references themselves.

import { canonicalValTypeText } from '../validate/canonical-text.js';
import {
  F32, F64, HT_EXTERN, HT_FUNC, HT_NOEXTERN, HT_NOFUNC, I32, I64, heapOf, isNullable, isRef, type ValType,
} from '../core/types.js';
import { WasmFunc } from '../runtime/func.js';
import { isGcObject, isWasmFunc, refMatches } from '../runtime/gc-casts.js';
import { canonicalKind } from '../validate/type-registry.js';
import { exportGcObject, gcObjectOf } from './gc-objects.js';

/** What conversions need from a realm: the Exported Function of a function, and back. */
export interface FuncRealm {
  /** The Exported Function of `f` (one per function and realm). */
  exportedFunction(f: WasmFunc): (...args: unknown[]) => unknown;
  /** Whether this is a JSPI namespace (createWebAssembly's `jspi`): its code is generators (jspi.ts). */
  readonly jspi: boolean;
}

/**
 * Exported Function -> its function, for every realm (so namespaces can share functions); JSPI
 * namespaces (generator code, jspi.ts) have their own, so that each kind of namespace sees the
 * other's functions as plain JS functions, called through a JS frame.
 */
const functionOf = new WeakMap<object, WasmFunc>();
const jspiFunctionOf = new WeakMap<object, WasmFunc>();

/** Records `fn` as the Exported Function of `f` (in a JSPI namespace when `jspi`). */
export function registerExportedFunction(fn: object, f: WasmFunc, jspi = false): void {
  (jspi ? jspiFunctionOf : functionOf).set(fn, f);
}

/** The function behind an Exported Function of a namespace of this kind, or undefined for any other value. */
export function funcOfExported(v: unknown, jspi = false): WasmFunc | undefined {
  return typeof v === 'function' ? (jspi ? jspiFunctionOf : functionOf).get(v) : undefined;
}

/** Whether `v` is a number that ToWebAssemblyValue turns into an i31 reference. */
function isI31Number(v: unknown): v is number {
  return typeof v === 'number' && v === (v | 0) && v < 2 ** 30 && v >= -(2 ** 30);
}

function typeError(t: ValType, why: string): never {
  throw new TypeError(`cannot convert to a WebAssembly ${canonicalValTypeText(t)}: ${why}`);
}

/**
 * ToWebAssemblyValue(v, anyref): a number in the i31 range is that i31ref (held as the number), an
 * Exported GC Object its struct or array, anything else a host value (held as itself).
 */
function internalize(v: unknown): unknown {
  if (isI31Number(v)) return v | 0;
  return gcObjectOf(v) ?? v;
}

/**
 * ToWebAssemblyValue for a reference type `t` (canonical), in the spec's order: null; the extern
 * hierarchy (every JS value, internalised, then made external: the engine holds both alike);
 * Exported Functions for function types; then the value internalised and checked against `t`.
 */
export function refToWasm(t: ValType, v: unknown, jspi = false): unknown {
  if (v === null) {
    if (!isNullable(t)) typeError(t, 'null is not allowed');
    return null;
  }
  const h = heapOf(t);
  // As V8 does, an externref keeps the JS value itself (a -0 stays -0; wasm sees an i31 0 once internalised).
  if (h === HT_EXTERN) return gcObjectOf(v) ?? v;
  if (h === HT_NOEXTERN || h === HT_NOFUNC) return typeError(t, 'only null is allowed');
  const f = funcOfExported(v, jspi);
  if (h === HT_FUNC || (h >= 0 && canonicalKind(h) === 'func')) {
    if (f === undefined) typeError(t, 'not a WebAssembly function');
    if (!refMatches(f, t)) typeError(t, 'the function has the wrong type');
    return f;
  }
  const x = internalize(v);
  if (!refMatches(x, t)) typeError(t, 'the value does not have this type');
  return x;
}

/** ToJSValue for a reference: functions become their Exported Functions, structs and arrays their Exported GC Objects. */
export function refToJs(realm: FuncRealm, x: unknown): unknown {
  if (isWasmFunc(x)) return realm.exportedFunction(x);
  if (isGcObject(x)) return exportGcObject(x);
  return x;
}

/** ToWebAssemblyValue: a JS value as an engine value of type `t` (canonical). */
export function toWasm(t: ValType, v: unknown, jspi = false): unknown {
  switch (t) {
    case I32: return (v as number) | 0;
    case I64: return BigInt.asIntN(64, v as bigint); // ToBigInt64
    case F32: return Math.fround(v as number);
    case F64: return +(v as number);
  }
  if (!isRef(t)) throw new TypeError(`values of type ${canonicalValTypeText(t)} cannot be converted from JavaScript`);
  return refToWasm(t, v, jspi);
}

/** ToJSValue: an engine value of type `t` as a JS value. */
export function toJs(realm: FuncRealm, t: ValType, x: unknown): unknown {
  if (t === F32 || t === F64) return +(x as number); // a NaNBox becomes the NaN it stands for
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
