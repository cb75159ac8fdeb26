// AnyRef, StructRef, ArrayRef and I31: references of the any hierarchy as the embedder sees them
// (Wasmtime's types of those names), with reads and writes of struct fields and array elements.

import { HT_ANY, HT_I31, I16, I64, I8, isRef, unpacked, type HeapType, type StorageType, type ValType } from '../core/types.js';
import { arrayAlloc } from '../runtime/gc-arrays.js';
import { isGcObject, isI31, isStruct, refMatches } from '../runtime/gc-casts.js';
import { isInstance } from '../runtime/host-values.js';
import { ElemKind, GcArray, GcStruct, fieldNames, rttOf, type Rtt } from '../runtime/gc-types.js';
import { componentArray } from '../runtime/lowering.js';
import { canonicalType } from '../validate/type-registry.js';
import { ExternRef, adoptRef } from './externref.js';
import { checkStore, storeOf, type AsContext, type Store } from './store.js';
import { expectKind } from './handles.js';
import { isValType } from './types.js';
import { liftVal, lowerVal, refFamily, type Val } from './val.js';

/** A 31-bit integer as an i31ref holds it (Wasmtime's I31). */
export class I31 {
  private constructor(private readonly value: number) {}
  /** The low 31 bits of the integer `n` (as ref.i31 takes them); anything but an integer is a TypeError. */
  static wrappingI32(n: number): I31 {
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`I31.wrappingI32: expected an integer, got ${typeof n === 'number' ? n : typeof n}`);
    return new I31((n << 1) >> 1);
  }
  /** The low 31 bits of the integer `n` read as unsigned (the same i31 as wrappingI32's). */
  static wrappingU32(n: number): I31 {
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`I31.wrappingU32: expected an integer, got ${typeof n === 'number' ? n : typeof n}`);
    return I31.wrappingI32(n);
  }
  /** `n` if it fits in 31 signed bits, else null. */
  static newI32(n: number): I31 | null {
    return Number.isInteger(n) && n >= -0x40000000 && n < 0x40000000 ? new I31(n | 0) : null;
  }
  /** `n` if it fits in 31 unsigned bits, else null. */
  static newU32(n: number): I31 | null {
    return Number.isInteger(n) && n >= 0 && n < 0x80000000 ? I31.wrappingI32(n) : null;
  }
  /** The value sign-extended (i31.get_s). */
  getI32(): number {
    return this.value;
  }
  /** The value zero-extended (i31.get_u). */
  getU32(): number {
    return this.value & 0x7fffffff;
  }
}

/** One handle per struct or array (so identity survives round trips), per store. */
const handles = new WeakMap<object, AnyRef>();

/**
 * A non-null reference of the any hierarchy in one store: an i31, a struct, an array, or a host
 * value made internal with `any.convert_extern` (Wasmtime's AnyRef). Structs and arrays are the
 * subclasses StructRef and ArrayRef.
 */
export class AnyRef {
  protected constructor(/** The store it belongs to (using it with another store throws). */ readonly store: Store<any>, /** @internal what wasm sees */ readonly raw: unknown) {}

  /** An i31ref (Wasmtime's AnyRef::from_i31). */
  static fromI31(cx: AsContext<any>, value: I31): AnyRef {
    if (!(value instanceof I31)) throw new TypeError('AnyRef.fromI31: expected an I31 (I31.wrappingI32(n))');
    return new AnyRef(storeOf(cx), value.getI32());
  }

  /** The anyref of an externref, as `any.convert_extern` makes it (Wasmtime's AnyRef::convert_extern). */
  static convertExtern(cx: AsContext<any>, ref: ExternRef): AnyRef {
    const store = checkStore(cx, ref);
    return AnyRef.of(store, ref.raw);
  }

