// ToWebAssemblyValue and ToJSValue beside Node's, for every value type and a battery of JS values:
// Exported Function arguments and results, host function arguments and results (single and multi-
// value), missing and extra arguments, and the order in which conversions run.

import { test } from 'node:test';
import { instantiate, same, tracer, type Namespace } from './side-by-side.js';

/** JS values of every kind, with the edge cases of each conversion. */
const VALUES: readonly unknown[] = [
  0, -0, 1, -1, 1.5, -1.5, 2.5, 0.1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32 + 5, 2 ** 53, -(2 ** 63), 1e300, 3.4028235677973366e38,
  1.401298464324817e-45, 7e-46, NaN, Infinity, -Infinity, '12', ' 0x10 ', '1e3', 'abc', '', '-0', true, false, null, undefined,
  {}, [], [5], [1, 2], { valueOf: () => 7 }, { toString: () => '8' }, { valueOf: () => 9n }, { [Symbol.toPrimitive]: () => -3 },
  Symbol('s'), 1n, -1n, 0n, 2n ** 63n, 2n ** 64n + 3n, -(2n ** 63n) - 1n, 'x'.repeat(3), () => 1,
];
const TYPES = ['i32', 'i64', 'f32', 'f64', 'externref', 'funcref'] as const;

/** An identity function per type, and host functions receiving and returning each type. */
const MODULE = `(module
  ${TYPES.map((t) => `(import "host" "ret_${t}" (func $ret_${t} (result ${t})))`).join('\n  ')}
  (import "host" "args" (func $args (param i32 i64 f32 f64 externref funcref)))
  (import "host" "multi" (func $multi (result i32 i64 f32 f64 externref)))
  ${TYPES.map((t) => `(func (export "id_${t}") (param ${t}) (result ${t}) local.get 0)`).join('\n  ')}
  ${TYPES.map((t) => `(func (export "call_ret_${t}") (result ${t}) call $ret_${t})`).join('\n  ')}
  (func (export "pass") (param i32 i64 f32 f64 externref funcref)
    local.get 0 local.get 1 local.get 2 local.get 3 local.get 4 local.get 5 call $args)
  (func (export "call_multi") (result i32 i64 f32 f64 externref) call $multi)
  (func (export "consts") (result i32 i64 f32 f64)
    i32.const -1 i64.const -9223372036854775808 f32.const -0x1.fffffep127 f64.const nan:0x4000000000001))`;

/** Instantiates MODULE with host functions returning `ret` and recording what they receive. */
function setup(W: Namespace, ret: () => unknown, seen: unknown[] = []) {
  const host: Record<string, unknown> = { args: (...a: unknown[]) => void seen.push(a), multi: () => ret() };
  for (const t of TYPES) host[`ret_${t}`] = () => ret();
  return instantiate(W, MODULE, { host });
}

/** Makes values comparable across namespaces: functions and objects by identity with the input. */
function view(v: unknown, input: unknown): unknown {
  if (v === input && (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') && v !== null) return 'the same object';
  if (typeof v === 'function') return `function ${v.name}/${v.length}`;
  if (Array.isArray(v)) return v.map((x) => view(x, input));
  if (typeof v === 'symbol') return v.toString();
  return v;
}

test('arguments and results of Exported Functions', async () => {
  for (const t of TYPES) {
    for (const v of VALUES) await same((W) => view(setup(W, () => 0)[`id_${t}`](v), v), `id_${t}(${String(typeof v === 'symbol' ? 'symbol' : v)})`);
  }
  await same((W) => {
    const e = setup(W, () => 0);
    return [e.id_funcref(e.id_i32) === e.id_i32, e.id_funcref(null), e.consts()];
  });
});

test('results of host functions', async () => {
  for (const t of TYPES) {
    for (const v of VALUES) await same((W) => view(setup(W, () => v)[`call_ret_${t}`](), v), `ret_${t} returning ${String(typeof v === 'symbol' ? 'symbol' : v)}`);
  }
  await same((W) => {
    const e = setup(W, () => undefined);
    const f = e.id_i32;
    return instantiate(W, '(module (import "h" "f" (func (result funcref))) (func (export "g") (result funcref) call 0))', { h: { f: () => f } }).g() === f;
  });
});

test('arguments of host functions, and missing and extra arguments', async () => {
  await same((W) => {
    const seen: unknown[] = [];
    const e = setup(W, () => 0, seen);
    e.pass(-5, -(2n ** 63n), 1.1, -0, 'str', e.id_i32);
    e.pass();
    e.pass(1, 2n, 3, 4, 5, null, 'extra', 'arguments');
    return (seen as unknown[][]).map((a) => a.map((x) => (x === e.id_i32 ? 'id_i32' : x)));
  });
});

test('multi-value results in both directions', async () => {
  const results: unknown[] = [
    [1, 2n, 3.5, 4.25, 'x'], [1, 2n, 3, 4, 5, 6], [1, 2n], 'abcde', new Set([1, 2n, 3, 4, 5]), null, 5, undefined, {},
    [1, 2, 3, 4, 5], [1.9, '2', '3.5', 4n, undefined], { [Symbol.iterator]: 5 },
    { *[Symbol.iterator]() { yield 1; yield 2n; yield 3; yield 4; yield Symbol('x'); } },
    { [Symbol.iterator]() { throw new RangeError('from the iterator'); } },
  ];
  for (const r of results) await same((W) => view(setup(W, () => r).call_multi(), r));
  await same((W) => {
    const e = setup(W, () => 0);
    const a = e.consts();
    return [Array.isArray(a), Object.getPrototypeOf(a) === Array.prototype, a !== e.consts(), a];
  });
});

test('conversions run in order, and an exception in one stops the call', async () => {
  await same((W) => {
    const log: string[] = [];
    const e = setup(W, () => 0, []);
    e.pass(tracer(log, 'a', 1), tracer(log, 'b', 2n), tracer(log, 'c', 3), tracer(log, 'd', 4), tracer(log, 'e', 5), null);
    return log;
  });
  await same((W) => {
    const log: string[] = [];
    const e = setup(W, () => 0, []);
    try {
      e.pass(tracer(log, 'a', 1), 2, tracer(log, 'c', 3), 4, 5, null);
    } catch (err) {
      log.push((err as Error).constructor.name);
    }
    return log;
  });
  await same((W) => {
    const log: string[] = [];
    const e = setup(W, () => [tracer(log, 'r0', 1), tracer(log, 'r1', 2n), tracer(log, 'r2', 3), tracer(log, 'r3', 4), 5]);
    return [e.call_multi().slice(0, 4), log];
  });
});

test('a conversion that calls back into wasm does not disturb the results being returned', async () => {
  await same((W) => {
    let e: Namespace;
    // While the host's second result is converted, wasm returns other multi-value results.
    const sneaky = { valueOf: () => (e.consts(), 77n) };
    e = setup(W, () => [11, sneaky, 3, 4, 'last']);
    return e.call_multi();
  });
});

test('exceptions thrown by host functions reach the caller unchanged', async () => {
  for (const thrown of [new RangeError('mine'), new TypeError('t'), 42, undefined, null, { any: 'object' }]) {
    await same((W) => {
      const e = setup(W, () => { throw thrown; });
      try {
        e.call_ret_i32();
      } catch (err) {
        return err === thrown;
      }
      return 'no exception';
    });
  }
});
