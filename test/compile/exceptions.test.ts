// Exception handling in generated code: exact payloads, handlers seeing what a throw left (locals, memory,
// fuel, depth), traps never caught, tail calls leaving handlers, no try statement where none is needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Engine, ExnRef, Func, I32, Instance, Module, Tag, ThrownException, Trap, TrapCode, Val, funcType, type Config,
} from '../../src/api/index.js';
import { WASM3_FEATURES } from '../../src/core/features.js';
import { ApiSpecEngine } from '../../src/spec/api-engine.js';
import { runScript } from '../../src/spec/runner.js';
import { parseWat } from '../../src/text/index.js';
import { parseWast } from '../../src/text/wast.js';
import { testsuiteRoot } from '../helpers/paths.js';
import { instantiateWat } from '../api/wat-helper.js';
import { thrown, trapOf } from '../helpers/caught.js';

const MODES = ['lazy', 'eager'] as const;



const payloads = `(module
  (tag $e (param i64 f64 f32 i32))
  (func $throw (param i64 f64 f32 i32) (throw $e (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "roundtrip") (param i64 f64 f32 i32) (result i64 f64 f32 i32)
    (block $h (result i64 f64 f32 i32)
      (try_table (catch $e $h) (call $throw (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
      (unreachable)))
  (func (export "legacy") (param i64 f64 f32 i32) (result i64 f64 f32 i32)
    (try (result i64 f64 f32 i32)
      (do (call $throw (local.get 0) (local.get 1) (local.get 2) (local.get 3)) (unreachable))
      (catch $e)))
  (func (export "uncaught") (param i64 f64 f32 i32) (call $throw (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (export "e" (tag $e)))`;

for (const compilation of MODES) {
  test(`${compilation}: payloads keep their exact bits (i64 halves, signalling NaNs)`, () => {
    const { store, instance } = instantiateWat(payloads, { compilation });
    const args = [Val.i64(-0x123456789abcdefn), Val.f64Bits(0x7ff4000000000abcn), Val.f32Bits(0x7fa00001), Val.i32(-7)];
    // Many calls: V8 optimises the boundary and the generated code after a few (see RATIONALE.md on NaN quieting).
    for (let i = 0; i < 200; i++) {
      for (const name of ['roundtrip', 'legacy']) {
        const out = instance.getFunc(store, name)!.call(store, args);
        assert.deepEqual(out, args, name);
      }
    }
    const e = thrown(() => instance.getFunc(store, 'uncaught')!.call(store, args));
    assert.deepEqual(e.exception.fields(store), args);
    assert.equal(e.exception.tag(store), instance.getExport(store, 'e'));
  });
}

test('a v128 payload travels as one value', () => {
  for (const compilation of MODES) {
    const { store, instance } = instantiateWat(`(module
      (tag $e (param v128 i32))
      (func $throw (param v128) (throw $e (local.get 0) (i32.const 3)))
      (func (export "table") (param v128) (result v128 i32)
        (block $h (result v128 i32) (try_table (catch $e $h) (call $throw (local.get 0))) (unreachable)))
      (func (export "legacy") (param v128) (result v128)
        (try (result v128) (do (call $throw (local.get 0)) (unreachable))
          (catch $e (drop) (i32x4.add (v128.const i32x4 1 1 1 1))))))`, { compilation });
    const v = Val.v128(0x0102030405060708090a0b0c0d0e0f10n);
    assert.deepEqual(instance.getFunc(store, 'table')!.call(store, [v]), [v, Val.i32(3)]);
    assert.deepEqual(instance.getFunc(store, 'legacy')!.call(store, [v]), [Val.v128(0x0102030505060709090a0b0d0d0e0f11n)]);
  }
});

const rethrowing = `(module
  (tag $e (param i32))
  (global $saved (mut exnref) (ref.null exn))
  (func $throw (param i32) (throw $e (local.get 0)))
  (func (export "catch") (param i32) (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $throw (local.get 0)))
      (unreachable)))
  (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
  (func (export "catch-rethrow-catch") (param i32) (result i32)
    (block $outer (result i32 exnref)
      (try_table (catch_ref $e $outer)
        (block $inner (result i32 exnref)
          (try_table (catch_ref $e $inner) (call $throw (local.get 0)))
          (unreachable))
        (global.set $saved)
        (drop)
        (throw_ref (global.get $saved)))
      (unreachable))
    (global.get $saved)
    (ref.is_null) (if (then unreachable))
    (drop))
  (func (export "saved") (result exnref) (global.get $saved)))`;

