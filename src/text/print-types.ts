// Text of types in printed modules: value, reference and heap types, storage and field types,
// and the composite types of the type section, with `$names` where the module has them.

import {
  F32, F64, I16, I32, I64, I8, V128, heapOf, isExact, isNullable, isRef,
  type CompositeType, type FieldType, type HeapType, type StorageType, type SubType, type ValType,
} from '../core/types.js';
import { ABSTRACT_HEAPS, REF_SHORTHANDS } from './valtypes.js';

/** Text of an index in a space: `$name` when there is a usable name, else the number. */
export type IndexText = (index: number) => string;

const ABSTRACT_NAMES = new Map<number, string>([...ABSTRACT_HEAPS].map(([name, byte]) => [byte - 0x80, name]));
const SHORTHAND_NAMES = new Map<number, string>([...REF_SHORTHANDS].map(([name, byte]) => [byte - 0x80, name]));

export function heapTypeText(ht: HeapType, exact: boolean, type: IndexText): string {
  if (ht < 0) return ABSTRACT_NAMES.get(ht) ?? `<heap ${ht}>`;
  return exact ? `(exact ${type(ht)})` : type(ht);
}

/** `(ref null? ht)` always in the long form (block types, casts). */
export function refTypeText(t: ValType, type: IndexText): string {
  const heap = heapTypeText(heapOf(t), isExact(t), type);
  return isNullable(t) ? `(ref null ${heap})` : `(ref ${heap})`;
}

export function valTypeText(t: ValType, type: IndexText): string {
  switch (t) {
    case I32: return 'i32';
    case I64: return 'i64';
    case F32: return 'f32';
    case F64: return 'f64';
    case V128: return 'v128';
  }
  if (!isRef(t)) return `<type ${t}>`;
  const ht = heapOf(t);
  if (ht < 0 && isNullable(t) && !isExact(t)) return SHORTHAND_NAMES.get(ht)!;
  return refTypeText(t, type);
}

export function storageTypeText(t: StorageType, type: IndexText): string {
  if (t === I8) return 'i8';
  if (t === I16) return 'i16';
  return valTypeText(t, type);
}

export function fieldTypeText(f: FieldType, type: IndexText): string {
  const s = storageTypeText(f.type, type);
  return f.mutable ? `(mut ${s})` : s;
}

/** `(func ...)`, `(struct ...)` or `(array ...)`; `fieldName` names struct fields when known. */
export function compositeTypeText(ct: CompositeType, type: IndexText, fieldName: (i: number) => string | null): string {
  switch (ct.kind) {
    case 'func': {
      let s = '(func';
      if (ct.params.length > 0) s += ` (param ${ct.params.map((t) => valTypeText(t, type)).join(' ')})`;
      if (ct.results.length > 0) s += ` (result ${ct.results.map((t) => valTypeText(t, type)).join(' ')})`;
      return s + ')';
    }
    case 'struct': {
      let s = '(struct';
      ct.fields.forEach((f, i) => {
        const name = fieldName(i);
        s += name === null ? ` (field ${fieldTypeText(f, type)})` : ` (field ${name} ${fieldTypeText(f, type)})`;
      });
      return s + ')';
    }
    case 'array':
      return `(array ${fieldTypeText(ct.element, type)})`;
  }
}

/** The subtype inside `(type ...)`: `(sub final? supers... clauses comptype)` or the bare form. */
export function subTypeText(st: SubType, prefixed: boolean, type: IndexText, fieldName: (i: number) => string | null): string {
  let body = '';
  if (st.describes !== undefined) body += `(describes ${type(st.describes)}) `;
  if (st.descriptor !== undefined) body += `(descriptor ${type(st.descriptor)}) `;
  body += compositeTypeText(st.composite, type, fieldName);
  if (!prefixed) return body;
  const supers = st.supertypes.map((x) => ' ' + type(x)).join('');
  return `(sub${st.final ? ' final' : ''}${supers} ${body})`;
}
