// First pass over a module's fields: find each field, bind the identifiers of every index space
// (so that later fields may refer forward), expand inline segments, and check import order.

import type { ModuleContext } from './context.js';
import type { IdSpace } from './idspace.js';
import { T } from './tokens.js';

export type FieldKind =
  | 'type' | 'rec' | 'import' | 'func' | 'table' | 'memory' | 'global' | 'tag' | 'export'
  | 'start' | 'elem' | 'data';

const FIELD_KINDS = new Set<string>(['type', 'rec', 'import', 'func', 'table', 'memory', 'global', 'tag', 'export', 'start', 'elem', 'data']);

export interface ScannedField {
  readonly kind: FieldKind;
  /** Token indices of the field's `(` and `)`. */
  readonly open: number;
  readonly close: number;
  /** Index in its own space (functions, tables, ... segments); -1 for other fields. */
  readonly index: number;
  /** Whether it is an import (explicitly, or inline `(import ...)`). */
  readonly isImport: boolean;
  /** The segment index of an inline `(data ...)` in a memory or `(elem ...)` in a table, else -1. */
  readonly inlineSegment: number;
}

/** Definitions that forbid later imports, in the order the reference interpreter reports them. */
const DEFINITION_ORDER = ['tag', 'global', 'memory', 'table', 'func'] as const;
const DEFINITION_WORDS: Readonly<Record<string, string>> = {
  tag: 'tag', global: 'global', memory: 'memory', table: 'table', func: 'function',
};

/** Scans the fields from the cursor up to a `)` or the end; leaves the cursor there. */
export function scanFields(ctx: ModuleContext): ScannedField[] {
  const c = ctx.c;
  const fields: ScannedField[] = [];
  const defined = new Set<string>();
  const checkImport = (at: number) => {
    for (const kind of DEFINITION_ORDER) {
      if (defined.has(kind)) throw c.error(at, `import after ${DEFINITION_WORDS[kind]}`, `import after ${DEFINITION_WORDS[kind]} definition`);
    }
  };
  while (c.kind[c.pos] === T.LParen) {
    const open = c.pos;
    const close = c.match[open]!;
    if (close < 0) throw c.error(open, 'unexpected token', 'unclosed "("');
    const kw = c.kind[open + 1] === T.Keyword ? c.tokenText(open + 1) : '';
    if (!FIELD_KINDS.has(kw)) throw c.unexpected(open + 1, 'a module field');
    const kind = kw as FieldKind;
    let index = -1;
    let isImport = false;
    let inlineSegment = -1;
    switch (kind) {
      case 'type':
        bind(ctx, ctx.types, open + 2);
        break;
      case 'rec':
        for (let i = open + 2; i < close && c.kind[i] === T.LParen; i = c.match[i]! + 1) {
          if (c.match[i]! < 0) break;
          if (c.isKw(i + 1, 'type')) bind(ctx, ctx.types, i + 2);
        }
        break;
      case 'import': {
        isImport = true;
        checkImport(open);
        const desc = open + 4;
        if (c.kind[desc] === T.LParen && c.kind[desc + 1] === T.Keyword) {
          const space = spaceOf(ctx, c.tokenText(desc + 1));
          if (space !== null) index = bind(ctx, space, desc + 2);
        }
        break;
      }
      case 'func': case 'table': case 'memory': case 'global': case 'tag': {
        const space = spaceOf(ctx, kind)!;
        index = bind(ctx, space, open + 2);
        let i = c.kind[open + 2] === T.Id ? open + 3 : open + 2;
        while (c.isOpen(i, 'export') && c.match[i]! > 0) i = c.match[i]! + 1;
        if (c.isOpen(i, 'import')) {
          isImport = true;
          checkImport(i);
        } else {
          defined.add(kind);
          if (kind === 'memory' || kind === 'table') {
            const inline = kind === 'memory' ? 'data' : 'elem';
            for (; i < close; i = c.kind[i] === T.LParen && c.match[i]! > 0 ? c.match[i]! + 1 : i + 1) {
              if (c.isOpen(i, inline)) {
                inlineSegment = (kind === 'memory' ? ctx.datas : ctx.elems).add(null);
                break;
              }
            }
          }
        }
        break;
      }
      case 'elem':
        index = bind(ctx, ctx.elems, open + 2);
        break;
      case 'data':
        index = bind(ctx, ctx.datas, open + 2);
        break;
    }
    fields.push({ kind, open, close, index, isImport, inlineSegment });
    c.pos = close + 1;
  }
  return fields;
}

function spaceOf(ctx: ModuleContext, kind: string): IdSpace | null {
  switch (kind) {
    case 'func': return ctx.funcs;
    case 'table': return ctx.tables;
    case 'memory': return ctx.memories;
    case 'global': return ctx.globals;
    case 'tag': return ctx.tags;
    default: return null;
  }
}

/** Adds an entry to `space`, bound to the identifier at token i if there is one. */
function bind(ctx: ModuleContext, space: IdSpace, i: number): number {
  const c = ctx.c;
  const id = c.kind[i] === T.Id ? c.idName(i) : null;
  const index = space.add(id);
  if (index < 0) throw c.error(i, `duplicate ${space.category}`, `duplicate ${space.category} ${c.tokenText(i)}`);
  return index;
}
