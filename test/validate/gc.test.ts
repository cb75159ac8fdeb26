// GC instructions: br_on_cast and its type difference, casts within one hierarchy, field and
// array access rules (packing, mutability), and array.copy / array.init_data element rules.

import { test } from 'node:test';
import { anyref, array, eqref, externref, func, funcModule, i32, i64, op, ref, struct } from './builder.js';
import { rejects, validate } from './check.js';

const STRUCT = 0x6b;

test('br_on_cast: the fall-through type is the source minus the target (non-null when the target is nullable)', () => {
  // func (param anyref) (result (ref any)): block (result structref) local.get 0; br_on_cast 0 anyref structref
  // leaves (ref any) when the target is nullable.
  const types = [func([anyref], [ref(0x6e)])];
  const code = (flags: number) => [
    op.block, ...ref(STRUCT, true), op.localGet, 0, 0xfb, 0x18, flags, 0, 0x6e, STRUCT, op.return, op.end, op.drop, op.unreachable,
  ];
  validate(funcModule(types, [{ type: 0, code: code(0b11) }]));
  rejects(funcModule(types, [{ type: 0, code: code(0b01) }]), 'type mismatch');
});

test('br_on_cast needs the target below the source, and the label must accept the target', () => {
  const types = [func([anyref], [])];
  // Target externref is outside the any hierarchy.
  const wrongHierarchy = [op.block, ...ref(0x6f, true), op.localGet, 0, 0xfb, 0x18, 0b11, 0, 0x6e, 0x6f, op.drop, op.end, op.drop];
  rejects(funcModule(types, [{ type: 0, code: wrongHierarchy }]), 'type mismatch');
  // The label takes i31ref, the target is structref.
  const wrongLabel = [op.block, ...ref(0x6c, true), op.localGet, 0, 0xfb, 0x18, 0b11, 0, 0x6e, STRUCT, op.drop, op.end, op.drop];
  rejects(funcModule(types, [{ type: 0, code: wrongLabel }]), 'type mismatch');
  // br_on_cast_fail sends the difference: (ref any) into a label of anyref is fine.
  const fail = [op.block, anyref, op.localGet, 0, 0xfb, 0x19, 0b01, 0, 0x6e, STRUCT, op.end, op.drop];
  validate(funcModule(types, [{ type: 0, code: fail }]));
});

test('ref.cast and ref.test stay inside the operand hierarchy', () => {
  const types = [func([externref], [])];
  rejects(funcModule(types, [{ type: 0, code: [op.localGet, 0, 0xfb, 0x17, STRUCT, op.drop] }]), 'type mismatch');
  validate(funcModule(types, [{ type: 0, code: [op.localGet, 0, 0xfb, 0x15, 0x72, op.drop] }]));
});

test('struct fields: packed fields need get_s/get_u, immutable fields cannot be set', () => {
  const types = [struct([[0x78, false], [i64, true]]), func([ref(0)], [])];
  validate(funcModule(types, [{ type: 1, code: [op.localGet, 0, 0xfb, 3, 0, 0, op.drop] }]));
  rejects(funcModule(types, [{ type: 1, code: [op.localGet, 0, 0xfb, 2, 0, 0, op.drop] }]), 'type mismatch');
  rejects(funcModule(types, [{ type: 1, code: [op.localGet, 0, op.i32Const, 1, 0xfb, 5, 0, 0] }]), 'immutable field');
  validate(funcModule(types, [{ type: 1, code: [op.localGet, 0, op.i64Const, 1, 0xfb, 5, 0, 1] }]));
  rejects(funcModule(types, [{ type: 1, code: [op.localGet, 0, 0xfb, 2, 0, 9, op.drop] }]), 'unknown field');
});

test('arrays: set/fill/copy need a mutable destination; copy needs compatible elements', () => {
  const types = [array(i32, true), array(i32, false), array(eqref, true), array(i64, true), func([ref(0), ref(1), ref(3)], [])];
  const zero = [op.i32Const, 0];
  const copy = (dst: number, dl: number, src: number, sl: number) =>
    [op.localGet, dl, ...zero, op.localGet, sl, ...zero, ...zero, 0xfb, 0x11, dst, src];
  validate(funcModule(types, [{ type: 4, code: copy(0, 0, 1, 1) }]));
  rejects(funcModule(types, [{ type: 4, code: copy(1, 1, 0, 0) }]), 'immutable array');
  rejects(funcModule(types, [{ type: 4, code: copy(0, 0, 3, 2) }]), 'array types do not match');
  rejects(funcModule(types, [{ type: 4, code: [op.localGet, 1, ...zero, ...zero, 0xfb, 0x0e, 1] }]), 'immutable array');
});

test('array.new_data and array.init_data need numeric or vector elements', () => {
  const types = [array(anyref, true), func([], [])];
  const code = [...[op.i32Const, 0], op.i32Const, 0, 0xfb, 9, 0, 0, op.drop];
  const dataCount = [12, 1, 0];
  rejects(funcModule(types, [{ type: 1, code }], [dataCount]), 'array type is not numeric or vector');
  const numeric = [array(i32, true), func([], [])];
  rejects(funcModule(numeric, [{ type: 1, code }], [dataCount]), 'unknown data segment');
});

test('array.new_fixed with 2^32-1 operands in unreachable code finishes at once', () => {
  const types = [array(i32, false), func([], [])];
  const code = [op.unreachable, 0xfb, 8, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, op.drop];
  const started = Date.now();
  validate(funcModule(types, [{ type: 1, code }]));
  const reachable = [op.i32Const, 1, 0xfb, 8, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, op.drop];
  rejects(funcModule(types, [{ type: 1, code: reachable }]), 'type mismatch');
  if (Date.now() - started > 1000) throw new Error('array.new_fixed walked every missing operand');
});
