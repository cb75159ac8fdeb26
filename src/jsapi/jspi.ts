// JS Promise Integration (the JSPI proposal's JS API) for namespaces made with `jspi: true`. Their
// code is generator code (Config.asyncSupport, runtime/async-calls.ts): an import wrapped in
// `WebAssembly.Suspending` yields its promise, and a function made by `WebAssembly.promising` runs an
// export so that such yields suspend it. The spec's execution-context status map is one flag here,
// `active`: whether the wasm running now was entered through `promising` with no JS frame since.

import type { FuncType } from '../core/types.js';
import { WasmFunc, type LoweredFn } from '../runtime/func.js';
import { runAsync, runToEnd, type Suspension } from '../runtime/async-calls.js';
import { DEPTH } from '../runtime/slots.js';
import { canonicalType } from '../validate/type-registry.js';
import { registerFuncType } from '../api/types.js';
import { callFailure } from './adaptor-runtime.js';
import { closureHostFunction, type Callee } from './closure-adaptors.js';
import { makeExportedCallable } from './export-adaptor.js';
import { Conv, convOf } from './valtypes.js';
import { funcOfExported, refToJs, refToWasm, type FuncRealm } from './values.js';
import type { Realm } from './realm.js';

let active = false;

/** Runs `step` with `active` set to `now`, restoring it after. */
function withActive<R>(now: boolean, step: () => R): R {
  const outer = active;
  active = now;
  try {
    return step();
  } finally {
    active = outer;
  }
}

/** The spec's SuspendError: a Suspending import was called where no `promising` call can wait for it. */
export class SuspendError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SuspendError';
  }
}
// A NativeError's constructor has length 1 (message), as the other error classes of the namespace do.
Object.defineProperty(SuspendError, 'length', { value: 1, configurable: true });

const NOT_ACTIVE = 'a WebAssembly.Suspending import was called, but the wasm calling it was not entered through '
  + 'WebAssembly.promising, or JavaScript code runs between the two';

const wrapped = new WeakMap<object, (...args: unknown[]) => unknown>();

/** `WebAssembly.Suspending`: marks a JS function whose calls from wasm suspend on its result. */
export class Suspending {
  constructor(jsFun: unknown) {
    if (new.target === undefined) throw new TypeError('WebAssembly.Suspending must be invoked with \'new\'');
    if (typeof jsFun !== 'function') throw new TypeError('WebAssembly.Suspending: Argument 0 must be a function');
    wrapped.set(this, jsFun as (...args: unknown[]) => unknown);
  }
}
Object.defineProperty(Suspending.prototype, Symbol.toStringTag, { value: 'WebAssembly.Suspending', configurable: true });

/** The function a Suspending object wraps, or undefined for any other value. */
export function suspendingFunction(v: unknown): ((...args: unknown[]) => unknown) | undefined {
  return typeof v === 'object' && v !== null ? wrapped.get(v) : undefined;
}

type Converter = (v: unknown) => unknown;
const NONE: readonly Converter[] = [];
const REJECT = 'a function whose type has a v128 or exnref parameter or result cannot be implemented in JavaScript';

/**
 * The spec's "create a suspending function": checks that it may suspend (else SuspendError), calls
 * `fn` with the arguments as JS values, and suspends on `Promise.resolve(result)`; the value it
 * settles to is the result, and a rejection is thrown in wasm as `fn` throwing would be.
 */
