// `tswasm print FILE`: prints a module in the text format (binary input is decoded; text input is
// parsed first, so the output shows what tswasm encoded).

import { printModule } from '../text/index.js';
import type { Command } from './main.js';
import { readModuleFile } from './read-module.js';

export const command: Command = {
  summary: 'print a module (.wasm or .wat) in the text format',
  async run(args) {
    if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
      console.log('usage: tswasm print FILE.wasm|FILE.wat');
      return 0;
    }
    if (args.length !== 1 || args[0]!.startsWith('-')) {
      console.error('usage: tswasm print FILE.wasm|FILE.wat');
      return 2;
    }
    try {
      process.stdout.write(printModule(readModuleFile(args[0]!)));
      return 0;
    } catch (error) {
      console.error(`tswasm print: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  },
};
