// Engine configuration (Wasmtime's Config): which features are on, how code is compiled, fuel and
// epoch interruption, NaN canonicalisation, the optional wasm call-depth limit and serialisation keys.

import { boxesNaNs } from '../core/nan-boxing.js';
import { JS_ENGINES, thisJsEngine, type JsEngine } from '../core/js-engine.js';
import { largeFunctionsOptimised } from '../core/large-functions.js';
import { checkOptionNames } from '../core/options.js';
import { WASM3_FEATURES, withFeatures, type FeatureName, type WasmFeatures } from '../core/features.js';
import { utf8Bytes } from '../core/utf8.js';

/** When generated JS is made: per function on first call, or for the whole module up front. */
export type CompilationMode = 'lazy' | 'eager';

/** Engine configuration (Wasmtime's Config); every field is optional. */
export interface Config {
  /** Feature switches on top of Wasm 3.0 (Wasmtime's `wasm_*`), e.g. `{ threads: true, simd: false }`. */
  readonly features?: Partial<Record<FeatureName, boolean>>;
  /**
   * 'lazy' (default): each function's JS is generated and evaluated on its first call; 'eager':
   * the whole module's JS when the Module is created. Both validate when the Module is created.
   */
  readonly compilation?: CompilationMode;
  /**
   * Maximum nesting of wasm calls before a StackOverflow trap. Unset: the JS engine's own stack
   * limit decides (and costs nothing); set: every call counts (about a third slower on call-heavy code).
   */
  readonly maxWasmStack?: number | null;
  /**
   * Wasmtime's `consume_fuel`: generated code subtracts the cost of what it executes from the
   * store's fuel (`Store.setFuel`) and traps with `OutOfFuel` when it runs out. Costs are
   * Wasmtime's: 1 per instruction (nop, drop, block, loop, end, else, unreachable and return are
   * free), 1 per function invocation, and 1 per byte or element a bulk operation is asked for.
   * Off by default (counting costs time); `Store.getFuel/setFuel` throw while it is off.
   */
  readonly consumeFuel?: boolean;
  /**
   * Wasmtime's `epoch_interruption`: generated code compares the engine's epoch counter with the
   * store's deadline at function entries and loop headers, and traps with `Interrupt` (or asks the
   * store's epoch-deadline callback) once the deadline is reached. Off by default.
   */
  readonly epochInterruption?: boolean;
  /**
   * Wasmtime's `cranelift_nan_canonicalization`: every float result that is NaN becomes the
   * canonical NaN, so results do not depend on NaN propagation details. Off by default (tswasm's
   * NaN bits are already exact; this makes them canonical).
   */
  readonly nanCanonicalization?: boolean;
  /**
   * Carry float values whose NaN bits a JS number would lose as NaNBox objects, so that NaN payloads
   * and signs stay exact on JS engines that NaN-box their values (JavaScriptCore, SpiderMonkey).
   * Default: on where this engine does so (probed once), off on V8, whose numbers keep NaN bits.
   * Turn it on to precompile modules (Module.serializeJs, tswasm compile --js) that keep NaN bits
   * on every engine; such code also runs exactly on V8. Modules compiled with and without it refuse
   * each other's engines when deserialized. It cannot be turned off where the engine needs it.
   */
  readonly nanBoxes?: boolean;
  /**
   * Compile the cases of a very large `switch` loop (an interpreter's, as in SQLite and QuickJS:
   * functions of 16 KB or more of wasm whose switch spans 8 KB or more) as separate JS functions.
   * JS engines do not optimise a function that large (its JS is ten times the size), so it would
   * run in their interpreters; its parts are optimised. Where the engine optimises the whole
   * function instead, that is faster: measured on Node with the limit lifted, sql.js 61-76 ms per
   * run whole against 87-94 split, QuickJS 107 against 142-146; without it, sql.js runs at 15.9x
   * native whole and 3.4x split. Split code is optimised sooner, so even with the limit lifted the
   * first runs are faster split (sql.js's first two 741 and 204 ms against 944 and 346 whole): a
   * host that runs a program only a few times may prefer it on. Default: on, unless this process has lifted V8's limit (tswasm/node's tuneV8,
   * which the tswasm command applies); even then, left unset, the switch of a huge function (48 KB
   * or more of wasm, such as CPython's evaluation loop in Pyodide) is split, since TurboFan takes
   * seconds to compile one and starts over at each path it had not seen run (Pyodide's Python ran
   * 7x faster split). The same switch cuts other long code (split-linear.ts): the innermost block,
   * loop or body of about 12 KB of wasm or more (3 KB of i64 code), when the function has no such
   * switch, is compiled as parts of about 32 KB of JS each, cut between instructions. Without the
   * limit lifted such code ran hundreds of times slower than native (hash-wasm's sha512 519x,
   * blake2b 535x on Node 20; cut, 6.3x and 10.2x; Chromium 150 optimises them whole after seconds,
   * and cut its first MiB of sha512 takes 0.3 s instead of 2.1); with it lifted, whole is faster once TurboFan has compiled it
   * (5.8x and 7.2x), which takes seconds for the largest. Turn it on to precompile modules for browsers
   * (Module.serializeJs, tswasm compile --js -W split-large-switches). It changes only how fast
   * the code runs, so serialized modules do not record it: a module keeps the code it was compiled
   * with. Go's dispatch loops are split too, even when it is off: engines give up on those even with the limit lifted.
   * With tuneForInterpreter, left unset, nothing is split (Go's loops neither): parts are for a
   * JIT, and an interpreter only pays for their calls (under `node --jitless`, QuickJS took about a
   * third less time whole, sql.js 10-15% less).
   */
  readonly splitLargeSwitches?: boolean;
  /**
   * Shape the generated code for a JS engine that runs it without a JIT compiler (V8's `--jitless`,
   * Safari's Lockdown Mode, embedded engines such as QuickJS or Hermes): checks that a JIT would
   * inline from a helper are written inline, since without one every call costs more than the
   * check (call_indirect's table lookup: the dispatch kernel 13% faster under `node --jitless`, 3-6%
   * slower with V8's JIT), and byte loads and stores index the memory's Uint8Array instead of
   * calling its DataView (the lz77 kernel about 25% faster under `node --jitless`), and Math.fround
   * and Math.imul are called through bindings of their own (f32 and matmul kernels 10-15%), and
   * large switch loops stay whole (splitLargeSwitches). Default: on where this JS engine has no WebAssembly of its own when
   * tswasm is loaded (engines without a JIT have none), off elsewhere. It changes only how fast the
   * code runs, so serialized modules do not record it.
   *
   * What is cheap differs between interpreters, so the code is shaped for one engine's: `true` (and
   * the default) for the engine running tswasm, or name one (`'v8'`, `'javascriptcore'`,
   * `'spidermonkey'`) to precompile for it. In JavaScriptCore's (Safari's Lockdown Mode) byte stores
   * call the DataView and `i64.rem_u` keeps its quotient estimate, since there a typed-array store
   * and a double `%` cost more (sql.js 8% and the i64 kernel 13% faster so, under `jsc
   * --useJIT=false`); in SpiderMonkey's `i64.rem_u` keeps its estimate too (the i64 kernel 12%
   * faster in its baseline interpreter). Engines not told apart (QuickJS, Hermes) get V8's shape.
   */
  readonly tuneForInterpreter?: boolean | JsEngine;
  /**
   * Wasmtime's `async_support`: host functions may be async (`Linker.funcWrapAsync`,
   * `Func.wrapAsync`: they return a promise, and the wasm stack that called them waits for it,
   * suspended), and an epoch deadline may yield to the event loop
   * (`Store.epochDeadlineAsyncYieldAndUpdate`). Call exports with `callAsync` and instantiate
   * with `instantiateAsync` to let them suspend; a synchronous call that would suspend fails with
   * an error instead. Generated code is then made of generator functions, which costs speed
   * (README, Speed). Off by default. Not available to the WebAssembly namespace.
   */
  readonly asyncSupport?: boolean;
  /**
   * Key for signing serialized modules (HMAC-SHA-256). With a key, `Module.serialize` signs and
   * `Module.deserialize` refuses any blob whose signature does not verify under this key; without
   * one, blobs carry only an unkeyed SHA-256 checksum (catches corruption, not tampering).
   */
  readonly serializationKey?: Uint8Array | string | null;
  /** Receives the generated JS of every module (or `true` to print it to the console). */
  readonly debugSource?: boolean | ((moduleName: string | null, source: string) => void);
  /**
   * Wasmtime's `coredump_on_trap`: a Trap leaving wasm carries a WasmCoreDump of its store
   * (`WasmCoreDump.fromError`), which serializes to the standard Wasm coredump format. Stores then
   * keep every instance and every memory and global the host creates, for as long as they live.
   * Off by default.
   */
  readonly coredumpOnTrap?: boolean;
}

