// The Wasi class: one program's WASI preview1 environment (args, env, preopens, stdio, descriptor
// table) that supplies the import functions and runs a command's `_start` or a reactor's `_initialize`.

import { statSync } from 'node:fs';
import { resolve as resolveHostPath } from 'node:path';
import {
  Caller, Func, I32, I64, Instance, LinkError, Linker, Memory, Module, Store, funcType, valTypeName,
  type Extern, type FuncType, type ValType,
} from '../api/index.js';
import { DIR_INHERITING, DIR_RIGHTS, Filetype, STDIN_RIGHTS, STDOUT_RIGHTS } from './constants.js';
import type { WasiContext } from './context.js';
import { Errno, errnoOfHostError } from './errno.js';
import { WasiExit } from './exit.js';
import { FdTable } from './fd-table.js';
import { GuestMemory, encodeUtf8 } from './memory-view.js';
import { makeInput, makeOutput, type StdinOption, type StdoutOption } from './stdio.js';
import { PREVIEW0, PREVIEW1, WASI_PREVIEW1, WASI_UNSTABLE, type SyscallDef } from './syscalls.js';
import { checkOptionNames } from '../core/options.js';

/** What a WASI program sees: its arguments, environment, preopened directories and standard streams. */
export interface WasiOptions {
  /** argv; by convention args[0] is the program name. */
  readonly args?: readonly string[];
  /**
   * The environment, as NAME → value, or as [NAME, value] pairs in order, which may repeat a name
   * (as Wasmtime keeps `--env A=1 --env A=2`: getenv finds the first).
   */
  readonly env?: Readonly<Record<string, string>> | readonly (readonly [string, string])[];
  /**
   * Preopened directories, guest name → host path (as node:wasi takes them), given descriptors
   * 3, 4, ... in this order. Nothing outside them is reachable.
   */
  readonly preopens?: Readonly<Record<string, string>>;
  /** Host fd (default 0), fixed input (string or bytes), or { read(into) }. */
  readonly stdin?: StdinOption;
  /** Host fd (default 1) or { write(bytes) }. */
  readonly stdout?: StdoutOption;
  /** Host fd (default 2) or { write(bytes) }. */
  readonly stderr?: StdoutOption;
  /**
   * true (default): proc_exit makes start() return the code. false: proc_exit ends the host
   * process with it (process.exit), as a native program would.
   */
  readonly returnOnExit?: boolean;
}

const OPTIONS = ['args', 'env', 'preopens', 'stdin', 'stdout', 'stderr', 'returnOnExit'];

/** A TypeError for options of the wrong shape (a preopens array would name its guest "0"). */
function checkOptions(options: unknown): asserts options is WasiOptions {
  checkOptionNames(options, OPTIONS, 'Wasi', 'Wasi: options');
  const o = options as Record<string, unknown>;
  if (o.args !== undefined && (!Array.isArray(o.args) || o.args.some((a) => typeof a !== 'string'))) {
    throw new TypeError('Wasi: args must be an array of strings');
  }
  const pairs = (x: unknown) => Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'string'));
  for (const key of ['env', 'preopens'] as const) {
    const map = o[key];
    if (map === undefined || (key === 'env' && pairs(map))) continue;
    if (typeof map !== 'object' || map === null || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string')) {
      throw new TypeError(`Wasi: ${key} must be an object of strings (${key === 'env' ? 'NAME: value, or [NAME, value] pairs' : 'guest path: host path'})`);
    }
  }
  for (const key of ['stdin', 'stdout', 'stderr'] as const) {
    const fd = o[key];
    if (typeof fd === 'number' && !(Number.isInteger(fd) && fd >= 0)) throw new TypeError(`Wasi: ${key} must be a non-negative integer file descriptor, not ${fd}`);
  }
  if (o.returnOnExit !== undefined && typeof o.returnOnExit !== 'boolean') throw new TypeError('Wasi: returnOnExit must be a boolean');
}

const LETTER_TYPES: Readonly<Record<string, ValType>> = { i: I32, I: I64 };

function parseSig(sig: string): FuncType {
  const [params, results] = sig.split(':') as [string, string];
  return funcType([...params].map((c) => LETTER_TYPES[c]!), [...results].map((c) => LETTER_TYPES[c]!));
}

function sameType(a: FuncType, b: FuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length &&
    a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i]);
}

function showType(t: FuncType): string {
  const part = (kw: string, ts: readonly ValType[]) => (ts.length ? ` (${kw} ${ts.map(valTypeName).join(' ')})` : '');
  return `(func${part('param', t.params)}${part('result', t.results)})`;
}

/**
 * WASI preview 1 for one program (wasmtime-wasi's preview1 context): define its imports in a Linker,
 * instantiate, then `start` the command or `initialize` the reactor.
 */
