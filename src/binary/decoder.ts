// The binary decoder: module bytes -> ModuleInfo. It checks everything the binary format
// requires (section order and sizes, encodings, counts) and leaves typing to the validator.

import { CompileError } from '../core/errors.js';
import { WASM3_FEATURES, type WasmFeatures } from '../core/features.js';
import {
  FUNCREF, HT_FUNC, refType,
  type CompositeType, type FieldType, type GlobalType, type Limits, type MemoryType, type SubType,
  type TableType, type TagType, type ValType,
} from '../core/types.js';
import { opensBlock, readOpcode, skipImmediates } from './instructions.js';
import type {
  ConstExpr, CustomSection, DataSegment, ElemSegment, Export, ExternKind, FunctionBody, Global,
  Import, ImportDesc, ModuleInfo, NameSection, RecGroup, Table,
} from './module.js';
import { decodeNameSection } from './names.js';
import { Op } from './op.js';
import { ByteReader } from './reader.js';

/** Implementation limit on the locals of one function (V8 and Wasmtime use the same). */
export const MAX_LOCALS = 50000;

const SECTION_CUSTOM = 0;
const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_FUNCTION = 3;
const SECTION_TABLE = 4;
const SECTION_MEMORY = 5;
const SECTION_GLOBAL = 6;
const SECTION_EXPORT = 7;
const SECTION_START = 8;
const SECTION_ELEMENT = 9;
const SECTION_CODE = 10;
const SECTION_DATA = 11;
const SECTION_DATA_COUNT = 12;
const SECTION_TAG = 13;

/** Position of each known section id in the required order (tags sit between memories and globals). */
const SECTION_ORDER: Readonly<Record<number, number>> = {
  [SECTION_TYPE]: 1, [SECTION_IMPORT]: 2, [SECTION_FUNCTION]: 3, [SECTION_TABLE]: 4,
  [SECTION_MEMORY]: 5, [SECTION_TAG]: 6, [SECTION_GLOBAL]: 7, [SECTION_EXPORT]: 8,
  [SECTION_START]: 9, [SECTION_ELEMENT]: 10, [SECTION_DATA_COUNT]: 11, [SECTION_CODE]: 12,
  [SECTION_DATA]: 13,
};

const EXTERN_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

/** Decodes a module. Throws CompileError (with `malformed` set) for anything not in the binary format. */
/** The version and layer fields of a component's preamble, read as one little-endian u32. */
const COMPONENT_VERSION = 0x0001000d;

export function decodeModule(bytes: Uint8Array, features: WasmFeatures = WASM3_FEATURES): ModuleInfo {
  return new ModuleDecoder(bytes, features).decode();
}

class ModuleDecoder {
  private readonly r: ByteReader;
  private readonly types: SubType[] = [];
  private readonly recGroups: RecGroup[] = [];
  private readonly imports: Import[] = [];
  private readonly funcTypes: number[] = [];
  private readonly tables: TableType[] = [];
  private readonly memories: MemoryType[] = [];
  private readonly globals: GlobalType[] = [];
  private readonly tags: TagType[] = [];
  private readonly tableDefs: Table[] = [];
  private readonly globalDefs: Global[] = [];
  private readonly exports: Export[] = [];
  private readonly elems: ElemSegment[] = [];
  private readonly datas: DataSegment[] = [];
  private readonly codes: FunctionBody[] = [];
  private readonly customSections: CustomSection[] = [];
  private start: number | null = null;
  private readonly offsets = { types: [] as number[], funcs: [] as number[], tables: [] as number[], memories: [] as number[], globals: [] as number[], tags: [] as number[], start: -1 };
  private codeSectionStart: number | null = null;
  private dataCount: number | null = null;
  private definedFuncCount = 0;
  private names: NameSection | null = null;

  /** Tags (their section and import kind) come with either exception proposal, the legacy one too. */
  private readonly hasTags: boolean;

