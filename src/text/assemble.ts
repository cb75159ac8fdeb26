// Puts an encoded module together: the sections in their required order, the custom sections
// from `@custom` annotations at their placements, and a `name` section for symbolic names.

import type { ModuleContext } from './context.js';
import type { ModuleSections, SectionWriter } from './sections.js';
import { SECTION_ORDER, SECTION_IDS } from './sections.js';
import { ByteWriter, writeBinary } from './writer.js';
import type { CustomSectionText } from './annotations.js';
import { encodeNameSection } from './name-section.js';
import { BRANCH_HINT, encodeBranchHints } from './branch-hints.js';

const BRANCH_HINT_NAME = Uint8Array.from(BRANCH_HINT, (ch) => ch.charCodeAt(0));

export interface AssembleInput {
  readonly ctx: ModuleContext;
  readonly s: ModuleSections;
  readonly moduleName: string | null;
  /** Names from `@name` annotations by space, overriding identifiers. */
  readonly annotatedNames: ReadonlyMap<string, ReadonlyMap<number, string>>;
  readonly customs: readonly CustomSectionText[];
}

export function assembleModule(input: AssembleInput): Uint8Array {
  const { s } = input;
  const out = new ByteWriter(256);
  out.bytes(HEADER);
  const customsAt = (where: 'before' | 'after', section: string) => {
    for (const custom of input.customs) {
      if (custom.placement.where === where && custom.placement.section === section) writeCustom(out, custom.name, custom.content);
    }
  };
  const anyCustoms = input.customs.length > 0;
  if (anyCustoms) customsAt('before', 'first');
  for (const id of SECTION_ORDER) {
    const name = SECTION_NAMES[id]!;
    if (anyCustoms) customsAt('before', name);
    if (id === 10 && s.branchHints.size > 0) writeCustom(out, BRANCH_HINT_NAME, encodeBranchHints(s.branchHints));
    writeSection(out, id, input);
    if (anyCustoms) customsAt('after', name);
  }
  if (anyCustoms) customsAt('after', 'last');
  const names = nameSection(input);
  if (names !== null) writeCustom(out, NAME, names);
  return out.toBytes();
}

const HEADER = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
const NAME = Uint8Array.of(0x6e, 0x61, 0x6d, 0x65);
const SECTION_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(SECTION_IDS).map(([k, v]) => [v, k]));

function lebSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

function writeCustom(out: ByteWriter, name: Uint8Array, content: Uint8Array): void {
  out.byte(0);
  out.u32(lebSize(name.length) + name.length + content.length);
  out.vec(name);
  out.bytes(content);
}

/** A section of `count` entries already encoded in `body`. */
function writeVector(out: ByteWriter, id: number, count: number, body: Uint8Array): void {
  if (count === 0) return;
  out.byte(id);
  out.u32(lebSize(count) + body.length);
  out.u32(count);
  out.bytes(body);
}

function writeSectionWriter(out: ByteWriter, id: number, w: SectionWriter): void {
  if (w.count > 0) writeVector(out, id, w.count, w.body.buf.subarray(0, w.body.length));
}

function writeSection(out: ByteWriter, id: number, { ctx, s }: AssembleInput): void {
  switch (id) {
    case 1: {
      const count = s.types.length + ctx.implicitTypes.length;
      if (count === 0) return;
      const body = new ByteWriter(64);
      for (const e of s.types) writeBinary(body, e);
      for (const e of ctx.implicitTypes) writeBinary(body, e);
      writeVector(out, 1, count, body.buf.subarray(0, body.length));
      return;
    }
    case 2: writeSectionWriter(out, id, s.imports); return;
    case 3: writeSectionWriter(out, id, s.funcs); return;
    case 4: writeSectionWriter(out, id, s.tables); return;
    case 5: writeSectionWriter(out, id, s.memories); return;
    case 13: writeSectionWriter(out, id, s.tags); return;
    case 6: writeSectionWriter(out, id, s.globals); return;
    case 7: writeSectionWriter(out, id, s.exports); return;
    case 8:
      if (s.start === null) return;
      out.byte(8);
      out.u32(lebSize(s.start));
      out.u32(s.start);
      return;
    case 9: writeSectionWriter(out, id, s.elems); return;
    case 12:
      if (!ctx.usesDataIndex) return;
      out.byte(12);
      out.u32(lebSize(s.datas.count));
      out.u32(s.datas.count);
      return;
    case 10: writeSectionWriter(out, id, s.codes); return;
    case 11: writeSectionWriter(out, id, s.datas); return;
  }
}

function merged(ids: ReadonlyMap<number, string>, annotated: ReadonlyMap<number, string> | undefined): ReadonlyMap<number, string> {
  if (annotated === undefined || annotated.size === 0) return ids;
  const m = new Map(ids);
  for (const [i, n] of annotated) m.set(i, n);
  return m;
}

function nameSection(input: AssembleInput): Uint8Array | null {
  const { ctx, s, annotatedNames } = input;
  return encodeNameSection({
    module: annotatedNames.get('module')?.get(0) ?? input.moduleName,
    functions: merged(ctx.funcs.names, annotatedNames.get('func')),
    locals: s.localNames,
    labels: s.labelNames,
    types: merged(ctx.types.names, annotatedNames.get('type')),
    tables: merged(ctx.tables.names, annotatedNames.get('table')),
    memories: merged(ctx.memories.names, annotatedNames.get('memory')),
    globals: merged(ctx.globals.names, annotatedNames.get('global')),
    elems: merged(ctx.elems.names, annotatedNames.get('elem')),
    datas: merged(ctx.datas.names, annotatedNames.get('data')),
    fields: ctx.fieldNames,
    tags: merged(ctx.tags.names, annotatedNames.get('tag')),
  });
}
