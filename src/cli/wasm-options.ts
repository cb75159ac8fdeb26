// `tswasm run -W KEY[=VALUE],...`: the subset of `wasmtime run -W` that tswasm supports, with
// Wasmtime's key names, so a command line written for wasmtime runs unchanged.

import type { Config, JsEngine } from '../api/index.js';
import { JS_ENGINES } from '../core/js-engine.js';

/** A bad command line (exit status 2 with the usage text). */
export class UsageError extends Error {}

/** What the -W options set; null (or false) where they were not given. */
export interface WasmOptions {
  fuel: number | null;
  timeoutMs: number | null;
  /** StoreLimits: the largest size of any one memory, in bytes. */
  maxMemorySize: number | null;
  /** StoreLimits: the largest number of elements of any one table. */
  maxTableElements: number | null;
  maxInstances: number | null;
  maxTables: number | null;
  maxMemories: number | null;
  trapOnGrowFailure: boolean;
  /** Imports nothing defines become functions that trap when called. */
  unknownImportsTrap: boolean;
  nanCanonicalization: boolean;
  /** Config.nanBoxes, or null for the engine's default. */
  nanBoxes: boolean | null;
  /** Config.splitLargeSwitches, or null for the engine's default. */
  splitLargeSwitches: boolean | null;
  /** Config.tuneForInterpreter, or null for the engine's default. */
  tuneForInterpreter: boolean | JsEngine | null;
}

export function defaultWasmOptions(): WasmOptions {
  return {
    fuel: null, timeoutMs: null, maxMemorySize: null, maxTableElements: null, maxInstances: null,
    maxTables: null, maxMemories: null, trapOnGrowFailure: false, unknownImportsTrap: false, nanCanonicalization: false,
    nanBoxes: null,
    splitLargeSwitches: null,
    tuneForInterpreter: null,
  };
}

/**
 * The engine switches the options imply: what generated code depends on, so `tswasm compile` and
 * `tswasm run --allow-precompiled` must be given the same ones.
 */
export function engineConfig(w: WasmOptions): Config {
  return {
    consumeFuel: w.fuel !== null, epochInterruption: w.timeoutMs !== null, nanCanonicalization: w.nanCanonicalization,
    ...(w.nanBoxes === null ? {} : { nanBoxes: w.nanBoxes }),
    ...(w.splitLargeSwitches === null ? {} : { splitLargeSwitches: w.splitLargeSwitches }),
    ...(w.tuneForInterpreter === null ? {} : { tuneForInterpreter: w.tuneForInterpreter }),
  };
}

export const WASM_OPTIONS_HELP = `  -W KEY[=VALUE],...    Wasmtime's -W options (also --wasm):
                          fuel=N, timeout=T              as --fuel and --timeout
                          max-memory-size=BYTES          no memory may grow past BYTES
                          max-table-elements=N           no table may grow past N elements
                          max-instances=N, max-tables=N, max-memories=N
                          trap-on-grow-failure[=y|n]     a refused memory.grow or table.grow traps
                                                         instead of returning -1
                          unknown-imports-trap[=y|n]     imports nothing defines trap when called
                          nan-canonicalization[=y|n]     float results carry the canonical NaN
                          nan-boxes[=y|n]                keep NaN bits as objects, as engines that
                                                         NaN-box need (default: this engine's need)
                          split-large-switches[=y|n]     compile interpreter-sized switch loops and
                                                         long straight code as parts, as browsers
                                                         need (default: only in functions of 48 KB
                                                         or more, since this command lifts V8's
                                                         size limit)
                          tune-for-interpreter[=y|n|v8|javascriptcore|spidermonkey]
                                                         shape the code for a JS engine without a
                                                         JIT (y: this one's; javascriptcore for
                                                         Safari's Lockdown Mode; default: whether
                                                         node runs --jitless)`;

type Setter = (opts: WasmOptions, value: string | null, key: string) => void;

