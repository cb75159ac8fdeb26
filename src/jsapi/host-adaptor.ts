// Host functions: an imported JS callable as a function of the engine's lowered convention, from source
// generated once per signature shape; what the JS side throws becomes a wasm exception (see hostFailure).

import type { FuncType } from '../core/types.js';
import { WasmFunc } from '../runtime/func.js';
import { canonicalType } from '../validate/type-registry.js';
import { useClosureForms } from '../runtime/dynamic-code.js';
import { ADAPTOR_RUNTIME } from './adaptor-runtime.js';
import { ADAPTOR_URL } from '../runtime/code-registry.js';
import { closureHostFunction } from './closure-adaptors.js';
import { generatorHost } from './jspi.js';
import { loweredNames, shapeKey, slotOf, toJsExpr, toWasmSource } from './adaptor-source.js';
import { Conv, convOf } from './valtypes.js';
import { refToJs, refToWasm, type FuncRealm } from './values.js';

type Converter = (v: unknown) => unknown;
type Lowered = (...args: unknown[]) => unknown;
type HostMaker = (fn: unknown, C: readonly Converter[], J: readonly Converter[], realm: FuncRealm) => Lowered;

/** Maker source per signature shape: generated once, evaluated once per function. */
const sources = new Map<string, string>();
const NONE: readonly Converter[] = [];

/**
 * The spec's "create a host function": a new function of canonical type `typeId` calling `fn`.
 * `index` is the index of the host function (its position among the module's function imports).
 */
export function makeHostFunction(realm: FuncRealm, fn: unknown, typeId: number, index: number): WasmFunc {
  const type = canonicalType(typeId).composite as FuncType;
  const params = type.params.map(convOf);
  const results = type.results.map(convOf);
  const C = results.includes(Conv.OtherRef) ? type.results.map((t): Converter => (v) => refToWasm(t, v, realm.jspi)) : NONE;
  const J = params.includes(Conv.OtherRef) ? type.params.map((): Converter => (x) => refToJs(realm, x)) : NONE;
  if (useClosureForms()) {
    const reject = params.includes(Conv.Reject) || results.includes(Conv.Reject) ? REJECT_MESSAGE : null;
    return new WasmFunc(typeId, type, forRealm(realm, closureHostFunction(fn, params, results, C, J, realm, reject)), null, index);
  }
  const key = shapeKey(params, results);
  let src = sources.get(key);
  if (src === undefined) {
    src = `${hostMakerSource(params, results)}\n//# sourceURL=${ADAPTOR_URL}`;
    sources.set(key, src);
  }
  // A maker per function (V8 reuses the compiled source): its own type feedback keeps the call
  // of `fn` monomorphic, where one maker per shape would make it megamorphic across functions.
  const maker = new Function('rt', src)(ADAPTOR_RUNTIME) as HostMaker;
  return new WasmFunc(typeId, type, forRealm(realm, maker(fn, C, J, realm)), null, index);
}

/** In a JSPI namespace the host function is called as generator code calls everything. */
function forRealm(realm: FuncRealm, fn: Lowered): Lowered {
  return realm.jspi ? generatorHost(fn) : fn;
}

const REJECT_MESSAGE = 'a function whose type has a v128 or exnref parameter or result cannot be implemented in JavaScript';

/** The source of a maker `(fn, C, J, realm) => function (x0, x0h, ...) {...}` for one signature shape. */
function hostMakerSource(params: readonly Conv[], results: readonly Conv[]): string {
  const head = [
    '"use strict";',
    'const { RI, RF, RR, B64, I32, fround, hostFailure, toFuncref, iterateResults, GC, externIn, externOut } = rt;',
    'return function make(fn, C, J, realm) {',
  ];
  const lowered: string[] = [];
  const jsArgs: string[] = [];
  const body: string[] = [];
  params.forEach((conv, i) => {
    if (conv === Conv.Reject) return;
    const names = loweredNames(conv, `x${i}`);
    lowered.push(...names);
    body.push(`const a${i} = ${toJsExpr(conv, names, i)};`);
    jsArgs.push(`a${i}`);
  });
  if (params.includes(Conv.Reject) || results.includes(Conv.Reject)) {
    return [...head, `  return function () { throw hostFailure(new TypeError(${JSON.stringify(REJECT_MESSAGE)}), realm); };`, '};'].join('\n');
  }
  body.push(`const r = fn(${jsArgs.join(', ')});`);
  body.push(...resultSource(results));
  return [
    ...head,
    `  return function (${lowered.join(', ')}) {`,
    '    try {',
    ...body.map((l) => `      ${l}`),
    '    } catch (e) { throw hostFailure(e, realm); }',
    '  };',
    '};',
  ].join('\n');
}

/** Converts the JS result into locals y<j>[h] first, then writes the slots, then returns component 0. */
function resultSource(results: readonly Conv[]): string[] {
  if (results.length === 0) return ['return undefined;'];
  const out: string[] = [];
  const single = results.length === 1;
  if (!single) out.push(`const vs = iterateResults(r, ${results.length});`);
  const comps: { name: string; slot: string }[] = [];
  results.forEach((conv, j) => {
    out.push(toWasmSource(conv, single ? 'r' : `vs[${j}]`, `y${j}`, j));
    for (const n of loweredNames(conv, `y${j}`)) comps.push({ name: n, slot: slotOf(conv) });
  });
  // Slots are written only after every conversion, since a conversion may run JS that calls wasm.
  comps.forEach((c, k) => {
    if (k > 0) out.push(`${c.slot}[${k}] = ${c.name};`);
  });
  out.push(`return ${comps[0]!.name};`);
  return out;
}
