// The API's two doors: host -> wasm (`tswasm$callWasm`, with the CallingWasm/ReturningFromWasm hooks) and
// wasm -> host (`hostFunc`, a host function's WasmFunc, which knows the instance that called it).

import type { FuncType } from '../core/types.js';
import { isThenable, refusePromise } from '../core/thenable.js';
import { callLowered, callLoweredAsync, returnResults } from '../runtime/call.js';
import { embedderException, hostException } from './exnref.js';
import { WasmFunc, type LoweredFn } from '../runtime/func.js';
import { InstanceObject } from '../runtime/instance.js';
import { HostThrow, hostThrow, isStackOverflow, raiseFrameLimit } from '../runtime/traps.js';
import { canonicalType } from '../validate/type-registry.js';
import { CALLER } from '../runtime/slots.js';
import { tswasm$callHost2 } from './host-call.js';
import { Caller } from './caller.js';
import { attachCoredump } from './coredump.js';
import type { Store } from './store.js';
import { liftVals, lowerVals, type Val, type ValRaw } from './val.js';
import { componentsOfRaws, rawsOfComponents } from './val-raw.js';

/**
 * Calls `f` with lowered arguments from the host; returns its lowered results. Its name marks where
 * tswasm's own lines of the call begin, as host-call.ts's names do for a host call: a presented
 * stack (runtime/traps.ts scanStack) leaves out the lines from here to the wasm frames.
 */
export function tswasm$callWasm(store: Store<any>, f: WasmFunc, lowered: readonly unknown[]): unknown[] {
  const hook = store.raw.callHook;
  // A host function called from here has no calling instance, and no instance stays behind in CALLER.
  CALLER.i = null;
  try {
    if (hook === null) return callIn(store, f, lowered);
    hookNow(hook('CallingWasm'));
    let out: unknown[];
    try {
      out = callIn(store, f, lowered);
    } catch (e) {
      hookNow(hook('ReturningFromWasm'));
      throw e;
    }
    hookNow(hook('ReturningFromWasm'));
    return out;
  } finally {
    CALLER.i = null;
  }
}

/**
 * callLowered, with an uncaught wasm exception turned into a ThrownException. An error the engine
 * raises in wasm records TRAP_FRAMES frames while it runs, as makeTrap's traps do.
 */
function callIn(store: Store<any>, f: WasmFunc, lowered: readonly unknown[]): unknown[] {
  const limit = raiseFrameLimit();
  try {
    return callLowered(f, lowered, store.engine.config.asyncSupport);
  } catch (e) {
    attachCoredump(store, e, entryInstance(f));
    throw embedderException(store, e);
  } finally {
    if (limit !== null) Error.stackTraceLimit = limit;
  }
}

/** The instance whose function the host calls (null for a host function). */
function entryInstance(f: WasmFunc): InstanceObject | null {
  return f.owner instanceof InstanceObject ? f.owner : null;
}

/**
 * tswasm$callWasm for an engine with Config.asyncSupport: wasm may suspend (in an async host function, or
 * at an epoch deadline that yields) and the promise settles when the call returns or fails. Its name
 * is a marker as tswasm$callWasm's is.
 */
export async function tswasm$callWasmAsync(store: Store<any>, f: WasmFunc, lowered: readonly unknown[]): Promise<unknown[]> {
  requireAsync(store, 'callAsync');
  const hook = store.raw.callHook;
  CALLER.i = null;
  // Awaited only when the hook answers with a promise: otherwise wasm starts before callAsync returns, as without a hook.
  if (hook !== null) {
    const answer = hook('CallingWasm');
    if (isThenable(answer)) await answer;
  }
  try {
    return await callLoweredAsync(f, lowered);
  } catch (e) {
    attachCoredump(store, e, entryInstance(f));
    throw embedderException(store, e);
  } finally {
    CALLER.i = null;
    if (hook !== null) {
      const answer = hook('ReturningFromWasm');
      if (isThenable(answer)) await answer;
    }
  }
}

/** A call hook's answer where nothing can wait: a promise fails the call (Store.callHookAsync). */
export function hookNow(answer: void | PromiseLike<void>): void {
  if (isThenable(answer)) {
    refusePromise(answer, 'a call hook answered with a promise inside a synchronous call, which cannot wait for it: '
      + 'with Store.callHookAsync, call exports with callAsync and instantiate with instantiateAsync');
  }
}

/** Throws unless `store`'s engine has Config.asyncSupport (what `what` needs). */
export function requireAsync(store: Store<any>, what: string): void {
  if (!store.engine.config.asyncSupport) throw new Error(`${what} needs an engine with Config.asyncSupport`);
}

/**
 * A host function's implementation as the boundary sees it: the Caller (or null) and Vals in, Vals
 * out; for an async host function, a promise of them.
 */
export type HostImpl = (caller: Caller<any> | null, args: Val[]) => Val[];
export type AsyncHostImpl = (caller: Caller<any> | null, args: Val[]) => Val[] | PromiseLike<Val[]>;

/**
 * A host function of canonical type id `typeId` in `store`. With `wantsCaller`, every call gets a
 * Caller that expires when the call returns; importing instances bind their own callable so the
 * Caller sees the calling instance. With `isAsync`, `impl` may return a promise, which the wasm
 * stack that called it waits for, suspended (Config.asyncSupport).
 */