const SETTERS: Readonly<Record<string, Setter>> = {
  'fuel': (o, v, k) => { o.fuel = count(k, v); },
  'timeout': (o, v, k) => { o.timeoutMs = parseDuration(required(k, v), k); },
  'max-memory-size': (o, v, k) => { o.maxMemorySize = count(k, v); },
  'max-table-elements': (o, v, k) => { o.maxTableElements = count(k, v); },
  'max-instances': (o, v, k) => { o.maxInstances = count(k, v); },
  'max-tables': (o, v, k) => { o.maxTables = count(k, v); },
  'max-memories': (o, v, k) => { o.maxMemories = count(k, v); },
  'trap-on-grow-failure': (o, v, k) => { o.trapOnGrowFailure = flag(k, v); },
  'unknown-imports-trap': (o, v, k) => { o.unknownImportsTrap = flag(k, v); },
  'nan-canonicalization': (o, v, k) => { o.nanCanonicalization = flag(k, v); },
  'nan-boxes': (o, v, k) => { o.nanBoxes = flag(k, v); },
  'split-large-switches': (o, v, k) => { o.splitLargeSwitches = flag(k, v); },
  'tune-for-interpreter': (o, v, k) => { o.tuneForInterpreter = flagOrEngine(k, v); },
};

/** Applies one -W argument ("max-memory-size=65536,trap-on-grow-failure") to `opts`. */
export function applyWasmOption(opts: WasmOptions, text: string): void {
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const setter = Object.hasOwn(SETTERS, key) ? SETTERS[key] : undefined;
    if (setter === undefined) {
      throw new UsageError(`unknown -W option "${key}" (tswasm supports ${Object.keys(SETTERS).join(', ')})`);
    }
    setter(opts, eq < 0 ? null : item.slice(eq + 1), key);
  }
}

function required(key: string, value: string | null): string {
  if (value === null || value === '') throw new UsageError(`-W ${key} needs a value (${key}=...)`);
  return value;
}

function count(key: string, value: string | null): number {
  return parseCount(required(key, value), `-W ${key}`);
}

/** A non-negative integer (underscores allowed between digits, as Wasmtime's parser allows). */
export function parseCount(text: string, option: string): number {
  // Decimal or 0x hex, as Wasmtime's option parser takes them.
  const n = /^\d+(_\d+)*$/.test(text) ? Number(text.replace(/_/g, ''))
    : /^0x[0-9a-f]+(_[0-9a-f]+)*$/i.test(text) ? Number(text.replace(/_/g, '')) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${option} needs a non-negative integer, not "${text}"`);
  return n;
}

/** A switch: bare, or y/yes/true and n/no/false. */
function flag(key: string, value: string | null): boolean {
  if (value === null || /^(y|yes|true)$/i.test(value)) return true;
  if (/^(n|no|false)$/i.test(value)) return false;
  throw new UsageError(`-W ${key} takes y or n, not "${value}"`);
}

/** y, n, or the JS engine whose interpreter the code is for. */
function flagOrEngine(key: string, value: string | null): boolean | JsEngine {
  const engine = JS_ENGINES.find((e) => e === value);
  if (engine !== undefined) return engine;
  if (value === null || /^(y|yes|true|n|no|false)$/i.test(value)) return flag(key, value);
  throw new UsageError(`-W ${key} takes y, n or ${JS_ENGINES.join(', ')}, not "${value}"`);
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms", "10s", "1.5m", "2h", or a bare number of seconds, in milliseconds. */
export function parseDuration(text: string, option = '--timeout'): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|μs|ms|s|m|h)?$/.exec(text);
  if (m === null) throw new UsageError(`${option} needs a duration such as 500ms, 10s or 2m (units ns, us, ms, s, m, h), not "${text}"`);
  return Number(m[1]) * UNIT_MS[m[2] ?? 's']!;
}

