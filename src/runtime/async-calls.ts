// Config.asyncSupport at run time. Generated code is then made of generator functions whose calls
// are `yield*`, so one `yield` anywhere suspends the whole wasm stack: an async host function
// yields its promise, and an epoch deadline may yield a turn of the event loop. The drivers here
// resume the stack with what the promise settled to.

import { eventLoopTurn } from '../core/clock.js';
import { dropPromise, isThenable } from '../core/thenable.js';
import { epochReached, outOfFuel } from './interrupts.js';
import { DEPTH, TAIL, pendingTail } from './slots.js';
import type { StoreObject } from './store.js';
import type { LoweredFn, WasmFunc } from './func.js';
import { HostThrow, embedderError, raiseFrameLimit, runEmbedderCode } from './traps.js';
import type { MemoryObject } from './memory.js';
import type { TableObject } from './table.js';
import type { GrowVerdict } from './store.js';
import { useClosureForms } from './dynamic-code.js';

/** Yielded by generated code that wants the event loop to run before it goes on (an epoch yield). */
const EVENT_LOOP_TURN: object = Object.freeze({ eventLoopTurn: true });

/** What a suspended wasm stack yields: a promise from an async host function, or EVENT_LOOP_TURN. */
export type Suspension = PromiseLike<unknown> | object;

const MUST_AWAIT = 'wasm tried to suspend (in an async host function, for a call hook or resource limiter answering with a promise, '
  + 'or to yield for fuel or at an epoch deadline) inside a '
  + 'synchronous call: with Config.asyncSupport, call exports with callAsync and instantiate with instantiateAsync';

/** Thrown into a wasm stack that tried to suspend where nothing can await it. */
class SuspendRefused extends Error {}

/**
 * Runs the generator of a call to its end without suspending (a synchronous call into an engine with
 * async support). Suspending throws: nothing here could wait for the promise.
 */
export function runToEnd(gen: Generator<Suspension, unknown, unknown>): unknown {
  const r = gen.next();
  if (r.done === true) return r.value;
  // The host function's promise is dropped: its rejection, if any, must not surface as unhandled.
  if (isThenable(r.value)) dropPromise(r.value);
  // Unwinds the stack as a host error, which wasm cannot catch: gen.throw rethrows it.
  const refused = new HostThrow(new SuspendRefused(MUST_AWAIT));
  gen.throw(refused);
  throw refused;
}

/**
 * Runs the generator of a call, awaiting whatever it yields and resuming it with the result (or
 * throwing the rejection into it). `done` gets the call's first result as soon as it returns, before
 * any other JS runs (the other results wait in the slots). The wasm stack's depth count is set
 * aside while it is suspended, so that calls made meanwhile count from where they start.
 */
export async function runAsync<T>(
  gen: Generator<Suspension, unknown, unknown>, done: (first: unknown) => T,
  /** Runs each step of the generator (the JS API's JSPI marks the steps as able to suspend). */
  around: (step: () => IteratorResult<Suspension, unknown>) => IteratorResult<Suspension, unknown> = (step) => step(),
): Promise<T> {
  let depth = 0;
  let step: () => IteratorResult<Suspension, unknown> = () => gen.next();
  for (;;) {
    const outer = DEPTH[0]!, outerTails = DEPTH[1]!;
    DEPTH[0] = outer + depth;
    let r: IteratorResult<Suspension, unknown>;
    // As a synchronous call does (api/boundary.ts), for each step: generator code shows two frames
    // for each of its functions, so V8's default ten would keep five.
    const limit = raiseFrameLimit();
    try {
      r = around(step);
      if (r.done === true) return done(r.value);
      depth = DEPTH[0]! - outer;
    } finally {
      // No plain tail call is on the stack where generator code suspends (plain code cannot).
      DEPTH[0] = outer;
      DEPTH[1] = outerTails;
      if (limit !== null) Error.stackTraceLimit = limit;
    }
    try {
      const value = r.value === EVENT_LOOP_TURN ? await eventLoopTurn() : await r.value;
      step = () => gen.next(value);
    } catch (e) {
      step = () => gen.throw(e);
    }
  }
}

/**
 * The generator entry of a function whose JS is plain in generator code (compile/suspending.ts):
 * what exports, tables, references and other modules call with `yield*`.
 */
