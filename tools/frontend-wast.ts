// A minimal .wast reader for the front-end tools: splits a script into top-level commands and
// finds the modules inside them (text, binary or quote) with the expected message, if any.

/** One module found in a script. */
export interface ScriptModule {
  readonly file: string;
  readonly line: number;
  /** The command holding it: module, assert_invalid, assert_malformed, assert_unlinkable, ... */
  readonly command: string;
  readonly form: 'text' | 'binary' | 'quote';
  /** Text of a text module (`(module ...)` without `definition`), or the quoted text. */
  readonly source: string;
  /** Bytes of a binary module. */
  readonly bytes: Uint8Array;
  /** The expected message of assert_invalid / assert_malformed / assert_unlinkable ... */
  readonly message: string | null;
}

interface Form {
  start: number;
  end: number;
}

/** Skips whitespace and comments from `i`; returns the next significant index. */
function skipTrivia(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
    } else if (c === 59 && s.charCodeAt(i + 1) === 59) {
      while (i < s.length && s.charCodeAt(i) !== 10) i++;
    } else if (c === 40 && s.charCodeAt(i + 1) === 59) {
      let depth = 1;
      i += 2;
      while (i < s.length && depth > 0) {
        if (s.startsWith('(;', i)) {
          depth++;
          i += 2;
        } else if (s.startsWith(';)', i)) {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
    } else {
      return i;
    }
  }
}

/** End index (exclusive) of the token or form starting at `i`. */
function skipItem(s: string, i: number): number {
  const c = s[i];
  if (c === '"') {
    i++;
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    return i + 1;
  }
  if (c === '(') {
    i++;
    for (;;) {
      i = skipTrivia(s, i);
      if (i >= s.length) return i;
      if (s[i] === ')') return i + 1;
      i = skipItem(s, i);
    }
  }
  const start = i;
  while (i < s.length && !/[\s()";]/.test(s[i]!)) i++;
  return i === start ? i + 1 : i;
}

/** The items (tokens and forms) directly inside the form at `f`. */
function children(s: string, f: Form): Form[] {
  const out: Form[] = [];
  let i = f.start + 1;
  for (;;) {
    i = skipTrivia(s, i);
    if (i >= f.end - 1 || s[i] === ')') return out;
    const end = skipItem(s, i);
    out.push({ start: i, end });
    i = end;
  }
}

/** Decodes a wast string literal (with its quotes) to bytes. */
export function stringBytes(lit: string): number[] {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 1; i < lit.length - 1; i++) {
    const c = lit[i]!;
    if (c !== '\\') {
      const code = lit.codePointAt(i)!;
      if (code < 0x80) out.push(code);
      else {
        const ch = String.fromCodePoint(code);
        out.push(...enc.encode(ch));
        i += ch.length - 1;
      }
      continue;
    }
    const n = lit[++i]!;
    switch (n) {
      case 'n': out.push(10); break;
      case 't': out.push(9); break;
      case 'r': out.push(13); break;
      case '\\': out.push(92); break;
      case "'": out.push(39); break;
      case '"': out.push(34); break;
      case 'u': {
        const close = lit.indexOf('}', i);
        const cp = parseInt(lit.slice(i + 2, close).replace(/_/g, ''), 16);
        out.push(...enc.encode(String.fromCodePoint(cp)));
        i = close;
        break;
      }
      default:
        out.push(parseInt(lit.slice(i, i + 2), 16));
        i++;
    }
  }
  return out;
}

function lineOf(s: string, index: number, lineStarts: number[]): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  void s;
  return lo + 1;
}

