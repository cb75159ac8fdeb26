// The process-wide registry of canonical types: iso-recursive canonicalisation of rec groups, so
// that equal types from any module share one integer id, and subtyping over those ids.

import {
  HT_ANY, HT_ARRAY, HT_BOT, HT_EQ, HT_EXN, HT_EXTERN, HT_FUNC, HT_I31, HT_NOEXN, HT_NOEXTERN, HT_NOFUNC,
  HT_NONE, HT_STRUCT, heapOf, isExact, isNullable, isRef, refType,
  type CompositeType, type FieldType, type HeapType, type StorageType, type SubType, type ValType,
} from '../core/types.js';

export { HT_BOT } from '../core/types.js';

/**
 * A canonical type: a SubType whose type references (supertypes, descriptor clauses and the heap
 * types inside its composite type) are canonical ids instead of module-local indices.
 */
export interface CanonicalType extends SubType {
  readonly id: number;
  /** Canonical id of the declared supertype, or -1. */
  readonly supertype: number;
  /** Length of the supertype chain above this type. */
  readonly depth: number;
  /** Id of the first type of its rec group and the group's size (for printing and debugging). */
  readonly groupStart: number;
  readonly groupSize: number;
}

const types: CanonicalType[] = [];
const groupsByKey = new Map<string, number>();

/** The structure of a canonical type. */
export function canonicalType(id: number): CanonicalType {
  const t = types[id];
  if (t === undefined) throw new RangeError(`unknown canonical type ${id}`);
  return t;
}

/** Number of canonical types registered so far. */
export function canonicalTypeCount(): number {
  return types.length;
}

/** Whether canonical type `a` is `b` or declares it (transitively) as a supertype. */
export function isCanonicalSubtype(a: number, b: number): boolean {
  if (a === b) return true;
  const tb = types[b]!;
  let ta = types[a]!;
  let steps = ta.depth - tb.depth;
  if (steps <= 0) return false;
  while (steps-- > 0) ta = types[ta.supertype]!;
  return ta.id === b;
}

/** The abstract kind of a canonical type's heap (func, struct or array). */
export function canonicalKind(id: number): 'func' | 'struct' | 'array' {
  return types[id]!.composite.kind;
}

/** Top of a heap type's hierarchy: any, func, extern or exn (canonical ids for defined types). */
export function topOfHeap(h: HeapType): HeapType {
  if (h >= 0) return types[h]!.composite.kind === 'func' ? HT_FUNC : HT_ANY;
  switch (h) {
    case HT_FUNC: case HT_NOFUNC: return HT_FUNC;
    case HT_EXTERN: case HT_NOEXTERN: return HT_EXTERN;
    case HT_EXN: case HT_NOEXN: return HT_EXN;
    case HT_BOT: return HT_BOT;
  }
  return HT_ANY;
}

/** Bottom of a heap type's hierarchy: none, nofunc, noextern or noexn. */
export function bottomOfHeap(h: HeapType): HeapType {
  switch (topOfHeap(h)) {
    case HT_FUNC: return HT_NOFUNC;
    case HT_EXTERN: return HT_NOEXTERN;
    case HT_EXN: return HT_NOEXN;
    case HT_BOT: return HT_BOT;
  }
  return HT_NONE;
}

/** Heap subtyping where defined heap types are canonical ids; `exactA`/`exactB` mark exact types. */
export function isHeapSubtype(a: HeapType, exactA: boolean, b: HeapType, exactB: boolean): boolean {
  if (a === HT_BOT) return true;
  if (b >= 0) {
    if (a >= 0) return exactB ? a === b && exactA : isCanonicalSubtype(a, b);
    if (a === HT_NONE) return types[b]!.composite.kind !== 'func';
    return a === HT_NOFUNC && types[b]!.composite.kind === 'func';
  }
  if (a >= 0) {
    const kind = types[a]!.composite.kind;
    switch (b) {
      case HT_ANY: case HT_EQ: return kind !== 'func';
      case HT_STRUCT: return kind === 'struct';
      case HT_ARRAY: return kind === 'array';
      case HT_FUNC: return kind === 'func';
    }
    return false;
  }
  if (a === b) return true;
  switch (b) {
    case HT_ANY: return a === HT_EQ || a === HT_I31 || a === HT_STRUCT || a === HT_ARRAY || a === HT_NONE;
    case HT_EQ: return a === HT_I31 || a === HT_STRUCT || a === HT_ARRAY || a === HT_NONE;
    case HT_I31: case HT_STRUCT: case HT_ARRAY: return a === HT_NONE;
    case HT_FUNC: return a === HT_NOFUNC;
    case HT_EXTERN: return a === HT_NOEXTERN;
    case HT_EXN: return a === HT_NOEXN;
  }
  return false;
}

