// Sandboxed path resolution: a guest path relative to a directory descriptor becomes a host path
// that cannot leave that directory, whatever `..`, absolute paths or symlinks say.

import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Errno, WasiError, errnoOfHostError } from './errno.js';
import type { DirEntry } from './fd-table.js';

/** Linux's limit on symlinks followed in one lookup (beyond it: ELOOP). */
const MAX_SYMLINKS = 40;

export interface ResolvedPath {
  /** The host path; it contains no symlink except possibly the last component (when not followed). */
  readonly host: string;
  /** The components below the root; empty when the path names the root itself. */
  readonly depth: number;
  /** The guest path's last component as written (`.` or `..` name a directory through itself or a child). */
  readonly last: string;
  /**
   * The last component is a symlink, followed only because the path ends in `/` (or `/.`): a
   * lookup reaches its target, but a call acting on the entry itself refuses it (ENOTDIR).
   */
  readonly slashedLink: boolean;
}

/** The refusal of an escape from the sandbox: Wasmtime says EPERM, node:wasi and the rights model ENOTCAPABLE. */
function escape(path: string): WasiError {
  return new WasiError(Errno.ENOTCAPABLE, `path escapes its directory: ${path}`);
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Resolves `path` below the host directory `root`. Each component is looked up on the host as
 * the walk goes: a symlink is expanded in place (its target resolved from the symlink's own
 * directory, by the same rules), `..` pops a component and may never pop the root, and an
 * absolute path or symlink target is refused. The last component is expanded only when
 * `followLast` (lookupflags.symlink_follow) is set, or the path ends in `/`.
 *
 * Between this walk and the host call that uses its result, another process could replace a
 * checked directory with a symlink; Node has no openat/O_BENEATH to close that window.
 */
export function resolvePath(root: string, path: string, followLast: boolean): ResolvedPath {
  if (path.includes('\0')) throw new WasiError(Errno.EINVAL, 'path contains NUL');
  if (path.length === 0) throw new WasiError(Errno.ENOENT);
  if (path.startsWith('/')) throw escape(path);
  const last = path.split('/').filter((c) => c !== '').pop() ?? '.';
  // `dir/` and `dir/.` both name the directory a symlink `dir` points to.
  const trailingSlash = path.endsWith('/') || last === '.';
  // `pending` is a stack: the next component is at the end.
  const pending = components(path).reverse();
  const done: string[] = [];
  let links = 0;
  let slashedLink = false;
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name === '..') {
      if (done.length === 0) throw escape(path);
      done.pop();
      continue;
    }
    const isLast = pending.length === 0;
    if (isLast && !followLast && !trailingSlash) {
      done.push(name);
      break;
    }
    const host = join(root, ...done, name);
    let isLink = false;
    let isDir = false;
    try {
      const st = lstatSync(host);
      isLink = st.isSymbolicLink();
      isDir = st.isDirectory();
    } catch (e) {
      // A missing last component is fine: the caller may be about to create it.
      if (isLast && (e as { code?: string }).code === 'ENOENT') {
        done.push(name);
        break;
      }
      throw new WasiError(errnoOfHostError(e) ?? Errno.EIO);
    }
    if (isLink) {
      if (++links > MAX_SYMLINKS) throw new WasiError(Errno.ELOOP);
      if (isLast && !followLast) slashedLink = true;
      const target = readlinkSync(host, 'utf8');
      if (target.startsWith('/')) throw escape(path);
      pending.push(...components(target).reverse());
      continue;
    }
    if (!isLast && !isDir) throw new WasiError(Errno.ENOTDIR);
    done.push(name);
  }
  const host = join(root, ...done);
  return { host: trailingSlash && done.length > 0 ? host + '/' : host, depth: done.length, last, slashedLink };
}

/**
 * The host path of directory descriptor `dir` now. Its path under its preopen is resolved again by
 * the rules above, so a symlink the guest has put in its place cannot lead outside, and the
 * directory found must be the one that was opened: a descriptor whose directory was moved or
 * replaced gives ESTALE instead of reaching whatever took its name.
 */
export function dirHostPath(dir: DirEntry): string {
  const host = dir.under === '' ? dir.root : resolvePath(dir.root, dir.under, true).host;
  let st;
  try {
    st = statSync(host, { bigint: true });
  } catch (e) {
    throw new WasiError(errnoOfHostError(e) === Errno.ENOENT ? Errno.ESTALE : errnoOfHostError(e) ?? Errno.EIO);
  }
  if (st.dev !== dir.dev || st.ino !== dir.ino) throw new WasiError(Errno.ESTALE, 'the directory was moved or replaced');
  return host;
}
