// fd_readdir: a directory's entries (with `.` and `..`, as POSIX readdir shows them) packed as
// 24-byte `dirent` headers each followed by its name, resumable at any cookie.

import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Filetype, Rights } from './constants.js';
import { u64, type WasiContext } from './context.js';
import type { DirEntry, DirListing, DirListingEntry } from './fd-table.js';
import { filetypeOf } from './filestat.js';
import { dirHostPath } from './paths.js';
import { Errno, WasiError } from './errno.js';
import { utf8Text } from '../core/utf8.js';
import { encodeUtf8 } from './memory-view.js';

const DIRENT_SIZE = 24;

/** Reads the host directory. Entries that vanish while it is listed are left out. */
function listDirectory(dir: DirEntry): DirListing {
  const path = dirHostPath(dir);
  const out: DirListingEntry[] = [
    { name: encodeUtf8('.'), ino: statSync(path, { bigint: true }).ino, filetype: Filetype.DIRECTORY },
    { name: encodeUtf8('..'), ino: statSync(join(path, '..'), { bigint: true }).ino, filetype: Filetype.DIRECTORY },
  ];
  for (const d of readdirSync(path, { withFileTypes: true, encoding: 'buffer' })) {
    // Paths are UTF-8 here, as in Wasmtime, which answers a name that is not with EILSEQ (read as
    // a string, it would become U+FFFD and name nothing).
    const name = utf8Text(d.name);
    if (name === null) throw new WasiError(Errno.EILSEQ, 'a file name in the directory is not UTF-8');
    let ino: bigint;
    try {
      ino = lstatSync(join(path, name), { bigint: true }).ino;
    } catch {
      continue;
    }
    out.push({ name: encodeUtf8(name), ino, filetype: filetypeOf(d) });
  }
  return out;
}

/**
 * Writes entries from `cookie` on until the buffer is full; the last one may be cut short, which
 * tells the guest (bufused == buf_len) to call again from that entry's cookie with a larger buffer.
 * The listing is taken afresh whenever a read starts at cookie 0 (rewinddir), so later cookies
 * index a stable list.
 */
export function fd_readdir(ctx: WasiContext, fd: number, buf: number, bufLen: number, cookie: bigint, bufusedPtr: number): number | void {
  const dir = ctx.fds.dir(fd, Rights.FD_READDIR);
  const mem = ctx.mem;
  const start = mem.check(buf, bufLen >>> 0);
  mem.check(bufusedPtr, 4, 4);
  const c = u64(cookie);
  if (c === 0n || dir.listing === null) dir.listing = listDirectory(dir);
  const listing = dir.listing;
  const end = start + (bufLen >>> 0);
  const header = new Uint8Array(DIRENT_SIZE);
  const hv = new DataView(header.buffer);
  let at = start;
  for (let i = c; i < BigInt(listing.length) && at < end; i++) {
    const entry = listing[Number(i)]!;
    hv.setBigUint64(0, i + 1n, true);
    hv.setBigUint64(8, entry.ino, true);
    hv.setUint32(16, entry.name.length, true);
    hv.setUint32(20, entry.filetype, true); // d_type is a u8; the 3 bytes after it are padding
    for (const part of [header, entry.name]) {
      const n = Math.min(part.length, end - at);
      mem.bytes.set(part.subarray(0, n), at);
      at += n;
    }
  }
  mem.setU32(bufusedPtr, at - start);
}
