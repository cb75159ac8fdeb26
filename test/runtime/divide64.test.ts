// udivmod64, the BigInt-free 64-bit division behind i64.div/rem's slow paths, against BigInt: every
// pair of edge values and random operands of every magnitude, divisors below and above 2^32.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QR, udivmod64 } from '../../src/runtime/divide64.js';

const M = (1n << 64n) - 1n;
let seed = 0x9e3779b97f4a7c15n;
function random(): bigint {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) & M;
  // Every magnitude: a random 64-bit value shifted right by 0-63 bits.
  return (seed ^ (seed << 17n)) & M >> BigInt(Number(seed >> 58n));
}
const EDGES = [1n, 2n, 3n, 0x7fff0000n, 0x7fffffffn, 0x80000000n, 0xfffffffen, 0xffffffffn, 1n << 32n, (1n << 32n) + 1n,
  (1n << 53n) - 1n, (1n << 53n) + 1n, (1n << 63n) - 1n, 1n << 63n, M - 1n, M, 0xffffffff00000000n, 0x00000001ffffffffn];

function check(a: bigint, b: bigint): void {
  udivmod64(Number(a & 0xffffffffn) | 0, Number(a >> 32n) | 0, Number(b & 0xffffffffn) | 0, Number(b >> 32n) | 0);
  const q = (BigInt(QR.qh) << 32n) | BigInt(QR.ql);
  const r = (BigInt(QR.rh) << 32n) | BigInt(QR.rl);
  assert.ok(QR.ql >= 0 && QR.ql < 2 ** 32 && QR.qh >= 0 && QR.qh < 2 ** 32 && QR.rl >= 0 && QR.rl < 2 ** 32 && QR.rh >= 0 && QR.rh < 2 ** 32, `${a} / ${b}: halves out of range`);
  assert.equal(q, a / b, `${a} / ${b}`);
  assert.equal(r, a % b, `${a} % ${b}`);
}

test('udivmod64 matches BigInt on edge values and 200,000 random pairs', () => {
  for (const a of [0n, ...EDGES]) for (const b of EDGES) check(a, b);
  for (let i = 0; i < 200_000; i++) {
    const b = random();
    if (b !== 0n) check(random(), b);
  }
});

test('udivmod64 near exact multiples, where the double estimate of the quotient is one off either way', () => {
  for (let i = 0; i < 100_000; i++) {
    const b = random() | (1n << 32n); // above 2^32: the estimated path
    const q = random() & 0xffffffffn;
    for (const r of [0n, 1n, b - 1n]) {
      const a = q * b + r;
      if (a <= M) check(a, b);
    }
  }
});
