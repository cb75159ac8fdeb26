// Picks the engine the spec runner drives for a script: tswasm's full engine through its public
// API, or only the front end (decode + validate) when asked, e.g. to measure the front end alone.

import type { WasmFeatures } from '../core/features.js';
import { ApiSpecEngine } from './api-engine.js';
import type { SpecEngine } from './engine.js';
import { frontEndEngine } from './frontend-engine.js';

export type EngineFactory = (features: WasmFeatures) => SpecEngine;

export function selectEngine(frontEndOnly = false): EngineFactory {
  return frontEndOnly ? () => frontEndEngine : (features) => new ApiSpecEngine(features);
}
