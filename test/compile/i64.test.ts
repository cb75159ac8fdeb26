// The i64 lowering (two int32 halves) against BigInt on random and edge-case operands.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Val } from '../../src/api/index.js';
import { instantiateWat } from '../api/wat-helper.js';

// Constant divisors of i64.div_s and rem_s, inside and just outside the inline path's ±[2, 2^31 - 2^16).
const DIVISORS = [10n, -10n, 1000000n, -7n, 2n, -2n, 0x7ffeffffn, -0x7ffeffffn, 0x7fff0000n, -0x7fff0000n, 1n, -1n, 0x100000003n];
const BINARY = ['add', 'sub', 'mul', 'div_u', 'rem_u', 'div_s', 'rem_s', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
const wat = `(module ${BINARY.map((op) => `(func (export "${op}") (param i64 i64) (result i64) (i64.${op} (local.get 0) (local.get 1)))`).join('\n')}
  (func (export "lt_u") (param i64 i64) (result i32) (i64.lt_u (local.get 0) (local.get 1)))
  (func (export "lt_s") (param i64 i64) (result i32) (i64.lt_s (local.get 0) (local.get 1)))
  (func (export "mul_const") (param i64) (result i64) (i64.mul (local.get 0) (i64.const 0x2545F4914F6CDD1D)))
  (func (export "shr_const") (param i64) (result i64) (i64.shr_u (local.get 0) (i64.const 33)))
  ${DIVISORS.map((d, i) => `(func (export "div_s_${i}") (param i64) (result i64) (i64.div_s (local.get 0) (i64.const ${d})))
  (func (export "rem_s_${i}") (param i64) (result i64) (i64.rem_s (local.get 0) (i64.const ${d})))`).join('\n')})`;

const M = (1n << 64n) - 1n;
const s64 = (x: bigint) => BigInt.asIntN(64, x);
const u64 = (x: bigint) => BigInt.asUintN(64, x);
function reference(op: string, a: bigint, b: bigint): bigint | null {
  const ua = u64(a), ub = u64(b), k = ub & 63n;
  switch (op) {
    case 'add': return s64(a + b);
    case 'sub': return s64(a - b);
    case 'mul': return s64(a * b);
    case 'div_u': return ub === 0n ? null : s64(ua / ub);
    case 'rem_u': return ub === 0n ? null : s64(ua % ub);
    case 'div_s': return b === 0n || (a === -(1n << 63n) && b === -1n) ? null : s64(a / b);
    case 'rem_s': return b === 0n ? null : s64(a % b);
    case 'and': return s64(a & b);
    case 'or': return s64(a | b);
    case 'xor': return s64(a ^ b);
    case 'shl': return s64(a << k);
    case 'shr_s': return s64(a >> k);
    case 'shr_u': return s64(ua >> k);
    case 'rotl': return s64(((ua << k) | (ua >> ((64n - k) & 63n))) & M);
    case 'rotr': return s64(((ua >> k) | (ua << ((64n - k) & 63n))) & M);
  }
  throw new Error(op);
}

let seed = 12345n;
function random(): bigint {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) & M;
  const shape = Number(seed >> 60n);
  const v = s64(seed ^ (seed << 17n));
  if (shape < 4) return v >> BigInt(Number(seed & 63n));
  if (shape < 6) return BigInt(Number(seed >> 32n) & 0x7fffffff);
  return v;
}
const EDGES = [0n, 1n, -1n, 2n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -(1n << 63n), (1n << 63n) - 1n, 61n, 0x7ffeffffn,
  0x7fff0000n, 0x80000001n, 0xfffffffbn];

// Code tuned for an interpreter takes its own i64.rem_u path (a divisor below 2^32: double `%`).
for (const tuneForInterpreter of [false, true, 'javascriptcore'] as const) test(`i64 binary operations match BigInt${tuneForInterpreter === false ? '' : ` (tuneForInterpreter: ${tuneForInterpreter})`}`, () => {
  seed = 12345n;
  const { store, instance } = instantiateWat(wat, { tuneForInterpreter });
  const pairs: [bigint, bigint][] = [];
  for (const a of EDGES) for (const b of EDGES) pairs.push([a, b]);
  for (let i = 0; i < 3000; i++) pairs.push([random(), random()]);
  // Divisors from 2^31 - 2^16 up to 2^32, past the inline path of div_u and rem_u.
  for (let i = 0; i < 1000; i++) pairs.push([random(), 0x7fff0000n + (u64(random()) % 0x80010000n)]);
  // Divisors of either sign below 2^31 - 2^16 in magnitude, the inline path of div_s and rem_s,
  // and the dividends whose magnitude needs a carry when negated.
  for (let i = 0; i < 1000; i++) pairs.push([random(), s64(random() % 0x7fff0000n)]);
  for (const a of [-(1n << 63n), -(1n << 32n), -1n, -(1n << 63n) + 1n]) for (const b of [2n, -2n, 3n, -3n, 0x7ffeffffn, -0x7ffeffffn]) pairs.push([a, b]);
  for (const op of BINARY) {
    const f = instance.getFunc(store, op)!;
    for (const [a, b] of pairs) {
      const want = reference(op, a, b);
      if (want === null) {
        assert.throws(() => f.call(store, [Val.i64(a), Val.i64(b)]), /divide by zero|integer overflow/);
        continue;
      }
      assert.equal(f.call(store, [Val.i64(a), Val.i64(b)])[0]!.value, want, `${op}(${a}, ${b})`);
    }
  }
});

test('i64.div_s and rem_s by constants match BigInt', () => {
  seed = 777n;
  const { store, instance } = instantiateWat(wat);
  const dividends = [...EDGES, ...EDGES.map((e) => -e), ...Array.from({ length: 500 }, () => random())];
  DIVISORS.forEach((d, i) => {
    for (const op of ['div_s', 'rem_s']) {
      const f = instance.getFunc(store, `${op}_${i}`)!;
      for (const a of dividends) {
        const want = reference(op, s64(a), d);
        if (want === null) assert.throws(() => f.call(store, [Val.i64(s64(a))]), /integer overflow/);
        else assert.equal(f.call(store, [Val.i64(s64(a))])[0]!.value, want, `${op}(${s64(a)}, ${d})`);
      }
    }
  });
});

test('i64 comparisons and constant operands', () => {
  const { store, instance } = instantiateWat(wat);
  for (let i = 0; i < 2000; i++) {
    const a = random();
    const b = i % 3 === 0 ? a : random();
    assert.equal(instance.getFunc(store, 'lt_u')!.call(store, [Val.i64(a), Val.i64(b)])[0]!.value, u64(a) < u64(b) ? 1 : 0);
    assert.equal(instance.getFunc(store, 'lt_s')!.call(store, [Val.i64(a), Val.i64(b)])[0]!.value, a < b ? 1 : 0);
    assert.equal(instance.getFunc(store, 'mul_const')!.call(store, [Val.i64(a)])[0]!.value, s64(a * 0x2545F4914F6CDD1Dn));
    assert.equal(instance.getFunc(store, 'shr_const')!.call(store, [Val.i64(a)])[0]!.value, s64(u64(a) >> 33n));
  }
});
