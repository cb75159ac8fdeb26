// The one door from the embedder into wasm: calls a function with lowered arguments, collects its
// lowered results from the return value and the slots, and turns escaping errors into traps.

import type { FuncType } from '../core/types.js';
import type { WasmFunc } from './func.js';
import { componentArray, flatKinds, Kind } from './lowering.js';
import { DEPTH, RF, RI, RR, pendingTail } from './slots.js';
import { toEmbedderError } from './traps.js';
import { runAsync, runToEnd, type Suspension } from './async-calls.js';

/**
 * Calls `f` with lowered arguments; returns its lowered results (one component per JS value).
 * With `generator`, `f` is generator code (Config.asyncSupport), run here without suspending.
 */
export function callLowered(f: WasmFunc, args: readonly unknown[], generator = false): unknown[] {
  const depth = DEPTH[0]!, tails = DEPTH[1]!;
  let first: unknown;
  try {
    first = f.fn(...args);
    if (generator) first = runToEnd(first as Generator<Suspension, unknown, unknown>);
  } catch (e) {
    DEPTH[0] = depth;
    DEPTH[1] = tails;
    pendingTail.target = null;
    throw toEmbedderError(e);
  }
  return collectResults(f.funcType, first);
}

/** callLowered for generator code that may suspend: resolves to the lowered results. */
export async function callLoweredAsync(f: WasmFunc, args: readonly unknown[]): Promise<unknown[]> {
  try {
    return await runAsync(f.fn(...args) as Generator<Suspension, unknown, unknown>, (first) => collectResults(f.funcType, first));
  } catch (e) {
    pendingTail.target = null;
    throw toEmbedderError(e);
  }
}

/** The lowered results of a call that returned `first`, read from the slots right away. */
export function collectResults(type: FuncType, first: unknown): unknown[] {
  const kinds = flatKinds(type.results);
  if (kinds.length === 0) return [];
  const out = componentArray();
  out.push(first);
  for (let k = 1; k < kinds.length; k++) {
    const kind = kinds[k]!;
    out.push(kind === Kind.Int ? RI[k] : kind === Kind.Float ? RF[k] : RR[k]);
  }
  return out;
}

/** Returns lowered results from a host function: the first returned, the rest written to the slots. */
export function returnResults(type: FuncType, comps: readonly unknown[]): unknown {
  const kinds = flatKinds(type.results);
  for (let k = 1; k < kinds.length; k++) {
    const kind = kinds[k]!;
    if (kind === Kind.Int) RI[k] = comps[k] as number;
    else if (kind === Kind.Float) RF[k] = comps[k] as number;
    else RR[k] = comps[k];
  }
  return kinds.length ? comps[0] : undefined;
}
