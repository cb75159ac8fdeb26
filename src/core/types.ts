// Value, heap, storage and composite types of Wasm 3.0, shared by every layer.
// A value type is one small integer so that type stacks can live in typed arrays.

/** A value type: a number type, v128, or a reference type packed into one integer (see `refType`). */
export type ValType = number;
/** A storage type: a value type or a packed type (i8, i16), used only for struct and array fields. */
export type StorageType = number;
/**
 * A heap type: a non-negative module-local type index, or a negative abstract heap type whose
 * value is the binary encoding read as a signed LEB128 (0x70 func -> -0x10, ...).
 */
export type HeapType = number;

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const I8 = 0x78;
export const I16 = 0x77;

// Abstract heap types, valued as their binary encodings read as s33.
export const HT_NOEXN = 0x74 - 0x80; // -0x0c
export const HT_NOFUNC = 0x73 - 0x80;
export const HT_NOEXTERN = 0x72 - 0x80;
export const HT_NONE = 0x71 - 0x80;
export const HT_FUNC = 0x70 - 0x80;
export const HT_EXTERN = 0x6f - 0x80;
export const HT_ANY = 0x6e - 0x80;
export const HT_EQ = 0x6d - 0x80;
export const HT_I31 = 0x6c - 0x80;
export const HT_STRUCT = 0x6b - 0x80;
export const HT_ARRAY = 0x6a - 0x80;
export const HT_EXN = 0x69 - 0x80;

/** Every abstract heap type with its text name. */
export const ABSTRACT_HEAP_TYPES: ReadonlyMap<HeapType, string> = new Map([
  [HT_NOEXN, 'noexn'], [HT_NOFUNC, 'nofunc'], [HT_NOEXTERN, 'noextern'], [HT_NONE, 'none'],
  [HT_FUNC, 'func'], [HT_EXTERN, 'extern'], [HT_ANY, 'any'], [HT_EQ, 'eq'], [HT_I31, 'i31'],
  [HT_STRUCT, 'struct'], [HT_ARRAY, 'array'], [HT_EXN, 'exn'],
]);

export function isAbstractHeapType(ht: HeapType): boolean {
  return ht < 0;
}

// Reference type layout: bit 23 marks a reference, bit 22 nullable, bit 21 exact (custom
// descriptors), bits 0..20 hold the heap type offset by HEAP_BIAS so abstract types stay positive.
const REF_BIT = 1 << 23;
const NULLABLE_BIT = 1 << 22;
const EXACT_BIT = 1 << 21;
const HEAP_MASK = (1 << 21) - 1;
const HEAP_BIAS = 0x20;
/** Largest module-local type index a reference type can name (the binary format allows 1,000,000 types). */
export const MAX_TYPE_INDEX = HEAP_MASK - HEAP_BIAS;

export function refType(heap: HeapType, nullable: boolean, exact = false): ValType {
  return REF_BIT | (nullable ? NULLABLE_BIT : 0) | (exact ? EXACT_BIT : 0) | (heap + HEAP_BIAS);
}
export function isRef(t: ValType): boolean {
  return (t & REF_BIT) !== 0;
}
export function isNullable(t: ValType): boolean {
  return (t & NULLABLE_BIT) !== 0;
}
export function isExact(t: ValType): boolean {
  return (t & EXACT_BIT) !== 0;
}
export function heapOf(t: ValType): HeapType {
  return (t & HEAP_MASK) - HEAP_BIAS;
}
export function withNullable(t: ValType, nullable: boolean): ValType {
  return nullable ? t | NULLABLE_BIT : t & ~NULLABLE_BIT;
}

