// Wasmtime's -O (optimisation) and -C (code generation) options that a command line written for
// wasmtime may carry. They tune Cranelift and Wasmtime's memory layout, which tswasm does not
// have: V8 chooses how to compile the generated code. The common ones are taken and change
// nothing; any other is refused by name.

import { UsageError, applyOptions, flag, type Setter } from './wasm-options.js';

/** Taken and without effect: a switch. */
const noEffectSwitch: Setter<null> = (_o, v, k) => { flag(k, v); };

const OPTIMIZE: Readonly<Record<string, Setter<null>>> = {
  'opt-level': (_o, v, k) => {
    if (v === null || !/^(0|1|2|s)$/.test(v)) throw new UsageError(`${k} takes 0, 1, 2 or s`);
  },
};

const CODEGEN: Readonly<Record<string, Setter<null>>> = {
  'cache': noEffectSwitch,
  'cache-config': (_o, v, k) => {
    if (v === null || v === '') throw new UsageError(`${k} needs a file name`);
  },
  'parallel-compilation': noEffectSwitch,
  'inlining': noEffectSwitch,
};

export const TUNING_OPTIONS_HELP = `  -O KEY[=VALUE],...    Wasmtime's -O options (also --optimize): opt-level=0|1|2|s is taken and
                        changes nothing (V8 decides how the generated code is compiled)
  -C KEY[=VALUE],...    Wasmtime's -C options (also --codegen): cache[=y|n], cache-config=FILE,
                        parallel-compilation[=y|n] and inlining[=y|n] are taken and change nothing`;

/** Applies one -O (`flagName` -O or --optimize) or -C argument. */
export function applyTuningOption(flagName: string, text: string): void {
  if (flagName === '-O' || flagName === '--optimize') applyOptions('-O', OPTIMIZE, null, text);
  else applyOptions('-C', CODEGEN, null, text);
}
