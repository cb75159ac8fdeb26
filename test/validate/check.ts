// Assertions shared by the validator tests: a module validates, or fails with a given message
// prefix and kind (malformed or invalid).

import assert from 'node:assert/strict';
import { CompileError } from '../../src/core/errors.js';
import { WASM3_FEATURES, type WasmFeatures } from '../../src/core/features.js';
import { decodeModule } from '../../src/binary/decoder.js';
import { validateModule, type ValidatedModule } from '../../src/validate/index.js';

export function validate(bytes: Uint8Array, features: WasmFeatures = WASM3_FEATURES): ValidatedModule {
  return validateModule(decodeModule(bytes, features), features);
}

export function rejects(
  bytes: Uint8Array, prefix: string, opts: { malformed?: boolean; features?: WasmFeatures } = {},
): CompileError {
  let error: unknown;
  try {
    validate(bytes, opts.features);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof CompileError, `expected a CompileError "${prefix}", got ${String(error)}`);
  assert.ok(error.reason.startsWith(prefix), `expected "${prefix}...", got "${error.message}"`);
  assert.equal(error.malformed, opts.malformed ?? false, `malformed flag of "${error.message}"`);
  return error;
}
