// The types of one module seen through the canonical registry: module-local value-type subtyping,
// and lookups of composite types by index that the validators share.

import {
  heapOf, isExact, isNullable, isRef, refType,
  type ArrayType, type FuncType, type StorageType, type StructType, type SubType, type ValType,
} from '../core/types.js';
import { HT_BOT, bottomOfHeap, isHeapSubtype, topOfHeap } from './type-registry.js';

/** The bottom value type (what a pop from an unreachable, empty stack yields). */
export const BOT: ValType = 0;

export class ModuleTypes {
  /** Module type index -> canonical id. */
  readonly canon: Int32Array;
  constructor(readonly types: readonly SubType[]) {
    this.canon = new Int32Array(types.length);
  }

  /** A module-local heap type as a canonical heap type (abstract ones are unchanged). */
  canonHeap(h: number): number {
    return h >= 0 ? this.canon[h]! : h;
  }

  /** `a <: b` for module-local value types (BOT matches everything). */
  matches(a: ValType, b: ValType): boolean {
    if (a === b || a === BOT) return true;
    if (!isRef(a) || !isRef(b)) return false;
    if (isNullable(a) && !isNullable(b)) return false;
    const ha = heapOf(a);
    const hb = heapOf(b);
    if (ha === hb && !isExact(b)) return true;
    return isHeapSubtype(this.canonHeap(ha), isExact(a), this.canonHeap(hb), isExact(b));
  }

  /** Subtyping of storage types: packed types match only themselves. */
  matchesStorage(a: StorageType, b: StorageType): boolean {
    return a === b || (isRef(a) && this.matches(a, b));
  }

  /** Whether two value types are equivalent (each a subtype of the other). */
  equivalent(a: ValType, b: ValType): boolean {
    return a === b || (this.matches(a, b) && this.matches(b, a));
  }

  heapMatches(a: number, exactA: boolean, b: number, exactB: boolean): boolean {
    return isHeapSubtype(this.canonHeap(a), exactA, this.canonHeap(b), exactB);
  }

  /** Top heap type of the hierarchy of a module-local heap type (abstract, never an index). */
  top(h: number): number {
    return h === HT_BOT ? HT_BOT : topOfHeap(this.canonHeap(h));
  }

  /** Bottom heap type of the hierarchy of a module-local heap type. */
  bottom(h: number): number {
    return h === HT_BOT ? HT_BOT : bottomOfHeap(this.canonHeap(h));
  }

  isFunc(x: number): boolean {
    return this.types[x]?.composite.kind === 'func';
  }
  func(x: number): FuncType | undefined {
    const c = this.types[x]?.composite;
    return c?.kind === 'func' ? c : undefined;
  }
  struct(x: number): StructType | undefined {
    const c = this.types[x]?.composite;
    return c?.kind === 'struct' ? c : undefined;
  }
  array(x: number): ArrayType | undefined {
    const c = this.types[x]?.composite;
    return c?.kind === 'array' ? c : undefined;
  }

  /** The type difference `t1 \ t2` of reference types (br_on_cast's fall-through type). */
  difference(t1: ValType, t2: ValType): ValType {
    if (isNullable(t2)) return refType(heapOf(t1), false, isExact(t1));
    return t1;
  }
}
