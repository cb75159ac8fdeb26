// Type definitions: iso-recursive canonicalisation across modules, declared subtypes, and
// subtyping of value types including exact types (custom descriptors).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_FEATURES } from '../../src/core/features.js';
import { refType, HT_NONE, HT_STRUCT, HT_ANY, HT_FUNC, I32 } from '../../src/core/types.js';
import { isCanonicalSubtype, canonicalType } from '../../src/validate/index.js';
import { array, func, i32, i64, moduleBytes, rec, ref, struct, sub, typeSec } from './builder.js';
import { rejects, validate } from './check.js';

test('equal rec groups in different modules get the same canonical ids', () => {
  // A self-recursive list type, alone and inside a group with an unrelated type.
  const list = struct([[i32, false], [ref(0, true), false]]);
  const a = validate(moduleBytes(typeSec([list])));
  const b = validate(moduleBytes(typeSec([func([], []), struct([[i32, false], [ref(1, true), false]])])));
  assert.equal(a.canonicalTypeIds[0], b.canonicalTypeIds[1], 'same structure, internal reference relative to itself');
  // The same two types as one rec group are a different (group-)type from each alone.
  const grouped = validate(moduleBytes(typeSec([rec(list, func([], []))])));
  assert.notEqual(grouped.canonicalTypeIds[0], a.canonicalTypeIds[0]);
  const groupedAgain = validate(moduleBytes(typeSec([rec(list, func([], []))])));
  assert.deepEqual([...groupedAgain.canonicalTypeIds], [...grouped.canonicalTypeIds]);
  // Members of one group differ by position even when their structure is the same.
  const twins = validate(moduleBytes(typeSec([rec(struct([]), struct([]))])));
  assert.notEqual(twins.canonicalTypeIds[0], twins.canonicalTypeIds[1]);
});

test('references to earlier groups compare by canonical identity', () => {
  const m1 = validate(moduleBytes(typeSec([struct([[i32, false]]), struct([[ref(0), false]])])));
  const m2 = validate(moduleBytes(typeSec([struct([[i64, false]]), struct([[i32, false]]), struct([[ref(1), false]])])));
  assert.equal(m1.canonicalTypeIds[1], m2.canonicalTypeIds[2]);
  const m3 = validate(moduleBytes(typeSec([struct([[i64, false]]), struct([[ref(0), false]])])));
  assert.notEqual(m1.canonicalTypeIds[1], m3.canonicalTypeIds[1]);
});

test('declared supertypes: earlier, not final, structurally compatible', () => {
  const base = sub([], struct([[i32, false]]));
  const ok = validate(moduleBytes(typeSec([base, sub([0], struct([[i32, false], [i64, true]]))])));
  assert.ok(isCanonicalSubtype(ok.canonicalTypeIds[1]!, ok.canonicalTypeIds[0]!));
  assert.ok(!isCanonicalSubtype(ok.canonicalTypeIds[0]!, ok.canonicalTypeIds[1]!));
  assert.equal(canonicalType(ok.canonicalTypeIds[1]!).supertype, ok.canonicalTypeIds[0]);
  rejects(moduleBytes(typeSec([sub([], struct([]), true), sub([0], struct([]))])), 'sub type 1 has final super type 0');
  rejects(moduleBytes(typeSec([base, sub([0], struct([[i64, false]]))])), 'sub type 1 does not match super type 0');
  rejects(moduleBytes(typeSec([rec(sub([1], struct([])), sub([], struct([])))])), 'sub type');
  // Mutable fields are invariant.
  rejects(moduleBytes(typeSec([sub([], array(ref(0x6e, true), true)), sub([1 - 1], array(ref(0x6c, true), true))])), 'sub type');
  rejects(moduleBytes(typeSec([struct([[ref(5), false]])])), 'unknown type');
});

test('value-type subtyping of the module: abstract hierarchy, defined types, nullability', () => {
  const m = validate(moduleBytes(typeSec([sub([], struct([])), sub([0], struct([[i32, false]])), func([], [])])));
  const s0 = refType(0, false);
  const s1 = refType(1, false);
  assert.ok(m.matchesValType(s1, s0));
  assert.ok(!m.matchesValType(s0, s1));
  assert.ok(m.matchesValType(s1, refType(HT_STRUCT, true)));
  assert.ok(m.matchesValType(refType(HT_NONE, true), refType(1, true)));
  assert.ok(!m.matchesValType(refType(HT_NONE, true), s1), 'null is not in a non-null type');
  assert.ok(!m.matchesValType(refType(2, false), refType(HT_ANY, true)), 'functions are not in any');
  assert.ok(m.matchesValType(refType(2, false), refType(HT_FUNC, false)));
  assert.ok(!m.matchesValType(I32, refType(HT_ANY, true)));
});

test('exact types: (exact x) <: x, but no subtype of x is exact x; none is below every exact type', () => {
  const m = validate(moduleBytes(typeSec([sub([], struct([])), sub([0], struct([]))])), ALL_FEATURES);
  const exact0 = refType(0, false, true);
  assert.ok(m.matchesValType(exact0, refType(0, false)));
  assert.ok(!m.matchesValType(refType(1, false), exact0));
  assert.ok(!m.matchesValType(refType(1, false, true), exact0));
  assert.ok(!m.matchesValType(refType(0, false), exact0));
  assert.ok(m.matchesValType(refType(HT_NONE, true), refType(0, true, true)));
  assert.ok(m.matchesValType(refType(1, false, true), refType(0, false)));
});
