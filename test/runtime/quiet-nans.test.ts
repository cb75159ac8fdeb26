// V8 from 14.2 (Node 26, Chrome 142, Deno 2.9) sets the quiet bit of signalling NaNs that code its
// Maglev compiler optimised stores through a DataView or a Float64Array. There an i64 copied as one
// float64 read and write would change the integer (a memcpy of random bytes changed 3 in 1.6 MB on
// Node 26), and f64 NaN payloads would be lost, so tswasm boxes NaNs there as on JavaScriptCore.
// The version rule is checked here; the copies and NaN values run hot enough for V8 to optimise
// them, so on such an engine they fail without the boxes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { v8QuietsSignallingNaNs, v8VersionFrom } from '../../src/core/nan-boxing.js';
import { Engine, Instance, Module, Store, Val } from '../../src/api/index.js';

test('the V8 versions whose optimised code quiets signalling NaNs: 14.2 and later', () => {
  for (const v of ['11.3.244.8-node.16', '12.4.254.21-node.33', '13.6.233.10-node.28', '14.1.146.11-node.25', '10.2.154.26-node.39']) {
    assert.equal(v8QuietsSignallingNaNs(v), false, v);
  }
  for (const v of ['14.2', '14.6.202.34-node.40', '15.0.245.2-rusty', '16.1']) assert.equal(v8QuietsSignallingNaNs(v), true, v);
  assert.equal(v8QuietsSignallingNaNs('unknown'), false);
  assert.equal(v8VersionFrom('14.6.202.34-node.40', undefined), '14.6.202.34-node.40');
  const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.7680.80 Safari/537.36';
  assert.equal(v8VersionFrom(undefined, chrome), '14.6');
  assert.equal(v8VersionFrom(undefined, 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15'), null);
  assert.equal(v8VersionFrom(undefined, undefined), null);
});

test('i64 copies and f64 values keep signalling NaN bits in code V8 has optimised', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, `(module (memory (export "mem") 1)
    (func (export "copy") (param $src i32) (param $dst i32) (param $n i32)
      (loop $l (i64.store (local.get $dst) (i64.load (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (func (export "f64") (param f64) (result f64) (f64.store (i32.const 4096) (local.get 0)) (f64.load (i32.const 4096))))`), []);
  const copy = instance.getTypedFunc(store, 'copy');
  const f64 = instance.getFunc(store, 'f64')!;
  const words = new Uint32Array(instance.getMemory(store, 'mem')!.data(store).buffer);
  const patterns = [[1, 0x7ff40000], [0xdeadbeef, 0xfff00001], [0, 0x7ff00001], [5, 0x12345678]];
  for (let round = 0; round < 3000; round++) {
    for (let k = 0; k < patterns.length; k++) [words[2 * k], words[2 * k + 1]] = patterns[k]!;
    copy.call(store, 0, 64, patterns.length);
    for (let k = 0; k < patterns.length; k++) {
      assert.deepEqual([words[16 + 2 * k], words[16 + 2 * k + 1]], patterns[k], `round ${round}, word ${k}`);
    }
    const [r] = f64.call(store, [Val.f64Bits(0x7ff4000000000001n)]);
    assert.equal(r!.value, 0x7ff4000000000001n, `round ${round}: f64 through memory`);
  }
});
