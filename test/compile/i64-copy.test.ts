// An i64.load straight into an i64.store (how Go moves two-word values) is one float64 read and
// write where JS numbers keep NaN payloads: the same bits as native for every pattern, including
// NaNs, and each trap at its own instruction (the load's or the store's offset).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantiate, same, type Namespace } from '../jsapi/side-by-side.js';
import { Engine, Instance, Module, Store } from '../../src/api/index.js';
import { boxesNaNs } from '../../src/core/nan-boxing.js';

const COPY = `(module $copy (memory (export "mem") 1)
  (func $move (export "move") (param $dst i32) (param $src i32)
    (i64.store offset=8 (local.get $dst) (i64.load offset=16 (local.get $src))))
  (func $twice (export "twice") (param $dst i32) (param $src i32)
    (i64.store (local.get $dst) (i64.load (local.get $src)))
    (i64.store offset=8 (local.get $dst) (i64.load offset=8 (local.get $src))))
  (func (export "run") (param i32 i32) (call $move (local.get 0) (local.get 1))))`;

// Every kind of NaN (signalling, quiet, with payloads, both signs), infinities, zeros and plain words.
const HIGHS = [0x7ff00000, 0xfff00000, 0x7ff80000, 0xfff80000, 0x7ff40000, 0x7fffffff, 0xffffffff, 0x00000000, 0x80000000, 0x3ff00000, 0x12345678];
const LOWS = [0, 1, 0xdeadbeef, 0xffffffff, 0x80000000];

test('i64 copies keep every bit pattern, NaNs included, as native does', async () => {
  await same((W: Namespace) => {
    const e = instantiate(W, COPY);
    const words = new Uint32Array(e.mem.buffer);
    const out: string[] = [];
    for (const hi of HIGHS) {
      for (const lo of LOWS) {
        words[64 / 4] = lo; // src 48 + offset 16
        words[64 / 4 + 1] = hi;
        e.move(200, 48); // dst 200 + offset 8
        out.push(`${words[208 / 4]!.toString(16)}:${words[208 / 4 + 1]!.toString(16)}`);
        words[512 / 4] = hi;
        words[512 / 4 + 1] = lo;
        words[520 / 4] = lo;
        words[520 / 4 + 1] = hi;
        e.twice(601, 512); // unaligned destination
        const bytes = new Uint8Array(e.mem.buffer, 601, 16);
        out.push(Buffer.from(bytes).toString('hex'));
      }
    }
    return out;
  }, 'bit patterns');
});

test('an i64 copy traps at the load or at the store, and an out-of-bounds store writes nothing', async () => {
  const frames = (e: unknown): string[] => ((e as Error).stack ?? '').split('\n').filter((l) => l.includes('wasm-function'))
    .map((l) => l.replace(/-[0-9a-f]{8}:/, ':'));
  for (const [what, dst, src] of [['load', 0, 65530], ['store', 65530, 0], ['both', 65530, 65530]] as const) {
    await same((W: Namespace) => {
      const e = instantiate(W, COPY);
      new Uint8Array(e.mem.buffer).fill(7, 65000);
      try {
        e.run(dst, src);
      } catch (error) {
        return [...frames(error), Buffer.from(new Uint8Array(e.mem.buffer, 65528)).toString('hex')];
      }
      return 'no trap';
    }, `out of bounds at the ${what}`);
  }
});

test('the copy is one float64 read and write, except where NaNs are boxed', () => {
  const sources: string[] = [];
  const engine = new Engine({ debugSource: (_name, source) => { sources.push(source); } });
  const store = new Store(engine);
  new Instance(store, new Module(engine, COPY), []).getFunc(store, 'move')!.call(store, [{ type: 'i32', value: 0 }, { type: 'i32', value: 0 }]);
  // By default NaNs are boxed only where the engine needs it (V8 14.2 and later: quiet-nans.test.ts).
  if (boxesNaNs()) assert.doesNotMatch(sources.join('\n'), /getFloat64/);
  else assert.match(sources.join('\n'), /\.setFloat64\([^;]*\.getFloat64\(/);

  const boxed: string[] = [];
  const boxing = new Engine({ nanBoxes: true, debugSource: (_name, source) => { boxed.push(source); } });
  const store2 = new Store(boxing);
  new Instance(store2, new Module(boxing, COPY), []).getFunc(store2, 'move')!.call(store2, [{ type: 'i32', value: 0 }, { type: 'i32', value: 0 }]);
  assert.doesNotMatch(boxed.join('\n'), /getFloat64/);
});
