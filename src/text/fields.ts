// Second pass over a module's fields: each import, function, table, memory, global, tag,
// export, start, element and data field parsed and encoded into its section.

import type { ModuleContext } from './context.js';
import type { ScannedField } from './scan.js';
import { ModuleSections } from './sections.js';
import { T } from './tokens.js';
import { ByteWriter, writeBinary } from './writer.js';
import { parseTypeUse } from './typeuse.js';
import { encodeRefType, parseRefType } from './valtypes.js';
import { parseAddressType, parseGlobalType, parseMemoryType, parsePageSize, parseTableType } from './extern-types.js';
import { constZero, parseConstExpr } from './exprs.js';
import { parseFuncBody } from './func-body.js';
import { parseDataField, parseDataString, parseElemField, parseElemItems, writeDataSegment, writeElemSegment } from './segments.js';

const EXTERN_KIND: Readonly<Record<string, number>> = { func: 0, table: 1, memory: 2, global: 3, tag: 4 };

export class FieldParser {
  readonly s = new ModuleSections();
  /** Reused for every function body. */
  private readonly bodyWriter = new ByteWriter(256);

  constructor(readonly ctx: ModuleContext) {}

  /** Parses one field (the cursor may be anywhere) and leaves the cursor after its `)`. */
  parse(field: ScannedField): void {
    const { ctx, s } = this;
    const c = ctx.c;
    c.pos = field.open + 2;
    switch (field.kind) {
      case 'type': case 'rec': c.pos = field.close; break; // encoded in the type pass
      case 'import': this.importField(field); break;
      case 'func': this.funcField(field); break;
      case 'table': this.tableField(field); break;
      case 'memory': this.memoryField(field); break;
      case 'global': this.globalField(field); break;
      case 'tag': this.tagField(field); break;
      case 'export': this.exportField(); break;
      case 'start': this.startField(field); break;
      case 'elem': parseElemField(ctx, s, field); break;
      case 'data': parseDataField(ctx, s, field); break;
    }
    if (c.pos !== field.close) throw c.unexpected(c.pos, '")"');
    c.pos++;
  }

  /** Consumes the `$id` and `(@name ...)` of a definition, recording the annotated name. */
  private header(field: ScannedField, kind: string): void {
    const c = this.ctx.c;
    if (c.kind[c.pos] === T.Id) c.pos++;
    this.ctx.names.claim(kind, field.index, c.pos);
  }

  /** Inline `(export "name")*` abbreviations. */
  private inlineExports(kind: string, index: number): void {
    const c = this.ctx.c;
    while (c.eatOpen('export')) {
      this.addExport(this.name('an export name'), kind, index);
      c.expectRParen();
    }
  }

  /** A name string: its bytes, checked to be UTF-8. */
  private name(what: string): Uint8Array {
    const c = this.ctx.c;
    const at = c.pos;
    c.name(what);
    return c.stringBytes(at);
  }

  private addExport(name: Uint8Array, kind: string, index: number): void {
    const e = this.s.exports;
    e.body.vec(name);
    e.body.byte(EXTERN_KIND[kind]!);
    e.body.u32(index);
    e.count++;
  }

  /** `(import "m" "n")` inside a definition: writes the import's names. */
  private inlineImport(): void {
    const c = this.ctx.c;
    c.expectLParen();
    c.expectKw('import');
    this.importNames();
    c.expectRParen();
  }

  private importNames(): void {
    const imports = this.s.imports;
    imports.body.vec(this.name('a module name'));
    imports.body.vec(this.name('an import name'));
    imports.count++;
  }

  private importField(field: ScannedField): void {
    const c = this.ctx.c;
    this.importNames();
    c.expectLParen('an import description');
    const at = c.pos;
    const kind = c.kind[at] === T.Keyword ? c.tokenText(at) : '';
    if (!(kind in EXTERN_KIND)) throw c.unexpected(at, 'an import kind');
    c.pos++;
    this.header(field, kind);
    this.importDesc(kind);
    c.expectRParen();
  }

  /** The description of an import of `kind` after its header. */
  private importDesc(kind: string): void {
    const ctx = this.ctx;
    const c = ctx.c;
    const w = this.s.imports.body;
    switch (kind) {
      case 'func':
        if (c.eatOpen('exact')) {
          const use = parseTypeUse(ctx, true);
          c.expectRParen();
          w.byte(0x20);
          w.u32(use.index);
        } else {
          w.byte(0x00);
          w.u32(parseTypeUse(ctx, true).index);
        }
        return;
      case 'table': w.byte(0x01); parseTableType(ctx, w); return;
      case 'memory': w.byte(0x02); parseMemoryType(ctx, w); return;
      case 'global': w.byte(0x03); parseGlobalType(ctx, w); return;
      case 'tag': w.byte(0x04); w.byte(0x00); w.u32(parseTypeUse(ctx, true).index); return;
    }
  }

