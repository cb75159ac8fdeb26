// Facts about the spec suite's layout: which folder a script belongs to, which features it needs,
// and which proposal files replace core files of the same name.

import { WASM3_FEATURES, withFeatures, type FeatureName, type WasmFeatures } from '../core/features.js';

/** Proposal folders under proposals/ and the feature each one switches on. */
export const PROPOSAL_FEATURES: Readonly<Record<string, FeatureName>> = {
  'custom-descriptors': 'custom_descriptors',
  'custom-page-sizes': 'custom_page_sizes',
  threads: 'threads',
  'wide-arithmetic': 'wide_arithmetic',
};

/** "core" for the root, legacy/, custom/ and spec-only/; "proposals/NAME" for a proposal folder. */
export function groupOf(relativePath: string): string {
  const parts = relativePath.split('/');
  if (parts[0] === 'proposals' && parts.length >= 3) return `proposals/${parts[1]}`;
  return 'core';
}

/** The features a script is run with: Wasm 3.0, plus its proposal when it lives in a proposal folder. */
export function featuresFor(relativePath: string): WasmFeatures {
  const group = groupOf(relativePath);
  if (group === 'core') return WASM3_FEATURES;
  const feature = PROPOSAL_FEATURES[group.slice('proposals/'.length)];
  return feature ? withFeatures(WASM3_FEATURES, { [feature]: true }) : WASM3_FEATURES;
}
