// Engine: the compilation environment shared by modules and stores (Wasmtime's Engine), and the
// epoch counter that epoch interruption compares store deadlines against.

import { newEpochCounter } from '../runtime/store.js';
import { resolveConfig, type Config, type ResolvedConfig } from './config.js';

export class Engine {
  readonly config: ResolvedConfig;
  /** The epoch counter (element 0), shared memory where available so a Worker can advance it. */
  readonly epoch: Int32Array = newEpochCounter();
  constructor(config?: Config) {
    this.config = resolveConfig(config);
  }
  /** Advances the epoch by one (Wasmtime's Engine::increment_epoch); safe from any thread holding `epoch`. */
  incrementEpoch(): void {
    Atomics.add(this.epoch, 0, 1);
  }
}
