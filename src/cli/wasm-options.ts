// `tswasm run -W KEY[=VALUE],...`: the subset of `wasmtime run -W` that tswasm supports, with
// Wasmtime's key names, so a command line written for wasmtime runs unchanged.

import type { Config, JsEngine } from '../api/index.js';
import { ALL_FEATURES, type FeatureName } from '../core/features.js';
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
  /** all-proposals: every feature on (or off) before the single switches apply; null when not given. */
  allProposals: boolean | null;
  /** The feature switches given (Config.features names). */
  features: Partial<Record<FeatureName, boolean>>;
  /** Function imports nothing defines return zeros and nulls. */
  unknownImportsDefault: boolean;
}

export function defaultWasmOptions(): WasmOptions {
  return {
    fuel: null, timeoutMs: null, maxMemorySize: null, maxTableElements: null, maxInstances: null,
    maxTables: null, maxMemories: null, trapOnGrowFailure: false, unknownImportsTrap: false, nanCanonicalization: false,
    nanBoxes: null,
    splitLargeSwitches: null,
    tuneForInterpreter: null,
    allProposals: null, features: {}, unknownImportsDefault: false,
  };
}

/** The Config.features the switches give: all-proposals first, then each switch, as Wasmtime applies them. */
function featureSwitches(w: WasmOptions): Partial<Record<FeatureName, boolean>> {
  const all: Partial<Record<FeatureName, boolean>> = {};
  if (w.allProposals !== null) {
    for (const name of Object.keys(ALL_FEATURES) as FeatureName[]) if (name !== 'mvp') all[name] = w.allProposals;
  }
  return { ...all, ...w.features };
}

/**
 * The engine switches the options imply: what generated code depends on, so `tswasm compile` and
 * `tswasm run --allow-precompiled` must be given the same ones.
 */
export function engineConfig(w: WasmOptions): Config {
  const features = featureSwitches(w);
  return {
    consumeFuel: w.fuel !== null, epochInterruption: w.timeoutMs !== null, nanCanonicalization: w.nanCanonicalization,
    ...(Object.keys(features).length === 0 ? {} : { features }),
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
                          unknown-imports-default[=y|n]  functions imported and defined nowhere
                                                         return zeros and nulls
                          FEATURE[=y|n]                  a Wasm feature on or off: all-proposals,
                                                         bulk-memory, custom-page-sizes, exceptions,
                                                         extended-const, function-references, gc,
                                                         memory64, multi-memory, multi-value,
                                                         reference-types, relaxed-simd, simd,
                                                         tail-call, threads, wide-arithmetic
                                                         (default: Wasm 3.0); shared-memory and
                                                         relaxed-simd-deterministic are taken and
                                                         change nothing (threads makes memories
                                                         shareable; relaxed SIMD is deterministic)
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

/** Sets what one KEY[=VALUE] of an option group means; `key` names it in errors. */
export type Setter<T> = (opts: T, value: string | null, key: string) => void;

/** Wasmtime's kebab-case feature switches and the Config.features names they set. */
const FEATURE_SWITCHES: Readonly<Record<string, readonly FeatureName[]>> = {
  'bulk-memory': ['bulk_memory'], 'custom-page-sizes': ['custom_page_sizes'],
  // Wasmtime has no legacy exception handling: its switch is for exceptions of either kind here.
  'exceptions': ['exceptions', 'legacy_exceptions'], 'extended-const': ['extended_const'],
  'function-references': ['function_references'], 'gc': ['gc'], 'memory64': ['memory64'],
  'multi-memory': ['multi_memory'], 'multi-value': ['multi_value'], 'reference-types': ['reference_types'],
  'relaxed-simd': ['relaxed_simd'], 'simd': ['simd'], 'tail-call': ['tail_call'], 'threads': ['threads'],
  'wide-arithmetic': ['wide_arithmetic'],
};

const SETTERS: Readonly<Record<string, Setter<WasmOptions>>> = {
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
  'unknown-imports-default': (o, v, k) => { o.unknownImportsDefault = flag(k, v); },
  'all-proposals': (o, v, k) => { o.allProposals = flag(k, v); },
  'shared-memory': (_o, v, k) => { flag(k, v); },
  'relaxed-simd-deterministic': (_o, v, k) => { flag(k, v); },
  ...Object.fromEntries(Object.entries(FEATURE_SWITCHES).map(([key, names]): [string, Setter<WasmOptions>] => [key, (o, v, k) => {
    const on = flag(k, v);
    for (const name of names) o.features[name] = on;
  }])),
};

/** Applies one -W argument ("max-memory-size=65536,trap-on-grow-failure") to `opts`. */
export function applyWasmOption(opts: WasmOptions, text: string): void {
  applyOptions('-W', SETTERS, opts, text);
}

/**
 * Applies one argument of an option group (`-W`, `-S`, ...: comma-separated KEY[=VALUE] items,
 * Wasmtime's form) through the group's setters; an unknown key names the ones there are.
 */
export function applyOptions<T>(group: string, setters: Readonly<Record<string, Setter<T>>>, opts: T, text: string): void {
  for (const item of text.split(',')) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const setter = Object.hasOwn(setters, key) ? setters[key] : undefined;
    if (setter === undefined) {
      throw new UsageError(`unknown ${group} option "${key}" (tswasm supports ${Object.keys(setters).join(', ')})`);
    }
    setter(opts, eq < 0 ? null : item.slice(eq + 1), `${group} ${key}`);
  }
}

function required(key: string, value: string | null): string {
  if (value === null || value === '') throw new UsageError(`${key} needs a value (${key.slice(key.indexOf(' ') + 1)}=...)`);
  return value;
}

function count(key: string, value: string | null): number {
  return parseCount(required(key, value), key);
}

/** A non-negative integer (underscores allowed between digits, as Wasmtime's parser allows). */
export function parseCount(text: string, option: string): number {
  // Decimal or 0x hex, as Wasmtime's option parser takes them.
  const n = /^\d+(_\d+)*$/.test(text) ? Number(text.replace(/_/g, ''))
    : /^0x[0-9a-f]+(_[0-9a-f]+)*$/i.test(text) ? Number(text.replace(/_/g, '')) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${option} needs a non-negative integer, not "${text}"`);
  return n;
}

/** A switch: bare, or y/yes/true and n/no/false. `key` is the group and key ("-W simd"). */
export function flag(key: string, value: string | null): boolean {
  if (value === null || /^(y|yes|true)$/i.test(value)) return true;
  if (/^(n|no|false)$/i.test(value)) return false;
  throw new UsageError(`${key} takes y or n, not "${value}"`);
}

/** y, n, or the JS engine whose interpreter the code is for. */
function flagOrEngine(key: string, value: string | null): boolean | JsEngine {
  const engine = JS_ENGINES.find((e) => e === value);
  if (engine !== undefined) return engine;
  if (value === null || /^(y|yes|true|n|no|false)$/i.test(value)) return flag(key, value);
  throw new UsageError(`${key} takes y, n or ${JS_ENGINES.join(', ')}, not "${value}"`);
}

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "500ms", "10s", "1.5m", "2h", or a bare number of seconds, in milliseconds. */
export function parseDuration(text: string, option = '--timeout'): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|μs|ms|s|m|h)?$/.exec(text);
  if (m === null) throw new UsageError(`${option} needs a duration such as 500ms, 10s or 2m (units ns, us, ms, s, m, h), not "${text}"`);
  return Number(m[1]) * UNIT_MS[m[2] ?? 's']!;
}

