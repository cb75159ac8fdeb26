// Reads a module file for the CLI: .wat (or any file starting with text) is parsed to binary.

import { readFileSync } from 'node:fs';
import { CompileError, ImplementationLimitError, UnsupportedError } from '../core/errors.js';
import { parseWat, WatSyntaxError } from '../text/index.js';
import { utf8SequenceLength } from '../core/utf8.js';
import { isSerializedModule } from '../api/index.js';

/** The module's bytes; text files (by extension or content) go through tswasm's own parser. */
export function readModuleFile(path: string): Uint8Array {
  return moduleBytes(readFileForCli(path), path);
}

/** The binary form of a file's contents: wasm bytes as they are, text parsed (CompileError if malformed). */
export function moduleBytes(contents: Uint8Array, path: string): Uint8Array {
  const isBinary = contents.length >= 4 && contents[0] === 0 && contents[1] === 0x61 && contents[2] === 0x73 && contents[3] === 0x6d;
  if (isBinary) return contents;
  // `tswasm run --allow-precompiled` takes these (its loadModule checks first); every other command needs the module.
  if (isSerializedModule(contents)) throw new Error(`${path}: is a precompiled module (tswasm compile's output): this command needs the .wasm or .wat it was compiled from`);
  // As Wasmtime does, anything else is read as text; a .wasm file that is neither says so.
  const notBinary = path.endsWith('.wasm') ? 'not a wasm binary (it does not start with \\0asm), and as text: ' : '';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(contents);
  } catch {
    throw new CompileError(`${notBinary}malformed UTF-8`, firstMalformedUtf8(contents), true);
  }
  // Editors on Windows start UTF-8 files with a byte order mark, which is not part of the text format.
  try {
    return parseWat(text.startsWith('\uFEFF') ? text.slice(1) : text, path);
  } catch (e) {
    if (notBinary !== '' && e instanceof WatSyntaxError) throw new CompileError(`${notBinary}${e.message}`, 0, true);
    throw e;
  }
}

/** The offset of the first byte that is not part of well-formed UTF-8. */
function firstMalformedUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const n = utf8SequenceLength(bytes, i, bytes.length);
    if (n === 0) return i;
    i += n;
  }
  return bytes.length;
}

/** A file's contents, or an Error with a one-line message naming the file. */
export function readFileForCli(path: string): Uint8Array {
  try {
    // `-` is standard input, as wasmtime run reads a module from it.
    return new Uint8Array(readFileSync(path === '-' ? 0 : path));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new Error(`${path}: no such file`);
    if (code === 'EISDIR') throw new Error(`${path}: is a directory`);
    throw new Error(`${path}: cannot read: ${(e as Error).message}`);
  }
}

/**
 * Runs `f` (decoding, validating, compiling FILE); a CompileError becomes `FILE: invalid module: ...`,
 * unless the module is valid and only beyond what tswasm can run.
 */
export function asValidModule<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ImplementationLimitError) throw new Error(`${file}: valid, but beyond an implementation limit: ${e.message}`);
    if (e instanceof UnsupportedError) throw new Error(`${file}: ${e.message}`);
    if (e instanceof CompileError) throw new Error(`${file}: invalid module: ${e.message}`);
    throw e;
  }
}
