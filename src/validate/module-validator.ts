// Module-level validation: imports, tables, memories, tags, globals, exports, start, segments and
// the declared function references, then every function body through the CodeValidator.

import { checkImplementationLimits } from './implementation-limits.js';
import { CompileError } from '../core/errors.js';
import type { WasmFeatures } from '../core/features.js';
import {
  I32, I64, heapOf, isExact, isNullable, isRef,
  type MemoryType, type TableType, type ValType,
} from '../core/types.js';
import type { ConstExpr, ModuleInfo } from '../binary/module.js';
import { readOpcode, skipImmediates } from '../binary/instructions.js';
import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';
import { CodeValidator } from './code-validator.js';
import { memoryTypeProblem } from './memory-type.js';
import type { ModuleTypes } from './module-types.js';
import { validateTypes } from './type-section.js';
import { refTypeFeatureProblem } from './ref-features.js';

function fail(message: string, at = -1): never {
  throw new CompileError(message, at, false);
}

export interface ModuleValidation {
  readonly types: ModuleTypes;
  /** 1 for every function that ref.func may name inside function bodies. */
  readonly declaredFuncs: Uint8Array;
  /** 1 for every defined function that makes a tail call. */
  readonly tailCallers: Uint8Array;
  /** 1 for every table an instruction writes. */
  readonly writtenTables: Uint8Array;
}

export function validateModuleInfo(m: ModuleInfo, features: WasmFeatures): ModuleValidation {
  checkImplementationLimits(m);
  const types = validateTypes(m, features);
  const valType = (t: ValType, at: number) => checkValType(m, features, t, at);

  let funcIndex = 0;
  for (const imp of m.imports) {
    const d = imp.desc;
    switch (d.kind) {
      case 'func':
        if (!types.isFunc(d.typeIndex)) typeError(m, d.typeIndex, 'function', imp.offset);
        funcIndex++;
        break;
      case 'table': checkTableType(m, features, d.type, imp.offset); break;
      case 'memory': checkMemoryType(d.type, imp.offset); break;
      case 'global': valType(d.type.type, imp.offset); break;
      case 'tag': checkTag(m, types, d.type.typeIndex, imp.offset); break;
    }
  }
  const at = m.offsets;
  for (let i = m.numImportedFuncs; i < m.funcTypes.length; i++) {
    const x = m.funcTypes[i]!;
    if (!types.isFunc(x)) typeError(m, x, 'function', at.funcs[i - m.numImportedFuncs] ?? -1);
  }
  if (!features.multi_memory && m.memories.length > 1) fail('multiple memories', secondOffset(m, 'memory', at.memories));
  if (!features.reference_types && m.tables.length > 1) fail('multiple tables', secondOffset(m, 'table', at.tables));
  for (let i = m.numImportedMemories; i < m.memories.length; i++) checkMemoryType(m.memories[i]!, at.memories[i - m.numImportedMemories] ?? -1);
  for (let i = m.numImportedTags; i < m.tags.length; i++) checkTag(m, types, m.tags[i]!.typeIndex, at.tags[i - m.numImportedTags] ?? -1);

  const code = new CodeValidator(m, types, features);
  const declared = new Uint8Array(m.funcTypes.length);
  const constExpr = (e: ConstExpr, t: ValType, globals: number, where: string) => {
    code.validateConstExpr(e, t, globals, where);
    markRefFuncs(m, features, e, declared);
  };

  m.tableDefs.forEach((def, i) => {
    const t = def.type;
    checkTableType(m, features, t, at.tables[i] ?? -1);
    const index = m.numImportedTables + i;
    if (def.init !== null) constExpr(def.init, t.element, m.numImportedGlobals, `table ${index}`);
    else if (!isNullable(t.element)) fail(`type mismatch: table ${index} of non-nullable type needs an initializer`, at.tables[i] ?? -1);
  });
  m.globalDefs.forEach((def, i) => {
    const index = m.numImportedGlobals + i;
    valType(def.type.type, at.globals[i] ?? -1);
    constExpr(def.init, def.type.type, index, `global ${index}`);
  });

  checkExports(m, declared);
  checkStart(m, types);
  m.elems.forEach((e, i) => {
    checkValType(m, features, e.type, e.offsetInModule, e.funcIndices === null);
    if (e.mode === 'active') {
      const table = m.tables[e.table];
      if (table === undefined) fail(`unknown table ${e.table}`, e.offsetInModule);
      constExpr(e.offset!, table.address64 ? I64 : I32, m.globals.length, `elem segment ${i}`);
      if (!types.matches(e.type, table.element)) {
        fail(`type mismatch: element segment ${i} does not match table ${e.table}`, e.offsetInModule);
      }
    }
    if (e.funcIndices !== null) {
      for (const f of e.funcIndices) {
        if (f >= m.funcTypes.length) fail(`unknown function ${f}`, e.offsetInModule);
        declared[f] = 1;
      }
    } else {
      for (const x of e.exprs!) constExpr(x, e.type, m.globals.length, `elem segment ${i}`);
    }
  });
  m.datas.forEach((d, i) => {
    if (d.mode !== 'active') return;
    const mem = m.memories[d.memory];
    if (mem === undefined) fail(`unknown memory ${d.memory}`, d.offsetInModule);
    code.validateConstExpr(d.offset!, mem.address64 ? I64 : I32, m.globals.length, `data segment ${i}`);
  });

  code.declaredFuncs = declared;
  for (let i = m.numImportedFuncs; i < m.funcTypes.length; i++) code.validateFunction(i);
  return { types, declaredFuncs: declared, tailCallers: code.tailCallers, writtenTables: code.writtenTables };
}

