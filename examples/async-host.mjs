// Async host functions (Config.asyncSupport): the plugin calls `lookup` as if it were synchronous,
// the host answers after an await, and the event loop keeps running meanwhile. Then a long
// computation shares the thread with a timer by yielding at every epoch deadline. Last, memory
// growth waits for an async resource limiter (a quota service, say).
//
//   npm run build && node examples/async-host.mjs

import { Worker } from 'node:worker_threads';
import { Engine, I32, Linker, Module, Store, Trap, funcType } from 'tswasm';

const engine = new Engine({ asyncSupport: true, epochInterruption: true });
const linker = new Linker(engine);
const prices = new Map([[1, 250], [2, 100], [3, 75]]);
linker.funcWrapAsync('host', 'lookup', funcType([I32], [I32]), async (_caller, item) => {
  await new Promise((resolve) => setTimeout(resolve, 5)); // a database or a fetch, say
  return prices.get(item) ?? 0;
});

const plugin = new Module(engine, `(module
  (import "host" "lookup" (func $lookup (param i32) (result i32)))
  (func (export "total") (param $n i32) (result i32) (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (call $lookup (local.get $n))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))
  (func (export "spin") (loop $l (br $l)))
  (memory 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);

const store = new Store(engine);
store.setEpochDeadline(1_000_000);
const instance = await linker.instantiateAsync(store, plugin);
let ticks = 0;
const ticker = setInterval(() => ticks++, 1);
const total = await instance.getFunc(store, 'total').typed(store).callAsync(store, 3);
console.log(`total of items 1-3: ${total} (the event loop ran ${ticks > 0 ? 'meanwhile' : 'NOT'})`);
clearInterval(ticker);

// A Worker moves the epoch every 2 ms; at each deadline wasm yields, so this thread's timer runs,
// and after 50 ms it stops the loop at its next yield.
const epochTicker = new Worker('const { workerData } = require("node:worker_threads"); setInterval(() => Atomics.add(workerData, 0, 1), 2);',
  { eval: true, workerData: engine.epoch });
store.epochDeadlineAsyncYieldAndUpdate(1);
store.setEpochDeadline(1);
const started = Date.now();
setTimeout(() => {
  store.epochDeadlineTrap();
  store.setEpochDeadline(0);
}, 50);
try {
  await instance.getFunc(store, 'spin').callAsync(store, []);
} catch (e) {
  console.log(`spin: stopped by a timer on the same thread: ${e instanceof Trap ? e.code : e} after ${Date.now() - started >= 50 ? 'at least' : 'less than'} 50 ms`);
}
await epochTicker.terminate();

// The quota is asked asynchronously; memory.grow waits for the answer and returns -1 when refused.
const quota = { bytes: 3 * 65536 };
store.limiterAsync({
  async memoryGrowing(_current, desired) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return desired <= quota.bytes;
  },
  tableGrowing: () => true,
  instances: 10, tables: 10, memories: 10,
});
store.epochDeadlineTrap();
store.setEpochDeadline(1_000_000_000);
const grow = instance.getFunc(store, 'grow').typed(store);
console.log(`grow by 2 pages: ${await grow.callAsync(store, 2)}, then by 1 more: ${await grow.callAsync(store, 1)} (over the quota)`);