/** A Config with every default filled in (Engine.config). */
export interface ResolvedConfig {
  /** Every feature switch, resolved. */
  readonly features: WasmFeatures;
  /** Lazy or eager compilation. */
  readonly compilation: CompilationMode;
  /** The call-depth limit, or null for the JS stack's own. */
  readonly maxWasmStack: number | null;
  /** Count fuel in generated code (Config.consumeFuel). */
  readonly consumeFuel: boolean;
  /** Check the epoch deadline in generated code (Config.epochInterruption). */
  readonly epochInterruption: boolean;
  /** Canonicalise NaN results of float operations (Config.nanCanonicalization). */
  readonly nanCanonicalization: boolean;
  /** Carry NaNs a JS number would lose as NaNBoxes (Config.nanBoxes). */
  readonly nanBoxes: boolean;
  /** Split very large switch loops and long straight code into parts (Config.splitLargeSwitches). */
  readonly splitLargeSwitches: boolean;
  /** Split the switch loops and long straight code of huge functions even so (Config.splitLargeSwitches left unset). */
  readonly splitHugeSwitches: boolean;
  /** Code shaped for an engine without a JIT (Config.tuneForInterpreter). */
  readonly tuneForInterpreter: boolean;
  /** Whose interpreter tuned code is shaped for (Config.tuneForInterpreter); null when not tuned. */
  readonly interpreter: JsEngine | null;
  /** Host functions may suspend wasm (Config.asyncSupport). */
  readonly asyncSupport: boolean;
  /** The serialization key as bytes (UTF-8 for a string), or null. */
  readonly serializationKey: Uint8Array | null;
  /** Receives generated JS, or null. */
  readonly debugSource: ((moduleName: string | null, source: string) => void) | null;
  /** Attach a WasmCoreDump to traps (Config.coredumpOnTrap). */
  readonly coredumpOnTrap: boolean;
}

