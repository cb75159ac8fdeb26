// Errors at the boundary beside Node's: every trap is a WebAssembly.RuntimeError (the class itself),
// stack exhaustion the RangeError JS throws, and errors crossing nested JS -> wasm -> JS -> wasm calls.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantiate, ours, same, type Namespace } from './side-by-side.js';

const TRAPS = `(module
  (memory 1) (table 2 funcref) (type $v (func))
  (func $ok)
  (elem (i32.const 0) $ok)
  (func (export "unreachable") unreachable)
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32) (i64.store (local.get 0) (i64.const 1)))
  (func (export "call") (param i32) (call_indirect (type $v) (local.get 0)))
  (func (export "badsig") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
  (func $rec (export "recurse") (param i32) (result i32) (i32.add (call $rec (local.get 0)) (i32.const 1)))
  (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 0) (local.get 1))))`;

test('traps are RuntimeErrors with the spec\'s constructor, and stack exhaustion is a RangeError', async () => {
  const calls: [string, (e: Namespace) => unknown][] = [
    ['unreachable', (e) => e.unreachable()], ['division by zero', (e) => e.div(1, 0)], ['overflow', (e) => e.div(-(2 ** 31), -1)],
    ['bad conversion', (e) => e.trunc(NaN)], ['trunc overflow', (e) => e.trunc(1e20)], ['load out of bounds', (e) => e.load(65533)],
    ['store out of bounds', (e) => e.store(-1)], ['null element', (e) => e.call(1)], ['table out of bounds', (e) => e.call(2)],
    ['wrong signature', (e) => e.badsig(0)], ['fill out of bounds', (e) => e.fill(65000, 1000)], ['fine', (e) => e.call(0)],
  ];
  for (const [what, call] of calls) {
    await same((W: Namespace) => {
      try {
        return call(instantiate(W, TRAPS));
      } catch (e) {
        return [(e as Error).constructor === W.RuntimeError, e instanceof W.RuntimeError, Object.getPrototypeOf(e) === W.RuntimeError.prototype,
          (e as Error).name];
      }
    }, what);
  }
  await same((W: Namespace) => {
    try {
      instantiate(W, TRAPS).recurse(0);
    } catch (e) {
      return [(e as Error).constructor.name, (e as Error).message];
    }
    return 'returned';
  }, 'stack exhaustion');
});

test('errors crossing nested calls: traps, JS exceptions, and calling on after a trap', async () => {
  const nested = `(module (import "h" "f" (func $f (param i32)))
    (func (export "outer") (param i32) (call $f (local.get 0)))
    (func (export "inner") (param i32) (result i32) (if (local.get 0) (then unreachable)) (i32.const 5)))`;
  await same((W: Namespace) => {
    const log: unknown[] = [];
    let e: Namespace;
    e = instantiate(W, nested, {
      h: {
        f: (x: number) => {
          try {
            log.push(e.inner(x));
          } catch (err) {
            log.push(`inner: ${(err as Error).constructor === W.RuntimeError}`);
            if (x === 2) throw err;
          }
        },
      },
    });
    e.outer(0);
    e.outer(1);
    try {
      e.outer(2);
    } catch (err) {
      log.push(`outer: ${(err as Error).constructor === W.RuntimeError}`);
    }
    e.outer(0);
    return log;
  });
});

test('a RangeError thrown by JS is not mistaken for a trap', async () => {
  await same((W: Namespace) => {
    const mine = new RangeError('offset is outside the bounds of the DataView');
    const e = instantiate(W, '(module (import "h" "f" (func)) (func (export "run") call 0))', { h: { f: () => { throw mine; } } });
    try {
      e.run();
    } catch (err) {
      return err === mine;
    }
    return 'no exception';
  });
});

test("methods and accessors called on another object throw WebIDL's TypeError, as Node's do", async () => {
  // Before, several reached a private field first ("Cannot read private member #raw ...") and
  // Memory.prototype.toFixedLengthBuffer returned undefined for a plain object.
  const members: [string, string, 'get' | 'set' | 'value'][] = [
    ['Memory', 'grow', 'value'], ['Memory', 'buffer', 'get'], ['Table', 'grow', 'value'], ['Table', 'get', 'value'],
    ['Table', 'set', 'value'], ['Table', 'length', 'get'], ['Global', 'valueOf', 'value'], ['Global', 'value', 'get'],
    ['Global', 'value', 'set'], ['Instance', 'exports', 'get'],
  ];
  for (const [cls, key, kind] of members) {
    await same((W: Namespace) => {
      const member = Object.getOwnPropertyDescriptor(W[cls].prototype, key)![kind] as (...args: unknown[]) => unknown;
      try {
        member.call({}, 0, 0);
        return 'no error';
      } catch (e) {
        return (e as Error).constructor.name;
      }
    }, `${cls}.${key} (${kind})`);
  }
  for (const [cls, key, kind] of [...members, ['Memory', 'toFixedLengthBuffer', 'value'], ['Memory', 'toResizableBuffer', 'value'], ['Exception', 'stack', 'get']] as const) {
    const member = Object.getOwnPropertyDescriptor(ours[cls].prototype, key)![kind] as (...args: unknown[]) => unknown;
    assert.throws(() => member.call({}, 0, 0), (e: unknown) => e instanceof TypeError && /the receiver is not a WebAssembly\./.test(e.message), `${cls}.${key}`);
  }
});

test('CompileError takes NativeError options and serialises as Node\'s does', async () => {
  for (const make of [(W: Namespace) => new W.CompileError('m', { cause: 1 }), (W: Namespace) => {
    try {
      new W.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5]));
    } catch (e) {
      return e;
    }
    return null;
  }]) {
    await same((W: Namespace) => {
      const e = make(W) as Error & { cause?: unknown };
      return [e instanceof W.CompileError, e.cause, Object.keys(e), JSON.stringify(e)];
    });
  }
  // tswasm's own: where the module went wrong, not enumerable.
  const e = (() => {
    try {
      new ours.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5]));
    } catch (x) {
      return x as { offset: number; malformed: boolean };
    }
    return null;
  })();
  assert.equal(e?.offset, 9);
  assert.equal(e?.malformed, true);
});
