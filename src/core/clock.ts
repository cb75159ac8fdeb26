// Time from the host, with fallbacks for engines without web or Node APIs: a millisecond clock for
// compile-time statistics (performance.now(), else Date.now()), and a turn of the event loop
// (setTimeout, else the promise jobs) for async calls that yield.

const perf = (globalThis as { performance?: { now(): number } }).performance;

export const now: () => number = perf !== undefined && typeof perf.now === 'function' ? () => perf.now() : () => Date.now();

const timeout = (globalThis as { setTimeout?: (f: () => void, ms: number) => unknown }).setTimeout;

/**
 * A promise settled after the event loop has had a turn (timers and I/O included) where the host has
 * setTimeout (a web and Node API); elsewhere after the pending promise jobs.
 */
export function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => (typeof timeout === 'function' ? timeout(resolve, 0) : resolve()));
}
