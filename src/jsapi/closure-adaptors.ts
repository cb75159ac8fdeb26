// The call adaptors of export-adaptor.ts and host-adaptor.ts as closures, for environments that refuse
// generated code (runtime/dynamic-code.ts). Same conversions in the same order, with the same errors;
// slower, since every call walks the signature.

import { componentArray } from '../runtime/lowering.js';
import { ADAPTOR_RUNTIME, HI, LO } from './adaptor-runtime.js';
import { Conv } from './valtypes.js';
import type { FuncRealm } from './values.js';

type Converter = (v: unknown) => unknown;
type JsCallable = (...args: unknown[]) => unknown;
type Lowered = (...args: unknown[]) => unknown;
/** What an Exported Function calls: the function's callable (or, in a JSPI namespace, a driver of its generator). */
export interface Callee { readonly fn: Lowered }

const { RI, RF, RR, DEPTH, B64, I32, fround, callFailure, hostFailure, toFuncref, iterateResults, GC, externIn, externOut, CALLER } = ADAPTOR_RUNTIME;

/** ToWebAssemblyValue: appends the lowered components of JS value `v` (two for i64). */
function pushWasm(out: unknown[], conv: Conv, v: unknown, C: readonly Converter[], k: number, realm: FuncRealm): void {
  switch (conv) {
    case Conv.I32: out.push((v as number) | 0); return;
    case Conv.I64:
      B64[0] = v as bigint;
      out.push(I32[LO], I32[HI]);
      return;
    case Conv.F32: out.push(fround(v as number)); return;
    case Conv.F64: out.push(+(v as number)); return;
    case Conv.Extern: out.push(GC.used ? externIn(v) : v); return;
    case Conv.Func: out.push(v === null ? null : toFuncref(v, realm.jspi)); return;
    case Conv.OtherRef: out.push(C[k]!(v)); return;
    case Conv.Reject: throw new Error('internal error: no conversion for a rejected type');
  }
}

/** ToJSValue of lowered components `lo` (and `hi` for i64). */
function toJs(conv: Conv, lo: unknown, hi: unknown, J: readonly Converter[], k: number, realm: FuncRealm): unknown {
  switch (conv) {
    case Conv.I32: return lo;
    case Conv.F32: case Conv.F64: return +(lo as number); // a NaNBox becomes the NaN it stands for
    case Conv.Extern: return GC.used ? externOut(lo) : lo;
    case Conv.I64:
      I32[LO] = lo as number;
      I32[HI] = hi as number;
      return B64[0];
    case Conv.Func: return lo === null ? null : realm.exportedFunction(lo as never);
    case Conv.OtherRef: return J[k]!(lo);
    case Conv.Reject: throw new Error('internal error: no conversion for a rejected type');
  }
}

/** The slot array of result component k >= 1 for a value of this class. */
function slotArray(conv: Conv): { [i: number]: unknown } {
  return conv === Conv.I32 || conv === Conv.I64 ? RI : conv === Conv.F32 || conv === Conv.F64 ? RF : RR;
}

/** An Exported Function's callable: `(a0, ..., a(n-1)) => result`, with length n. */
export function closureExportedCallable(
  f: Callee, params: readonly Conv[], results: readonly Conv[], C: readonly Converter[], J: readonly Converter[],
  realm: FuncRealm, rejectMessage: string | null,
): JsCallable {
  const call: JsCallable = rejectMessage !== null
    ? () => { throw new TypeError(rejectMessage); }
    : (...args) => {
      const lowered = componentArray();
      for (let i = 0; i < params.length; i++) pushWasm(lowered, params[i]!, args[i], C, i, realm);
      const depth = DEPTH[0]!, tails = DEPTH[1]!;
      let r: unknown;
      try {
        r = f.fn(...lowered);
      } catch (e) {
        throw callFailure(e, depth, realm as never, tails);
      }
      CALLER.i = null;
      if (results.length === 0) return undefined;
      const values: unknown[] = [];
      let c = 0;
      for (let j = 0; j < results.length; j++) {
        const conv = results[j]!;
        const lo = c === 0 ? r : slotArray(conv)[c];
        c++;
        let hi: unknown;
        if (conv === Conv.I64) hi = slotArray(conv)[c++];
        values.push(toJs(conv, lo, hi, J, j, realm));
      }
      return results.length === 1 ? values[0] : values;
    };
  Object.defineProperty(call, 'length', { value: params.length, configurable: true });
  return call;
}

/** A host function in the lowered convention: `(x0, x0h, ...) => component 0`, the rest in slots. */
export function closureHostFunction(
  fn: unknown, params: readonly Conv[], results: readonly Conv[], C: readonly Converter[], J: readonly Converter[],
  realm: FuncRealm, rejectMessage: string | null,
): Lowered {
  if (rejectMessage !== null) return () => { throw hostFailure(new TypeError(rejectMessage), realm as never); };
  return (...lowered) => {
    try {
      const args: unknown[] = [];
      let c = 0;
      for (let i = 0; i < params.length; i++) {
        const conv = params[i]!;
        const lo = lowered[c++];
        const hi = conv === Conv.I64 ? lowered[c++] : undefined;
        args.push(toJs(conv, lo, hi, J, i, realm));
      }
      const r = (fn as JsCallable)(...args);
      if (results.length === 0) return undefined;
      const vs = results.length === 1 ? [r] : iterateResults(r, results.length);
      const comps = componentArray();
      const slots: { [i: number]: unknown }[] = [];
      for (let j = 0; j < results.length; j++) {
        const before = comps.length;
        pushWasm(comps, results[j]!, vs[j], C, j, realm);
        for (let k = before; k < comps.length; k++) slots.push(slotArray(results[j]!));
      }
      // Slots are written only after every conversion, since a conversion may run JS that calls wasm.
      for (let k = 1; k < comps.length; k++) slots[k]![k] = comps[k];
      return comps[0];
    } catch (e) {
      throw hostFailure(e, realm as never);
    }
  };
}
