// Backtraces map generated code back to module names through a registry; an entry must go when
// its module's compiled code is collected, or a host compiling a module per request grows forever.
// Instances themselves must not be kept alive by the runtime's own bookkeeping.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Engine, Instance, Module, Store } from '../../src/api/index.js';
import { registeredCodeCount } from '../../src/runtime/code-registry.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test("a collected module's names leave the registry (lazy, eager and deserialized code)", async () => {
  const before = registeredCodeCount();
  for (const compilation of ['lazy', 'eager'] as const) {
    const engine = new Engine({ compilation });
    for (let i = 0; i < 200; i++) {
      const module = new Module(engine, `(module (func (export "f") (result i32) (i32.const ${i})))`);
      const again = Module.deserialize(engine, module.serialize());
      const store = new Store(engine);
      assert.equal(new Instance(store, again, []).getFunc(store, 'f')!.call(store, [])[0]!.value, i);
    }
  }
  assert.ok(registeredCodeCount() >= before + 200, 'registered while alive');
  // FinalizationRegistry callbacks run after a collection, in a later turn of the event loop.
  for (let i = 0; i < 100 && registeredCodeCount() > before + 10; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(registeredCodeCount() <= before + 10, `${registeredCodeCount() - before} of 800 modules still registered`);
});

test('instances made in one synchronous loop are collectable before the loop yields', () => {
  // A WeakRef per instance (tried for Callers reached through tables) keeps every instance made in
  // the current job alive until the job ends: a host instantiating in a loop ran out of memory.
  const engine = new Engine();
  const store = new Store(engine);
  const module = new Module(engine, '(module (memory 16) (func (export "f")))'); // 1 MiB each
  for (let i = 0; i < 400; i++) new Instance(store, module, []).getFunc(store, 'f')!.call(store, []);
  gc();
  const retained = process.memoryUsage().arrayBuffers;
  assert.ok(retained < 100e6, `${(retained / 1e6).toFixed(0)} MB of memories still held after 400 instances`);
});
