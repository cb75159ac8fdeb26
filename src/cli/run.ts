// `tswasm run [OPTIONS] FILE [ARGS...]`: runs a WASI command (`_start`, ARGS as argv) like
// `wasmtime run`, or with --invoke calls one export and prints its results; traps print a backtrace.

import type { Command } from './main.js';
import { asValidModule, moduleBytes, readFileForCli } from './read-module.js';
import {
  DeserializeError, Engine, F32, F64, Func, I32, I64, V128, Instance, LinkError, Linker, Module, Store, StoreLimitsBuilder,
  ThrownException, Trap, Val, WasmCoreDump, formatBacktrace, isSerializedModule, valTypeName, type ValType,
} from '../api/index.js';
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseF32 } from '../text/floats.js';
import { Wasi, WasiExit } from '../wasi/index.js';
import { startEpochTimer } from '../node/epoch-timer.js';
import { jsApiEngineConfig } from '../jsapi/realm.js';
import { parseProfileOption, startGuestProfile, type GuestProfileOptions } from './guest-profile.js';
import {
  UsageError, WASM_OPTIONS_HELP, applyWasmOption, defaultWasmOptions, engineConfig, parseCount, parseDuration, type WasmOptions,
} from './wasm-options.js';
import { WASI_OPTIONS_HELP, applyWasiOption, defaultWasiOptions, programEnv, type WasiOptions } from './wasi-options.js';
import { TUNING_OPTIONS_HELP, applyTuningOption } from './tuning-options.js';
import { parsePreload, runCommand } from './command.js';

const USAGE = `usage: tswasm run [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... [--fuel N] [--timeout T] [-W KEY=VALUE,...]
       [-S KEY=VALUE,...] [-O KEY=VALUE,...] [-C KEY=VALUE,...] [--preload NAME=FILE]... [--allow-precompiled]
       [--profile=guest[,PATH[,INTERVAL]]] [-D coredump=PATH]
       [--invoke NAME] [--argv0 NAME] FILE.wasm|FILE.wat [ARGS...]

  As wasmtime run: instantiates FILE with WASI (ARGS as argv, argv[0] FILE's name without its
  directories; stdin/stdout/stderr inherited), calls "_initialize" if it is exported, then the
  export "" or "_start" (or NAME with --invoke), and exits with the program's exit code (0 when
  it exports none of them). Everything after FILE is the program's, options included.
  --dir HOST[::GUEST]   preopen host directory HOST, seen by the program as GUEST (default HOST)
  --env NAME=VALUE      set an environment variable for the program (--env NAME copies the host's)
  --invoke NAME         call export NAME with the first ARGS as its arguments (integers in decimal
                        or 0x hex, floats, inf, nan) and print its results, one a line
  --argv0 NAME          the program's argv[0]
  --fuel N              give the program N units of fuel (Wasmtime's costs: one per instruction and
                        call, one per byte or element of bulk operations);
                        it traps with OutOfFuel when they run out
  --timeout T           interrupt the program after T (e.g. 500ms, 10s, 2m; a bare number is
                        seconds): it traps with Interrupt, also inside a loop that never returns
  --preload NAME=FILE   instantiate FILE first (with WASI) and let the program import its exports
                        from module NAME; a reactor's "_initialize" runs first
  --profile=guest[,PATH[,INTERVAL]]
                        sample the program every INTERVAL (default 1ms) and write a CPU profile with
                        wasm function names to PATH (default tswasm-guest-profile.cpuprofile), in
                        Chrome's .cpuprofile format (DevTools, speedscope, the Firefox Profiler)
  -D coredump=PATH      when the program traps, write a coredump of its state to PATH (the standard
                        Wasm coredump format: frames, memories, globals; as wasmtime run -D)
  --allow-precompiled   FILE may be the output of tswasm compile (.cwasm, or an ES module from
                        --js); its code is trusted and not validated again
${WASM_OPTIONS_HELP}
${WASI_OPTIONS_HELP}
${TUNING_OPTIONS_HELP}`;

/** Exit status for a trap, as `wasmtime run` on Unix (128 + SIGABRT). */
const TRAP_EXIT = 134;

interface RunOptions {
  dirs: { host: string; guest: string }[];
  env: [string, string][];
  invoke: string | null;
  argv0: string | null;
  wasm: WasmOptions;
  wasi: WasiOptions;
  preloads: { name: string; file: string }[];
  allowPrecompiled: boolean;
  profile: GuestProfileOptions | null;
  coredump: string | null;
  file: string;
  args: string[];
}

