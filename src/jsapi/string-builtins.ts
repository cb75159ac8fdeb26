// JS String Builtins: the JS API's builtin set "js-string" (imported from "wasm:js-string" by modules
// compiled with `{ builtins: ["js-string"] }`) and imported string constants (`importedStringConstants`).
// Each builtin is a host function of the exact type the spec gives it; a failure is a trap (a
// RuntimeError that wasm cannot catch), as the spec's "throw a RuntimeError as if a trap was executed".

import { Module as EngineModule } from '../api/module.js';
import { Engine } from '../api/engine.js';
import { CompileError, RuntimeError } from '../core/errors.js';
import { HT_EXTERN, refType } from '../core/types.js';
import type { WasmFunc } from '../runtime/func.js';
import type { GcArray } from '../runtime/gc-types.js';
import { markUncatchable } from '../runtime/exceptions.js';
import type { Import } from '../binary/module.js';
import { importExternType, matchesExternType } from '../validate/extern-match.js';
import { gcObjectOf } from './gc-objects.js';
import { makeHostFunction } from './host-adaptor.js';
import type { FuncRealm } from './values.js';

/** WebAssemblyCompileOptions after conversion: the builtin sets asked for and the string-constant module. */
export interface BuiltinOptions {
  readonly builtinSets: readonly string[];
  readonly importedStringModule: string | null;
}

export const NO_BUILTINS: BuiltinOptions = { builtinSets: [], importedStringModule: null };

const JS_STRING_MODULE = 'wasm:js-string';

/** The builtins' types, each function type in a rec group of its own, the array type too. */
const TYPES: Readonly<Record<string, string>> = {
  cast: '(param externref) (result (ref extern))',
  test: '(param externref) (result i32)',
  fromCharCodeArray: '(param (ref null $chars) i32 i32) (result (ref extern))',
  intoCharCodeArray: '(param externref (ref null $chars) i32) (result i32)',
  fromCharCode: '(param i32) (result (ref extern))',
  // The spec text still says `(result externref)` here; its fix for the builtins returning strings
  // ("current implementation reality in both Chrome and Firefox") missed this one, and the spec's
  // own JS API tests import it as `(ref extern)`, as engines do.
  fromCodePoint: '(param i32) (result (ref extern))',
  charCodeAt: '(param externref i32) (result i32)',
  codePointAt: '(param externref i32) (result i32)',
  length: '(param externref) (result i32)',
  concat: '(param externref externref) (result (ref extern))',
  substring: '(param externref i32 i32) (result (ref extern))',
  equals: '(param externref externref) (result i32)',
  compare: '(param externref externref) (result i32)',
};
const NAMES = Object.keys(TYPES);

function trap(what: string): never {
  throw markUncatchable(new RuntimeError(`wasm:js-string ${what}`));
}

function unwrapString(v: unknown, what: string): string {
  if (typeof v !== 'string') trap(`${what}: not a string`);
  return v;
}

/** The i16 elements of an `(array (mut i16))` argument (a Uint16Array: packed fields are stored unsigned). */
function charArray(v: unknown, what: string): Uint16Array {
  if (v === null) trap(`${what}: null array`);
  return (gcObjectOf(v) as GcArray).a as Uint16Array;
}

// The builtins are the real String functions, taken when this module loads: code that patches
// String, String.prototype, Function.prototype or Math later changes nothing ("These refer to the
// actual builtin and do not perform a dynamic lookup on the String object"). A method is called
// through Function.prototype.call bound to it, whose target is fixed by bind.
const uncurry = <A extends unknown[], R>(f: (this: string, ...args: A) => R): ((self: string, ...args: A) => R) =>
  Function.prototype.call.bind(f) as unknown as (self: string, ...args: A) => R;
const charCodeAt = uncurry(String.prototype.charCodeAt);
const codePointAt = uncurry(String.prototype.codePointAt);
const substringOf = uncurry(String.prototype.substring);
const fromCharCode = String.fromCharCode;
const fromCodePoint = String.fromCodePoint;
const fromCharCodeList = Function.prototype.apply.bind(String.fromCharCode) as (self: null, codes: ArrayLike<number>) => string;
const min = Math.min;

/** String.fromCharCode over a range, in chunks small enough for an argument list. */
function fromCharCodes(codes: Uint16Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 8192) s += fromCharCodeList(null, codes.subarray(i, min(end, i + 8192)));
  return s;
}

