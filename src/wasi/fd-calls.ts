// The fd_* syscalls except fd_readdir: reading and writing (streams, positional files), seeking,
// descriptor flags and rights, file metadata, sync, close and renumber, and the preopen queries.

import {
  fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, futimesSync, openSync, closeSync, readSync, statSync,
  utimesSync, writeSync, constants,
} from 'node:fs';
import { ADVICE_MAX, FDFLAGS_ALL, Fdflags, PREOPENTYPE_DIR, Rights, Whence } from './constants.js';
import { fileOffset, u64, type WasiContext } from './context.js';
import { Errno, WasiError } from './errno.js';
import type { FdEntry, FileEntry, StreamEntry } from './fd-table.js';
import { emptyFilestat, filestatOf, writeFilestat } from './filestat.js';
import { encodeUtf8 } from './memory-view.js';
import { timesToSet } from './times.js';
import { dirHostPath } from './paths.js';

/** Largest single read from a stream: bounds the temporary buffer whatever the guest asks for. */
const MAX_STREAM_READ = 1 << 20;

function file(e: FdEntry): FileEntry {
  if (e.kind === 'file') return e;
  throw new WasiError(e.kind === 'dir' ? Errno.EISDIR : Errno.ESPIPE);
}

/** Streams cannot seek: ESPIPE before any rights check, as POSIX says for pipes and terminals. */
function seekable(ctx: WasiContext, fd: number, rights: bigint): FileEntry {
  const e = ctx.fds.get(fd);
  if (e.kind === 'stream') throw new WasiError(Errno.ESPIPE);
  return file(ctx.fds.get(fd, rights));
}

/**
 * The most one host read or write moves: Node takes lengths as int32, and a guest's buffer can be
 * up to 4 GiB (a partial read or write is a valid answer).
 */
const HOST_IO_MAX = 1 << 30;

/** File offsets are kept as doubles: past 2^53 - 1 they would be inexact. */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

function readFile(e: FileEntry, bufs: Uint8Array[], position: number): number {
  let total = 0;
  for (const b of bufs) {
    if (b.length === 0) continue;
    // A read that would end past the last exact offset stops there (a short read).
    const want = Math.min(b.length, HOST_IO_MAX, MAX_OFFSET - (position + total));
    if (want <= 0) break;
    const n = readSync(e.hostFd, b, 0, want, position + total);
    total += n;
    if (n < b.length) break;
  }
  return total;
}

function writeFile(e: FileEntry, bufs: Uint8Array[], position: number): number {
  const size = bufs.reduce((s, b) => s + b.length, 0);
  if (size > 0 && position + size > MAX_OFFSET) throw new WasiError(Errno.EFBIG, 'the write would end past offset 2^53 - 1');
  let total = 0;
  for (const b of bufs) {
    let off = 0;
    while (off < b.length) off += writeSync(e.hostFd, b, off, Math.min(b.length - off, HOST_IO_MAX), position + total + off);
    total += b.length;
  }
  return total;
}

/** One read into a bounce buffer, scattered afterwards: readv semantics (return what is there, block only for the first byte). */
function readStream(e: StreamEntry, bufs: Uint8Array[]): number {
  if (e.input === null) throw new WasiError(Errno.EBADF);
  const want = Math.min(bufs.reduce((s, b) => s + b.length, 0), MAX_STREAM_READ);
  if (want === 0) return 0;
  if (bufs.length === 1) return e.input.read(bufs[0]!.subarray(0, want));
  const tmp = new Uint8Array(want);
  const n = e.input.read(tmp);
  let off = 0;
  for (const b of bufs) {
    if (off >= n) break;
    const k = Math.min(b.length, n - off);
    b.set(tmp.subarray(off, off + k));
    off += k;
  }
  return n;
}

export function fd_read(ctx: WasiContext, fd: number, iovs: number, iovsLen: number, nreadPtr: number): number | void {
  const e = ctx.fds.get(fd, Rights.FD_READ);
  const bufs = ctx.mem.iovecs(iovs, iovsLen, e.kind === 'stream' ? MAX_STREAM_READ : HOST_IO_MAX);
  ctx.mem.check(nreadPtr, 4, 4);
  let n: number;
  if (e.kind === 'stream') {
    // A guest that asked for non-blocking reads gets EAGAIN instead of waiting for input.
    if (e.flags & Fdflags.NONBLOCK && e.input?.ready() === false) throw new WasiError(Errno.EAGAIN);
    n = readStream(e, bufs);
  } else {
    const f = file(e);
    n = readFile(f, bufs, f.position);
    f.position += n;
  }
  ctx.mem.setU32(nreadPtr, n);
}

