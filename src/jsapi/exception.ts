// WebAssembly.Exception: a wasm exception as a JS object, one per exception (the spec's exception
// object cache), made by JS or for an exception thrown by wasm. `is` and `getArg` read it; `stack`
// is set when asked with traceStack.

import { exceptionField, exceptionFromValues, tagParams, type WasmException } from '../runtime/exceptions.js';
import type { TagObject } from '../runtime/tag.js';
import { asWebIdlInterface } from './interface.js';
import type { Realm } from './realm.js';
import { jsExceptionTag } from './tag.js';
import { isRejected } from './valtypes.js';
import { toJs, toWasm } from './values.js';
import { dictionary, enforceRangeU32, notReceiver, requireArgs, sequence } from './webidl.js';

export type ExceptionClass = ReturnType<typeof defineException>;

/** A stack that starts at the constructor's caller, as V8's own Exception's does (where the engine can leave frames out). */
function stackFrom(constructor: Function): string | undefined {
  const capture = (Error as { captureStackTrace?: (target: object, above: Function) => void }).captureStackTrace;
  if (typeof capture !== 'function') return new Error().stack;
  const holder: { stack?: string } = {};
  capture(holder, constructor);
  return holder.stack;
}

/** Defines this realm's Exception interface. */
export function defineException(realm: Realm) {
  const tagOf = (v: unknown, what: string): TagObject => {
    const t = realm.tag.unwrap(v);
    if (t === undefined) throw new TypeError(`${what}: the argument must be a WebAssembly.Tag`);
    return t;
  };

  let adopting: WasmException | null = null;
  const cache = new WeakMap<WasmException, Exception>();

  class Exception {
    readonly #exn: WasmException;
    readonly #stack: string | undefined;

    constructor(exceptionTag: unknown, payload: unknown, options?: unknown) {
      if (adopting !== null) {
        // "Create an Exception object" for an exception wasm threw.
        this.#exn = adopting;
        this.#stack = undefined;
        adopting = null;
        cache.set(this.#exn, this);
        return;
      }
      const what = 'WebAssembly.Exception';
      requireArgs(arguments.length, 2, what);
      const tag = tagOf(exceptionTag, what);
      const values = sequence(payload, `${what}: payload`);
      const traceStack = !!dictionary(options, what)['traceStack'];
      if (tag === jsExceptionTag(realm)) throw new TypeError(`${what}: exceptions of WebAssembly.JSTag cannot be created`);
      const types = tagParams(tag);
      if (types.length !== values.length) throw new TypeError(`${what}: the tag takes ${types.length} values, the payload has ${values.length}`);
      const wasmValues = types.map((t, i) => {
        if (isRejected(t)) throw new TypeError(`${what}: payload values of this type cannot come from JavaScript`);
        return toWasm(t, values[i], realm.jspi);
      });
      this.#exn = exceptionFromValues(tag, wasmValues);
      this.#stack = traceStack ? stackFrom(new.target) : undefined;
      cache.set(this.#exn, this);
    }

    static {
      realm.exception = {
        wrap: (raw) => cache.get(raw) ?? adopt(raw),
        unwrap: (v) => (typeof v === 'object' && v !== null && #exn in v ? v.#exn : undefined),
      };
    }

    /** Payload value `index`: a TypeError for another tag, a RangeError past the end. */
    getArg(exceptionTag: unknown, index: unknown): unknown {
      const what = 'WebAssembly.Exception.getArg';
      requireArgs(arguments.length, 2, what);
      const tag = tagOf(exceptionTag, what);
      const i = enforceRangeU32(index, what);
      if (tag !== this.#exn.tag) throw new TypeError(`${what}: the exception has another tag`);
      const types = tagParams(tag);
      if (i >= types.length) throw new RangeError(`${what}: index ${i} is out of bounds (${types.length} values)`);
      const t = types[i]!;
      if (isRejected(t)) throw new TypeError(`${what}: values of this type cannot be read from JavaScript`);
      return toJs(realm, t, exceptionField(this.#exn, i));
    }

    /** Whether the exception has this tag. */
    is(exceptionTag: unknown): boolean {
      requireArgs(arguments.length, 1, 'WebAssembly.Exception.is');
      return tagOf(exceptionTag, 'WebAssembly.Exception.is') === this.#exn.tag;
    }

    /** The stack captured at construction with `traceStack: true`, else undefined. */
    get stack(): string | undefined {
      if (realm.exception.unwrap(this) === undefined) notReceiver('WebAssembly.Exception.stack', 'Exception');
      return this.#stack;
    }
  }

  function adopt(raw: WasmException): Exception {
    adopting = raw;
    return new Exception(undefined, undefined);
  }

  asWebIdlInterface(Exception, 2);
  return Exception;
}
