// The opcode table is well formed and the generated Op enum agrees with it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';
import { OPCODES, opByByte, opByPrefixed, opsByName, Imm, ADDR } from '../../src/binary/opcodes.js';
import { Op } from '../../src/binary/op.js';
import { renderOpEnum } from '../../tools/op-enum.js';

test('op.ts is generated from the current opcode table', () => {
  const source = join(projectRoot, 'src/binary/op.ts');
  assert.equal(readFileSync(source, 'utf8'), renderOpEnum(), 'run: npx tsx tools/gen-op-enum.ts');
});

test('codes, enum names and lookups are consistent', () => {
  const enumNames = new Set<string>();
  for (const op of OPCODES) {
    assert.ok(!enumNames.has(op.enumName), `duplicate enum name ${op.enumName}`);
    enumNames.add(op.enumName);
    const found = op.prefix === 0 ? opByByte(op.sub) : opByPrefixed(op.prefix, op.sub);
    assert.equal(found, op);
    assert.ok(opsByName(op.name)?.includes(op));
  }
  assert.equal(Op.I32Add, 0x6a);
  assert.equal(Op.I64Add128, 0xfc0013);
  assert.equal(Op.I32x4RelaxedDotI8x16I7x16AddS, 0xfd0113);
  assert.equal(Op.I64AtomicRmw32CmpxchgU, 0xfe004e);
});

test('memory instructions carry their natural alignment and address operand', () => {
  const load = opsByName('i64.load32_u')![0]!;
  assert.equal(load.imm, Imm.MemArg);
  assert.equal(load.align, 2);
  assert.deepEqual(load.params, [ADDR]);
  const lane = opsByName('v128.load16_lane')![0]!;
  assert.equal(lane.imm, Imm.MemArgLane);
  assert.equal(lane.align, 1);
  assert.equal(lane.lanes, 8);
});

test('shared mnemonics have distinct opcodes', () => {
  assert.deepEqual(opsByName('ref.test')!.map((o) => o.code), [Op.RefTest, Op.RefTestNull]);
  assert.deepEqual(opsByName('select')!.map((o) => o.code), [Op.Select, Op.SelectT]);
});
