// Constant expressions: the allowed instructions (extended-const arithmetic, GC allocation,
// ref.i31, conversions), global.get of immutable, earlier globals only, and result types.

import { test } from 'node:test';
import { funcref, global, globalSec, i32, i64, importEntry, importSec, moduleBytes, op, struct, typeSec, anyref, externref, ref } from './builder.js';
import { rejects, validate } from './check.js';

test('extended-const arithmetic is constant, division is not', () => {
  validate(moduleBytes(globalSec([global(i32, false, [op.i32Const, 2, op.i32Const, 3, 0x6c, op.i32Const, 1, op.i32Add])])));
  validate(moduleBytes(globalSec([global(i64, false, [op.i64Const, 2, op.i64Const, 3, 0x7d])])));
  rejects(moduleBytes(globalSec([global(i32, false, [op.i32Const, 2, op.i32Const, 3, op.i32DivS])])), 'constant expression required');
  rejects(moduleBytes(globalSec([global(i32, false, [op.nop, op.i32Const, 0])])), 'constant expression required');
});

test('global.get: immutable globals, imported or defined earlier', () => {
  const imported = importSec([importEntry('m', 'g', [0x03, i32, 0])]);
  validate(moduleBytes(imported, globalSec([global(i32, false, [op.globalGet, 0])])));
  validate(moduleBytes(globalSec([global(i32, false, [op.i32Const, 1]), global(i32, false, [op.globalGet, 0])])));
  rejects(moduleBytes(globalSec([global(i32, false, [op.globalGet, 1]), global(i32, false, [op.i32Const, 1])])), 'unknown global');
  rejects(moduleBytes(globalSec([global(i32, true, [op.i32Const, 1]), global(i32, false, [op.globalGet, 0])])), 'constant expression required');
  const mutableImport = importSec([importEntry('m', 'g', [0x03, i32, 1])]);
  rejects(moduleBytes(mutableImport, globalSec([global(i32, false, [op.globalGet, 0])])), 'constant expression required');
});

test('GC allocation, ref.i31 and extern conversion are constant; the result type must match', () => {
  const types = typeSec([struct([[i32, false]])]);
  validate(moduleBytes(types, globalSec([global(ref(0), false, [op.i32Const, 5, 0xfb, 0, 0])])));
  validate(moduleBytes(globalSec([global(anyref, false, [op.i32Const, 5, 0xfb, 0x1c])])));
  validate(moduleBytes(globalSec([global(anyref, false, [op.refNull, externref, 0xfb, 0x1a])])));
  rejects(moduleBytes(globalSec([global(externref, false, [op.i32Const, 5, 0xfb, 0x1c])])), 'type mismatch');
  rejects(moduleBytes(globalSec([global(i32, false, [op.i32Const, 1, op.i32Const, 2])])), 'type mismatch');
  rejects(moduleBytes(globalSec([global(i32, false, [])])), 'type mismatch');
  validate(moduleBytes(globalSec([global(funcref, false, [op.refNull, funcref])])));
});