function parseArgs(argv: string[]): RunOptions {
  const opts: RunOptions = { dirs: [], env: [], invoke: null, argv0: null, wasm: defaultWasmOptions(), wasi: defaultWasiOptions(), preloads: [], allowPrecompiled: false, profile: null, coredump: null, file: '', args: [] };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const [flag, inline] = a.includes('=') && a.startsWith('--') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
    const arg = () => inline ?? value(flag);
    switch (flag) {
      case '--dir': {
        const spec = arg();
        const at = spec.indexOf('::');
        const dir = at < 0 ? { host: spec, guest: spec } : { host: spec.slice(0, at), guest: spec.slice(at + 2) };
        if (dir.host === '' || dir.guest === '') throw new UsageError(`--dir ${JSON.stringify(spec)}: needs HOST_DIR or HOST_DIR::GUEST_DIR, neither empty`);
        opts.dirs.push(dir);
        break;
      }
      case '--env': {
        const spec = arg();
        const eq = spec.indexOf('=');
        if (eq === 0 || spec === '') throw new UsageError(`--env ${JSON.stringify(spec)}: needs NAME=VALUE or NAME`);
        // Kept in order, repeats included, as Wasmtime does (getenv finds the first).
        if (eq < 0) {
          const host = process.env[spec];
          if (host !== undefined) opts.env.push([spec, host]);
        } else opts.env.push([spec.slice(0, eq), spec.slice(eq + 1)]);
        break;
      }
      case '--invoke':
        opts.invoke = arg();
        break;
      case '--argv0':
        opts.argv0 = arg();
        break;
      case '--fuel':
        opts.wasm.fuel = parseCount(arg(), '--fuel');
        break;
      case '--timeout':
        opts.wasm.timeoutMs = parseDuration(arg());
        break;
      case '-W': case '--wasm':
        applyWasmOption(opts.wasm, arg());
        break;
      case '-S': case '--wasi':
        applyWasiOption(opts.wasi, arg());
        break;
      case '-O': case '--optimize': case '-C': case '--codegen':
        applyTuningOption(flag, arg());
        break;
      case '--preload':
        opts.preloads.push(parsePreload(arg()));
        break;
      case '--profile':
        opts.profile = parseProfileOption(arg());
        break;
      case '--allow-precompiled':
        if (inline !== null) throw new UsageError('--allow-precompiled takes no value');
        opts.allowPrecompiled = true;
        break;
      case '-D': case '--debug':
        opts.coredump = parseDebugOption(arg());
        break;
      case '-h': case '--help':
        throw new UsageError('');
      default:
        // Wasmtime also takes the groups' values attached: -Wfuel=100, -Sinherit-env.
        if (a.startsWith('-W') && a.length > 2) {
          applyWasmOption(opts.wasm, a.slice(2));
          break;
        }
        if (a.startsWith('-S') && a.length > 2) {
          applyWasiOption(opts.wasi, a.slice(2));
          break;
        }
        if ((a.startsWith('-O') || a.startsWith('-C')) && a.length > 2) {
          applyTuningOption(a.slice(0, 2), a.slice(2));
          break;
        }
        if (a.startsWith('-D') && a.length > 2) {
          opts.coredump = parseDebugOption(a.slice(2));
          break;
        }
        throw new UsageError(`unknown option ${a}`);
    }
  }
  const file = argv[i];
  if (file === undefined) throw new UsageError('no module file given');
  opts.file = file;
  // Everything after FILE is the program's, options included, as in wasmtime run.
  opts.args = argv.slice(i + 1);
  return opts;
}

/** A -D option: only Wasmtime's `coredump=PATH` is known. */
function parseDebugOption(text: string): string {
  const m = /^coredump=(.+)$/.exec(text);
  if (m === null) throw new UsageError(`-D ${text}: the only debug option is coredump=PATH`);
  return m[1]!;
}

/**
 * An --invoke argument: an integer in decimal or 0x hex, optionally signed, within the type's
 * signed or unsigned range (so -1 and 4294967295 are the same i32); a float as JS writes one, or
 * inf/nan; a v128 as one unsigned integer, lane 0 in the low bits. Anything else is a usage error.
 */