  /** @internal The handle of an engine value (not null). */
  static of(store: Store<any>, raw: unknown): AnyRef {
    adoptRef(store, raw);
    if (!isGcObject(raw)) return new AnyRef(store, raw);
    let h = handles.get(raw);
    if (h === undefined) {
      h = isStruct(raw) ? new StructRef(store, raw) : new ArrayRef(store, raw as GcArray);
      handles.set(raw, h);
    }
    checkStore(store, h);
    return h;
  }

  /**
   * The AnyRef of a raw anyref (what `toRaw` or `Val.toRaw` gave), or null for null. Anything else
   * is a TypeError: a raw value is never trusted to be a reference of this kind.
   */
  static fromRaw(cx: AsContext<any>, raw: unknown): AnyRef | null {
    if (raw === null || raw === undefined) return null;
    if (!isInstance(raw, AnyRef)) throw new TypeError('not a raw anyref (AnyRef.toRaw or Val.toRaw makes one)');
    checkStore(cx, raw);
    return raw;
  }

  /** The untyped raw form (a ValRaw): the handle itself. */
  toRaw(cx: AsContext<any>): object {
    expectKind(this, AnyRef, 'toRaw');
    checkStore(cx, this);
    return this;
  }

  /** Whether two references are the same (ref.eq; i31s by value, host values by identity). */
  static refEq(cx: AsContext<any>, a: AnyRef | null, b: AnyRef | null): boolean {
    if (a !== null) checkStore(cx, a);
    if (b !== null) checkStore(cx, b);
    return (a === null ? null : a.raw) === (b === null ? null : b.raw);
  }

  /** Whether it is an i31. */
  isI31(cx: AsContext<any>): boolean {
    expectKind(this, AnyRef, 'isI31');
    checkStore(cx, this);
    return isI31(this.raw);
  }
  /** Its i31 value, or null when it is not an i31. */
  asI31(cx: AsContext<any>): I31 | null {
    expectKind(this, AnyRef, 'asI31');
    checkStore(cx, this);
    return this.isI31(cx) ? I31.wrappingI32(this.raw as number) : null;
  }
  /** Whether it is a struct. */
  isStruct(cx: AsContext<any>): boolean {
    expectKind(this, AnyRef, 'isStruct');
    checkStore(cx, this);
    return this instanceof StructRef;
  }
  /** It as a StructRef, or null when it is not a struct. */
  asStruct(cx: AsContext<any>): StructRef | null {
    expectKind(this, AnyRef, 'asStruct');
    checkStore(cx, this);
    return this.isStruct(cx) ? (this as unknown as StructRef) : null;
  }
  /** Whether it is an array. */
  isArray(cx: AsContext<any>): boolean {
    expectKind(this, AnyRef, 'isArray');
    checkStore(cx, this);
    return this instanceof ArrayRef;
  }
  /** It as an ArrayRef, or null when it is not an array. */
  asArray(cx: AsContext<any>): ArrayRef | null {
    expectKind(this, AnyRef, 'asArray');
    checkStore(cx, this);
    return this.isArray(cx) ? (this as unknown as ArrayRef) : null;
  }
  /** An i31, a struct or an array (not a host value). */
  isEqRef(cx: AsContext<any>): boolean {
    expectKind(this, AnyRef, 'isEqRef');
    checkStore(cx, this);
    return this.isI31(cx) || isGcObject(this.raw);
  }
  /** A host value (an externref made internal), as the ExternRef it came from. */
  asExtern(cx: AsContext<any>): ExternRef | null {
    expectKind(this, AnyRef, 'asExtern');
    checkStore(cx, this);
    return this.isEqRef(cx) ? null : ExternRef.of(checkStore(cx, this), this.raw);
  }

  /** The heap type: the canonical type id of a struct or array, else HT_I31 or HT_ANY (a host value). */
  ty(cx: AsContext<any>): HeapType {
    expectKind(this, AnyRef, 'ty');
    checkStore(cx, this);
    if (isGcObject(this.raw)) return this.raw.$t.id;
    return isI31(this.raw) ? HT_I31 : HT_ANY;
  }

