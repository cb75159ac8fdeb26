// Modules at the size limits: as many functions as Wasmtime takes, and the limits it sets on
// parameters, results, struct fields and subtype depth, refused at validation with an offset.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompileError, Engine, Instance, Module, Store } from '../../src/api/index.js';
import { body, codeSec, exportEntry, exportSec, func, funcSec, i32, moduleBytes, typeSec } from '../validate/builder.js';

/** `count` functions `(result i32) i32.const 1`, the first exported as "f". */
function manyFunctions(count: number): Uint8Array {
  const one = body([], [0x41, 1]);
  return moduleBytes(typeSec([func([], [i32])]), funcSec(new Array<number>(count).fill(0)),
    exportSec([exportEntry('f', 0, 0)]), codeSec(new Array<number[]>(count).fill(one)));
}

for (const compilation of ['lazy', 'eager'] as const) {
  test(`${compilation}: 150,000 functions instantiate and run (a RangeError escaped from 110,000 on)`, () => {
    const engine = new Engine({ compilation });
    const store = new Store(engine);
    const instance = new Instance(store, new Module(engine, manyFunctions(150_000)), []);
    assert.equal(instance.getFunc(store, 'f')!.call(store, [])[0]!.value, 1);
  });
}

test('parameters, results, struct fields and subtype depth past Wasmtime\'s limits are CompileErrors with offsets', () => {
  const engine = new Engine();
  const cases: [string, string, RegExp][] = [
    ['params', `(module (type (func (param ${'i32 '.repeat(1001)}))))`, /parameters of type 0: 1001 is beyond the implementation limit of 1000/],
    ['results', `(module (type (func (result ${'i64 '.repeat(1001)}))))`, /results of type 0: 1001 is beyond the implementation limit of 1000/],
    ['fields', `(module (type (struct ${'(field i8) '.repeat(10_001)})))`, /fields of type 0: 10001 is beyond the implementation limit of 10000/],
    ['depth', `(module (rec (type $t0 (sub (struct))) ${Array.from({ length: 64 }, (_, i) => `(type $t${i + 1} (sub $t${i} (struct)))`).join(' ')}))`,
      /subtype depth of type 64: 64 is beyond the implementation limit of 63/],
  ];
  for (const [name, wat, message] of cases) {
    assert.throws(() => new Module(engine, wat), (e: unknown) => e instanceof CompileError && message.test(e.message) && e.offset > 0, name);
  }
  new Module(engine, `(module (type (func (param ${'i32 '.repeat(1000)}) (result ${'i32 '.repeat(1000)}))))`);
  new Module(engine, `(module (rec (type $t0 (sub (struct))) ${Array.from({ length: 63 }, (_, i) => `(type $t${i + 1} (sub $t${i} (struct)))`).join(' ')}))`);
});
