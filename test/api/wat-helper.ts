// Test helper (shared by test/compile, test/runtime, test/api): compile a WAT module with the project's own text parser and instantiate it.

import { Engine, Instance, Module, Store, type Config, type Extern } from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';

export function instantiateWat(wat: string, config: Config = {}, imports: (store: Store) => Extern[] = () => []) {
  const engine = new Engine(config);
  const store = new Store(engine);
  const module = new Module(engine, parseWat(wat));
  const instance = new Instance(store, module, imports(store));
  return { engine, store, module, instance };
}