// i32 operands arrive as signed numbers; indices and counts are unsigned, hence `>>> 0`.
const STEPS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  cast: (v) => unwrapString(v, 'cast'),
  test: (v) => (typeof v === 'string' ? 1 : 0),
  fromCharCodeArray: (array, start, end) => {
    const codes = charArray(array, 'fromCharCodeArray');
    const [from, to] = [(start as number) >>> 0, (end as number) >>> 0];
    if (from > to || to > codes.length) trap('fromCharCodeArray: range out of bounds');
    return fromCharCodes(codes, from, to);
  },
  intoCharCodeArray: (string, array, start) => {
    const codes = charArray(array, 'intoCharCodeArray');
    const s = unwrapString(string, 'intoCharCodeArray');
    const at = (start as number) >>> 0;
    if (at + s.length > codes.length) trap('intoCharCodeArray: range out of bounds');
    for (let i = 0; i < s.length; i++) codes[at + i] = charCodeAt(s, i);
    return s.length;
  },
  fromCharCode: (v) => fromCharCode((v as number) >>> 0),
  fromCodePoint: (v) => {
    const cp = (v as number) >>> 0;
    if (cp > 0x10ffff) trap('fromCodePoint: not a code point');
    return fromCodePoint(cp);
  },
  charCodeAt: (string, index) => {
    const s = unwrapString(string, 'charCodeAt');
    const i = (index as number) >>> 0;
    if (i >= s.length) trap('charCodeAt: index out of bounds');
    return charCodeAt(s, i);
  },
  codePointAt: (string, index) => {
    const s = unwrapString(string, 'codePointAt');
    const i = (index as number) >>> 0;
    if (i >= s.length) trap('codePointAt: index out of bounds');
    return codePointAt(s, i);
  },
  length: (v) => unwrapString(v, 'length').length,
  concat: (a, b) => unwrapString(a, 'concat') + unwrapString(b, 'concat'),
  substring: (string, start, end) => {
    const s = unwrapString(string, 'substring');
    const [from, to] = [(start as number) >>> 0, (end as number) >>> 0];
    if (from > to || from > s.length) return '';
    return substringOf(s, from, to);
  },
  equals: (a, b) => {
    if (a !== null) unwrapString(a, 'equals');
    if (b !== null) unwrapString(b, 'equals');
    return a === b ? 1 : 0;
  },
  compare: (a, b) => {
    const [x, y] = [unwrapString(a, 'compare'), unwrapString(b, 'compare')];
    return x === y ? 0 : x < y ? -1 : 1;
  },
};

/** Canonical type id of each builtin's function type (canonical ids are process-wide, so any engine's module serves). */
let builtinTypes: ReadonlyMap<string, number> | null = null;

function typeOfBuiltin(name: string): number {
  if (builtinTypes === null) {
    const text = [
      '(module (rec (type $chars (array (mut i16))))',
      ...NAMES.map((n) => `(type $${n} (func ${TYPES[n]}))`),
      ...NAMES.map((n) => `(import "b" "${n}" (func (type $${n})))`),
      ')',
    ].join('\n');
    const m = new EngineModule(new Engine(), text);
    builtinTypes = new Map(m.info.imports.map((imp) => [imp.name, m.canon[(imp.desc as { typeIndex: number }).typeIndex]!]));
  }
  return builtinTypes.get(name)!;
}

/** The builtin an import names, if its module is an enabled builtin set ("find a builtin"). */
export function builtinOf(imp: Import, options: BuiltinOptions): string | null {
  if (imp.module !== JS_STRING_MODULE || !options.builtinSets.includes('js-string')) return null;
  // String constants named "wasm:js-string" win: the spec's "read the imports" sets them last.
  if (imp.module === options.importedStringModule) return null;
  return Object.hasOwn(TYPES, imp.name) ? imp.name : null;
}

/** Whether an import is answered by the options rather than the import object (Module.imports leaves these out). */
export function isBuiltinOrStringImport(imp: Import, options: BuiltinOptions): boolean {
  return imp.module === options.importedStringModule || builtinOf(imp, options) !== null;
}

/**
 * "Validate builtins and imported strings": no builtin set named twice, every string-constant import
 * an immutable global of a type `(ref extern)` matches, every builtin import of a type the builtin
 * matches. Throws CompileError naming the first import that fails.
 */
export function checkBuiltinImports(module: EngineModule, options: BuiltinOptions): void {
  if (new Set(options.builtinSets).size !== options.builtinSets.length) {
    throw new CompileError('WebAssemblyCompileOptions: a builtin set is named more than once');
  }
  const strings = { kind: 'global', type: refType(HT_EXTERN, false), mutable: false } as const;
  module.info.imports.forEach((imp, i) => {
    const want = importExternType(module.info, module.canon, i);
    if (imp.module === options.importedStringModule) {
      if (!matchesExternType(strings, want)) {
        throw new CompileError(`import "${imp.module}" "${imp.name}": a string constant must be an immutable global of type (ref extern) or externref`);
      }
      return;
    }
    const builtin = builtinOf(imp, options);
    if (builtin !== null && !matchesExternType({ kind: 'func', typeId: typeOfBuiltin(builtin), exact: true }, want)) {
      throw new CompileError(`import "${imp.module}" "${imp.name}": the builtin's type is (func ${TYPES[builtin]}), in a rec group of its own`);
    }
  });
}

/**
 * A new function for builtin `name` (the spec makes new ones for every instantiation), function
 * `index` of the importing module, whose Exported Function is named by it, as V8 names it.
 */
export function instantiateBuiltin(realm: FuncRealm, name: string, index: number): WasmFunc {
  return makeHostFunction(realm, STEPS[name], typeOfBuiltin(name), index);
}
