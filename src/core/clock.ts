// A millisecond clock for compile-time statistics: performance.now() where the engine has it (it is
// a web and Node API, not ECMAScript), Date.now() elsewhere.

const perf = (globalThis as { performance?: { now(): number } }).performance;

export const now: () => number = perf !== undefined && typeof perf.now === 'function' ? () => perf.now() : () => Date.now();