function parseArg(t: ValType, text: string, k: number): Val {
  const bad = (what: string) => new UsageError(`argument ${k + 1} ("${text}") is not ${what}`);
  const integer = (bits: number): bigint => {
    const m = /^([+-]?)(0x[0-9a-f]+|\d+)$/i.exec(text.replace(/_/g, ''));
    if (m === null) throw bad(`an i${bits} (a decimal or 0x hex integer)`);
    const n = m[1] === '-' ? -BigInt(m[2]!) : BigInt(m[2]!);
    if (n < -(1n << BigInt(bits - 1)) || n >= 1n << BigInt(bits)) throw bad(`within the i${bits} range`);
    return n;
  };
  const lower = text.toLowerCase().replace(/^\+/, '');
  const negative = lower.startsWith('-');
  const word = negative ? lower.slice(1) : lower;
  const special = word === 'nan' ? 'nan' : word === 'inf' || word === 'infinity' ? 'inf' : null;
  const float = (): number => {
    const x = text.trim() === '' ? NaN : Number(text);
    if (Number.isNaN(x)) throw bad('a number');
    return x;
  };
  switch (t) {
    case I32: return Val.i32(Number(BigInt.asIntN(32, integer(32))));
    case I64: return Val.i64(BigInt.asIntN(64, integer(64)));
    case F32: {
      // Rounded once, from the decimal (a double first would round twice: 1.0000000596046447753906251
      // is 0x3f800001, not 1); past the f32 range it is infinite, as Rust's parse makes it.
      const sign = negative ? 0x80000000 : 0;
      if (special !== null) return Val.f32Bits((special === 'nan' ? 0x7fc00000 : 0x7f800000) | sign);
      const x = float();
      const bits = parseF32(/^[+-]?\./.test(text) ? text.replace('.', '0.') : text);
      if (bits === 'range') return Val.f32Bits(0x7f800000 | sign);
      return bits === 'malformed' ? Val.f32(x) : Val.f32Bits(Number(bits));
    }
    case F64: {
      const sign = negative ? 1n << 63n : 0n;
      if (special !== null) return Val.f64Bits((special === 'nan' ? 0x7ff8000000000000n : 0x7ff0000000000000n) | sign);
      return Val.f64(float());
    }
    case V128: {
      const n = integer(128);
      if (n < 0n) throw bad('an unsigned 128-bit integer');
      return Val.v128(n);
    }
  }
  throw new Error(`cannot pass a ${valTypeName(t)} argument from the command line`);
}

/** A result as wasmtime run prints it: integers signed, floats as Rust's Display writes them, v128 as one unsigned integer. */
function show(v: Val): string {
  switch (v.type) {
    case 'i32': case 'i64': return String(v.value);
    case 'f32': return rustFloat(Val.toNumber(v), shortestF32);
    case 'f64': return rustFloat(Val.toNumber(v), (x) => String(x));
    case 'v128': return v.value.toString();
    case 'funcref': case 'externref': case 'exnref': case 'anyref': return v.value === null ? `<null ${v.type}>` : `<${v.type}>`;
  }
}

/**
 * Rust's `{}` for a float: the shortest digits that read back as it (`shortest`), never in exponent
 * form (1e21 is 1000000000000000000000, 1.5e-7 is 0.00000015), and inf, -inf, NaN, -0.
 */
function rustFloat(x: number, shortest: (x: number) => string): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  const text = shortest(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return text;
  const [, sign, lead, rest = '', exp] = m;
  const digits = lead! + rest;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The shortest decimal that reads back as the same f32 (0.1, not the double 0.10000000149011612). */
function shortestF32(x: number): string {
  if (x === 0) return String(x);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(x.toPrecision(digits)));
    if (Math.fround(Number(text)) === x) return text;
  }
  return String(Number(x.toPrecision(9)));
}

/** An ES module written by tswasm compile --js (by its extension). */
function isJsFile(file: string): boolean {
  return /\.(mjs|js)$/i.test(file);
}

const PRECOMPILED_HINT = 'compile and run it with the same -W fuel, timeout, feature, nan-canonicalization and nan-boxes options';

/** Imports a precompiled ES module (refused without --allow-precompiled: importing runs its code). */
async function importPrecompiled(opts: RunOptions): Promise<unknown> {
  if (!opts.allowPrecompiled) throw new Error(`${opts.file}: a JavaScript file runs only as a precompiled module, with --allow-precompiled`);
  try {
    return await import(pathToFileURL(resolve(opts.file)).href);
  } catch (e) {
    throw new Error(`${opts.file}: cannot import: ${(e as Error).message}`);
  }
}

/**
 * A module from tswasm compile's output: a .cwasm blob, or an imported ES module. `forJsApi` tells
 * whether a refused one was compiled for the WebAssembly namespace (compile --js-api), which no
 * -W option of this command matches.
 */