export function makeSuspendingFunction(realm: FuncRealm, fn: (...args: unknown[]) => unknown, typeId: number, index: number): WasmFunc {
  const type = canonicalType(typeId).composite as FuncType;
  const params = type.params.map(convOf);
  const results = type.results.map(convOf);
  const C = results.includes(Conv.OtherRef) ? type.results.map((t): Converter => (v) => refToWasm(t, v, true)) : NONE;
  const J = params.includes(Conv.OtherRef) ? type.params.map((): Converter => (x) => refToJs(realm, x)) : NONE;
  const reject = params.includes(Conv.Reject) || results.includes(Conv.Reject) ? REJECT : null;
  // Two host-function halves around the suspension, each with the JS API's conversions and error
  // rules: the first converts the arguments and calls `fn`, the second converts what the promise gave.
  let promise: Promise<unknown> | null = null;
  let outcome: { value: unknown } | { error: unknown } = { value: undefined };
  const call = closureHostFunction((...args: unknown[]) => {
    if (!active) throw new SuspendError(NOT_ACTIVE);
    promise = Promise.resolve(withActive(false, () => fn(...args)));
  }, params, [], NONE, J, realm, reject);
  const finish = closureHostFunction(() => {
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }, [], results, C, NONE, realm, null);
  const suspending = function* (...lowered: unknown[]): Generator<Suspension, unknown, unknown> {
    call(...lowered);
    const mine = promise!;
    promise = null;
    try {
      outcome = { value: yield mine };
    } catch (e) {
      outcome = { error: e };
    }
    return finish();
  };
  return new WasmFunc(typeId, type, suspending as LoweredFn, null, index);
}

/** Thrown through the export adaptor once the call has started: its result comes later. */
const STARTED = Object.freeze({ started: true });

/**
 * `WebAssembly.promising(wasmFunc)`: a function that calls the exported function with the JS API's
 * conversions and returns a promise of its result; Suspending imports it reaches suspend it.
 */
export function makePromising(realm: Realm, wasmFunc: unknown): (...args: unknown[]) => Promise<unknown> {
  if (typeof wasmFunc !== 'function') throw new TypeError('WebAssembly.promising: Argument 0 must be a function');
  const f = funcOfExported(wasmFunc, realm.jspi);
  if (f === undefined || !realm.jspi) {
    throw new TypeError('WebAssembly.promising: Argument 0 must be a WebAssembly exported function of this namespace');
  }
  // The arguments go through the export's own adaptor, whose callee starts the generator; the
  // results, as soon as it returns, through the adaptor of a function of no parameters returning them.
  let started: Promise<unknown> | null = null;
  let first: unknown;
  const resultsType: FuncType = { kind: 'func', params: [], results: f.funcType.results };
  const resultsOnly = new WasmFunc(registerFuncType(resultsType), resultsType, () => first, null, -1);
  const lift = makeExportedCallable(realm, resultsOnly);
  const enter: Callee = {
    fn: (...lowered: unknown[]) => {
      started = runAsync(f.fn(...lowered) as Generator<Suspension, unknown, unknown>, (r) => {
        first = r;
        return lift();
      }, (step) => withActive(true, step));
      throw STARTED;
    },
  };
  const run = makeExportedCallable(realm, f, enter);
  // An arrow function: the spec's CreateBuiltinFunction makes no constructor (`new` throws).
  const promising = (...args: unknown[]): Promise<unknown> => {
    // An async function: the call runs now up to its first suspension, and what it throws rejects.
    return (async () => {
      try {
        run(...args);
      } catch (e) {
        if (e !== STARTED) throw e;
      }
      const pending = started!;
      started = null;
      try {
        return await pending;
      } catch (e) {
        throw callFailure(e, DEPTH[0]!, realm, DEPTH[1]!);
      }
    })();
  };
  Object.defineProperty(promising, 'length', { value: 1, configurable: true });
  Object.defineProperty(promising, 'name', { value: '', configurable: true });
  return promising;
}

/** The callee of an Exported Function of a JSPI namespace: a plain call from JS, where nothing may suspend. */
export function callFromJs(f: WasmFunc): Callee {
  return { fn: (...lowered: unknown[]) => withActive(false, () => runToEnd(f.fn(...lowered) as Generator<Suspension, unknown, unknown>)) };
}

/** A JS host function of a JSPI namespace, as generator code calls it: JS runs with nothing able to suspend. */
export function generatorHost(plain: LoweredFn): LoweredFn {
  return function* (): Generator<Suspension, unknown, unknown> {
    // `arguments`, not a rest array: a rest array of doubles would quiet signalling NaNs.
    // eslint-disable-next-line prefer-rest-params
    const args = arguments;
    return withActive(false, () => plain.apply(undefined, args as unknown as unknown[]));
  };
}
