// The skeleton every subcommand shares: argument parsing with its usage text, and errors as one
// line with an exit status.

import { UsageError } from './wasm-options.js';

/**
 * The shape of a subcommand: parse the arguments (a UsageError prints its message under the
 * usage's synopsis and exits 2, as Wasmtime's parser does, leaving the whole text to --help; an
 * empty one is --help: the whole text on stdout, exit 0), then run; a UsageError while running exits 2, any other error 1,
 * each as one line `tswasm NAME: message`. `onError` may claim an error first (its exit status).
 */
export async function runCommand<O>(
  name: string, usage: string, argv: string[], parse: (argv: string[]) => O, body: (options: O) => number | Promise<number>,
  onError: (e: unknown) => number | null = () => null,
): Promise<number> {
  let options: O;
  try {
    options = parse(argv);
  } catch (e) {
    const msg = (e as Error).message;
    if (!msg) {
      console.log(usage);
      return 0;
    }
    console.error(`tswasm ${name}: ${msg}\n\n${synopsis(usage)}\n\nFor more information, try 'tswasm ${name} --help'.`);
    return 2;
  }
  try {
    return await body(options);
  } catch (e) {
    const status = onError(e);
    if (status !== null) return status;
    console.error(`tswasm ${name}: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

/** The usage text's first paragraph: its `usage:` lines. */
export const synopsis = (usage: string) => usage.split('\n\n')[0]!;

/** A `--preload NAME=FILE` argument. */
export function parsePreload(spec: string): { name: string; file: string } {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--preload needs NAME=FILE, not "${spec}"`);
  return { name: spec.slice(0, eq), file: spec.slice(eq + 1) };
}
