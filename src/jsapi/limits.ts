// The JS API's implementation-defined limits: a module over any of them is a CompileError in every JS
// embedding (the core spec sets none); a defined table over 10,000,000 elements a RangeError at instantiation.
// Those on types, functions, parameters, results, struct fields and subtype depth are every engine's
// (validate/implementation-limits.ts).

import type { ModuleInfo } from '../binary/module.js';
import { ByteReader } from '../binary/reader.js';
import { CompileError } from '../core/errors.js';
import { MAX_TYPES } from '../validate/implementation-limits.js';

/** The JS API's limit on table sizes, at instantiation and when growing from JS. */
export const MAX_TABLE_SIZE = 10_000_000;

const MAX_MODULE_SIZE = 1024 * 1024 * 1024;
const MAX_IMPORTS = 1_000_000;
const MAX_EXPORTS = 1_000_000;
const MAX_GLOBALS = 1_000_000;
const MAX_TAGS = 1_000_000;
const MAX_DATA_SEGMENTS = 100_000;
const MAX_TABLES = 100_000;
const MAX_MEMORIES = 100;
const MAX_ELEM_SEGMENTS = 10_000_000;
const MAX_TABLE_INIT = 10_000_000;
const MAX_MEMORY64_PAGES = 2 ** 37 - 1;
const MAX_FUNCTION_SIZE = 7_654_321;
const MAX_LOCALS = 50_000;

function over(what: string, count: number, limit: number): never {
  throw new CompileError(`${what}: ${count} exceeds the JS API limit of ${limit}`);
}

function check(what: string, count: number, limit: number): void {
  if (count > limit) over(what, count, limit);
}

/** Throws a CompileError if the module exceeds one of the JS API's limits. */
export function checkJsApiLimits(m: ModuleInfo): void {
  check('module size in bytes', m.bytes.length, MAX_MODULE_SIZE);
  check('recursion groups', m.recGroups.length, MAX_TYPES);
  check('imports', m.imports.length, MAX_IMPORTS);
  check('exports', m.exports.length, MAX_EXPORTS);
  check('defined globals', m.globals.length - m.numImportedGlobals, MAX_GLOBALS);
  check('defined tags', m.tags.length - m.numImportedTags, MAX_TAGS);
  check('data segments', m.datas.length, MAX_DATA_SEGMENTS);
  check('tables', m.tables.length, MAX_TABLES);
  check('memories', m.memories.length, MAX_MEMORIES);
  check('element segments', m.elems.length, MAX_ELEM_SEGMENTS);
  for (const e of m.elems) check('elements in a segment', (e.funcIndices ?? e.exprs ?? []).length, MAX_TABLE_INIT);
  for (const mem of m.memories) {
    if (!mem.address64) continue;
    check('memory64 minimum pages', mem.limits.min, MAX_MEMORY64_PAGES);
    if (mem.limits.max !== null) check('memory64 maximum pages', mem.limits.max, MAX_MEMORY64_PAGES);
  }
  m.codes.forEach((body, i) => {
    check('function body size in bytes', new ByteReader(m.bytes, body.offset, m.bytes.length).u32(), MAX_FUNCTION_SIZE);
    const type = m.types[m.funcTypes[m.numImportedFuncs + i]!]!.composite;
    const params = type.kind === 'func' ? type.params.length : 0;
    check('locals of a function (parameters included)', params + body.locals.length, MAX_LOCALS);
  });
}

/** Throws a RangeError if instantiating would create a table above the JS API's size limit. */
export function checkTableSizes(m: ModuleInfo): void {
  for (const t of m.tableDefs) {
    if (t.type.limits.min > MAX_TABLE_SIZE) {
      throw new RangeError(`table of ${t.type.limits.min} elements exceeds the JS API limit of ${MAX_TABLE_SIZE}`);
    }
  }
}
