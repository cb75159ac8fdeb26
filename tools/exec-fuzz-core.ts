// The runner of the differential execution fuzzer: instantiates a generated module (see
// exec-fuzz-gen.ts) on Node's native WebAssembly and on tswasm three times (lazy compilation,
// eager compilation, and one of the VARIANTS below in turn), makes the planned calls on all four
// and compares, after every call, the outcome (results or trap), every global (through the
// module's "dump" export) and all of memory; and it prints the module, parses the text back and
// checks that it prints the same. A module that imports host functions runs instead on
// Node's namespace and on tswasm's JS API (createWebAssembly), both given the same host functions
// (hostFunctions below: they throw JS exceptions wasm may catch, grow memory and re-enter the
// module), since tswasm's embedding API treats a host function's exception as a trap by design.
// Modules without host functions then run their calls again with fuel (compareFuelRuns): exactly
// what each costs must be enough, one unit less must not.
//
// Comparison rules:
//   - results: exact, integers and float bits alike; the one exception is a float result of a
//     module generated in 'raw' NaN mode that is a NaN on both sides (the spec lets arithmetic
//     return any NaN, and the generator keeps such NaNs away from everything else; see the header
//     of exec-fuzz-gen.ts). In 'canon' mode arithmetic NaNs are canonicalised in the wasm code
//     itself, so NaN bits are compared exactly too (they come only from bit-preserving operations);
//     a v128 result arrives as two i64 halves (see exec-fuzz-gen.ts) and is compared exactly, as
//     is every SIMD-computed value that reaches memory, globals or integer results;
//   - traps: V8's RuntimeError message must map to tswasm's TrapCode (TRAP_CODES below), and
//     every tswasm configuration must raise the same code;
//   - a host function's exception that reaches the caller: the same one on both sides;
//   - globals and memory: exact, after returns and after traps alike.
// A module the native engine rejects is a generator bug ("invalid"); one tswasm rejects but V8
// accepts is a mismatch. Stack exhaustion cannot happen (the generator bounds calls and loops), but
// if both engines hit it the call is skipped, with a reason.

import { Engine, Instance, Module, Store, ThrownException, Trap, TrapCode, UpdateDeadline, Val, type Config, type Func, type Memory } from '../src/index.js';
import { createWebAssembly } from '../src/jsapi/index.js';
import { parseWat, printModule } from '../src/text/index.js';
import { RuntimeError, TRAP_MESSAGES, type FrameInfo } from '../src/core/errors.js';
import { frameOffsetProblem } from './exec-fuzz-offsets.js';
import { decodeModule } from '../src/binary/decoder.js';
import { readOpcode, skipImmediates } from '../src/binary/instructions.js';
import { OPCODES } from '../src/binary/opcodes.js';
import { ByteReader } from '../src/binary/reader.js';
import { WASM3_FEATURES, withFeatures } from '../src/core/features.js';
import { F32, F64, I32, I64, Rng, generateModule, isFloat, moduleSeed, typeName, type ExportPlan, type GenOptions, type ModulePlan, type NumType } from './exec-fuzz-gen.js';

// Node 20's engine runs memory64 (which a quarter of the modules use), typed function references
// (in the proposal's older encoding: ModulePlan.nativeBytes) and extended constant expressions only
// behind these flags.
/** Node 20's engine reads typed function references in the proposal's older encoding; Node 22's on, the final one. */
const NATIVE_OLD_ENCODING = typeof process === 'undefined' || Number(process.versions?.node?.split('.')[0] ?? 20) < 22;

// Only under Node: the runner's transcripts also run in other engines' shells (tools/js-shell-replay.mjs).
if (typeof process !== 'undefined' && process.versions?.node !== undefined) {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--experimental-wasm-memory64');
  setFlagsFromString('--experimental-wasm-typed-funcref');
  // br_on_non_null is under the GC flag in Node 20's engine.
  setFlagsFromString('--experimental-wasm-gc');
  setFlagsFromString('--experimental-wasm-extended-const');
}

/** The little of Node's own WebAssembly namespace the runner uses (the project's lib has no DOM types). */
interface NativeWasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  RuntimeError: new (...args: never[]) => Error;
}
const native = (globalThis as unknown as { WebAssembly: NativeWasm }).WebAssembly;

/**
 * The trap code of one of tswasm's trap messages (its JS API shows traps by message only, as
 * engines do): TRAP_MESSAGES read backwards, plus the call_indirect messages that name the case
 * ("undefined element" past the table's end, "uninitialized element N" for a null slot), and
 * call_ref's "null function reference".
 */
const CODE_OF_MESSAGE = new Map(Object.entries(TRAP_MESSAGES).map(([code, message]) => [message, code as TrapCode]));
function codeOfMessage(message: string): TrapCode | undefined {
  if (message === 'undefined element') return TrapCode.TableOutOfBounds;
  // call_ref's and the GC instructions' null messages (null structure/array/i31/exception reference).
  if (/^null (function|structure|array|i31|exception|descriptor) reference$/.test(message)) return TrapCode.NullReference;
  return CODE_OF_MESSAGE.get(message.replace(/ \d+$/, ''));
}

