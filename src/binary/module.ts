// ModuleInfo: what the binary decoder produces and everything downstream (validator, engines,
// runtime, printer) reads. Function bodies and constant expressions stay as byte ranges.

import type { GlobalType, MemoryType, SubType, TableType, TagType, ValType } from '../core/types.js';

/** A byte range [start, end) of `ModuleInfo.bytes`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * A constant expression: the instructions between `start` and `end`, where `end` is the offset of
 * its terminating `end` opcode (so the range holds the instructions only).
 */
export type ConstExpr = ByteRange;

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export type ImportDesc =
  | { readonly kind: 'func'; readonly typeIndex: number; readonly exact: boolean }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemoryType }
  | { readonly kind: 'global'; readonly type: GlobalType }
  | { readonly kind: 'tag'; readonly type: TagType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
  /** Offset of the import entry, for error messages. */
  readonly offset: number;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
  readonly offset: number;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: ConstExpr;
}

export interface Table {
  readonly type: TableType;
  /** Initial value of every element; null means ref.null of the element type. */
  readonly init: ConstExpr | null;
}

export type SegmentMode = 'active' | 'passive' | 'declarative';

export interface ElemSegment {
  readonly mode: SegmentMode;
  /** Table index and offset expression of an active segment (0 / null otherwise). */
  readonly table: number;
  readonly offset: ConstExpr | null;
  /** The reference type of the elements (funcref for the function-index encodings). */
  readonly type: ValType;
  /** For the function-index encodings (flags 0-3): the function indices; else null. */
  readonly funcIndices: readonly number[] | null;
  /** For the expression encodings (flags 4-7): one constant expression per element; else null. */
  readonly exprs: readonly ConstExpr[] | null;
  readonly offsetInModule: number;
}

export interface DataSegment {
  readonly mode: 'active' | 'passive';
  readonly memory: number;
  readonly offset: ConstExpr | null;
  /** The segment's bytes (a view into `ModuleInfo.bytes`). */
  readonly data: Uint8Array;
  readonly offsetInModule: number;
}

export interface FunctionBody {
  /** Declared locals, expanded (parameters not included). */
  readonly locals: readonly ValType[];
  /** The instruction bytes: from after the local declarations to the end of the body (including the final `end`). */
  readonly code: ByteRange;
  /** Offset of the body's size field, for error messages. */
  readonly offset: number;
}

export interface CustomSection {
  readonly name: string;
  readonly data: Uint8Array;
  /** Id of the last non-custom section before it (0 if none). */
  readonly after: number;
  readonly offset: number;
}

/** Contents of the "name" custom section, when present and well formed. */
export interface NameSection {
  readonly module: string | null;
  readonly functions: ReadonlyMap<number, string>;
  readonly locals: ReadonlyMap<number, ReadonlyMap<number, string>>;
  readonly types: ReadonlyMap<number, string>;
  readonly tables: ReadonlyMap<number, string>;
  readonly memories: ReadonlyMap<number, string>;
  readonly globals: ReadonlyMap<number, string>;
  readonly elems: ReadonlyMap<number, string>;
  readonly datas: ReadonlyMap<number, string>;
  readonly tags: ReadonlyMap<number, string>;
  readonly fields: ReadonlyMap<number, ReadonlyMap<number, string>>;
  readonly labels: ReadonlyMap<number, ReadonlyMap<number, string>>;
}

export interface RecGroup {
  /** Index of the group's first type; the group holds types [start, start + size). */
  readonly start: number;
  readonly size: number;
}

/** A decoded module. Index spaces list imports first, then definitions, as in the spec. */
export interface ModuleInfo {
  readonly bytes: Uint8Array;
  readonly types: readonly SubType[];
  readonly recGroups: readonly RecGroup[];
  readonly imports: readonly Import[];
  /** Type index of every function: imported ones first. */
  readonly funcTypes: readonly number[];
  readonly tables: readonly TableType[];
  readonly memories: readonly MemoryType[];
  readonly globals: readonly GlobalType[];
  readonly tags: readonly TagType[];
  readonly numImportedFuncs: number;
  readonly numImportedTables: number;
  readonly numImportedMemories: number;
  readonly numImportedGlobals: number;
  readonly numImportedTags: number;
  /** Defined tables (after the imported ones), with their initialiser. */
  readonly tableDefs: readonly Table[];
  /** Defined globals, with their initialiser. */
  readonly globalDefs: readonly Global[];
  readonly exports: readonly Export[];
  readonly start: number | null;
  readonly elems: readonly ElemSegment[];
  readonly datas: readonly DataSegment[];
  /** The data count section's value, or null when absent. */
  readonly dataCount: number | null;
  /** Bodies of the defined functions (index i is function numImportedFuncs + i). */
  readonly codes: readonly FunctionBody[];
  /** Offset of the code section's contents (DWARF addresses in wasm count from it), or null without one. */
  readonly codeSectionStart: number | null;
  readonly customSections: readonly CustomSection[];
  readonly names: NameSection | null;
  /** Where definitions start in `bytes`, for the offsets of validation errors. */
  readonly offsets: DefinitionOffsets;
}

/**
 * Offsets of the definitions validation checks: each type, each defined function's type index (in
 * the function section), each defined table, memory, global and tag, and the start section's
 * function index (-1 without one).
 */
export interface DefinitionOffsets {
  readonly types: readonly number[];
  readonly funcs: readonly number[];
  readonly tables: readonly number[];
  readonly memories: readonly number[];
  readonly globals: readonly number[];
  readonly tags: readonly number[];
  readonly start: number;
}
