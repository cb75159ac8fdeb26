// What parsing one module knows: its token cursor, the index spaces with their identifiers, the
// type definitions (for type uses, field names and locals) and the implicit types it appended.

import { Cursor } from './cursor.js';
import { IdSpace } from './idspace.js';
import { T } from './tokens.js';
import { MALFORMED, OUT_OF_RANGE, parseU32 } from './numbers.js';
import { BranchHints } from './branch-hints.js';
import { NameAnnotations } from './annotations.js';

/** What later parsing needs to know about one type definition. */
export interface TypeInfo {
  readonly kind: 'func' | 'struct' | 'array';
  /** Encoded parameter and result types of a function type. */
  readonly params: readonly string[];
  readonly results: readonly string[];
  /** Field identifiers of a struct type. */
  readonly fieldIds: ReadonlyMap<string, number>;
}

export class ModuleContext {
  readonly types = new IdSpace('type');
  readonly funcs = new IdSpace('func');
  readonly tables = new IdSpace('table');
  readonly memories = new IdSpace('memory');
  readonly globals = new IdSpace('global');
  readonly tags = new IdSpace('tag');
  readonly elems = new IdSpace('elem');
  readonly datas = new IdSpace('data');

  /** Type definitions by index (explicit ones first, then implicit ones as they are created). */
  readonly typeInfos: TypeInfo[] = [];
  /** Encoded function types that an inline type use may reuse, with their index. */
  readonly reusableFuncTypes = new Map<string, number>();
  /** Encoded entries of the type section for implicit types, in order. */
  readonly implicitTypes: string[] = [];
  /** Field names per type index, for the name section. */
  readonly fieldNames = new Map<number, Map<number, string>>();
  /** Whether code refers to a data segment by index (so a data count section is needed). */
  usesDataIndex = false;
  /** Whether a function body (not a constant expression) is being parsed. */
  inFunctionBody = false;

  readonly branchHints: BranchHints;
  /** `(@name "...")` annotations, claimed by the definitions they follow. */
  readonly names: NameAnnotations;

  constructor(readonly c: Cursor) {
    this.branchHints = new BranchHints(c.tokens);
    this.names = new NameAnnotations(c.tokens);
  }

  /**
   * Resolves the index token at the cursor in `space` (a u32 or an identifier) and consumes it.
   * `what` names the space in errors ("unknown type $t").
   */
  index(space: IdSpace, what = space.category): number {
    const c = this.c;
    const i = c.pos;
    const kind = c.kind[i];
    if (kind === T.Id) {
      const v = space.ids.get(c.idName(i));
      if (v === undefined) throw c.error(i, `unknown ${what}`, `unknown ${what} ${c.tokenText(i)}`);
      c.pos++;
      return v;
    }
    if (kind === T.Atom) {
      const v = parseU32(c.tokenText(i));
      if (v === OUT_OF_RANGE) throw c.error(i, 'constant out of range', `${what} index out of range`);
      if (v !== MALFORMED) {
        c.pos++;
        return v;
      }
    }
    throw c.unexpected(i, `a ${what} index`);
  }

  /** Whether the token at i can be an index (a number or an identifier). */
  isIndex(i: number): boolean {
    return this.c.kind[i] === T.Id || this.c.isNat(i);
  }

  /** Consumes an optional index; `fallback` when there is none. */
  optIndex(space: IdSpace, fallback = 0): number {
    return this.isIndex(this.c.pos) ? this.index(space) : fallback;
  }

  /** Notes a data index in an instruction: function bodies then need a data count section. */
  noteDataIndex(): void {
    if (this.inFunctionBody) this.usesDataIndex = true;
  }

  /** Adds an implicit function type for an inline type use, reusing an equal one when allowed. */
  funcTypeIndex(params: readonly string[], results: readonly string[]): number {
    const key = funcTypeKey(params, results);
    const found = this.reusableFuncTypes.get(key);
    if (found !== undefined) return found;
    const index = this.types.add(null);
    this.typeInfos[index] = { kind: 'func', params, results, fieldIds: new Map() };
    this.implicitTypes.push(key);
    this.reusableFuncTypes.set(key, index);
    return index;
  }
}

/** The type-section encoding of a final function type without supertypes. */
export function funcTypeKey(params: readonly string[], results: readonly string[]): string {
  return '\x60' + vecKey(params) + vecKey(results);
}

function vecKey(items: readonly string[]): string {
  let n = items.length;
  let s = '';
  while (n >= 0x80) {
    s += String.fromCharCode((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  return s + String.fromCharCode(n) + items.join('');
}
