// The JS API's value type names (the ValueType and TableKind enums) and how each engine value type
// crosses the boundary: the conversion class that picks inline code or a generic converter.

import {
  EXTERNREF, F32, F64, FUNCREF, HT_EXN, HT_NOEXN, I32, I64, V128, heapOf, isRef, type ValType,
} from '../core/types.js';
import { toEnum } from './webidl.js';

/** The ValueType enum, in the spec's order. */
export const VALUE_TYPE_NAMES = ['i32', 'i64', 'f32', 'f64', 'v128', 'externref', 'anyfunc'] as const;
export type ValueTypeName = (typeof VALUE_TYPE_NAMES)[number];

/** The TableKind enum. */
export const TABLE_KIND_NAMES = ['externref', 'anyfunc'] as const;

const BY_NAME: Readonly<Record<ValueTypeName, ValType>> = {
  i32: I32, i64: I64, f32: F32, f64: F64, v128: V128, externref: EXTERNREF, anyfunc: FUNCREF,
};

/** ToValueType on an already converted enum value. */
export function toValueType(name: ValueTypeName): ValType {
  return BY_NAME[name];
}

/** Converts a JS value to the ValueType enum and then to a value type (TypeError for other strings). */
export function valueTypeFromJs(v: unknown, what: string): ValType {
  return toValueType(toEnum(v, VALUE_TYPE_NAMES, what));
}

/**
 * How a value of a type crosses the boundary. The four number types, externref and funcref have
 * inline code in the adaptors; other reference types go through a generic converter; v128 and
 * exnref make every call a TypeError (the spec's rule for them).
 */
export const enum Conv { I32, I64, F32, F64, Extern, Func, OtherRef, Reject }

export function convOf(t: ValType): Conv {
  switch (t) {
    case I32: return Conv.I32;
    case I64: return Conv.I64;
    case F32: return Conv.F32;
    case F64: return Conv.F64;
    case EXTERNREF: return Conv.Extern;
    case FUNCREF: return Conv.Func;
  }
  if (!isRef(t)) return Conv.Reject;
  const h = heapOf(t);
  return h === HT_EXN || h === HT_NOEXN ? Conv.Reject : Conv.OtherRef;
}

/** Whether values of this type cannot cross the JS boundary at all (v128, exnref). */
export function isRejected(t: ValType): boolean {
  return convOf(t) === Conv.Reject;
}