  /** Whether the reference is a value of the (canonical) reference type `t`. */
  matchesTy(cx: AsContext<any>, t: ValType): boolean {
    expectKind(this, AnyRef, 'matchesTy');
    checkStore(cx, this);
    if (!isValType(t) || !isRef(t)) throw new TypeError('matchesTy: expected a reference type');
    // A type of another hierarchy (extern, exn, func) has no value of the any hierarchy.
    return refFamily(t) === 'any' && refMatches(this.raw, t);
  }
}

/** Reads the lowered components of a field or element into a Val of its unpacked type. */
function lift(store: Store<any>, t: StorageType, lo: unknown, hi: unknown): Val {
  const comps = componentArray();
  comps.push(lo);
  if (t === I64) comps.push(hi);
  return liftVal(store, unpacked(t), comps, 0)[0];
}

/** A Val as the components a field or element of storage type `t` stores (packed values masked). */
function lower(store: Store<any>, t: StorageType, v: Val, what: string): unknown[] {
  const out = componentArray();
  lowerVal(store, unpacked(t), v, out, what);
  if (t === I8) out[0] = (out[0] as number) & 255;
  if (t === I16) out[0] = (out[0] as number) & 65535;
  return out;
}

function structRtt(typeId: number): Rtt {
  if (!Number.isInteger(typeId) || typeId < 0 || canonicalType(typeId).composite.kind !== 'struct') {
    throw new TypeError(`${String(typeId)} is not the canonical id of a struct type`);
  }
  return rttOf(typeId);
}

/** A struct (Wasmtime's StructRef): its fields as Vals, packed fields zero-extended. */
export class StructRef extends AnyRef {
  /**
   * A new struct of canonical struct type `typeId` (e.g. `heapOf` of a parameter's type) with
   * `fields` in order; a type with a descriptor (custom descriptors) takes its descriptor too.
   */
  static new(cx: AsContext<any>, typeId: number, fields: readonly Val[], descriptor: StructRef | null = null): StructRef {
    const store = storeOf(cx);
    const rtt = structRtt(typeId);
    if (fields.length !== rtt.fields.length) throw new TypeError(`struct type ${typeId} has ${rtt.fields.length} fields, got ${fields.length}`);
    const args = componentArray();
    if (rtt.hasDesc) {
      if (descriptor === null) throw new TypeError(`struct type ${typeId} needs a descriptor`);
      checkStore(store, descriptor);
      if ((descriptor.raw as GcStruct).$t.id !== canonicalType(typeId).descriptor) throw new TypeError('the descriptor has the wrong type');
      args.push(descriptor.raw);
    } else if (descriptor !== null) {
      throw new TypeError(`struct type ${typeId} has no descriptor`);
    }
    rtt.fields.forEach((f, i) => args.push(...lower(store, f.type, fields[i]!, `field ${i}`)));
    return AnyRef.of(store, new rtt.cls!(...args)) as StructRef;
  }

  private get object(): Record<string, unknown> & GcStruct {
    return this.raw as Record<string, unknown> & GcStruct;
  }

  private fieldType(i: number): StorageType {
    const f = this.object.$t.fields[i];
    if (f === undefined || !Number.isInteger(i)) throw new RangeError(`field index ${String(i)} is out of bounds (${this.object.$t.fields.length} fields)`);
    return f.type;
  }

  /** Field `i`. */
  field(cx: AsContext<any>, i: number): Val {
    expectKind(this, StructRef, 'field');
    const store = checkStore(cx, this);
    const t = this.fieldType(i);
    const [lo, hi] = fieldNames(t, i);
    return lift(store, t, this.object[lo!], hi === undefined ? undefined : this.object[hi]);
  }

  /** Every field, in order. */
  fields(cx: AsContext<any>): Val[] {
    expectKind(this, StructRef, 'fields');
    return this.object.$t.fields.map((_, i) => this.field(cx, i));
  }

