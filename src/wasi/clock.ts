// The four WASI clocks in nanoseconds (realtime, monotonic, process and thread CPU time) and a
// synchronous sleep, which poll_oneoff needs because host calls cannot yield to the event loop.

import { Clock } from './constants.js';
import { Errno, WasiError } from './errno.js';

/** Realtime is anchored once to the wall clock, then advanced by the high-resolution timer. */
const realtimeBase = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** The current time of clock `id` in nanoseconds; EINVAL for an unknown clock. */
export function clockNow(id: number): bigint {
  switch (id) {
    case Clock.REALTIME: return realtimeBase + process.hrtime.bigint();
    case Clock.MONOTONIC: return process.hrtime.bigint();
    // A wasm instance runs on one thread, so its thread's CPU time is the process's.
    case Clock.PROCESS_CPUTIME:
    case Clock.THREAD_CPUTIME: {
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
  }
  throw new WasiError(Errno.EINVAL, `unknown clock ${id}`);
}

/** The resolution of clock `id` in nanoseconds (cpuUsage counts microseconds). */
export function clockResolution(id: number): bigint {
  switch (id) {
    case Clock.REALTIME:
    case Clock.MONOTONIC: return 1n;
    case Clock.PROCESS_CPUTIME:
    case Clock.THREAD_CPUTIME: return 1000n;
  }
  throw new WasiError(Errno.EINVAL, `unknown clock ${id}`);
}

/** Atomics.wait needs shared memory; a host without SharedArrayBuffer sleeps by spinning. */
const sleeper = typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;

/** What ends a sleep early: an epoch counter reaching a store's deadline (WasiContext.interruption). */
export interface Wake {
  readonly epoch: Int32Array;
  /** The store whose `epochDeadline` is read at each wake (it may move while a store runs). */
  readonly store: { readonly epochDeadline: number };
}

/**
 * Blocks the thread for `ms` milliseconds (fractions allowed), or until `wake`'s epoch reaches its
 * deadline (the epoch's writers notify it); returns whether it was woken so.
 */
export function sleepMs(ms: number, wake: Wake | null = null): boolean {
  if (!(ms > 0)) return false;
  if (wake !== null && wake.epoch.buffer instanceof SharedArrayBuffer) {
    const until = performance.now() + ms;
    for (;;) {
      const now = Atomics.load(wake.epoch, 0);
      if (now >= wake.store.epochDeadline) return true;
      const left = until - performance.now();
      if (left <= 0) return false;
      Atomics.wait(wake.epoch, 0, now, left);
    }
  }
  if (sleeper !== null) {
    Atomics.wait(sleeper, 0, 0, ms);
    return false;
  }
  const until = performance.now() + ms;
  while (performance.now() < until);
  return false;
}

/** Blocks until monotonic time `deadline` (ns), or until `wake` (sleepMs); returns whether woken so. */
export function sleepUntil(deadline: bigint, wake: Wake | null = null): boolean {
  for (;;) {
    const left = deadline - process.hrtime.bigint();
    if (left <= 0n) return false;
    if (sleepMs(Number(left) / 1e6, wake)) return true;
  }
}