/** V8's trap messages and the tswasm trap codes each may correspond to. */
export const TRAP_CODES: Readonly<Record<string, readonly TrapCode[]>> = {
  'unreachable': [TrapCode.UnreachableCodeReached],
  // An atomic access both misaligned and out of bounds: V8 reports the bounds, tswasm the alignment;
  // a wait on the unshared memory at an address out of bounds: V8 the bounds, tswasm the memory.
  // tswasm checks in the threads proposal's reference interpreter's order: alignment, shared, bounds.
  'memory access out of bounds': [TrapCode.MemoryOutOfBounds, TrapCode.DataSegmentOutOfBounds, TrapCode.HeapMisaligned, TrapCode.AtomicWaitNonSharedMemory],
  'operation does not support unaligned accesses': [TrapCode.HeapMisaligned],
  // memory.atomic.wait32/64 on an unshared memory (V8 says the same where waiting is not allowed).
  'Atomics.wait cannot be called in this context': [TrapCode.AtomicWaitNonSharedMemory],
  'divide by zero': [TrapCode.IntegerDivisionByZero],
  'remainder by zero': [TrapCode.IntegerDivisionByZero],
  'divide result unrepresentable': [TrapCode.IntegerOverflow],
  // V8 uses one message for NaN (BadConversionToInteger) and out-of-range (IntegerOverflow) inputs.
  'float unrepresentable in integer range': [TrapCode.IntegerOverflow, TrapCode.BadConversionToInteger],
  'data segment out of bounds': [TrapCode.MemoryOutOfBounds, TrapCode.DataSegmentOutOfBounds],
  'table index is out of bounds': [TrapCode.TableOutOfBounds, TrapCode.ElementSegmentOutOfBounds],
  // table.init, whether the table or the segment range is out of bounds.
  'element segment out of bounds': [TrapCode.TableOutOfBounds, TrapCode.ElementSegmentOutOfBounds],
  'null function or function signature mismatch': [TrapCode.IndirectCallToNull, TrapCode.BadSignature, TrapCode.UninitializedElement],
  // Node 26's V8 (14.6) also says this for a call_indirect of a null slot.
  'function signature mismatch': NATIVE_OLD_ENCODING ? [TrapCode.BadSignature] : [TrapCode.BadSignature, TrapCode.IndirectCallToNull, TrapCode.UninitializedElement],
  // Chromium 150's call_indirect of a null slot.
  'null function': [TrapCode.IndirectCallToNull, TrapCode.UninitializedElement],
  // call_ref, return_call_ref or ref.as_non_null of null.
  'dereferencing a null pointer': [TrapCode.NullReference],
  // Wasm GC (tools/gc-fuzz.ts, against Chromium's V8).
  'illegal cast': [TrapCode.CastFailure],
  'array element access out of bounds': [TrapCode.ArrayOutOfBounds],
  // array.new_data / array.new_elem of 2^31 elements or more past the segment's end: V8 checks its
  // size limit first, the spec (which has no limit) only the segment's range.
  'requested new array is too large': [TrapCode.AllocationTooLarge, TrapCode.MemoryOutOfBounds, TrapCode.DataSegmentOutOfBounds, TrapCode.TableOutOfBounds, TrapCode.ElementSegmentOutOfBounds],
  // throw_ref of null.
  'rethrowing null value': [TrapCode.NullReference],
};

/** The 'host' outcome of a wasm exception that no wasm code caught (a ThrownException, a WebAssembly.Exception). */
export const UNCAUGHT_WASM_EXCEPTION = 'uncaught wasm exception';

export type Outcome =
  | { readonly kind: 'values'; readonly values: readonly bigint[] }
  /** `frames`: the backtrace of a trap of tswasm's embedding API (whose offsets are checked). */
  | { readonly kind: 'trap'; readonly what: string; readonly frames?: readonly FrameInfo[] }
  /** A HostError thrown by one of the runner's host functions reached the caller. */
  | { readonly kind: 'host'; readonly what: string }
  | { readonly kind: 'stack' }
  | { readonly kind: 'crash'; readonly message: string };

export interface Mismatch {
  readonly seed: number;
  readonly module: number;
  readonly engine: string;
  /** The export, the generated function it wraps, and its arguments (as text). */
  readonly call: string;
  readonly detail: string;
  readonly bytes: Uint8Array;
}

export interface Stats {
  modules: number;
  calls: number;
  /** Calls whose outcome, globals and memory were equal on all three (NaN-relaxed ones included). */
  equal: number;
  /** Equal calls where a float result was NaN on both sides with different bits ('raw' mode). */
  nanRelaxed: number;
  /** Equal calls by outcome: "return" or the trap code. */
  outcomes: Record<string, number>;
  skipped: Record<string, number>;
  /** Modules the native engine rejected: bugs in the generator. */
  invalid: { seed: number; module: number; message: string; bytes: Uint8Array }[];
  mismatches: Mismatch[];
  modes: Record<string, number>;
  /** Modules generated with SIMD. */
  simdModules: number;
  memory64Modules: number;
  funcRefModules: number;
  extendedConstModules: number;
  atomicsModules: number;
  /** Calls repeated with exactly the fuel they cost, and the last of each module's with one less (compareFuelRuns). */
  fuelCalls: number;
  outOfFuel: number;
  /** How often each instruction occurs in the generated functions (static coverage). */
  instructions: Record<string, number>;
}

export function newStats(): Stats {
  return { modules: 0, calls: 0, equal: 0, nanRelaxed: 0, outcomes: {}, skipped: {}, invalid: [], mismatches: [], modes: {}, simdModules: 0, memory64Modules: 0, funcRefModules: 0, extendedConstModules: 0, atomicsModules: 0, fuelCalls: 0, outOfFuel: 0, instructions: {} };
}

const bump = (r: Record<string, number>, k: string) => (r[k] = (r[k] ?? 0) + 1);

function widthOf(t: NumType): number {
  return t === I32 || t === F32 ? 32 : 64;
}
function isNaNBits(t: NumType, v: bigint): boolean {
  if (t === F32) return (v & 0x7f800000n) === 0x7f800000n && (v & 0x7fffffn) !== 0n;
  if (t === F64) return (v & 0x7ff0000000000000n) === 0x7ff0000000000000n && (v & 0xfffffffffffffn) !== 0n;
  return false;
}
function isQuietNaN(t: NumType, v: bigint): boolean {
  return isNaNBits(t, v) && (t === F32 ? (v & 0x400000n) !== 0n : (v & 0x8000000000000n) !== 0n);
}
const hexOf = (t: NumType, v: bigint) => `${typeName(t)}:0x${BigInt.asUintN(widthOf(t), v).toString(16)}`;

/** The wrapper's parameter types: integers in place of floats. */
const asInt = (t: NumType): NumType => (t === F32 ? I32 : t === F64 ? I64 : t);

