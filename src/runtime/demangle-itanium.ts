// C++ names as backtraces print them: the Itanium C++ ABI's mangling (what clang and emscripten write
// into a wasm name section and DWARF's linkage names) read back into a declaration, written as
// llvm-cxxfilt writes it (`_ZNK3geo3VecIiE3dotERKS1_` is `geo::Vec<int>::dot(geo::Vec<int> const&)
// const`). The parser covers the grammar real programs' function symbols use: nested and local
// names, templates and their parameters, substitutions, operators, constructors and destructors,
// lambdas, ABI tags, qualified, pointer, reference, function, array and member-pointer types,
// literals, special names (vtables, typeinfo, guard variables, thunks) and clone suffixes. A
// symbol using anything else (expressions, decltype, pack expansions, ...) gives null, and the
// backtrace prints it as it is rather than risk a wrong name.

/** A type as the printer needs it: declarators (pointers to functions, arrays) wrap around names. */
type Type =
  | { readonly k: 'name'; readonly s: string }
  | { readonly k: 'qual'; readonly t: Type; readonly q: string }
  | { readonly k: 'ptr' | 'lref' | 'rref'; readonly t: Type }
  | { readonly k: 'fn'; readonly ret: Type; readonly params: readonly Type[]; readonly quals: string }
  | { readonly k: 'array'; readonly t: Type; readonly dim: string }
  | { readonly k: 'member'; readonly cls: Type; readonly t: Type }
  /** A template parameter pack's arguments (J ... E), and a pack expansion (Dp) over them. */
  | { readonly k: 'pack'; readonly items: readonly Type[] }
  | { readonly k: 'expansion'; readonly t: Type };

/** Thrown where the symbol is malformed or uses grammar this parser leaves out. */
class Unsupported extends Error {}

const BUILTIN: Readonly<Record<string, string>> = {
  v: 'void', w: 'wchar_t', b: 'bool', c: 'char', a: 'signed char', h: 'unsigned char', s: 'short',
  t: 'unsigned short', i: 'int', j: 'unsigned int', l: 'long', m: 'unsigned long', x: 'long long',
  y: 'unsigned long long', n: '__int128', o: 'unsigned __int128', f: 'float', d: 'double',
  e: 'long double', g: '__float128', z: '...',
};
const BUILTIN_D: Readonly<Record<string, string>> = {
  d: 'decimal64', e: 'decimal128', f: 'decimal32', h: 'half', i: 'char32_t', s: 'char16_t', u: 'char8_t',
  a: 'auto', c: 'decltype(auto)', n: 'std::nullptr_t',
};
/** Integer literal suffixes by type; other literal types are written as a cast. */
const LITERAL_SUFFIX: Readonly<Record<string, string>> = { i: '', j: 'u', l: 'l', m: 'ul', x: 'll', y: 'ull' };
const OPERATORS: Readonly<Record<string, string>> = {
  nw: 'new', na: 'new[]', dl: 'delete', da: 'delete[]', ps: '+', ng: '-', ad: '&', de: '*', co: '~',
  pl: '+', mi: '-', ml: '*', dv: '/', rm: '%', an: '&', or: '|', eo: '^', aS: '=', pL: '+=', mI: '-=',
  mL: '*=', dV: '/=', rM: '%=', aN: '&=', oR: '|=', eO: '^=', ls: '<<', rs: '>>', lS: '<<=', rS: '>>=',
  eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', ss: '<=>', nt: '!', aa: '&&', oo: '||',
  pp: '++', mm: '--', cm: ',', pm: '->*', pt: '->', cl: '()', ix: '[]', qu: '?',
};
const SPECIAL_SUBS: Readonly<Record<string, string>> = {
  a: 'std::allocator', b: 'std::basic_string', s: 'std::string', i: 'std::istream', o: 'std::ostream', d: 'std::iostream',
};
/** The abbreviations above that name a template instance, spelt out as a constructor's class: [class, its base name]. */
const EXPANDED_SUBS: Readonly<Record<string, readonly [string, string]>> = {
  s: ['std::basic_string<char, std::char_traits<char>, std::allocator<char> >', 'basic_string'],
  i: ['std::basic_istream<char, std::char_traits<char> >', 'basic_istream'],
  o: ['std::basic_ostream<char, std::char_traits<char> >', 'basic_ostream'],
  d: ['std::basic_iostream<char, std::char_traits<char> >', 'basic_iostream'],
};
/** What each special name is printed as, before the name it is about. */
const SPECIAL_NAMES: Readonly<Record<string, string>> = {
  TV: 'vtable for ', TT: 'VTT for ', TI: 'typeinfo for ', TS: 'typeinfo name for ',
};