export const FUNCREF = refType(HT_FUNC, true);
export const EXTERNREF = refType(HT_EXTERN, true);
export const ANYREF = refType(HT_ANY, true);
export const EQREF = refType(HT_EQ, true);
export const I31REF = refType(HT_I31, true);
export const STRUCTREF = refType(HT_STRUCT, true);
export const ARRAYREF = refType(HT_ARRAY, true);
export const EXNREF = refType(HT_EXN, true);
export const NULLREF = refType(HT_NONE, true);
export const NULLFUNCREF = refType(HT_NOFUNC, true);
export const NULLEXTERNREF = refType(HT_NOEXTERN, true);
export const NULLEXNREF = refType(HT_NOEXN, true);

export function isNumType(t: ValType): boolean {
  return t === I32 || t === I64 || t === F32 || t === F64;
}
export function isPacked(t: StorageType): boolean {
  return t === I8 || t === I16;
}
/** The value type a storage type unpacks to. */
export function unpacked(t: StorageType): ValType {
  return isPacked(t) ? I32 : t;
}
/** Whether a local or field of this type has a default value (every non-null reference lacks one). */
export function isDefaultable(t: ValType): boolean {
  return !isRef(t) || isNullable(t);
}

export interface FuncType {
  readonly kind: 'func';
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}
export interface FieldType {
  readonly type: StorageType;
  readonly mutable: boolean;
}
export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly FieldType[];
}
export interface ArrayType {
  readonly kind: 'array';
  readonly element: FieldType;
}
export type CompositeType = FuncType | StructType | ArrayType;

/** One entry of the type section: a composite type with its subtyping (and descriptor) clauses. */
export interface SubType {
  readonly final: boolean;
  /** Declared supertypes as module-local type indices (at most one is valid). */
  readonly supertypes: readonly number[];
  readonly composite: CompositeType;
  /** custom-descriptors: the type this one describes / is described by, as type indices. */
  readonly describes?: number;
  readonly descriptor?: number;
  /** shared-everything-threads: a `shared` composite type. */
  readonly shared?: boolean;
}

/** Limits of a memory or table. Values above 2^53 lose precision; they are invalid wherever that matters. */
export interface Limits {
  readonly min: number;
  readonly max: number | null;
}
export interface MemoryType {
  readonly limits: Limits;
  readonly address64: boolean;
  readonly shared: boolean;
  /** log2 of the page size: 16 by default; custom-page-sizes allows 0. */
  readonly pageSizeLog2: number;
}
export interface TableType {
  readonly element: ValType;
  readonly limits: Limits;
  readonly address64: boolean;
}
export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}
export interface TagType {
  /** Index of a function type with empty results. */
  readonly typeIndex: number;
}

export function addressType(t: { readonly address64: boolean }): ValType {
  return t.address64 ? I64 : I32;
}

/** Text name of a value or storage type in a module without symbolic names, e.g. "i32", "(ref null 3)". */
export function valTypeName(t: StorageType): string {
  switch (t) {
    case I32: return 'i32';
    case I64: return 'i64';
    case F32: return 'f32';
    case F64: return 'f64';
    case V128: return 'v128';
    case I8: return 'i8';
    case I16: return 'i16';
  }
  if (!isRef(t)) return `<invalid type 0x${t.toString(16)}>`;
  const ht = heapOf(t);
  const heap = heapTypeName(ht);
  const exact = isExact(t) ? `(exact ${heap})` : heap;
  if (isNullable(t) && ht < 0 && !isExact(t)) return `${SHORTHAND_PREFIX.get(ht) ?? heap}ref`;
  return isNullable(t) ? `(ref null ${exact})` : `(ref ${exact})`;
}
const SHORTHAND_PREFIX: ReadonlyMap<HeapType, string> = new Map([
  [HT_NONE, 'null'], [HT_NOFUNC, 'nullfunc'], [HT_NOEXTERN, 'nullextern'], [HT_NOEXN, 'nullexn'],
]);
export function heapTypeName(ht: HeapType): string {
  return ht < 0 ? (ABSTRACT_HEAP_TYPES.get(ht) ?? `<heap ${ht}>`) : String(ht);
}