function precompiledModule(file: string, make: () => Module, forJsApi: () => boolean = () => false): Module {
  try {
    return make();
  } catch (e) {
    if (e instanceof DeserializeError) {
      const hint = !e.message.includes('another configuration') ? ''
        : forJsApi() ? ' (it was compiled with --js-api, for the WebAssembly namespace; compile with --js to run it here)'
          : ` (${PRECOMPILED_HINT})`;
      throw new Error(`${file}: ${e.message}${hint}`);
    }
    throw e;
  }
}

/** Whether an imported precompiled module (or its namespace) has the fingerprint compile --js-api gives with these -W options. */
function compiledForJsApi(artifact: unknown, w: WasmOptions): boolean {
  const value = artifact as { default?: { fingerprint?: unknown }; fingerprint?: unknown } | null;
  const fingerprint = value?.default?.fingerprint ?? value?.fingerprint;
  return fingerprint === new Engine(jsApiEngineConfig({ engine: engineConfig(w) })).fingerprint;
}

/**
 * Reads and compiles FILE; a missing file and an invalid module get one-line messages. A .cwasm
 * is deserialized when precompiled modules are allowed.
 */
function loadModule(engine: Engine, file: string, allowPrecompiled = false): Module {
  const contents = readFileForCli(file);
  if (isSerializedModule(contents)) {
    if (!allowPrecompiled) throw new Error(`${file}: is a precompiled module; run it with --allow-precompiled (its code is trusted, not validated again)`);
    return precompiledModule(file, () => Module.deserialize(engine, contents));
  }
  return asValidModule(file, () => new Module(engine, moduleBytes(contents, file)));
}

/**
 * Calls `func` with its parameters parsed from the first ARGS (the rest are only argv, as in
 * wasmtime run) and prints each result on a line of its own; `what` names it in errors.
 */
function invoke(store: Store, func: Func, what: string, texts: string[]): number {
  const params = func.type(store).params;
  if (texts.length < params.length) throw new UsageError(`not enough arguments for ${what}: it takes ${params.length}, got ${texts.length}`);
  const results = func.call(store, params.map((t, i) => parseArg(t, texts[i]!, i)));
  for (const r of results) console.log(show(r));
  return 0;
}

/** The store's limiter for the -W limits, or null when none was given. */
function storeLimits(w: WasmOptions) {
  if (w.maxMemorySize === null && w.maxTableElements === null && w.maxInstances === null && w.maxTables === null
    && w.maxMemories === null && !w.trapOnGrowFailure) return null;
  const b = new StoreLimitsBuilder().trapOnGrowFailure(w.trapOnGrowFailure);
  if (w.maxMemorySize !== null) b.memorySize(w.maxMemorySize);
  if (w.maxTableElements !== null) b.tableElements(w.maxTableElements);
  if (w.maxInstances !== null) b.instances(w.maxInstances);
  if (w.maxTables !== null) b.tables(w.maxTables);
  if (w.maxMemories !== null) b.memories(w.maxMemories);
  return b.build();
}

/**
 * Instantiates the program with WASI. With --preload or unknown-imports-trap the imports go through
 * a Linker (as in wasmtime run); otherwise straight from WASI, whose errors name the WASI signature.
 */
function instantiate(opts: RunOptions, engine: Engine, store: Store, wasi: Wasi, module: Module): Instance {
  if (opts.preloads.length === 0 && !opts.wasm.unknownImportsTrap && !opts.wasm.unknownImportsDefault) return wasi.instantiate(store, module);
  const linker = new Linker(engine);
  wasi.define(linker);
  for (const p of opts.preloads) {
    try {
      linker.module(store, p.name, loadModule(engine, p.file, opts.allowPrecompiled));
    } catch (e) {
      if (e instanceof LinkError) throw new Error(`${p.file}: ${e.message}`);
      throw e;
    }
  }
  if (opts.wasm.unknownImportsTrap) linker.defineUnknownImportsAsTraps(module);
  if (opts.wasm.unknownImportsDefault) linker.defineUnknownImportsAsDefaultValues(module);
  return linker.instantiate(store, module);
}

