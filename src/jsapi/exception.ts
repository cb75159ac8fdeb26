// WebAssembly.Exception: an exception of a tag with a payload, created from JS (wasm cannot throw
// or catch yet). `is` and `getArg` read it back; `stack` is set when asked with traceStack.

import { canonicalType } from '../validate/type-registry.js';
import type { FuncType, ValType } from '../core/types.js';
import type { TagObject } from '../runtime/tag.js';
import { asWebIdlInterface } from './interface.js';
import type { Realm } from './realm.js';
import { jsExceptionTag } from './tag.js';
import { isRejected } from './valtypes.js';
import { toJs, toWasm } from './values.js';
import { dictionary, enforceRangeU32, requireArgs, sequence } from './webidl.js';

export type ExceptionClass = ReturnType<typeof defineException>;

function tagParams(tag: TagObject): readonly ValType[] {
  return (canonicalType(tag.typeId).composite as FuncType).params;
}

/** Defines this realm's Exception interface. */
export function defineException(realm: Realm) {
  const tagOf = (v: unknown, what: string): TagObject => {
    const t = realm.tag.unwrap(v);
    if (t === undefined) throw new TypeError(`${what}: the argument must be a WebAssembly.Tag`);
    return t;
  };

  class Exception {
    readonly #tag: TagObject;
    readonly #payload: readonly unknown[];
    readonly #stack: string | undefined;

    constructor(exceptionTag: unknown, payload: unknown, options?: unknown) {
      const what = 'WebAssembly.Exception';
      requireArgs(arguments.length, 2, what);
      const tag = tagOf(exceptionTag, what);
      const values = sequence(payload, `${what}: payload`);
      const traceStack = !!dictionary(options, what)['traceStack'];
      if (tag === jsExceptionTag(realm)) throw new TypeError(`${what}: exceptions of WebAssembly.JSTag cannot be created`);
      const types = tagParams(tag);
      if (types.length !== values.length) throw new TypeError(`${what}: the tag takes ${types.length} values, the payload has ${values.length}`);
      this.#payload = types.map((t, i) => {
        if (isRejected(t)) throw new TypeError(`${what}: payload values of this type cannot come from JavaScript`);
        return toWasm(t, values[i]);
      });
      this.#tag = tag;
      this.#stack = traceStack ? new Error().stack : undefined;
    }

    /** Payload value `index`: a TypeError for another tag, a RangeError past the end. */
    getArg(exceptionTag: unknown, index: unknown): unknown {
      const what = 'WebAssembly.Exception.getArg';
      requireArgs(arguments.length, 2, what);
      const tag = tagOf(exceptionTag, what);
      const i = enforceRangeU32(index, what);
      if (tag !== this.#tag) throw new TypeError(`${what}: the exception has another tag`);
      if (i >= this.#payload.length) throw new RangeError(`${what}: index ${i} is out of bounds (${this.#payload.length} values)`);
      const t = tagParams(tag)[i]!;
      if (isRejected(t)) throw new TypeError(`${what}: values of this type cannot be read from JavaScript`);
      return toJs(realm, t, this.#payload[i]);
    }

    /** Whether the exception has this tag. */
    is(exceptionTag: unknown): boolean {
      requireArgs(arguments.length, 1, 'WebAssembly.Exception.is');
      return tagOf(exceptionTag, 'WebAssembly.Exception.is') === this.#tag;
    }

    /** The stack captured at construction with `traceStack: true`, else undefined. */
    get stack(): string | undefined {
      return this.#stack;
    }
  }

  asWebIdlInterface(Exception, 2);
  return Exception;
}