/** Every module of a script, in order. */
export function scriptModules(file: string, text: string): ScriptModule[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const out: ScriptModule[] = [];
  let i = 0;
  for (;;) {
    i = skipTrivia(text, i);
    if (i >= text.length) break;
    const end = skipItem(text, i);
    const top: Form = { start: i, end };
    i = end;
    if (text[top.start] !== '(') continue;
    const items = children(text, top);
    const head = items[0] ? text.slice(items[0].start, items[0].end) : '';
    let moduleForm: Form | undefined;
    let message: string | null = null;
    if (head === 'module') {
      moduleForm = top;
    } else if (head.startsWith('assert_')) {
      moduleForm = items.find((c) => text[c.start] === '(' && /^\(\s*module\b/.test(text.slice(c.start, c.start + 20)));
      const last = items[items.length - 1];
      if (last && text[last.start] === '"') message = String.fromCharCode(...stringBytes(text.slice(last.start, last.end)));
    }
    if (moduleForm === undefined) continue;
    const parts = children(text, moduleForm).slice(1).map((c) => text.slice(c.start, c.end));
    let k = 0;
    if (parts[k] === 'definition') k++;
    if (parts[k] === 'instance') continue;
    if (parts[k]?.startsWith('$')) k++;
    const line = lineOf(text, moduleForm.start, lineStarts);
    const base = { file, line, command: head, message };
    if (parts[k] === 'binary' || parts[k] === 'quote') {
      const strings = parts.slice(k + 1).filter((p) => p.startsWith('"'));
      if (parts[k] === 'binary') {
        const bytes = new Uint8Array(strings.flatMap(stringBytes));
        out.push({ ...base, form: 'binary', source: '', bytes });
      } else {
        const source = new TextDecoder().decode(new Uint8Array(strings.flatMap(stringBytes)));
        out.push({ ...base, form: 'quote', source, bytes: new Uint8Array(0) });
      }
      continue;
    }
    let source = text.slice(moduleForm.start, moduleForm.end);
    source = source.replace(/^\(\s*module\s+definition\b/, '(module');
    out.push({ ...base, form: 'text', source, bytes: new Uint8Array(0) });
  }
  return out;
}

/** Replaces non-ASCII characters by \hh escapes of their UTF-8 bytes (for the text oracle). */
export function asciiOnly(source: string): string {
  return source.replace(/[^\x00-\x7f]/gu, (ch) =>
    Array.from(new TextEncoder().encode(ch), (b) => `\\${b.toString(16).padStart(2, '0')}`).join(''));
}

/**
 * Rewrites folded legacy exception blocks `(try bt (do ...) (catch x ...) (catch_all ...))` and
 * `(try bt (do ...) (delegate l))` into flat instructions, which the text oracle understands.
 */
export function unfoldLegacyTry(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const next = skipTrivia(source, i);
    out += source.slice(i, next);
    i = next;
    if (i >= source.length) break;
    if (source[i] === '(' && /^\(\s*try\b(?!_)/.test(source.slice(i, i + 12))) {
      const end = skipItem(source, i);
      out += flatTry(source, { start: i, end });
      i = end;
    } else if (source[i] === '(' || source[i] === ')') {
      out += source[i];
      i++;
    } else {
      const end = skipItem(source, i);
      out += source.slice(i, end);
      i = end;
    }
  }
  return out;
}

function flatTry(s: string, f: Form): string {
  const items = children(s, f).slice(1);
  const parts: string[] = ['try'];
  let ending = 'end';
  for (const c of items) {
    const text = s.slice(c.start, c.end);
    const head = /^\(\s*([a-z_]+)/.exec(text)?.[1];
    const inner = () => {
      const kids = children(s, c).slice(1);
      return kids.map((k) => unfoldLegacyTry(s.slice(k.start, k.end)));
    };
    if (head === 'do') parts.push(...inner());
    else if (head === 'catch') {
      const [tag, ...body] = inner();
      parts.push('catch', tag!, ...body);
    } else if (head === 'catch_all') parts.push('catch_all', ...inner());
    else if (head === 'delegate') ending = `delegate ${inner().join(' ')}`;
    else parts.push(text);
  }
  parts.push(ending);
  return parts.join(' ');
}
