// f32.copysign and f64.copysign (numeric.ts: b's sign through the scratch, a's magnitude by
// Math.abs and negation; the copysign helper where NaNs are boxed) against Node's native
// WebAssembly, bit for bit: copysign is a bit operation, so a NaN keeps its payload (signalling
// ones too) and takes the sign of b, which may itself be a NaN or a zero. Operands come from
// parameters, from memory and from other arithmetic, and every function runs warm.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { parseWat } from '../../src/text/index.js';
import { xorshift32 } from '../helpers/xorshift.js';

const NATIVE = (globalThis as unknown as { WebAssembly: ReturnType<typeof createWebAssembly> }).WebAssembly;

const wat = `(module (memory (export "mem") 1)
  (func (export "c64") (param i64 i64) (result i64)
    (i64.reinterpret_f64 (f64.copysign (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))
  (func (export "c32") (param i32 i32) (result i32)
    (i32.reinterpret_f32 (f32.copysign (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
  (func (export "m64") (result i64)
    (f64.store (i32.const 16) (f64.copysign (f64.load (i32.const 0)) (f64.load (i32.const 8)))) (i64.load (i32.const 16)))
  (func (export "m32") (result i32)
    (f32.store (i32.const 16) (f32.copysign (f32.load (i32.const 0)) (f32.load (i32.const 8)))) (i32.load (i32.const 16)))
  (func (export "n64") (result i64)
    (i64.reinterpret_f64 (f64.copysign (f64.copysign (f64.load (i32.const 0)) (f64.load (i32.const 8))) (f64.neg (f64.load (i32.const 8))))))
  (func (export "s64") (param i64 i64) (result i64) (local f64)
    (local.set 2 (f64.copysign (f64.reinterpret_i64 (local.get 0)) (f64.mul (f64.reinterpret_i64 (local.get 1)) (f64.const 2))))
    (i64.reinterpret_f64 (local.get 2))))`;

type Fns = { c64(a: bigint, b: bigint): bigint; c32(a: number, b: number): number; m64(): bigint; m32(): number; n64(): bigint; s64(a: bigint, b: bigint): bigint; mem: { buffer: ArrayBuffer } };

const rand = xorshift32(0x7eed);

const F64S = [0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n,
  0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000000000001n, 0xfff0000000000001n, 0x7ff4000000000000n, 0x7ffc00000000beefn,
  0xfff7ffffffffffffn, 0x1n, 0x800fffffffffffffn, 0x7fefffffffffffffn];
const F32S = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001,
  0x7fa00000, 0x7fc0beef, 0xffbfffff, 1, 0x807fffff, 0x7f7fffff].map((x) => x | 0);

async function compare(ours: ReturnType<typeof createWebAssembly>, label: string): Promise<void> {
  const exportsOf = async (ns: typeof ours) => ((await ns.instantiate(parseWat(wat))) as { instance: { exports: Fns } }).instance.exports;
  const [n, o] = [await exportsOf(NATIVE), await exportsOf(ours)];
  const [nm, om] = [new DataView(n.mem.buffer), new DataView(o.mem.buffer)];
  const pick64 = () => (rand() & 1 ? F64S[(rand() >>> 0) % F64S.length]! : (BigInt(rand() >>> 0) << 32n) | BigInt(rand() >>> 0));
  const pick32 = () => (rand() & 1 ? F32S[(rand() >>> 0) % F32S.length]! : rand());
  const check = (what: string, got: unknown, want: unknown) => assert.equal(got, want, `${label} ${what}`);
  for (let i = 0; i < 6000; i++) {
    const a = BigInt.asIntN(64, pick64());
    const b = BigInt.asIntN(64, pick64());
    const x = pick32();
    const y = pick32();
    const args = `${a.toString(16)} ${b.toString(16)} / ${(x >>> 0).toString(16)} ${(y >>> 0).toString(16)}`;
    check(`c64 ${args}`, o.c64(a, b), n.c64(a, b));
    check(`c32 ${args}`, o.c32(x, y), n.c32(x, y));
    // b * 2 may quieten: sign and exponent only. A NaN product's sign is the spec's free choice (V8's
    // hardware keeps b's; where NaNs are boxed, as on V8 from 14.2, it is the canonical NaN's).
    const s64Mask = (b & 0x7ff0000000000000n) === 0x7ff0000000000000n && (b & 0xfffffffffffffn) !== 0n ? 0x7ff0000000000000n : ~0xfffffffffffffn;
    check(`s64 ${args}`, o.s64(a, b) & s64Mask, n.s64(a, b) & s64Mask);
    for (const [dv, at, v] of [[nm, 0, a], [om, 0, a], [nm, 8, b], [om, 8, b]] as const) dv.setBigInt64(at, v, true);
    check(`m64 ${args}`, o.m64(), n.m64());
    check(`n64 ${args}`, o.n64(), n.n64());
    for (const [dv, at, v] of [[nm, 0, x], [om, 0, x], [nm, 8, y], [om, 8, y]] as const) dv.setInt32(at, v, true);
    check(`m32 ${args}`, o.m32(), n.m32());
  }
}

test('f32.copysign and f64.copysign agree with native WebAssembly bit for bit', async () => {
  await compare(createWebAssembly(), 'default');
});

test('and where NaNs are boxed (the copysign helper)', async () => {
  await compare(createWebAssembly({ engine: { nanBoxes: true } }), 'nanBoxes');
});
