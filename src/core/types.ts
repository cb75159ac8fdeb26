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

/** The 32-bit integer value type. */
export const I32 = 0x7f;
/** The 64-bit integer value type (a bigint at the API). */
export const I64 = 0x7e;
/** The 32-bit float value type. */
export const F32 = 0x7d;
/** The 64-bit float value type. */
export const F64 = 0x7c;
/** The 128-bit vector value type (SIMD). */
export const V128 = 0x7b;
/** The packed 8-bit storage type (struct and array fields only). */
export const I8 = 0x78;
/** The packed 16-bit storage type (struct and array fields only). */
export const I16 = 0x77;

// Abstract heap types, valued as their binary encodings read as s33.
/** The abstract heap type noexn: the bottom of the exception references. */
export const HT_NOEXN = 0x74 - 0x80; // -0x0c
/** The abstract heap type nofunc: the bottom of the function references. */
export const HT_NOFUNC = 0x73 - 0x80;
/** The abstract heap type noextern: the bottom of the external references. */
export const HT_NOEXTERN = 0x72 - 0x80;
/** The abstract heap type none: the bottom of the internal (any) references. */
export const HT_NONE = 0x71 - 0x80;
/** The abstract heap type func: every function. */
export const HT_FUNC = 0x70 - 0x80;
/** The abstract heap type extern: every host reference. */
export const HT_EXTERN = 0x6f - 0x80;
/** The abstract heap type any: every internal reference (GC objects, i31). */
export const HT_ANY = 0x6e - 0x80;
/** The abstract heap type eq: the references ref.eq can compare. */
export const HT_EQ = 0x6d - 0x80;
/** The abstract heap type i31: unboxed 31-bit integers. */
export const HT_I31 = 0x6c - 0x80;
/** The abstract heap type struct: every struct. */
export const HT_STRUCT = 0x6b - 0x80;
/** The abstract heap type array: every array. */
export const HT_ARRAY = 0x6a - 0x80;
/** The abstract heap type exn: every exception. */
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

/** The reference type to `heap` (an abstract heap type or a type index), nullable or not, exact or not. */
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
/** The heap type a reference type points to. */
export function heapOf(t: ValType): HeapType {
  return (t & HEAP_MASK) - HEAP_BIAS;
}
export function withNullable(t: ValType, nullable: boolean): ValType {
  return nullable ? t | NULLABLE_BIT : t & ~NULLABLE_BIT;
}

/** The reference type funcref (ref null func). */
export const FUNCREF = refType(HT_FUNC, true);
/** The reference type externref (ref null extern). */
export const EXTERNREF = refType(HT_EXTERN, true);
/** The reference type anyref (ref null any). */
export const ANYREF = refType(HT_ANY, true);
/** The reference type eqref (ref null eq). */
export const EQREF = refType(HT_EQ, true);
/** The reference type i31ref (ref null i31). */
export const I31REF = refType(HT_I31, true);
/** The reference type structref (ref null struct). */
export const STRUCTREF = refType(HT_STRUCT, true);
/** The reference type arrayref (ref null array). */
export const ARRAYREF = refType(HT_ARRAY, true);
/** The reference type exnref (ref null exn). */
export const EXNREF = refType(HT_EXN, true);
/** The reference type nullref (ref null none). */
export const NULLREF = refType(HT_NONE, true);
/** The reference type nullfuncref (ref null nofunc). */
export const NULLFUNCREF = refType(HT_NOFUNC, true);
/** The reference type nullexternref (ref null noextern). */
export const NULLEXTERNREF = refType(HT_NOEXTERN, true);
/** The reference type nullexnref (ref null noexn). */
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

/** A function type: its parameter and result types. */
export interface FuncType {
  /** Tells a function type from a struct or array type. */
  readonly kind: 'func';
  /** The parameter types, in order. */
  readonly params: readonly ValType[];
  /** The result types, in order. */
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
/** A memory's type. */
export interface MemoryType {
  /** Its minimum and maximum size, in pages. */
  readonly limits: Limits;
  /** Whether it is addressed with i64 (memory64). */
  readonly address64: boolean;
  /** Whether it is shared between threads (the threads proposal). */
  readonly shared: boolean;
  /** log2 of the page size: 16 by default; custom-page-sizes allows 0. */
  readonly pageSizeLog2: number;
}
/** A table's type. */
export interface TableType {
  /** The reference type of its elements. */
  readonly element: ValType;
  /** Its minimum and maximum size, in elements. */
  readonly limits: Limits;
  /** Whether it is indexed with i64 (memory64's table64). */
  readonly address64: boolean;
}
/** A global's type. */
export interface GlobalType {
  /** The type of its value. */
  readonly type: ValType;
  /** Whether global.set and the API may change it. */
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
/**
 * The heap type of a value popped from a polymorphic (unreachable) stack: a subtype of every heap
 * type (the spec's validation algorithm calls it Bot). It never appears in a module, only inside the
 * validator and its messages.
 */
export const HT_BOT: HeapType = -0x1f;

export function heapTypeName(ht: HeapType): string {
  if (ht === HT_BOT) return 'bot';
  return ht < 0 ? (ABSTRACT_HEAP_TYPES.get(ht) ?? `<heap ${ht}>`) : String(ht);
}