for (const compilation of MODES) {
  test(`${compilation}: catch_ref and throw_ref keep the exception's identity`, () => {
    const { store, instance } = instantiateWat(rethrowing, { compilation });
    const [caught] = instance.getFunc(store, 'catch')!.call(store, [Val.i32(42)]);
    assert.equal(caught!.type, 'exnref');
    const exn = caught!.value as ExnRef;
    assert.deepEqual(exn.fields(store), [Val.i32(42)]);
    const again = thrown(() => instance.getFunc(store, 'rethrow')!.call(store, [caught!]));
    assert.equal(again.exception, exn, 'the same exception, not a copy');
    assert.deepEqual(instance.getFunc(store, 'catch-rethrow-catch')!.call(store, [Val.i32(5)]), [Val.i32(5)]);
    const [saved] = instance.getFunc(store, 'saved')!.call(store, []);
    // The exnref caught again after throw_ref is the one thrown (the global holds the inner catch's).
    assert.deepEqual((saved!.value as ExnRef).fields(store), [Val.i32(5)]);
    assert.equal(trapOf(() => instance.getFunc(store, 'rethrow')!.call(store, [Val.exnref(null)])).message, 'null exception reference');
  });
}

const untouchable = `(module
  (import "host" "fail" (func $fail))
  (memory 1)
  (func $rec (param i32) (result i32) (call $rec (i32.add (local.get 0) (i32.const 1))))
  (func $oob (result i32) (i32.load (i32.const 70000)))
  (func $div (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "overflow") (result i32)
    (block $h (try_table (result i32) (catch_all $h) (call $rec (i32.const 0))) (return)) (i32.const -1))
  (func (export "oob") (result i32)
    (block $h (try_table (result i32) (catch_all $h) (call $oob)) (return)) (i32.const -1))
  (func (export "div") (param i32) (result i32)
    (block $h (try_table (result i32) (catch_all $h) (call $div (local.get 0))) (return)) (i32.const -1))
  (func (export "unreachable") (result i32)
    (try (result i32) (do (unreachable)) (catch_all (i32.const -1))))
  (func (export "host") (result i32)
    (try (result i32) (do (call $fail) (i32.const 0)) (catch_all (i32.const -1)))))`;

for (const config of [{}, { compilation: 'eager' }, { maxWasmStack: 500 }] as Config[]) {
  test(`catch_all catches no trap, stack exhaustion or host error (${JSON.stringify(config)})`, () => {
    const hostError = new Error('from the host');
    const { store, instance } = instantiateWat(untouchable, config, (s) => [Func.wrap(s, funcType([], []), () => {
      throw hostError;
    })]);
    const call = (name: string, ...args: Val[]) => () => instance.getFunc(store, name)!.call(store, args);
    assert.equal(trapOf(call('overflow')).code, TrapCode.StackOverflow);
    assert.equal(trapOf(call('oob')).code, TrapCode.MemoryOutOfBounds);
    assert.equal(trapOf(call('div', Val.i32(0))).code, TrapCode.IntegerDivisionByZero);
    assert.deepEqual(instance.getFunc(store, 'div')!.call(store, [Val.i32(1)]), [Val.i32(1)]);
    assert.equal(trapOf(call('unreachable')).code, TrapCode.UnreachableCodeReached);
    assert.throws(call('host'), (e) => e === hostError);
  });
}

const legacy = `(module
  (tag $a (param i32))
  (tag $b)
  (func $throw-a (param i32) (throw $a (local.get 0)))
  (func (export "skip") (param i32) (result i32)
    (try $outer (result i32)
      (do
        (try (result i32)
          (do (try (result i32) (do (call $throw-a (local.get 0)) (i32.const 0)) (delegate $outer)))
          (catch $a (i32.const 100) (i32.add))))
      (catch $a (i32.const 200) (i32.add))))
  (func (export "to-caller") (param i32) (result i32)
    (try (result i32)
      (do (try (result i32) (do (call $throw-a (local.get 0)) (i32.const 0)) (delegate 1)))
      (catch_all (i32.const -1))))
  (func (export "rethrow-outer") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw-a (local.get 0)) (i32.const 0))
          (catch $a
            (drop)
            (try (result i32) (do (throw $b)) (catch $b (rethrow 1))))))
      (catch $a (i32.const 1000) (i32.add)))))`;

