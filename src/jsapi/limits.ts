// The JS API's implementation-defined limits: a module over any of them is a CompileError in every JS
// embedding (the core spec sets none); a defined table over 10,000,000 elements, or a memory over
// 16 GiB, a RangeError at instantiation.
// Those on types, functions, parameters, results, struct fields and subtype depth are every engine's
// (validate/implementation-limits.ts).

import type { ExternKind, ModuleInfo } from '../binary/module.js';
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

/**
 * Throws the CompileError of a limit exceeded by `count`, at `offset`: where the first entry past the
 * limit (or the entry over it) starts, as any other CompileError names its place in the module.
 */
function check(what: string, count: number, limit: number, offset: number): void {
  if (count > limit) throw new CompileError(`${what}: ${count} exceeds the JS API limit of ${limit}`, offset);
}

/** The offset of entry `index` of an index space whose first `imported` entries are imports of `kind`. */
function entryOffset(m: ModuleInfo, kind: ExternKind, imported: number, defined: readonly number[], index: number): number {
  if (index >= imported) return defined[index - imported] ?? -1;
  let seen = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind === kind && seen++ === index) return imp.offset;
  }
  return -1;
}

/** Throws a CompileError if the module exceeds one of the JS API's limits. */
export function checkJsApiLimits(m: ModuleInfo): void {
  const o = m.offsets;
  check('module size in bytes', m.bytes.length, MAX_MODULE_SIZE, MAX_MODULE_SIZE);
  const groups = m.recGroups;
  check('recursion groups', groups.length, MAX_TYPES, groups.length > MAX_TYPES ? o.types[groups[MAX_TYPES]!.start] ?? -1 : -1);
  check('imports', m.imports.length, MAX_IMPORTS, m.imports[MAX_IMPORTS]?.offset ?? -1);
  check('exports', m.exports.length, MAX_EXPORTS, m.exports[MAX_EXPORTS]?.offset ?? -1);
  check('defined globals', m.globals.length - m.numImportedGlobals, MAX_GLOBALS, o.globals[MAX_GLOBALS] ?? -1);
  check('defined tags', m.tags.length - m.numImportedTags, MAX_TAGS, o.tags[MAX_TAGS] ?? -1);
  check('data segments', m.datas.length, MAX_DATA_SEGMENTS, m.datas[MAX_DATA_SEGMENTS]?.offsetInModule ?? -1);
  check('tables', m.tables.length, MAX_TABLES, entryOffset(m, 'table', m.numImportedTables, o.tables, MAX_TABLES));
  check('memories', m.memories.length, MAX_MEMORIES, entryOffset(m, 'memory', m.numImportedMemories, o.memories, MAX_MEMORIES));
  check('element segments', m.elems.length, MAX_ELEM_SEGMENTS, m.elems[MAX_ELEM_SEGMENTS]?.offsetInModule ?? -1);
  for (const e of m.elems) check('elements in a segment', (e.funcIndices ?? e.exprs ?? []).length, MAX_TABLE_INIT, e.offsetInModule);
  m.memories.forEach((mem, i) => {
    if (!mem.address64) return;
    const at = entryOffset(m, 'memory', m.numImportedMemories, o.memories, i);
    check('memory64 minimum pages', mem.limits.min, MAX_MEMORY64_PAGES, at);
    if (mem.limits.max !== null) check('memory64 maximum pages', mem.limits.max, MAX_MEMORY64_PAGES, at);
  });
  m.codes.forEach((body, i) => {
    check('function body size in bytes', new ByteReader(m.bytes, body.offset, m.bytes.length).u32(), MAX_FUNCTION_SIZE, body.offset);
    const type = m.types[m.funcTypes[m.numImportedFuncs + i]!]!.composite;
    const params = type.kind === 'func' ? type.params.length : 0;
    check('locals of a function (parameters included)', params + body.locals.length, MAX_LOCALS, body.offset);
  });
}

/**
 * The JS API's runtime limit on a memory's size: 16 GiB (262,144 pages), which only a 64-bit memory
 * can pass. A namespace's store enforces it on growth (StoreObject.maxMemoryBytes).
 */
export const MAX_MEMORY_BYTES = 2 ** 34;

/**
 * Throws a RangeError if instantiating would create a table or a memory above the JS API's runtime
 * limits (dynamic limits: the module compiles, as the spec's limits.any.js tests for tables).
 */
export function checkDynamicLimits(m: ModuleInfo): void {
  for (const t of m.tableDefs) {
    if (t.type.limits.min > MAX_TABLE_SIZE) {
      throw new RangeError(`table of ${t.type.limits.min} elements exceeds the JS API limit of ${MAX_TABLE_SIZE}`);
    }
  }
  for (let i = m.numImportedMemories; i < m.memories.length; i++) {
    const mem = m.memories[i]!;
    if (mem.limits.min * 2 ** mem.pageSizeLog2 > MAX_MEMORY_BYTES) {
      throw new RangeError(`memory ${i} of ${mem.limits.min} pages exceeds the JS API limit of ${MAX_MEMORY_BYTES} bytes`);
    }
  }
}
