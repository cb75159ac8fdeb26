// f32.nearest and f64.nearest (float-bits.ts `nearest`, floor based and branch-free) against
// Node's native WebAssembly, scalar and as f32x4/f64x2 lanes: ties at every magnitude, the
// largest non-integers, ±0 and the fractions that round to it, infinities, random bit patterns.
// A NaN result must be arithmetic (quiet bit set), and canonical where the input is, as the spec
// allows; tswasm gives the canonical NaN, native the quietened input, so only that is compared.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { parseWat } from '../../src/text/index.js';
import { xorshift32 } from '../helpers/xorshift.js';

const TS = createWebAssembly();
const NATIVE = (globalThis as unknown as { WebAssembly: typeof TS }).WebAssembly;

const wat = `(module
  (func (export "n64") (param i64) (result i64) (i64.reinterpret_f64 (f64.nearest (f64.reinterpret_i64 (local.get 0)))))
  (func (export "n32") (param i32) (result i32) (i32.reinterpret_f32 (f32.nearest (f32.reinterpret_i32 (local.get 0)))))
  (func (export "v64") (param i64) (result i64) (i64x2.extract_lane 1 (f64x2.nearest (i64x2.splat (local.get 0)))))
  (func (export "v32") (param i32) (result i32) (i32x4.extract_lane 2 (f32x4.nearest (i32x4.splat (local.get 0))))))`;

type Fns = { n64(x: bigint): bigint; n32(x: number): number; v64(x: bigint): bigint; v32(x: number): number };
const exportsOf = async (ns: typeof TS) => ((await ns.instantiate(parseWat(wat))) as { instance: { exports: Fns } }).instance.exports;

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bits64 = (x: number) => ((f64[0] = x), BigInt.asIntN(64, u64[0]!));
const bits32 = (x: number) => ((f32[0] = x), u32[0]! | 0);

const rand = xorshift32(0x51f15e);

function edgeValues(): number[] {
  const xs = [0, 0.5, 1.5, 2.5, 3.5, 0.49999999999999994, 0.5000000000000001, 0.49999997, 0.50000006, 1e-300, 5e-324,
    2 ** 52 - 0.5, 2 ** 52 - 1.5, 2 ** 52, 2 ** 52 + 1, 2 ** 53, 2 ** 53 - 1, 2 ** 23 - 0.5, 2 ** 23 + 0.5, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 2,
    2 ** 31 + 0.5, 2 ** 31 - 0.5, 2 ** 32 + 0.5, 1e300, Number.MAX_VALUE, Infinity, 0.3, 0.7, 0.9999999999999999, 1 - 2 ** -60, 2 ** -60];
  // Ties and their neighbours at every magnitude below 2^53.
  for (let e = 0; e < 53; e++) {
    const t = 2 ** e + 0.5;
    xs.push(t, t + 1, t - 1);
  }
  return [...xs, ...xs.map((x) => -x)];
}

test('f64.nearest and f32.nearest agree with native WebAssembly', async () => {
  const [native, ours] = [await exportsOf(NATIVE), await exportsOf(TS)];
  const check64 = (b: bigint) => {
    for (const fn of ['n64', 'v64'] as const) {
      const want = native[fn](b);
      const got = ours[fn](b);
      const exp = (b >> 52n) & 0x7ffn;
      if (exp === 0x7ffn && (b & 0xfffffffffffffn) !== 0n) {
        // NaN in: an arithmetic NaN out, canonical for a canonical input.
        assert.equal((got >> 51n) & 0xfffn, 0xfffn, `${fn} ${b.toString(16)}: ${got.toString(16)} is not an arithmetic NaN`);
        if ((b & 0xfffffffffffffn) === 0x8000000000000n) assert.equal(got & 0xfffffffffffffn, 0x8000000000000n);
      } else assert.equal(got, want, `${fn} ${b.toString(16)}`);
    }
  };
  const check32 = (b: number) => {
    for (const fn of ['n32', 'v32'] as const) {
      const want = native[fn](b);
      const got = ours[fn](b);
      if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
        assert.equal((got >>> 22) & 0x1ff, 0x1ff, `${fn} ${(b >>> 0).toString(16)}: ${(got >>> 0).toString(16)} is not an arithmetic NaN`);
        if ((b & 0x7fffff) === 0x400000) assert.equal(got & 0x7fffff, 0x400000);
      } else assert.equal(got, want, `${fn} ${(b >>> 0).toString(16)}`);
    }
  };
  for (const x of edgeValues()) {
    check64(bits64(x));
    check32(bits32(x));
  }
  for (const b of [0x7ff8000000000000n, -0x8000000000000n, 0x7ff0000000000001n, 0x7ff4000000000000n, -0x1n, 0x7ff0000000000000n]) check64(BigInt.asIntN(64, b));
  for (const b of [0x7fc00000, 0xffc00000 | 0, 0x7f800001, 0x7fa00000, -1, 0x7f800000]) check32(b);
  for (let i = 0; i < 30000; i++) {
    // Random patterns, and random values near the rounding range (exponents 0-60 of f64, 0-30 of f32).
    const hi = i % 2 === 0 ? rand() : ((rand() & 0x80000000) | ((0x3fe + ((rand() >>> 0) % 60)) << 20) | (rand() & 0xfffff));
    check64((BigInt(hi) << 32n) | BigInt(rand() >>> 0));
    check32(i % 2 === 0 ? rand() : ((rand() & 0x80000000) | ((0x7e + ((rand() >>> 0) % 30)) << 23) | (rand() & 0x7fffff)));
  }
});
