// Ahead-of-time compilation for the JS API: the ES module text of a module compiled for a namespace
// with the given options, to be imported where code generation from strings is refused.

import { Engine } from '../api/engine.js';
import { Module as EngineModule } from '../api/module.js';
import { jsApiEngineConfig, type JsApiOptions } from './realm.js';

/**
 * Compiles wasm bytes (or text) for `createWebAssembly(options)` and returns the text of an ES module;
 * list its default export in that namespace's `precompiled` option. Run it where code generation is
 * allowed (at build time). Throws CompileError for an invalid module.
 */
export function precompileJs(bytes: Uint8Array | ArrayBuffer | string, options: JsApiOptions = {}): string {
  return new EngineModule(new Engine(jsApiEngineConfig(options)), bytes).serializeJs();
}
