// `tswasm validate FILE...`: decodes and validates modules and reports the first error of each,
// with its byte offset (binary) or line and column (text).

import { decodeModule } from '../binary/decoder.js';
import { ALL_FEATURES, WASM3_FEATURES } from '../core/features.js';
import { validateModule } from '../validate/index.js';
import type { Command } from './main.js';
import { readModuleFile } from './read-module.js';

const USAGE = 'usage: tswasm validate [--all-features] FILE...\n  --all-features  also accept the proposals (threads, wide-arithmetic, custom page sizes, custom descriptors)';

export const command: Command = {
  summary: 'decode and validate modules (.wasm or .wat)',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(USAGE);
      return 0;
    }
    const unknown = args.find((a) => a.startsWith('-') && a !== '--all-features');
    const files = args.filter((a) => !a.startsWith('-'));
    if (unknown !== undefined || files.length === 0) {
      console.error(unknown !== undefined ? `tswasm validate: unknown option ${unknown}\n\n${USAGE}` : USAGE);
      return 2;
    }
    const all = args.includes('--all-features');
    const features = all ? ALL_FEATURES : WASM3_FEATURES;
    let failures = 0;
    for (const file of files) {
      let bytes: Uint8Array | null = null;
      try {
        bytes = readModuleFile(file);
        const start = performance.now();
        validateModule(decodeModule(bytes, features), features);
        const ms = performance.now() - start;
        console.log(`${file}: valid (${bytes.length} bytes, decoded and validated in ${ms.toFixed(1)} ms)`);
      } catch (error) {
        failures++;
        const hint = !all && bytes !== null && validWith(bytes, ALL_FEATURES) ? ' (valid with --all-features: it uses a proposal)' : '';
        // A file that cannot be read has a message naming it already.
        const what = !(error instanceof Error) ? String(error) : error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : `${error.name}: ${error.message}`;
        console.error(`${file}: ${what}${hint}`);
      }
    }
    return failures === 0 ? 0 : 1;
  },
};

function validWith(bytes: Uint8Array, features: typeof ALL_FEATURES): boolean {
  try {
    validateModule(decodeModule(bytes, features), features);
    return true;
  } catch {
    return false;
  }
}