export class Wasi {
  private readonly fds = new FdTable();
  private readonly mem = new GuestMemory();
  private readonly ctx: WasiContext;
  private readonly returnOnExit: boolean;
  private store: Store | null = null;
  private memory: Memory | null = null;
  /** The store ctx.interruption was made for. */
  private wakeStore: Store | null = null;

  constructor(options: WasiOptions = {}) {
    checkOptions(options);
    const strings = (list: string[], what: string) => list.map((s) => {
      // The guest sees NUL-terminated C strings: an embedded NUL would silently cut one short.
      if (s.includes('\0')) throw new TypeError(`Wasi: ${what} ${JSON.stringify(s)} contains a NUL character`);
      return encodeUtf8(`${s}\0`);
    });
    const args = strings([...(options.args ?? [])], 'argument');
    const entries = Array.isArray(options.env) ? options.env : Object.entries(options.env ?? {});
    const env = strings(entries.map(([k, v]) => {
      if (k.includes('=')) throw new TypeError(`Wasi: environment variable name ${JSON.stringify(k)} contains "="`);
      return `${k}=${v}`;
    }), 'environment entry');
    this.ctx = { mem: this.mem, fds: this.fds, args, env };
    this.returnOnExit = options.returnOnExit ?? true;
    const stdin = makeInput(options.stdin ?? 0);
    this.fds.add({ kind: 'stream', filetype: stdin.filetype, rightsBase: STDIN_RIGHTS, rightsInheriting: 0n, flags: 0, input: stdin, output: null });
    for (const [which, option, fallback] of [['stdout', options.stdout, 1], ['stderr', options.stderr, 2]] as const) {
      const out = makeOutput(option ?? fallback, which);
      this.fds.add({ kind: 'stream', filetype: out.filetype, rightsBase: STDOUT_RIGHTS, rightsInheriting: 0n, flags: 0, input: null, output: out });
    }
    for (const [guest, host] of Object.entries(options.preopens ?? {})) {
      const hostPath = resolveHostPath(host);
      let st = null;
      try {
        st = statSync(hostPath, { bigint: true });
      } catch {
        // reported below
      }
      if (st === null || !st.isDirectory()) throw new Error(`preopened directory "${host}" does not exist or is not a directory`);
      this.fds.add({
        kind: 'dir', filetype: Filetype.DIRECTORY, rightsBase: DIR_RIGHTS, rightsInheriting: DIR_INHERITING, flags: 0,
        root: hostPath, under: '', dev: st.dev, ino: st.ino, preopen: guest, listing: null,
      });
    }
  }

  /** The WASI functions for `store`, by module name (wasi_snapshot_preview1 and wasi_unstable) and function name. */
  imports(store: Store): Record<string, Record<string, Func>> {
    const make = (defs: Readonly<Record<string, SyscallDef>>) =>
      Object.fromEntries(Object.entries(defs).map(([name, d]) => [name, this.hostFunc(store, name, d)]));
    return { [WASI_PREVIEW1]: make(PREVIEW1), [WASI_UNSTABLE]: make(PREVIEW0) };
  }

  /**
   * Defines every WASI function in `linker` (wasmtime_wasi's add_to_linker), for any store the
   * linker instantiates in. Each call uses the memory of the instance that makes it.
   */
  define(linker: Linker<any>): void {
    if (!(linker instanceof Linker)) throw new TypeError('Wasi.define: expected a Linker');
    for (const [module, defs] of [[WASI_PREVIEW1, PREVIEW1], [WASI_UNSTABLE, PREVIEW0]] as const) {
      for (const [name, d] of Object.entries(defs)) linker.funcWrapWithCaller(module, name, parseSig(d.sig), this.syscall(name, d));
    }
  }

  /**
   * The imports of `module` in order, all from WASI. Throws LinkError naming the first import that
   * WASI does not provide or whose type differs from WASI's.
   */
  importsFor(store: Store, module: Module): Extern[] {
    const cache = new Map<string, Func>();
    return module.imports().map((imp) => {
      const defs = imp.module === WASI_PREVIEW1 ? PREVIEW1 : imp.module === WASI_UNSTABLE ? PREVIEW0 : null;
      const d = defs !== null && Object.hasOwn(defs, imp.name) ? defs[imp.name]! : null;
      if (d === null || imp.type.kind !== 'func') {
        const why = defs === null ? 'not provided by WASI' : `no such ${imp.module} function`;
        throw new LinkError(`unknown import "${imp.module}" "${imp.name}" (${imp.type.kind}): ${why}`);
      }
      const want = parseSig(d.sig);
      if (!sameType(imp.type.type, want)) {
        throw new LinkError(`import "${imp.module}" "${imp.name}" has type ${showType(imp.type.type)}, but WASI's is ${showType(want)}`);
      }
      const key = `${imp.module}\0${imp.name}`;
      let f = cache.get(key);
      if (f === undefined) cache.set(key, (f = this.hostFunc(store, imp.name, d)));
      return f;
    });
  }

