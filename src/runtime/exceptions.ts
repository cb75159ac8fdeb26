// Wasm exceptions at run time: the one class generated code throws and catches (a tag and its
// payload as lowered components), the helpers `throw`/`throw_ref`/`delegate` call, and which errors wasm may catch.

import { Trap, TrapCode } from '../core/errors.js';
import { I32, I64, type FuncType, type ValType } from '../core/types.js';
import { canonicalType } from '../validate/type-registry.js';
import { componentArray } from './lowering.js';
import type { TagObject } from './tag.js';
import { isStackOverflow, makeTrap } from './traps.js';
import { isInstance } from './host-values.js';

/**
 * A wasm exception (the spec's exception instance; an exnref is this object). Not an Error: a
 * throw must not pay for capturing a JS stack. `payload` holds the lowered components (an i64 is
 * two int32 halves, floats are carrier doubles in an array that keeps NaN bits, see componentArray).
 */
export class WasmException {
  constructor(readonly tag: TagObject, readonly payload: unknown[]) {}
}

/**
 * A caught exception on its way from a legacy `try ... delegate` to the handler it targets: the
 * handlers in between rethrow it unchanged; `to` is the target's handler id in the same function,
 * or -1 for the function's caller. It never leaves the function that made it.
 */
export class Delegation {
  constructor(readonly exn: WasmException, readonly to: number) {}
}

/** `throw`: a new exception of `tag` whose payload is the remaining arguments (lowered components). */
function newException(tag: TagObject): WasmException {
  // `arguments`, not a rest array: a rest array of doubles would quiet signalling NaNs.
  const payload = componentArray();
  // eslint-disable-next-line prefer-rest-params
  for (let i = 1; i < arguments.length; i++) payload.push(arguments[i]);
  return new WasmException(tag, payload);
}

/** `throw_ref`: the exception to throw again; null traps. */
function thrownRef(x: WasmException | null): WasmException {
  if (x === null) throw makeTrap(TrapCode.NullReference, 'null exception reference');
  return x;
}

/** Bound by generated code that throws or catches. */
export const EXCEPTION_HELPERS = { WasmException, Delegation, newException, thrownRef };

/**
 * Errors that look like ordinary JS values but stand for a trap or stack exhaustion (the JS API's
 * RuntimeError made from a Trap, its RangeError for stack overflow): wasm must never catch them,
 * also after they crossed a JS frame.
 */
const uncatchable = new WeakSet<object>();

/** Marks an error made from a trap as one that wasm must not catch. */
export function markUncatchable<T>(e: T): T {
  if (typeof e === 'object' && e !== null) uncatchable.add(e);
  return e;
}

/**
 * Whether a JS value thrown by a host function may become a catchable wasm exception: not a trap,
 * not stack exhaustion (the exception-handling proposal's rule for the JS API).
 */
export function catchableByWasm(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return true;
  if (uncatchable.has(e) || isInstance(e, Trap)) return false;
  return !isStackOverflow(e);
}

/** The parameter types of a tag (the payload's types). */
export function tagParams(tag: TagObject): readonly ValType[] {
  return (canonicalType(tag.typeId).composite as FuncType).params;
}

/**
 * A new exception of `tag` from values in the engine's plain form (i32 a number, i64 a bigint,
 * floats carrier doubles, references themselves), as the APIs build them.
 */
export function exceptionFromValues(tag: TagObject, values: readonly unknown[]): WasmException {
  const payload = componentArray();
  tagParams(tag).forEach((t, i) => {
    const v = values[i];
    if (t === I64) {
      const b = BigInt.asIntN(64, v as bigint);
      payload.push(Number(BigInt.asIntN(32, b)), Number(BigInt.asIntN(32, b >> 32n)));
    } else {
      payload.push(t === I32 ? (v as number) | 0 : v);
    }
  });
  return new WasmException(tag, payload);
}

/** Payload value `index` of an exception in the engine's plain form (see exceptionFromValues). */
export function exceptionField(exn: WasmException, index: number): unknown {
  const types = tagParams(exn.tag);
  let k = 0;
  for (let i = 0; i < index; i++) k += types[i] === I64 ? 2 : 1;
  const t = types[index]!;
  if (t === I64) return (BigInt(exn.payload[k + 1] as number) << 32n) | BigInt((exn.payload[k] as number) >>> 0);
  return exn.payload[k];
}
