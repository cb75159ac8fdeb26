// The syscalls that touch no files: arguments and environment, clocks, randomness, exit, signals,
// scheduling, and the socket calls (no sockets are ever preopened, so they only validate the fd).

import { randomFillSync } from 'node:crypto';
import { clockNow, clockResolution } from './clock.js';
import type { WasiContext } from './context.js';
import { Errno, WasiError } from './errno.js';
import { WasiExit } from './exit.js';

/** Writes the pointer array and the NUL-terminated strings (args_get / environ_get). */
function writeStrings(ctx: WasiContext, list: readonly Uint8Array[], ptrs: number, buf: number): void {
  const mem = ctx.mem;
  mem.check(ptrs, list.length * 4, 4);
  const size = list.reduce((s, a) => s + a.length, 0);
  let at = mem.check(buf, size);
  list.forEach((s, i) => {
    mem.setU32(ptrs + i * 4, at);
    mem.bytes.set(s, at);
    at += s.length;
  });
}

function writeSizes(ctx: WasiContext, list: readonly Uint8Array[], countPtr: number, sizePtr: number): void {
  ctx.mem.check(countPtr, 4, 4);
  ctx.mem.check(sizePtr, 4, 4);
  ctx.mem.setU32(countPtr, list.length);
  ctx.mem.setU32(sizePtr, list.reduce((s, a) => s + a.length, 0));
}

export function args_get(ctx: WasiContext, argv: number, buf: number): number | void {
  writeStrings(ctx, ctx.args, argv, buf);
}
export function args_sizes_get(ctx: WasiContext, countPtr: number, sizePtr: number): number | void {
  writeSizes(ctx, ctx.args, countPtr, sizePtr);
}
export function environ_get(ctx: WasiContext, environ: number, buf: number): number | void {
  writeStrings(ctx, ctx.env, environ, buf);
}
export function environ_sizes_get(ctx: WasiContext, countPtr: number, sizePtr: number): number | void {
  writeSizes(ctx, ctx.env, countPtr, sizePtr);
}

export function clock_res_get(ctx: WasiContext, id: number, ptr: number): number | void {
  ctx.mem.check(ptr, 8, 8);
  ctx.mem.setU64(ptr, clockResolution(id));
}

/** The precision argument is a hint; every clock is read at its best. */
export function clock_time_get(ctx: WasiContext, id: number, _precision: bigint, ptr: number): number | void {
  ctx.mem.check(ptr, 8, 8);
  ctx.mem.setU64(ptr, clockNow(id));
}

export function random_get(ctx: WasiContext, buf: number, len: number): number | void {
  randomFillSync(ctx.mem.slice(buf, len));
}

export function proc_exit(_ctx: WasiContext, code: number): never {
  throw new WasiExit(code >>> 0);
}

/** Raising a signal would have to end or stop the host process: ENOTSUP, Wasmtime's answer. */
export function proc_raise(_ctx: WasiContext, _sig: number): number | void {
  return Errno.ENOTSUP;
}

export function sched_yield(_ctx: WasiContext): number | void {}

/** No socket is ever preopened: a valid descriptor is not a socket, an invalid one is EBADF. */
function notSocket(ctx: WasiContext, fd: number): never {
  ctx.fds.get(fd);
  throw new WasiError(Errno.ENOTSOCK);
}
export function sock_accept(ctx: WasiContext, fd: number, _flags: number, _fdPtr: number): number | void {
  notSocket(ctx, fd);
}
export function sock_recv(ctx: WasiContext, fd: number, _iovs: number, _iovsLen: number, _flags: number, _nreadPtr: number, _roflagsPtr: number): number | void {
  notSocket(ctx, fd);
}
export function sock_send(ctx: WasiContext, fd: number, _iovs: number, _iovsLen: number, _flags: number, _nwrittenPtr: number): number | void {
  notSocket(ctx, fd);
}
export function sock_shutdown(ctx: WasiContext, fd: number, _how: number): number | void {
  notSocket(ctx, fd);
}
