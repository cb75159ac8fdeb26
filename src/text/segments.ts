// Element and data segments in all their text forms (passive, active, declarative; function
// lists, typed expressions, bare indices; data strings), encoded with the flags wasm-tools uses.

import type { ModuleContext } from './context.js';
import type { ModuleSections } from './sections.js';
import type { ScannedField } from './scan.js';
import { T } from './tokens.js';
import { ByteWriter, writeBinary } from './writer.js';
import { encodeRefType, tryRefType } from './valtypes.js';
import { parseConstExpr, parseFoldedExpr, parseOffsetExpr } from './exprs.js';

export interface ElemItems {
  /** Encoded element type. */
  readonly type: string;
  readonly count: number;
  /** Whether the items are function indices (else constant expressions). */
  readonly funcs: boolean;
  readonly bytes: ByteWriter;
}

export type SegmentMode = 'active' | 'passive' | 'declare';

/** `(elem $id? ...)` after the keyword. */
export function parseElemField(ctx: ModuleContext, s: ModuleSections, field: ScannedField): void {
  const c = ctx.c;
  if (c.kind[c.pos] === T.Id) c.pos++;
  ctx.names.claim('elem', field.index, c.pos);
  if (c.eatKw('declare')) {
    writeElemSegment(s, 'declare', 0, null, parseElemItems(ctx, null, false));
    return;
  }
  let table = 0;
  let explicitTable = false;
  // Bare function indices after the offset belong to the abbreviation without a table use.
  let bareFuncs = true;
  if (c.eatOpen('table')) {
    table = ctx.index(ctx.tables);
    c.expectRParen();
    explicitTable = true;
    bareFuncs = false;
  }
  if (!explicitTable && ctx.isIndex(c.pos) && c.kind[c.pos + 1] === T.LParen) {
    // The MVP form `(elem x (offset ...) x*)` with a bare table index (as the threads tests use).
    table = ctx.index(ctx.tables);
    explicitTable = true;
  }
  if (!explicitTable && (c.kind[c.pos] !== T.LParen || c.atOpen('ref'))) {
    writeElemSegment(s, 'passive', 0, null, parseElemItems(ctx, null, false));
    return;
  }
  const offset = new ByteWriter(16);
  parseOffsetExpr(ctx, offset);
  writeElemSegment(s, 'active', table, offset.toBytes(), parseElemItems(ctx, null, bareFuncs), explicitTable);
}

/**
 * An element list: `func x*`, `reftype item*`, or (after an offset, or in a table's inline
 * `(elem ...)` whose type is `tableType`) bare function indices.
 */
export function parseElemItems(ctx: ModuleContext, tableType: string | null, bareFuncsAllowed: boolean): ElemItems {
  const c = ctx.c;
  const bytes = new ByteWriter(64);
  if (c.eatKw('func')) return { type: tableType ?? '\x70', count: funcIndices(ctx, bytes), funcs: true, bytes };
  let type = tableType;
  if (type === null) {
    const rt = tryRefType(ctx);
    if (rt !== null) type = encodeRefType(rt);
  }
  if (tableType !== null && tableType !== '\x70' && ctx.isIndex(c.pos)) {
    // Function indices in a table of another type become `ref.func` expressions.
    let count = 0;
    while (ctx.isIndex(c.pos)) {
      bytes.byte(0xd2);
      bytes.u32(ctx.index(ctx.funcs, 'function'));
      bytes.byte(0x0b);
      count++;
    }
    return { type: tableType, count, funcs: false, bytes };
  }
  if (type === null || (tableType !== null && ctx.isIndex(c.pos))) {
    if (type === null && !bareFuncsAllowed) throw c.unexpected(c.pos, 'an element type or "func"');
    return { type: type ?? '\x70', count: funcIndices(ctx, bytes), funcs: true, bytes };
  }
  let count = 0;
  while (c.kind[c.pos] === T.LParen) {
    if (c.eatOpen('item')) {
      parseConstExpr(ctx, bytes);
      c.expectRParen();
    } else {
      parseFoldedExpr(ctx, bytes);
    }
    count++;
  }
  return { type, count, funcs: false, bytes };
}

function funcIndices(ctx: ModuleContext, items: ByteWriter): number {
  let n = 0;
  while (ctx.isIndex(ctx.c.pos)) {
    items.u32(ctx.index(ctx.funcs, 'function'));
    n++;
  }
  return n;
}

/** Writes a segment; like wasm-tools, an active one names its table when the text did. */
export function writeElemSegment(
  s: ModuleSections, mode: SegmentMode, table: number, offset: Uint8Array | null, items: ElemItems, explicitTable = false,
): void {
  const w = s.elems;
  w.count++;
  const b = w.body;
  let flags = items.funcs ? 0 : 4;
  if (mode === 'passive') flags |= 1;
  else if (mode === 'declare') flags |= 3;
  else if (explicitTable || table !== 0 || (!items.funcs && items.type !== '\x70')) flags |= 2;
  b.byte(flags);
  if (mode === 'active') {
    if (flags & 2) b.u32(table);
    b.bytes(offset!);
  }
  if (flags & 3) {
    if (items.funcs) b.byte(0x00);
    else writeBinary(b, items.type);
  }
  b.u32(items.count);
  b.bytes(items.bytes.buf.subarray(0, items.bytes.length));
}

/** `(data $id? ...)` after the keyword: passive, or active with `(memory x)?` and an offset. */
export function parseDataField(ctx: ModuleContext, s: ModuleSections, field: ScannedField): void {
  const c = ctx.c;
  if (c.kind[c.pos] === T.Id) c.pos++;
  ctx.names.claim('data', field.index, c.pos);
  if (c.kind[c.pos] === T.String || c.kind[c.pos] === T.RParen) {
    writeDataSegment(s, null, null, parseDataString(ctx));
    return;
  }
  let mem = 0;
  if (c.eatOpen('memory')) {
    mem = ctx.index(ctx.memories);
    c.expectRParen();
  } else if (ctx.isIndex(c.pos)) {
    mem = ctx.index(ctx.memories);
  }
  const offset = new ByteWriter(16);
  parseOffsetExpr(ctx, offset);
  writeDataSegment(s, mem, offset.toBytes(), parseDataString(ctx));
}

/** A data segment: passive when `memory` is null, else active (memory 0 without its index). */
export function writeDataSegment(s: ModuleSections, memory: number | null, offset: Uint8Array | null, data: Uint8Array): void {
  const d = s.datas;
  d.count++;
  if (memory === null) d.body.byte(1);
  else if (memory === 0) d.body.byte(0);
  else {
    d.body.byte(2);
    d.body.u32(memory);
  }
  if (offset !== null) d.body.bytes(offset);
  d.body.vec(data);
}

/** Zero or more strings, concatenated. */
export function parseDataString(ctx: ModuleContext): Uint8Array {
  return ctx.c.strings();
}