  constructor(private readonly bytes: Uint8Array, private readonly features: WasmFeatures) {
    this.r = new ByteReader(bytes);
    this.hasTags = features.exceptions || features.legacy_exceptions;
  }

  decode(): ModuleInfo {
    const r = this.r;
    if (r.u32le() !== 0x6d736100) r.fail('magic header not detected', 0);
    const version = r.u32le();
    // A component (the component model's binary: version 0x0d, layer 1) is the likeliest other wasm file.
    if (version === COMPONENT_VERSION) r.fail('unknown binary version: this is a WebAssembly component, not a core module; tswasm runs core modules (jco transpile turns a component into core modules and JS)', 4);
    if (version !== 1) r.fail('unknown binary version', 4);
    let lastOrder = 0;
    let lastId = 0;
    while (!r.atEnd()) {
      const idAt = r.pos;
      const id = r.u8();
      if (id > SECTION_TAG) r.fail('malformed section id', idAt);
      if (id === SECTION_TAG && !this.hasTags) r.fail('malformed section id', idAt);
      const size = r.length();
      const sectionEnd = r.pos + size;
      if (id !== SECTION_CUSTOM) {
        const order = SECTION_ORDER[id]!;
        if (order <= lastOrder) r.fail('unexpected content after last section', idAt);
        lastOrder = order;
        lastId = id;
      }
      // Like the reference interpreter, a section is read up to the end of the module and its size
      // checked afterwards, so a short section reports what went wrong inside it.
      const outerEnd = r.end;
      if (id === SECTION_CUSTOM) r.end = sectionEnd;
      this.section(id, idAt, lastId);
      if (r.pos !== sectionEnd) r.fail('section size mismatch', r.pos);
      r.end = outerEnd;
    }
    if (this.definedFuncCount !== this.codes.length) {
      r.fail('function and code section have inconsistent lengths', this.bytes.length);
    }
    if (this.dataCount !== null && this.dataCount !== this.datas.length) {
      r.fail('data count and data section have inconsistent lengths', this.bytes.length);
    }
    return {
      bytes: this.bytes,
      types: this.types,
      recGroups: this.recGroups,
      imports: this.imports,
      funcTypes: this.funcTypes,
      tables: this.tables,
      memories: this.memories,
      globals: this.globals,
      tags: this.tags,
      numImportedFuncs: this.countImports('func'),
      numImportedTables: this.countImports('table'),
      numImportedMemories: this.countImports('memory'),
      numImportedGlobals: this.countImports('global'),
      numImportedTags: this.countImports('tag'),
      tableDefs: this.tableDefs,
      globalDefs: this.globalDefs,
      exports: this.exports,
      start: this.start,
      elems: this.elems,
      datas: this.datas,
      dataCount: this.dataCount,
      codes: this.codes,
      codeSectionStart: this.codeSectionStart,
      customSections: this.customSections,
      names: this.names,
      offsets: this.offsets,
    };
  }

  private countImports(kind: ExternKind): number {
    let n = 0;
    for (const imp of this.imports) if (imp.desc.kind === kind) n++;
    return n;
  }

  private section(id: number, at: number, after: number): void {
    switch (id) {
      case SECTION_CUSTOM: return this.customSection(at, after);
      case SECTION_TYPE: return this.vector(() => this.recType());
      case SECTION_IMPORT: return this.vector(() => this.importEntry());
      case SECTION_FUNCTION: return this.functionSection();
      case SECTION_TABLE: return this.vector(() => this.tableEntry());
      case SECTION_MEMORY: return this.vector(() => {
        this.offsets.memories.push(this.r.pos);
        this.memories.push(this.memoryType());
      });
      case SECTION_TAG: return this.vector(() => {
        this.offsets.tags.push(this.r.pos);
        this.tags.push(this.tagType());
      });
      case SECTION_GLOBAL: return this.vector(() => this.globalEntry());
      case SECTION_EXPORT: return this.vector(() => this.exportEntry());
      case SECTION_START:
        this.offsets.start = this.r.pos;
        this.start = this.r.u32();
        return;
      case SECTION_ELEMENT: return this.vector(() => this.elemSegment());
      case SECTION_DATA_COUNT: this.dataCount = this.r.u32(); return;
      case SECTION_CODE:
        this.codeSectionStart = this.r.pos;
        return this.vector(() => this.functionBody());
      case SECTION_DATA: return this.vector(() => this.dataSegment());
    }
  }

