// Types in the embedding API: function types registered in the canonical type registry so host
// functions compare with wasm ones by id; reference types here use canonical ids for concrete heap types.

import { ABSTRACT_HEAP_TYPES, F32, F64, I32, I64, V128, heapOf, isRef, type FuncType, type GlobalType, type MemoryType, type SubType, type TableType, type ValType } from '../core/types.js';
import { canonicalTypeCount, registerRecGroup } from '../validate/type-registry.js';
import { canonicalValTypeText } from '../validate/canonical-text.js';

export type { FuncType, GlobalType, MemoryType, TableType, ValType } from '../core/types.js';
export {
  I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, EXNREF, NULLFUNCREF, NULLEXTERNREF, NULLEXNREF, refType,
  HT_FUNC, HT_EXTERN, HT_EXN, HT_NOFUNC, HT_NOEXTERN, HT_NOEXN,
  ANYREF, EQREF, I31REF, STRUCTREF, ARRAYREF, NULLREF, HT_ANY, HT_EQ, HT_I31, HT_STRUCT, HT_ARRAY, HT_NONE, heapOf,
} from '../core/types.js';

/**
 * A value type as WAT text: `i32`, `funcref`, `(ref null (func (param i32)))`. A concrete reference
 * type is written out as its structure (its heap type is a canonical id, which names nothing to a reader).
 */
export function valTypeName(t: ValType): string {
  return canonicalValTypeText(t);
}

/** A function type value: `funcType([I32, I64], [F64])`. */
export function funcType(params: readonly ValType[], results: readonly ValType[]): FuncType {
  return { kind: 'func', params: valTypes(params, 'funcType params'), results: valTypes(results, 'funcType results') };
}

/** Whether `t` is a value type of this API (I32 ... V128, or a reference type from refType or the constants). */
export function isValType(t: unknown): t is ValType {
  if (typeof t !== 'number' || !Number.isInteger(t)) return false;
  if (t === I32 || t === I64 || t === F32 || t === F64 || t === V128) return true;
  if (t < 0 || !isRef(t) || t >= 1 << 24) return false;
  const heap = heapOf(t);
  // A concrete heap type is a canonical id this process has registered.
  return heap >= 0 ? heap < canonicalTypeCount() : ABSTRACT_HEAP_TYPES.has(heap);
}

/** A copy of a list of value types given to the API; anything else is a TypeError naming `where`. */
export function valTypes(list: readonly ValType[], where: string): ValType[] {
  if (!Array.isArray(list)) throw new TypeError(`${where}: expected an array of value types (I32, I64, F32, F64, V128 or a reference type)`);
  list.forEach((t, i) => {
    if (!isValType(t)) throw new TypeError(`${where}: entry ${i} is not a value type (I32, I64, F32, F64, V128 or a reference type), got ${JSON.stringify(t) ?? String(t)}`);
  });
  return [...list];
}

/** The canonical id of a function type whose concrete heap types are canonical ids. */
export function registerFuncType(type: FuncType): number {
  if (typeof type !== 'object' || type === null || type.kind !== 'func') throw new TypeError('expected a function type (funcType(params, results))');
  valTypes(type.params, 'function type params');
  valTypes(type.results, 'function type results');
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

/** Limits given to the API: `{ min, max }` with a non-negative integer min and max (or null). */
function checkLimits(limits: unknown, where: string): void {
  const l = limits as { min?: unknown; max?: unknown } | null;
  const count = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  if (typeof l !== 'object' || l === null || !count(l.min) || !(l.max === null || count(l.max))) {
    throw new TypeError(`${where}: limits must be { min, max } with non-negative integers (max may be null)`);
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** Throws a TypeError unless `t` has the shape of a MemoryType. */
export function checkMemoryType(t: unknown): asserts t is MemoryType {
  const where = 'memory type';
  if (!isObject(t)) throw new TypeError(`${where}: expected { limits, address64, shared, pageSizeLog2 }`);
  checkLimits(t.limits, where);
  if (typeof t.address64 !== 'boolean' || typeof t.shared !== 'boolean' || typeof t.pageSizeLog2 !== 'number') {
    throw new TypeError(`${where}: address64 and shared must be booleans and pageSizeLog2 a number (16, or 0 for custom page sizes)`);
  }
}

/** Throws a TypeError unless `t` has the shape of a TableType. */
export function checkTableType(t: unknown): asserts t is TableType {
  const where = 'table type';
  if (!isObject(t)) throw new TypeError(`${where}: expected { element, limits, address64 }`);
  if (!isValType(t.element) || !isRef(t.element)) throw new TypeError(`${where}: element must be a reference type`);
  checkLimits(t.limits, where);
  if (typeof t.address64 !== 'boolean') throw new TypeError(`${where}: address64 must be a boolean`);
}

/** Throws a TypeError unless `t` has the shape of a GlobalType. */
export function checkGlobalType(t: unknown): asserts t is GlobalType {
  if (!isObject(t) || !isValType(t.type) || typeof t.mutable !== 'boolean') {
    throw new TypeError('global type: expected { type, mutable } with a value type and a boolean');
  }
}
