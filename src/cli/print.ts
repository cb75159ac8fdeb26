// `tswasm print FILE`: prints a module in the text format (binary input is decoded; text input is
// parsed first, so the output shows what tswasm encoded).

import { printModule } from '../text/index.js';
import type { Command } from './main.js';
import { readModuleFile } from './read-module.js';
import { runCommand } from './command.js';
import { UsageError } from './wasm-options.js';

const USAGE = 'usage: tswasm print FILE.wasm|FILE.wat';

export const command: Command = {
  summary: 'print a module (.wasm or .wat) in the text format',
  run: (args) => runCommand('print', USAGE, args, parse, (file) => {
    process.stdout.write(printModule(readModuleFile(file)));
    return 0;
  }),
};

function parse(args: string[]): string {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) throw new UsageError('');
  const option = args.find((a) => a.startsWith('-'));
  if (option !== undefined) throw new UsageError(`unknown option ${option}`);
  if (args.length !== 1) throw new UsageError(args.length === 0 ? 'no FILE given' : `one FILE at a time, not ${args.length}`);
  return args[0]!;
}