  /** Instantiates a module whose imports all come from WASI and binds this Wasi to its memory. */
  instantiate(store: Store, module: Module): Instance {
    const instance = new Instance(store, module, this.importsFor(store, module));
    this.bindInstance(instance);
    return instance;
  }

  /**
   * Runs a command: calls `_start` and returns the exit code (0 when it returns, the code given to
   * proc_exit otherwise). Traps and host errors propagate. Host files it left open are closed.
   */
  start(instance: Instance): number {
    this.bindInstance(instance);
    const store = this.store!;
    const start = instance.getFunc(store, '_start');
    if (start === undefined) throw new Error('the module exports no "_start" function (it is not a WASI command)');
    return this.runCommand(() => start.call(store, []));
  }

  /**
   * Prepares a reactor: calls `_initialize` if the module exports it. A proc_exit there ends the
   * process (returnOnExit false) or is thrown on as WasiExit for the embedder to handle.
   */
  initialize(instance: Instance): void {
    this.bindInstance(instance);
    const init = instance.getFunc(this.store!, '_initialize');
    if (init !== undefined) this.runInitializer(() => init.call(this.store!, []));
  }

  /**
   * Calls a command's `_start` and returns the exit code: 0 when it returns, the code given to
   * proc_exit otherwise (with returnOnExit false, proc_exit ends the process). Closes the host
   * files it left open.
   */
  runCommand(start: () => unknown): number {
    try {
      start();
      return 0;
    } catch (e) {
      if (e instanceof WasiExit) return this.exitWith(e.code);
      throw e;
    } finally {
      this.close();
    }
  }

  /** Calls a reactor's `_initialize`: a proc_exit there ends the process (returnOnExit false) or is thrown on. */
  runInitializer(init: () => unknown): void {
    try {
      init();
    } catch (e) {
      if (e instanceof WasiExit) this.exitWith(e.code);
      throw e;
    }
  }

  /** Closes every host file the guest opened (start() does this when the command ends). */
  close(): void {
    this.fds.closeAll();
  }

  /**
   * Records `instance` as the program: start/initialize call its exports, and its "memory" serves
   * calls from instances that export none (each call otherwise uses its caller's own memory).
   */
  bindInstance(instance: Instance): void {
    if (!(instance instanceof Instance)) throw new TypeError('Wasi: expected an Instance (of a module linked with wasi.define)');
    this.store = instance.store;
    this.memory = instance.getMemory(instance.store, 'memory') ?? null;
  }

  private hostFunc(store: Store, name: string, d: SyscallDef): Func {
    return Func.wrapWithCaller(store, parseSig(d.sig), this.syscall(name, d));
  }

  /**
   * One import's implementation: takes the calling instance's "memory" (or the one bound by
   * start/initialize when the caller exports none) and runs the syscall.
   */
  private syscall(name: string, d: SyscallDef): (caller: Caller<any>, ...args: unknown[]) => number | undefined {
    return (caller, ...args) => {
      const own = caller.getExport('memory');
      const memory = own instanceof Memory ? own : this.memory !== null && this.store === caller.store ? this.memory : null;
      // As Wasmtime's: no memory, no call (not an EFAULT the program could go on past).
      if (memory === null) throw new Error(`WASI ${name}: missing required memory export (the calling module exports no "memory")`);
      const store = caller.store;
      // Made once per store that calls, not per call (a program calls fd_write a lot).
      if (store !== this.wakeStore) {
        this.wakeStore = store;
        this.ctx.interruption = store.engine.config.epochInterruption ? { epoch: store.engine.epoch, store: store.raw } : null;
      }
      return this.run(name, d, memory.data(caller), args);
    };
  }

  /**
   * Runs syscall `name` over linear memory `bytes` and returns its errno (undefined for proc_exit,
   * which has no result). A WasiError or a host error code becomes the errno; proc_exit's WasiExit
   * and anything else (a bug) unwind to the embedder.
   */
  run(name: string, d: SyscallDef, bytes: Uint8Array, args: readonly unknown[]): number | undefined {
    this.mem.refresh(bytes);
    let errno: number;
    try {
      errno = d.impl(this.ctx, ...args) ?? Errno.SUCCESS;
    } catch (e) {
      const mapped = errnoOfHostError(e);
      if (mapped === null) {
        if (!(e instanceof WasiExit) && e instanceof Error) e.message = `WASI ${name}: ${e.message}`;
        throw e;
      }
      errno = mapped;
    }
    return d.returnsErrno ? errno : undefined;
  }

  /** Ends the process with `code` unless returnOnExit (the default); returns the code. */
  private exitWith(code: number): number {
    if (this.returnOnExit) return code;
    process.exit(code);
  }
}