function nativeArgs(types: readonly NumType[], args: readonly bigint[]): (number | bigint)[] {
  return args.map((a, i) => (asInt(types[i]!) === I32 ? Number(BigInt.asIntN(32, a)) : BigInt.asIntN(64, a)));
}
function tsArgs(types: readonly NumType[], args: readonly bigint[]): Val[] {
  return args.map((a, i) => (asInt(types[i]!) === I32 ? Val.i32(Number(BigInt.asIntN(32, a))) : Val.i64(a)));
}
/** Results as unsigned bit patterns of their (original) types. */
function normalize(types: readonly NumType[], raw: readonly (number | bigint)[]): bigint[] {
  return raw.map((v, i) => BigInt.asUintN(widthOf(types[i]!), BigInt(v)));
}

/** A call through a WebAssembly namespace: Node's (traps by message) or tswasm's JS API (traps by code). */
export function namespaceCall(f: (...a: unknown[]) => unknown, types: readonly NumType[], results: readonly NumType[], args: readonly bigint[]): Outcome {
  try {
    const r = f(...nativeArgs(types, args));
    const list = results.length === 0 ? [] : results.length === 1 ? [r] : (r as unknown[]);
    return { kind: 'values', values: normalize(results, list as (number | bigint)[]) };
  } catch (e) {
    return namespaceFailure(e);
  }
}

/** namespaceCall for a function made by `promising` (a JSPI namespace). */
async function promisingCall(f: (...a: unknown[]) => Promise<unknown>, types: readonly NumType[], results: readonly NumType[], args: readonly bigint[]): Promise<Outcome> {
  try {
    const r = await f(...nativeArgs(types, args));
    const list = results.length === 0 ? [] : results.length === 1 ? [r] : (r as unknown[]);
    return { kind: 'values', values: normalize(results, list as (number | bigint)[]) };
  } catch (e) {
    return namespaceFailure(e);
  }
}

function namespaceFailure(e: unknown): Outcome {
  if (e instanceof HostError) return { kind: 'host', what: e.message };
  // A WebAssembly.Exception (Node's or tswasm's JS API's: an object with `is` and `getArg`).
  if (e instanceof Object && typeof (e as { is?: unknown }).is === 'function' && typeof (e as { getArg?: unknown }).getArg === 'function') return { kind: 'host', what: UNCAUGHT_WASM_EXCEPTION };
  if (e instanceof native.RuntimeError) return { kind: 'trap', what: e.message };
  // tswasm's JS API throws its traps as plain RuntimeErrors with the spec's messages.
  const code = e instanceof RuntimeError ? codeOfMessage(e.message) : undefined;
  if (code !== undefined) return { kind: 'trap', what: code };
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { kind: 'stack' };
  return { kind: 'crash', message: String((e as Error)?.stack ?? e) };
}

export function tsCall(store: Store, f: Func, types: readonly NumType[], results: readonly NumType[], args: readonly bigint[]): Outcome {
  try {
    const r = f.call(store, tsArgs(types, args));
    return { kind: 'values', values: normalize(results, r.map((v) => v.value as number | bigint)) };
  } catch (e) {
    return tsFailure(e);
  }
}

async function tsCallAsync(store: Store, f: Func, types: readonly NumType[], results: readonly NumType[], args: readonly bigint[]): Promise<Outcome> {
  try {
    const r = await f.callAsync(store, tsArgs(types, args));
    return { kind: 'values', values: normalize(results, r.map((v) => v.value as number | bigint)) };
  } catch (e) {
    return tsFailure(e);
  }
}

function tsFailure(e: unknown): Outcome {
  if (e instanceof Trap) return e.code === TrapCode.StackOverflow ? { kind: 'stack' } : { kind: 'trap', what: e.code, frames: e.backtrace };
  if (e instanceof ThrownException) return { kind: 'host', what: UNCAUGHT_WASM_EXCEPTION };
  return { kind: 'crash', message: String((e as Error)?.stack ?? e) };
}

function showOutcome(o: Outcome, types: readonly NumType[]): string {
  switch (o.kind) {
    case 'values': return `[${o.values.map((v, i) => hexOf(types[i]!, v)).join(', ')}]`;
    case 'trap': return `trap ${o.what}`;
    case 'host': return `host exception "${o.what}"`;
    case 'stack': return 'stack exhausted';
    case 'crash': return `exception ${o.message}`;
  }
}

/**
 * Compares a tswasm outcome with the native one: null if they agree, else a description.
 * `relaxed` is set when a float result was NaN on both sides but with other bits.
 */
export function compareOutcome(native: Outcome, ts: Outcome, types: readonly NumType[], raw: boolean): { diff: string | null; relaxed: boolean } {
  let relaxed = false;
  if (native.kind === 'values' && ts.kind === 'values') {
    for (let i = 0; i < types.length; i++) {
      const a = native.values[i]!;
      const b = ts.values[i]!;
      if (a === b) continue;
      if (raw && isFloat(types[i]!) && isNaNBits(types[i]!, a) && isNaNBits(types[i]!, b)) {
        // Bits that differ come from an arithmetic instruction (followed only by bit-preserving
        // ones, which keep the quiet bit), whose NaN results must be arithmetic NaNs: quiet.
        if (!isQuietNaN(types[i]!, b)) return { diff: `result ${i}: tswasm ${hexOf(types[i]!, b)} is a signalling NaN where native has ${hexOf(types[i]!, a)}`, relaxed };
        if (typeof process !== 'undefined' && process.env.EXEC_FUZZ_SHOW_NAN) console.log(`    NaN result ${i}: native ${hexOf(types[i]!, a)}, tswasm ${hexOf(types[i]!, b)}`);
        relaxed = true;
        continue;
      }
      return { diff: `result ${i}: native ${hexOf(types[i]!, a)}, tswasm ${hexOf(types[i]!, b)}`, relaxed };
    }
    return { diff: null, relaxed };
  }
  if (native.kind === 'trap' && ts.kind === 'trap') {
    const codes = TRAP_CODES[native.what];
    if (codes === undefined) return { diff: `unknown native trap message "${native.what}" (tswasm ${ts.what})`, relaxed };
    if (!codes.includes(ts.what as TrapCode)) return { diff: `native trap "${native.what}", tswasm trap ${ts.what}`, relaxed };
    return { diff: null, relaxed };
  }
  if (native.kind === 'stack' && ts.kind === 'stack') return { diff: null, relaxed };
  if (native.kind === 'host' && ts.kind === 'host' && native.what === ts.what) return { diff: null, relaxed };
  return { diff: `native ${showOutcome(native, types)}, tswasm ${showOutcome(ts, types)}`, relaxed };
}

