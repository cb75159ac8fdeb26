// The annotations tswasm interprets: `(@name "...")` after a definition's identifier and
// `(@custom "name" (before|after section)? "bytes"*)` between module fields. Others are ignored.

import type { Annotation, Tokens } from './tokens.js';
import { T } from './tokens.js';
import { syntaxError } from './errors.js';
import { decodeStringToken } from './strings.js';
import { decodeUtf8 } from '../core/utf8.js';

/** Where a custom section goes: before or after a section kind, or first / last. */
export interface CustomPlacement {
  readonly where: 'before' | 'after';
  /** A section keyword (type, import, func, ...), or 'first' / 'last'. */
  readonly section: string;
}

export interface CustomSectionText {
  readonly name: Uint8Array;
  readonly placement: CustomPlacement;
  readonly content: Uint8Array;
}

const CUSTOM_SECTIONS = new Set(['type', 'import', 'func', 'table', 'memory', 'tag', 'global', 'export', 'start', 'elem', 'code', 'data', 'datacount']);

/** The `@name` annotations of a module, claimed by the definitions they name. */
export class NameAnnotations {
  /** Names by space ("func", "tag", "module", ...) and index. */
  readonly claimed = new Map<string, Map<number, string>>();
  private readonly byPosition = new Map<number, Annotation[]>();
  private readonly used = new Set<Annotation>();

  constructor(private readonly tokens: Tokens) {
    for (const a of tokens.annotations) {
      if (a.name !== 'name') continue;
      const list = this.byPosition.get(a.before);
      if (list) list.push(a);
      else this.byPosition.set(a.before, [a]);
    }
  }

  /** Records the `(@name "x")` standing right before main token `pos` as the name of `index` in `space`. */
  claim(space: string, index: number, pos: number): void {
    const name = this.take(pos, space);
    if (name === null) return;
    let names = this.claimed.get(space);
    if (names === undefined) this.claimed.set(space, (names = new Map()));
    names.set(index, name);
  }

  /** The name of a `(@name "x")` standing right before main token `pos` (a local or a field), or null. */
  take(pos: number, what = 'name'): string | null {
    if (this.byPosition.size === 0) return null;
    const list = this.byPosition.get(pos);
    if (list === undefined) return null;
    const a = list[0]!;
    if (this.used.has(a)) return null;
    if (list.length > 1) throw this.error(list[1]!.start, `@name annotation: multiple ${what}`);
    this.used.add(a);
    return this.readName(a);
  }

  /** Fails on any `@name` annotation no definition claimed. */
  checkAllClaimed(): void {
    for (const list of this.byPosition.values()) {
      for (const a of list) if (!this.used.has(a)) throw this.error(a.start, 'misplaced @name annotation');
    }
  }

  private readName(a: Annotation): string {
    const t = this.tokens.annotTokens;
    if (a.last - a.first !== 1 || t.kind[a.first] !== T.String) throw this.error(a.start, '@name annotation: malformed name');
    const name = decodeUtf8(decodeStringToken(this.tokens.text, t.start[a.first]!, t.end[a.first]!));
    if (name === null) throw this.error(a.start, '@name annotation: malformed UTF-8 encoding');
    return name;
  }

  private error(offset: number, reason: string) {
    return syntaxError(this.tokens, offset, reason);
  }
}

/**
 * The `@custom` annotations of a module. `fieldLevel(before)` tells whether an annotation that
 * stood before main token `before` sits between module fields (else it is misplaced).
 */
export function customSections(tokens: Tokens, fieldLevel: (before: number) => boolean): CustomSectionText[] {
  const out: CustomSectionText[] = [];
  for (const a of tokens.annotations) {
    if (a.name !== 'custom') continue;
    const section = parseCustom(tokens, a);
    if (!fieldLevel(a.before)) throw syntaxError(tokens, a.start, 'misplaced @custom annotation');
    out.push(section);
  }
  return out;
}

function parseCustom(tokens: Tokens, a: Annotation): CustomSectionText {
  const t = tokens.annotTokens;
  const text = tokens.text;
  const fail = (i: number, reason: string) =>
    syntaxError(tokens, i < a.last ? t.start[i]! : a.start, `@custom annotation: ${reason}`);
  let i = a.first;
  if (i >= a.last || t.kind[i] !== T.String) throw fail(i, 'missing section name');
  const name = decodeStringToken(text, t.start[i]!, t.end[i]!);
  if (decodeUtf8(name) === null) throw fail(i, 'malformed UTF-8 encoding');
  i++;
  let placement: CustomPlacement = { where: 'after', section: 'last' };
  if (i < a.last && t.kind[i] === T.LParen) {
    const open = i;
    const word = (k: number) => (k < a.last && (t.kind[k] === T.Keyword || t.kind[k] === T.Atom) ? text.slice(t.start[k]!, t.end[k]!) : '');
    const where = word(i + 1);
    if (where !== 'before' && where !== 'after') throw fail(open, 'malformed placement');
    const section = word(i + 2);
    const ok = CUSTOM_SECTIONS.has(section) || (where === 'before' && section === 'first') || (where === 'after' && section === 'last');
    if (!ok) throw fail(i + 2, 'malformed section kind');
    if (i + 3 >= a.last || t.kind[i + 3] !== T.RParen) throw fail(i + 3, 'unexpected token');
    placement = { where, section };
    i += 4;
  }
  const parts: number[] = [];
  for (; i < a.last; i++) {
    if (t.kind[i] !== T.String) throw fail(i, 'unexpected token');
    for (const b of decodeStringToken(text, t.start[i]!, t.end[i]!)) parts.push(b);
  }
  return { name, placement, content: Uint8Array.from(parts) };
}