/** Value subtyping over canonical value types (heap types are canonical ids). 0 is the bottom type. */
export function isCanonicalValSubtype(a: ValType, b: ValType): boolean {
  if (a === b || a === 0) return true;
  if (!isRef(a) || !isRef(b)) return false;
  if (isNullable(a) && !isNullable(b)) return false;
  return isHeapSubtype(heapOf(a), isExact(a), heapOf(b), isExact(b));
}

/** Maps the module-local heap type of a value or storage type through `canon` (type index -> id). */
export function canonicalizeValType(t: StorageType, canon: ArrayLike<number>): StorageType {
  if (!isRef(t)) return t;
  const h = heapOf(t);
  return h < 0 ? t : refType(canon[h]!, isNullable(t), isExact(t));
}

// Canonicalisation of one rec group.

/** The key of a rec group: its structure with internal references relative, external ones canonical. */
function groupKey(module: readonly SubType[], start: number, size: number, canon: ArrayLike<number>): string {
  const ref = (x: number): string => (x >= start && x < start + size ? `r${x - start}` : `c${canon[x]}`);
  const val = (t: StorageType): string => {
    if (!isRef(t)) return String(t);
    const h = heapOf(t);
    const flags = (isNullable(t) ? 'n' : '') + (isExact(t) ? 'x' : '');
    return h < 0 ? `${flags}${h}` : `${flags}${ref(h)}`;
  };
  const field = (f: FieldType): string => `${f.mutable ? 'm' : ''}${val(f.type)}`;
  const parts: string[] = [];
  for (let i = start; i < start + size; i++) {
    const t = module[i]!;
    const c = t.composite;
    let body: string;
    if (c.kind === 'func') body = `F${c.params.map(val).join(',')}>${c.results.map(val).join(',')}`;
    else if (c.kind === 'struct') body = `S${c.fields.map(field).join(',')}`;
    else body = `A${field(c.element)}`;
    const desc = (t.describes !== undefined ? `<${ref(t.describes)}` : '') + (t.descriptor !== undefined ? `>${ref(t.descriptor)}` : '');
    parts.push(`${t.final ? 'f' : 'o'}${t.supertypes.map(ref).join(',')}${desc}${t.shared ? 's' : ''}:${body}`);
  }
  return parts.join(';');
}

function canonicalComposite(c: CompositeType, canon: ArrayLike<number>): CompositeType {
  const val = (t: ValType) => canonicalizeValType(t, canon);
  const field = (f: FieldType): FieldType => ({ type: val(f.type), mutable: f.mutable });
  if (c.kind === 'func') return { kind: 'func', params: c.params.map(val), results: c.results.map(val) };
  if (c.kind === 'struct') return { kind: 'struct', fields: c.fields.map(field) };
  return { kind: 'array', element: field(c.element) };
}

/**
 * Registers the rec group [start, start + size) of `module`, whose earlier types already have ids
 * in `canon`, and writes the ids of its types into `canon`. Returns true when the group was known
 * already (and so was validated before); false when it was added now. `check` runs after a new
 * group's ids are assigned and may throw: the group is then removed again.
 */
export function registerRecGroup(
  module: readonly SubType[], start: number, size: number, canon: Int32Array, check: () => void,
): boolean {
  const key = groupKey(module, start, size, canon);
  const known = groupsByKey.get(key);
  if (known !== undefined) {
    for (let i = 0; i < size; i++) canon[start + i] = known + i;
    return true;
  }
  const first = types.length;
  for (let i = 0; i < size; i++) canon[start + i] = first + i;
  for (let i = 0; i < size; i++) {
    const t = module[start + i]!;
    const sup = t.supertypes.length > 0 ? canon[t.supertypes[0]!]! : -1;
    const entry: CanonicalType = {
      id: first + i,
      final: t.final,
      supertypes: t.supertypes.map((x) => canon[x]!),
      supertype: sup,
      depth: 0,
      composite: canonicalComposite(t.composite, canon),
      groupStart: first,
      groupSize: size,
      ...(t.describes !== undefined ? { describes: canon[t.describes]! } : {}),
      ...(t.descriptor !== undefined ? { descriptor: canon[t.descriptor]! } : {}),
      ...(t.shared ? { shared: true } : {}),
    };
    types.push(entry);
  }
  try {
    // Depths need valid supertypes (earlier types), so they are set before the check runs.
    for (let i = 0; i < size; i++) {
      const t = types[first + i]! as { depth: number; supertype: number };
      t.depth = t.supertype >= 0 && t.supertype < first + i ? types[t.supertype]!.depth + 1 : 0;
    }
    check();
  } catch (e) {
    types.length = first;
    throw e;
  }
  groupsByKey.set(key, first);
  return false;
}
