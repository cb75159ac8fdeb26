// GC objects at run time: one RTT per canonical struct or array type (its supertype display, for
// O(1) casts), a generated JS constructor per struct type, and the one class every array is.

import { F32, F64, I16, I32, I64, I8, V128 as V128_TYPE, type FieldType, type StorageType } from '../core/types.js';
import { canonicalType } from '../validate/type-registry.js';
import { useClosureForms } from './dynamic-code.js';
import { V128_ZERO } from './simd-value.js';

/**
 * Base of every struct and array: `x instanceof GcObject` tells a GC object from a host value or
 * an i31 (a JS number) inside the any hierarchy. Its prototypes never reach JS (the JS API hands
 * out opaque proxies, the embedding API handles), so no foreign object can pass for one.
 */
export class GcObject {
  /** The object's RTT: on the prototype for structs, an own field for arrays. */
  declare readonly $t: Rtt;
}

/** Every struct is made by its type's generated constructor, whose prototype inherits from this. */
export class GcStruct extends GcObject {}

/**
 * How an array's elements are stored. Packed fields are stored masked (unsigned), i64 as two
 * Int32Arrays (low and high halves), f32 as its carrier doubles in a Float64Array (a Float32Array
 * would quiet signalling NaNs), v128 and references in an Array.
 */
export const enum ElemKind { I8 = 0, I16 = 1, I32 = 2, I64 = 3, F32 = 4, F64 = 5, V128 = 6, Ref = 7 }

export type ArrayStore = Uint8Array | Uint16Array | Int32Array | Float64Array | unknown[];

/** A wasm array: elements in `a` (and the high halves of i64 elements in `h`). */
export class GcArray extends GcObject {
  constructor(t: Rtt, readonly a: ArrayStore, readonly h: Int32Array | null) {
    super();
    (this as { $t: Rtt }).$t = t;
  }
}

/** The run-time type of a canonical struct or array type. */
export interface Rtt {
  /** Canonical type id. */
  readonly id: number;
  /** Length of its supertype chain; `supers[depth]` is the RTT itself. */
  readonly depth: number;
  /** The supertype display: `supers[k]` is the ancestor at depth k. */
  readonly supers: readonly Rtt[];
  readonly kind: 'struct' | 'array';
  /** Structs: the constructor (descriptor first when the type has one, then the lowered fields). */
  readonly cls: (new (...args: unknown[]) => GcStruct) | null;
  /** Structs: the canonical field types; arrays: the one element type. */
  readonly fields: readonly FieldType[];
  /** Arrays: how elements are stored. */
  readonly elem: ElemKind;
  /** Structs with a descriptor clause (custom descriptors): the `$d` field holds it. */
  readonly hasDesc: boolean;
}

const rtts: (Rtt | undefined)[] = [];

/** Set once any GC type got an RTT: until then no GC object can exist in the process. */
export const gcState = { used: false };

/** The RTT of canonical struct or array type `id`, made on first need. */
export function rttOf(id: number): Rtt {
  const known = rtts[id];
  if (known !== undefined) return known;
  const t = canonicalType(id);
  const c = t.composite;
  if (c.kind === 'func') throw new Error(`internal error: no RTT for function type ${id}`);
  const parent = t.supertype >= 0 ? rttOf(t.supertype) : null;
  const supers: Rtt[] = parent === null ? [] : [...parent.supers];
  const fields = c.kind === 'struct' ? c.fields : [c.element];
  const rtt: Rtt = {
    id, depth: supers.length, supers, kind: c.kind, cls: null, fields,
    elem: c.kind === 'array' ? elemKind(c.element.type) : ElemKind.Ref,
    hasDesc: t.descriptor !== undefined,
  };
  supers.push(rtt);
  if (c.kind === 'struct') (rtt as { cls: unknown }).cls = structClass(rtt);
  rtts[id] = rtt;
  gcState.used = true;
  return rtt;
}

export function elemKind(t: StorageType): ElemKind {
  switch (t) {
    case I8: return ElemKind.I8;
    case I16: return ElemKind.I16;
    case I32: return ElemKind.I32;
    case I64: return ElemKind.I64;
    case F32: return ElemKind.F32;
    case F64: return ElemKind.F64;
    case V128_TYPE: return ElemKind.V128;
  }
  return ElemKind.Ref;
}

/** The property names of struct field i: one, or two for an i64 (low, high). */
export function fieldNames(t: StorageType, i: number): string[] {
  return t === I64 ? [`f${i}`, `f${i}h`] : [`f${i}`];
}

/**
 * A constructor per struct type, with the fields as properties in declaration order (so V8 gives
 * every instance one hidden class): `function S(f0, f1, f1h) { this.f0 = f0; ... }`. Generated
 * with `new Function` because a class per type is what keeps each field's representation (small
 * integer, double, reference) stable; doubles kept in properties keep their NaN bits (tested).
 */
function structClass(rtt: Rtt): new (...args: unknown[]) => GcStruct {
  const params: string[] = rtt.hasDesc ? ['$d'] : [];
  rtt.fields.forEach((f, i) => params.push(...fieldNames(f.type, i)));
  if (useClosureForms()) return closureStructClass(rtt, params);
  const body = params.map((p) => `this.${p} = ${p};`).join(' ');
  const make = new Function('Base', 'rtt', [
    '"use strict";',
    `function S${rtt.id}(${params.join(', ')}) { ${body} }`,
    `S${rtt.id}.prototype = Object.create(Base.prototype, { $t: { value: rtt } });`,
    `return S${rtt.id};`,
  ].join('\n'));
  return make(GcStruct, rtt) as new (...args: unknown[]) => GcStruct;
}

/** structClass without generated code: one constructor assigning its arguments to the fields in order. */
function closureStructClass(rtt: Rtt, params: readonly string[]): new (...args: unknown[]) => GcStruct {
  function S(this: Record<string, unknown>, ...args: unknown[]): void {
    for (let i = 0; i < params.length; i++) this[params[i]!] = args[i];
  }
  S.prototype = Object.create(GcStruct.prototype, { $t: { value: rtt } });
  return S as unknown as new (...args: unknown[]) => GcStruct;
}

/** The default value of a field's lowered components (an i64 has two), as JS values. */
export function defaultComponents(t: StorageType): unknown[] {
  switch (t) {
    case I8: case I16: case I32: case F32: case F64: return [0];
    case I64: return [0, 0];
    case V128_TYPE: return [V128_ZERO];
  }
  return [null];
}

/** The same as JS source (V128_ZERO bound as a helper of that name). */
export function defaultSource(t: StorageType): string[] {
  switch (t) {
    case I8: case I16: case I32: case F32: case F64: return ['0'];
    case I64: return ['0', '0'];
    case V128_TYPE: return ['V128_ZERO'];
  }
  return ['null'];
}
