// Node-only: a timeout for wasm running on the main thread. Epoch interruption stops a running call
// only when the engine's epoch moves, and a call that never returns leaves the main thread no turn
// to move it; a Worker's thread can, since the epoch lives in a SharedArrayBuffer.

import { Worker } from 'node:worker_threads';
import { checkEngine, type Engine } from '../api/engine.js';

/**
 * The Worker's code: sleep until the deadline (wall clock), then advance the epoch by one. It reads
 * workerData through a dynamic import, which works whether Node evaluates it as a script or a module.
 */
const TIMER_SOURCE = `
import('node:worker_threads').then(({ workerData }) => {
  const { epoch, deadline } = workerData;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let left = deadline - Date.now(); left > 0; left = deadline - Date.now()) Atomics.wait(sleeper, 0, 0, left);
  Atomics.add(epoch, 0, 1);
  Atomics.notify(epoch, 0);
});
`;

/** A started epoch timer; `stop()` ends its Worker (the epoch stays where it is). */
export interface EpochTimer {
  /** Ends the timer's Worker; resolves once it has stopped. */
  stop(): Promise<void>;
}

/**
 * Advances `engine`'s epoch once, `milliseconds` from now, from a Worker thread: with
 * `store.setEpochDeadline(1)` (and Config.epochInterruption), wasm still running then traps with
 * Interrupt even though it never yields the main thread. The deadline counts from this call, not
 * from when the Worker has started. The Worker does not keep the process alive.
 */
export function startEpochTimer(engine: Engine, milliseconds: number): EpochTimer {
  checkEngine(engine, 'startEpochTimer');
  if (!(milliseconds >= 0)) throw new RangeError('the timeout must be a non-negative number of milliseconds');
  if (typeof SharedArrayBuffer !== 'function' || !(engine.epoch.buffer instanceof SharedArrayBuffer)) {
    throw new Error('this platform has no SharedArrayBuffer, so no other thread can advance the epoch');
  }
  const workerData = { epoch: engine.epoch, deadline: Date.now() + milliseconds };
  // execArgv [] : the parent's flags (--input-type=module, say) are not the timer's business.
  const worker = new Worker(TIMER_SOURCE, { eval: true, execArgv: [], workerData });
  worker.unref();
  return {
    stop: async (): Promise<void> => {
      await worker.terminate();
    },
  };
}
