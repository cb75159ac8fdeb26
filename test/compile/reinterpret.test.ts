// f64.reinterpret_i64 (float-bits.ts f64FromHalves: finite values by mantissa times a power of
// two, infinities and NaNs through the scratch) against Node's native WebAssembly, bit for bit:
// every exponent, subnormals, ±0, the largest finite values, infinities and NaN payloads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { parseWat } from '../../src/text/index.js';
import { xorshift32 } from '../helpers/xorshift.js';

const NATIVE = (globalThis as unknown as { WebAssembly: ReturnType<typeof createWebAssembly> }).WebAssembly;

// The value goes through f64 arithmetic-free paths (a local, a store) and comes back as bits, and
// once through f64.eq with itself and f64.add with 0, which read it as a number.
const wat = `(module (memory (export "mem") 1)
  (func (export "round") (param i64) (result i64) (local f64)
    (local.set 1 (f64.reinterpret_i64 (local.get 0)))
    (i64.reinterpret_f64 (local.get 1)))
  (func (export "store") (param i64) (result i64)
    (f64.store (i32.const 8) (f64.reinterpret_i64 (local.get 0))) (i64.load (i32.const 8)))
  (func (export "value") (param i64) (result f64) (f64.add (f64.reinterpret_i64 (local.get 0)) (f64.const 0))))`;

type Fns = { round(x: bigint): bigint; store(x: bigint): bigint; value(x: bigint): number };

const rand = xorshift32(0x1234567);

async function compare(ours: ReturnType<typeof createWebAssembly>, label: string): Promise<void> {
  const exportsOf = async (ns: typeof ours) => ((await ns.instantiate(parseWat(wat))) as { instance: { exports: Fns } }).instance.exports;
  const [n, o] = [await exportsOf(NATIVE), await exportsOf(ours)];
  const check = (bits: bigint) => {
    const b = BigInt.asIntN(64, bits);
    const h = b.toString(16);
    assert.equal(o.round(b), n.round(b), `${label} round ${h}`);
    assert.equal(o.store(b), n.store(b), `${label} store ${h}`);
    const [x, y] = [o.value(b), n.value(b)];
    assert.ok(Object.is(x, y) || (x !== x && y !== y), `${label} value ${h}: ${x} against ${y}`);
  };
  for (const b of [0n, 1n << 63n, 1n, (1n << 63n) | 1n, 0xfffffffffffffn, 0x10000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn,
    0x3ff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000000000001n,
    0x7ff4000000000000n, 0xfff7ffffffffffffn, 0x7ffc00000000beefn, 0x433fffffffffffffn, 0x4340000000000000n]) check(b);
  // Every exponent, with random mantissas and signs.
  for (let e = 0n; e < 2048n; e++) {
    for (let k = 0; k < 12; k++) check((BigInt(rand() & 1) << 63n) | (e << 52n) | (((BigInt(rand() >>> 0) << 32n) | BigInt(rand() >>> 0)) & 0xfffffffffffffn));
  }
  for (let i = 0; i < 20000; i++) check((BigInt(rand() >>> 0) << 32n) | BigInt(rand() >>> 0));
}

test('f64.reinterpret_i64 agrees with native WebAssembly bit for bit', async () => {
  await compare(createWebAssembly(), 'default');
});

test('and where NaNs are boxed', async () => {
  await compare(createWebAssembly({ engine: { nanBoxes: true } }), 'nanBoxes');
});