const OPTIONS: readonly (keyof Config)[] = [
  'features', 'compilation', 'maxWasmStack', 'consumeFuel', 'epochInterruption', 'nanCanonicalization',
  'nanBoxes', 'splitLargeSwitches', 'tuneForInterpreter', 'asyncSupport', 'serializationKey', 'debugSource', 'coredumpOnTrap',
];

/** Throws a TypeError for what a Config cannot be: a typo or a wrong type is never silently ignored. */
function checkConfig(config: unknown): asserts config is Config {
  checkOptionNames(config, OPTIONS, 'Config', 'Config');
  const c = config as Record<string, unknown>;
  for (const key of ['consumeFuel', 'epochInterruption', 'nanCanonicalization', 'nanBoxes', 'splitLargeSwitches', 'asyncSupport', 'coredumpOnTrap'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'boolean') throw new TypeError(`Config.${key} must be a boolean`);
  }
  const tune = c.tuneForInterpreter;
  if (tune !== undefined && typeof tune !== 'boolean' && !JS_ENGINES.includes(tune as JsEngine)) {
    throw new TypeError(`Config.tuneForInterpreter must be a boolean or one of ${JS_ENGINES.map((e) => `'${e}'`).join(', ')}, not ${JSON.stringify(tune)}`);
  }
  if (c.compilation !== undefined && c.compilation !== 'lazy' && c.compilation !== 'eager') {
    throw new TypeError(`Config.compilation must be 'lazy' or 'eager', not ${JSON.stringify(c.compilation)}`);
  }
  const key = c.serializationKey;
  if (key != null && typeof key !== 'string' && !(key instanceof Uint8Array)) throw new TypeError('Config.serializationKey must be a string or a Uint8Array');
  // An empty key would sign with a key anyone has (an environment variable set but empty, say).
  if (key != null && key.length === 0) throw new TypeError('Config.serializationKey must not be empty');
  if (c.debugSource !== undefined && typeof c.debugSource !== 'boolean' && typeof c.debugSource !== 'function') {
    throw new TypeError('Config.debugSource must be a boolean or a function');
  }
  const features = c.features;
  if (features === undefined) return;
  if (typeof features !== 'object' || features === null) throw new TypeError('Config.features must be an object of feature switches');
  for (const [name, on] of Object.entries(features)) {
    if (!(name in WASM3_FEATURES)) throw new TypeError(`Config.features: unknown feature "${name}" (known: ${Object.keys(WASM3_FEATURES).join(', ')})`);
    if (typeof on !== 'boolean') throw new TypeError(`Config.features.${name} must be a boolean`);
  }
}