for (const compilation of MODES) {
  test(`${compilation}: delegate skips handlers, rethrow names an outer catch`, () => {
    const { store, instance } = instantiateWat(legacy, { compilation });
    const call = (name: string, x: number) => instance.getFunc(store, name)!.call(store, [Val.i32(x)])[0]!.value;
    assert.equal(call('skip', 1), 201, 'delegate $outer skips the middle handler');
    const e = thrown(() => call('to-caller', 3));
    assert.deepEqual(e.exception.fields(store), [Val.i32(3)], 'delegate 1 skips every handler of the function');
    assert.equal(call('rethrow-outer', 4), 1004, 'rethrow 1 rethrows $a from inside the handler of $b');
  });
}

// libc++'s constructors (pyodide's __wasm_call_ctors) clean up and rethrow in every arm: the code
// after the try still runs when the body falls through, even though no arm reaches the end.
const armsRethrow = `(module
  (tag $e (param i32))
  (func $maybe-throw (param i32) (if (local.get 0) (then (throw $e (i32.const 7)))))
  (func (export "catch-all") (param i32) (result i32) (local i32)
    (local.set 1 (i32.const 1))
    (try (do (call $maybe-throw (local.get 0)))
      (catch_all (local.set 1 (i32.const 2)) (rethrow 0)))
    (i32.add (local.get 1) (i32.const 40)))
  (func (export "catch-tag") (param i32) (result i32)
    (try (do (call $maybe-throw (local.get 0)))
      (catch $e (drop) (rethrow 0)))
    (i32.const 42))
  (func (export "two-arms") (param i32) (result i32)
    (try (do (call $maybe-throw (local.get 0)) (throw $e (i32.const 8)))
      (catch $e (drop))
      (catch_all (rethrow 0)))
    (i32.const 43)))`;

for (const compilation of MODES) {
  test(`${compilation}: code after a legacy try runs when only its body (or an early arm) falls through`, () => {
    const { store, instance } = instantiateWat(armsRethrow, { compilation });
    const call = (name: string, x: number) => instance.getFunc(store, name)!.call(store, [Val.i32(x)])[0]!.value;
    assert.equal(call('catch-all', 0), 41);
    assert.equal(call('catch-tag', 0), 42);
    assert.equal(call('two-arms', 0), 43, 'the catch $e arm falls through, catch_all does not');
    for (const name of ['catch-all', 'catch-tag']) {
      assert.deepEqual(thrown(() => call(name, 1)).exception.fields(store), [Val.i32(7)], name);
    }
  });
}

test('exceptions cross instances by tag identity; equal types do not make tags equal', () => {
  const { store, instance: a } = instantiateWat(`(module
    (tag $t (export "t") (param i32))
    (tag $u (export "u") (param i32))
    (func (export "throw-t") (param i32) (throw $t (local.get 0)))
    (func (export "throw-u") (param i32) (throw $u (local.get 0))))`);
  const b = new Module(store.engine, parseWat(`(module
    (import "a" "t" (tag $t (param i32)))
    (import "a" "throw" (func $throw (param i32)))
    (tag $own (param i32))
    (func (export "run") (param i32) (result i32)
      (block $t (result i32)
        (block $own (result i32)
          (try_table (catch $t $t) (catch $own $own) (call $throw (local.get 0)))
          (return (i32.const 0)))
        (return (i32.const -1)))))`));
  const withThrower = (name: string) => new Instance(store, b, [a.getExport(store, 't')!, a.getExport(store, name)!]);
  assert.deepEqual(withThrower('throw-t').getFunc(store, 'run')!.call(store, [Val.i32(9)]), [Val.i32(9)]);
  // $u has the same type as $t but is another tag: neither `catch $t` nor `catch $own` takes it.
  const e = thrown(() => withThrower('throw-u').getFunc(store, 'run')!.call(store, [Val.i32(1)]));
  assert.equal(e.exception.tag(store), a.getExport(store, 'u'));
});

