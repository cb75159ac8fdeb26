// Rules of the address-type, SIMD, threads, wide-arithmetic and custom-descriptors features.

import { test } from 'node:test';
import { ALL_FEATURES, WASM3_FEATURES, withFeatures } from '../../src/core/features.js';
import {
  body, codeSec, exactRef, func, funcModule, funcSec, i64, memSec, moduleBytes, op, rec, ref, struct, sub, typeSec, u32,
} from './builder.js';
import { rejects, validate } from './check.js';

const voidT = func([], []);
const withMemory = (memory: number[], code: number[]) =>
  moduleBytes(typeSec([voidT]), funcSec([0]), memSec([memory]), codeSec([body([], code)]));

test('memory64: addresses are i64, memory.copy between i32 and i64 memories takes the smaller size type', () => {
  validate(withMemory([0x04, 1], [op.i64Const, 0, 0x28, 2, 0, op.drop]));
  rejects(withMemory([0x04, 1], [op.i32Const, 0, 0x28, 2, 0, op.drop]), 'type mismatch');
  const two = moduleBytes(typeSec([voidT]), funcSec([0]), memSec([[0x00, 1], [0x04, 1]]),
    codeSec([body([], [op.i32Const, 0, op.i64Const, 0, op.i32Const, 0, 0xfc, 10, 0, 1])]));
  validate(two);
  const wrongSize = moduleBytes(typeSec([voidT]), funcSec([0]), memSec([[0x00, 1], [0x04, 1]]),
    codeSec([body([], [op.i32Const, 0, op.i64Const, 0, op.i64Const, 0, 0xfc, 10, 0, 1])]));
  rejects(wrongSize, 'type mismatch');
  // An i32 memory's offset must fit in 32 bits.
  rejects(withMemory([0x00, 1], [op.i32Const, 0, 0x28, 2, ...u32(2 ** 32), op.drop]), 'offset out of range');
});

test('SIMD lane indices are bounded by the lane count', () => {
  const v = [0xfd, ...u32(12), ...new Array(16).fill(0)];
  validate(withMemory([0x00, 1], [...v, 0xfd, ...u32(0x15), 15, op.drop]));
  rejects(withMemory([0x00, 1], [...v, 0xfd, ...u32(0x15), 16, op.drop]), 'invalid lane index');
  rejects(withMemory([0x00, 1], [...v, 0xfd, ...u32(0x1d), 2, op.drop]), 'invalid lane index');
  rejects(withMemory([0x00, 1], [...v, ...v, 0xfd, ...u32(0x0d), ...new Array(15).fill(0), 32, op.drop]), 'invalid lane index');
});

test('atomic accesses need exactly natural alignment', () => {
  const threads = withFeatures(WASM3_FEATURES, { threads: true });
  const load = (align: number) => withMemory([0x03, 1, 1], [op.i32Const, 0, 0xfe, ...u32(0x10), align, 0, op.drop]);
  validate(load(2), threads);
  rejects(load(1), 'atomic alignment must be natural', { features: threads });
});

test('wide arithmetic: i64.add128 takes four i64 and returns two', () => {
  const wide = withFeatures(WASM3_FEATURES, { wide_arithmetic: true });
  const add = [op.i64Const, 1, op.i64Const, 2, op.i64Const, 3, op.i64Const, 4, 0xfc, ...u32(19)];
  validate(funcModule([func([], [i64, i64])], [{ type: 0, code: add }]), wide);
  rejects(funcModule([func([], [i64])], [{ type: 0, code: add }]), 'type mismatch', { features: wide });
});

test('custom descriptors: allocation with descriptors, ref.get_desc and exact results', () => {
  // rec { 0: (descriptor 1) struct; 1: (describes 0) struct }
  const described = [0x4d, 1, 0x5f, 0];
  const descriptor = [0x4c, 0, 0x5f, 0];
  const types = [rec(described, descriptor), func([exactRef(1, true)], [exactRef(0)]), func([ref(0)], [exactRef(1)])];
  const m = (type: number, code: number[]) =>
    moduleBytes(typeSec(types), funcSec([type]), codeSec([body([], code)]));
  validate(m(2, [op.localGet, 0, 0xfb, 0x21, 0]), ALL_FEATURES);
  rejects(m(2, [0xfb, 1, 0]), 'type with descriptor requires descriptor allocation', { features: ALL_FEATURES });
  // ref.get_desc of an inexact (ref 0) gives an inexact (ref 1): not the exact result type.
  rejects(m(3, [op.localGet, 0, 0xfb, 0x22, 0]), 'type mismatch', { features: ALL_FEATURES });
  rejects(moduleBytes(typeSec([sub([], struct([])), [0x4c, 0, 0x5f, 0]])), 'described type is outside rec group', { features: ALL_FEATURES });
});
