// wasm-tools (through jco-transpile) as an oracle for the text encoder, in tools and tests only:
// its parser, the ASCII-only source it needs, and the classification of byte differences.

import { parse as wasmToolsParse } from '@bytecodealliance/jco-transpile/wasm-tools';

/**
 * The source with every non-ASCII character inside a string literal written as a \u{...} escape
 * and every other one (in comments) as a space: the oracle mishandles raw non-ASCII text.
 */
export function asciiSource(text: string): string {
  let out = '';
  let i = 0;
  let depth = 0; // block comment nesting
  while (i < text.length) {
    const ch = text[i]!;
    if (depth > 0) {
      if (text.startsWith('(;', i)) {
        depth++;
        out += '(;';
        i += 2;
      } else if (text.startsWith(';)', i)) {
        depth--;
        out += ';)';
        i += 2;
      } else {
        const cp = text.codePointAt(i)!;
        out += cp < 128 ? ch : ' ';
        i += cp > 0xffff ? 2 : 1;
      }
      continue;
    }
    if (text.startsWith('(;', i)) {
      depth = 1;
      out += '(;';
      i += 2;
    } else if (text.startsWith(';;', i)) {
      while (i < text.length && text[i] !== '\n') {
        const cp = text.codePointAt(i)!;
        out += cp < 128 ? text[i] : ' ';
        i += cp > 0xffff ? 2 : 1;
      }
    } else if (ch === '"') {
      out += ch;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') {
          out += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        const cp = text.codePointAt(i)!;
        out += cp < 128 ? text[i] : `\\u{${cp.toString(16)}}`;
        i += cp > 0xffff ? 2 : 1;
      }
      if (i < text.length) out += '"';
      i++;
    } else {
      const cp = text.codePointAt(i)!;
      out += cp < 128 ? ch : ' ';
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/** wasm-tools' encoding of a text module, or its error message. */
export async function oracleEncode(text: string): Promise<Uint8Array | { error: string }> {
  try {
    // The oracle does not know script-only `(module definition ...)`; the module is the same.
    return await wasmToolsParse(asciiSource(text).replace(/^\(module\s+definition\b/, '(module'));
  } catch (e) {
    const message = String(e);
    const m = /kind: Custom\("([^"]*)"\)/.exec(message) ?? /kind: (\w+)/.exec(message);
    return { error: m ? m[1]! : message.slice(0, 200) };
  }
}

const SECTION_NAMES: Readonly<Record<number, string>> = {
  0: 'custom', 1: 'type', 2: 'import', 3: 'func', 4: 'table', 5: 'memory', 6: 'global', 7: 'export',
  8: 'start', 9: 'elem', 10: 'code', 11: 'data', 12: 'datacount', 13: 'tag',
};

interface Section {
  readonly id: number;
  readonly name: string;
  readonly bytes: Uint8Array;
}

export function readSections(bytes: Uint8Array): Section[] {
  const out: Section[] = [];
  let i = 8;
  while (i < bytes.length) {
    const id = bytes[i++]!;
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++]!;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    const body = bytes.subarray(i, i + size);
    let name = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) {
      const n = body[0]!;
      name = `custom "${String.fromCharCode(...body.subarray(1, 1 + n))}"`;
    }
    out.push({ id, name, bytes: body });
    i += size;
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A short description of how two encodings differ: which sections, first. */
export function describeDifference(ours: Uint8Array, theirs: Uint8Array): string {
  const a = readSections(ours);
  const b = readSections(theirs);
  const namesA = a.map((s) => s.name).join(',');
  const namesB = b.map((s) => s.name).join(',');
  if (namesA !== namesB) return `sections differ: ours [${namesA}] vs oracle [${namesB}]`;
  const differing = a.filter((s, i) => !equalBytes(s.bytes, b[i]!.bytes)).map((s) => s.name);
  return `${differing.join(', ')} section${differing.length > 1 ? 's' : ''} differ`;
}

export { equalBytes };