function firstDifference(a: Uint8Array, b: Uint8Array): string | null {
  if (a.length !== b.length) return `memory size: native ${a.length}, tswasm ${b.length}`;
  const ba = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const bb = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (ba.equals(bb)) return null;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      const hex = (x: Uint8Array) => [...x.subarray(i, i + 8)].map((v) => v.toString(16).padStart(2, '0')).join(' ');
      return `memory at ${i}: native ${hex(a)}, tswasm ${hex(b)}`;
    }
  }
  return null;
}

/** One engine running the module: calls an export, reads the globals (through "dump") and the memory. */
interface Side {
  readonly engine: string;
  call(exp: ExportPlan, args: readonly bigint[]): Outcome;
  globals(): bigint[];
  memory(): Uint8Array;
}

/** What the runner's host functions throw: a JS exception that wasm may catch (catch_all). */
class HostError extends Error {}

interface HostState {
  calls: number;
  depth: number;
  exports: Record<string, unknown>;
}

/**
 * The host functions "env" "h<k>" of a module (exec-fuzz-gen's host imports), the same code for
 * every engine: each call mixes its arguments and the number of calls so far into a hash that picks
 * what it does: throw a HostError, grow the memory from JS (memory.grow from a host call: the
 * caller's view of memory must follow), re-enter the module through a wrapper (one level deep), or
 * nothing; then it returns integers made from the hash.
 */
function hostFunctions(plan: ModulePlan, st: HostState): Record<string, (...args: (number | bigint)[]) => unknown> {
  const env: Record<string, (...args: (number | bigint)[]) => unknown> = {};
  plan.hostImports.forEach((sig, k) => {
    env[`h${k}`] = (...args) => {
      st.calls++;
      let h = Math.imul(k + 1, 0x9e3779b1) ^ st.calls;
      for (const a of args) h = Math.imul(h ^ (typeof a === 'bigint' ? Number(BigInt.asIntN(32, a ^ (a >> 32n))) : a), 0x01000193) ^ (h >>> 15);
      switch ((h >>> 0) % 10) {
        case 0:
          throw new HostError(`h${k} call ${st.calls}`);
        case 1:
          // (Not memory64: Node 20's experimental Memory.grow and the current JS API's disagree on its argument type.)
          if (plan.memory64) break;
          try {
            (st.exports['mem'] as { grow(pages: number): number }).grow(1);
          } catch (e) {
            if (!(e instanceof RangeError)) throw e;
          }
          break;
        case 2:
          if (st.depth === 0) {
            const w = plan.exports[(h >>> 8) % plan.exports.length]!;
            st.depth++;
            try {
              (st.exports[w.name] as (...a: unknown[]) => unknown)(...w.params.map((t) => (asInt(t) === I32 ? h | 0 : BigInt(h))));
            } finally {
              st.depth--;
            }
          }
      }
      const value = (t: NumType, salt: number) => {
        const x = Math.imul(h ^ salt, 0x85ebca6b);
        return t === I32 ? x | 0 : BigInt.asIntN(64, (BigInt(x) << 32n) ^ BigInt(h >>> 0));
      };
      if (sig.results.length === 0) return undefined;
      if (sig.results.length === 1) return value(sig.results[0]!, 1);
      return sig.results.map((t, i) => value(t, i + 1));
    };
  });
  return env;
}

/** The module instantiated through a WebAssembly namespace (Node's, or tswasm's JS API), with the host functions. */
function namespaceSide(engine: string, W: NativeWasm, plan: ModulePlan, depth = 0): Side {
  // (A depth of 1 keeps the host functions from calling exports.)
  const st: HostState = { calls: 0, depth, exports: {} };
  const exp = new W.Instance(new W.Module(W === native && NATIVE_OLD_ENCODING ? plan.nativeBytes : plan.bytes), { env: hostFunctions(plan, st) }).exports;
  st.exports = exp;
  const dump = exp['dump'] as () => unknown;
  const mem = exp['mem'] as { buffer: ArrayBuffer };
  return {
    engine,
    call: (e, args) => namespaceCall(exp[e.name] as (...a: unknown[]) => unknown, e.params, e.results, args),
    globals: () => {
      const r = dump();
      return normalize(plan.globals, (plan.globals.length === 1 ? [r] : r) as (number | bigint)[]);
    },
    memory: () => new Uint8Array(mem.buffer),
  };
}

/** The module on tswasm's embedding API (no host imports: its host errors are traps by design). */
function apiSide(engine: string, store: Store, instance: Instance, plan: ModulePlan): Side {
  const memory: Memory = instance.getMemory(store, 'mem')!;
  return {
    engine,
    call: (e, args) => tsCall(store, instance.getFunc(store, e.name)!, e.params, e.results, args),
    globals: () => normalize(plan.globals, instance.getFunc(store, 'dump')!.call(store, []).map((v) => v.value as number | bigint)),
    memory: () => memory.data(store),
  };
}

// Threads on: a third of the modules use atomic instructions (on an unshared memory).
const THREADS = { threads: true } as const;
const WITH_THREADS = withFeatures(WASM3_FEATURES, THREADS);
/** Every tswasm engine of the runner: `config` with threads on. */
const threadsEngine = (config: Config = {}) => new Engine({ ...config, features: THREADS });
const engines = { lazy: threadsEngine({ compilation: 'lazy' }), eager: threadsEngine({ compilation: 'eager' }) };

/** The transcript's engine with the code tuned for this JS engine's interpreter (js-shell-replay.mjs --tuned). */
export const tunedTranscriptEngine = (): Engine => threadsEngine({ compilation: 'lazy', tuneForInterpreter: true });

