// Reads a module file for the CLI: .wat (or any file starting with text) is parsed to binary.

import { readFileSync } from 'node:fs';
import { CompileError } from '../core/errors.js';
import { parseWat } from '../text/index.js';

/** The module's bytes; text files (by extension or content) go through tswasm's own parser. */
export function readModuleFile(path: string): Uint8Array {
  return moduleBytes(new Uint8Array(readFileSync(path)), path);
}

/** The binary form of a file's contents: wasm bytes as they are, text parsed (CompileError if malformed). */
export function moduleBytes(contents: Uint8Array, path: string): Uint8Array {
  const isBinary = contents.length >= 4 && contents[0] === 0 && contents[1] === 0x61 && contents[2] === 0x73 && contents[3] === 0x6d;
  if (isBinary) return contents;
  // Editors on Windows start UTF-8 files with a byte order mark, which is not part of the text format.
  const text = new TextDecoder().decode(contents);
  return parseWat(text.startsWith('\uFEFF') ? text.slice(1) : text, path);
}

/** A file's contents, or an Error with a one-line message naming the file. */
export function readFileForCli(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new Error(`${path}: no such file`);
    if (code === 'EISDIR') throw new Error(`${path}: is a directory`);
    throw new Error(`${path}: cannot read: ${(e as Error).message}`);
  }
}

/** Runs `f` (decoding, validating, compiling FILE); a CompileError becomes `FILE: invalid module: ...`. */
export function asValidModule<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CompileError) throw new Error(`${file}: invalid module: ${e.message}`);
    throw e;
  }
}
