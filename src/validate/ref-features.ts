// Which feature each reference type needs, for engines configured with some features off (Wasm 3.0,
// the default, has them all): funcref and externref come with reference types, exnref with
// exception handling, typed and non-nullable references with function references, the other
// abstract heap types (any, eq, i31, struct, array and the bottoms) with GC.

import type { WasmFeatures } from '../core/features.js';
import { HT_EXN, HT_EXTERN, HT_FUNC, HT_NOEXN, heapOf, isNullable, type ValType } from '../core/types.js';

/** Why reference type `t` cannot be used with `features`, or null when it can. */
export function refTypeFeatureProblem(t: ValType, features: WasmFeatures): string | null {
  // Wasm 3.0, the default: every reference type is allowed (validation checks this per local).
  if (features.gc && features.reference_types && features.exceptions) return null;
  const typed = features.function_references || features.gc;
  const h = heapOf(t);
  if (h >= 0) return typed ? null : 'a typed reference needs the function_references feature';
  if (!isNullable(t) && !typed) return 'a non-nullable reference needs the function_references feature';
  switch (h) {
    case HT_FUNC: case HT_EXTERN: return features.reference_types ? null : 'funcref and externref need the reference_types feature';
    case HT_EXN: case HT_NOEXN: return features.exceptions ? null : 'exnref needs the exceptions feature';
    default: return features.gc ? null : 'this reference type needs the gc feature';
  }
}
