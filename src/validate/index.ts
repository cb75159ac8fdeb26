// The validator's entry point: validateModule checks a decoded module against the Wasm 3.0 rules
// (and the enabled proposals) and returns what the engines and the runtime need from it.
//
// What a ValidatedModule gives:
// - `module`: the ModuleInfo it validated; `features`: the features it was validated under.
// - `canonicalTypeIds[x]`: the canonical id of type index x in the process-wide registry. Equal ids
//   mean equivalent types (iso-recursive), across modules; compare function types of imports and
//   call_indirect targets by id, test casts with `isCanonicalSubtype(a, b)`, and read a type's
//   structure (with canonical ids inside) with `canonicalType(id)`.
// - `matchesValType(a, b)`: `a <: b` for value types written with this module's type indices;
//   `canonicalValType(t)` rewrites such a type with canonical ids (for cross-module checks).
// - `declaredFuncRefs`: the functions that `ref.func` may name in bodies (the spec's C.refs).
// Import matching for the linker lives in extern-match.ts (`matchesExternType`).

import type { WasmFeatures } from '../core/features.js';
import type { ValType } from '../core/types.js';
import type { ModuleInfo } from '../binary/module.js';
import { validateModuleInfo } from './module-validator.js';
import { canonicalizeValType } from './type-registry.js';

export {
  canonicalType, canonicalTypeCount, isCanonicalSubtype, isCanonicalValSubtype, isHeapSubtype,
  type CanonicalType,
} from './type-registry.js';
export { importExternType, matchesExternType, type ExternTypeOf } from './extern-match.js';

export interface ValidatedModule {
  readonly module: ModuleInfo;
  readonly features: WasmFeatures;
  /** Canonical type id of each type index. */
  readonly canonicalTypeIds: Int32Array;
  /** Functions (by index) that `ref.func` may name inside function bodies. */
  readonly declaredFuncRefs: ReadonlySet<number>;
  /** Which functions (by function index) make tail calls (return_call, _indirect, _ref). */
  readonly tailCallers: readonly boolean[];
  /** Which tables an instruction writes (table.set, grow, fill, init, or copy into it). */
  readonly writtenTables: readonly boolean[];
  /** Value subtyping with this module's type indices. */
  matchesValType(a: ValType, b: ValType): boolean;
  /** A value type of this module with canonical ids in place of type indices. */
  canonicalValType(t: ValType): ValType;
}

/** Validates a decoded module; throws CompileError (`malformed` for body-level encoding errors). */
export function validateModule(module: ModuleInfo, features: WasmFeatures): ValidatedModule {
  const { types, declaredFuncs, tailCallers, writtenTables } = validateModuleInfo(module, features);
  const refs = new Set<number>();
  declaredFuncs.forEach((d, i) => {
    if (d) refs.add(i);
  });
  return {
    module,
    features,
    canonicalTypeIds: types.canon,
    declaredFuncRefs: refs,
    tailCallers: Array.from(tailCallers, (x) => x === 1),
    writtenTables: Array.from(writtenTables, (x) => x === 1),
    matchesValType: (a, b) => types.matches(a, b),
    canonicalValType: (t) => canonicalizeValType(t, types.canon),
  };
}
