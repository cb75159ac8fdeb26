// Decodes the "name" custom section (with the extended-name-section subsections). A malformed
// name section never fails the module: decoding stops and keeps what was read so far.

import { CompileError } from '../core/errors.js';
import type { NameSection } from './module.js';
import { ByteReader } from './reader.js';

type NameMap = Map<number, string>;
type IndirectNameMap = Map<number, NameMap>;

const MODULE = 0;
const FUNCTIONS = 1;
const LOCALS = 2;
const LABELS = 3;
const TYPES = 4;
const TABLES = 5;
const MEMORIES = 6;
const GLOBALS = 7;
const ELEMS = 8;
const DATAS = 9;
const FIELDS = 10;
const TAGS = 11;

export function decodeNameSection(data: Uint8Array): NameSection {
  const section = {
    module: null as string | null,
    functions: new Map() as NameMap,
    locals: new Map() as IndirectNameMap,
    types: new Map() as NameMap,
    tables: new Map() as NameMap,
    memories: new Map() as NameMap,
    globals: new Map() as NameMap,
    elems: new Map() as NameMap,
    datas: new Map() as NameMap,
    tags: new Map() as NameMap,
    fields: new Map() as IndirectNameMap,
    labels: new Map() as IndirectNameMap,
  };
  const r = new ByteReader(data);
  const direct: Record<number, NameMap> = {
    [FUNCTIONS]: section.functions, [TYPES]: section.types, [TABLES]: section.tables,
    [MEMORIES]: section.memories, [GLOBALS]: section.globals, [ELEMS]: section.elems,
    [DATAS]: section.datas, [TAGS]: section.tags,
  };
  const indirect: Record<number, IndirectNameMap> = {
    [LOCALS]: section.locals, [LABELS]: section.labels, [FIELDS]: section.fields,
  };
  // A malformed subsection costs only itself (its size says where the next begins), as in V8 and
  // Wasmtime, which read the function names whatever a data-names subsection holds; a malformed
  // header ends the reading.
  try {
    while (!r.atEnd()) {
      const id = r.u8();
      const size = r.length();
      const end = r.pos + size;
      const sub = new ByteReader(data, r.pos, end);
      try {
        if (id === MODULE) section.module = sub.name();
        else if (direct[id]) readNameMap(sub, direct[id]!);
        else if (indirect[id]) readIndirectNameMap(sub, indirect[id]!);
      } catch (error) {
        if (!(error instanceof CompileError)) throw error;
      }
      r.pos = end;
    }
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
  }
  return section;
}

function readNameMap(r: ByteReader, into: NameMap): void {
  const n = r.count();
  for (let i = 0; i < n; i++) {
    const index = r.u32();
    into.set(index, r.name());
  }
}

function readIndirectNameMap(r: ByteReader, into: IndirectNameMap): void {
  const n = r.count();
  for (let i = 0; i < n; i++) {
    const index = r.u32();
    const inner: NameMap = new Map();
    readNameMap(r, inner);
    into.set(index, inner);
  }
}
