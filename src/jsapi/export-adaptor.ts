// Exported Functions: JS callables over wasm functions. Their source is generated once per signature
// shape (inline conversions to the lowered convention, results read from the return value and slots).

import type { FuncType } from '../core/types.js';
import type { WasmFunc } from '../runtime/func.js';
import { canonicalType } from '../validate/type-registry.js';
import { useClosureForms } from '../runtime/dynamic-code.js';
import { ADAPTOR_RUNTIME } from './adaptor-runtime.js';
import { ADAPTOR_URL } from '../runtime/code-registry.js';
import { closureExportedCallable, type Callee } from './closure-adaptors.js';
import { argNames, loweredNames, shapeKey, slotOf, toJsExpr, toWasmSource } from './adaptor-source.js';
import { Conv, convOf } from './valtypes.js';
import { refToJs, refToWasm, type FuncRealm } from './values.js';

type Converter = (v: unknown) => unknown;
type JsCallable = (...args: unknown[]) => unknown;
type ExportMaker = (f: Callee, C: readonly Converter[], J: readonly Converter[], realm: FuncRealm) => JsCallable;

/** Maker source per signature shape: generated once, evaluated once per function. */
const sources = new Map<string, string>();
const NONE: readonly Converter[] = [];

/** A new JS callable for `f` (the caller caches it and sets its name), calling `callee.fn`. */
export function makeExportedCallable(realm: FuncRealm, f: WasmFunc, callee: Callee = f): JsCallable {
  const type = canonicalType(f.type).composite as FuncType;
  const params = type.params.map(convOf);
  const results = type.results.map(convOf);
  const C = params.includes(Conv.OtherRef) ? type.params.map((t): Converter => (v) => refToWasm(t, v, realm.jspi)) : NONE;
  const J = results.includes(Conv.OtherRef) ? type.results.map((): Converter => (x) => refToJs(realm, x)) : NONE;
  if (useClosureForms()) {
    const reject = params.includes(Conv.Reject) || results.includes(Conv.Reject) ? REJECT_MESSAGE : null;
    return closureExportedCallable(callee, params, results, C, J, realm, reject);
  }
  const key = shapeKey(params, results);
  let src = sources.get(key);
  if (src === undefined) {
    src = `${exportMakerSource(params, results)}\n//# sourceURL=${ADAPTOR_URL}`;
    sources.set(key, src);
  }
  // A maker per function (V8 reuses the compiled source): its own type feedback keeps the call
  // of `f.fn` monomorphic, where one maker per shape would make it megamorphic across exports.
  const maker = new Function('rt', src)(ADAPTOR_RUNTIME) as ExportMaker;
  return maker(callee, C, J, realm);
}

const REJECT_MESSAGE = 'a function whose type has a v128 or exnref parameter or result cannot be called from JavaScript';

/** The source of a maker `(f, C, J, realm) => (a0, ...) => result` for one signature shape. */
function exportMakerSource(params: readonly Conv[], results: readonly Conv[]): string {
  const args = argNames(params.length, 'a');
  const head = [
    '"use strict";',
    'const { RI, RF, RR, DEPTH, B64, I32, fround, callFailure, toFuncref, GC, externIn, externOut, CALLER } = rt;',
    'return function make(f, C, J, realm) {',
  ];
  if (params.includes(Conv.Reject) || results.includes(Conv.Reject)) {
    return [...head, `  return (${args.join(', ')}) => { throw new TypeError(${JSON.stringify(REJECT_MESSAGE)}); };`, '};'].join('\n');
  }
  const body: string[] = [];
  const lowered: string[] = [];
  params.forEach((conv, i) => {
    body.push(toWasmSource(conv, args[i]!, `x${i}`, i));
    lowered.push(...loweredNames(conv, `x${i}`));
  });
  body.push('const depth = DEPTH[0], tails = DEPTH[1];', 'let r;');
  body.push(`try { r = f.fn(${lowered.join(', ')}); } catch (e) { throw callFailure(e, depth, realm, tails); }`);
  // No instance stays behind in CALLER (generated code leaves the caller of a call through a table there).
  body.push('CALLER.i = null;');
  body.push(...resultSource(results));
  return [...head, `  return (${args.join(', ')}) => {`, ...body.map((l) => `    ${l}`), '  };', '};'].join('\n');
}

/** Reads every lowered result component into locals v<j>[h], then returns undefined, one value or an array. */
function resultSource(results: readonly Conv[]): string[] {
  if (results.length === 0) return ['return undefined;'];
  const out: string[] = [];
  const values: string[] = [];
  let c = 0;
  results.forEach((conv, j) => {
    const names = loweredNames(conv, `v${j}`);
    for (const n of names) {
      out.push(`const ${n} = ${c === 0 ? 'r' : `${slotOf(conv)}[${c}]`};`);
      c++;
    }
    values.push(toJsExpr(conv, names, j));
  });
  out.push(results.length === 1 ? `return ${values[0]};` : `return [${values.join(', ')}];`);
  return out;
}
