// fd/path_filestat_set_times: which timestamps to set (a given value, "now", or unchanged) as the
// seconds Node's utimes family takes (libuv keeps microseconds of them).

import type { BigIntStats } from 'node:fs';
import { Fstflags } from './constants.js';
import { Errno, WasiError } from './errno.js';

/**
 * The [atime, mtime] in seconds to pass to utimes. A timestamp neither given nor "now" keeps its
 * current value, read from `current` (only then, since it costs a stat).
 */
export function timesToSet(atim: bigint, mtim: bigint, flags: number, current: () => BigIntStats): [number, number] {
  if ((flags & ~15) !== 0) throw new WasiError(Errno.EINVAL);
  if ((flags & Fstflags.ATIM) && (flags & Fstflags.ATIM_NOW)) throw new WasiError(Errno.EINVAL);
  if ((flags & Fstflags.MTIM) && (flags & Fstflags.MTIM_NOW)) throw new WasiError(Errno.EINVAL);
  const now = Date.now() / 1000;
  let st: BigIntStats | null = null;
  const keep = (which: 'atimeNs' | 'mtimeNs'): number => {
    st ??= current();
    return nsToSeconds(st[which]);
  };
  const a = flags & Fstflags.ATIM_NOW ? now : flags & Fstflags.ATIM ? nsToSeconds(BigInt.asUintN(64, atim)) : keep('atimeNs');
  const m = flags & Fstflags.MTIM_NOW ? now : flags & Fstflags.MTIM ? nsToSeconds(BigInt.asUintN(64, mtim)) : keep('mtimeNs');
  return [a, m];
}

/** Seconds as a double, split so that the nanoseconds are not lost to the size of the seconds. */
function nsToSeconds(ns: bigint): number {
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}
