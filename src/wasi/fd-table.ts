// The guest's descriptor table: streams (stdio), open files (a host fd and the guest's own offset)
// and directories (named by their path under a preopened directory, which is also the root of every
// path resolved through them).

import { closeSync } from 'node:fs';
import { Errno, WasiError } from './errno.js';
import type { InputStream, OutputStream } from './stdio.js';

interface Common {
  filetype: number;
  rightsBase: bigint;
  rightsInheriting: bigint;
  /** `fdflags`; APPEND is applied here (not by the host), so fd_fdstat_set_flags can change it. */
  flags: number;
}

export interface StreamEntry extends Common {
  readonly kind: 'stream';
  readonly input: InputStream | null;
  readonly output: OutputStream | null;
}

export interface FileEntry extends Common {
  readonly kind: 'file';
  readonly hostFd: number;
  /**
   * The offset of the next read or write. Node has no lseek, so every access is positional and
   * the offset lives here.
   */
  position: number;
}

export interface DirEntry extends Common {
  readonly kind: 'dir';
  /**
   * The preopened host directory it is under (itself, for a preopen). Node has no openat, so the
   * descriptor keeps no host fd: each use finds the directory again (paths.ts dirHostPath), and
   * paths resolved through it cannot leave it.
   */
  readonly root: string;
  /** Its path below `root` when it was opened, symlinks resolved ('' for the preopen itself). */
  readonly under: string;
  /** The directory's device and inode when it was opened: what each use must find again. */
  readonly dev: bigint;
  readonly ino: bigint;
  /** The guest's name for a preopened directory (fd_prestat_dir_name), null for opened ones. */
  readonly preopen: string | null;
  /** The listing fd_readdir hands out in pieces, taken when a read starts at cookie 0. */
  listing: DirListing | null;
}

/** One fd_readdir entry. */
export interface DirListingEntry {
  readonly name: Uint8Array;
  readonly ino: bigint;
  readonly filetype: number;
}
export type DirListing = readonly DirListingEntry[];

export type FdEntry = StreamEntry | FileEntry | DirEntry;

/** Rights the preview1 spec says a call needs; a missing one fails the call with ENOTCAPABLE. */
function requireRights(entry: FdEntry, rights: bigint): void {
  if ((entry.rightsBase & rights) !== rights) throw new WasiError(Errno.ENOTCAPABLE);
}

export class FdTable {
  private readonly entries = new Map<number, FdEntry>();

  /** The entry for `fd` holding `rights` (EBADF if there is none, ENOTCAPABLE if rights are missing). */
  get(fd: number, rights = 0n): FdEntry {
    const e = this.entries.get(fd >>> 0);
    if (e === undefined) throw new WasiError(Errno.EBADF);
    if (rights !== 0n) requireRights(e, rights);
    return e;
  }

  /** Like `get`, but only a directory (ENOTDIR for anything else). */
  dir(fd: number, rights = 0n): DirEntry {
    const e = this.get(fd);
    if (e.kind !== 'dir') throw new WasiError(Errno.ENOTDIR);
    requireRights(e, rights);
    return e;
  }

  /** Installs `entry` at the lowest free number, as POSIX open does. */
  add(entry: FdEntry): number {
    let fd = 0;
    while (this.entries.has(fd)) fd++;
    this.entries.set(fd, entry);
    return fd;
  }

  /** Removes `fd` and releases its host resources; the process's own stdio is never closed. */
  close(fd: number): void {
    const e = this.get(fd);
    this.entries.delete(fd >>> 0);
    if (e.kind === 'file') closeSync(e.hostFd);
    else if (e.kind === 'stream') e.input?.close?.();
  }

  /** fd_renumber: `to` is closed and `from` takes its number. */
  renumber(from: number, to: number): void {
    const e = this.get(from);
    this.get(to);
    if ((from >>> 0) === (to >>> 0)) return;
    this.close(to);
    this.entries.delete(from >>> 0);
    this.entries.set(to >>> 0, e);
  }

  /** Closes every host file (when the program has finished). */
  closeAll(): void {
    for (const fd of [...this.entries.keys()]) {
      try {
        this.close(fd);
      } catch {
        // Closing at the end is best effort: the guest may have left a host fd in a bad state.
      }
    }
  }
}
