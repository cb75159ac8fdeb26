// Random WASI preview1 calls from a guest: every import is called with random arguments (pointers
// near the end of memory, negative lengths, bad descriptors, random path bytes such as "..",
// "/etc/passwd" and "sub/../a.txt") while the guest's memory is scribbled on. Each call must
// return an errno: anything thrown (other than proc_exit's WasiExit) is an error WASI let escape.
// The preopened directory has a sibling the guest must never reach; it is checked at the end.
// WASI_FUZZ_STATS=1 prints how often each call returned each errno (to see what the calls reach).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, Linker, Module, Store, Val } from '../src/api/index.js';
import { Wasi, WasiExit } from '../src/wasi/index.js';
import { PREVIEW1 } from '../src/wasi/syscalls.js';
import { WRITE_RIGHTS } from '../src/wasi/constants.js';
import { Rng } from './fuzz-rng.js';

export interface WasiFuzzResult {
  readonly calls: number;
  /** Distinct problems: an exception, an errno out of range, or a change outside the sandbox. */
  readonly problems: Map<string, string>;
}

/** Calls that block or end the program are left out (sleeping, yielding, exiting). */
const SKIPPED = new Set(['proc_exit', 'poll_oneoff', 'sched_yield', 'proc_raise']);
// Also symlink targets: a directory descriptor must not follow a link put in its directory's place.
const PATHS = ['a.txt', 'sub', 'sub/b', '..', '../outside/secret', '/etc/passwd', 'nope', 'sub/../a.txt', '', '.', 'sub/../../outside', '../outside', '/', 'new'];

