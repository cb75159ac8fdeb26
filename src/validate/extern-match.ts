// Import matching for the linker: does the external type of a provided value match what an import
// asks for? Types here are canonical (heap type indices are canonical ids), so modules can differ.

import type { Limits, ValType } from '../core/types.js';
import type { ModuleInfo } from '../binary/module.js';
import { isCanonicalSubtype, isCanonicalValSubtype, canonicalizeValType } from './type-registry.js';

/** An external type with canonical type ids. */
export type ExternTypeOf =
  /** `exact`: only this very type matches (custom descriptors); a provided function is always exact. */
  | { readonly kind: 'func'; readonly typeId: number; readonly exact: boolean }
  | { readonly kind: 'table'; readonly element: ValType; readonly limits: Limits; readonly address64: boolean }
  | {
      readonly kind: 'memory'; readonly limits: Limits; readonly address64: boolean;
      readonly shared: boolean; readonly pageSizeLog2: number;
    }
  | { readonly kind: 'global'; readonly type: ValType; readonly mutable: boolean }
  | { readonly kind: 'tag'; readonly typeId: number };

function limitsMatch(a: Limits, b: Limits): boolean {
  if (a.min < b.min) return false;
  if (b.max === null) return true;
  return a.max !== null && a.max <= b.max;
}

/** Whether `actual` (what is provided) matches `expected` (what the import declares). */
export function matchesExternType(actual: ExternTypeOf, expected: ExternTypeOf): boolean {
  switch (expected.kind) {
    case 'func':
      if (actual.kind !== 'func') return false;
      return expected.exact ? actual.typeId === expected.typeId : isCanonicalSubtype(actual.typeId, expected.typeId);
    case 'table':
      return actual.kind === 'table' && actual.address64 === expected.address64
        && limitsMatch(actual.limits, expected.limits)
        && isCanonicalValSubtype(actual.element, expected.element)
        && isCanonicalValSubtype(expected.element, actual.element);
    case 'memory':
      return actual.kind === 'memory' && actual.address64 === expected.address64
        && actual.shared === expected.shared && actual.pageSizeLog2 === expected.pageSizeLog2
        && limitsMatch(actual.limits, expected.limits);
    case 'global':
      if (actual.kind !== 'global' || actual.mutable !== expected.mutable) return false;
      if (!isCanonicalValSubtype(actual.type, expected.type)) return false;
      return !expected.mutable || isCanonicalValSubtype(expected.type, actual.type);
    case 'tag':
      return actual.kind === 'tag' && actual.typeId === expected.typeId;
  }
}

/** The canonical external type of import `i` of a module whose types have ids `canon`. */
export function importExternType(module: ModuleInfo, canon: Int32Array, i: number): ExternTypeOf {
  const d = module.imports[i]!.desc;
  switch (d.kind) {
    case 'func': return { kind: 'func', typeId: canon[d.typeIndex]!, exact: d.exact };
    case 'table': return {
      kind: 'table', element: canonicalizeValType(d.type.element, canon), limits: d.type.limits, address64: d.type.address64,
    };
    case 'memory': return { kind: 'memory', ...d.type };
    case 'global': return { kind: 'global', type: canonicalizeValType(d.type.type, canon), mutable: d.type.mutable };
    case 'tag': return { kind: 'tag', typeId: canon[d.type.typeIndex]! };
  }
}
