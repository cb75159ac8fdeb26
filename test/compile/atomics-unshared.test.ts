// Atomic accesses on an unshared memory are compiled as plain DataView accesses after the
// alignment check: every load, store, read-modify-write and compare-exchange, of every width, with
// and without a static offset, at aligned and misaligned addresses around both ends of memory and
// past them, gives native's results, traps (the alignment trap before the bounds one) and bytes; so
// do the same accesses on a shared memory, which go through the runtime helpers.

import { test } from 'node:test';
import { instantiate, same, type Namespace } from '../jsapi/side-by-side.js';
import { needsGrowableSharedBuffers } from '../helpers/oracle.js';

type Op = { name: string; params: string[]; body: (a: string) => string; result: string; size: number; offset: number };

const OPS: Op[] = [];
const WIDTHS: [string, string, number][] = [
  ['i32', '', 4], ['i64', '', 8], ['i32', '8', 1], ['i32', '16', 2], ['i64', '8', 1], ['i64', '16', 2], ['i64', '32', 4],
];
for (const [t, n, size] of WIDTHS) {
  const u = n === '' ? '' : '_u';
  for (const offset of [0, size === 1 ? 3 : size + 1, 65530]) {
    const off = offset ? ` offset=${offset}` : '';
    OPS.push({ name: `${t}.atomic.load${n}${u}${off}`, params: [], result: t, size, offset, body: (a) => `(${t}.atomic.load${n}${u}${off} ${a})` });
    OPS.push({ name: `${t}.atomic.store${n}${off}`, params: [t], result: '', size, offset, body: (a) => `(${t}.atomic.store${n}${off} ${a} (local.get 1))` });
    for (const op of ['add', 'sub', 'and', 'or', 'xor', 'xchg']) {
      const ins = `${t}.atomic.rmw${n}${n === '' ? '.' : '.'}${op}${u}${off}`;
      OPS.push({ name: ins, params: [t], result: t, size, offset, body: (a) => `(${ins} ${a} (local.get 1))` });
    }
    const cx = `${t}.atomic.rmw${n}.cmpxchg${u}${off}`;
    OPS.push({ name: cx, params: [t, t], result: t, size, offset, body: (a) => `(${cx} ${a} (local.get 1) (local.get 2))` });
  }
}

const module = (shared: boolean) => `(module (memory (export "mem") 1 2${shared ? ' shared' : ''})
${OPS.map((o, i) => `(func (export "f${i}") (param i32 ${o.params.join(' ')}) ${o.result ? `(result ${o.result})` : ''} ${o.body('(local.get 0)')})`).join('\n')}
(func (export "grow") (result i32) (memory.grow (i32.const 1))))`;

const ADDRESSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 65520, 65521, 65524, 65526, 65527, 65528, 65529, 65530, 65531, 65532, 65533, 65534, 65535, 65536, 65537, 65540,
  0x7ffffff8, 0xfffffff8, 0xfffffffc, 0xffffffff, 131064, 131068, 131072];
const I32S = [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678, 0x80, 0xff, 0xffff, 0x1ff80];
const I64S = [0n, 1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x12345678deadbeefn, 0xffffffffn, 0x100000000n, 0xff80n, 0x1ffffffff80n];

function pattern(bytes: Uint8Array): void {
  for (let i = 0; i < 32; i++) {
    bytes[i] = (i * 37 + 0x91) & 255;
    bytes[65536 - 32 + i] = (i * 53 + 0xe7) & 255;
  }
}

/** The trap's kind: the two engines word their messages differently. */
function trapKind(err: unknown): string {
  const m = (err as Error).message;
  return /unaligned/.test(m) ? 'trap: unaligned' : /out of bounds/.test(m) ? 'trap: out of bounds' : `other: ${m}`;
}

