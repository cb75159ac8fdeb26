// The precompiled modules a namespace was given (createWebAssembly({ precompiled })), found by the
// bytes a program compiles, so glue code that fetches and compiles a .wasm file runs unchanged.

import type { Engine } from '../api/engine.js';
import { moduleFromPrecompiled, type Module as EngineModule } from '../api/module.js';
import { decodeModuleJs, hexDigest, type PrecompiledParts } from '../api/serialize-js.js';

export class PrecompiledModules {
  /** Checked artifacts by the length of their wasm bytes, then by digest: most compiles hash nothing. */
  private readonly byLength = new Map<number, Map<string, PrecompiledParts>>();

  /** Checks every artifact against the engine now (DeserializeError), so mistakes show at set-up. */
  constructor(private readonly engine: Engine, artifacts: readonly unknown[] | undefined) {
    if (artifacts === undefined) return;
    if (!Array.isArray(artifacts)) throw new TypeError('createWebAssembly: precompiled must be an array of precompiled modules');
    for (const a of artifacts) {
      const parts = decodeModuleJs(a, engine.fingerprint);
      let sameLength = this.byLength.get(parts.wasm.length);
      if (sameLength === undefined) this.byLength.set(parts.wasm.length, sameLength = new Map());
      sameLength.set(parts.digest, parts);
    }
  }

  /** The module for these bytes if one of the artifacts holds exactly them, else null. */
  find(bytes: Uint8Array): EngineModule | null {
    const sameLength = this.byLength.get(bytes.length);
    if (sameLength === undefined) return null;
    const parts = sameLength.get(hexDigest(bytes));
    return parts === undefined ? null : moduleFromPrecompiled(this.engine, parts);
  }
}