/**
 * A third tswasm configuration per module, in turn: options that change the generated code (fuel
 * counting, epoch checks, a counted call depth, NaN canonicalisation, which the comparison rules
 * allow: canonical NaNs are arithmetic NaNs; code tuned for interpreters; generator code for async support) and must not
 * change behaviour.
 */
const eagerFuel = threadsEngine({ compilation: 'eager', consumeFuel: true });
export const VARIANTS: readonly { name: string; engine: Engine; setup: (store: Store) => void }[] = [
  { name: 'eager+fuel', engine: eagerFuel, setup: (s) => s.setFuel(2 ** 52) },
  { name: 'lazy+epoch', engine: threadsEngine({ compilation: 'lazy', epochInterruption: true }), setup: (s) => s.setEpochDeadline(2 ** 30) },
  { name: 'eager+maxWasmStack', engine: threadsEngine({ compilation: 'eager', maxWasmStack: 5000 }), setup: () => {} },
  { name: 'lazy+nanCanonicalization', engine: threadsEngine({ compilation: 'lazy', nanCanonicalization: true }), setup: () => {} },
  // Code shaped for an engine without a JIT (inline call_indirect checks, byte accesses through a Uint8Array).
  { name: 'lazy+tuneForInterpreter', engine: threadsEngine({ compilation: 'lazy', tuneForInterpreter: true }), setup: () => {} },
  // The same, shaped for JavaScriptCore's interpreter (byte stores through the DataView, rem_u's estimate).
  { name: 'eager+tuneForInterpreter=javascriptcore', engine: threadsEngine({ compilation: 'eager', tuneForInterpreter: 'javascriptcore' }), setup: () => {} },
  // Generator code where a function may suspend, plain code elsewhere (compile/suspending.ts).
  { name: 'eager+async', engine: threadsEngine({ compilation: 'eager', asyncSupport: true }), setup: () => {} },
  // Generator code, with fuel and epoch checks inside the generators, run by synchronous calls.
  {
    name: 'lazy+async+fuel+epoch', engine: threadsEngine({ compilation: 'lazy', asyncSupport: true, consumeFuel: true, epochInterruption: true }),
    setup: (s) => { s.setFuel(2 ** 52); s.setEpochDeadline(2 ** 30); },
  },
];

/**
 * JSPI: a module with host imports runs on a JSPI namespace with every import wrapped in
 * `Suspending` (so each host call suspends) and every export called through `promising`, against
 * the plain JS API namespace called synchronously: outcome, globals and memory after every call.
 * The host functions throw, grow the memory and call exports as in the main run.
 */
export async function compareJspi(plan: ModulePlan): Promise<{ call: string; detail: string } | null> {
  if (plan.hostImports.length === 0) return null;
  // No host function calls back into wasm here: a Suspending import reached that way, through a JS
  // frame, throws SuspendError by design.
  const plain = namespaceSide('jsapi', createWebAssembly() as unknown as NativeWasm, plan, 1);
  const W = createWebAssembly({ jspi: true }) as unknown as NativeWasm & { Suspending: new (f: unknown) => object; promising(f: unknown): (...a: unknown[]) => Promise<unknown> };
  const st: HostState = { calls: 0, depth: 1, exports: {} };
  const env: Record<string, object> = {};
  for (const [name, fn] of Object.entries(hostFunctions(plan, st))) env[name] = new W.Suspending(fn);
  const exp = new W.Instance(new W.Module(plan.bytes), { env }).exports;
  st.exports = exp;
  const mem = exp['mem'] as { buffer: ArrayBuffer };
  for (let k = 0; k < plan.calls.length; k++) {
    const call = plan.calls[k]!;
    const e = plan.exports[call.exportIndex]!;
    const label = `${e.name} (call ${k})`;
    const a = plain.call(e, call.args);
    const b = await promisingCall(W.promising(exp[e.name]), e.params, e.results, call.args);
    const step = stepDifference(label, 'JSPI', a, b, e.results, plan.mode === 'raw', plain, {
      globals: () => {
        const r = (exp['dump'] as () => unknown)();
        return normalize(plan.globals, (plan.globals.length === 1 ? [r] : r) as (number | bigint)[]);
      },
      memory: () => new Uint8Array(mem.buffer),
    });
    if (step !== undefined) return step;
  }
  return null;
}

/**
 * One call of a comparison against the default code called synchronously (`plain`): undefined to go
 * on, else what ends the comparison (null when both exhausted the stack, which ends it agreeing).
 */
function stepDifference(label: string, name: string, a: Outcome, b: Outcome, types: readonly NumType[], raw: boolean,
  plain: Pick<Side, 'globals' | 'memory'>, other: Pick<Side, 'globals' | 'memory'>): { call: string; detail: string } | null | undefined {
  const outcomes = { call: label, detail: `plain ${showOutcome(a, types)}, ${name} ${showOutcome(b, types)}` };
  if (a.kind === 'stack' || b.kind === 'stack') return a.kind === b.kind ? null : outcomes;
  const same = a.kind === 'values' && b.kind === 'values'
    ? compareOutcome(a, b, types, raw).diff === null
    : showOutcome(a, types) === showOutcome(b, types);
  if (!same) return outcomes;
  const ga = plain.globals();
  const gb = other.globals();
  const g = ga.findIndex((v, i) => v !== gb[i]);
  if (g >= 0) return { call: label, detail: `global ${g}: ${ga[g]} vs ${gb[g]}` };
  const memDiff = firstDifference(plain.memory(), other.memory());
  if (memDiff !== null) return { call: label, detail: `memory: ${memDiff}` };
  return undefined;
}

const SUSPENDING = threadsEngine({ compilation: 'lazy', asyncSupport: true, epochInterruption: true, consumeFuel: true });

/**
 * Suspension everywhere: a module without host imports runs on generator code (Config.asyncSupport)
 * through callAsync, with the epoch deadline reached at every function entry and loop header and
 * the deadline callback yielding to the event loop at seeded random ones (one in `rarity`, at most
 * `maxYields` per module), and fuel given in slices of a random size (a yield whenever one runs
 * out), and an async resource limiter answering memory.grow and table.grow with a promise at random,
 * so calls suspend and resume inside every code shape the generator makes. Each call must agree with the default code called synchronously: outcome, globals and memory.
 * Returns null, or what differed. A call that exhausts the stack ends the comparison (the two run
 * different amounts of code before it). Counts the epoch yields into `stats.suspensions` and the
 * limiter's promises into `stats.growthWaits` (the fuel yields are not counted).
 */
