// Whether this JS engine optimises functions as large as the switch loops tswasm keeps whole. V8,
// JavaScriptCore and SpiderMonkey all leave very large functions to their interpreters or baseline
// tiers by default; only a Node host can lift V8's limit (tswasm/node's tuneV8, to what those
// loops need), and it says so here, since the core cannot tell.

let liftedByHost = false;

/** Records that the host lifted the engine's size limit on optimised functions (tuneV8 calls it). */
export function noteLargeFunctionsOptimised(): void {
  liftedByHost = true;
}

/** Whether the engine now optimises very large functions (Config.splitLargeSwitches' default). */
export function largeFunctionsOptimised(): boolean {
  return liftedByHost;
}
