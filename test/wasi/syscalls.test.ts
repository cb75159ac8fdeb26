// WASI syscalls called directly from a small wasm module (each import re-exported), so that record
// layouts, errno values, rights and the wasi_unstable differences are checked byte by byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, Instance, LinkError, Linker, Module, Store, Trap, Val } from '../../src/api/index.js';
import { Errno, Wasi, WasiExit, type WasiOptions } from '../../src/wasi/index.js';
import { PREVIEW0, PREVIEW1 } from '../../src/wasi/syscalls.js';
import { Rights } from '../../src/wasi/constants.js';
import { tempDir } from './helpers.js';

const LETTERS: Record<string, string> = { i: 'i32', I: 'i64' };

function funcDecl(sig: string): string {
  const [p, r] = sig.split(':') as [string, string];
  const params = [...p].map((c) => LETTERS[c]).join(' ');
  const results = [...r].map((c) => LETTERS[c]).join(' ');
  return `(func ${params ? `(param ${params})` : ''} ${results ? `(result ${results})` : ''})`;
}

/** Every preview1 import as export NAME, every wasi_unstable one as u_NAME, plus memory and a grow helper. */
function wat(): string {
  const lines = ['(module'];
  for (const [name, d] of Object.entries(PREVIEW1)) lines.push(`(import "wasi_snapshot_preview1" "${name}" ${funcDecl(d.sig).replace('(func', `(func $${name}`)})`);
  for (const [name, d] of Object.entries(PREVIEW0)) lines.push(`(import "wasi_unstable" "${name}" ${funcDecl(d.sig).replace('(func', `(func $u_${name}`)})`);
  for (const name of Object.keys(PREVIEW1)) lines.push(`(export "${name}" (func $${name}))`);
  for (const name of Object.keys(PREVIEW0)) lines.push(`(export "u_${name}" (func $u_${name}))`);
  lines.push('(memory (export "memory") 1)');
  lines.push('(func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))');
  lines.push('(func (export "exit_in_wasm") (param i32) (call $proc_exit (local.get 0)) (unreachable))');
  lines.push(')');
  return lines.join('\n');
}

const engine = new Engine();
const module = Module.fromText(engine, wat());

interface Harness {
  wasi: Wasi;
  store: Store;
  instance: Instance;
  /** Calls an export: numbers are i32 arguments, bigints i64. */
  call(name: string, ...args: (number | bigint)[]): number;
  mem(): DataView;
  bytes(): Uint8Array;
  /** Writes a NUL-free string at `at`; returns [at, length]. */
  str(at: number, s: string): [number, number];
  out: () => string;
}

function harness(options: WasiOptions = {}): Harness {
  const chunks: Uint8Array[] = [];
  const wasi = new Wasi({ stdout: { write: (b) => chunks.push(b) }, stderr: { write: () => {} }, stdin: '', ...options });
  const store = new Store(engine);
  const instance = wasi.instantiate(store, module);
  const memory = instance.getMemory(store, 'memory')!;
  return {
    wasi, store, instance,
    call(name, ...args) {
      const f = instance.getFunc(store, name);
      assert.ok(f, `export ${name}`);
      const r = f.call(store, args.map((a) => (typeof a === 'bigint' ? Val.i64(a) : Val.i32(a))));
      return r.length ? (r[0]!.value as number) : 0;
    },
    mem: () => new DataView(memory.data(store).buffer),
    bytes: () => memory.data(store),
    str(at, s) {
      const b = new TextEncoder().encode(s);
      memory.write(store, at, b);
      return [at, b.length];
    },
    out: () => Buffer.concat(chunks).toString(),
  };
}

function withDir<T>(fn: (dir: string) => T): T {
  const dir = tempDir();
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('fd_prestat_get and fd_prestat_dir_name: layout, short buffer, non-preopens', () => withDir((dir) => {
  const h = harness({ preopens: { '/sandbox': dir } });
  assert.equal(h.call('fd_prestat_get', 3, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint8(64), 0, 'preopentype dir');
  assert.equal(h.mem().getUint32(68, true), 8, 'name length');
  assert.equal(h.call('fd_prestat_dir_name', 3, 128, 7), Errno.ENAMETOOLONG);
  assert.equal(h.call('fd_prestat_dir_name', 3, 128, 8), Errno.SUCCESS);
  assert.equal(Buffer.from(h.bytes().subarray(128, 136)).toString(), '/sandbox');
  assert.equal(h.call('fd_prestat_get', 1, 64), Errno.EBADF, 'stdout is not a preopen');
  assert.equal(h.call('fd_prestat_get', 4, 64), Errno.EBADF, 'no such descriptor');
}));

test('bad pointers are EFAULT (out of bounds or misaligned), bad UTF-8 in a path is EILSEQ', () => withDir((dir) => {
  const h = harness({ preopens: { '.': dir }, args: ['a'] });
  assert.equal(h.call('args_sizes_get', 65536 - 2, 0), Errno.EFAULT);
  assert.equal(h.call('args_sizes_get', 1, 8), Errno.EFAULT, 'a size_t pointer must be 4-aligned');
  assert.equal(h.call('random_get', 65536 - 4, 8), Errno.EFAULT);
  // An iovec whose buffer runs past the end of memory.
  h.mem().setUint32(16, 65530, true);
  h.mem().setUint32(20, 100, true);
  assert.equal(h.call('fd_write', 1, 16, 1, 32), Errno.EFAULT);
  assert.equal(h.out(), '', 'nothing was written');
  h.bytes().set([0x66, 0xff, 0x6f], 200);
  assert.equal(h.call('path_create_directory', 3, 200, 3), Errno.EILSEQ);
}));

test('memory that grows: the view is re-read at every call', () => {
  const h = harness();
  assert.equal(h.call('grow', 1), 1);
  const at = 65536 + 100;
  h.str(at, 'after grow\n');
  h.mem().setUint32(65536, at, true);
  h.mem().setUint32(65540, 11, true);
  assert.equal(h.call('fd_write', 1, 65536, 1, 65544), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(65544, true), 11);
  assert.equal(h.out(), 'after grow\n');
});

test('fd_fdstat_get layout and rights; fd_fdstat_set_rights only narrows', () => withDir((dir) => {
  const h = harness({ preopens: { '.': dir } });
  assert.equal(h.call('fd_fdstat_get', 1, 64), Errno.SUCCESS);
  const v = h.mem();
  assert.equal(v.getUint8(64), 0, 'a JS writer is of unknown type');
  const base = v.getBigUint64(72, true);
  assert.ok(base & Rights.FD_WRITE);
  assert.equal(base & (Rights.FD_SEEK | Rights.FD_TELL), 0n, 'streams cannot seek (so isatty can tell them from files)');
  assert.equal(h.call('fd_fdstat_get', 3, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint8(64), 3, 'preopen is a directory');
  const dirBase = h.mem().getBigUint64(72, true);
  const dirInheriting = h.mem().getBigUint64(80, true);
  assert.ok(dirBase & Rights.PATH_OPEN && dirInheriting & Rights.FD_READ);
  // Drop PATH_OPEN: opening anything through fd 3 is no longer allowed.
  assert.equal(h.call('fd_fdstat_set_rights', 3, BigInt.asIntN(64, dirBase & ~Rights.PATH_OPEN), BigInt.asIntN(64, dirInheriting)), Errno.SUCCESS);
  const [p, n] = h.str(200, 'x');
  assert.equal(h.call('path_open', 3, 0, p, n, 1, -1n, -1n, 0, 300), Errno.ENOTCAPABLE);
  assert.equal(h.call('fd_fdstat_set_rights', 3, BigInt.asIntN(64, dirBase), BigInt.asIntN(64, dirInheriting)), Errno.ENOTCAPABLE, 'rights cannot grow back');
}));

/** Opens `name` in preopen 3 with `oflags` and `rights`; returns [errno, fd]. */
function open(h: Harness, name: string, oflags: number, rights: bigint, fdflags = 0): [number, number] {
  const [p, n] = h.str(1000, name);
  const e = h.call('path_open', 3, 1, p, n, oflags, rights, rights, fdflags, 996);
  return [e, h.mem().getUint32(996, true)];
}

function writeAll(h: Harness, fd: number, text: string): number {
  const [p, n] = h.str(2000, text);
  h.mem().setUint32(1900, p, true);
  h.mem().setUint32(1904, n, true);
  return h.call('fd_write', fd, 1900, 1, 1908);
}

test('path_open: a descriptor gets at most its directory\'s inheriting rights; missing rights are ENOTCAPABLE', () => withDir((dir) => {
  const h = harness({ preopens: { '.': dir } });
  const [e, fd] = open(h, 'f.txt', 1 /* creat */, -1n);
  assert.equal(e, Errno.SUCCESS);
  assert.equal(h.call('fd_fdstat_get', fd, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint8(64), 4, 'regular file');
  const base = h.mem().getBigUint64(72, true);
  assert.equal(base & Rights.PATH_OPEN, 0n, 'no directory rights on a file');
  assert.ok(base & Rights.FD_WRITE && base & Rights.FD_SEEK);
  assert.equal(writeAll(h, fd, 'abc'), Errno.SUCCESS);
  assert.equal(h.call('fd_close', fd), Errno.SUCCESS);
  const [e2, ro] = open(h, 'f.txt', 0, Rights.FD_READ | Rights.FD_SEEK);
  assert.equal(e2, Errno.SUCCESS);
  assert.equal(writeAll(h, ro, 'x'), Errno.ENOTCAPABLE);
  assert.equal(h.call('fd_tell', ro, 64), Errno.ENOTCAPABLE, 'FD_TELL was not asked for');
  assert.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), 'abc');
  assert.equal(h.call('path_open', 3, 0, ...h.str(1000, 'x'), 0xf0, 0n, 0n, 0, 996), Errno.EINVAL, 'unknown oflags');
}));

test('fd_fdstat_set_flags: APPEND can be switched on for an open file; sync flags cannot change', () => withDir((dir) => {
  writeFileSync(join(dir, 'log'), '12345');
  const h = harness({ preopens: { '.': dir } });
  const [, fd] = open(h, 'log', 0, -1n);
  assert.equal(writeAll(h, fd, 'ab'), Errno.SUCCESS);
  assert.equal(readFileSync(join(dir, 'log'), 'utf8'), 'ab345');
  assert.equal(h.call('fd_fdstat_set_flags', fd, 1), Errno.SUCCESS);
  assert.equal(writeAll(h, fd, 'Z'), Errno.SUCCESS);
  assert.equal(readFileSync(join(dir, 'log'), 'utf8'), 'ab345Z');
  assert.equal(h.call('fd_fdstat_get', fd, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint16(66, true), 1, 'fs_flags shows APPEND');
  const [p, n] = h.str(2000, 'xy');
  h.mem().setUint32(1900, p, true);
  h.mem().setUint32(1904, n, true);
  assert.equal(h.call('fd_pwrite', fd, 1900, 1, 0n, 1908), Errno.SUCCESS);
  assert.equal(readFileSync(join(dir, 'log'), 'utf8'), 'ab345Zxy', "pwrite appends whatever the offset (Linux's and Wasmtime's semantics)");
  assert.equal(h.call('fd_fdstat_set_flags', fd, 16), Errno.ENOTSUP);
  assert.equal(h.call('fd_fdstat_set_flags', fd, 64), Errno.EINVAL);
}));

test('fd_readdir: dirent layout, a buffer too small for one entry, resuming at a cookie', () => withDir((dir) => {
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'file-with-a-long-name.txt'), 'x');
  const h = harness({ preopens: { '.': dir } });
  const read = (cookie: bigint, len: number): [number, number] => [h.call('fd_readdir', 3, 4096, len, cookie, 64), h.mem().getUint32(64, true)];
  assert.deepEqual(read(0n, 30), [Errno.SUCCESS, 30], 'a full buffer means "call again with more room"');
  const [e, used] = read(0n, 4000);
  assert.equal(e, Errno.SUCCESS);
  const entries: { next: bigint; name: string; type: number; ino: bigint }[] = [];
  for (let at = 4096; at < 4096 + used;) {
    const v = h.mem();
    const len = v.getUint32(at + 16, true);
    entries.push({ next: v.getBigUint64(at, true), ino: v.getBigUint64(at + 8, true), type: v.getUint8(at + 20), name: Buffer.from(h.bytes().subarray(at + 24, at + 24 + len)).toString() });
    at += 24 + len;
  }
  assert.deepEqual(entries.map((x) => [x.name, x.type]).sort(), [['.', 3], ['..', 3], ['file-with-a-long-name.txt', 4], ['sub', 3]]);
  assert.deepEqual(entries.map((x) => x.next), [1n, 2n, 3n, 4n]);
  assert.ok(entries.every((x) => x.ino > 0n));
  // Resume after the second entry: the rest, starting with the third.
  const [, used2] = read(2n, 4000);
  const firstName = Buffer.from(h.bytes().subarray(4096 + 24, 4096 + 24 + h.mem().getUint32(4096 + 16, true))).toString();
  assert.equal(firstName, entries[2]!.name);
  assert.equal(used2, used - (24 * 2 + 1 + 2));
  assert.deepEqual(read(10n, 4000), [Errno.SUCCESS, 0], 'past the end: nothing');
  assert.equal(h.call('fd_readdir', 1, 4096, 100, 0n, 64), Errno.ENOTDIR);
}));

test('wasi_unstable: its own whence numbers, 56-byte filestat, subscription with an identifier', () => withDir((dir) => {
  writeFileSync(join(dir, 'ten'), '0123456789');
  const h = harness({ preopens: { '.': dir } });
  const [, fd] = open(h, 'ten', 0, -1n);
  // preview0 whence: CUR = 0, END = 1, SET = 2.
  assert.equal(h.call('u_fd_seek', fd, -3n, 1, 64), Errno.SUCCESS);
  assert.equal(h.mem().getBigUint64(64, true), 7n);
  assert.equal(h.call('u_fd_seek', fd, 2n, 2, 64), Errno.SUCCESS);
  assert.equal(h.mem().getBigUint64(64, true), 2n);
  assert.equal(h.call('u_fd_seek', fd, 1n, 0, 64), Errno.SUCCESS);
  assert.equal(h.mem().getBigUint64(64, true), 3n);
  assert.equal(h.call('fd_seek', fd, -3n, 2, 64), Errno.SUCCESS, 'preview1 END = 2');
  assert.equal(h.mem().getBigUint64(64, true), 7n);
  // filestat: preview1 has size at +32 (nlink u64 at +24), preview0 at +24 (nlink u32 at +20).
  assert.equal(h.call('fd_filestat_get', fd, 128), Errno.SUCCESS);
  assert.equal(h.mem().getBigUint64(128 + 24, true), 1n);
  assert.equal(h.mem().getBigUint64(128 + 32, true), 10n);
  assert.equal(h.call('u_fd_filestat_get', fd, 256), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(256 + 20, true), 1);
  assert.equal(h.mem().getBigUint64(256 + 24, true), 10n);
  assert.equal(h.mem().getUint8(256 + 16), 4);
  const [p, n] = h.str(1000, 'ten');
  assert.equal(h.call('u_path_filestat_get', 3, 0, p, n, 512), Errno.SUCCESS);
  assert.equal(h.mem().getBigUint64(512 + 24, true), 10n);
  // A relative 1 ms clock: preview0 puts the timeout at +32, after a u64 identifier at +16.
  const v = h.mem();
  h.bytes().fill(0, 3000, 3056);
  v.setBigUint64(3000, 42n, true);
  v.setUint8(3008, 0);
  v.setBigUint64(3016, 999n, true);
  v.setUint32(3024, 1, true);
  v.setBigUint64(3032, 1_000_000n, true);
  assert.equal(h.call('u_poll_oneoff', 3000, 3200, 1, 3300), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(3300, true), 1);
  assert.equal(h.mem().getBigUint64(3200, true), 42n);
  assert.equal(h.mem().getUint16(3208, true), 0);
}));

test('poll_oneoff: per-subscription errors, readable bytes of a file, clocks, bad event types', () => withDir((dir) => {
  writeFileSync(join(dir, 'data'), 'x'.repeat(100));
  const h = harness({ preopens: { '.': dir } });
  const [, fd] = open(h, 'data', 0, -1n);
  assert.equal(h.call('fd_seek', fd, 30n, 0, 64), Errno.SUCCESS);
  const v = h.mem();
  const sub = (i: number, userdata: bigint, type: number, fdOrClock: number, timeout = 0n) => {
    const at = 3000 + i * 48;
    h.bytes().fill(0, at, at + 48);
    v.setBigUint64(at, userdata, true);
    v.setUint8(at + 8, type);
    v.setUint32(at + 16, fdOrClock, true);
    v.setBigUint64(at + 24, timeout, true);
  };
  sub(0, 1n, 1, fd);
  sub(1, 2n, 1, 77);
  sub(2, 3n, 0, 1, 10_000_000_000n);
  assert.equal(h.call('poll_oneoff', 3000, 4000, 3, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(64, true), 2, 'the file and the bad fd; not the 10 s clock');
  const ev = (i: number) => ({ userdata: h.mem().getBigUint64(4000 + i * 32, true), error: h.mem().getUint16(4008 + i * 32, true), type: h.mem().getUint8(4010 + i * 32), nbytes: h.mem().getBigUint64(4016 + i * 32, true) });
  assert.deepEqual(ev(0), { userdata: 1n, error: 0, type: 1, nbytes: 70n });
  assert.deepEqual(ev(1), { userdata: 2n, error: Errno.EBADF, type: 1, nbytes: 0n });
  sub(0, 9n, 0, 99, 1n);
  assert.equal(h.call('poll_oneoff', 3000, 4000, 1, 64), Errno.SUCCESS);
  assert.deepEqual(ev(0).error, Errno.EINVAL, 'unknown clock id');
  sub(0, 9n, 7, 0);
  assert.equal(h.call('poll_oneoff', 3000, 4000, 1, 64), Errno.EINVAL, 'unknown event type');
  assert.equal(h.call('poll_oneoff', 3000, 4000, 0, 64), Errno.EINVAL, 'no subscriptions');
}));

test('fd_read gathers into several buffers from stdin; fd_renumber moves a descriptor', () => withDir((dir) => {
  const h = harness({ stdin: new TextEncoder().encode('hello world'), preopens: { '.': dir } });
  const v = h.mem();
  v.setUint32(100, 200, true); v.setUint32(104, 5, true);
  v.setUint32(108, 300, true); v.setUint32(112, 100, true);
  assert.equal(h.call('fd_read', 0, 100, 2, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(64, true), 11);
  assert.equal(Buffer.from(h.bytes().subarray(200, 205)).toString() + Buffer.from(h.bytes().subarray(300, 306)).toString(), 'hello world');
  assert.equal(h.call('fd_read', 0, 100, 2, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(64, true), 0, 'end of input');
  assert.equal(h.call('fd_seek', 0, 0n, 1, 64), Errno.ESPIPE, 'a stream cannot seek');
  const [, fd] = open(h, 'r.txt', 1, -1n);
  assert.equal(h.call('fd_renumber', fd, 10), Errno.EBADF, 'the target must be open');
  const [, fd2] = open(h, 'r2.txt', 1, -1n);
  assert.equal(h.call('fd_renumber', fd, fd2), Errno.SUCCESS);
  assert.equal(h.call('fd_fdstat_get', fd, 64), Errno.EBADF);
  assert.equal(writeAll(h, fd2, 'moved'), Errno.SUCCESS);
  assert.equal(readFileSync(join(dir, 'r.txt'), 'utf8'), 'moved');
}));

test('fd_sync, fd_datasync, fd_advise, fd_allocate, fd_filestat_set_size, fd_pwrite, fd_tell', () => withDir((dir) => {
  const h = harness({ preopens: { '.': dir } });
  const [, fd] = open(h, 'f', 1, -1n);
  assert.equal(h.call('fd_sync', fd), Errno.SUCCESS);
  assert.equal(h.call('fd_datasync', fd), Errno.SUCCESS);
  assert.equal(h.call('fd_sync', 3), Errno.SUCCESS, 'a directory can be synced');
  assert.equal(h.call('fd_sync', 1), Errno.ENOTCAPABLE, 'stdout has no FD_SYNC right');
  assert.equal(h.call('fd_advise', fd, 0n, 100n, 2), Errno.SUCCESS);
  assert.equal(h.call('fd_advise', fd, 0n, 100n, 6), Errno.EINVAL);
  assert.equal(h.call('fd_allocate', fd, 10n, 90n), Errno.SUCCESS);
  assert.equal(readFileSync(join(dir, 'f')).length, 100, 'allocate extends the file');
  assert.equal(h.call('fd_allocate', fd, 0n, 10n), Errno.SUCCESS);
  assert.equal(readFileSync(join(dir, 'f')).length, 100, 'but never shrinks it');
  assert.equal(h.call('fd_filestat_set_size', fd, 4n), Errno.SUCCESS);
  assert.equal(readFileSync(join(dir, 'f')).length, 4);
  const [p, n] = h.str(2000, 'xyz');
  h.mem().setUint32(1900, p, true);
  h.mem().setUint32(1904, n, true);
  assert.equal(h.call('fd_pwrite', fd, 1900, 1, 6n, 1908), Errno.SUCCESS);
  assert.deepEqual([...readFileSync(join(dir, 'f'))], [0, 0, 0, 0, 0, 0, 120, 121, 122]);
  assert.equal(h.call('fd_tell', fd, 64), Errno.SUCCESS);
  assert.equal(h.mem().getBigUint64(64, true), 0n, 'pwrite leaves the offset');
  assert.equal(h.call('fd_pwrite', fd, 1900, 1, -1n, 1908), Errno.EINVAL, 'negative offset');
  assert.equal(h.call('fd_pwrite', 1, 1900, 1, 0n, 1908), Errno.ESPIPE);
}));

test('path_symlink, path_readlink (truncating), path_link, path_rename across directories', () => withDir((dir) => {
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'target'), 'T');
  const h = harness({ preopens: { '.': dir, '/sub': join(dir, 'sub') } });
  const [t, tn] = h.str(1000, 'target');
  const [l, ln] = h.str(1100, 'link');
  assert.equal(h.call('path_symlink', t, tn, 3, l, ln), Errno.SUCCESS);
  assert.equal(h.call('path_symlink', t, tn, 3, l, ln), Errno.EEXIST);
  // A target with a NUL cannot be stored by the host (found by tools/wasi-fuzz.ts: node:fs threw a
  // TypeError that reached the embedder).
  const [nt, ntn] = h.str(1500, 'tar\0get');
  const [nl, nln] = h.str(1600, 'nul-link');
  assert.equal(h.call('path_symlink', nt, ntn, 3, nl, nln), Errno.EINVAL);
  assert.equal(h.call('path_readlink', 3, l, ln, 1200, 3, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(64, true), 3);
  assert.equal(Buffer.from(h.bytes().subarray(1200, 1203)).toString(), 'tar');
  assert.equal(h.call('path_readlink', 3, t, tn, 1200, 100, 64), Errno.EINVAL, 'not a symlink');
  const [hl, hn] = h.str(1300, 'hard');
  assert.equal(h.call('path_link', 3, 1, l, ln, 4, hl, hn), Errno.SUCCESS, 'link through the followed symlink into fd 4');
  assert.equal(readFileSync(join(dir, 'sub', 'hard'), 'utf8'), 'T');
  const [m, mn] = h.str(1400, 'moved');
  assert.equal(h.call('path_rename', 4, hl, hn, 3, m, mn), Errno.SUCCESS);
  assert.equal(readFileSync(join(dir, 'moved'), 'utf8'), 'T');
  assert.equal(h.call('path_unlink_file', 3, m, mn), Errno.SUCCESS);
  assert.equal(h.call('path_unlink_file', 3, m, mn), Errno.ENOENT);
}));

test('stdin on a pipe: NONBLOCK reads give EAGAIN until data comes; poll_oneoff sees it arrive', () => withDir((dir) => {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const writer = openSync(fifo, constants.O_RDWR); // keeps the read-only open from blocking
  const reader = openSync(fifo, constants.O_RDONLY);
  try {
    const h = harness({ stdin: reader });
    const v = h.mem();
    v.setUint32(100, 200, true);
    v.setUint32(104, 50, true);
    assert.equal(h.call('fd_fdstat_set_flags', 0, 4), Errno.SUCCESS);
    assert.equal(h.call('fd_read', 0, 100, 1, 64), Errno.EAGAIN);
    // Subscriptions: stdin readable, or 20 ms.
    const sub = (i: number, type: number, userdata: bigint, timeout = 0n) => {
      const at = 3000 + i * 48;
      h.bytes().fill(0, at, at + 48);
      h.mem().setBigUint64(at, userdata, true);
      h.mem().setUint8(at + 8, type);
      h.mem().setUint32(at + 16, type === 0 ? 1 : 0, true);
      h.mem().setBigUint64(at + 24, timeout, true);
    };
    sub(0, 1, 1n);
    sub(1, 0, 2n, 20_000_000n);
    assert.equal(h.call('poll_oneoff', 3000, 4000, 2, 64), Errno.SUCCESS);
    assert.deepEqual([h.mem().getUint32(64, true), h.mem().getBigUint64(4000, true)], [1, 2n], 'the timer fired');
    writeSync(writer, 'ping');
    assert.equal(h.call('poll_oneoff', 3000, 4000, 2, 64), Errno.SUCCESS);
    assert.deepEqual([h.mem().getUint32(64, true), h.mem().getBigUint64(4000, true), h.mem().getBigUint64(4016, true)], [1, 1n, 4n], 'stdin readable, 4 bytes');
    assert.equal(h.call('fd_read', 0, 100, 1, 64), Errno.SUCCESS);
    assert.equal(Buffer.from(h.bytes().subarray(200, 200 + h.mem().getUint32(64, true))).toString(), 'ping');
    h.wasi.close();
  } finally {
    closeSync(writer);
    closeSync(reader);
  }
}));

test('filestat times: set, "now", unchanged, and the invalid flag pairs', () => withDir((dir) => {
  writeFileSync(join(dir, 't'), '');
  const h = harness({ preopens: { '.': dir } });
  const [p, n] = h.str(1000, 't');
  const sec = 1_000_000_000n;
  assert.equal(h.call('path_filestat_set_times', 3, 1, p, n, 1_500_000_000n * sec, 1_600_000_000n * sec, 1 | 4), Errno.SUCCESS);
  assert.equal(h.call('path_filestat_get', 3, 1, p, n, 128), Errno.SUCCESS);
  assert.equal(h.mem().getBigUint64(128 + 40, true) / sec, 1_500_000_000n, 'atim');
  assert.equal(h.mem().getBigUint64(128 + 48, true) / sec, 1_600_000_000n, 'mtim');
  // Only mtim to "now": atim stays.
  assert.equal(h.call('path_filestat_set_times', 3, 1, p, n, 0n, 0n, 8), Errno.SUCCESS);
  assert.equal(h.call('path_filestat_get', 3, 1, p, n, 128), Errno.SUCCESS);
  assert.equal(h.mem().getBigUint64(128 + 40, true) / sec, 1_500_000_000n);
  assert.ok(h.mem().getBigUint64(128 + 48, true) / sec > 1_700_000_000n);
  assert.equal(h.call('path_filestat_set_times', 3, 1, p, n, 0n, 0n, 1 | 2), Errno.EINVAL);
  assert.equal(h.call('path_filestat_set_times', 3, 1, p, n, 0n, 0n, 4 | 8), Errno.EINVAL);
}));

test('clocks, sockets, signals: EINVAL for an unknown clock, ENOTSOCK/EBADF, ENOTSUP', () => {
  const h = harness();
  assert.equal(h.call('clock_time_get', 1, 0n, 64), Errno.SUCCESS);
  const t1 = h.mem().getBigUint64(64, true);
  assert.equal(h.call('clock_time_get', 1, 0n, 64), Errno.SUCCESS);
  assert.ok(h.mem().getBigUint64(64, true) >= t1);
  assert.equal(h.call('clock_time_get', 4, 0n, 64), Errno.EINVAL);
  assert.equal(h.call('clock_res_get', 9, 64), Errno.EINVAL);
  assert.equal(h.call('clock_res_get', 0, 64), Errno.SUCCESS);
  assert.ok(h.mem().getBigUint64(64, true) > 0n);
  assert.equal(h.call('sock_recv', 0, 0, 0, 0, 64, 68), Errno.ENOTSOCK);
  assert.equal(h.call('sock_send', 99, 0, 0, 0, 64), Errno.EBADF);
  assert.equal(h.call('sock_accept', 1, 0, 64), Errno.ENOTSOCK);
  assert.equal(h.call('sock_shutdown', 2, 3), Errno.ENOTSOCK);
  assert.equal(h.call('proc_raise', 15), Errno.ENOTSUP, "Wasmtime's answer");
  assert.equal(h.call('sched_yield'), Errno.SUCCESS);
});

test('proc_exit unwinds through wasm as WasiExit, never as a Trap', () => {
  const h = harness();
  assert.throws(() => h.call('exit_in_wasm', 17), (e: unknown) => e instanceof WasiExit && !(e instanceof Trap) && e.code === 17);
  const exit = h.instance.getFunc(h.store, 'proc_exit')!;
  assert.throws(() => exit.call(h.store, [Val.i32(-1)]), (e: unknown) => e instanceof WasiExit && e.code === 0xffffffff);
});

test('start() returns the exit code; imports that WASI lacks are named in a LinkError', () => {
  const command = Module.fromText(engine, `(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (call $exit (i32.const 3))))`);
  const runner = new Wasi();
  assert.equal(runner.start(runner.instantiate(new Store(engine), command)), 3);
  const noStart = Module.fromText(engine, '(module (memory (export "memory") 1))');
  const w = new Wasi();
  assert.throws(() => w.start(w.instantiate(new Store(engine), noStart)), /no "_start"/);
  const unknown = Module.fromText(engine, '(module (import "env" "f" (func)))');
  assert.throws(() => new Wasi().importsFor(new Store(engine), unknown), (e: unknown) => e instanceof LinkError && /"env" "f"/.test(e.message));
  const noSuch = Module.fromText(engine, '(module (import "wasi_snapshot_preview1" "fd_frobnicate" (func)))');
  assert.throws(() => new Wasi().importsFor(new Store(engine), noSuch), /unknown import "wasi_snapshot_preview1" "fd_frobnicate" \(func\): no such/);
  const badType = Module.fromText(engine, '(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32))))');
  assert.throws(() => new Wasi().importsFor(new Store(engine), badType), /"fd_write" has type \(func \(param i32\)\), but WASI's is \(func \(param i32 i32 i32 i32\) \(result i32\)\)/);
  assert.throws(() => new Wasi({ preopens: { '/x': '/definitely/not/here' } }), /does not exist/);
  assert.throws(() => new Wasi({ args: ['a\0b'] }), /contains a NUL/);
  assert.throws(() => new Wasi({ env: { 'A=B': 'c' } }), /contains "="/);
});

test('Wasi.define(linker): the functions serve any instance, each through its own memory', () => {
  const chunks: Uint8Array[] = [];
  const wasi = new Wasi({ stdout: { write: (b) => chunks.push(b) } });
  const linker = new Linker(engine);
  wasi.define(linker);
  const printer = Module.fromText(engine, `(module
    (import "wasi_unstable" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "say") (param $at i32) (param $len i32) (result i32)
      (i32.store (i32.const 0) (local.get $at))
      (i32.store (i32.const 4) (local.get $len))
      (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))`);
  const store = new Store(engine);
  const a = linker.instantiate(store, printer);
  const b = linker.instantiate(store, printer);
  a.getMemory(store, 'memory')!.write(store, 100, new TextEncoder().encode('from a\n'));
  b.getMemory(store, 'memory')!.write(store, 200, new TextEncoder().encode('from b\n'));
  assert.equal(a.getFunc(store, 'say')!.call(store, [Val.i32(100), Val.i32(7)])[0]!.value, 0);
  assert.equal(b.getFunc(store, 'say')!.call(store, [Val.i32(200), Val.i32(7)])[0]!.value, 0);
  assert.equal(a.getFunc(store, 'say')!.call(store, [Val.i32(65535), Val.i32(7)])[0]!.value, Errno.EFAULT);
  assert.equal(Buffer.concat(chunks).toString(), 'from a\nfrom b\n');
});

test('Wasi options of the wrong shape are a TypeError naming the option', () => {
  const bad: [unknown, RegExp][] = [
    [null, /options must be an object/],
    [{ argz: [] }, /unknown option "argz"/],
    [{ args: 'prog' }, /args must be an array of strings/],
    [{ env: { A: 1 } }, /env must be an object of strings/],
    [{ preopens: ['/tmp'] }, /preopens must be an object of strings/],
    [{ stdin: 1.5 }, /stdin must be a non-negative integer file descriptor/],
    [{ returnOnExit: 'no' }, /returnOnExit must be a boolean/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => new Wasi(options as never), (e: unknown) => e instanceof TypeError && message.test(e.message), JSON.stringify(options));
  }
  const wasi = new Wasi({});
  assert.throws(() => wasi.define({} as never), /Wasi\.define: expected a Linker/);
  assert.throws(() => wasi.start(null as never), /expected an Instance/);
  assert.throws(() => wasi.initialize({} as never), /expected an Instance/);
});

test('a directory descriptor cannot be led outside by a symlink the guest puts in its place; moved or replaced, it is ESTALE', () => withDir((root) => {
  const box = join(root, 'box');
  mkdirSync(join(box, 'sub', 'deep'), { recursive: true });
  mkdirSync(join(root, 'secret'));
  writeFileSync(join(root, 'secret', 'secret.txt'), 'SECRET');
  mkdirSync(join(box, 'other'));
  writeFileSync(join(box, 'other', 'secret.txt'), 'inside');
  const h = harness({ preopens: { '/box': box } });
  // A directory opened with write rights is EISDIR, as in Wasmtime: ask for what reading needs.
  const rights = (oflags: number) => (oflags & 2 ? BigInt.asIntN(64, Rights.PATH_OPEN | Rights.FD_READDIR | Rights.PATH_CREATE_FILE) : -1n);
  const open = (dirFd: number, path: string, oflags = 0) => h.call('path_open', dirFd, 0, ...h.str(1000, path), oflags, rights(oflags), -1n, 0, 996);
  const fdAt = () => h.mem().getUint32(996, true);
  assert.equal(open(3, 'sub', 2 /* DIRECTORY */), Errno.SUCCESS);
  const sub = fdAt();
  assert.equal(open(3, 'sub/deep', 2), Errno.SUCCESS);
  const deep = fdAt();
  assert.equal(h.call('path_rename', 3, ...h.str(1000, 'sub'), 3, ...h.str(1100, 'sub.old')), Errno.SUCCESS);
  for (const [target, errno] of [['../secret', Errno.ENOTCAPABLE], ['other', Errno.ESTALE], ['sub.old', Errno.SUCCESS]] as const) {
    assert.equal(h.call('path_symlink', ...h.str(1100, target), 3, ...h.str(1000, 'sub')), Errno.SUCCESS, target);
    // Through the descriptor of the moved directory and of one below it: never the secret.
    assert.equal(open(sub, 'secret.txt'), target === 'sub.old' ? Errno.ENOENT : errno, `sub -> ${target}`);
    assert.equal(open(sub, 'created.txt', 1 /* CREAT */), errno, `sub -> ${target}: create`);
    assert.equal(h.call('fd_readdir', deep, 2000, 256, 0n, 996), errno, `sub -> ${target}: readdir below it`);
    assert.equal(h.call('path_unlink_file', 3, ...h.str(1000, 'sub')), Errno.SUCCESS);
  }
  assert.deepEqual(readFileSync(join(root, 'secret', 'secret.txt'), 'utf8'), 'SECRET');
  assert.equal(existsSync(join(root, 'secret', 'created.txt')), false);
  assert.equal(existsSync(join(box, 'other', 'created.txt')), false);
  // Renamed back, the descriptor finds its directory again.
  assert.equal(h.call('path_rename', 3, ...h.str(1000, 'sub.old'), 3, ...h.str(1100, 'sub')), Errno.SUCCESS);
  assert.equal(open(sub, 'created.txt', 1), Errno.SUCCESS);
  assert.equal(existsSync(join(box, 'sub', 'created.txt')), true);
}));

test('sizes past what the host calls take are errnos or short transfers, never host errors', () => withDir((dir) => {
  writeFileSync(join(dir, 'f'), 'abc');
  const h = harness({ preopens: { '/d': dir } });
  assert.equal(h.call('path_open', 3, 0, ...h.str(1000, 'f'), 0, -1n, -1n, 0, 996), Errno.SUCCESS);
  const fd = h.mem().getUint32(996, true);
  assert.equal(h.call('fd_allocate', fd, 2n ** 52n, 2n ** 52n), Errno.EFBIG);
  assert.equal(h.call('fd_allocate', fd, 2n ** 53n - 1n, 2n ** 53n - 1n), Errno.EFBIG);
  // A write that would end past offset 2^53 - 1 (where offsets stop being exact).
  assert.equal(h.call('fd_seek', fd, 2n ** 53n - 2n, 0, 904), Errno.SUCCESS);
  h.mem().setUint32(800, 1200, true);
  h.mem().setUint32(804, 2, true);
  assert.equal(h.call('fd_write', fd, 800, 1, 996), Errno.EFBIG, 'two bytes would end at 2^53');
  // An empty iovec first is skipped, not the end of the read.
  assert.equal(h.call('fd_seek', fd, 0n, 0, 904), Errno.SUCCESS);
  h.mem().setUint32(800, 1200, true);
  h.mem().setUint32(804, 0, true);
  h.mem().setUint32(808, 1300, true);
  h.mem().setUint32(812, 8, true);
  assert.equal(h.call('fd_read', fd, 800, 2, 996), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(996, true), 3);
  assert.equal(Buffer.from(h.bytes().subarray(1300, 1303)).toString(), 'abc');
  // 300 iovecs all pointing at the same 64 KiB: a stream write is cut short at 16 MiB instead of
  // gathering 19.7 MB on the host.
  assert.equal(h.call('grow', 1), 1);
  for (let i = 0; i < 300; i++) {
    h.mem().setUint32(4096 + 8 * i, 65536, true);
    h.mem().setUint32(4100 + 8 * i, 65536, true);
  }
  assert.equal(h.call('fd_write', 1, 4096, 300, 996), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(996, true), 1 << 24);
}));

test('entries named through a symlink with a trailing slash, O_CREAT|O_EXCL on a dangling symlink, names that are not UTF-8: as on Linux and in Wasmtime', () => withDir((dir) => {
  mkdirSync(join(dir, 'empty'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'file'), 'x');
  symlinkSync('empty', join(dir, 'emptyl'));
  symlinkSync('sub', join(dir, 'subl'));
  symlinkSync('file', join(dir, 'filel'));
  symlinkSync('nonexistent', join(dir, 'dangling'));
  const h = harness({ preopens: { '/d': dir } });
  // rmdir, rename and unlink act on the entry: `link/` is ENOTDIR, not the link's target.
  assert.equal(h.call('path_remove_directory', 3, ...h.str(1000, 'emptyl/')), Errno.ENOTDIR);
  assert.equal(existsSync(join(dir, 'empty')), true);
  assert.equal(h.call('path_rename', 3, ...h.str(1000, 'subl/'), 3, ...h.str(1100, 'moved')), Errno.ENOTDIR);
  assert.equal(existsSync(join(dir, 'sub')), true);
  assert.equal(h.call('path_unlink_file', 3, ...h.str(1000, 'filel/')), Errno.ENOTDIR);
  assert.equal(h.call('path_remove_directory', 3, ...h.str(1000, 'empty/')), Errno.SUCCESS, 'a real directory with a slash is fine');
  // O_CREAT|O_EXCL does not follow the last symlink, even with symlink_follow.
  assert.equal(h.call('path_open', 3, 1, ...h.str(1000, 'dangling'), 1 | 4, -1n, -1n, 0, 996), Errno.EEXIST);
  assert.equal(existsSync(join(dir, 'nonexistent')), false);
  assert.equal(h.call('path_open', 3, 1, ...h.str(1000, 'dangling'), 1, -1n, -1n, 0, 996), Errno.SUCCESS, 'O_CREAT alone follows it');
  assert.equal(existsSync(join(dir, 'nonexistent')), true);
  // A directory holding a name that is not UTF-8 cannot be listed (Wasmtime: EILSEQ).
  assert.equal(h.call('path_open', 3, 0, ...h.str(1000, 'sub'), 2, BigInt.asIntN(64, Rights.FD_READDIR), 0n, 0, 996), Errno.SUCCESS);
  const sub = h.mem().getUint32(996, true);
  assert.equal(h.call('fd_readdir', sub, 2000, 256, 0n, 996), Errno.SUCCESS);
  writeFileSync(Buffer.concat([Buffer.from(join(dir, 'sub') + '/'), Buffer.from([0x61, 0xff])]), '');
  assert.equal(h.call('fd_readdir', sub, 2000, 256, 0n, 996), Errno.EILSEQ);
}));

test('fd_write, fd_read and poll_oneoff bound what one call makes the host hold (found by the stop 36 exhaustion audit)', () => {
  const h = harness({ stdin: 'x'.repeat(3000) });
  assert.notEqual(h.call('grow', 4096), -1);
  // 32M empty iovecs, all in bounds: one host object per record used to exhaust the host's heap.
  const t0 = performance.now();
  assert.equal(h.call('fd_write', 1, 0, 0x2000000, 0), Errno.SUCCESS);
  assert.equal(h.call('fd_read', 0, 0, 0x2000000, 0), Errno.SUCCESS);
  assert.ok(performance.now() - t0 < 10_000, 'the records past the first 2^24 are not read');
  // At most IOV_MAX (1,024) buffers per call: a short write, which writev allows.
  const [p] = h.str(1 << 20, 'a');
  for (let i = 0; i < 2000; i++) {
    h.mem().setUint32((2 << 20) + i * 8, p, true);
    h.mem().setUint32((2 << 20) + i * 8 + 4, 1, true);
  }
  assert.equal(h.call('fd_write', 1, 2 << 20, 2000, 64), Errno.SUCCESS);
  assert.equal(h.mem().getUint32(64, true), 1024);
  assert.equal(h.out().length, 1024);
  assert.equal(h.call('poll_oneoff', 3 << 20, 8 << 20, 70_000, 64), Errno.EINVAL, 'over 65,536 subscriptions');
});