  /** Sets mutable field `i` (TypeError for an immutable field or a value of the wrong type). */
  setField(cx: AsContext<any>, i: number, v: Val): void {
    expectKind(this, StructRef, 'setField');
    const store = checkStore(cx, this);
    const t = this.fieldType(i);
    if (!this.object.$t.fields[i]!.mutable) throw new TypeError(`field ${i} is immutable`);
    const comps = lower(store, t, v, `field ${i}`);
    fieldNames(t, i).forEach((name, k) => {
      this.object[name] = comps[k];
    });
  }

  /** The descriptor of a struct whose type has one (custom descriptors), else null. */
  descriptor(cx: AsContext<any>): StructRef | null {
    expectKind(this, StructRef, 'descriptor');
    const store = checkStore(cx, this);
    return this.object.$t.hasDesc ? (AnyRef.of(store, this.object['$d']) as StructRef) : null;
  }
}

function arrayRtt(typeId: number): Rtt {
  if (!Number.isInteger(typeId) || typeId < 0 || canonicalType(typeId).composite.kind !== 'array') {
    throw new TypeError(`${String(typeId)} is not the canonical id of an array type`);
  }
  return rttOf(typeId);
}

/** An array (Wasmtime's ArrayRef): its elements as Vals, packed elements zero-extended. */
export class ArrayRef extends AnyRef {
  /** A new array of canonical array type `typeId` with `length` copies of `elem`. */
  static new(cx: AsContext<any>, typeId: number, elem: Val, length: number): ArrayRef {
    const store = storeOf(cx);
    const rtt = arrayRtt(typeId);
    if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new RangeError(`bad array length ${length}`);
    const comps = lower(store, rtt.fields[0]!.type, elem, 'element');
    const x = arrayAlloc(rtt, length);
    for (let i = 0; i < length; i++) store1(x, i, comps);
    return AnyRef.of(store, x) as ArrayRef;
  }

  /** A new array of canonical array type `typeId` holding `elems`. */
  static newFixed(cx: AsContext<any>, typeId: number, elems: readonly Val[]): ArrayRef {
    const store = storeOf(cx);
    const rtt = arrayRtt(typeId);
    const x = arrayAlloc(rtt, elems.length);
    elems.forEach((v, i) => store1(x, i, lower(store, rtt.fields[0]!.type, v, `element ${i}`)));
    return AnyRef.of(store, x) as ArrayRef;
  }

  private get array(): GcArray {
    return this.raw as GcArray;
  }

  private index(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.array.a.length) throw new RangeError(`element index ${String(i)} is out of bounds (length ${this.array.a.length})`);
    return i;
  }

  /** The number of elements. */
  len(cx: AsContext<any>): number {
    expectKind(this, ArrayRef, 'len');
    checkStore(cx, this);
    return this.array.a.length;
  }

  /** Element `i`. */
  get(cx: AsContext<any>, i: number): Val {
    expectKind(this, ArrayRef, 'get');
    const store = checkStore(cx, this);
    const x = this.array;
    const k = this.index(i);
    return lift(store, x.$t.fields[0]!.type, x.a[k], x.h === null ? undefined : x.h[k]);
  }

  /** Every element, in order. */
  elems(cx: AsContext<any>): Val[] {
    expectKind(this, ArrayRef, 'elems');
    checkStore(cx, this);
    return Array.from({ length: this.array.a.length }, (_, i) => this.get(cx, i));
  }

  /** Sets element `i` of a mutable array (TypeError for an immutable array or a value of the wrong type). */
  set(cx: AsContext<any>, i: number, v: Val): void {
    expectKind(this, ArrayRef, 'set');
    const store = checkStore(cx, this);
    const x = this.array;
    const f = x.$t.fields[0]!;
    if (!f.mutable) throw new TypeError('the array is immutable');
    store1(x, this.index(i), lower(store, f.type, v, 'element'));
  }
}

function store1(x: GcArray, i: number, comps: unknown[]): void {
  (x.a as unknown[])[i] = comps[0];
  if (x.$t.elem === ElemKind.I64) x.h![i] = comps[1] as number;
}

