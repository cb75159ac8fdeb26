// What pre-initialisation records of an instance: its state right after instantiation (to tell what
// the initialisation function changed) and, after it ran, the values the rewritten module starts with.

import type { ModuleInfo } from '../binary/module.js';
import type { GlobalObject } from '../runtime/global.js';
import type { InstanceObject } from '../runtime/instance.js';
import { V128 } from '../runtime/simd-value.js';
import { F32, F64 } from '../core/types.js';
import { f64HighOfLast, f64LowBits } from '../runtime/float-bits.js';
import { isGcObject } from '../runtime/gc-casts.js';

/** A global's value as comparable bits (numbers) or the value itself (references, v128). */
export type GlobalValue = { readonly bits: Uint8Array } | { readonly ref: unknown };

/** The state initialisation may change, of the module's own globals, tables and segments. */
export interface InstanceState {
  readonly globals: readonly GlobalValue[];
  readonly tables: readonly (readonly unknown[])[];
  readonly droppedElems: readonly boolean[];
}

export function globalValue(g: GlobalObject, funcKey: (x: unknown) => unknown = (x) => x): GlobalValue {
  const cell = g.cell;
  if (cell instanceof Int32Array || cell instanceof Float64Array) return { bits: new Uint8Array(cell.buffer.slice(0)) };
  if (g.type.type === F32 || g.type.type === F64) {
    // A float cell that may hold a NaNBox (core/nan-boxing.ts): compared by its bits.
    const lo = f64LowBits(cell[0] as number);
    return { bits: new Uint8Array(new Int32Array([lo, f64HighOfLast()]).buffer) };
  }
  return { ref: funcKey(cell[0]) };
}

export function sameGlobalValue(a: GlobalValue, b: GlobalValue): boolean {
  if ('bits' in a && 'bits' in b) return a.bits.every((x, i) => x === b.bits[i]);
  if ('ref' in a && 'ref' in b) {
    const x = a.ref;
    const y = b.ref;
    if (x instanceof V128 && y instanceof V128) return x.w0 === y.w0 && x.w1 === y.w1 && x.w2 === y.w2 && x.w3 === y.w3;
    return x === y;
  }
  return false;
}

/**
 * The state of the defined globals and tables and of the element segments, now. A function of the
 * instance is recorded by its index, so that states of two instances of one module compare.
 */
export function captureState(module: ModuleInfo, instance: InstanceObject): InstanceState {
  const index = new Map<unknown, number>(instance.funcs.map((f, i) => [f, i]));
  const funcKey = (x: unknown): unknown => {
    const i = index.get(x);
    return i === undefined ? x : `function ${i}`;
  };
  return {
    globals: instance.globals.slice(module.numImportedGlobals).map((g) => globalValue(g, funcKey)),
    tables: instance.tables.slice(module.numImportedTables).map((t) => t.elems.map(funcKey)),
    droppedElems: instance.elems.map((e) => e === null),
  };
}

/** Why the change from `before` to `after` cannot be written into a module, or null if it can. */
export function unsnapshottableChange(before: InstanceState, after: InstanceState, module: ModuleInfo): string | null {
  // A struct or array may have changed inside while its global or table slot still holds it.
  const held = after.globals.findIndex((g) => 'ref' in g && isGcObject(g.ref));
  if (held >= 0) return `global ${module.numImportedGlobals + held} holds a struct or array, whose contents cannot be snapshotted`;
  const inTable = after.tables.findIndex((t) => t.some(isGcObject));
  if (inTable >= 0) return `table ${module.numImportedTables + inTable} holds a struct or array, whose contents cannot be snapshotted`;
  for (let i = 0; i < before.tables.length; i++) {
    const a = before.tables[i]!;
    const b = after.tables[i]!;
    if (a.length !== b.length || a.some((x, k) => x !== b[k])) {
      return `initialisation changed table ${module.numImportedTables + i}; table contents cannot be snapshotted`;
    }
  }
  for (let i = 0; i < before.droppedElems.length; i++) {
    if (before.droppedElems[i] !== after.droppedElems[i]) return `initialisation dropped element segment ${i} (elem.drop), which cannot be snapshotted`;
  }
  return null;
}
