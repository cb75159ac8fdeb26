// Type uses: `(type x)? (param ...)* (result ...)*`. An inline signature must agree with an
// explicit type; without one it reuses an equal function type or appends an implicit one.

import type { ModuleContext } from './context.js';
import { parseValType } from './valtypes.js';
import { T } from './tokens.js';

export interface TypeUse {
  /** The function type's index. */
  readonly index: number;
  /** Whether `(type x)` was written. */
  readonly explicit: boolean;
  /** The parameter types (from the inline signature, else from the referenced type). */
  readonly params: readonly string[];
  readonly results: readonly string[];
  /** Parameter identifiers of an inline signature (null for unnamed ones). */
  readonly paramIds: readonly (string | null)[];
  /** Parameter names from `(@name "...")` annotations, by parameter index. */
  readonly paramNames: ReadonlyMap<number, string>;
  /** Whether params or results were written inline. */
  readonly inline: boolean;
}

/**
 * Parses `(param ...)*` groups at the cursor; `ids` collects identifiers when names are allowed,
 * `names` the names of `(@name "...")` annotations after them.
 */
export function parseParams(ctx: ModuleContext, allowNames: boolean, types: string[], ids: (string | null)[], names?: Map<number, string>): void {
  const c = ctx.c;
  const seen = new Set<string>();
  while (c.atOpen('param')) {
    c.pos += 2;
    if (c.kind[c.pos] === T.Id) {
      if (!allowNames) throw c.unexpected(c.pos, 'a value type');
      const at = c.pos;
      const id = c.idName(c.pos++);
      if (seen.has(id)) throw c.error(at, 'duplicate local', `duplicate local ${c.tokenText(at)}`);
      seen.add(id);
      const name = ctx.names.take(c.pos);
      if (name !== null) names?.set(types.length, name);
      types.push(parseValType(ctx));
      ids.push(id);
    } else {
      while (c.kind[c.pos] !== T.RParen) {
        types.push(parseValType(ctx));
        ids.push(null);
      }
    }
    c.expectRParen();
  }
}

export function parseResults(ctx: ModuleContext, types: string[]): void {
  const c = ctx.c;
  while (c.atOpen('result')) {
    c.pos += 2;
    while (c.kind[c.pos] !== T.RParen) types.push(parseValType(ctx));
    c.expectRParen();
  }
}

/**
 * Parses a type use. With `implicit` false an inline-only signature does not create a type (the
 * caller decides, as block types do): then `index` is -1.
 */
export function parseTypeUse(ctx: ModuleContext, allowNames: boolean, implicit = true): TypeUse {
  const c = ctx.c;
  let index = -1;
  let explicit = false;
  let typeAt = -1;
  if (c.atOpen('type')) {
    c.pos += 2;
    typeAt = c.pos;
    index = ctx.index(ctx.types);
    c.expectRParen();
    explicit = true;
  }
  const params: string[] = [];
  const paramIds: (string | null)[] = [];
  const paramNames = new Map<number, string>();
  const results: string[] = [];
  parseParams(ctx, allowNames, params, paramIds, paramNames);
  parseResults(ctx, results);
  // Out-of-order parts are a syntax error, not a signature mismatch.
  if (c.atOpen('param') || c.atOpen('type')) throw c.unexpected(c.pos + 1, 'a result or the end of the type use');
  const inline = params.length > 0 || results.length > 0;
  if (explicit) {
    const info = ctx.typeInfos[index];
    if (inline) {
      if (info === undefined) throw c.error(typeAt, 'unknown type', `unknown type ${c.tokenText(typeAt)}`);
      if (info.kind !== 'func' || !sameTypes(info.params, params) || !sameTypes(info.results, results)) {
        throw c.error(typeAt, 'inline function type', 'inline function type does not match explicit type');
      }
      return { index, explicit, params, results, paramIds, paramNames, inline };
    }
    const fn = info !== undefined && info.kind === 'func';
    return { index, explicit, params: fn ? info.params : [], results: fn ? info.results : [], paramIds: [], paramNames, inline };
  }
  if (implicit) index = ctx.funcTypeIndex(params, results);
  return { index, explicit, params, results, paramIds, paramNames, inline };
}

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