function run(W: Namespace, grown: boolean, shared = false): unknown[] {
  const e = instantiate(W, module(shared));
  if (grown) e.grow();
  const out: unknown[] = [];
  OPS.forEach((o, i) => {
    const f = e[`f${i}`];
    const values = o.params.map((p, k) => (p === 'i32' ? I32S : I64S)[(i * 3 + k * 7) % 10]);
    for (const a of ADDRESSES) {
      for (const shift of [0, 1]) {
        const args = values.map((v, k) => (shift && k === 0 ? (typeof v === 'bigint' ? v ^ 0x5a5a5a5a5a5a5a5an : v ^ 0x5a5a5a5a) : v));
        // cmpxchg: also with the expected value equal to what is there (read with the load of the same width).
        const bytes = new Uint8Array(e.mem.buffer);
        pattern(bytes);
        if (grown) bytes.fill(0x3c, 131072 - 32);
        let r: unknown;
        try {
          r = f(a, ...args);
        } catch (err) {
          r = trapKind(err);
          // Both misaligned and out of bounds: V8 reports the bounds, tswasm (as the threads
          // proposal's reference interpreter) the alignment (docs/testing.md).
          const ea = a + o.offset;
          if (ea % o.size !== 0 && ea + o.size > e.mem.buffer.byteLength) r = 'trap: misaligned and out of bounds';
        }
        const after = new Uint8Array(e.mem.buffer);
        out.push([o.name, a, String(r), Buffer.from(after.subarray(0, 32)).toString('hex'), Buffer.from(after.subarray(65536 - 32, 65536 + (grown ? 32 : 0))).toString('hex'),
          grown ? Buffer.from(after.subarray(131072 - 32)).toString('hex') : ''].join(' '));
      }
    }
  });
  return out;
}

test('unshared atomics: every op, width and offset at every boundary, as native', async () => {
  await same((W: Namespace) => run(W, false), 'one page');
  await same((W: Namespace) => run(W, true), 'after growing to two pages');
});

// The same on a shared memory (the runtime helpers' path), so both lowerings are held to native.
test('shared atomics: every op, width and offset at every boundary, as native', { skip: needsGrowableSharedBuffers('this test') }, async () => {
  await same((W: Namespace) => run(W, false, true), 'one page');
  await same((W: Namespace) => run(W, true, true), 'after growing to two pages');
});

test('unshared cmpxchg: matching and non-matching expected values, every width, as native', async () => {
  const text = `(module (memory (export "mem") 1)
    ${WIDTHS.map(([t, n], i) => `(func (export "c${i}") (param i32 ${t} ${t}) (result ${t}) (${t}.atomic.rmw${n}.cmpxchg${n === '' ? '' : '_u'} (local.get 0) (local.get 1) (local.get 2)))
      (func (export "l${i}") (param i32) (result ${t}) (${t}.atomic.load${n}${n === '' ? '' : '_u'} (local.get 0)))`).join('\n')})`;
  await same((W: Namespace) => {
    const e = instantiate(W, text);
    const out: string[] = [];
    WIDTHS.forEach(([t, , size], i) => {
      for (const a of [0, size, 65536 - size]) {
        const bytes = new Uint8Array(e.mem.buffer);
        pattern(bytes);
        const old = e[`l${i}`](a);
        // The expected value as it is, and with bits above the width set (ignored by narrow cmpxchg).
        const wide = t === 'i32' ? [old, old | (size < 4 ? 0x7f000000 : 0), old ^ 1] : [old, old | (size < 8 ? 0x7f00000000000000n : 0n), old ^ 1n];
        for (const x of wide) {
          pattern(bytes);
          const r = e[`c${i}`](a, x, t === 'i32' ? -0x12345679 : -0x123456789abcdefn);
          out.push(`${i} ${a} ${String(x)} ${String(r)} ${String(e[`l${i}`](a))}`);
        }
      }
    });
    return out;
  }, 'cmpxchg');
});

test('unshared 64-bit read-modify-writes: carries and borrows between the halves, as native', async () => {
  const ops = ['add', 'sub', 'and', 'or', 'xor', 'xchg'];
  const text = `(module (memory (export "mem") 1)
    ${ops.map((op) => `(func (export "${op}") (param i32 i64) (result i64) (i64.atomic.rmw.${op} (local.get 0) (local.get 1)))`).join('\n')})`;
  const EDGES = [0n, 1n, 0xffffffffn, 0x80000000n, 0x7fffffffn, 0x100000000n, 0xffffffff00000000n, -1n, -0x8000000000000000n, 0x7fffffffffffffffn, 0xfffffffe00000001n];
  await same((W: Namespace) => {
    const e = instantiate(W, text);
    const words = new BigInt64Array(e.mem.buffer);
    const out: string[] = [];
    for (const op of ops) {
      for (const m of EDGES) {
        for (const v of EDGES) {
          words[2] = BigInt.asIntN(64, m);
          const r = e[op](16, v);
          out.push(`${op} ${m} ${v} ${r} ${words[2]}`);
        }
      }
    }
    return out;
  }, '64-bit read-modify-writes');
});
