// Validation of the type section: rec groups are checked (references in range, descriptor clauses,
// declared supertypes) and registered with the canonical type registry, in order.

import { CompileError } from '../core/errors.js';
import type { WasmFeatures } from '../core/features.js';
import {
  heapOf, isExact, isRef,
  type CompositeType, type FieldType, type StorageType, type SubType,
} from '../core/types.js';
import type { ModuleInfo } from '../binary/module.js';
import { ModuleTypes } from './module-types.js';
import { refTypeFeatureProblem } from './ref-features.js';
import { canonicalType, isCanonicalSubtype, isCanonicalValSubtype, registerRecGroup } from './type-registry.js';
import { locatedAt } from './located.js';

function fail(message: string): never {
  throw new CompileError(message, -1, false);
}

/** Validates every type definition and returns the module's view of the canonical registry. */
export function validateTypes(module: ModuleInfo, features: WasmFeatures): ModuleTypes {
  const types = new ModuleTypes(module.types);
  const at = (x: number) => module.offsets.types[x] ?? -1;
  for (const group of module.recGroups) {
    const end = group.start + group.size;
    if (features.custom_descriptors) {
      for (let x = group.start; x < end; x++) locatedAt(at(x), () => checkDescriptorClauses(module.types, x, group.start, end));
    }
    for (let x = group.start; x < end; x++) locatedAt(at(x), () => checkReferences(module.types[x]!, end, features));
    registerRecGroup(module.types, group.start, group.size, types.canon, () => {
      for (let x = group.start; x < end; x++) locatedAt(at(x), () => checkSubtype(types, x));
    });
  }
  return types;
}

/** Type x's descriptor clauses, in the rec group [start, end). */
function checkDescriptorClauses(types: readonly SubType[], x: number, start: number, end: number): void {
  const t = types[x]!;
  if (t.describes !== undefined) {
    const y = t.describes;
    if (y < start || y >= end) fail('described type is outside rec group');
    if (types[y]!.descriptor !== x) fail('described type is not described by descriptor');
    if (y >= x) fail('forward use of described type');
  }
  if (t.descriptor !== undefined) {
    const y = t.descriptor;
    if (y < start || y >= end) fail('descriptor type is outside rec group');
    if (types[y]!.describes !== x) fail('type is not described by its descriptor');
  }
}

function checkReferences(t: SubType, end: number, features: WasmFeatures): void {
  const index = (x: number) => {
    if (x >= end) fail(`unknown type ${x}`);
  };
  const storage = (s: StorageType) => {
    if (!isRef(s)) return;
    if (isExact(s) && !features.custom_descriptors) throw new CompileError('malformed heap type', -1, true);
    const problem = refTypeFeatureProblem(s, features);
    if (problem !== null) throw new CompileError(`malformed value type: ${problem}`, -1, true);
    const h = heapOf(s);
    if (h >= 0) index(h);
  };
  for (const s of t.supertypes) index(s);
  const c = t.composite;
  if (c.kind === 'func') {
    c.params.forEach(storage);
    c.results.forEach(storage);
  } else if (c.kind === 'struct') {
    for (const f of c.fields) storage(f.type);
  } else {
    storage(c.element.type);
  }
  if ((t.descriptor !== undefined) && c.kind !== 'struct') fail('descriptor type must be a struct');
  if ((t.describes !== undefined) && c.kind !== 'struct') fail('described type must be a struct');
}

function checkSubtype(types: ModuleTypes, x: number): void {
  const t = types.types[x]!;
  if (t.supertypes.length > 1) fail(`sub type ${x} has more than one super type`);
  if (t.supertypes.length === 0) return;
  const y = t.supertypes[0]!;
  if (y >= x) fail(`sub type ${x}: forward use of type ${y} in sub type definition`);
  const sup = types.types[y]!;
  if (sup.final) fail(`sub type ${x} has final super type ${y}`);
  const canon = types.canon;
  if (t.describes !== undefined || sup.describes !== undefined) {
    if (t.describes === undefined || sup.describes === undefined) fail(`sub type ${x} does not match super type ${y}`);
    if (!isCanonicalSubtype(canon[t.describes]!, canon[sup.describes]!)) {
      fail(`described type ${t.describes} does not match ${sup.describes}`);
    }
  }
  if (sup.descriptor !== undefined) {
    if (t.descriptor === undefined) fail(`sub type ${x} does not match super type ${y}`);
    if (!isCanonicalSubtype(canon[t.descriptor]!, canon[sup.descriptor]!)) {
      fail(`descriptor type ${t.descriptor} does not match ${sup.descriptor}`);
    }
  }
  if (!compositeMatches(canonicalType(canon[x]!).composite, canonicalType(canon[y]!).composite)) {
    fail(`sub type ${x} does not match super type ${y}`);
  }
}

/** Structural subtyping of canonical composite types. */
export function compositeMatches(a: CompositeType, b: CompositeType): boolean {
  if (a.kind === 'func' && b.kind === 'func') {
    return a.params.length === b.params.length && a.results.length === b.results.length
      && b.params.every((t, i) => isCanonicalValSubtype(t, a.params[i]!))
      && a.results.every((t, i) => isCanonicalValSubtype(t, b.results[i]!));
  }
  if (a.kind === 'struct' && b.kind === 'struct') {
    return a.fields.length >= b.fields.length && b.fields.every((f, i) => fieldMatches(a.fields[i]!, f));
  }
  if (a.kind === 'array' && b.kind === 'array') return fieldMatches(a.element, b.element);
  return false;
}

function fieldMatches(a: FieldType, b: FieldType): boolean {
  if (a.mutable !== b.mutable) return false;
  if (!storageMatches(a.type, b.type)) return false;
  return !a.mutable || storageMatches(b.type, a.type);
}

function storageMatches(a: StorageType, b: StorageType): boolean {
  return a === b || (isRef(a) && isRef(b) && isCanonicalValSubtype(a, b));
}
