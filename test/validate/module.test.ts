// Module-level rules: exports, start, limits, tags, element segments, declared function
// references, and the data count requirement (a malformed-module error).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withFeatures, WASM3_FEATURES } from '../../src/core/features.js';
import {
  body, codeSec, dataCountSec, elemSec, exportEntry, exportSec, func, funcSec, i32, memSec, moduleBytes, op,
  startSec, tagSec, typeSec, u32, vec,
} from './builder.js';
import { rejects, validate } from './check.js';

const voidT = func([], []);

test('export names are unique and indices exist', () => {
  const twice = moduleBytes(typeSec([voidT]), funcSec([0]), exportSec([exportEntry('a', 0, 0), exportEntry('a', 0, 0)]), codeSec([body([], [])]));
  rejects(twice, 'duplicate export name');
  rejects(moduleBytes(exportSec([exportEntry('f', 0, 3)])), 'unknown function 3');
  rejects(moduleBytes(exportSec([exportEntry('m', 2, 0)])), 'unknown memory 0');
});

test('the start function takes and returns nothing', () => {
  const m = (t: number[], code: number[]) => moduleBytes(typeSec([t]), funcSec([0]), startSec(0), codeSec([body([], code)]));
  validate(m(voidT, []));
  rejects(m(func([], [i32]), [op.i32Const, 0]), 'start function');
  rejects(m(func([i32], []), []), 'start function');
  rejects(moduleBytes(startSec(0)), 'unknown function');
});

test('memory limits: 65536 pages for i32, min <= max, shared needs a max, page sizes 1 or 64 KiB', () => {
  validate(moduleBytes(memSec([[0x01, 0, ...u32(65536)]])));
  rejects(moduleBytes(memSec([[0x00, ...u32(65537)]])), 'memory size must be at most 65536 pages (4GiB)');
  rejects(moduleBytes(memSec([[0x01, 2, 1]])), 'size minimum must not be greater than maximum');
  validate(moduleBytes(memSec([[0x04, ...u32(2 ** 40)]])));
  const threads = withFeatures(WASM3_FEATURES, { threads: true });
  rejects(moduleBytes(memSec([[0x02, 1]])), 'shared memory must have maximum', { features: threads });
  const pages = withFeatures(WASM3_FEATURES, { custom_page_sizes: true });
  validate(moduleBytes(memSec([[0x08, 1, 0]])), pages);
  rejects(moduleBytes(memSec([[0x08, 1, 3]])), 'invalid custom page size', { features: pages });
});

test('tags need function types without results', () => {
  validate(moduleBytes(typeSec([func([i32], [])]), tagSec([0])));
  rejects(moduleBytes(typeSec([func([], [i32])]), tagSec([0])), 'non-empty tag result type');
});

test('ref.func in a body needs a declaration outside bodies', () => {
  const code = [op.refFunc, 0, op.drop];
  rejects(moduleBytes(typeSec([voidT]), funcSec([0]), codeSec([body([], code)])), 'undeclared function reference');
  // A declarative element segment (flags 3, elemkind 0) declares it.
  const declare = elemSec([[3, 0, ...vec([u32(0)])]]);
  const ok = validate(moduleBytes(typeSec([voidT]), funcSec([0]), declare, codeSec([body([], code)])));
  assert.ok(ok.declaredFuncRefs.has(0));
  // So does an export.
  validate(moduleBytes(typeSec([voidT]), funcSec([0]), exportSec([exportEntry('f', 0, 0)]), codeSec([body([], code)])));
});

test('memory.init and data.drop need a data count section (malformed), and a known segment', () => {
  const drop = [op.misc, 9, 0];
  rejects(moduleBytes(typeSec([voidT]), funcSec([0]), codeSec([body([], drop)])), 'data count section required', { malformed: true });
  rejects(moduleBytes(typeSec([voidT]), funcSec([0]), dataCountSec(0), codeSec([body([], drop)])), 'unknown data segment');
});

test('errors about a definition give the offset where it starts', async () => {
  const { parseWat } = await import('../../src/text/index.js');
  const noMultiMemory = withFeatures(WASM3_FEATURES, { multi_memory: false });
  // [module text, message, the byte at the error's offset, features]
  const cases: [string, string, number, typeof WASM3_FEATURES?][] = [
    ['(module (memory 2 1))', 'size minimum must not be greater than maximum', 0x01], // the limits' flags
    ['(module (table 2 1 funcref))', 'size minimum must not be greater than maximum', 0x70], // funcref
    ['(module (memory 0x1_0001))', 'memory size must be at most', 0x00],
    ['(module (func $f (param i32)) (start $f))', 'start function must not have parameters or results', 0x00],
    ['(module (type $a (sub final (struct))) (type (sub $a (struct))))', 'sub type 1 has final super type 0', 0x50],
    ['(module (type (func (result i32))) (tag (type 0)))', 'non-empty tag result type', 0x00],
    ['(module (type (struct)) (func (type 0)))', 'type mismatch: type 0 is not a function type', 0x00],
    ['(module (global (ref null 5) (ref.null none)))', 'unknown type 5', 0x63],
    ['(module (memory 1) (memory 1))', 'multiple memories', 0x00, noMultiMemory],
  ];
  for (const [text, message, byte, features] of cases) {
    const bytes = parseWat(text);
    const error = rejects(bytes, message, { features });
    assert.ok(error.offset >= 8 && error.offset < bytes.length, `${text}: offset ${error.offset}`);
    assert.equal(bytes[error.offset], byte, `${text}: the byte at 0x${error.offset.toString(16)}`);
  }
});