export function hostFunc(store: Store<any>, typeId: number, impl: HostImpl | AsyncHostImpl, wantsCaller: boolean, isAsync = false): WasmFunc {
  const type = canonicalType(typeId).composite as FuncType;
  return hostFuncOf(store, typeId, wantsCaller, isAsync,
    (caller, lowered) => impl(caller, liftVals(store, type.params, lowered)),
    (results) => lowerVals(store, type.results, (results as Val[] | undefined) ?? [], 'host function result'));
}

/**
 * A raw host function (Func.newUnchecked): `impl` gets the Caller and one ValRaw array with the
 * parameters, and leaves the results at its start. The array has room for both.
 */
export function rawHostFunc(store: Store<any>, typeId: number, impl: RawHostImpl): WasmFunc {
  const type = canonicalType(typeId).composite as FuncType;
  const room = Math.max(type.params.length, type.results.length);
  return hostFuncOf(store, typeId, true, false,
    (caller, lowered) => {
      const raws: ValRaw[] = new Array<ValRaw>(room).fill(null);
      rawsOfComponents(store, type.params, lowered, raws);
      tswasm$callHost2(impl, caller!, raws);
      return raws;
    },
    (raws) => componentsOfRaws(store, type.results, raws as ValRaw[], 'host function result'));
}

/** A raw host function's implementation: parameters in, results out of one ValRaw array. */
export type RawHostImpl = (caller: Caller<any>, paramsAndResults: ValRaw[]) => void;

/**
 * hostFunc over any representation of values: `lift` calls the implementation with the lowered
 * arguments (a promise of its results only for an async host function), `lower` lowers the results.
 */
function hostFuncOf(
  store: Store<any>, typeId: number, wantsCaller: boolean, isAsync: boolean,
  lift: (caller: Caller<any> | null, lowered: ArrayLike<unknown>) => unknown,
  lower: (results: unknown) => unknown[],
): WasmFunc {
  const type = canonicalType(typeId).composite as FuncType;
  if (isAsync) requireAsync(store, 'an async host function');
  const generator = store.engine.config.asyncSupport;
  // The JS stack ran out (in the host function, or in the boundary code around a nested call to
  // wasm, where turning the nested overflow into a trap can itself overflow): it stays a raw
  // RangeError, so the outermost entry into wasm reports it as StackOverflow. A HostThrow is a
  // suspension that a synchronous call refused: it passes unchanged too. A ThrownException raises
  // its wasm exception (catchable by tag); whatever else the host throws reaches the embedder
  // unchanged (never mistaken for a trap, never caught by wasm), with its wasm callers for
  // WasmBacktrace.fromError.
  const hostError = (e: unknown): unknown => (isStackOverflow(e) || e instanceof HostThrow ? e : hostException(store, e) ?? hostThrow(e));
  const invoke = (instance: InstanceObject | null, lowered: ArrayLike<unknown>): unknown => {
    const hook = store.raw.callHook;
    const caller = wantsCaller ? Caller.begin(store, instance) : null;
    let comps: unknown[];
    try {
      if (hook !== null) hookNow(hook('CallingHost'));
      try {
        comps = lower(lift(caller, lowered));
      } finally {
        if (hook !== null) hookNow(hook('ReturningFromHost'));
      }
    } catch (e) {
      throw hostError(e);
    } finally {
      if (caller !== null) Caller.end(caller);
    }
    return returnResults(type, comps);
  };
  // invoke for generator code (Config.asyncSupport): yields the promises an async call hook answers
  // with and, for an async host function, the promise `impl` returns, resumed with its value.
  // (Kept apart from invoke, whose callers must not pay for a generator on every host call.)
  function* invokeAsync(instance: InstanceObject | null, lowered: ArrayLike<unknown>): Generator<unknown, unknown, unknown> {
    const hook = store.raw.callHook;
    const caller = wantsCaller ? Caller.begin(store, instance) : null;
    let comps: unknown[];
    try {
      if (hook !== null) {
        const answer = hook('CallingHost');
        if (isThenable(answer)) yield answer;
      }
      try {
        let results = lift(caller, lowered);
        if (isAsync && isThenable(results)) {
          // After an await the JS stack no longer shows the wasm callers: WasmBacktrace.capture reads them from here.
          if (caller !== null) Caller.suspending(caller);
          results = yield results;
        }
        comps = lower(results);
      } finally {
        if (hook !== null) {
          const answer = hook('ReturningFromHost');
          if (isThenable(answer)) yield answer;
        }
      }
    } catch (e) {
      throw hostError(e);
    } finally {
      if (caller !== null) Caller.end(caller);
    }
    return returnResults(type, comps);
  }
  // Generator code (Config.asyncSupport) calls every function with yield*.
  const target = generator ? invokeAsync : invoke;
  // `arguments`, not a rest array: a rest array of doubles would quiet signalling NaNs.
  /* eslint-disable prefer-rest-params */
  const fn: LoweredFn = wantsCaller
    ? function tswasm$hostEntry(): unknown {
      // Reached through a table, a reference or a tail call: the calling instance left itself in CALLER.
      const via = CALLER.i as InstanceObject | null;
      CALLER.i = null;
      return target(via, arguments);
    }
    : function tswasm$hostEntry(): unknown {
      return target(null, arguments);
    };
  const f = new WasmFunc(typeId, type, fn, null, -1);
  f.store = store.raw;
  if (wantsCaller) {
    f.bindCaller = (instance) => function tswasm$hostEntry(): unknown {
      return target(instance as InstanceObject, arguments);
    };
  }
  /* eslint-enable prefer-rest-params */
  return f;
}