export function runWasiFuzz(seed: number, count: number): WasiFuzzResult {
  const rng = new Rng(seed);
  const rnd = (): number => rng.u32() / 0x1_0000_0000;
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs);

  const root = mkdtempSync(join(tmpdir(), 'tswasm-wasi-fuzz-'));
  const box = join(root, 'box');
  const outside = join(root, 'outside');
  mkdirSync(join(box, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(box, 'a.txt'), 'hello');
  writeFileSync(join(box, 'sub', 'b'), 'x'.repeat(5000));
  writeFileSync(join(outside, 'secret'), 'untouched');

  const names = Object.keys(PREVIEW1).filter((n) => !SKIPPED.has(n));
  const wasmType = (c: string): string => (c === 'I' ? 'i64' : 'i32');
  let imports = '';
  let exports = '';
  names.forEach((name, k) => {
    const params = [...PREVIEW1[name]!.sig.split(':')[0]!].map(wasmType);
    imports += `(import "wasi_snapshot_preview1" "${name}" (func $w${k} (param ${params.join(' ')}) (result i32)))\n`;
    exports += `(func (export "${name}") (param ${params.join(' ')}) (result i32) (call $w${k} ${params.map((_, j) => `(local.get ${j})`).join(' ')}))\n`;
  });
  const engine = new Engine();
  const module = new Module(engine, `(module ${imports} (memory (export "memory") 1) ${exports})`);
  // A fresh program every 400 calls, so that closing the preopen or stdio does not end the run.
  let wasi: Wasi | null = null;
  let store: Store;
  let instance: ReturnType<Linker['instantiate']>;
  const restart = (): void => {
    wasi?.close();
    wasi = new Wasi({ args: ['prog', 'a'], env: { X: '1' }, preopens: { '/box': box }, stdin: 'input', stdout: { write() {} }, stderr: { write() {} } });
    store = new Store(engine);
    const linker = new Linker(engine);
    wasi.define(linker);
    instance = linker.instantiate(store, module);
    wasi.bindInstance(instance);
  };
  // Arguments that line up often: the preopen and stdio, a path at PATH with its length, an iovec
  // at IOVS describing BUF, small sizes; otherwise anything.
  const PATH = 256;
  const IOVS = 1024;
  const BUF = 2048;
  const PATH2 = 512;
  let pathLength = 0;
  let path2Length = 0;
  const i32 = (): number => {
    const r = rnd();
    if (r < 0.6) return pick([0, 1, 2, 3, 3, 3, 4, 5, PATH, PATH, pathLength, pathLength, IOVS, IOVS, 1, 2, BUF, 64, 8, 16, 0, 4096]);
    if (r < 0.8) return pick([65532, 65535, 65536, -1, 0x7fffffff, -0x80000000, 100, 1000]);
    return r < 0.9 ? Math.floor(rnd() * 70000) : Math.floor(rnd() * 2 ** 32) | 0;
  };
  const problems = new Map<string, string>();
  const stats = new Map<string, number>();
  const opened: number[] = [];
  let calls = 0;
  try {
    for (let k = 0; k < count; k++) {
      if (k % 400 === 0) {
        restart();
        opened.length = 0;
      }
      const bytes = instance!.getMemory(store!, 'memory')!.data(store!);
      if (rnd() < 0.05) for (let j = 0; j < 64; j++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
      if (rnd() < 0.3) {
        const path = new TextEncoder().encode(pick(PATHS));
        bytes.fill(0, PATH, PATH + 64);
        bytes.set(path, PATH);
        pathLength = path.length;
        const second = new TextEncoder().encode(pick(['new', 'sub/new', 'a.txt', '../outside/new', 'sub']));
        bytes.fill(0, PATH2, PATH2 + 64);
        bytes.set(second, PATH2);
        path2Length = second.length;
        const view = new DataView(bytes.buffer, bytes.byteOffset);
        view.setUint32(IOVS, BUF, true);
        view.setUint32(IOVS + 4, 64, true);
      }
      const name = pick(names);
      // A descriptor first (fd_* and path_* calls), and a length right after a path's address.
      const raw: number[] = [];
      const sig = [...PREVIEW1[name]!.sig.split(':')[0]!];
      sig.forEach((c, j) => {
        if (c === 'I') raw.push(0);
        else if (j === 0 && (name.startsWith('fd_') || name.startsWith('path_')) && rnd() < 0.8) raw.push(opened.length && rnd() < 0.5 ? pick(opened) : pick([3, 3, 3, 4, 5, 6, 0, 1, 2]));
        else if (j > 0 && (raw[j - 1] === PATH || raw[j - 1] === PATH2) && rnd() < 0.8) raw.push(raw[j - 1] === PATH ? pathLength : path2Length);
        else if (j === sig.length - 1 && rnd() < 0.6) raw.push(BUF + 128); // where most calls write their result
        else raw.push(rnd() < 0.2 ? pick([PATH, PATH2]) : i32());
      });
      // Often a well-formed open of the path, so that reads, writes and seeks reach real files.
      if (name === 'path_open' && rnd() < 0.5) {
        const dir = opened.length && rnd() < 0.3 ? pick(opened) : 3;
        raw.splice(0, raw.length, dir, pick([0, 1]), PATH, pathLength, pick([0, 0, 1, 2, 4, 8, 9]), 0, 0, pick([0, 1, 4]), BUF + 128);
      }
      // Well-formed renames and symlinks too, so that directories move and links take their place.
      const someDir = (): number => (opened.length && rnd() < 0.3 ? pick(opened) : 3);
      if (name === 'path_rename' && rnd() < 0.5) raw.splice(0, raw.length, someDir(), PATH, pathLength, someDir(), PATH2, path2Length);
      if (name === 'path_symlink' && rnd() < 0.5) raw.splice(0, raw.length, PATH, pathLength, someDir(), PATH2, path2Length);
      // Every right, or every right but writing (which a directory needs to be opened at all).
      const wellFormed = (): bigint => BigInt.asIntN(64, rnd() < 0.5 ? 0x1fffffffn : 0x1fffffffn & ~WRITE_RIGHTS);
      const rights = (j: number): bigint => (name === 'path_open' && j < 7 && (raw[0] === 3 || opened.includes(raw[0]!)) && rnd() < 0.9 ? wellFormed() : BigInt(pick([0, 1, 5, -1, 2 ** 40, 100, 0x1ff, 0xfffffff])));
      const args = sig.map((c, j) => (c === 'I' ? Val.i64(rights(j)) : Val.i32(raw[j]!)));
      calls++;
      try {
        const errno = instance!.getFunc(store!, name)!.call(store!, args)[0]!.value as number;
        if (process.env.WASI_FUZZ_STATS) stats.set(`${name}=${errno}`, (stats.get(`${name}=${errno}`) ?? 0) + 1);
        if (name === 'path_open' && errno === 0) opened.push(new DataView(bytes.buffer, bytes.byteOffset).getUint32(BUF + 128, true));
        // The file beside the preopen must never be read either.
        if (errno === 0 && (name === 'fd_read' || name === 'fd_pread') && new TextDecoder().decode(bytes.subarray(BUF, BUF + 64)).includes('untouched')) {
          problems.set('sandbox: read', `${name} read the file beside the preopen: ${args.map((a) => String(a.value)).join(', ')}`);
        }
        if (!(errno >= 0 && errno <= 76)) problems.set(`${name}: errno ${errno}`, args.map((a) => String(a.value)).join(', '));
      } catch (e) {
        if (e instanceof WasiExit) continue;
        const key = `${name}: ${(e as Error)?.constructor?.name}: ${String((e as Error)?.message).slice(0, 100)}`;
        if (!problems.has(key)) problems.set(key, String((e as Error)?.stack ?? '').split('\n').slice(1, 3).join(' | '));
      }
    }
  } finally {
    (wasi as Wasi | null)?.close();
    const entries = readdirSync(root).sort().join(',');
    if (entries !== 'box,outside') problems.set('sandbox', `the sandbox's parent holds ${entries}`);
    if (readdirSync(outside).join(',') !== 'secret' || readFileSync(join(outside, 'secret'), 'utf8') !== 'untouched') {
      problems.set('sandbox', 'the directory beside the preopen changed');
    }
    rmSync(root, { recursive: true, force: true });
    if (process.env.WASI_FUZZ_STATS) for (const [k, v] of [...stats].sort((a, b) => b[1] - a[1])) console.log(v, k);
  }
  return { calls, problems };
}
