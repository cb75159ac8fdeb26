// `tswasm compile [OPTIONS] FILE`: compiles a module ahead of time, like `wasmtime compile`. The
// default output is a serialized module (FILE.cwasm) for `tswasm run --allow-precompiled` and
// Module.deserialize; --js writes an ES module (FILE.wasm.mjs) for hosts that refuse code generation
// from strings, and --js-api one for createWebAssembly({ precompiled }).

import { writeFileSync } from 'node:fs';
import type { Command } from './main.js';
import { asValidModule, moduleBytes, readFileForCli } from './read-module.js';
import { Engine, Module } from '../api/index.js';
import { jsApiEngineConfig } from '../jsapi/realm.js';
import { UsageError, WASM_OPTIONS_HELP, applyWasmOption, defaultWasmOptions, engineConfig, type WasmOptions } from './wasm-options.js';
import { runCommand } from './command.js';
import { TUNING_OPTIONS_HELP, applyTuningOption } from './tuning-options.js';

const USAGE = `usage: tswasm compile [-o OUT] [--js | --js-api] [-W KEY[=VALUE],...] [-O ...] [-C ...] FILE.wasm|FILE.wat

  Compiles FILE ahead of time. Run the output with the same -W fuel, timeout, feature switches,
  nan-canonicalization and nan-boxes options (fuel and timeout values do not matter here, only
  whether they are given). For SpiderMonkey or JavaScriptCore (Firefox, Safari, Bun) compile with
  -W nan-boxes: that code keeps NaN bits there, and on V8 too.
  -o, --output OUT      where to write (default: FILE with .cwasm, or .wasm.mjs with --js/--js-api)
  --js                  write an ES module (Module.deserializeJs) instead of a .cwasm blob: runs
                        where code generation from strings is refused (CSP without 'unsafe-eval')
  --js-api              an ES module for the WebAssembly namespace: list its default export in
                        createWebAssembly({ precompiled }) (the namespace's default configuration)
${WASM_OPTIONS_HELP}
${TUNING_OPTIONS_HELP}`;

type Target = 'cwasm' | 'js' | 'js-api';

interface CompileOptions {
  output: string | null;
  target: Target;
  wasm: WasmOptions;
  file: string;
}

function parseArgs(argv: string[]): CompileOptions {
  const opts: CompileOptions = { output: null, target: 'cwasm', wasm: defaultWasmOptions(), file: '' };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-o' || a === '--output') opts.output = value();
    else if (a.startsWith('--output=')) opts.output = a.slice('--output='.length);
    else if (a === '--js' || a === '--js-api') {
      const target = a === '--js' ? 'js' : 'js-api';
      if (opts.target !== 'cwasm' && opts.target !== target) throw new UsageError('--js and --js-api exclude each other');
      opts.target = target;
    }
    else if (a === '-W' || a === '--wasm') applyWasmOption(opts.wasm, value());
    else if (a.startsWith('-W') && a.length > 2) applyWasmOption(opts.wasm, a.slice(2));
    else if (a === '-O' || a === '--optimize' || a === '-C' || a === '--codegen') applyTuningOption(a, value());
    else if ((a.startsWith('-O') || a.startsWith('-C')) && a.length > 2) applyTuningOption(a.slice(0, 2), a.slice(2));
    else if (a === '-h' || a === '--help') throw new UsageError('');
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'no module file given' : 'compile takes one module file');
  opts.file = files[0]!;
  return opts;
}

/** FILE without its .wasm/.wat extension, plus the target's extension. */
function defaultOutput(file: string, target: Target): string {
  const stem = file.replace(/\.(wasm|wat|wast)$/i, '');
  return target === 'cwasm' ? `${stem}.cwasm` : `${stem}.wasm.mjs`;
}

function compile(opts: CompileOptions): string {
  const contents = readFileForCli(opts.file);
  const config = opts.target === 'js-api' ? jsApiEngineConfig({ engine: engineConfig(opts.wasm) }) : engineConfig(opts.wasm);
  const module = asValidModule(opts.file, () => new Module(new Engine({ ...config, compilation: 'eager' }), moduleBytes(contents, opts.file)));
  const output = opts.output ?? defaultOutput(opts.file, opts.target);
  const compiled = opts.target === 'cwasm' ? module.serialize() : module.serializeJs();
  try {
    writeFileSync(output, compiled);
  } catch (e) {
    throw new Error(`${output}: cannot write: ${(e as Error).message}`);
  }
  return output;
}

export const command: Command = {
  summary: 'compile a module ahead of time (.cwasm, or an ES module with --js)',
  run: (argv) => runCommand('compile', USAGE, argv, parseArgs, (opts) => {
    compile(opts);
    return 0;
  }),
};