export async function compareSuspended(plan: ModulePlan, seed: number, stats: { suspensions: number; growthWaits?: number }, rarity = 16, maxYields = 40): Promise<{ call: string; detail: string } | null> {
  if (plan.hostImports.length > 0) return null;
  const plainStore = new Store(engines.lazy);
  const plain = apiSide('lazy', plainStore, new Instance(plainStore, new Module(engines.lazy, plan.bytes), []), plan);
  const store = new Store(SUSPENDING);
  const rng = new Rng(seed);
  store.setFuel(2 ** 52);
  // Fuel in slices too: another kind of yield, where the fuel check of a straight-line run falls short.
  const slice = 20 + rng.below(400);
  let yields = 0;
  let mayYield = true;
  store.epochDeadlineCallback(() => {
    if (!mayYield || yields >= maxYields || rng.below(rarity) !== 0) return UpdateDeadline.continue(0);
    yields++;
    return UpdateDeadline.yield(0);
  });
  store.setEpochDeadline(0);
  // An async limiter that allows everything (so outcomes match the default code's), answering with
  // a promise half the time a wait is possible: memory.grow and table.grow suspend too.
  const answer = (): boolean | Promise<boolean> => {
    if (!mayYield || rng.below(2) !== 0) return true;
    stats.growthWaits = (stats.growthWaits ?? 0) + 1;
    return Promise.resolve(true);
  };
  store.limiterAsync({ memoryGrowing: answer, tableGrowing: answer, instances: 1e9, tables: 1e9, memories: 1e9 });
  const instance = await Instance.newAsync(store, new Module(SUSPENDING, plan.bytes), []);
  const suspended = apiSide('async', store, instance, plan);
  try {
    for (let k = 0; k < plan.calls.length; k++) {
      const call = plan.calls[k]!;
      const exp = plan.exports[call.exportIndex]!;
      const label = `${exp.name} (call ${k})`;
      const a = plain.call(exp, call.args);
      mayYield = true;
      store.fuelAsyncYieldInterval(slice);
      const b = await tsCallAsync(store, instance.getFunc(store, exp.name)!, exp.params, exp.results, call.args);
      // The dump export is called synchronously: no yields.
      mayYield = false;
      store.fuelAsyncYieldInterval(null);
      const step = stepDifference(label, 'suspended', a, b, exp.results, plan.mode === 'raw', plain, suspended);
      if (step !== undefined) return step;
    }
    return null;
  } finally {
    stats.suspensions += yields;
  }
}

// The measuring lane runs generator code (asyncSupport), which charges every run where it starts:
// the other lane's merged charges (compile/fuel-chain.ts) must come to the same cost.
const FUEL_ENGINES: readonly [string, Engine][] = [
  ['eager+async+fuel', threadsEngine({ compilation: 'eager', consumeFuel: true, asyncSupport: true })],
  ['lazy+fuel', threadsEngine({ compilation: 'lazy', consumeFuel: true })],
];
const PLENTY = 2 ** 40;

/**
 * Fuel is exact (every run that leaves a function checks the whole count, so a call completes only
 * when its fuel paid for all of it, and the same module and fuel stop at the same point): the
 * planned calls run again on eager compilation of generator code (whose runs each charge where
 * they start, none merged into another's charge) with plenty of fuel, measuring what each consumes
 * (C), and on lazy compilation of plain code with exactly C,
 * which must give the same outcome, globals and memory and leave 0; the last call, if it returns,
 * gets C - 1 and must stop with OutOfFuel. Calls that trap get plenty on both (after a trap other than
 * unreachable, the fuel left counts from the trapping function's last call or entry, as in
 * Wasmtime) and must leave the same fuel. Native engines have no fuel: this compares tswasm with itself.
 */
function compareFuelRuns(plan: ModulePlan, stats: Stats): { call: string; detail: string } | null {
  const [measured, exact] = FUEL_ENGINES.map(([name, engine]) => {
    const store = new Store(engine);
    return { store, side: apiSide(name, store, new Instance(store, new Module(engine, plan.bytes), []), plan) };
  }) as [{ store: Store; side: Side }, { store: Store; side: Side }];
  const run = (lane: typeof measured, exp: ExportPlan, args: readonly bigint[], fuel: number) => {
    lane.store.setFuel(fuel);
    const outcome = lane.side.call(exp, args);
    const left = lane.store.getFuel();
    lane.store.setFuel(PLENTY); // for the dump export
    return { outcome, left, globals: lane.side.globals(), memory: lane.side.memory() };
  };
  for (let k = 0; k < plan.calls.length; k++) {
    const call = plan.calls[k]!;
    const exp = plan.exports[call.exportIndex]!;
    const a = run(measured, exp, call.args, PLENTY);
    const cost = PLENTY - a.left;
    const returns = a.outcome.kind === 'values';
    const oneShort = returns && k === plan.calls.length - 1;
    const budget = !returns ? PLENTY : oneShort ? cost - 1 : cost;
    const b = run(exact, exp, call.args, budget);
    const label = `${exp.name} (call ${k}) with ${budget} fuel (it costs ${cost})`;
    stats.fuelCalls++;
    if (oneShort) {
      if (b.outcome.kind !== 'trap' || b.outcome.what !== TrapCode.OutOfFuel || b.left !== 0) {
        return { call: label, detail: `${showOutcome(b.outcome, exp.results)} with ${b.left} fuel left, not OutOfFuel` };
      }
      stats.outOfFuel++;
      break;
    }
    const same = a.outcome.kind === 'values' && b.outcome.kind === 'values'
      ? compareOutcome(a.outcome, b.outcome, exp.results, plan.mode === 'raw').diff === null
      : showOutcome(a.outcome, exp.results) === showOutcome(b.outcome, exp.results);
    if (!same) return { call: label, detail: `eager ${showOutcome(a.outcome, exp.results)}, lazy ${showOutcome(b.outcome, exp.results)}` };
    const wantLeft = returns ? 0 : a.left;
    if (b.left !== wantLeft) return { call: label, detail: `${b.left} fuel left, not ${wantLeft} (outcome ${showOutcome(b.outcome, exp.results)})` };
    const g = a.globals.findIndex((v, i) => v !== b.globals[i]);
    if (g >= 0) return { call: label, detail: `global ${g}: ${a.globals[g]} vs ${b.globals[g]}` };
    const memDiff = firstDifference(a.memory, b.memory);
    if (memDiff !== null) return { call: label, detail: `memory: ${memDiff}` };
  }
  return null;
}

