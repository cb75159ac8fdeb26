// Engine: the compilation environment shared by modules and stores (Wasmtime's Engine).

import { resolveConfig, type Config, type ResolvedConfig } from './config.js';

export class Engine {
  readonly config: ResolvedConfig;
  constructor(config?: Config) {
    this.config = resolveConfig(config);
  }
}
