// A function value as the runtime and generated code see it (funcref values are these objects),
// plus the adaptors that let a tail-call trampoline call any function from the argument slots.

import type { FuncType } from '../core/types.js';
import { useClosureForms } from './dynamic-code.js';
import { componentArray, flatKinds, shapeKey, tailSlot } from './lowering.js';
import { TF, TI, TR } from './slots.js';
import type { StoreObject } from './store.js';

/** Lowered-convention JS function: lowered params in, first result returned, the rest in slots. */
export type LoweredFn = (...args: any[]) => any;

export class WasmFunc {
  /** The callable; never returns the TAIL marker. */
  fn: LoweredFn;
  /**
   * For functions that make tail calls: the body, which may return TAIL (the callee and its
   * arguments are then pending in the slots). null for every other function.
   */
  body: LoweredFn | null = null;
  /** The adaptor behind fromSlots, made on first use: most functions are never tail-called. */
  private adaptor: ((f: WasmFunc) => any) | null = null;
  /**
   * Config.asyncSupport: for a function whose code is plain (compile/suspending.ts), that code, which
   * generator code calls directly through tables and references; `fn` is then its generator entry.
   */
  sync: LoweredFn | null = null;
  /** Public handle cache (api/Func), set by the API layer. */
  handle: unknown = null;
  /**
   * The store of a host function (wasm functions find theirs through `owner`); null when unknown.
   * The API refuses a function in any other store.
   */
  store: StoreObject | null = null;
  /**
   * For host functions that take a Caller: makes the callable that an importing instance binds,
   * so the host function knows which instance called it. null for every other function.
   */
  bindCaller: ((instance: object) => LoweredFn) | null = null;

  constructor(
    /** Canonical type id. */
    readonly type: number,
    readonly funcType: FuncType,
    fn: LoweredFn,
    /** Where it comes from, for diagnostics: owning instance (null for host functions) and index. */
    readonly owner: unknown,
    readonly index: number,
  ) {
    this.fn = fn;
  }

  /**
   * Calls `body ?? fn` with the arguments taken from the tail-call slots. Made on first use:
   * instantiation creates one WasmFunc per function, and making each one's adaptor took 12 ms of
   * sql.js's 90 ms start-up.
   */
  get fromSlots(): (f: WasmFunc) => any {
    return this.adaptor ??= slotAdaptor(this.funcType);
  }
}

const adaptors = new Map<string, (f: WasmFunc) => any>();
/** The float slots the cached adaptors read (remade when the NaN mode changes: runtimeSlots). */
let adaptorsRead: unknown = TF;

/** One adaptor per lowered parameter shape: `f => (f.body ?? f.fn)(TI[0], TF[1], ...)`. */
function slotAdaptor(type: FuncType): (f: WasmFunc) => any {
  if (adaptorsRead !== TF) {
    adaptors.clear();
    adaptorsRead = TF;
  }
  const key = shapeKey(type);
  let a = adaptors.get(key);
  if (a === undefined) {
    a = useClosureForms() ? closureSlotAdaptor(type) : generatedSlotAdaptor(type);
    adaptors.set(key, a);
  }
  return a;
}

function generatedSlotAdaptor(type: FuncType): (f: WasmFunc) => any {
  const args = flatKinds(type.params).map((k, i) => `${tailSlot(k)}[${i}]`);
  const src = `return function adaptor(f) { return (f.body ?? f.fn)(${args.join(', ')}); }`;
  return new Function('TI', 'TF', 'TR', src)(TI, TF, TR) as (f: WasmFunc) => any;
}

/** slotAdaptor without generated code: reads the slots into an array that keeps float bits. */
function closureSlotAdaptor(type: FuncType): (f: WasmFunc) => any {
  const arrays = { TI, TF, TR };
  const from = flatKinds(type.params).map((k) => arrays[tailSlot(k)] as ArrayLike<unknown>);
  return (f) => {
    const args = componentArray();
    for (let i = 0; i < from.length; i++) args.push(from[i]![i]);
    return (f.body ?? f.fn)(...args);
  };
}
