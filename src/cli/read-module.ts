// Reads a module file for the CLI: .wat (or any file starting with text) is parsed to binary.

import { readFileSync } from 'node:fs';
import { parseWat } from '../text/index.js';

/** The module's bytes; text files (by extension or content) go through tswasm's own parser. */
export function readModuleFile(path: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(path));
  const isBinary = bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (isBinary) return bytes;
  // Editors on Windows start UTF-8 files with a byte order mark, which is not part of the text format.
  const text = readFileSync(path, 'utf8');
  return parseWat(text.startsWith('\uFEFF') ? text.slice(1) : text, path);
}