function run(opts: RunOptions, artifact: unknown): number {
  const w = opts.wasm;
  const engine = new Engine({ ...engineConfig(w), coredumpOnTrap: opts.coredump !== null });
  const store = new Store(engine);
  if (w.fuel !== null) store.setFuel(w.fuel);
  if (w.timeoutMs !== null) store.setEpochDeadline(1);
  const limits = storeLimits(w);
  if (limits !== null) store.limiter(limits);
  const module = artifact !== undefined
    ? precompiledModule(opts.file, () => Module.deserializeJs(engine, artifact as never), () => compiledForJsApi(artifact, w))
    : loadModule(engine, opts.file, opts.allowPrecompiled);
  // Started after compiling: the timeout counts the program's run (instantiation included).
  const timer = w.timeoutMs === null ? null : startEpochTimer(engine, w.timeoutMs);
  const profiler = opts.profile === null ? null : startGuestProfile(opts.profile);
  // As wasmtime run: ARGS are argv also with --invoke, and argv[0] is FILE's name without its
  // directories (not to leak the path) unless --argv0 gives one.
  const wasi = new Wasi({
    args: [opts.argv0 ?? basename(opts.file), ...opts.args],
    env: programEnv(opts.env, opts.wasi, process.env),
    preopens: Object.fromEntries(opts.dirs.map((d) => [d.guest, d.host])),
  });
  try {
    let instance: Instance;
    try {
      instance = instantiate(opts, engine, store, wasi, module);
    } catch (e) {
      if (e instanceof LinkError) throw new Error(`${opts.file}: ${e.message}`);
      throw e;
    }
    // Wasmtime's order: a reactor's "_initialize" whenever it is exported, then --invoke's
    // function, or else the export "" or "_start"; a module with none of them has run already
    // (its start function) and exits 0.
    wasi.bindInstance(instance);
    const init = instance.getFunc(store, '_initialize');
    if (init !== undefined) {
      const t = init.type(store);
      if (t.params.length !== 0 || t.results.length !== 0) throw new Error(`${opts.file}: its "_initialize" takes parameters or returns results; a reactor's takes and returns nothing`);
      init.call(store, []);
    }
    let func: Func | undefined;
    if (opts.invoke !== null) {
      const e = instance.getExport(store, opts.invoke);
      if (!(e instanceof Func)) throw new Error(`no func export named \`${opts.invoke}\` found`);
      func = e;
    } else {
      func = instance.getFunc(store, '') ?? instance.getFunc(store, '_start');
    }
    if (func === undefined) return 0;
    return invoke(store, func, opts.invoke === null ? 'command default' : `\`${opts.invoke}\``, opts.args);
  } catch (e) {
    if (e instanceof WasiExit) return exitStatus(e.code);
    if (e instanceof ThrownException) {
      const payload = e.exception.fields(store).map((v) => `${v.type} ${show(v)}`).join(', ');
      throw new Error(`${opts.file}: uncaught wasm exception${payload ? ` (payload: ${payload})` : ''}`);
    }
    const coredump = WasmCoreDump.fromError(e);
    if (opts.coredump !== null && coredump !== null) {
      // A coredump that cannot be written is reported beside the trap, which stays the outcome.
      try {
        writeFileSync(opts.coredump, coredump.serialize(store, opts.file));
        console.error(`tswasm run: core dumped at ${opts.coredump}`);
      } catch (writeError) {
        console.error(`tswasm run: could not write the coredump to ${opts.coredump}: ${messageOf(writeError)}`);
      }
    }
    throw e;
  } finally {
    wasi.close();
    void timer?.stop();
    if (profiler !== null) {
      try {
        console.error(`tswasm run: guest profile written to ${profiler.stop()}`);
      } catch (writeError) {
        console.error(`tswasm run: could not write the guest profile: ${messageOf(writeError)}`);
      }
    }
  }
}

/**
 * The process's exit status for proc_exit's code. WASI defines statuses below 126 (126 and up are
 * the shell's); as Wasmtime does, a larger one is an error rather than a status the OS would cut to
 * its low 8 bits (256 would have read as success).
 */
function exitStatus(code: number): number {
  if (code < 126) return code;
  console.error(`error: exit with invalid exit status outside of [0..126): ${code}`);
  return 1;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const command: Command = {
  summary: 'run a WASI command, or an exported function with --invoke NAME ARG...',
  run: (argv) => runCommand('run', USAGE, argv, parseArgs,
    async (opts) => run(opts, isJsFile(opts.file) ? await importPrecompiled(opts) : undefined),
    (e) => {
      if (!(e instanceof Trap)) return null;
      console.error(`error: wasm trap: ${e.code}: ${e.message}`);
      if (e.backtrace.length) console.error(`wasm backtrace:\n${formatBacktrace(e.backtrace)}`);
      return TRAP_EXIT;
    }),
};
