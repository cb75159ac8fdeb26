// Reads a module file for the CLI: .wat (or any file starting with text) is parsed to binary.

import { readFileSync } from 'node:fs';
import { parseWat } from '../text/index.js';

/** The module's bytes; text files (by extension or content) go through tswasm's own parser. */
export function readModuleFile(path: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(path));
  const isBinary = bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (isBinary) return bytes;
  return parseWat(readFileSync(path, 'utf8'), path);
}