/**
 * Whether this JS engine had no WebAssembly of its own when tswasm was loaded (before
 * tswasm/register could install tswasm's): then it runs without a JIT (Config.tuneForInterpreter).
 */
const WITHOUT_NATIVE_WEBASSEMBLY = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'undefined';

/** Fills in defaults and checks values (maxWasmStack must be a positive integer). */
export function resolveConfig(config: Config = {}): ResolvedConfig {
  checkConfig(config);
  const debug = config.debugSource;
  const key = config.serializationKey;
  const stack = config.maxWasmStack ?? null;
  // Code without boxes would meet the boxes this engine's runtime makes, and mishandle them.
  if (config.nanBoxes === false && boxesNaNs()) throw new TypeError('Config.nanBoxes cannot be false on this JavaScript engine: it NaN-boxes its own values or quiets signalling NaNs in optimised code, so wasm NaN bits need NaNBoxes here');
  if (stack !== null && !(Number.isInteger(stack) && stack > 0)) throw new RangeError('Config.maxWasmStack must be a positive integer');
  const tune = config.tuneForInterpreter ?? WITHOUT_NATIVE_WEBASSEMBLY;
  const tuned = tune !== false;
  return {
    features: withFeatures(WASM3_FEATURES, config.features ?? {}),
    compilation: config.compilation ?? 'lazy',
    maxWasmStack: stack,
    consumeFuel: config.consumeFuel === true,
    epochInterruption: config.epochInterruption === true,
    nanCanonicalization: config.nanCanonicalization === true,
    nanBoxes: config.nanBoxes ?? boxesNaNs(),
    splitLargeSwitches: config.splitLargeSwitches ?? (tuned ? false : !largeFunctionsOptimised()),
    splitHugeSwitches: config.splitLargeSwitches === undefined && !tuned,
    tuneForInterpreter: tuned,
    interpreter: tune === false ? null : tune === true ? thisJsEngine() : tune,
    asyncSupport: config.asyncSupport === true,
    serializationKey: key == null ? null : typeof key === 'string' ? utf8Bytes(key) : new Uint8Array(key),
    debugSource: debug === true ? (name, src) => console.log(`// module ${name ?? '(unnamed)'}\n${src}`)
      : typeof debug === 'function' ? debug : null,
    coredumpOnTrap: config.coredumpOnTrap === true,
  };
}
