// What the generated call adaptors bind: the engine's result slots and depth counter, BigInt <-> int32
// pair scratch, and the error paths of both directions (kept out of line so the hot path is small).

import { Trap, TrapCode, runtimeErrorWithStackToCome } from '../core/errors.js';
import { catchableByWasm, markUncatchable, WasmException } from '../runtime/exceptions.js';
import { CALLER, DEPTH, RF, RI, RR, pendingTail } from '../runtime/slots.js';
import { HostThrow, STACK_OVERFLOW, isStackOverflow, presentHostError, presentStackOverflow, toEmbedderError } from '../runtime/traps.js';
import type { Realm } from './realm.js';
import { jsExceptionTag } from './tag.js';
import { GC, externIn, externOut } from './gc-objects.js';
import { funcOfExported } from './values.js';
import { isInstance } from '../runtime/host-values.js';
import { copyStackLazily } from '../runtime/stack-text.js';

/**
 * Scratch for i64 <-> (lo, hi): storing into a BigInt64Array is exactly ToBigInt64 (TypeError for
 * numbers, SyntaxError for bad strings), and reading it back builds the BigInt in one step.
 */
export const B64 = new BigInt64Array(1);
export const I32 = new Int32Array(B64.buffer);
/** Index of the low and high int32 half in I32 (platform byte order). */
export const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
export const HI = 1 - LO;

/**
 * The exception a failed call of an Exported Function throws: traps as RuntimeErrors, JS exceptions
 * unchanged, and stack exhaustion as the RangeError JS itself throws (the spec: "the same class of
 * exception ... as for a stack overflow in JavaScript"). Also resets the engine's per-call state.
 */
export function callFailure(e: unknown, depth: number, realm: Realm, tails: number): unknown {
  DEPTH[0] = depth;
  DEPTH[1] = tails;
  pendingTail.target = null;
  CALLER.i = null;
  if (isStackOverflow(e)) {
    presentStackOverflow(e);
    return e;
  }
  return jsApiError(toEmbedderError(e), realm);
}

/**
 * An error from the engine as the JS API shows it: a trap becomes a plain WebAssembly.RuntimeError
 * (its constructor is RuntimeError itself, as engines and the JS API tests have it) with the trap's
 * message and stack, whose frames name the wasm functions; stack exhaustion a RangeError. Both are
 * marked so that wasm does not catch them if they come back through a host function. An uncaught
 * wasm exception becomes its WebAssembly.Exception, or for the JS tag the JS value it carries.
 */
export function jsApiError(err: unknown, realm: Realm): unknown {
  if (isInstance(err, WasmException)) {
    if (err.tag !== realm.jsTag) return realm.exception.wrap(err);
    const thrown = externOut(err.payload[0]);
    presentHostError(thrown);
    return thrown;
  }
  if (!isInstance(err, Trap)) return err;
  if (err.code === TrapCode.StackOverflow) return markUncatchable(new RangeError(STACK_OVERFLOW));
  const e = markUncatchable(runtimeErrorWithStackToCome(err.message));
  copyStackLazily(e, err);
  return e;
}

/**
 * What a host function's exception becomes inside wasm (the spec's "create a host function"): a
 * WebAssembly.Exception its wasm exception, any other JS value an exception of the JS tag carrying
 * it (caught by catch_all, or by a catch of WebAssembly.JSTag). Traps and stack exhaustion that
 * passed through JS stay uncatchable and travel to the boundary unchanged.
 */
export function hostFailure(e: unknown, realm: Realm): unknown {
  const exn = realm.exception.unwrap(e);
  if (exn !== undefined) return exn;
  if (!catchableByWasm(e)) return new HostThrow(e);
  return new WasmException(jsExceptionTag(realm), [externIn(e)]);
}

/** A JS value as a funcref (ToWebAssemblyValue for `funcref`, not null). */
export function toFuncref(v: unknown, jspi = false): unknown {
  const f = funcOfExported(v, jspi);
  if (f === undefined) throw new TypeError('cannot convert to a WebAssembly funcref: not a WebAssembly function');
  return f;
}

/** The values of a host function's multi-value result (the spec's iteration, with its TypeErrors). */
export function iterateResults(ret: unknown, count: number): unknown[] {
  const method = ret === null || ret === undefined ? undefined : (ret as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof method !== 'function') {
    if (method === undefined || method === null) throw new TypeError(`a host function with ${count} results must return an iterable`);
    throw new TypeError('the Symbol.iterator property of the host function result is not callable');
  }
  const values: unknown[] = [];
  for (const v of { [Symbol.iterator]: () => method.call(ret) as Iterator<unknown> }) values.push(v);
  if (values.length !== count) throw new TypeError(`a host function returned ${values.length} values, expected ${count}`);
  return values;
}

/** Everything generated adaptors use, bound once into each generated maker. */
export const ADAPTOR_RUNTIME = {
  RI, RF, RR, DEPTH, B64, I32, fround: Math.fround, hostFailure, callFailure, toFuncref, iterateResults,
  GC, externIn, externOut, CALLER,
};