test('host functions: a ThrownException is catchable by tag; a wasm exception passes through a host frame intact', () => {
  let tag: Tag | null = null;
  let inner: Func | null = null;
  const seen: ExnRef[] = [];
  const { store, instance } = instantiateWat(`(module
    (import "host" "raise" (func $raise (param i32)))
    (import "host" "relay" (func $relay (param i32)))
    (import "host" "t" (tag $t (param i32)))
    (func (export "throw") (param i32) (throw $t (local.get 0)))
    (func (export "catch-raise") (param i32) (result i32)
      (block $h (result i32) (try_table (catch $t $h) (call $raise (local.get 0))) (i32.const -1)))
    (func (export "catch-relay") (param i32) (result i32 exnref)
      (block $h (result i32 exnref) (try_table (catch_ref $t $h) (call $relay (local.get 0))) (unreachable))))`, {}, (s) => {
    tag = new Tag(s, funcType([I32], []));
    return [
      Func.wrap(s, funcType([I32], []), (x: number) => {
        throw new ThrownException(ExnRef.new(s, tag!, [Val.i32(x * 2)]));
      }),
      Func.wrap(s, funcType([I32], []), (x: number) => {
        try {
          inner!.call(s, [Val.i32(x)]);
        } catch (e) {
          assert.ok(e instanceof ThrownException);
          seen.push(e.exception);
          throw e;
        }
      }),
      tag,
    ];
  });
  inner = instance.getFunc(store, 'throw')!;
  assert.deepEqual(instance.getFunc(store, 'catch-raise')!.call(store, [Val.i32(21)]), [Val.i32(42)]);
  const [value, exn] = instance.getFunc(store, 'catch-relay')!.call(store, [Val.i32(8)]);
  assert.deepEqual(value, Val.i32(8));
  assert.equal(exn!.value, seen[0], 'the exception wasm catches is the one the host saw');
});

test('a local set inside the try body is seen by the handler; stack values from before the try are not', () => {
  for (const compilation of MODES) {
    const { store, instance } = instantiateWat(`(module
      (tag $e)
      (func $throw (throw $e))
      (func (export "run") (param i32) (result i32 i32)
        (local.get 0)
        (block $h
          (try_table (catch $e $h)
            (local.set 0 (i32.const 77))
            (call $throw)))
        (local.get 0)))`, { compilation });
    assert.deepEqual(instance.getFunc(store, 'run')!.call(store, [Val.i32(3)]), [Val.i32(3), Val.i32(77)]);
  }
});

test('the handler sees a memory grown by the callee that threw', () => {
  for (const compilation of MODES) {
    const { store, instance } = instantiateWat(`(module
      (tag $e)
      (memory 1)
      (func $grow-and-throw (drop (memory.grow (i32.const 1))) (throw $e))
      (func (export "run") (result i32)
        (i32.store (i32.const 0) (i32.const 1))
        (block $h (try_table (catch $e $h) (call $grow-and-throw)))
        (i32.store (i32.const 70000) (i32.const 5))
        (i32.load (i32.const 70000))))`, { compilation });
    assert.deepEqual(instance.getFunc(store, 'run')!.call(store, []), [Val.i32(5)]);
  }
});

test('fuel spent by the callee that threw is not refunded by the handler', () => {
  const { store, instance } = instantiateWat(`(module
    (tag $e)
    (func $spend-and-throw (local i32)
      (loop $l (br_if $l (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 1000))))
      (throw $e))
    (func (export "run")
      (block $h (try_table (catch $e $h) (call $spend-and-throw)))))`, { consumeFuel: true });
  store.setFuel(1_000_000);
  instance.getFunc(store, 'run')!.call(store, []);
  const used = 1_000_000 - store.getFuel();
  assert.ok(used > 5000, `the loop's fuel counts: used ${used}`);
  store.setFuel(1_000_000);
  instance.getFunc(store, 'run')!.call(store, []);
  assert.equal(1_000_000 - store.getFuel(), used, 'deterministic');
});

test('with maxWasmStack, a handler restores the call depth of its frame', () => {
  const { store, instance } = instantiateWat(`(module
    (tag $e)
    (func $deep (param i32) (if (local.get 0) (then (call $deep (i32.sub (local.get 0) (i32.const 1))))) (throw $e))
    (func (export "run") (param i32)
      (block $h (try_table (catch $e $h) (call $deep (local.get 0))))))`, { maxWasmStack: 100 });
  // Each run leaves 50 frames by throwing; without the restore the counter would pass 100 on the third.
  for (let i = 0; i < 20; i++) instance.getFunc(store, 'run')!.call(store, [Val.i32(50)]);
  assert.equal(trapOf(() => instance.getFunc(store, 'run')!.call(store, [Val.i32(150)])).code, TrapCode.StackOverflow);
});