export interface RunOptions {
  /** Called with progress text (the module's calls and outcomes) when verbose. */
  readonly log?: (line: string) => void;
  /** Generator options (SIMD always, never, or in half of the modules). */
  readonly gen?: GenOptions;
}

/** The instructions this fuzzer means to cover: Wasm 1.0, sign extension, saturating truncation, bulk memory, reference types. */
export const TARGET_INSTRUCTIONS: readonly string[] = [...new Set(OPCODES.filter((o) =>
  ['mvp', 'sign_extension', 'saturating_float_to_int', 'bulk_memory', 'reference_types'].includes(o.feature)).map((o) => o.name))];

/** The fixed-width SIMD instructions (all of them; relaxed SIMD is out of scope: it is nondeterministic). */
export const SIMD_TARGET_INSTRUCTIONS: readonly string[] = OPCODES.filter((o) => o.feature === 'simd').map((o) => o.name);

/** Counts the instructions of every function body of `bytes` into `counts`. */
export function countInstructions(bytes: Uint8Array, counts: Record<string, number>): void {
  const info = decodeModule(bytes);
  for (const body of info.codes) {
    const r = new ByteReader(bytes, body.code.start, body.code.end);
    while (!r.atEnd()) {
      const op = readOpcode(r, WITH_THREADS);
      skipImmediates(r, op);
      bump(counts, op.name);
    }
  }
}

/** Generates module `index` of campaign `seed`, runs its calls on every engine, adds to `stats`. */
export function runModule(seed: number, index: number, stats: Stats, opts: RunOptions = {}): ModulePlan {
  const plan = generateModule(new Rng(moduleSeed(seed, index)), opts.gen);
  stats.modules++;
  if (plan.simd) stats.simdModules++;
  if (plan.memory64) stats.memory64Modules++;
  if (plan.funcRefs) stats.funcRefModules++;
  if (plan.extendedConst) stats.extendedConstModules++;
  if (plan.atomics) stats.atomicsModules++;
  bump(stats.modes, plan.mode);
  countInstructions(plan.bytes, stats.instructions);
  // The text format too: the module printed, parsed back and printed again must read the same.
  const text = printModule(plan.bytes);
  let reprinted: string;
  try {
    reprinted = printModule(parseWat(text));
  } catch (e) {
    reprinted = `(does not parse: ${(e as Error).message})`;
  }
  if (reprinted !== text) {
    const [ours, again] = [text.split('\n'), reprinted.split('\n')];
    const line = ours.findIndex((l, i) => l !== again[i]);
    stats.mismatches.push({ seed, module: index, engine: 'text', call: '(print -> parse -> print)', detail: `line ${line + 1} differs: ${ours[line]?.trim()} / ${again[line]?.trim()}`, bytes: plan.bytes });
  }
  const log = opts.log;
  log?.(`module ${index}: ${plan.bytes.length} bytes, ${plan.mode} NaNs${plan.simd ? ', SIMD' : ''}, ${plan.exports.length} exports, ${plan.calls.length} calls`);
  const fail = (engine: string, call: string, detail: string) => {
    stats.mismatches.push({ seed, module: index, engine, call, detail, bytes: plan.bytes });
    log?.(`  MISMATCH (${engine}) ${call}: ${detail}`);
  };

  let reference: Side;
  try {
    reference = namespaceSide('native', native, plan);
  } catch (e) {
    stats.invalid.push({ seed, module: index, message: String((e as Error).message), bytes: plan.bytes });
    log?.(`  INVALID: ${(e as Error).message}`);
    return plan;
  }

  // Modules with host imports run on tswasm's JS API, whose host functions behave as Node's: a JS
  // exception thrown by one may be caught by wasm. The others run on the embedding API in three
  // configurations (lazy, eager, and a variant).
  const sides: Side[] = [];
  if (plan.hostImports.length > 0) {
    try {
      sides.push(namespaceSide('jsapi', createWebAssembly() as unknown as NativeWasm, plan));
    } catch (e) {
      fail('jsapi', '(instantiation)', `tswasm threw ${(e as Error)?.stack ?? e}; native instantiated`);
      return plan;
    }
  } else {
    const variant = VARIANTS[index % VARIANTS.length]!;
    const configs = [...Object.entries(engines).map(([name, engine]) => ({ name, engine, setup: (_: Store) => {} })), variant];
    for (const { name: engineName, engine, setup } of configs) {
      try {
        const store = new Store(engine);
        setup(store);
        sides.push(apiSide(engineName, store, new Instance(store, new Module(engine, plan.bytes), []), plan));
      } catch (e) {
        fail(engineName, '(instantiation)', `tswasm threw ${(e as Error)?.stack ?? e}; native instantiated`);
        return plan;
      }
    }
  }

  for (const call of plan.calls) {
    const exp = plan.exports[call.exportIndex]!;
    const label = `${exp.name} (func ${exp.func}) (${call.args.map((a, i) => hexOf(exp.params[i]!, a)).join(', ')})`;
    stats.calls++;
    const native = reference.call(exp, call.args);
    const nglobals = reference.globals();
    const nmem = reference.memory();
    log?.(`  ${label} -> ${showOutcome(native, exp.results)}`);
    if (native.kind === 'crash') {
      fail('native', label, `native engine threw a non-wasm error: ${native.message}`);
      return plan;
    }
    let relaxed = false;
    let tsOutcome: Outcome | null = null;
    let previous = '';
    for (const side of sides) {
      const ts = side.call(exp, call.args);
      const cmp = compareOutcome(native, ts, exp.results, plan.mode === 'raw');
      if (cmp.diff !== null) {
        fail(side.engine, label, cmp.diff);
        return plan;
      }
      relaxed ||= cmp.relaxed;
      if (tsOutcome !== null && tsOutcome.kind === 'trap' && ts.kind === 'trap' && tsOutcome.what !== ts.what) {
        fail(side.engine, label, `${previous} trapped with ${tsOutcome.what}, ${side.engine} with ${ts.what}`);
        return plan;
      }
      const offsets = ts.kind === 'trap' && ts.frames !== undefined ? frameOffsetProblem(plan.bytes, ts.what, ts.frames) : null;
      if (offsets !== null) {
        fail(side.engine, label, `trap ${ts.kind === 'trap' ? ts.what : ''}: ${offsets}`);
        return plan;
      }
      tsOutcome = ts;
      previous = side.engine;
      const tglobals = side.globals();
      for (let g = 0; g < nglobals.length; g++) {
        if (nglobals[g] !== tglobals[g]) {
          fail(side.engine, label, `global ${g} after the call: native ${hexOf(plan.globals[g]!, nglobals[g]!)}, tswasm ${hexOf(plan.globals[g]!, tglobals[g]!)} (outcome ${showOutcome(native, exp.results)})`);
          return plan;
        }
      }
      const memDiff = firstDifference(nmem, side.memory());
      if (memDiff !== null) {
        fail(side.engine, label, `${memDiff} (outcome ${showOutcome(native, exp.results)})`);
        return plan;
      }
    }
    if (native.kind === 'stack') {
      bump(stats.skipped, 'stack exhausted on both sides');
      continue;
    }
    stats.equal++;
    if (relaxed) stats.nanRelaxed++;
    bump(stats.outcomes, native.kind === 'values' ? 'return' : native.kind === 'host' ? 'host exception' : (tsOutcome as { what: string }).what);
  }
  if (plan.hostImports.length === 0) {
    const diff = compareFuelRuns(plan, stats);
    if (diff !== null) fail('lazy+fuel / eager+async+fuel', diff.call, diff.detail);
  }
  return plan;
}

