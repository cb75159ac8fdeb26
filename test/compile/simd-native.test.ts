// Inline SIMD lowerings against Node's native WebAssembly. The i64x2 word-pair lowering
// (simd-i64x2.ts): every i64x2 arithmetic, shift, comparison and widening multiply on carry,
// borrow, sign and overflow edges and random lanes, with operands from loads, from constants and
// from other lane arithmetic, and shift counts both literal and computed at run time. Swizzle
// (indices in and out of range) and the SWAR i8x16.popcnt.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { parseWat } from '../../src/text/index.js';
import { xorshift32 } from '../helpers/xorshift.js';

const TS = createWebAssembly();
const NATIVE = (globalThis as unknown as { WebAssembly: typeof TS }).WebAssembly;

/** Words at the carry, borrow and sign edges. */
const EDGES = [0, 1, 2, -1, -2, 0x7fffffff, -0x80000000, -0x7fffffff, 0x80000, 0x12345678, -0x12345678, 0xffff, 0x10000];

const rand = xorshift32(0x9e3779b9 | 0);
const word = () => (rand() & 3) === 0 ? rand() : EDGES[(rand() >>> 0) % EDGES.length]!;

const BIN = ['add', 'sub', 'mul', 'eq', 'ne', 'lt_s', 'gt_s', 'le_s', 'ge_s',
  'extmul_low_i32x4_s', 'extmul_high_i32x4_s', 'extmul_low_i32x4_u', 'extmul_high_i32x4_u'];
const UN = ['neg', 'abs'];
const SHIFTS = ['shl', 'shr_s', 'shr_u'];
const COUNTS = [0, 1, 7, 31, 32, 33, 63, 64, 65, -1, 100];

/**
 * Each function stores its result at 64: operands a (at 0) and b (at 16) loaded; b a constant; a
 * the sum of two loads (lanes of inline arithmetic); shifts by literals and by the i32 at 32.
 */
function moduleText(): { wat: string; names: string[] } {
  const fns: string[] = [];
  const names: string[] = [];
  const fn = (name: string, body: string) => {
    names.push(name);
    fns.push(`(func (export "${name}") (v128.store (i32.const 64) ${body}))`);
  };
  const a = '(v128.load (i32.const 0))';
  const b = '(v128.load (i32.const 16))';
  const sum = `(i64x2.add ${a} (v128.load (i32.const 48)))`;
  const konst = '(v128.const i64x2 0x7fffffffffffffff 0xffffffff00000001)';
  for (const op of BIN) {
    fn(`${op}`, `(i64x2.${op} ${a} ${b})`);
    fn(`${op}/const`, `(i64x2.${op} ${a} ${konst})`);
    fn(`${op}/sum`, `(i64x2.${op} ${sum} ${b})`);
  }
  for (const op of UN) {
    fn(`${op}`, `(i64x2.${op} ${a})`);
    fn(`${op}/sum`, `(i64x2.${op} ${sum})`);
  }
  for (const op of SHIFTS) {
    fn(`${op}/var`, `(i64x2.${op} ${a} (i32.load (i32.const 32)))`);
    fn(`${op}/var-sum`, `(i64x2.${op} ${sum} (i32.add (i32.load (i32.const 32)) (i32.const 0)))`);
    for (const k of COUNTS) fn(`${op}/${k}`, `(i64x2.${op} ${a} (i32.const ${k}))`);
  }
  return { wat: `(module (memory (export "mem") 1) ${fns.join('\n')})`, names };
}

/** The module on native WebAssembly and on tswasm, with each one's first 20 words of memory. */
async function bothInstances(bytes: Uint8Array) {
  const exportsOf = async (ns: typeof TS) => ((await ns.instantiate(bytes)) as { instance: { exports: Record<string, unknown> } }).instance.exports;
  const native = await exportsOf(NATIVE);
  const ours = await exportsOf(TS);
  const words = (e: Record<string, unknown>) => new Int32Array((e.mem as { buffer: ArrayBuffer }).buffer, 0, 20);
  return { native, ours, nm: words(native), om: words(ours) };
}

test('inline i64x2 arithmetic, shifts and comparisons agree with native WebAssembly', async () => {
  const { wat, names } = moduleText();
  const bytes = parseWat(wat);
  const { native, ours, nm, om } = await bothInstances(bytes);
  let checked = 0;
  for (let round = 0; round < 600; round++) {
    const input = Array.from({ length: 16 }, word);
    input[8] = round < 200 ? COUNTS[round % COUNTS.length]! : rand();
    for (const name of names) {
      nm.set(input);
      om.set(input);
      (native[name] as () => void)();
      (ours[name] as () => void)();
      const want = [...nm.subarray(16, 20)];
      const got = [...om.subarray(16, 20)];
      assert.deepEqual(got, want, `${name} on [${input.map((x) => (x >>> 0).toString(16)).join(' ')}]`);
      checked++;
    }
  }
  assert.ok(checked > 40000);
});

test('inline i8x16.swizzle and i8x16.popcnt agree with native WebAssembly', async () => {
  const a = '(v128.load (i32.const 0))';
  const b = '(v128.load (i32.const 16))';
  const sum = `(i8x16.add ${a} (v128.load (i32.const 48)))`;
  const bodies: Record<string, string> = {
    swizzle: `(i8x16.swizzle ${a} ${b})`,
    'swizzle/sum': `(i8x16.swizzle ${sum} (i8x16.sub ${b} ${a}))`,
    'swizzle/twice': `(i8x16.swizzle (i8x16.swizzle ${a} ${b}) (i8x16.swizzle ${b} ${a}))`,
    'swizzle/const': `(i8x16.swizzle (v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c) ${b})`,
    popcnt: `(i8x16.popcnt ${a})`,
    'popcnt/sum': `(i8x16.popcnt ${sum})`,
  };
  const wat = `(module (memory (export "mem") 1) ${Object.entries(bodies).map(([n, body]) =>
    `(func (export "${n}") (v128.store (i32.const 64) ${body}))`).join('\n')})`;
  const bytes = parseWat(wat);
  const { native, ours, nm, om } = await bothInstances(bytes);
  // Index bytes: in range, just out of it (16, 31), high bit set (128, 255) and random.
  const index = () => [0, 15, 16, 17, 31, 32, 127, 128, 255, 1, 7][(rand() >>> 0) % 11]!;
  for (let round = 0; round < 2000; round++) {
    const input = Array.from({ length: 16 }, word);
    if (round % 2 === 0) {
      for (let k = 4; k < 8; k++) input[k] = index() | (index() << 8) | (index() << 16) | (index() << 24);
    } else if (round % 4 === 1) {
      for (let k = 4; k < 8; k++) input[k] = rand() & 0x0f0f0f0f;
    }
    for (const name of Object.keys(bodies)) {
      nm.set(input);
      om.set(input);
      (native[name] as () => void)();
      (ours[name] as () => void)();
      assert.deepEqual([...om.subarray(16, 20)], [...nm.subarray(16, 20)], `${name} on [${input.map((x) => (x >>> 0).toString(16)).join(' ')}]`);
    }
  }
});
