// Backtraces map generated code back to module names through a registry; an entry must go when
// its module's compiled code is collected, or a host compiling a module per request grows forever.
// The same for the numbers a store gives its instances (for Callers reached through tables).

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

test('a store numbers its instances weakly: collected instances give their numbers back', async () => {
  const engine = new Engine();
  const store = new Store(engine);
  const module = new Module(engine, '(module (func (export "f")))');
  const first = new Instance(store, module, []);
  for (let i = 0; i < 500; i++) new Instance(store, module, []);
  const numberOf = (instance: Instance) => (instance as unknown as { raw: { number: number } }).raw.number;
  let latest = numberOf(new Instance(store, module, []));
  assert.ok(latest > 500, 'numbers grow while instances are alive');
  for (let i = 0; i < 100 && latest > 10; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    latest = numberOf(new Instance(store, module, []));
  }
  assert.ok(latest <= 10, `a new instance got number ${latest}: the collected ones were not given back`);
  assert.equal(numberOf(first), 1, 'a live instance keeps its number');
});
