// Time from the host, with fallbacks for engines without web or Node APIs: a millisecond clock for
// compile-time statistics (performance.now(), else Date.now()), and a turn of the event loop
// (setImmediate or setTimeout, else the promise jobs) for async calls that yield.

const perf = (globalThis as { performance?: { now(): number } }).performance;

export const now: () => number = perf !== undefined && typeof perf.now === 'function' ? () => perf.now() : () => Date.now();

const timeout = (globalThis as { setTimeout?: (f: () => void, ms: number) => unknown }).setTimeout;
/** Node's and Bun's setImmediate: a turn of the event loop without setTimeout's 1 ms floor. */
const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;

/**
 * A promise settled after the event loop has had a turn (timers and I/O included) where the host has
 * setImmediate (Node, Bun: no 1 ms floor, so a fuel or epoch yield costs microseconds, as a
 * re-polled future does in Wasmtime) or setTimeout (the web); elsewhere after the pending promise jobs.
 */
export function eventLoopTurn(): Promise<void> {
  if (typeof immediate === 'function') return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => (typeof timeout === 'function' ? timeout(resolve, 0) : resolve()));
}
