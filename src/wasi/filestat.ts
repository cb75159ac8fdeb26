// Host file metadata in WASI form: the file type of a stat or directory entry, and the `filestat`
// record (64 bytes in preview1; 56 in wasi_unstable, whose link count is a u32).

import type { BigIntStats, Dirent } from 'node:fs';
import { Filetype } from './constants.js';
import type { GuestMemory } from './memory-view.js';

/** The WASI file type of a host stat or directory entry (a FIFO has no WASI type: unknown). */
export function filetypeOf(st: Pick<BigIntStats | Dirent, 'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>): number {
  if (st.isFile()) return Filetype.REGULAR_FILE;
  if (st.isDirectory()) return Filetype.DIRECTORY;
  if (st.isSymbolicLink()) return Filetype.SYMBOLIC_LINK;
  if (st.isCharacterDevice()) return Filetype.CHARACTER_DEVICE;
  if (st.isBlockDevice()) return Filetype.BLOCK_DEVICE;
  if (st.isSocket()) return Filetype.SOCKET_STREAM;
  return Filetype.UNKNOWN;
}

export interface Filestat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

export function filestatOf(st: BigIntStats): Filestat {
  return {
    dev: st.dev, ino: st.ino, filetype: filetypeOf(st), nlink: st.nlink, size: st.size,
    atim: st.atimeNs, mtim: st.mtimeNs, ctim: st.ctimeNs,
  };
}

/** A stream with no host metadata (a JS stdio object): only its type. */
export function emptyFilestat(filetype: number): Filestat {
  return { dev: 0n, ino: 0n, filetype, nlink: 0n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
}

/** Writes a `filestat` at `ptr`, in the layout of preview1 or (preview0) wasi_unstable. */
export function writeFilestat(mem: GuestMemory, ptr: number, s: Filestat, preview0 = false): void {
  mem.check(ptr, preview0 ? 56 : 64, 8);
  mem.bytes.fill(0, ptr >>> 0, (ptr >>> 0) + (preview0 ? 56 : 64));
  mem.setU64(ptr, s.dev);
  mem.setU64(ptr + 8, s.ino);
  mem.setU8(ptr + 16, s.filetype);
  if (preview0) {
    mem.setU32(ptr + 20, Number(BigInt.asUintN(32, s.nlink)));
    mem.setU64(ptr + 24, s.size);
    mem.setU64(ptr + 32, s.atim);
    mem.setU64(ptr + 40, s.mtim);
    mem.setU64(ptr + 48, s.ctim);
  } else {
    mem.setU64(ptr + 24, s.nlink);
    mem.setU64(ptr + 32, s.size);
    mem.setU64(ptr + 40, s.atim);
    mem.setU64(ptr + 48, s.mtim);
    mem.setU64(ptr + 56, s.ctim);
  }
}
