// `tswasm validate FILE...`: decodes and validates modules and reports the first error of each,
// with its byte offset (binary) or line and column (text).

import { decodeModule } from '../binary/decoder.js';
import { ALL_FEATURES, WASM3_FEATURES } from '../core/features.js';
import { validateModule } from '../validate/index.js';
import type { Command } from './main.js';
import { readModuleFile } from './read-module.js';

export const command: Command = {
  summary: 'decode and validate modules (.wasm or .wat)',
  async run(args) {
    const all = args.includes('--all-features');
    const files = args.filter((a) => !a.startsWith('-'));
    if (files.length === 0) {
      console.error('usage: tswasm validate [--all-features] FILE...\n  --all-features  also accept the proposals (threads, wide-arithmetic, custom page sizes, custom descriptors)');
      return 2;
    }
    const features = all ? ALL_FEATURES : WASM3_FEATURES;
    let failures = 0;
    for (const file of files) {
      try {
        const bytes = readModuleFile(file);
        const start = performance.now();
        validateModule(decodeModule(bytes, features), features);
        const ms = performance.now() - start;
        console.log(`${file}: valid (${bytes.length} bytes, decoded and validated in ${ms.toFixed(1)} ms)`);
      } catch (error) {
        failures++;
        console.error(`${file}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
    }
    return failures === 0 ? 0 : 1;
  },
};
