// What generated code calls when fuel runs out or the epoch deadline is reached (Config.consumeFuel,
// Config.epochInterruption), and the NaN canonicalisation helper (Config.nanCanonicalization).

import { TrapCode } from '../core/errors.js';
import { deadlineAfter, type StoreObject } from './store.js';
import { HostThrow, makeTrap, runEmbedderCode } from './traps.js';

/** A check found the fuel count (`fuel`) below zero: the code charged since the last check cost more than was left. */
export function outOfFuel(store: StoreObject, fuel: number): never {
  store.fuel = fuel;
  throw makeTrap(TrapCode.OutOfFuel);
}

const VIEWS_REPLACED = 'the epoch deadline callback grew a memory of the store, which the interrupted wasm code '
  + 'cannot continue with (tswasm keeps memory views in generated code): grow memories from host functions instead';

const YIELD_NEEDS_ASYNC = 'the epoch deadline callback asked to yield (UpdateDeadline.yield), which needs an engine with Config.asyncSupport';

/**
 * The engine's epoch reached the store's deadline: trap with Interrupt, or ask the store's
 * callback for a new deadline (current epoch + the delta it returns), which it returns. Generator
 * code (Config.asyncSupport) reloads its memory views after the check and may yield.
 */
export function epochReached(store: StoreObject, asyncCode = false): number {
  const callback = store.epochDeadlineCallback;
  if (callback === null) throw makeTrap(TrapCode.Interrupt);
  const views = store.viewsReplaced;
  const delta = runEmbedderCode(() => callback(store));
  // The interrupted code holds the views it read before the callback, and re-reading them at every
  // deadline check made loops with epochs up to 40% slower: a callback that grows a memory stops the
  // call with an error rather than letting wasm go on writing to the memory's old buffer.
  if (!asyncCode && store.viewsReplaced !== views) throw new HostThrow(new Error(VIEWS_REPLACED));
  if (!asyncCode && store.yieldAtDeadline) {
    store.yieldAtDeadline = false;
    throw new HostThrow(new Error(YIELD_NEEDS_ASYNC));
  }
  store.epochDeadline = deadlineAfter(store.epoch, delta);
  return store.epochDeadline;
}

/** NaN results become the canonical NaN (JS's NaN is 0x7ff8000000000000, which also carries the f32 0x7fc00000). */
export function canonNaN(x: number): number {
  return x === x ? x : NaN;
}
