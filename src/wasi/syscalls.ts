// The import table: every wasi_snapshot_preview1 function with its core wasm signature and its
// implementation, and wasi_unstable (preview0), which differs only in whence, filestat and subscriptions.

import type { Syscall, WasiContext } from './context.js';
import { Whence } from './constants.js';
import { Errno } from './errno.js';
import * as fd from './fd-calls.js';
import * as misc from './misc-calls.js';
import * as path from './path-calls.js';
import { poll_oneoff } from './poll.js';
import { fd_readdir } from './readdir.js';

/** A core wasm signature: one letter per parameter (i = i32, I = i64), then `:` and the results. */
export interface SyscallDef {
  readonly sig: string;
  readonly impl: Syscall;
  /** Whether it returns an errno (every call but proc_exit). */
  readonly returnsErrno: boolean;
}

/** The import module name of WASI preview 1. */
export const WASI_PREVIEW1 = 'wasi_snapshot_preview1';
/** The import module name of WASI's older snapshot (preview 0), which Wasi also provides. */
export const WASI_UNSTABLE = 'wasi_unstable';

const def = (sig: string, impl: Syscall): SyscallDef => ({ sig, impl, returnsErrno: sig.endsWith(':i') });

export const PREVIEW1: Readonly<Record<string, SyscallDef>> = {
  args_get: def('ii:i', misc.args_get),
  args_sizes_get: def('ii:i', misc.args_sizes_get),
  environ_get: def('ii:i', misc.environ_get),
  environ_sizes_get: def('ii:i', misc.environ_sizes_get),
  clock_res_get: def('ii:i', misc.clock_res_get),
  clock_time_get: def('iIi:i', misc.clock_time_get),
  fd_advise: def('iIIi:i', fd.fd_advise),
  fd_allocate: def('iII:i', fd.fd_allocate),
  fd_close: def('i:i', fd.fd_close),
  fd_datasync: def('i:i', fd.fd_datasync),
  fd_fdstat_get: def('ii:i', fd.fd_fdstat_get),
  fd_fdstat_set_flags: def('ii:i', fd.fd_fdstat_set_flags),
  fd_fdstat_set_rights: def('iII:i', fd.fd_fdstat_set_rights),
  fd_filestat_get: def('ii:i', (c, f, p) => fd.fd_filestat_get(c, f, p)),
  fd_filestat_set_size: def('iI:i', fd.fd_filestat_set_size),
  fd_filestat_set_times: def('iIIi:i', fd.fd_filestat_set_times),
  fd_pread: def('iiiIi:i', fd.fd_pread),
  fd_prestat_get: def('ii:i', fd.fd_prestat_get),
  fd_prestat_dir_name: def('iii:i', fd.fd_prestat_dir_name),
  fd_pwrite: def('iiiIi:i', fd.fd_pwrite),
  fd_read: def('iiii:i', fd.fd_read),
  fd_readdir: def('iiiIi:i', fd_readdir),
  fd_renumber: def('ii:i', fd.fd_renumber),
  fd_seek: def('iIii:i', fd.fd_seek),
  fd_sync: def('i:i', fd.fd_sync),
  fd_tell: def('ii:i', fd.fd_tell),
  fd_write: def('iiii:i', fd.fd_write),
  path_create_directory: def('iii:i', path.path_create_directory),
  path_filestat_get: def('iiiii:i', (c, f, fl, p, l, b) => path.path_filestat_get(c, f, fl, p, l, b)),
  path_filestat_set_times: def('iiiiIIi:i', path.path_filestat_set_times),
  path_link: def('iiiiiii:i', path.path_link),
  path_open: def('iiiiiIIii:i', path.path_open),
  path_readlink: def('iiiiii:i', path.path_readlink),
  path_remove_directory: def('iii:i', path.path_remove_directory),
  path_rename: def('iiiiii:i', path.path_rename),
  path_symlink: def('iiiii:i', path.path_symlink),
  path_unlink_file: def('iii:i', path.path_unlink_file),
  poll_oneoff: def('iiii:i', (c, i, o, n, p) => poll_oneoff(c, i, o, n, p)),
  proc_exit: def('i:', misc.proc_exit),
  proc_raise: def('i:i', misc.proc_raise),
  sched_yield: def(':i', misc.sched_yield),
  random_get: def('ii:i', misc.random_get),
  sock_accept: def('iii:i', misc.sock_accept),
  sock_recv: def('iiiiii:i', misc.sock_recv),
  sock_send: def('iiiii:i', misc.sock_send),
  sock_shutdown: def('ii:i', misc.sock_shutdown),
};

/** wasi_unstable numbers whence CUR, END, SET. */
const PREVIEW0_WHENCE = [Whence.CUR, Whence.END, Whence.SET];

/** wasi_unstable: preview1 minus sock_accept, with its own whence numbering and record layouts. */
export const PREVIEW0: Readonly<Record<string, SyscallDef>> = {
  ...Object.fromEntries(Object.entries(PREVIEW1).filter(([name]) => name !== 'sock_accept')),
  fd_seek: def('iIii:i', (c: WasiContext, f: number, off: bigint, whence: number, p: number) =>
    whence >= 0 && whence < 3 ? fd.fd_seek(c, f, off, PREVIEW0_WHENCE[whence]!, p) : Errno.EINVAL),
  fd_filestat_get: def('ii:i', (c, f, p) => fd.fd_filestat_get(c, f, p, true)),
  path_filestat_get: def('iiiii:i', (c, f, fl, p, l, b) => path.path_filestat_get(c, f, fl, p, l, b, true)),
  poll_oneoff: def('iiii:i', (c, i, o, n, p) => poll_oneoff(c, i, o, n, p, true)),
};
