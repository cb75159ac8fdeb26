// The WebAssembly features tswasm can switch on and off (Wasmtime's Config::wasm_* switches).
// Wasm 3.0 is the default; the proposals not yet merged into the spec are opt-in.

import type { Feature } from '../binary/opcodes.js';

/** The name of a switchable Wasm feature, as `Config.features` takes it (snake_case, as Wasmtime's). */
export type FeatureName =
  | Feature
  | 'multi_value' | 'mutable_global' | 'multi_memory' | 'memory64' | 'extended_const' | 'custom_page_sizes';

export type WasmFeatures = { readonly [K in FeatureName]: boolean };

/** Wasm 3.0: every standardised feature, legacy exception handling included (the suite tests it). */
export const WASM3_FEATURES: WasmFeatures = Object.freeze({
  mvp: true, sign_extension: true, saturating_float_to_int: true, bulk_memory: true,
  reference_types: true, tail_call: true, function_references: true, exceptions: true,
  legacy_exceptions: true, gc: true, simd: true, relaxed_simd: true, multi_value: true,
  mutable_global: true, multi_memory: true, memory64: true, extended_const: true,
  threads: false, wide_arithmetic: false, custom_descriptors: false, custom_page_sizes: false,
});

/** Everything tswasm knows, proposals included. */
export const ALL_FEATURES: WasmFeatures = Object.freeze({
  ...WASM3_FEATURES, threads: true, wide_arithmetic: true, custom_descriptors: true, custom_page_sizes: true,
});

export function withFeatures(base: WasmFeatures, changes: Partial<Record<FeatureName, boolean>>): WasmFeatures {
  return Object.freeze({ ...base, ...changes });
}
