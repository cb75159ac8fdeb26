// Import matching: the external type of a provided runtime object (current sizes for limits,
// canonical types) checked against an import with the validator's matchesExternType.

import type { ModuleInfo } from '../binary/module.js';
import { LinkError } from '../core/errors.js';
import { externTypeText } from '../validate/canonical-text.js';
import { importExternType, matchesExternType, type ExternTypeOf } from '../validate/extern-match.js';
import { WasmFunc } from './func.js';
import { GlobalObject } from './global.js';
import { MemoryObject } from './memory.js';
import { SharedMemoryObject } from './shared-memory.js';
import { TableObject } from './table.js';
import { TagObject } from './tag.js';

export type RuntimeExtern = WasmFunc | TableObject | MemoryObject | GlobalObject | TagObject;

export function externKind(x: RuntimeExtern): 'func' | 'table' | 'memory' | 'global' | 'tag' {
  return x instanceof WasmFunc ? 'func' : x instanceof TableObject ? 'table' : x instanceof MemoryObject ? 'memory'
    : x instanceof TagObject ? 'tag' : 'global';
}

/** The external type of a runtime object now (its limits' minimum is its current size). */
export function externTypeOf(x: RuntimeExtern): ExternTypeOf {
  if (x instanceof WasmFunc) return { kind: 'func', typeId: x.type, exact: true };
  if (x instanceof TableObject) {
    return { kind: 'table', element: x.type.element, limits: { min: x.length, max: x.type.limits.max }, address64: x.type.address64 };
  }
  if (x instanceof MemoryObject) {
    // Instantiation reads a shared memory's size atomically (another agent may have grown it).
    if (x instanceof SharedMemoryObject) x.size();
    return {
      kind: 'memory', limits: { min: x.pages, max: x.type.limits.max }, address64: x.type.address64,
      shared: x.type.shared, pageSizeLog2: x.type.pageSizeLog2,
    };
  }
  if (x instanceof TagObject) return { kind: 'tag', typeId: x.typeId };
  return { kind: 'global', type: x.type.type, mutable: x.type.mutable };
}

/** Throws LinkError("incompatible import type ...") unless `x` matches import `i`. */
export function checkImport(module: ModuleInfo, canon: Int32Array, i: number, x: RuntimeExtern): void {
  const want = importExternType(module, canon, i);
  if (!matchesExternType(externTypeOf(x), want)) {
    const imp = module.imports[i]!;
    throw new LinkError(incompatibleImport(imp.module, imp.name, want, externTypeOf(x)));
  }
}

/** The LinkError message for an import given something that does not match: both types written out. */
export function incompatibleImport(module: string, name: string, expected: ExternTypeOf, found: ExternTypeOf): string {
  // A provided function is always exact; saying so would read as the reason it does not match.
  const given = found.kind === 'func' ? { ...found, exact: false } : found;
  return `incompatible import type for "${module}" "${name}": expected ${externTypeText(expected)}, found ${externTypeText(given)}`;
}
