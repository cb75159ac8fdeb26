// What every syscall implementation works on: the guest's memory for this call, its descriptor
// table, and the fixed arguments and environment (already encoded as UTF-8 with a NUL each).

import { Errno, WasiError } from './errno.js';
import type { FdTable } from './fd-table.js';
import type { GuestMemory } from './memory-view.js';
import type { Wake } from './clock.js';

export interface WasiContext {
  readonly mem: GuestMemory;
  readonly fds: FdTable;
  readonly args: readonly Uint8Array[];
  readonly env: readonly Uint8Array[];
  /**
   * The calling store's epoch counter and the store (for its deadline), when its engine interrupts by epochs: a sleep ends
   * early once the epoch reaches the deadline, so that the wasm after it is interrupted (a timeout
   * then stops a program blocked in poll_oneoff too, as wasmtime run's does). Set for each call.
   */
  interruption?: Wake | null;
}

/** A syscall: context, then its wasm arguments (i32 as signed numbers, i64 as signed bigints); returns an errno (undefined = success). */
export type Syscall = (ctx: WasiContext, ...args: any[]) => number | void;

/** A u64 argument as an unsigned bigint (i64s arrive signed). */
export function u64(x: bigint): bigint {
  return BigInt.asUintN(64, x);
}

/**
 * A file offset or size argument as a number. Values that are negative as s64 are EINVAL (as in
 * POSIX); the rest of the range above 2^53 cannot reach a Node fs call exactly: EFBIG.
 */
export function fileOffset(x: bigint): number {
  const v = BigInt.asIntN(64, x);
  if (v < 0n) throw new WasiError(Errno.EINVAL, 'negative file offset');
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError(Errno.EFBIG, 'file offset too large');
  return Number(v);
}
