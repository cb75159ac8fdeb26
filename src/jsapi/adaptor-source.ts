// JS source fragments for the boundary conversions of each value class, in both directions, shared
// by the exported-function and host-function adaptor generators.

import { Conv } from './valtypes.js';
import { HI, LO } from './adaptor-runtime.js';

/** The engine-side locals of a value: one name, or two (lo, hi) for i64. */
export function loweredNames(conv: Conv, name: string): string[] {
  return conv === Conv.I64 ? [name, `${name}h`] : [name];
}

/**
 * Statements converting JS value `js` to engine locals named `out` (ToWebAssemblyValue). `k` indexes
 * the per-function converter array C for the other reference types.
 */
export function toWasmSource(conv: Conv, js: string, out: string, k: number): string {
  switch (conv) {
    case Conv.I32: return `const ${out} = ${js} | 0;`;
    case Conv.I64: return `B64[0] = ${js}; const ${out} = I32[${LO}], ${out}h = I32[${HI}];`;
    case Conv.F32: return `const ${out} = fround(${js});`;
    case Conv.F64: return `const ${out} = +${js};`;
    // Until a GC type exists (GC.used) no Exported GC Object can: externrefs cost nothing before.
    case Conv.Extern: return `const ${out} = GC.used ? externIn(${js}) : ${js};`;
    case Conv.Func: return `const ${out} = ${js} === null ? null : toFuncref(${js}, realm.jspi);`;
    case Conv.OtherRef: return `const ${out} = C[${k}](${js});`;
    case Conv.Reject: throw new Error('internal error: no conversion for a rejected type');
  }
}

/**
 * An expression converting engine locals (`names`, as from loweredNames) to a JS value (ToJSValue).
 * `k` indexes the per-function converter array J for the other reference types.
 */
export function toJsExpr(conv: Conv, names: readonly string[], k: number): string {
  switch (conv) {
    case Conv.I32: return names[0]!;
    case Conv.F32: case Conv.F64: return `+${names[0]}`; // a NaNBox becomes the NaN it stands for
    case Conv.Extern: return `(GC.used ? externOut(${names[0]}) : ${names[0]})`;
    case Conv.I64: return `(I32[${LO}] = ${names[0]}, I32[${HI}] = ${names[1]}, B64[0])`;
    case Conv.Func: return `(${names[0]} === null ? null : realm.exportedFunction(${names[0]}))`;
    case Conv.OtherRef: return `J[${k}](${names[0]})`;
    case Conv.Reject: throw new Error('internal error: no conversion for a rejected type');
  }
}

/** The slot array holding result component k >= 1 of this class: RI, RF or RR. */
export function slotOf(conv: Conv): string {
  return conv === Conv.I32 || conv === Conv.I64 ? 'RI' : conv === Conv.F32 || conv === Conv.F64 ? 'RF' : 'RR';
}

/** A cache key for the shape of a signature: the conversion class of every parameter and result. */
export function shapeKey(params: readonly Conv[], results: readonly Conv[]): string {
  return `${params.join('')}>${results.join('')}`;
}

/** Parameter names a0..a(n-1). */
export function argNames(n: number, prefix: string): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}