const named = (s: string): Type => ({ k: 'name', s });

/** A name that does not end in template arguments and has no qualifiers of its own. */
const plainName = (s: string, base = '', noReturn = false): Name => ({ s, base, template: false, noReturn, quals: '' });

/** A name being built: its text, the last component's plain name (for constructors), its kind. */
interface Name {
  readonly s: string;
  readonly base: string;
  /** Ends in template arguments (a function template's return type is then mangled). */
  readonly template: boolean;
  /** A constructor, destructor or conversion operator: never a mangled return type. */
  readonly noReturn: boolean;
  /** A member function's qualifiers (` const`, ` &`, ...), from its nested name. */
  readonly quals: string;
}

class Parser {
  pos = 0;
  private readonly subs: Type[] = [];
  private templateParams: Type[] | null = null;

  constructor(private readonly text: string) {}

  private peek(n = 0): string {
    return this.text[this.pos + n] ?? '';
  }
  private eat(s: string): boolean {
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
  private expect(s: string): void {
    if (!this.eat(s)) throw new Unsupported(`expected ${s}`);
  }
  private number(): number {
    const m = /^\d+/.exec(this.text.slice(this.pos, this.pos + 12));
    if (m === null) throw new Unsupported('expected a number');
    this.pos += m[0].length;
    return Number(m[0]);
  }
  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** <encoding>: a function (name and parameter types), data (a name) or a special name. */
  encoding(): string {
    const special = SPECIAL_NAMES[this.text.slice(this.pos, this.pos + 2)];
    if (special !== undefined) {
      this.pos += 2;
      return special + print(this.type());
    }
    if (this.eat('GV')) return `guard variable for ${this.name(true).s}`;
    if (this.eat('Th')) {
      this.eat('n');
      this.number();
      this.expect('_');
      return `non-virtual thunk to ${this.encoding()}`;
    }
    if (this.eat('Tv')) {
      for (let i = 0; i < 2; i++) {
        this.eat('n');
        this.number();
        this.expect('_');
      }
      return `virtual thunk to ${this.encoding()}`;
    }
    const name = this.name(true);
    if (this.done || this.peek() === 'E' || this.peek() === '.') return name.s;
    let ret = '';
    if (name.template && !name.noReturn) {
      const r = this.type();
      if (hasDeclarator(r)) throw new Unsupported('a return type with a declarator');
      ret = `${print(r)} `;
    }
    const params: Type[] = [];
    while (!this.done && this.peek() !== 'E' && this.peek() !== '.') params.push(this.type());
    return `${ret}${name.s}${paramList(params)}${name.quals}`;
  }

  /** <name>; at the encoding's level (`top`) its template arguments are what T_ refers to. */
  private name(top: boolean): Name {
    if (this.peek() === 'N') return this.nestedName(top);
    if (this.peek() === 'Z') return this.localName();
    let prefix = '';
    if (this.eat('St')) prefix = 'std::';
    // `L`: internal linkage (a `static` function or variable), not written out.
    else this.eat('L');
    let name: Name;
    if (this.peek() === 'S' && prefix === '') {
      const sub = this.substitution();
      if (this.peek() !== 'I') throw new Unsupported('a substitution as a name');
      name = plainName(print(sub));
    } else {
      const u = this.unqualifiedName('');
      name = { ...u, s: prefix + u.s };
    }
    if (this.peek() === 'I') {
      this.subs.push(named(name.s));
      const args = this.templateArgs(top);
      return { ...name, s: name.s + args, template: true };
    }
    return name;
  }

  /** N [CV] [ref] prefix... E */
  private nestedName(top: boolean): Name {
    this.expect('N');
    let quals = '';
    if (this.eat('r')) quals = ' restrict';
    if (this.eat('V')) quals = ` volatile${quals}`;
    if (this.eat('K')) quals = ` const${quals}`;
    if (this.eat('R')) quals += ' &';
    else if (this.eat('O')) quals += ' &&';
    let s = '';
    let base = '';
    let template = false;
    let noReturn = false;
    for (let first = true; !this.eat('E'); first = false) {
      if (this.done) throw new Unsupported('unterminated nested name');
      if (first && this.eat('St')) {
        s = 'std';
        continue;
      }
      if (this.peek() === 'I') {
        if (s === '') throw new Unsupported('template arguments without a template');
        s += this.templateArgs(top);
        template = true;
      } else if (this.peek() === 'S' && s === '') {
        // std::string and the streams abbreviate a template instance, spelt out as a constructor's class.
        const expanded = EXPANDED_SUBS[this.peek(1)];
        if (expanded !== undefined && /^[CD]\d/.test(this.text.slice(this.pos + 2, this.pos + 4))) {
          this.pos += 2;
          [s, base] = expanded;
          continue;
        }
        s = print(this.substitution());
        base = s.slice(s.lastIndexOf('::') + 2);
        continue; // a substitution is not a new candidate
      } else if (this.peek() === 'T' && s === '') {
        s = print(this.templateParam());
      } else {
        this.eat('L'); // internal linkage, as at the top level
        const u = this.unqualifiedName(base);
        s = s === '' ? u.s : `${s}::${u.s}`;
        if (u.base !== '') base = u.base;
        template = false;
        noReturn = u.noReturn;
      }
      if (this.peek() !== 'E') this.subs.push(named(s));
    }
    return { s, base, template, noReturn, quals };
  }

  /** Z <encoding> E <entity> [discriminator] */
  private localName(): Name {
    this.expect('Z');
    const saved = this.templateParams;
    const outer = this.encoding();
    this.templateParams = saved;
    this.expect('E');
    if (this.eat('s')) {
      this.discriminator();
      return plainName(`${outer}::string literal`);
    }
    if (this.peek() === 'd') throw new Unsupported('a default argument scope');
    const entity = this.name(true);
    this.discriminator();
    return { ...entity, s: `${outer}::${entity.s}` };
  }

  private discriminator(): void {
    if (this.eat('__')) {
      this.number();
      this.expect('_');
    } else if (this.peek() === '_' && /\d/.test(this.peek(1))) {
      this.pos += 2;
    }
  }

  /** <unqualified-name>: a source name, operator, constructor or destructor (of `enclosing`), lambda. */
  private unqualifiedName(enclosing: string): Name {
    let u: Name;
    const c = this.peek();
    if (/\d/.test(c)) {
      const s = this.sourceName();
      u = plainName(s, s);
    } else if (c === 'C' && /[1-5]/.test(this.peek(1))) {
      if (enclosing === '') throw new Unsupported('a constructor outside a class');
      this.pos += 2;
      u = plainName(enclosing, '', true);
    } else if (c === 'D' && /[0-5]/.test(this.peek(1))) {
      if (enclosing === '') throw new Unsupported('a destructor outside a class');
      this.pos += 2;
      u = plainName(`~${enclosing}`, '', true);
    } else if (c === 'U') {
      u = this.unnamedType();
    } else if (this.eat('cv')) {
      const saved = this.templateParams;
      const t = this.type();
      this.templateParams = saved;
      u = plainName(`operator ${print(t)}`, '', true);
    } else {
      const op = OPERATORS[this.text.slice(this.pos, this.pos + 2)];
      if (op === undefined) throw new Unsupported(`unqualified name at ${this.pos}`);
      this.pos += 2;
      u = plainName(/^[a-z]/.test(op) ? `operator ${op}` : `operator${op}`);
    }
    while (this.eat('B')) u = { ...u, s: `${u.s}[abi:${this.sourceName()}]` };
    return u;
  }

  /** Ut [n] _ (an unnamed type) or Ul <params> E [n] _ (a lambda). */
  private unnamedType(): Name {
    if (this.eat('Ut')) {
      const n = /\d/.test(this.peek()) ? String(this.number()) : '';
      this.expect('_');
      return plainName(`'unnamed${n}'`);
    }
    this.expect('Ul');
    const params: Type[] = [];
    while (!this.eat('E')) {
      if (this.done) throw new Unsupported('unterminated lambda');
      params.push(this.type());
    }
    const n = /\d/.test(this.peek()) ? String(this.number()) : '';
    this.expect('_');
    return plainName(`'lambda${n}'${paramList(params)}`);
  }

  private sourceName(): string {
    const len = this.number();
    if (len === 0 || this.pos + len > this.text.length) throw new Unsupported('source name past the end');
    const s = this.text.slice(this.pos, this.pos + len);
    this.pos += len;
    return s.startsWith('_GLOBAL__N') ? '(anonymous namespace)' : s;
  }

  /** I <template-arg>+ E; at the encoding's level they become what T_ refers to. */
  private templateArgs(top: boolean): string {
    this.expect('I');
    const args: Type[] = [];
    const texts: string[] = [];
    while (!this.eat('E')) {
      if (this.done) throw new Unsupported('unterminated template arguments');
      if (this.eat('J')) {
        // An argument pack: one template parameter, its arguments written in place.
        const items: Type[] = [];
        while (!this.eat('E')) {
          if (this.done) throw new Unsupported('unterminated pack');
          items.push(this.templateArg());
        }
        args.push({ k: 'pack', items });
        if (items.length > 0) texts.push(items.map(print).join(', '));
        continue;
      }
      const arg = this.templateArg();
      args.push(arg);
      texts.push(print(arg));
    }
    if (top) this.templateParams = args;
    const text = bounded(texts.join(', '));
    return `<${text}${text.endsWith('>') ? ' ' : ''}>`;
  }

  private templateArg(): Type {
    if (this.peek() === 'L') return named(this.literal());
    if (this.peek() === 'X') throw new Unsupported('an expression argument');
    return this.type();
  }

  /** L <type> <value> E, for the integer types, bool, and enumerations (written as a cast). */
  private literal(): string {
    this.expect('L');
    if (this.peek() === '_' || this.peek() === 'Z') throw new Unsupported('an external name as a literal');
    const type = this.peek();
    let cast: string | null = null;
    if (BUILTIN[type] === undefined) cast = print(this.type());
    else if (type === 'v' || type === 'z') throw new Unsupported('a literal of this type');
    else this.pos++;
    const negative = this.eat('n');
    const m = /^\d+/.exec(this.text.slice(this.pos));
    if (m === null) throw new Unsupported('a literal without digits');
    this.pos += m[0].length;
    this.expect('E');
    const value = `${negative ? '-' : ''}${m[0]}`;
    if (cast !== null) return `(${cast})${value}`;
    if (type === 'b' && (value === '0' || value === '1')) return value === '1' ? 'true' : 'false';
    const suffix = LITERAL_SUFFIX[type];
    if (suffix !== undefined) return value + suffix;
    if (type === 'f' || type === 'd' || type === 'e' || type === 'g') throw new Unsupported('a floating-point literal');
    return `(${BUILTIN[type]})${value}`;
  }

  /** T_ or T <n> _: a template parameter of the encoding. */
  private templateParam(): Type {
    this.expect('T');
    const index = this.eat('_') ? 0 : this.number() + 1;
    if (index > 0) this.expect('_');
    const t = this.templateParams?.[index];
    if (t === undefined) throw new Unsupported('a template parameter out of scope');
    return t;
  }

  /** S_, S <seq-id> _ or a standard abbreviation (St is a prefix, not a substitution). */
  private substitution(): Type {
    this.expect('S');
    const special = SPECIAL_SUBS[this.peek()];
    if (special !== undefined) {
      this.pos++;
      return named(special);
    }
    let index = 0;
    if (!this.eat('_')) {
      const m = /^[0-9A-Z]+/.exec(this.text.slice(this.pos, this.pos + 8));
      if (m === null) throw new Unsupported('a substitution');
      this.pos += m[0].length;
      this.expect('_');
      index = parseInt(m[0], 36) + 1;
    }
    const t = this.subs[index];
    if (t === undefined) throw new Unsupported('a substitution out of range');
    return t;
  }

  /** <type>, recording it as a substitution candidate where the ABI says so. */
  type(): Type {
    const c = this.peek();
    const builtin = BUILTIN[c];
    if (builtin !== undefined) {
      this.pos++;
      return named(builtin);
    }
    if (c === 'D' && BUILTIN_D[this.peek(1)] !== undefined) {
      const t = named(BUILTIN_D[this.peek(1)]!);
      this.pos += 2;
      return t;
    }
    let t: Type;
    if (c === 'r' || c === 'V' || c === 'K') {
      let q = '';
      if (this.eat('r')) q = ' restrict';
      if (this.eat('V')) q = ` volatile${q}`;
      if (this.eat('K')) q = ` const${q}`;
      const inner = this.type();
      if (inner.k === 'fn') throw new Unsupported('a qualified function type');
      t = { k: 'qual', t: inner, q };
    } else if (c === 'P' || c === 'R' || c === 'O') {
      this.pos++;
      const inner = this.type();
      // References to references collapse (`T&&` with T = `X&` is `X&`).
      if (c !== 'P' && (inner.k === 'lref' || inner.k === 'rref')) t = c === 'O' ? inner : { k: 'lref', t: inner.t };
      else t = { k: c === 'P' ? 'ptr' : c === 'R' ? 'lref' : 'rref', t: inner };
    } else if (c === 'F') {
      t = this.functionType('');
    } else if (c === 'A') {
      this.pos++;
      const dim = /\d/.test(this.peek()) ? String(this.number()) : '';
      this.expect('_');
      t = { k: 'array', t: this.type(), dim };
    } else if (c === 'D' && this.peek(1) === 'p') {
      this.pos += 2;
      t = { k: 'expansion', t: this.type() };
    } else if (c === 'M') {
      this.pos++;
      const cls = this.type();
      const member = this.type();
      t = { k: 'member', cls, t: member };
    } else if (c === 'T') {
      t = this.templateParam();
      this.subs.push(t);
      if (this.peek() === 'I') throw new Unsupported('a template template parameter');
      return t;
    } else if (c === 'S' && this.peek(1) !== 't') {
      const sub = this.substitution();
      if (this.peek() !== 'I') return sub;
      t = named(print(sub) + this.templateArgs(false));
    } else if (c === 'N' || c === 'Z' || /\d/.test(c) || c === 'S' || c === 'U') {
      t = named(this.name(false).s);
    } else {
      throw new Unsupported(`type at ${this.pos}`);
    }
    this.subs.push(t);
    return t;
  }

  /** F [Y] <return> <params> [ref] E */
  private functionType(quals: string): Type {
    this.expect('F');
    this.eat('Y');
    const ret = this.type();
    const params: Type[] = [];
    let ref = '';
    for (;;) {
      if (this.eat('E')) break;
      if (this.eat('RE')) {
        ref = ' &';
        break;
      }
      if (this.eat('OE')) {
        ref = ' &&';
        break;
      }
      if (this.done) throw new Unsupported('unterminated function type');
      params.push(this.type());
    }
    return { k: 'fn', ret, params, quals: quals + ref };
  }
}

/** `(int, char)`; a lone `void` is `()`; a pack expansion is one parameter per argument of its pack. */
function paramList(params: readonly Type[]): string {
  if (params.length === 1 && params[0]!.k === 'name' && params[0]!.s === 'void') return '()';
  return bounded(`(${params.flatMap((p) => (p.k === 'expansion' ? expand(p.t) : [p])).map(print).join(', ')})`);
}

/** The types a pack expansion's pattern stands for: one per argument of the pack(s) in it. */
function expand(pattern: Type): Type[] {
  const length = packLength(pattern);
  if (length === null) throw new Unsupported('a pack expansion without a pack');
  const out: Type[] = [];
  for (let i = 0; i < length; i++) out.push(substitute(pattern, i));
  return out;
}

function packLength(t: Type): number | null {
  switch (t.k) {
    case 'pack': return t.items.length;
    case 'qual': case 'ptr': case 'lref': case 'rref': case 'array': return packLength(t.t);
    case 'name': return null;
    default: throw new Unsupported('a pack expansion of this shape');
  }
}

/** `t` with each pack replaced by its `i`th argument (references collapsing as they meet). */
function substitute(t: Type, i: number): Type {
  switch (t.k) {
    case 'pack': return t.items[i]!;
    case 'name': return t;
    case 'qual': return { ...t, t: substitute(t.t, i) };
    case 'array': return { ...t, t: substitute(t.t, i) };
    case 'ptr': return { k: 'ptr', t: substitute(t.t, i) };
    case 'lref': case 'rref': {
      const inner = substitute(t.t, i);
      if (inner.k === 'lref' || inner.k === 'rref') return t.k === 'rref' ? inner : { k: 'lref', t: inner.t };
      return { k: t.k, t: inner };
    }
    default: throw new Unsupported('a pack expansion of this shape');
  }
}

function hasDeclarator(t: Type): boolean {
  switch (t.k) {
    case 'fn': case 'array': case 'member': return true;
    case 'qual': case 'ptr': case 'lref': case 'rref': return hasDeclarator(t.t);
    default: return false;
  }
}

/** Whether a pointer or reference to `t` needs parentheses around it: `void (*)(int)`, `int (&) [4]`. */
const wraps = (t: Type): boolean => t.k === 'fn' || t.k === 'array' || (t.k === 'qual' && wraps(t.t));
/** An array, qualified or not: a declarator around it is set off by a space (`char const (&) [4]`). */
const isArray = (t: Type): boolean => t.k === 'array' || (t.k === 'qual' && isArray(t.t));

/** Writes the part of `t` before a declarator's name (`void (*` of `void (*)(int)`). */
function printLeft(t: Type, out: string[]): void {
  switch (t.k) {
    case 'pack': case 'expansion': throw new Unsupported('a pack outside a parameter list');
    case 'name': out.push(t.s); return;
    case 'qual': printLeft(t.t, out); out.push(t.q); return;
    case 'ptr': case 'lref': case 'rref': {
      const mark = t.k === 'ptr' ? '*' : t.k === 'lref' ? '&' : '&&';
      printLeft(t.t, out);
      if (wraps(t.t)) out.push(isArray(t.t) ? ' (' : '(');
      out.push(mark);
      return;
    }
    case 'fn': printLeft(t.ret, out); out.push(' '); return;
    case 'array': printLeft(t.t, out); return;
    case 'member':
      printLeft(t.t, out);
      out.push(wraps(t.t) ? (isArray(t.t) ? ' (' : '(') : ' ', print(t.cls), '::*');
      return;
  }
}

/** Writes the part of `t` after a declarator's name (`)(int)` of `void (*)(int)`). */
function printRight(t: Type, out: string[]): void {
  switch (t.k) {
    case 'pack': case 'expansion': throw new Unsupported('a pack outside a parameter list');
    case 'name': return;
    case 'qual': printRight(t.t, out); return;
    case 'ptr': case 'lref': case 'rref': case 'member':
      if (wraps(t.t)) out.push(')');
      printRight(t.t, out);
      return;
    case 'fn': out.push(paramList(t.params), t.quals); printRight(t.ret, out); return;
    case 'array':
      if (!(out[out.length - 1] ?? '').endsWith(']')) out.push(' ');
      out.push(`[${t.dim}]`);
      printRight(t.t, out);
      return;
  }
}

function print(t: Type): string {
  const out: string[] = [];
  printLeft(t, out);
  printRight(t, out);
  return bounded(out.join(''));
}

/** Substitutions can double a name's length at each use: a symbol that grows past this is left as it is. */
const MAX_LENGTH = 16_384;

function bounded(s: string): string {
  if (s.length > MAX_LENGTH) throw new Unsupported('a name too long to print');
  return s;
}

/** The declaration an Itanium-mangled C++ symbol names, as llvm-cxxfilt writes it; null when it is not one this reads. */
export function demangleItanium(symbol: string): string | null {
  const m = /^(_Z|__Z)([^.]*)((?:\.[A-Za-z_0-9.]+)?)$/.exec(symbol);
  if (m === null) return null;
  try {
    const p = new Parser(m[2]!);
    const text = p.encoding();
    if (!p.done) return null;
    const suffix = m[3]!;
    return suffix === '' ? text : `${text} (${suffix})`;
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return null;
    throw e;
  }
}
