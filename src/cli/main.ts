// Entry point of the `tswasm` command: dispatches to one module per subcommand, loaded on demand
// so that `tswasm wast` does not pay for WASI and `tswasm run` does not load the spec runner.

import { tuneV8 } from '../node/tuning.js';

export interface Command {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<Command> }>> = {
  validate: { summary: 'decode and validate modules (.wasm or .wat)', load: async () => (await import('./validate.js')).command },
  print: { summary: 'print a module in the text format', load: async () => (await import('./print.js')).command },
  compile: { summary: 'compile a module ahead of time (.cwasm, or an ES module with --js)', load: async () => (await import('./compile.js')).command },
  run: { summary: 'run a WASI command, or an export with --invoke NAME ARG...', load: async () => (await import('./run.js')).command },
  wizer: { summary: 'pre-initialise a module: snapshot its state after an initialisation function', load: async () => (await import('./wizer.js')).command },
  wast: { summary: 'run .wast spec scripts and report per command kind', load: async () => (await import('./wast.js')).command },
};

function usage(): string {
  const lines = ['usage: tswasm <command> [args]', '       tswasm [run options] FILE.wasm|FILE.wat [ARGS...]   (as tswasm run)', '', 'commands:'];
  for (const [name, { summary }] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  tuneV8();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    // As `wasmtime FILE ...`: a module (or run's options) without a command is `run`.
    if (/\.(wasm|wat|cwasm)$/i.test(name) || name.startsWith('-')) return (await COMMANDS.run!.load()).run(argv);
    console.error(`tswasm: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await entry.load()).run(rest);
}
