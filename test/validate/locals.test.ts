// Locals: index checks, and initialisation tracking of non-defaultable locals (set or tee
// initialise; the knowledge ends with the block that gained it).

import { test } from 'node:test';
import { func, funcModule, i32, ref, funcref, op, struct } from './builder.js';
import { rejects, validate } from './check.js';

const types = [func([], []), struct([])];
const nonNull = ref(1); // (ref 1): a non-defaultable local

test('a non-defaultable local must be set before it is read', () => {
  rejects(funcModule(types, [{ type: 0, locals: [[1, nonNull]], code: [op.localGet, 0, op.drop] }]), 'uninitialized local');
  const set = [0xfb, 1, 1, op.localSet, 0, op.localGet, 0, op.drop]; // struct.new_default 1
  validate(funcModule(types, [{ type: 0, locals: [[1, nonNull]], code: set }]));
  const tee = [0xfb, 1, 1, op.localTee, 0, op.drop, op.localGet, 0, op.drop];
  validate(funcModule(types, [{ type: 0, locals: [[1, nonNull]], code: tee }]));
});

test('initialisation inside a block does not survive the block end', () => {
  const code = [op.block, 0x40, 0xfb, 1, 1, op.localSet, 0, op.localGet, 0, op.drop, op.end, op.localGet, 0, op.drop];
  rejects(funcModule(types, [{ type: 0, locals: [[1, nonNull]], code }]), 'uninitialized local');
  // Set in the then-branch only: the else-branch starts uninitialised again.
  const ifElse = [op.i32Const, 1, op.if, 0x40, 0xfb, 1, 1, op.localSet, 0, op.else, op.localGet, 0, op.drop, op.end];
  rejects(funcModule(types, [{ type: 0, locals: [[1, nonNull]], code: ifElse }]), 'uninitialized local');
  // Set before the block: known inside it.
  const before = [0xfb, 1, 1, op.localSet, 0, op.block, 0x40, op.localGet, 0, op.drop, op.end];
  validate(funcModule(types, [{ type: 0, locals: [[1, nonNull]], code: before }]));
});

test('nullable and numeric locals are always initialised; indices are checked', () => {
  validate(funcModule(types, [{ type: 0, locals: [[1, funcref], [2, i32]], code: [op.localGet, 0, op.drop, op.localGet, 2, op.drop] }]));
  rejects(funcModule(types, [{ type: 0, locals: [[1, i32]], code: [op.localGet, 1, op.drop] }]), 'unknown local');
  rejects(funcModule(types, [{ type: 0, locals: [[1, i32]], code: [op.localSet, 0] }]), 'type mismatch');
});
