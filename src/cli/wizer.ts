// `tswasm wizer [OPTIONS] FILE`: pre-initialises a module like `wasmtime wizer`: runs its
// initialisation function and writes a module that starts where the function left off.

import { writeFileSync } from 'node:fs';
import type { Command } from './main.js';
import { asValidModule, moduleBytes, readFileForCli } from './read-module.js';
import { LinkError, Module } from '../api/index.js';
import { Wasi } from '../wasi/index.js';
import { PreinitializeError, preinitialize, type PreinitializeOptions } from '../wizer/index.js';
import { UsageError } from './wasm-options.js';
import { parsePreload, runCommand } from './command.js';

const USAGE = `usage: tswasm wizer [-o OUT] [-f NAME] [--keep-init-func] [-r DST=SRC]... [--preload NAME=FILE]...
       [--allow-wasi] [--dir HOST[::GUEST]]... [--mapdir GUEST::HOST]... [--inherit-env] [--inherit-stdio=false]
       FILE.wasm|FILE.wat

  Instantiates FILE, calls its initialisation function, and writes a module whose memories and
  globals start in the state it left (its start function is dropped: its work is in the snapshot).
  -o OUT                  the output file (default: standard output)
  -f, --init-func NAME    the function to run (default wizer-initialize, or wizer.initialize when
                          only that is exported); it takes and returns nothing
  --keep-init-func        keep exporting it (by default its export is removed)
  -r, --rename-func D=S   export the function exported as S under the name D instead
  --preload NAME=FILE     instantiate FILE and let the module import its exports from NAME during
                          initialisation (it is not part of the snapshot: provide it again later)
  --allow-wasi            let initialisation call WASI (other imports trap when called)
  --dir HOST[::GUEST], --mapdir GUEST::HOST
                          directories WASI may use during initialisation
  --inherit-env           give initialisation the host's environment (default: none)
  --inherit-stdio=false   discard what initialisation writes to stdout and stderr`;

interface WizerCliOptions {
  output: string | null;
  file: string;
  initFunc: string | undefined;
  keepInitFunc: boolean;
  renames: [string, string][];
  allowWasi: boolean;
  preloads: { name: string; file: string }[];
  preopens: Record<string, string>;
  inheritEnv: boolean;
  inheritStdio: boolean;
}

function flagValue(text: string | null, flag: string): boolean {
  if (text === null || text === 'true' || text === 'y' || text === 'yes') return true;
  if (text === 'false' || text === 'n' || text === 'no') return false;
  throw new UsageError(`${flag} takes true or false, not "${text}"`);
}

function parseArgs(argv: string[]): WizerCliOptions {
  const o: WizerCliOptions = {
    output: null, file: '', initFunc: undefined, keepInitFunc: false, renames: [], allowWasi: false, preloads: [], preopens: {}, inheritEnv: false, inheritStdio: true,
  };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : null;
    const value = (): string => {
      if (inline !== null) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-o': case '--output': o.output = value(); break;
      case '-f': case '--init-func': o.initFunc = value(); break;
      case '--keep-init-func': o.keepInitFunc = flagValue(inline, flag); break;
      case '-r': case '--rename-func': {
        const spec = value();
        const at = spec.indexOf('=');
        if (at <= 0 || at === spec.length - 1) throw new UsageError(`${flag} needs DST=SRC, not "${spec}"`);
        o.renames.push([spec.slice(0, at), spec.slice(at + 1)]);
        break;
      }
      case '--allow-wasi': o.allowWasi = flagValue(inline, flag); break;
      case '--preload': o.preloads.push(parsePreload(value())); break;
      case '--dir': {
        const spec = value();
        const at = spec.indexOf('::');
        if (at < 0) o.preopens[spec] = spec;
        else o.preopens[spec.slice(at + 2)] = spec.slice(0, at);
        break;
      }
      case '--mapdir': {
        const spec = value();
        const at = spec.indexOf('::');
        if (at <= 0) throw new UsageError(`--mapdir needs GUEST::HOST, not "${spec}"`);
        o.preopens[spec.slice(0, at)] = spec.slice(at + 2);
        break;
      }
      case '--inherit-env': o.inheritEnv = flagValue(inline, flag); break;
      case '--inherit-stdio': o.inheritStdio = flagValue(inline, flag); break;
      case '-h': case '--help': throw new UsageError('');
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        files.push(a);
    }
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'no module file given' : 'wizer takes one module file');
  o.file = files[0]!;
  if (!o.allowWasi && (Object.keys(o.preopens).length > 0 || o.inheritEnv)) throw new UsageError('--dir, --mapdir and --inherit-env need --allow-wasi');
  return o;
}

function run(o: WizerCliOptions): void {
  const contents = readFileForCli(o.file);
  const bytes = asValidModule(o.file, () => moduleBytes(contents, o.file));
  const discard = { write: () => {} };
  const wasi = o.allowWasi
    ? new Wasi({
      args: [o.file],
      env: o.inheritEnv ? Object.fromEntries(Object.entries(process.env).filter((kv): kv is [string, string] => kv[1] !== undefined)) : {},
      preopens: o.preopens,
      ...(o.inheritStdio ? {} : { stdout: discard, stderr: discard }),
    })
    : null;
  const options: PreinitializeOptions = {
    initFunc: o.initFunc, keepInitFunc: o.keepInitFunc, renames: o.renames,
    link: (linker, store) => {
      wasi?.define(linker);
      for (const p of o.preloads) {
        const contents = readFileForCli(p.file);
        linker.module(store, p.name, asValidModule(p.file, () => new Module(linker.engine, moduleBytes(contents, p.file))));
      }
    },
  };
  let output: Uint8Array;
  try {
    output = asValidModule(o.file, () => preinitialize(bytes, options));
  } catch (e) {
    if (e instanceof PreinitializeError || e instanceof LinkError) throw new Error(`${o.file}: ${e.message}`);
    throw e;
  } finally {
    wasi?.close();
  }
  if (o.output === null) process.stdout.write(output);
  else {
    try {
      writeFileSync(o.output, output);
    } catch (e) {
      throw new Error(`${o.output}: cannot write: ${(e as Error).message}`);
    }
  }
}

export const command: Command = {
  summary: 'pre-initialise a module: run its initialisation function and snapshot its state (as wasmtime wizer)',
  run: (argv) => runCommand('wizer', USAGE, argv, parseArgs, (o) => {
    run(o);
    return 0;
  }),
};
