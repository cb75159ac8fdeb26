// Calls, tail calls, typed function references and exceptions (try_table clauses, throw,
// throw_ref, and the legacy try/catch/catch_all/delegate/rethrow).

import { test } from 'node:test';
import { func, funcModule, i32, i64, op, ref, funcref, moduleBytes, typeSec, funcSec, tagSec, codeSec, body, vec, tableSec } from './builder.js';
import { rejects, validate } from './check.js';

const EXN = 0x69;

test('tail calls: the callee results must match the caller results', () => {
  const types = [func([], [i32]), func([], [i64])];
  validate(funcModule(types, [{ type: 0, code: [0x12, 0] }]));
  rejects(funcModule(types, [{ type: 0, code: [0x12, 1] }, { type: 1, code: [op.i64Const, 0] }]), 'type mismatch');
  // return_call_ref with a (ref null 0) operand
  validate(funcModule(types, [{ type: 0, locals: [[1, ref(0, true)]], code: [op.localGet, 0, 0x15, 0] }]));
  rejects(funcModule(types, [{ type: 0, locals: [[1, ref(1, true)]], code: [op.localGet, 0, 0x15, 0] }]), 'type mismatch');
});

test('call_indirect needs a function table; call_ref a function type', () => {
  const types = [func([], [])];
  const table = (t: number[]) => moduleBytes(typeSec(types), funcSec([0]), tableSec([[...t, 0, 1]]), codeSec([body([], [op.i32Const, 0, 0x11, 0, 0])]));
  validate(table([funcref]));
  rejects(table([0x6f]), 'type mismatch');
  rejects(moduleBytes(typeSec(types), funcSec([0]), codeSec([body([], [op.i32Const, 0, 0x11, 0, 0])])), 'unknown table');
  rejects(funcModule([func([], []), [0x5f, 0]], [{ type: 0, code: [op.refNull, 1, 0x14, 1] }]), 'type mismatch');
});

test('br_on_null and br_on_non_null', () => {
  const types = [func([ref(0, true)], [])];
  validate(funcModule(types, [{ type: 0, code: [op.block, 0x40, op.localGet, 0, op.brOnNull, 0, op.drop, op.end] }]));
  // br_on_non_null needs a label whose last type is a reference the non-null operand matches.
  validate(funcModule(types, [{ type: 0, code: [op.block, ...ref(0), op.localGet, 0, op.brOnNonNull, 0, op.unreachable, op.end, op.drop] }]));
  rejects(funcModule(types, [{ type: 0, code: [op.block, 0x40, op.localGet, 0, op.brOnNonNull, 0, op.end] }]), 'type mismatch');
});

test('try_table catch clauses must fit their labels', () => {
  const types = [func([i32], []), func([], [])];
  const tags = tagSec([0]);
  const m = (code: number[]) => moduleBytes(typeSec(types), funcSec([1]), tags, codeSec([body([], code)]));
  // block (result i32) try_table (catch 0 0) end unreachable end drop
  validate(m([op.block, i32, 0x1f, 0x40, ...vec([[0x00, 0, 0]]), op.end, op.unreachable, op.end, op.drop]));
  // catch_ref delivers [i32 exnref]; a label of [i32] does not take it.
  rejects(m([op.block, i32, 0x1f, 0x40, ...vec([[0x01, 0, 0]]), op.end, op.unreachable, op.end, op.drop]), 'type mismatch');
  // catch_all_ref into a block of (ref exn)
  validate(m([op.block, ...ref(EXN), 0x1f, 0x40, ...vec([[0x03, 0]]), op.end, op.unreachable, op.end, 0x0a]));
  rejects(m([0x1f, 0x40, ...vec([[0x00, 3, 0]]), op.end]), 'unknown tag');
  rejects(m([0x1f, 0x40, ...vec([[0x04, 0]]), op.end]), 'malformed catch clause', { malformed: true });
});

test('throw pops the tag parameters; legacy rethrow must name a catch block', () => {
  const types = [func([i32], []), func([], [])];
  const m = (code: number[]) => moduleBytes(typeSec(types), funcSec([1]), tagSec([0]), codeSec([body([], code)]));
  validate(m([op.i32Const, 1, 0x08, 0]));
  rejects(m([0x08, 0]), 'type mismatch: instruction requires [i32] but stack has []');
  // try catch 0 drop rethrow 0 end
  validate(m([0x06, 0x40, 0x07, 0, op.drop, 0x09, 0, op.end]));
  rejects(m([0x06, 0x40, 0x09, 0, op.end]), 'invalid rethrow label');
  // try ... delegate 0 targets the function body.
  validate(m([0x06, 0x40, 0x18, 0]));
  rejects(m([0x06, 0x40, 0x18, 1]), 'unknown label');
});