/** A short multi-line summary of `stats`. */
export function summary(stats: Stats): string {
  const lines = [
    `modules: ${stats.modules} (${Object.entries(stats.modes).map(([k, v]) => `${v} ${k} NaNs`).join(', ')}; ${stats.simdModules} with SIMD, ${stats.memory64Modules} memory64, ${stats.funcRefModules} typed function references, ${stats.extendedConstModules} extended constants, ${stats.atomicsModules} atomics), calls: ${stats.calls}`,
    `fuel: ${stats.fuelCalls} calls again with exactly the fuel they cost, if they return (${stats.outOfFuel} with one unit less, which ran out)`,
    `equal: ${stats.equal} (of which ${stats.nanRelaxed} with NaN results differing only in NaN bits), mismatches: ${stats.mismatches.length}, invalid modules: ${stats.invalid.length}`,
    `outcomes: ${Object.entries(stats.outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `skipped: ${Object.keys(stats.skipped).length === 0 ? 'none' : Object.entries(stats.skipped).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  const missing = TARGET_INSTRUCTIONS.filter((n) => !stats.instructions[n]);
  const never = missing.length > 0 && missing.length <= 20 ? ` (never: ${missing.join(', ')})` : '';
  lines.push(`instructions generated: ${TARGET_INSTRUCTIONS.length - missing.length} of ${TARGET_INSTRUCTIONS.length} targeted${never}`);
  if (stats.simdModules > 0) {
    const simdMissing = SIMD_TARGET_INSTRUCTIONS.filter((n) => !stats.instructions[n]);
    const simdNever = simdMissing.length > 0 && simdMissing.length <= 20 ? ` (never: ${simdMissing.join(', ')})` : '';
    const simdCount = SIMD_TARGET_INSTRUCTIONS.reduce((a, n) => a + (stats.instructions[n] ?? 0), 0);
    lines.push(`SIMD instructions generated: ${SIMD_TARGET_INSTRUCTIONS.length - simdMissing.length} of ${SIMD_TARGET_INSTRUCTIONS.length} (${simdCount} occurrences)${simdNever}`);
  }
  return lines.join('\n');
}

/**
 * What one call left behind, as a JS engine-independent record: the outcome, then the globals and
 * a digest of memory after it.
 */
export interface TranscriptEntry {
  readonly outcome: Outcome;
  readonly globals: readonly bigint[];
  readonly memory: string;
}

/**
 * A module's planned calls on tswasm's embedding API (lazy compilation), for comparing tswasm in
 * one JS engine with tswasm in another (tools/js-shell-replay.mjs: JavaScriptCore and SpiderMonkey,
 * which NaN-box their values, against Node, where tswasm agrees with native WebAssembly). Empty for
 * modules with host imports (they run on the JS API, where float arguments are JS numbers, whose
 * NaN bits such engines do not keep); stops at a call that exhausts the stack, whose depth is the
 * engine's.
 */
export function transcript(seed: number, index: number, gen: GenOptions = {}, engine: Engine = engines.lazy): { plan: ModulePlan; entries: TranscriptEntry[] } {
  const plan = generateModule(new Rng(moduleSeed(seed, index)), gen);
  const entries: TranscriptEntry[] = [];
  if (plan.hostImports.length > 0) return { plan, entries };
  const store = new Store(engine);
  const side = apiSide('lazy', store, new Instance(store, new Module(engine, plan.bytes), []), plan);
  for (const call of plan.calls) {
    const outcome = side.call(plan.exports[call.exportIndex]!, call.args);
    entries.push({ outcome, globals: side.globals(), memory: digest(side.memory()) });
    if (outcome.kind === 'stack' || outcome.kind === 'crash') break;
  }
  return { plan, entries };
}

/** FNV-1a of the bytes, with the length. */
function digest(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619);
  return `${bytes.length}:${(h >>> 0).toString(16)}`;
}