  private vector(entry: () => unknown): void {
    const n = this.r.count();
    for (let i = 0; i < n; i++) entry();
  }

  private customSection(at: number, after: number): void {
    const r = this.r;
    const name = r.name();
    const data = r.take(r.remaining());
    this.customSections.push({ name, data, after, offset: at });
    if (name === 'name' && this.names === null) this.names = decodeNameSection(data);
  }

  // Types

  private recType(): void {
    const r = this.r;
    const start = this.types.length;
    if (r.peek() === 0x4e) {
      r.pos++;
      const n = r.count();
      for (let i = 0; i < n; i++) {
        this.offsets.types.push(r.pos);
        this.types.push(this.subType());
      }
      this.recGroups.push({ start, size: n });
    } else {
      this.offsets.types.push(r.pos);
      this.types.push(this.subType());
      this.recGroups.push({ start, size: 1 });
    }
  }

  private subType(): SubType {
    const r = this.r;
    const first = r.peek();
    if (first === 0x50 || first === 0x4f) {
      r.pos++;
      const n = r.count();
      const supertypes: number[] = [];
      for (let i = 0; i < n; i++) supertypes.push(r.typeIndex());
      return { final: first === 0x4f, supertypes, ...this.describedCompositeType() };
    }
    return { final: true, supertypes: [], ...this.describedCompositeType() };
  }

  /** The composite type with the custom-descriptors `describes` / `descriptor` clauses, in that order. */
  private describedCompositeType(): { composite: CompositeType; describes?: number; descriptor?: number } {
    const r = this.r;
    let describes: number | undefined;
    let descriptor: number | undefined;
    if (this.features.custom_descriptors && r.peek() === 0x4c) {
      r.pos++;
      describes = r.typeIndex();
    }
    if (this.features.custom_descriptors && r.peek() === 0x4d) {
      r.pos++;
      descriptor = r.typeIndex();
    }
    const composite = this.compositeType();
    const result: { composite: CompositeType; describes?: number; descriptor?: number } = { composite };
    if (describes !== undefined) result.describes = describes;
    if (descriptor !== undefined) result.descriptor = descriptor;
    return result;
  }

  private compositeType(): CompositeType {
    const r = this.r;
    const at = r.pos;
    const form = r.u8();
    switch (form) {
      case 0x60: {
        const params = this.resultType();
        const results = this.resultType();
        return { kind: 'func', params, results };
      }
      case 0x5f: {
        const n = r.count();
        const fields: FieldType[] = [];
        for (let i = 0; i < n; i++) fields.push(this.fieldType());
        return { kind: 'struct', fields };
      }
      case 0x5e:
        return { kind: 'array', element: this.fieldType() };
    }
    return r.fail('malformed definition type', at);
  }

  private resultType(): ValType[] {
    const r = this.r;
    const n = r.count();
    const types: ValType[] = [];
    for (let i = 0; i < n; i++) types.push(r.valType());
    return types;
  }

  private fieldType(): FieldType {
    const type = this.r.storageType();
    return { type, mutable: this.mutability() };
  }

  private mutability(): boolean {
    const r = this.r;
    const at = r.pos;
    const m = r.u8();
    if (m > 1) r.fail('malformed mutability', at);
    return m === 1;
  }

