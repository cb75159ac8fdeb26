// The path_* syscalls: every path goes through the sandboxed resolver relative to a directory
// descriptor, then one host call does the work (its errno is the guest's).

import {
  closeSync, constants, fstatSync, linkSync, lstatSync, lutimesSync, mkdirSync, openSync, readlinkSync,
  renameSync, rmdirSync, statSync, symlinkSync, unlinkSync, utimesSync,
} from 'node:fs';
import {
  DIR_RIGHTS, FDFLAGS_ALL, FILE_RIGHTS, Fdflags, Filetype, LOOKUP_SYMLINK_FOLLOW, OFLAGS_ALL, Oflags, READ_RIGHTS,
  Rights, WRITE_RIGHTS,
} from './constants.js';
import { u64, type WasiContext } from './context.js';
import { Errno, WasiError } from './errno.js';
import type { DirEntry } from './fd-table.js';
import { filestatOf, filetypeOf, writeFilestat } from './filestat.js';
import { dirHostPath, resolvePath, type ResolvedPath } from './paths.js';
import { relative } from 'node:path';
import { timesToSet } from './times.js';

function resolveArg(ctx: WasiContext, dir: DirEntry, ptr: number, len: number, follow: boolean): ResolvedPath {
  const path = ctx.mem.string(ptr, len);
  return resolvePath(dirHostPath(dir), path, follow);
}

/**
 * The path of a directory entry that is removed, renamed or created. `link/` names what a
 * symlink points to for a lookup, but these calls act on the entry itself, and Linux refuses them
 * (ENOTDIR) rather than act on the target.
 */
function resolveEntry(ctx: WasiContext, dir: DirEntry, ptr: number, len: number): ResolvedPath {
  // Resolved first: a link leading outside is refused as an escape.
  const r = resolveArg(ctx, dir, ptr, len, false);
  if (r.slashedLink) throw new WasiError(Errno.ENOTDIR);
  return r;
}

/**
 * Operations that add or remove a directory entry need a real last component: the directory
 * itself (`.`, the root) or its parent (`..`) cannot be removed, renamed or created through it.
 */
function refuseDirSelf(r: ResolvedPath, errno: Errno): void {
  if (r.depth === 0 || r.last === '.' || r.last === '..') throw new WasiError(errno);
}

/** Host open(2) flags for a path_open; APPEND is left out because fd_write applies it. */
function hostOpenFlags(oflags: number, fdflags: number, read: boolean, write: boolean, follow: boolean): number {
  const c = constants;
  let flags = write ? (read ? c.O_RDWR : c.O_WRONLY) : c.O_RDONLY;
  if (oflags & Oflags.CREAT) flags |= c.O_CREAT;
  if (oflags & Oflags.EXCL) flags |= c.O_EXCL;
  if (oflags & Oflags.TRUNC) flags |= c.O_TRUNC;
  if (oflags & Oflags.DIRECTORY) flags |= c.O_DIRECTORY;
  if (!follow) flags |= c.O_NOFOLLOW;
  if (fdflags & Fdflags.DSYNC) flags |= c.O_DSYNC;
  if (fdflags & (Fdflags.SYNC | Fdflags.RSYNC)) flags |= c.O_SYNC;
  if (fdflags & Fdflags.NONBLOCK) flags |= c.O_NONBLOCK;
  return flags;
}

