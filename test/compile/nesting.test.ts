// Deeply nested blocks (Go's wasm opens one per resume point, thousands deep) compile and run in
// both compilation modes: long runs of empty blocks become one loop over a switch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompileError, Val } from '../../src/api/index.js';
import { instantiateWat } from '../api/wat-helper.js';

/**
 * n nested blocks entered through br_table on param 0; after each block's end, local 2 counts up;
 * after the end of block k = param 1, a branch skips ahead to the end of block k + 3.
 */
function dispatchWat(n: number): string {
  const labels = Array.from({ length: n }, (_, i) => `$b${i + 1}`);
  let body = `(br_table ${labels.join(' ')} (local.get 0))`;
  for (let k = 1; k <= n; k++) {
    const skip = k + 3 <= n ? `(br_if $b${k + 3} (i32.eq (local.get 1) (i32.const ${k})))` : '';
    body = `(block $b${k} ${body}) (local.set 2 (i32.add (local.get 2) (i32.const 1))) ${skip}`;
  }
  return `(module (func (export "run") (param i32 i32) (result i32) (local i32) ${body} (local.get 2)))`;
}

for (const compilation of ['lazy', 'eager'] as const) {
  test(`${compilation}: 3000 nested blocks dispatched by br_table`, () => {
    const n = 3000;
    const { store, instance } = instantiateWat(dispatchWat(n), { compilation });
    const run = instance.getFunc(store, 'run')!;
    const at = (i: number, skip = -1) => run.call(store, [Val.i32(i), Val.i32(skip)])[0]!.value;
    // Index t continues after the end of block t+1: ends t+1..n each add one.
    assert.equal(at(0), n);
    assert.equal(at(7), n - 7);
    assert.equal(at(n - 1), 1);
    // Out of range: the default (the last label, block n).
    assert.equal(at(n + 5), 1);
    // The skip after block 60 passes over the counting after the ends of blocks 61 and 62.
    assert.equal(at(7, 60), n - 7 - 2);
    assert.equal(at(70, 60), n - 70);
  });
}

/** A module whose export "f" returns the value of `body` (an i32 expression in folded text). */
const returning = (body: string) => `(module (func (export "f") (result i32) (local i32) ${body}))`;

for (const compilation of ['lazy', 'eager'] as const) {
  test(`${compilation}: long chains of stack operations stay within what the JS parser can nest`, () => {
    // Deferred operands nest: 3,000 chained i32.add used to be 6,000 nested parentheses, which
    // V8's parser refused (so did 1,000); long expressions are now evaluated into temps.
    const cases: [string, string, number][] = [
      ['i32.add', `(i32.const 0) ${'(i32.const 1) i32.add '.repeat(3000)}`, 3000],
      ['i64.add', `(i64.const 0) ${'(i64.const 1) i64.add '.repeat(3000)} i32.wrap_i64`, 3000],
      ['select', `(i32.const 7) ${'(i32.const 1) (local.get 0) select '.repeat(1000)}`, 1],
      ['f64', `(f64.const 1) ${'(f64.const 0.5) f64.mul (f64.const 0.5) f64.add '.repeat(1000)} i32.trunc_f64_s`, 1],
    ];
    for (const [name, body, expected] of cases) {
      const { store, instance } = instantiateWat(returning(body), { compilation });
      assert.equal(instance.getFunc(store, 'f')!.call(store, [])[0]!.value, expected, name);
    }
  });

  test(`${compilation}: control nested beyond what V8's parser handles is a clear CompileError`, () => {
    // A known limit of compiling to JS (docs/embedding.md): 3,000 loops inside each other.
    const wat = returning(`${'(loop '.repeat(3000)}nop${')'.repeat(3000)} (i32.const 3)`);
    assert.throws(() => {
      const { store, instance } = instantiateWat(wat, { compilation });
      instance.getFunc(store, 'f')!.call(store, []);
    }, (e: unknown) => e instanceof CompileError && /nests blocks, loops or ifs too deeply/.test(e.message));
  });
}
