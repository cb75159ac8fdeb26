// Types in the embedding API: function types registered in the canonical type registry so host
// functions compare with wasm ones by id; reference types here use canonical ids for concrete heap types.

import { heapOf, isRef, type FuncType, type SubType, type ValType } from '../core/types.js';
import { registerRecGroup } from '../validate/type-registry.js';

export type { FuncType, GlobalType, MemoryType, TableType, ValType } from '../core/types.js';
export {
  I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, EXNREF, NULLFUNCREF, NULLEXTERNREF, NULLEXNREF, refType, valTypeName,
  HT_FUNC, HT_EXTERN, HT_EXN, HT_NOFUNC, HT_NOEXTERN, HT_NOEXN,
  ANYREF, EQREF, I31REF, STRUCTREF, ARRAYREF, NULLREF, HT_ANY, HT_EQ, HT_I31, HT_STRUCT, HT_ARRAY, HT_NONE, heapOf,
} from '../core/types.js';

/** A function type value: `funcType([I32, I64], [F64])`. */
export function funcType(params: readonly ValType[], results: readonly ValType[]): FuncType {
  return { kind: 'func', params: [...params], results: [...results] };
}

/** The canonical id of a function type whose concrete heap types are canonical ids. */
export function registerFuncType(type: FuncType): number {
  let n = 0;
  for (const t of [...type.params, ...type.results]) if (isRef(t) && heapOf(t) >= 0) n = Math.max(n, heapOf(t) + 1);
  // Types 0..n-1 stand for canonical ids 0..n-1; the new type sits at index n, final and alone in its group.
  const module: SubType[] = new Array(n + 1);
  module[n] = { final: true, supertypes: [], composite: type };
  const canon = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) canon[i] = i;
  registerRecGroup(module, n, 1, canon, () => {});
  return canon[n]!;
}
