// tswasm's Node host integration ("tswasm/node"): process-wide settings for running generated code
// well on Node. Everything else in the package runs in any JS engine.

export { tuneV8, V8_FLAGS, LIFTS_LIMIT } from './tuning.js';
export { startEpochTimer, type EpochTimer } from './epoch-timer.js';
