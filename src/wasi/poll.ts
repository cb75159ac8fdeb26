// poll_oneoff: clock subscriptions (sleeps) and fd readiness. Files and output streams are always
// ready; stdin is probed without blocking, so a read subscription with a timeout can expire.

import { fstatSync } from 'node:fs';
import { Clock, Eventtype, Rights, SUBSCRIPTION_CLOCK_ABSTIME } from './constants.js';
import { clockNow, sleepMs, sleepUntil } from './clock.js';
import type { WasiContext } from './context.js';
import { Errno, WasiError } from './errno.js';
import type { FdEntry } from './fd-table.js';
import type { InputStream } from './stdio.js';

const EVENT_SIZE = 32;

interface Subscription {
  userdata: bigint;
  type: number;
  /** Clock: monotonic deadline in ns. */
  deadline: bigint;
  /** fd_read / fd_write: the descriptor (or the errno looking it up gave). */
  entry: FdEntry | null;
  error: number;
}

/** Subscription layout: preview1 puts the clock id at +16; wasi_unstable has a u64 `identifier` there first. */
function readSubscription(ctx: WasiContext, at: number, preview0: boolean, now: bigint): Subscription {
  const mem = ctx.mem;
  const userdata = mem.u64(at);
  const type = mem.u8(at + 8);
  const sub: Subscription = { userdata, type, deadline: 0n, entry: null, error: Errno.SUCCESS };
  if (type === Eventtype.CLOCK) {
    const c = at + (preview0 ? 24 : 16);
    const id = mem.u32(c);
    const timeout = mem.u64(c + 8);
    const flags = mem.u16(c + 24);
    if (id !== Clock.REALTIME && id !== Clock.MONOTONIC && id !== Clock.PROCESS_CPUTIME && id !== Clock.THREAD_CPUTIME) {
      sub.error = Errno.EINVAL;
      return sub;
    }
    // Absolute times of any clock become a monotonic deadline by their distance from now.
    const delta = flags & SUBSCRIPTION_CLOCK_ABSTIME ? timeout - clockNow(id) : timeout;
    sub.deadline = now + (delta > 0n ? delta : 0n);
    return sub;
  }
  if (type !== Eventtype.FD_READ && type !== Eventtype.FD_WRITE) throw new WasiError(Errno.EINVAL);
  try {
    sub.entry = ctx.fds.get(mem.u32(at + 16), Rights.POLL_FD_READWRITE);
  } catch (e) {
    if (!(e instanceof WasiError)) throw e;
    sub.error = e.errno;
  }
  return sub;
}

/** Whether an fd subscription is ready now (null: cannot tell without blocking, i.e. stdin on a platform without the probe). */
function fdReady(sub: Subscription): { ready: boolean | null; nbytes: bigint; error: number } {
  const e = sub.entry!;
  const reading = sub.type === Eventtype.FD_READ;
  if (e.kind === 'file') {
    if (!reading) return { ready: true, nbytes: 0n, error: 0 };
    const size = BigInt(fstatSync(e.hostFd).size);
    const left = size - BigInt(e.position);
    return { ready: true, nbytes: left > 0n ? left : 0n, error: 0 };
  }
  if (e.kind === 'dir') return { ready: true, nbytes: 0n, error: Errno.EISDIR };
  if (!reading) return e.output ? { ready: true, nbytes: 0n, error: 0 } : { ready: true, nbytes: 0n, error: Errno.EBADF };
  if (!e.input) return { ready: true, nbytes: 0n, error: Errno.EBADF };
  const ready = e.input.ready();
  return { ready, nbytes: BigInt(e.input.available()), error: 0 };
}

/** The stream input every fd subscription waits on, if they all wait on one that can block until ready. */
function waitingInput(subs: readonly Subscription[]): { waitReady(): void } | null {
  let input: InputStream | null = null;
  for (const s of subs) {
    const e = s.entry;
    if (e === null || e.kind !== 'stream' || e.input === null || s.type !== Eventtype.FD_READ) return null;
    if (input !== null && input !== e.input) return null;
    input = e.input;
  }
  return input?.waitReady ? (input as { waitReady(): void }) : null;
}