export function path_open(
  ctx: WasiContext, fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number,
  rightsBase: bigint, rightsInheriting: bigint, fdflags: number, fdPtr: number,
): number | void {
  const dir = ctx.fds.dir(fd, Rights.PATH_OPEN);
  if ((oflags & ~OFLAGS_ALL) !== 0 || (fdflags & ~FDFLAGS_ALL) !== 0) throw new WasiError(Errno.EINVAL);
  if ((oflags & Oflags.CREAT) && (oflags & Oflags.DIRECTORY)) throw new WasiError(Errno.EINVAL);
  let needed = 0n;
  if (oflags & Oflags.CREAT) needed |= Rights.PATH_CREATE_FILE;
  if (oflags & Oflags.TRUNC) needed |= Rights.PATH_FILESTAT_SET_SIZE;
  ctx.fds.dir(fd, needed);
  ctx.mem.check(fdPtr, 4, 4);
  // O_CREAT|O_EXCL never follows the last symlink (POSIX): a dangling one is EEXIST, not created.
  const exclusive = (oflags & Oflags.CREAT) !== 0 && (oflags & Oflags.EXCL) !== 0;
  const follow = (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0 && !exclusive;
  const r = resolveArg(ctx, dir, pathPtr, pathLen, follow);
  // A descriptor gets at most what the directory passes on (wasi-libc asks for every right the
  // access mode allows, so asking for more is normal and not an error).
  const base = u64(rightsBase) & dir.rightsInheriting;
  const inheriting = u64(rightsInheriting) & dir.rightsInheriting;
  const read = (base & READ_RIGHTS) !== 0n;
  const write = (base & WRITE_RIGHTS) !== 0n || (oflags & Oflags.TRUNC) !== 0;
  const hostFd = openSync(r.host, hostOpenFlags(oflags, fdflags, read, write, follow), 0o666);
  let st;
  try {
    st = fstatSync(hostFd);
  } catch (e) {
    closeSync(hostFd);
    throw e;
  }
  if (st.isDirectory()) {
    // Directories are used by path (Node has no *at calls), so the host fd is not kept.
    let id;
    try {
      id = fstatSync(hostFd, { bigint: true });
    } finally {
      closeSync(hostFd);
    }
    const hostPath = r.host.endsWith('/') ? r.host.slice(0, -1) : r.host;
    const newFd = ctx.fds.add({
      kind: 'dir', filetype: Filetype.DIRECTORY, rightsBase: base & DIR_RIGHTS, rightsInheriting: inheriting,
      flags: fdflags, root: dir.root, under: relative(dir.root, hostPath), dev: id.dev, ino: id.ino, preopen: null, listing: null,
    });
    ctx.mem.setU32(fdPtr, newFd);
    return;
  }
  const newFd = ctx.fds.add({
    kind: 'file', filetype: filetypeOf(st), rightsBase: base & FILE_RIGHTS, rightsInheriting: inheriting & FILE_RIGHTS,
    flags: fdflags, hostFd, position: 0,
  });
  ctx.mem.setU32(fdPtr, newFd);
}

export function path_create_directory(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number | void {
  const dir = ctx.fds.dir(fd, Rights.PATH_CREATE_DIRECTORY);
  const r = resolveArg(ctx, dir, pathPtr, pathLen, false);
  refuseDirSelf(r, Errno.EEXIST);
  mkdirSync(r.host, 0o777);
}

export function path_remove_directory(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number | void {
  const dir = ctx.fds.dir(fd, Rights.PATH_REMOVE_DIRECTORY);
  const r = resolveEntry(ctx, dir, pathPtr, pathLen);
  refuseDirSelf(r, r.last === '.' ? Errno.EINVAL : Errno.ENOTEMPTY);
  rmdirSync(r.host);
}

export function path_unlink_file(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number | void {
  const dir = ctx.fds.dir(fd, Rights.PATH_UNLINK_FILE);
  const r = resolveEntry(ctx, dir, pathPtr, pathLen);
  refuseDirSelf(r, Errno.EISDIR);
  unlinkSync(r.host);
}

export function path_rename(ctx: WasiContext, fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number | void {
  const from = ctx.fds.dir(fd, Rights.PATH_RENAME_SOURCE);
  const to = ctx.fds.dir(newFd, Rights.PATH_RENAME_TARGET);
  const a = resolveEntry(ctx, from, oldPtr, oldLen);
  const b = resolveEntry(ctx, to, newPtr, newLen);
  refuseDirSelf(a, Errno.EBUSY);
  refuseDirSelf(b, Errno.EBUSY);
  renameSync(a.host, b.host);
}

export function path_filestat_get(ctx: WasiContext, fd: number, flags: number, pathPtr: number, pathLen: number, ptr: number, preview0 = false): number | void {
  const dir = ctx.fds.dir(fd, Rights.PATH_FILESTAT_GET);
  const follow = (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
  ctx.mem.check(ptr, preview0 ? 56 : 64, 8);
  const r = resolveArg(ctx, dir, pathPtr, pathLen, follow);
  const st = follow ? statSync(r.host, { bigint: true }) : lstatSync(r.host, { bigint: true });
  writeFilestat(ctx.mem, ptr, filestatOf(st), preview0);
}

export function path_filestat_set_times(
  ctx: WasiContext, fd: number, flags: number, pathPtr: number, pathLen: number, atim: bigint, mtim: bigint, fstFlags: number,
): number | void {
  const dir = ctx.fds.dir(fd, Rights.PATH_FILESTAT_SET_TIMES);
  const follow = (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
  const r = resolveArg(ctx, dir, pathPtr, pathLen, follow);
  const current = () => (follow ? statSync(r.host, { bigint: true }) : lstatSync(r.host, { bigint: true }));
  const [a, m] = timesToSet(atim, mtim, fstFlags, current);
  (follow ? utimesSync : lutimesSync)(r.host, a, m);
}

export function path_readlink(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, bufusedPtr: number): number | void {
  const dir = ctx.fds.dir(fd, Rights.PATH_READLINK);
  const r = resolveArg(ctx, dir, pathPtr, pathLen, false);
  ctx.mem.check(buf, bufLen >>> 0);
  ctx.mem.check(bufusedPtr, 4, 4);
  // The target is returned as stored, even one that points outside: reading it opens nothing.
  const target = readlinkSync(r.host, { encoding: 'buffer' });
  const n = Math.min(target.length, bufLen >>> 0);
  ctx.mem.slice(buf, n).set(target.subarray(0, n));
  ctx.mem.setU32(bufusedPtr, n);
}

/** Any target may be stored (it is only text); following it later goes through the resolver. */
export function path_symlink(ctx: WasiContext, oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number | void {
  const dir = ctx.fds.dir(fd, Rights.PATH_SYMLINK);
  const target = ctx.mem.string(oldPtr, oldLen);
  // As for every path: the host cannot store a NUL (node:fs would throw a TypeError at the host).
  if (target.includes('\0')) return Errno.EINVAL;
  const r = resolveArg(ctx, dir, newPtr, newLen, false);
  refuseDirSelf(r, Errno.EEXIST);
  symlinkSync(target, r.host);
}

export function path_link(
  ctx: WasiContext, oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number,
): number | void {
  const from = ctx.fds.dir(oldFd, Rights.PATH_LINK_SOURCE);
  const to = ctx.fds.dir(newFd, Rights.PATH_LINK_TARGET);
  const a = resolveArg(ctx, from, oldPtr, oldLen, (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0);
  const b = resolveArg(ctx, to, newPtr, newLen, false);
  refuseDirSelf(b, Errno.EEXIST);
  linkSync(a.host, b.host);
}
