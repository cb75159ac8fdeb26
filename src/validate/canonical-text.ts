// Text of canonical types for messages: a defined type is written out as its structure, since its
// canonical id means nothing to a user and its module-local index may differ between the modules
// involved (a link error compares an import of one module with an export of another).

import type { ValType } from '../core/types.js';
import { compositeTypeText, valTypeText, type IndexText } from '../text/print-types.js';
import type { ExternTypeOf } from './extern-match.js';
import { canonicalType, canonicalTypeCount } from './type-registry.js';

/** Defined types nested deeper than this are written as their kind only (types may be recursive). */
const MAX_DEPTH = 2;

function definedType(depth: number): IndexText {
  return (id) => {
    // An id no module registered (a type made up by an embedder) has no structure to show.
    if (id >= canonicalTypeCount()) return `<unregistered type ${id}>`;
    const ct = canonicalType(id).composite;
    return depth >= MAX_DEPTH ? `(${ct.kind} ...)` : compositeTypeText(ct, definedType(depth + 1), () => null);
  };
}

/** A canonical value type as WAT text, defined heap types written out: `(ref null (func (param i32)))`. */
export function canonicalValTypeText(t: ValType): string {
  return valTypeText(t, definedType(1));
}

/** A canonical function, struct or array type as WAT text: `(func (param i32) (result i64))`. */
export function canonicalTypeText(id: number): string {
  return definedType(0)(id);
}

function limitsText(address64: boolean, limits: { readonly min: number; readonly max: number | null }): string {
  return `${address64 ? 'i64 ' : ''}${limits.min}${limits.max === null ? '' : ` ${limits.max}`}`;
}

/** An external type as WAT text: `(func ...)`, `(table 1 10 funcref)`, `(memory 1 shared)`, `(global (mut i32))`, `(tag ...)`. */
export function externTypeText(t: ExternTypeOf): string {
  switch (t.kind) {
    case 'func': {
      const text = canonicalTypeText(t.typeId);
      return t.exact ? `(exact ${text})` : text;
    }
    case 'table':
      return `(table ${limitsText(t.address64, t.limits)} ${canonicalValTypeText(t.element)})`;
    case 'memory': {
      const shared = t.shared ? ' shared' : '';
      const pageSize = t.pageSizeLog2 === 16 ? '' : ` (pagesize ${2 ** t.pageSizeLog2})`;
      return `(memory ${limitsText(t.address64, t.limits)}${shared}${pageSize})`;
    }
    case 'global': {
      const type = canonicalValTypeText(t.type);
      return `(global ${t.mutable ? `(mut ${type})` : type})`;
    }
    case 'tag': {
      const ct = canonicalType(t.typeId).composite;
      const params = ct.kind === 'func' && ct.params.length > 0 ? ` (param ${ct.params.map(canonicalValTypeText).join(' ')})` : '';
      return `(tag${params})`;
    }
  }
}