/** The offset of the second table or memory (its import, or the definition at `defined`). */
function secondOffset(m: ModuleInfo, kind: 'table' | 'memory', defined: readonly number[]): number {
  const imported = m.imports.filter((imp) => imp.desc.kind === kind);
  return imported.length >= 2 ? imported[1]!.offset : defined[1 - imported.length] ?? -1;
}

function typeError(m: ModuleInfo, x: number, what: string, at: number): never {
  if (x >= m.types.length) fail(`unknown type ${x}`, at);
  return fail(`type mismatch: type ${x} is not a ${what} type`, at);
}

/** `gated`: whether the type came from the binary (an element segment of function indices gets (ref func) implicitly). */
function checkValType(m: ModuleInfo, features: WasmFeatures, t: ValType, at: number, gated = true): void {
  if (!isRef(t)) return;
  const h = heapOf(t);
  if (h >= 0 && h >= m.types.length) fail(`unknown type ${h}`, at);
  if (isExact(t) && !features.custom_descriptors) throw new CompileError('malformed heap type', at, true);
  const problem = gated ? refTypeFeatureProblem(t, features) : null;
  if (problem !== null) throw new CompileError(`malformed value type: ${problem}`, at, true);
}

function checkTag(m: ModuleInfo, types: ModuleTypes, x: number, at: number): void {
  const ft = types.func(x);
  if (ft === undefined) typeError(m, x, 'function', at);
  if (ft.results.length !== 0) fail('non-empty tag result type', at);
}

const MAX_TABLE32 = 0xffffffff;

function checkTableType(m: ModuleInfo, features: WasmFeatures, t: TableType, at: number): void {
  checkValType(m, features, t.element, at);
  const { min, max } = t.limits;
  const limit = t.address64 ? 2 ** 64 : MAX_TABLE32;
  if (min > limit) fail(`table size must be at most ${t.address64 ? '2^64-1' : '2^32-1'}`, at);
  if (max !== null) {
    if (max > limit) fail(`table size must be at most ${t.address64 ? '2^64-1' : '2^32-1'}`, at);
    if (min > max) fail('size minimum must not be greater than maximum', at);
  }
}

function checkMemoryType(t: MemoryType, at: number): void {
  const problem = memoryTypeProblem(t);
  if (problem !== null) fail(problem, at);
}

function checkExports(m: ModuleInfo, declared: Uint8Array): void {
  const names = new Set<string>();
  for (const e of m.exports) {
    if (names.has(e.name)) fail(`duplicate export name "${e.name}"`, e.offset);
    names.add(e.name);
    const count = e.kind === 'func' ? m.funcTypes.length
      : e.kind === 'table' ? m.tables.length
        : e.kind === 'memory' ? m.memories.length
          : e.kind === 'global' ? m.globals.length : m.tags.length;
    if (e.index >= count) fail(`unknown ${e.kind === 'func' ? 'function' : e.kind} ${e.index}`, e.offset);
    if (e.kind === 'func') declared[e.index] = 1;
  }
}

function checkStart(m: ModuleInfo, types: ModuleTypes): void {
  if (m.start === null) return;
  const x = m.funcTypes[m.start];
  if (x === undefined) fail(`unknown function ${m.start}`, m.offsets.start);
  const ft = types.func(x)!;
  if (ft.params.length !== 0 || ft.results.length !== 0) fail('start function must not have parameters or results', m.offsets.start);
}

/** Marks every function a (valid) constant expression names with ref.func. */
function markRefFuncs(m: ModuleInfo, features: WasmFeatures, e: ConstExpr, declared: Uint8Array): void {
  const r = new ByteReader(m.bytes, e.start, e.end);
  while (r.pos < r.end) {
    const op = readOpcode(r, features);
    if (op.code === Op.RefFunc) declared[r.u32()] = 1;
    else skipImmediates(r, op);
  }
}