export function generatorEntry(fn: LoweredFn, arity: number): LoweredFn {
  if (useClosureForms()) {
    return function* (): Generator<Suspension, unknown, unknown> {
      // `arguments`, not a rest array: a rest array of doubles would quiet signalling NaNs.
      // eslint-disable-next-line prefer-rest-params
      return fn.apply(undefined, arguments as unknown as unknown[]);
    };
  }
  // Named parameters: `apply` with `arguments` made calls into such functions twice as slow.
  let make = entryMakers[arity];
  if (make === undefined) {
    const params = Array.from({ length: arity }, (_, i) => `a${i}`).join(', ');
    make = new Function('fn', `return function* (${params}) { return fn(${params}); };`) as (fn: LoweredFn) => LoweredFn;
    entryMakers[arity] = make;
  }
  return make(fn);
}
const entryMakers: ((fn: LoweredFn) => LoweredFn)[] = [];

/** `runTail` for generator code: runs pending tail calls until one returns a result. */
export function* runTailAsync(): Generator<Suspension, unknown, unknown> {
  let r: unknown;
  do {
    const f = pendingTail.target as WasmFunc;
    pendingTail.target = null;
    r = yield* f.fromSlots(f);
  } while (r === TAIL);
  return r;
}

/**
 * `epochReached` for generator code: when the store's deadline callback asks for a yield
 * (`UpdateDeadline.yield`, `Store.epochDeadlineAsyncYieldAndUpdate`), the new deadline is set and
 * the event loop runs before wasm goes on.
 */
export function* epochReachedAsync(store: StoreObject): Generator<Suspension, number, unknown> {
  const deadline = epochReached(store, true);
  if (!store.yieldAtDeadline) return deadline;
  store.yieldAtDeadline = false;
  yield EVENT_LOOP_TURN;
  return store.epochDeadline;
}

/**
 * `outOfFuel` for generator code: the slice ran short (`fuel`, below zero, is what the next run
 * still needs paid). With fuel in reserve (Store.fuelAsyncYieldInterval) the next slice pays it and
 * the event loop runs before wasm goes on; without enough, the call traps with OutOfFuel exactly
 * where it would without slices.
 */
export function* outOfFuelAsync(store: StoreObject, fuel: number): Generator<Suspension, number, unknown> {
  const total = fuel + store.fuelReserve;
  store.fuelReserve = 0;
  if (total < 0 || store.fuelYieldInterval === 0) return outOfFuel(store, total);
  store.fuel = Math.min(total, store.fuelYieldInterval);
  store.fuelReserve = total - store.fuel;
  yield EVENT_LOOP_TURN;
  return store.fuel;
}

/** memory.grow in generator code: the store's async limiter may answer later (Store.limiterAsync). */
export function* growMemoryAsync(memory: MemoryObject, delta: number): Generator<Suspension, number, unknown> {
  return yield* growWhenAllowed(memory, delta, (allowed) => memory.growAllowed(delta, allowed));
}

/** table.grow in generator code: the store's async limiter may answer later (Store.limiterAsync). */
export function* growTableAsync(table: TableObject, delta: number, init: unknown): Generator<Suspension, number, unknown> {
  return yield* growWhenAllowed(table, delta, (allowed) => table.growAllowed(delta, init, allowed));
}

/** A memory or table as a growth asks its store's limiter about it. */
export interface GrowthTarget {
  /** The size the next growth starts from. */
  growthStart(): number;
  /** The limiter's answer to growing by `delta` from there. */
  growVerdict(delta: number): GrowVerdict;
}

/**
 * Asks the limiter about growing `target` by `delta`, then grows (`grow`, given the answer). When
 * another call grew it while the limiter answered, the answer was about another growth: it asks again.
 */
function* growWhenAllowed(target: GrowthTarget, delta: number, grow: (allowed: boolean) => number): Generator<Suspension, number, unknown> {
  for (;;) {
    const from = target.growthStart();
    const allowed = yield* awaitVerdict(runEmbedderCode(() => target.growVerdict(delta)));
    if (target.growthStart() === from) return runEmbedderCode(() => grow(allowed));
  }
}

/** growWhenAllowed for the host's own growAsync calls, where the limiter's errors reach the embedder as they are. */
export async function growWhenAllowedAsync(target: GrowthTarget, delta: number, grow: (allowed: boolean) => number): Promise<number> {
  for (;;) {
    const from = target.growthStart();
    const allowed = await target.growVerdict(delta);
    if (target.growthStart() === from) return grow(Boolean(allowed));
  }
}

function* awaitVerdict(verdict: GrowVerdict): Generator<Suspension, boolean, unknown> {
  if (typeof verdict === 'boolean') return verdict;
  if (!isThenable(verdict)) return Boolean(verdict);
  try {
    return Boolean(yield verdict);
  } catch (e) {
    throw embedderError(e);
  }
}