function writeEvent(ctx: WasiContext, at: number, sub: Subscription, error: number, nbytes: bigint): void {
  const mem = ctx.mem;
  mem.bytes.fill(0, at, at + EVENT_SIZE);
  mem.setU64(at, sub.userdata);
  mem.setU16(at + 8, error);
  mem.setU8(at + 10, sub.type);
  if (sub.type !== Eventtype.CLOCK) mem.setU64(at + 16, nbytes);
}

/** The most subscriptions one poll_oneoff takes. */
const MAX_SUBSCRIPTIONS = 1 << 16;

export function poll_oneoff(ctx: WasiContext, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number, preview0 = false): number | void {
  const n = nsubs >>> 0;
  // Each subscription becomes a host object: a bound keeps one call from exhausting the host's
  // heap (Linux's poll is EINVAL past the process's descriptor limit, too).
  if (n === 0 || n > MAX_SUBSCRIPTIONS) throw new WasiError(Errno.EINVAL);
  const subSize = preview0 ? 56 : 48;
  const mem = ctx.mem;
  const inBase = mem.check(inPtr, n * subSize, 8);
  const outBase = mem.check(outPtr, n * EVENT_SIZE, 8);
  mem.check(neventsPtr, 4, 4);
  const now = clockNow(Clock.MONOTONIC);
  const subs: Subscription[] = [];
  for (let i = 0; i < n; i++) subs.push(readSubscription(ctx, inBase + i * subSize, preview0, now));

  const events: { sub: Subscription; error: number; nbytes: bigint }[] = [];
  for (let wait = 1; ; wait = Math.min(wait * 2, 10)) {
    const unknown: Subscription[] = [];
    const t = clockNow(Clock.MONOTONIC);
    for (const sub of subs) {
      if (sub.error !== Errno.SUCCESS) events.push({ sub, error: sub.error, nbytes: 0n });
      else if (sub.type === Eventtype.CLOCK) {
        if (sub.deadline <= t) events.push({ sub, error: 0, nbytes: 0n });
      } else {
        const r = fdReady(sub);
        if (r.ready === null) unknown.push(sub);
        else if (r.ready) events.push({ sub, error: r.error, nbytes: r.nbytes });
      }
    }
    if (events.length > 0) break;
    // Readiness that cannot be probed (stdin on a socket, as Node's child_process gives): report
    // ready, so that the program reads (and maybe blocks) rather than seeing timeouts forever.
    if (unknown.length > 0) {
      for (const sub of unknown) events.push({ sub, error: 0, nbytes: 0n });
      break;
    }
    const deadline = subs.reduce<bigint | null>((d, s) => (s.type === Eventtype.CLOCK && (d === null || s.deadline < d) ? s.deadline : d), null);
    const fdsWaiting = subs.some((s) => s.type !== Eventtype.CLOCK);
    // Interrupted (the epoch reached the caller's deadline): back to wasm with no event, where the
    // interruption happens at its next check.
    const wake = ctx.interruption ?? null;
    if (!fdsWaiting && deadline !== null) {
      if (sleepUntil(deadline, wake)) break;
      continue;
    }
    // Only stdin and no clock: a blocking read (kept for the next fd_read) is the wait.
    const input = deadline === null ? waitingInput(subs) : null;
    if (input !== null) {
      input.waitReady();
      continue;
    }
    // Waiting for stdin and a clock: probe again shortly, never past the deadline.
    const left = deadline === null ? wait : Math.min(wait, Number(deadline - t) / 1e6);
    if (sleepMs(left, wake)) break;
  }
  events.forEach((ev, i) => writeEvent(ctx, outBase + i * EVENT_SIZE, ev.sub, ev.error, ev.nbytes));
  mem.setU32(neventsPtr, events.length);
}
