// Engine configuration (Wasmtime's Config): which features are on, how code is compiled, the
// optional wasm call-depth limit and the debug view of generated code.

import { WASM3_FEATURES, withFeatures, type FeatureName, type WasmFeatures } from '../core/features.js';

export type CompilationMode = 'lazy' | 'eager';

export interface Config {
  /** Feature switches on top of Wasm 3.0 (Wasmtime's `wasm_*`). */
  readonly features?: Partial<Record<FeatureName, boolean>>;
  /**
   * 'lazy' (default): JS is generated and evaluated on first instantiation; 'eager': when the
   * Module is created. Both validate when the Module is created.
   */
  readonly compilation?: CompilationMode;
  /**
   * Maximum nesting of wasm calls before a StackOverflow trap. Unset: the JS engine's own stack
   * limit decides (and costs nothing); set: every call counts (about a third slower on call-heavy code).
   */
  readonly maxWasmStack?: number | null;
  /** Receives the generated JS of every module (or `true` to print it to the console). */
  readonly debugSource?: boolean | ((moduleName: string | null, source: string) => void);
}

export interface ResolvedConfig {
  readonly features: WasmFeatures;
  readonly compilation: CompilationMode;
  readonly maxWasmStack: number | null;
  readonly debugSource: ((moduleName: string | null, source: string) => void) | null;
}

export function resolveConfig(config: Config = {}): ResolvedConfig {
  const debug = config.debugSource;
  return {
    features: withFeatures(WASM3_FEATURES, config.features ?? {}),
    compilation: config.compilation ?? 'lazy',
    maxWasmStack: config.maxWasmStack ?? null,
    debugSource: debug === true ? (name, src) => console.log(`// module ${name ?? '(unnamed)'}\n${src}`)
      : typeof debug === 'function' ? debug : null,
  };
}
