// Func: a handle to a wasm or host function in a store. `call` checks arguments and converts
// Vals at the boundary; `new Func` / `Func.wrap` make host functions from JS.

import type { FuncType } from '../core/types.js';
import { callLowered, returnResults } from '../runtime/call.js';
import { WasmFunc } from '../runtime/func.js';
import { HostThrow } from '../runtime/traps.js';
import { canonicalType } from '../validate/type-registry.js';
import { registerFuncType } from './types.js';
import { checkStore, type Store } from './store.js';
import { jsToVal, liftVals, lowerVals, setFuncWrapper, valToJs, type Val } from './val.js';

/** A host function's implementation: Vals in, Vals out (an empty array for no results). */
export type HostFunction = (args: Val[]) => Val[];

export class Func {
  private constructor(readonly store: Store, readonly raw: WasmFunc) {}

  /** The handle of a runtime function (one per function and store). */
  static fromRaw(store: Store, raw: WasmFunc): Func {
    const cached = raw.handle as Func | null;
    if (cached !== null && cached.store === store) return cached;
    const f = new Func(store, raw);
    if (cached === null) raw.handle = f;
    return f;
  }

  /** A host function of type `type` (Wasmtime's Func::new). Exceptions it throws reach the caller of the wasm export unchanged. */
  static create(store: Store, type: FuncType, impl: HostFunction): Func {
    const id = registerFuncType(type);
    const canonical = canonicalType(id).composite as FuncType;
    // `arguments`, not a rest array: a rest array of doubles would quiet signalling NaNs.
    const fn = function (): unknown {
      // eslint-disable-next-line prefer-rest-params
      const lowered = arguments;
      let results: Val[];
      try {
        results = impl(liftVals(store, canonical.params, lowered));
      } catch (e) {
        throw new HostThrow(e);
      }
      let comps: unknown[];
      try {
        comps = lowerVals(store, canonical.results, results ?? [], 'host function result');
      } catch (e) {
        throw new HostThrow(e);
      }
      return returnResults(canonical, comps);
    };
    return Func.fromRaw(store, new WasmFunc(id, canonical, fn, null, -1));
  }

  /**
   * A host function from a plain JS function (Wasmtime's Func::wrap): i32/f32/f64 arrive as
   * numbers, i64 as bigint, references as themselves; it returns one such value, an array of
   * them for several results, or nothing.
   */
  static wrap(store: Store, type: FuncType, fn: (...args: any[]) => unknown): Func {
    return Func.create(store, type, (args) => {
      const r = fn(...args.map(valToJs));
      if (type.results.length === 0) return [];
      const values = type.results.length === 1 ? [r] : (r as unknown[]);
      return type.results.map((t, i) => jsToVal(t, values[i]));
    });
  }

  /** The function's type, with canonical type ids in reference types. */
  type(store: Store): FuncType {
    checkStore(store, this);
    return canonicalType(this.raw.type).composite as FuncType;
  }

  /** Calls the function. Wrong argument counts or types throw a TypeError before wasm runs; a trap throws Trap. */
  call(store: Store, args: readonly Val[] = []): Val[] {
    checkStore(store, this);
    const type = this.type(store);
    const lowered = lowerVals(store, type.params, args, 'argument');
    return liftVals(store, type.results, callLowered(this.raw, lowered));
  }
}

setFuncWrapper((store, f) => Func.fromRaw(store, f));
