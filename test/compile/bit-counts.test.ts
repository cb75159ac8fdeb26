// clz, ctz and popcnt of i32 and i64 (inline or branch-free in generated code, numeric.ts and
// i64.ts) against native WebAssembly, on words chosen to reach every path: a zero high or low
// half, single bits, all ones, and random words, both as code tuned for a JIT and for an interpreter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Instance, Module, Store, Val } from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';
import { xorshift32 } from '../helpers/xorshift.js';

const OPS = ['clz', 'ctz', 'popcnt'] as const;
const bytes = parseWat(`(module
  ${OPS.map((op) => `(func (export "i32.${op}") (param i32) (result i32) (i32.${op} (local.get 0)))
  (func (export "i64.${op}") (param i64) (result i64) (i64.${op} (local.get 0)))`).join('\n  ')})`);

const W: any = (globalThis as any).WebAssembly;
const native = new W.Instance(new W.Module(bytes)).exports;

function words(): bigint[] {
  const out: bigint[] = [0n, -1n, 1n, 1n << 63n];
  for (let i = 0; i < 64; i++) out.push(1n << BigInt(i), (1n << BigInt(i)) - 1n, -(1n << BigInt(i)));
  const next = xorshift32(20261128);
  for (let i = 0; i < 400; i++) {
    const lo = BigInt(next() >>> 0);
    const hi = BigInt(next() >>> 0);
    out.push(BigInt.asIntN(64, (hi << 32n) | lo), lo, hi << 32n, BigInt.asIntN(64, (hi >> BigInt(i % 32)) << 32n | lo));
  }
  return out;
}

test('clz, ctz and popcnt compute what native WebAssembly does on every path', () => {
  const all = words();
  for (const tuneForInterpreter of [false, true]) {
    const engine = new Engine({ tuneForInterpreter });
    const store = new Store(engine, null);
    const instance = new Instance(store, new Module(engine, bytes), []);
    for (const op of OPS) {
      const f32 = instance.getFunc(store, `i32.${op}`)!;
      const f64 = instance.getFunc(store, `i64.${op}`)!;
      for (const w of all) {
        const x = Number(BigInt.asIntN(32, w));
        assert.equal(f32.call(store, [Val.i32(x)])[0]!.value, native[`i32.${op}`](x), `i32.${op}(${x})`);
        assert.equal(f64.call(store, [Val.i64(w)])[0]!.value, native[`i64.${op}`](w), `i64.${op}(${w}) ${tuneForInterpreter}`);
      }
    }
  }
});
