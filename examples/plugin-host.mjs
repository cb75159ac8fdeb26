// A plugin host: each plugin runs in its own Store with fuel, a wall-clock timeout (epoch
// interruption advanced by a timer in a Worker), memory limits, and a `log` host function that
// reads a string from the plugin's memory through its Caller.
//
//   npm run build && node examples/plugin-host.mjs

import { Worker } from 'node:worker_threads';
import { Engine, I32, Linker, Module, Store, StoreLimitsBuilder, Trap, funcType } from 'tswasm';

const TICK_MS = 10;
const engine = new Engine({ consumeFuel: true, epochInterruption: true });

// The host API every plugin may import, defined once for all stores.
const linker = new Linker(engine);
linker.funcWrapWithCaller('host', 'log', funcType([I32, I32], []), (caller, ptr, len) => {
  const memory = caller.getExport('memory');
  const text = new TextDecoder().decode(memory.read(caller, ptr, len));
  caller.data.log.push(text);
});

// A timer thread: the main thread is busy inside wasm while a plugin runs, so the clock that
// advances the epoch must live elsewhere. It shares the engine's epoch counter.
const ticker = new Worker(`
  const { workerData } = require('node:worker_threads');
  setInterval(() => { Atomics.add(workerData.epoch, 0, 1); Atomics.notify(workerData.epoch, 0); }, ${TICK_MS});`, { eval: true, workerData: { epoch: engine.epoch } });
await new Promise((resolve) => ticker.once('online', resolve));

function runPlugin(name, source, { fuel = 1_000_000, timeoutMs = 100 } = {}) {
  const store = new Store(engine, { log: [] });
  store.limiter(new StoreLimitsBuilder().memorySize(4 * 65536).instances(1).build());
  store.setFuel(fuel);
  store.setEpochDeadline(Math.ceil(timeoutMs / TICK_MS));
  const started = performance.now();
  let outcome;
  try {
    const instance = linker.instantiate(store, new Module(engine, source));
    const result = instance.getTypedFunc(store, 'run', [], [I32]).call(store);
    outcome = `returned ${result}`;
  } catch (e) {
    if (!(e instanceof Trap)) throw e;
    outcome = `stopped: ${e.code}`;
  }
  const ms = (performance.now() - started).toFixed(0);
  console.log(`${name}: ${outcome}, fuel left ${store.getFuel()}, ${ms} ms, log ${JSON.stringify(store.data.log)}`);
}

const polite = `(module
  (import "host" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello from a plugin")
  (func (export "run") (result i32) (call $log (i32.const 0) (i32.const 19)) (i32.const 42)))`;

const greedy = `(module ;; asks for more memory than its store allows: memory.grow returns -1
  (memory (export "memory") 1)
  (func (export "run") (result i32) (memory.grow (i32.const 10))))`;

const busy = `(module ;; real work that needs more fuel than it is given
  (func (export "run") (result i32) (local $i i32)
    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 100000000))))
    (local.get $i)))`;

const stuck = `(module ;; an infinite loop: only the timeout stops it
  (func (export "run") (result i32) (loop $l (br $l)) (i32.const 0)))`;

runPlugin('polite', polite);
runPlugin('greedy', greedy);
runPlugin('busy', busy, { fuel: 100_000 });
runPlugin('stuck', stuck, { fuel: Number.MAX_SAFE_INTEGER, timeoutMs: 50 });
await ticker.terminate();
