// Import matching for the linker: function types by canonical id (exact or subtype), limits
// subsumption, table element equivalence, global mutability and variance, tags by equivalence.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refType, HT_FUNC, I32, I64, HT_ANY, HT_EQ } from '../../src/core/types.js';
import { importExternType, matchesExternType, type ExternTypeOf } from '../../src/validate/index.js';
import { func, importEntry, importSec, moduleBytes, sub, typeSec, i32 } from './builder.js';
import { validate } from './check.js';

test('function imports match by canonical subtyping, across modules', () => {
  const types = [sub([], func([], [])), sub([0], func([], []))];
  const provider = validate(moduleBytes(typeSec(types)));
  const importer = validate(moduleBytes(typeSec(types), importSec([importEntry('m', 'f', [0x00, 0])])));
  const expected = importExternType(importer.module, importer.canonicalTypeIds, 0);
  const subFunc: ExternTypeOf = { kind: 'func', typeId: provider.canonicalTypeIds[1]!, exact: true };
  const superFunc: ExternTypeOf = { kind: 'func', typeId: provider.canonicalTypeIds[0]!, exact: true };
  assert.ok(matchesExternType(subFunc, expected));
  assert.ok(matchesExternType(superFunc, expected));
  const exactImport: ExternTypeOf = { kind: 'func', typeId: provider.canonicalTypeIds[0]!, exact: true };
  assert.ok(!matchesExternType(subFunc, exactImport), 'an exact import takes only its very type');
  const other = validate(moduleBytes(typeSec([func([i32], [])])));
  assert.ok(!matchesExternType({ kind: 'func', typeId: other.canonicalTypeIds[0]!, exact: true }, expected));
});

test('limits subsumption and address types for memories and tables', () => {
  const mem = (min: number, max: number | null, address64 = false): ExternTypeOf =>
    ({ kind: 'memory', limits: { min, max }, address64, shared: false, pageSizeLog2: 16 });
  assert.ok(matchesExternType(mem(2, 5), mem(1, 10)));
  assert.ok(!matchesExternType(mem(2, null), mem(1, 10)));
  assert.ok(!matchesExternType(mem(0, 5), mem(1, null)));
  assert.ok(!matchesExternType(mem(2, 5, true), mem(1, 10)));
  const table = (element: number): ExternTypeOf => ({ kind: 'table', element, limits: { min: 1, max: null }, address64: false });
  const funcref = refType(HT_FUNC, true);
  assert.ok(matchesExternType(table(funcref), table(funcref)));
  assert.ok(!matchesExternType(table(refType(HT_FUNC, false)), table(funcref)), 'table element types are invariant');
});

test('globals: immutable ones are covariant, mutable ones invariant', () => {
  const g = (type: number, mutable: boolean): ExternTypeOf => ({ kind: 'global', type, mutable });
  assert.ok(matchesExternType(g(refType(HT_EQ, true), false), g(refType(HT_ANY, true), false)));
  assert.ok(!matchesExternType(g(refType(HT_EQ, true), true), g(refType(HT_ANY, true), true)));
  assert.ok(!matchesExternType(g(I32, false), g(I32, true)));
  assert.ok(!matchesExternType(g(I64, false), g(I32, false)));
});
