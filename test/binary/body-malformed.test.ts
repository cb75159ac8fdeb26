// The binary checks that happen while walking function bodies: a missing END, illegal opcodes,
// bad memarg flags and immediates, and bytes left after the final END are malformed-module errors;
// and the preamble's version, where a component is named as one.

import { test } from 'node:test';
import { body, codeSec, func, funcSec, moduleBytes, op, rawBody, typeSec, memSec, u32 } from '../validate/builder.js';
import { rejects, validate } from '../validate/check.js';

const voidT = typeSec([func([], [])]);
const one = (entry: number[], ...extra: number[][]) => moduleBytes(voidT, funcSec([0]), ...extra, codeSec([entry]));

test('a body must end with END exactly at its end', () => {
  // At the end of the module, and before a following section, as the reference interpreter words it.
  rejects(one(rawBody([], [op.i32Const, 1, op.drop])), 'unexpected end of section or function', { malformed: true });
  rejects(one(rawBody([], [op.block, 0x40, op.end])), 'unexpected end', { malformed: true });
  const twoFuncs = moduleBytes(voidT, funcSec([0, 0]), codeSec([rawBody([], [op.nop]), body([], [])]));
  rejects(twoFuncs, 'END opcode expected', { malformed: true });
  rejects(one(rawBody([], [op.end, op.nop])), 'section size mismatch', { malformed: true });
  validate(one(rawBody([], [op.end])));
});

test('unknown opcodes and opcodes of disabled features are illegal', () => {
  rejects(one(body([], [0xff])), 'illegal opcode', { malformed: true });
  rejects(one(body([], [0xfc, ...u32(99)])), 'illegal opcode', { malformed: true });
  // i64.add128 belongs to wide-arithmetic, off by default.
  rejects(one(body([], [0xfc, ...u32(19)])), 'illegal opcode', { malformed: true });
});

test('immediates: memarg flags, truncated LEBs, reserved bytes', () => {
  const mem = memSec([[0x00, 1]]);
  rejects(one(body([], [op.i32Const, 0, 0x28, 0x80, 0x01, 0, op.drop]), mem), 'malformed memop flags', { malformed: true });
  rejects(one(rawBody([], [op.i32Const, 0x80])), 'unexpected end', { malformed: true });
  rejects(one(body([], [op.i32Const, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, op.drop])), 'integer representation too long', { malformed: true });
  rejects(one(body([], [0x3f, 0x00, op.drop])), 'unknown memory', {});
  // Alignment larger than natural is a validation error, not malformed.
  rejects(one(body([], [op.i32Const, 0, 0x28, 3, 0, op.drop]), mem), 'alignment must not be larger than natural');
});

test('a component is refused with the spec\'s message and what it is', () => {
  // The component model's preamble: the magic, then version 0x0d and layer 1.
  const component = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
  rejects(component, 'unknown binary version: this is a WebAssembly component, not a core module', { malformed: true });
  rejects(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]), 'unknown binary version', { malformed: true });
});
