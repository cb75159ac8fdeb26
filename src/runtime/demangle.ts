// Readable function names for printed backtraces: Rust's legacy symbol mangling (what rustc writes
// into a wasm name section by default, `_ZN3std9panicking11begin_panic17h...E`) turned back into a
// path (`std::panicking::begin_panic::h...`), as Wasmtime prints them; C++ names through
// demangle-itanium.ts. Other names are left as they are.

import { demangleItanium } from './demangle-itanium.js';

/** Escapes inside a legacy-mangled identifier (`$LT$` is `<`, `$u7b$` is `{`, ...). */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['SP', '@'], ['BP', '*'], ['RF', '&'], ['LT', '<'], ['GT', '>'], ['LP', '('], ['RP', ')'], ['C', ','],
]);

/** One path component: its escapes undone, `..` as `::`; null if an escape is not one rustc writes. */
function component(ident: string): string | null {
  // rustc prefixes an identifier that would start with `$` with `_`.
  let s = ident.startsWith('_$') ? ident.slice(1) : ident;
  let out = '';
  while (s.length > 0) {
    if (s.startsWith('$')) {
      const end = s.indexOf('$', 1);
      if (end < 0) return null;
      const code = s.slice(1, end);
      const known = ESCAPES.get(code);
      if (known !== undefined) out += known;
      else if (/^u[0-9a-f]{1,6}$/.test(code)) out += String.fromCodePoint(parseInt(code.slice(1), 16));
      else return null;
      s = s.slice(end + 1);
    } else if (s.startsWith('..')) {
      out += '::';
      s = s.slice(2);
    } else {
      out += s[0];
      s = s.slice(1);
    }
  }
  return out;
}

/**
 * The path a Rust legacy-mangled symbol names (`_ZN` length-prefixed components `E`, an LLVM
 * `.llvm.N` suffix allowed), with its hash component as rustc-demangle shows it; null for any
 * other name.
 */
export function demangleRust(name: string): string | null {
  const m = /^(?:_ZN|ZN|__ZN)(.*)E(?:\.llvm\.\d+)?$/.exec(name);
  if (m === null) return null;
  const body = m[1]!;
  const parts: string[] = [];
  let at = 0;
  while (at < body.length) {
    const digits = /^\d+/.exec(body.slice(at));
    if (digits === null || digits[0].startsWith('0')) return null;
    const len = Number(digits[0]);
    at += digits[0].length;
    if (len === 0 || at + len > body.length) return null;
    const part = component(body.slice(at, at + len));
    if (part === null) return null;
    parts.push(part);
    at += len;
  }
  return parts.length > 0 ? parts.join('::') : null;
}

/**
 * A function name as a backtrace prints it: demangled when it is a Rust legacy symbol (tried first,
 * as its form is also a valid C++ name) or an Itanium C++ one, as it is otherwise.
 */
export function displayName(name: string): string {
  return demangleRust(name) ?? demangleItanium(name) ?? name;
}

/** How a backtrace or profile writes function `funcIndex`: its name demangled, or `<wasm function N>` without one. */
export function functionLabel(name: string | null | undefined, funcIndex: number): string {
  return name != null ? displayName(name) : `<wasm function ${funcIndex}>`;
}