  private limits(forMemory: boolean): { limits: Limits; address64: boolean; shared: boolean; pageSizeLog2: number } {
    const r = this.r;
    const at = r.pos;
    const flags = r.u8();
    let allowed = 0x05;
    if (forMemory && this.features.threads) allowed |= 0x02;
    if (forMemory && this.features.custom_page_sizes) allowed |= 0x08;
    if (flags & ~allowed) r.fail('malformed limits flags', at);
    const min = r.u64();
    const max = flags & 0x01 ? r.u64() : null;
    let pageSizeLog2 = 16;
    if (flags & 0x08) {
      const pAt = r.pos;
      pageSizeLog2 = r.u32();
      if (pageSizeLog2 > 64) r.fail('invalid custom page size', pAt);
    }
    return { limits: { min, max }, address64: (flags & 0x04) !== 0, shared: (flags & 0x02) !== 0, pageSizeLog2 };
  }

  private memoryType(): MemoryType {
    return this.limits(true);
  }

  private tableType(): TableType {
    const element = this.r.refType();
    const { limits, address64 } = this.limits(false);
    return { element, limits, address64 };
  }

  private globalType(): GlobalType {
    const type = this.r.valType();
    return { type, mutable: this.mutability() };
  }

  private tagType(): TagType {
    const r = this.r;
    const at = r.pos;
    if (r.u8() !== 0) r.fail('zero byte expected', at);
    return { typeIndex: r.u32() };
  }

  // Imports and definitions

  private importEntry(): void {
    const r = this.r;
    const offset = r.pos;
    const module = r.name();
    const name = r.name();
    const kindAt = r.pos;
    const kind = r.u8();
    let desc: ImportDesc;
    switch (kind) {
      case 0x00: {
        const typeIndex = r.u32();
        desc = { kind: 'func', typeIndex, exact: false };
        this.funcTypes.push(typeIndex);
        break;
      }
      case 0x20: {
        if (!this.features.custom_descriptors) r.fail('malformed import kind', kindAt);
        const typeIndex = r.u32();
        desc = { kind: 'func', typeIndex, exact: true };
        this.funcTypes.push(typeIndex);
        break;
      }
      case 0x01: {
        const type = this.tableType();
        desc = { kind: 'table', type };
        this.tables.push(type);
        break;
      }
      case 0x02: {
        const type = this.memoryType();
        desc = { kind: 'memory', type };
        this.memories.push(type);
        break;
      }
      case 0x03: {
        const type = this.globalType();
        desc = { kind: 'global', type };
        this.globals.push(type);
        break;
      }
      case 0x04: {
        if (!this.hasTags) r.fail('malformed import kind', kindAt);
        const type = this.tagType();
        desc = { kind: 'tag', type };
        this.tags.push(type);
        break;
      }
      default:
        return r.fail('malformed import kind', kindAt);
    }
    this.imports.push({ module, name, desc, offset });
  }

  private functionSection(): void {
    const r = this.r;
    const n = r.count();
    for (let i = 0; i < n; i++) {
      this.offsets.funcs.push(r.pos);
      this.funcTypes.push(r.u32());
    }
    this.definedFuncCount = n;
  }

  private tableEntry(): void {
    const r = this.r;
    this.offsets.tables.push(r.pos);
    if (r.peek() === 0x40) {
      r.pos++;
      const at = r.pos;
      if (r.u8() !== 0) r.fail('zero byte expected', at);
      const type = this.tableType();
      this.tables.push(type);
      this.tableDefs.push({ type, init: this.constExpr() });
      return;
    }
    const type = this.tableType();
    this.tables.push(type);
    this.tableDefs.push({ type, init: null });
  }

  private globalEntry(): void {
    this.offsets.globals.push(this.r.pos);
    const type = this.globalType();
    this.globals.push(type);
    this.globalDefs.push({ type, init: this.constExpr() });
  }