test('tail calls inside a try body leave its handlers', () => {
  for (const compilation of MODES) {
    const { store, instance } = instantiateWat(`(module
      (type $v (func))
      (tag $e)
      (func $throw (type $v) (throw $e))
      (elem declare func $throw)
      (func (export "call") (result i32)
        (block $h (try_table (catch $e $h) (call $throw)) (return (i32.const 0))) (i32.const 1))
      (func (export "return_call")
        (block $h (try_table (catch $e $h) (return_call $throw))))
      (func (export "return_call_ref")
        (block $h (try_table (catch_all $h) (return_call_ref $v (ref.func $throw)))))
      (func (export "legacy")
        (try (do (return_call $throw)) (catch_all))))`, { compilation });
    assert.deepEqual(instance.getFunc(store, 'call')!.call(store, []), [Val.i32(1)]);
    for (const name of ['return_call', 'return_call_ref', 'legacy']) thrown(() => instance.getFunc(store, name)!.call(store, []));
  }
});

test('a try_table inside a flattened chain of 70 blocks branches to a block of the chain', () => {
  const n = 70;
  let body = `(try_table (catch $e $b${n - 2}) (call $throw (local.get 0)))`;
  for (let k = 1; k <= n; k++) body = `(block $b${k} ${body}) (local.set 1 (i32.add (local.get 1) (i32.const 1)))`;
  const wat = `(module (tag $e) (func $throw (param i32) (if (local.get 0) (then (throw $e))))
    (func (export "run") (param i32) (result i32) (local i32) ${body} (local.get 1)))`;
  for (const compilation of MODES) {
    const { store, instance } = instantiateWat(wat, { compilation });
    assert.deepEqual(instance.getFunc(store, 'run')!.call(store, [Val.i32(0)]), [Val.i32(n)]);
    // Caught: control continues after the end of block n-2, so only the last two ends and the one
    // after it count.
    assert.deepEqual(instance.getFunc(store, 'run')!.call(store, [Val.i32(1)]), [Val.i32(3)]);
  }
});

test('zero cost when unused: no try statement unless the function has a try block', () => {
  const source = (wat: string) => new Module(new Engine({ compilation: 'eager' }), parseWat(wat)).source();
  const plain = source('(module (tag $e) (func (export "f") (param i32) (result i32) (if (local.get 0) (then (throw $e))) (local.get 0)))');
  assert.ok(!/\btry\b|\bcatch\b/.test(plain), plain);
  const guarded = source('(module (tag $e) (func (export "f") (block $h (try_table (catch $e $h) (throw $e)))))');
  assert.match(guarded, /try \{/);
  assert.match(guarded, /catch \(e\w+\)/);
});

// The exception spec scripts under each engine configuration that changes generated code.
const SCRIPTS = ['throw.wast', 'throw_ref.wast', 'try_table.wast', 'tag.wast', 'instance.wast',
  'legacy/throw.wast', 'legacy/try_catch.wast', 'legacy/try_delegate.wast', 'legacy/rethrow.wast'];
const CONFIGS: Config[] = [{ compilation: 'eager' }, { consumeFuel: true }, { epochInterruption: true }, { maxWasmStack: 1000 },
  { consumeFuel: true, epochInterruption: true, maxWasmStack: 1000, compilation: 'eager' }];
const haveSuite = existsSync(join(testsuiteRoot, 'try_table.wast'));

for (const config of CONFIGS) {
  test(`exception spec scripts pass with ${JSON.stringify(config)}`, { skip: haveSuite ? false : 'spec suite not found' }, () => {
    const failures: string[] = [];
    let exceptions = 0;
    for (const path of SCRIPTS) {
      const script = parseWast(readFileSync(join(testsuiteRoot, path), 'utf8'), path);
      const report = runScript(script, { engine: new ApiSpecEngine(WASM3_FEATURES, config), features: WASM3_FEATURES, encodeText: parseWat, path });
      for (const note of report.notes) if (note.outcome !== 'passed') failures.push(`${path}:${note.line} ${note.kind} ${note.outcome}: ${note.reason}`);
      exceptions += report.kinds.assert_exception.passed;
    }
    assert.deepEqual(failures, []);
    assert.equal(exceptions, 41);
  });
}
