// The API's two doors: host -> wasm (`callWasm`, with the CallingWasm/ReturningFromWasm hooks) and
// wasm -> host (`hostFunc`, a host function's WasmFunc, which knows the instance that called it).

import type { FuncType } from '../core/types.js';
import { callLowered, returnResults } from '../runtime/call.js';
import { embedderException, hostException } from './exnref.js';
import { WasmFunc, type LoweredFn } from '../runtime/func.js';
import type { InstanceObject } from '../runtime/instance.js';
import { HostThrow, isStackOverflow } from '../runtime/traps.js';
import { canonicalType } from '../validate/type-registry.js';
import { CALLER } from '../runtime/slots.js';
import { Caller } from './caller.js';
import type { Store } from './store.js';
import { liftVals, lowerVals, type Val } from './val.js';

/** Calls `f` with lowered arguments from the host; returns its lowered results. */
export function callWasm(store: Store<any>, f: WasmFunc, lowered: readonly unknown[]): unknown[] {
  const hook = store.raw.callHook;
  // A host function called from here has no calling instance, and no instance stays behind in CALLER.
  CALLER.i = null;
  try {
    if (hook === null) return callIn(store, f, lowered);
    hook('CallingWasm');
    let out: unknown[];
    try {
      out = callIn(store, f, lowered);
    } catch (e) {
      hook('ReturningFromWasm');
      throw e;
    }
    hook('ReturningFromWasm');
    return out;
  } finally {
    CALLER.i = null;
  }
}

/** callLowered, with an uncaught wasm exception turned into a ThrownException. */
function callIn(store: Store<any>, f: WasmFunc, lowered: readonly unknown[]): unknown[] {
  try {
    return callLowered(f, lowered);
  } catch (e) {
    throw embedderException(store, e);
  }
}

/** A host function's implementation as the boundary sees it: the Caller (or null) and Vals in, Vals out. */
export type HostImpl = (caller: Caller<any> | null, args: Val[]) => Val[];

/**
 * A host function of canonical type id `typeId` in `store`. With `wantsCaller`, every call gets a
 * Caller that expires when the call returns; importing instances bind their own callable so the
 * Caller sees the calling instance.
 */
export function hostFunc(store: Store<any>, typeId: number, impl: HostImpl, wantsCaller: boolean): WasmFunc {
  const type = canonicalType(typeId).composite as FuncType;
  const invoke = (instance: InstanceObject | null, lowered: ArrayLike<unknown>): unknown => {
    const hook = store.raw.callHook;
    const caller = wantsCaller ? Caller.begin(store, instance) : null;
    let comps: unknown[];
    try {
      if (hook !== null) hook('CallingHost');
      try {
        const results = impl(caller, liftVals(store, type.params, lowered));
        comps = lowerVals(store, type.results, results ?? [], 'host function result');
      } finally {
        if (hook !== null) hook('ReturningFromHost');
      }
    } catch (e) {
      // The JS stack ran out (in the host function, or in the boundary code around a nested call
      // to wasm, where turning the nested overflow into a trap can itself overflow): it stays a
      // raw RangeError, so the outermost entry into wasm reports it as StackOverflow.
      if (isStackOverflow(e)) throw e;
      // A ThrownException raises its wasm exception (catchable by tag); whatever else the host
      // throws reaches the embedder unchanged (never mistaken for a trap, never caught by wasm).
      throw hostException(store, e) ?? new HostThrow(e);
    } finally {
      if (caller !== null) Caller.end(caller);
    }
    return returnResults(type, comps);
  };
  // `arguments`, not a rest array: a rest array of doubles would quiet signalling NaNs.
  const fn: LoweredFn = wantsCaller
    ? function (): unknown {
      // Reached through a table, a reference or a tail call: the calling instance left itself in CALLER.
      const via = CALLER.i as InstanceObject | null;
      CALLER.i = null;
      // eslint-disable-next-line prefer-rest-params
      return invoke(via, arguments);
    }
    : function (): unknown {
      // eslint-disable-next-line prefer-rest-params
      return invoke(null, arguments);
    };
  const f = new WasmFunc(typeId, type, fn, null, -1);
  f.store = store.raw;
  if (wantsCaller) {
    f.bindCaller = (instance) => function (): unknown {
      // eslint-disable-next-line prefer-rest-params
      return invoke(instance as InstanceObject, arguments);
    };
  }
  return f;
}