  private exportEntry(): void {
    const r = this.r;
    const offset = r.pos;
    const name = r.name();
    const kindAt = r.pos;
    const kind = EXTERN_KINDS[r.u8()];
    if (kind === undefined) r.fail('malformed export kind', kindAt);
    this.exports.push({ name, kind, index: r.u32(), offset });
  }

  /** A constant expression up to and including its `end`; the range excludes the `end`. */
  private constExpr(): ConstExpr {
    const r = this.r;
    const start = r.pos;
    let depth = 0;
    for (;;) {
      const opAt = r.pos;
      const op = readOpcode(r, this.features);
      if (op.code === Op.End) {
        if (depth === 0) return { start, end: opAt };
        depth--;
      } else if (op.code === Op.Delegate) {
        depth--;
        r.u32();
      } else {
        skipImmediates(r, op);
        if (opensBlock(op)) depth++;
      }
    }
  }

  private elemSegment(): void {
    const r = this.r;
    const offsetInModule = r.pos;
    const flags = r.u32();
    if (flags > 7) r.fail('malformed elements segment kind', offsetInModule);
    const passiveOrDeclarative = (flags & 0x01) !== 0;
    const explicitTable = (flags & 0x02) !== 0;
    const usesExprs = (flags & 0x04) !== 0;
    const mode = passiveOrDeclarative ? (explicitTable ? 'declarative' : 'passive') : 'active';
    let table = 0;
    let offset: ConstExpr | null = null;
    if (mode === 'active') {
      if (explicitTable) table = r.u32();
      offset = this.constExpr();
    }
    let type: ValType;
    if (usesExprs) {
      type = mode === 'active' && !explicitTable ? FUNCREF : r.refType();
    } else {
      type = refType(HT_FUNC, false);
      if (mode !== 'active' || explicitTable) {
        const kindAt = r.pos;
        if (r.u8() !== 0x00) r.fail('malformed element kind', kindAt);
      }
    }
    const n = r.count();
    let funcIndices: number[] | null = null;
    let exprs: ConstExpr[] | null = null;
    if (usesExprs) {
      exprs = [];
      for (let i = 0; i < n; i++) exprs.push(this.constExpr());
    } else {
      funcIndices = [];
      for (let i = 0; i < n; i++) funcIndices.push(r.u32());
    }
    this.elems.push({ mode, table, offset, type, funcIndices, exprs, offsetInModule });
  }

  private dataSegment(): void {
    const r = this.r;
    const offsetInModule = r.pos;
    const flags = r.u32();
    if (flags > 2) r.fail('malformed data segment kind', offsetInModule);
    let memory = 0;
    let offset: ConstExpr | null = null;
    if (flags !== 1) {
      if (flags === 2) memory = r.u32();
      offset = this.constExpr();
    }
    const n = r.length();
    const data = r.take(n);
    this.datas.push({ mode: flags === 1 ? 'passive' : 'active', memory, offset, data, offsetInModule });
  }

  private functionBody(): void {
    const r = this.r;
    const offset = r.pos;
    const size = r.length();
    const bodyEnd = r.pos + size;
    const outerEnd = r.end;
    r.end = bodyEnd;
    const locals: ValType[] = [];
    const groups = r.count();
    let total = 0;
    const localsAt = r.pos;
    for (let i = 0; i < groups; i++) {
      const n = r.u32();
      total += n;
      if (total >= 0x1_0000_0000) r.fail('too many locals', localsAt);
      const type = r.valType();
      if (total > MAX_LOCALS) continue;
      for (let j = 0; j < n; j++) locals.push(type);
    }
    if (total > MAX_LOCALS) {
      throw new CompileError(`too many locals: ${total} (the limit is ${MAX_LOCALS})`, localsAt);
    }
    this.codes.push({ locals, code: { start: r.pos, end: bodyEnd }, offset });
    r.pos = bodyEnd;
    r.end = outerEnd;
  }
}