export function fd_write(ctx: WasiContext, fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number | void {
  const e = ctx.fds.get(fd, Rights.FD_WRITE);
  const bufs = ctx.mem.iovecs(iovs, iovsLen, e.kind === 'stream' ? STREAM_WRITE_MAX : HOST_IO_MAX);
  ctx.mem.check(nwrittenPtr, 4, 4);
  let n: number;
  if (e.kind === 'stream') {
    if (e.output === null) throw new WasiError(Errno.EBADF);
    // One write for the whole gather list keeps a printf line in one piece on a shared terminal;
    // past STREAM_WRITE_MAX it is a short write (iovecs may all point at the same bytes, so their
    // total can be far larger than the memory).
    const data = gather(bufs, STREAM_WRITE_MAX);
    n = data.length === 0 ? 0 : e.output.write(data);
  } else {
    const f = file(e);
    if (f.flags & Fdflags.APPEND) f.position = Number(fstatSync(f.hostFd).size);
    n = writeFile(f, bufs, f.position);
    f.position += n;
  }
  ctx.mem.setU32(nwrittenPtr, n);
}

const STREAM_WRITE_MAX = 1 << 24;

/** The first `max` bytes of a gather list, in one buffer. */
function gather(bufs: Uint8Array[], max: number): Uint8Array {
  if (bufs.length === 1) return bufs[0]!.subarray(0, max);
  let size = 0;
  for (const b of bufs) size += b.length;
  const out = new Uint8Array(Math.min(size, max));
  let off = 0;
  for (const b of bufs) {
    if (off >= out.length) break;
    const k = Math.min(b.length, out.length - off);
    out.set(b.subarray(0, k), off);
    off += k;
  }
  return out;
}

export function fd_pread(ctx: WasiContext, fd: number, iovs: number, iovsLen: number, offset: bigint, nreadPtr: number): number | void {
  const f = seekable(ctx, fd, Rights.FD_READ | Rights.FD_SEEK);
  const bufs = ctx.mem.iovecs(iovs, iovsLen, HOST_IO_MAX);
  ctx.mem.check(nreadPtr, 4, 4);
  ctx.mem.setU32(nreadPtr, readFile(f, bufs, fileOffset(offset)));
}

export function fd_pwrite(ctx: WasiContext, fd: number, iovs: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number | void {
  const f = seekable(ctx, fd, Rights.FD_WRITE | Rights.FD_SEEK);
  const bufs = ctx.mem.iovecs(iovs, iovsLen, HOST_IO_MAX);
  ctx.mem.check(nwrittenPtr, 4, 4);
  // An append descriptor appends whatever the offset, as Linux's pwrite does (and Wasmtime's).
  const at = f.flags & Fdflags.APPEND ? Number(fstatSync(f.hostFd).size) : fileOffset(offset);
  ctx.mem.setU32(nwrittenPtr, writeFile(f, bufs, at));
}

/** fd_seek with preview1's whence numbering (wasi_unstable's is translated before this). */
export function fd_seek(ctx: WasiContext, fd: number, offset: bigint, whence: number, newOffsetPtr: number): number | void {
  const tellOnly = whence === Whence.CUR && offset === 0n;
  const f = seekable(ctx, fd, tellOnly ? Rights.FD_TELL : Rights.FD_SEEK);
  ctx.mem.check(newOffsetPtr, 8, 8);
  let base: number;
  switch (whence) {
    case Whence.SET: base = 0; break;
    case Whence.CUR: base = f.position; break;
    case Whence.END: base = Number(fstatSync(f.hostFd).size); break;
    default: throw new WasiError(Errno.EINVAL);
  }
  const next = BigInt(base) + BigInt.asIntN(64, offset);
  if (next < 0n) throw new WasiError(Errno.EINVAL);
  f.position = fileOffset(next);
  ctx.mem.setU64(newOffsetPtr, next);
}

export function fd_tell(ctx: WasiContext, fd: number, offsetPtr: number): number | void {
  const f = seekable(ctx, fd, Rights.FD_TELL);
  ctx.mem.setU64(offsetPtr, f.position);
}

export function fd_fdstat_get(ctx: WasiContext, fd: number, ptr: number): number | void {
  const e = ctx.fds.get(fd);
  const mem = ctx.mem;
  const p = mem.check(ptr, 24, 8);
  mem.bytes.fill(0, p, p + 24);
  mem.setU8(p, e.filetype);
  mem.setU16(p + 2, e.flags);
  mem.setU64(p + 8, e.rightsBase);
  mem.setU64(p + 16, e.rightsInheriting);
}

/**
 * APPEND and NONBLOCK can change (APPEND is applied here at each write; a blocking read of a
 * stream already copes with a non-blocking host fd). The sync flags are fixed at open: Node
 * cannot fcntl an open descriptor, so changing them is ENOTSUP.
 */
export function fd_fdstat_set_flags(ctx: WasiContext, fd: number, flags: number): number | void {
  const e = ctx.fds.get(fd, Rights.FD_FDSTAT_SET_FLAGS);
  if ((flags & ~FDFLAGS_ALL) !== 0) throw new WasiError(Errno.EINVAL);
  const fixed = Fdflags.DSYNC | Fdflags.RSYNC | Fdflags.SYNC;
  if (((flags ^ e.flags) & fixed) !== 0) throw new WasiError(Errno.ENOTSUP);
  e.flags = flags;
}

/** Rights can only shrink. */
export function fd_fdstat_set_rights(ctx: WasiContext, fd: number, base: bigint, inheriting: bigint): number | void {
  const e = ctx.fds.get(fd);
  const b = u64(base);
  const i = u64(inheriting);
  if ((b & ~e.rightsBase) !== 0n || (i & ~e.rightsInheriting) !== 0n) throw new WasiError(Errno.ENOTCAPABLE);
  e.rightsBase = b;
  e.rightsInheriting = i;
}

export function fd_filestat_get(ctx: WasiContext, fd: number, ptr: number, preview0 = false): number | void {
  const e = ctx.fds.get(fd, Rights.FD_FILESTAT_GET);
  ctx.mem.check(ptr, preview0 ? 56 : 64, 8);
  const st = e.kind === 'file' ? filestatOf(fstatSync(e.hostFd, { bigint: true }))
    : e.kind === 'dir' ? filestatOf(statSync(dirHostPath(e), { bigint: true }))
    : emptyFilestat(e.filetype);
  writeFilestat(ctx.mem, ptr, st, preview0);
}

export function fd_filestat_set_size(ctx: WasiContext, fd: number, size: bigint): number | void {
  const f = file(ctx.fds.get(fd, Rights.FD_FILESTAT_SET_SIZE));
  ftruncateSync(f.hostFd, fileOffset(size));
}

export function fd_filestat_set_times(ctx: WasiContext, fd: number, atim: bigint, mtim: bigint, flags: number): number | void {
  const e = ctx.fds.get(fd, Rights.FD_FILESTAT_SET_TIMES);
  if (e.kind === 'file') {
    const [a, m] = timesToSet(atim, mtim, flags, () => fstatSync(e.hostFd, { bigint: true }));
    futimesSync(e.hostFd, a, m);
  } else if (e.kind === 'dir') {
    const path = dirHostPath(e);
    const [a, m] = timesToSet(atim, mtim, flags, () => statSync(path, { bigint: true }));
    utimesSync(path, a, m);
  } else {
    throw new WasiError(Errno.ENOTSUP);
  }
}

export function fd_advise(ctx: WasiContext, fd: number, offset: bigint, len: bigint, advice: number): number | void {
  const f = seekable(ctx, fd, Rights.FD_ADVISE);
  if (advice < 0 || advice > ADVICE_MAX) throw new WasiError(Errno.EINVAL);
  fileOffset(offset);
  fileOffset(len);
  void f; // advice is only a hint; Node has no posix_fadvise
}

/** Ensures the file is at least offset+len long (posix_fallocate without the block reservation). */
export function fd_allocate(ctx: WasiContext, fd: number, offset: bigint, len: bigint): number | void {
  const f = seekable(ctx, fd, Rights.FD_ALLOCATE);
  const end = fileOffset(offset) + fileOffset(len);
  if (fileOffset(len) === 0) throw new WasiError(Errno.EINVAL);
  if (end > MAX_OFFSET) throw new WasiError(Errno.EFBIG, 'the file would end past offset 2^53 - 1');
  if (end > Number(fstatSync(f.hostFd).size)) ftruncateSync(f.hostFd, end);
}

function syncEntry(e: FdEntry, data: boolean): void {
  if (e.kind === 'file') {
    (data ? fdatasyncSync : fsyncSync)(e.hostFd);
  } else if (e.kind === 'dir') {
    const h = openSync(dirHostPath(e), constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      (data ? fdatasyncSync : fsyncSync)(h);
    } finally {
      closeSync(h);
    }
  } else {
    throw new WasiError(Errno.EINVAL); // what fsync says for a pipe or terminal
  }
}

export function fd_sync(ctx: WasiContext, fd: number): number | void {
  syncEntry(ctx.fds.get(fd, Rights.FD_SYNC), false);
}

export function fd_datasync(ctx: WasiContext, fd: number): number | void {
  syncEntry(ctx.fds.get(fd, Rights.FD_DATASYNC), true);
}

export function fd_close(ctx: WasiContext, fd: number): number | void {
  ctx.fds.close(fd);
}

export function fd_renumber(ctx: WasiContext, from: number, to: number): number | void {
  ctx.fds.renumber(from, to);
}

function preopenName(ctx: WasiContext, fd: number): Uint8Array {
  const e = ctx.fds.get(fd);
  if (e.kind !== 'dir' || e.preopen === null) throw new WasiError(Errno.EBADF);
  return encodeUtf8(e.preopen);
}

export function fd_prestat_get(ctx: WasiContext, fd: number, ptr: number): number | void {
  const name = preopenName(ctx, fd);
  const p = ctx.mem.check(ptr, 8, 4);
  ctx.mem.bytes.fill(0, p, p + 8);
  ctx.mem.setU8(p, PREOPENTYPE_DIR);
  ctx.mem.setU32(p + 4, name.length);
}

export function fd_prestat_dir_name(ctx: WasiContext, fd: number, ptr: number, len: number): number | void {
  const name = preopenName(ctx, fd);
  if ((len >>> 0) < name.length) throw new WasiError(Errno.ENAMETOOLONG);
  ctx.mem.slice(ptr, name.length).set(name);
}