  /** The common start of functions, tables, memories, globals and tags; true when it is an import. */
  private definition(field: ScannedField, kind: string): boolean {
    this.header(field, kind);
    this.inlineExports(kind, field.index);
    if (!field.isImport) return false;
    this.inlineImport();
    this.importDesc(kind);
    return true;
  }

  private funcField(field: ScannedField): void {
    const ctx = this.ctx;
    if (this.definition(field, 'func')) return;
    const use = parseTypeUse(ctx, true);
    this.s.funcs.body.u32(use.index);
    this.s.funcs.count++;
    parseFuncBody(ctx, this.s, field.index, use, this.bodyWriter);
  }

  private tableField(field: ScannedField): void {
    const ctx = this.ctx;
    const c = ctx.c;
    if (this.definition(field, 'table')) return;
    const tables = this.s.tables;
    tables.count++;
    if (field.inlineSegment >= 0) {
      // `(table addrtype? reftype (elem ...))`: a table just large enough and an active segment.
      const a64 = parseAddressType(ctx);
      const type = encodeRefType(parseRefType(ctx));
      c.expectLParen();
      c.expectKw('elem');
      const items = parseElemItems(ctx, type, true);
      c.expectRParen();
      writeBinary(tables.body, type);
      tables.body.byte(a64 ? 5 : 1);
      tables.body.u32(items.count);
      tables.body.u32(items.count);
      writeElemSegment(this.s, 'active', field.index, constZero(a64), items, true);
      return;
    }
    const type = new ByteWriter(16);
    parseTableType(ctx, type);
    if (c.kind[c.pos] !== T.RParen) {
      // A table with an initialiser expression.
      tables.body.byte(0x40);
      tables.body.byte(0x00);
      tables.body.bytes(type.buf.subarray(0, type.length));
      parseConstExpr(ctx, tables.body);
    } else {
      tables.body.bytes(type.buf.subarray(0, type.length));
    }
  }

  private memoryField(field: ScannedField): void {
    const ctx = this.ctx;
    const c = ctx.c;
    if (this.definition(field, 'memory')) return;
    const mems = this.s.memories;
    mems.count++;
    if (field.inlineSegment < 0) {
      parseMemoryType(ctx, mems.body);
      return;
    }
    // `(memory addrtype? (pagesize N)? (data ...))`: a memory just large enough and an active segment.
    const a64 = parseAddressType(ctx);
    const pageLog2 = parsePageSize(ctx);
    c.expectLParen();
    c.expectKw('data');
    const data = parseDataString(ctx);
    c.expectRParen();
    const pages = Math.ceil(data.length / 2 ** (pageLog2 ?? 16));
    mems.body.byte((a64 ? 5 : 1) | (pageLog2 !== null ? 8 : 0));
    mems.body.u32(pages);
    mems.body.u32(pages);
    if (pageLog2 !== null) mems.body.u32(pageLog2);
    writeDataSegment(this.s, field.index, constZero(a64), data);
  }

  private globalField(field: ScannedField): void {
    if (this.definition(field, 'global')) return;
    const g = this.s.globals;
    parseGlobalType(this.ctx, g.body);
    parseConstExpr(this.ctx, g.body);
    g.count++;
  }

  private tagField(field: ScannedField): void {
    if (this.definition(field, 'tag')) return;
    const t = this.s.tags;
    t.body.byte(0x00);
    t.body.u32(parseTypeUse(this.ctx, true).index);
    t.count++;
  }

  private exportField(): void {
    const ctx = this.ctx;
    const c = ctx.c;
    const name = this.name('an export name');
    c.expectLParen('an export description');
    const at = c.pos;
    const kind = c.kind[at] === T.Keyword ? c.tokenText(at) : '';
    if (!(kind in EXTERN_KIND)) throw c.unexpected(at, 'an export kind');
    c.pos++;
    const space = { func: ctx.funcs, table: ctx.tables, memory: ctx.memories, global: ctx.globals, tag: ctx.tags }[kind]!;
    const index = ctx.index(space, kind === 'func' ? 'function' : kind);
    c.expectRParen();
    this.addExport(name, kind, index);
  }

  private startField(field: ScannedField): void {
    const c = this.ctx.c;
    if (this.s.start !== null) throw c.error(field.open, 'multiple start sections', 'multiple start fields');
    this.s.start = this.ctx.index(this.ctx.funcs, 'function');
  }
}
