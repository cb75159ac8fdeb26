// A spec engine with only the front end: modules are decoded and validated, and every command
// that needs execution is reported as not runnable.

import { decodeModule } from '../binary/decoder.js';
import type { WasmFeatures } from '../core/features.js';
import { validateModule } from '../validate/index.js';
import { NotRunnable, type SpecEngine } from './engine.js';

export const frontEndEngine: SpecEngine = {
  canExecute: false,
  compile(bytes: Uint8Array, features: WasmFeatures) {
    return validateModule(decodeModule(bytes, features), features);
  },
  instantiate() {
    throw new NotRunnable('needs execution');
  },
  getExport() {
    return undefined;
  },
  invoke() {
    throw new NotRunnable('needs execution');
  },
  getGlobal() {
    throw new NotRunnable('needs execution');
  },
  spectest() {
    throw new NotRunnable('needs execution');
  },
  isException() {
    return false;
  },
};
