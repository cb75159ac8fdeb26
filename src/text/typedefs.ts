// Type definitions: `(type $t? subtype)` and `(rec (type ...)*)`, parsed into type-section
// entries, with what type uses and struct instructions need to know about each type.

import { funcTypeKey, type ModuleContext, type TypeInfo } from './context.js';
import { T } from './tokens.js';
import { lebU } from './leb.js';
import { parseFieldType } from './valtypes.js';
import { parseParams, parseResults } from './typeuse.js';

/** Parses a `type` or `rec` field at the cursor into one type-section entry (a rec type). */
export function parseTypeField(ctx: ModuleContext, next: { index: number }): string {
  const c = ctx.c;
  c.expectLParen();
  if (c.eatKw('rec')) {
    const subs: string[] = [];
    const first = next.index;
    let reusable = false;
    while (c.atOpen('type')) {
      const [sub, r] = parseTypeDef(ctx, next.index++);
      subs.push(sub);
      reusable = r;
    }
    c.expectRParen();
    // A rec group of one type is the same type as that type written alone (as the spec defines).
    if (subs.length === 1 && reusable) markReusable(ctx, first);
    return '\x4e' + lebU(subs.length) + subs.join('');
  }
  c.pos--;
  const index = next.index++;
  const [sub, reusable] = parseTypeDef(ctx, index);
  if (reusable) markReusable(ctx, index);
  return sub;
}

/** Lets inline type uses refer to this (final, function) type. The first equal one wins. */
function markReusable(ctx: ModuleContext, index: number): void {
  const info = ctx.typeInfos[index]!;
  const key = funcTypeKey(info.params, info.results);
  if (!ctx.reusableFuncTypes.has(key)) ctx.reusableFuncTypes.set(key, index);
}

/**
 * `(type $t? subtype)`: returns the subtype's encoding and whether an inline type use may reuse
 * it (a final function type without supertypes or descriptor clauses); records the type's info.
 */
function parseTypeDef(ctx: ModuleContext, index: number): [string, boolean] {
  const c = ctx.c;
  c.expectLParen();
  c.expectKw('type');
  c.optId();
  ctx.names.claim('type', index, c.pos);
  let encoded: string;
  let info: TypeInfo;
  let reusable = true;
  if (c.atOpen('sub')) {
    c.pos += 2;
    const final = c.eatKw('final');
    const supers: number[] = [];
    while (ctx.isIndex(c.pos)) supers.push(ctx.index(ctx.types));
    const [body, typeInfo] = parseDescribedType(ctx, index);
    c.expectRParen();
    info = typeInfo;
    // `(sub final ...)` without supertypes is the plain form; encoders write it so.
    encoded = final && supers.length === 0 ? body : (final ? '\x4f' : '\x50') + lebU(supers.length) + supers.map(lebU).join('') + body;
    reusable = final && supers.length === 0 && body.charCodeAt(0) === 0x60;
  } else {
    const [body, typeInfo] = parseDescribedType(ctx, index);
    info = typeInfo;
    encoded = body;
    reusable = body.charCodeAt(0) === 0x60;
  }
  c.expectRParen();
  ctx.typeInfos[index] = info;
  return [encoded, reusable];
}

/** `(describes x)? (descriptor y)? comptype`. */
function parseDescribedType(ctx: ModuleContext, index: number): [string, TypeInfo] {
  const c = ctx.c;
  let prefix = '';
  if (c.eatOpen('describes')) {
    prefix += '\x4c' + lebU(ctx.index(ctx.types));
    c.expectRParen();
  }
  if (c.eatOpen('descriptor')) {
    prefix += '\x4d' + lebU(ctx.index(ctx.types));
    c.expectRParen();
  }
  const [body, info] = parseCompType(ctx, index);
  return [prefix + body, info];
}

function parseCompType(ctx: ModuleContext, index: number): [string, TypeInfo] {
  const c = ctx.c;
  c.expectLParen('a composite type');
  const at = c.pos;
  if (c.eatKw('func')) {
    const params: string[] = [];
    const results: string[] = [];
    parseParams(ctx, true, params, []);
    parseResults(ctx, results);
    c.expectRParen();
    return [funcTypeKey(params, results), { kind: 'func', params, results, fieldIds: new Map() }];
  }
  if (c.eatKw('struct')) {
    const fields: string[] = [];
    const fieldIds = new Map<string, number>();
    const names = new Map<number, string>();
    while (c.atOpen('field')) {
      c.pos += 2;
      if (c.kind[c.pos] === T.Id) {
        const idAt = c.pos;
        const id = c.idName(c.pos++);
        if (fieldIds.has(id)) throw c.error(idAt, 'duplicate field', `duplicate field ${c.tokenText(idAt)}`);
        fieldIds.set(id, fields.length);
        names.set(fields.length, ctx.names.take(c.pos) ?? id);
        fields.push(parseFieldType(ctx));
      } else {
        while (c.kind[c.pos] !== T.RParen) fields.push(parseFieldType(ctx));
      }
      c.expectRParen();
    }
    c.expectRParen();
    if (names.size > 0) ctx.fieldNames.set(index, names);
    return ['\x5f' + lebU(fields.length) + fields.join(''), { kind: 'struct', params: [], results: [], fieldIds }];
  }
  if (c.eatKw('array')) {
    const field = parseFieldType(ctx);
    c.expectRParen();
    return ['\x5e' + field, { kind: 'array', params: [], results: [], fieldIds: new Map() }];
  }
  throw c.unexpected(at, 'a composite type ("func", "struct" or "array")');
}

