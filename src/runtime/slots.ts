// The process-wide slots of the internal calling convention: extra results, tail-call arguments
// and the optional depth counter. Every module binds the same arrays, so calls across instances need no wrappers.

import { boxesNaNs } from '../core/nan-boxing.js';

/**
 * Results beyond the first lowered component (i64 = lo then hi, others one component each) are
 * written to slot k (k >= 1, the component's position) of RI (i32 and i64 halves), RF (floats, a
 * Float64Array because ordinary arrays may quiet signalling NaNs) or RR (references).
 */
export const RI = new Int32Array(1024);
export let RF = floatSlots();
export const RR: unknown[] = new Array(1024).fill(null);

/** Tail-call arguments, by lowered component position, in the same three kinds. */
export const TI = new Int32Array(1024);
export let TF = floatSlots();
export const TR: unknown[] = new Array(1024).fill(null);

/**
 * Locals a part of a split function assigned (compile/split.ts), handed back to the function
 * that called the part right after it returns: int32 components, floats, references.
 */
export const LI = new Int32Array(1024);
export let LF = floatSlots();
export const LR: unknown[] = new Array(1024).fill(null);

/**
 * Slots for float components. Where floats may be NaNBoxes (core/nan-boxing.ts) a plain array, which
 * keeps a box as it is; elsewhere a Float64Array, which keeps every bit of a double.
 */
function floatSlots(): Float64Array | number[] {
  return boxesNaNs() ? new Array<number>(1024).fill(0) : new Float64Array(1024);
}

let slotsBox = boxesNaNs();
let slotsObject: Readonly<Record<string, unknown>> | null = null;

/** The slots as generated code binds them (ctx.rt), with float slots of the kind the NaN mode needs. */
export function runtimeSlots(): Readonly<Record<string, unknown>> {
  if (slotsBox !== boxesNaNs()) {
    slotsBox = boxesNaNs();
    RF = floatSlots();
    TF = floatSlots();
    LF = floatSlots();
    slotsObject = null;
  }
  slotsObject ??= { RI, RF, RR, TI, TF, TR, TAIL, pendingTail, DEPTH, LI, LF, LR, CALLER };
  return slotsObject;
}

/** Returned by a trampolined function body instead of a result when it made a tail call. */
export const TAIL: object = Object.freeze({ tailCall: true });

/** The pending tail call: the callee (a WasmFunc) whose arguments are in TI/TF/TR. */
export const pendingTail: { target: unknown } = { target: null };

/**
 * The instance making a call through a table, a reference or a tail call (null for none):
 * generated code writes it just before such a call, and a host function taking a Caller that is
 * not bound to an importing instance takes it (and clears it) on entry. Every call through the
 * embedding API clears it on entry and exit, so a host function the host calls itself sees no
 * instance, and every call of an Exported Function (JS API) on exit, so no instance stays
 * referenced here. A field of a plain object: on the call_indirect kernel a store
 * there costs 1-3%, where a store into an array element cost 12% and into an Int32Array 8%.
 */
export const CALLER: { i: unknown } = { i: null };

/**
 * [0]: wasm call depth, counted only when Config.maxWasmStack is set. [1]: how many tail calls on
 * the stack are plain JS calls (compile/calls.ts). Every door into wasm restores both when a call
 * fails, since the frames an error unwinds never decrement them.
 */
export const DEPTH = new Int32Array(2);

/** Largest number of lowered components a parameter or result list may have. */
export const MAX_SLOTS = 1024;
