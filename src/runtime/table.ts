// A table: a JS array of references (WasmFunc, host values or null) whose identity never changes,
// so generated code can keep the array itself as a closure constant.

import type { TableType } from '../core/types.js';
import { verdictNow, type GrowVerdict, type StoreObject } from './store.js';
import { runEmbedderCode } from './traps.js';

const MAX_TABLE_LENGTH = 10_000_000;

export class TableObject {
  readonly elems: unknown[];
  readonly maxLength: number;
  /** The store it belongs to (its limiter is consulted before every grow); null outside any store. */
  store: StoreObject | null = null;

  constructor(readonly type: TableType, init: unknown) {
    this.maxLength = Math.min(type.limits.max ?? MAX_TABLE_LENGTH, MAX_TABLE_LENGTH);
    // Past V8's largest array, pushing does not throw: the process dies ("invalid size error").
    if (type.limits.min > MAX_TABLE_LENGTH) {
      throw new RangeError(`cannot allocate a table of ${type.limits.min} elements (at most ${MAX_TABLE_LENGTH})`);
    }
    this.elems = [];
    for (let i = 0; i < type.limits.min; i++) this.elems.push(init);
  }

  get length(): number {
    return this.elems.length;
  }

  /** table.grow in wasm: grow, where what the limiter throws goes to the embedder (runEmbedderCode). */
  growFromWasm(delta: number, init: unknown): number {
    return runEmbedderCode(() => this.grow(delta, init));
  }

  /**
   * Grows by `delta` elements set to `init`; returns the old length, or -1 when it cannot. The
   * store's limiter is asked first and told about failures; either may throw (the growth traps).
   */
  grow(delta: number, init: unknown): number {
    return this.growAllowed(delta, init, verdictNow(this.growVerdict(delta)));
  }

  /** The store's limiter's answer to growing by `delta` elements (true without a limiter or for 0, as in Wasmtime). */
  growVerdict(delta: number): GrowVerdict {
    const limiter = this.store?.limiter ?? null;
    if (limiter === null || delta === 0) return true;
    const old = this.elems.length;
    return limiter.tableGrowing(old, old + delta, this.type.limits.max);
  }

  /** The length the next growth starts from (what the limiter is asked about). */
  growthStart(): number {
    return this.elems.length;
  }

  /** Grows by `delta` elements once the limiter has answered `allowed`: the old length, or -1. */
  growAllowed(delta: number, init: unknown, allowed: boolean): number {
    if (!allowed) return -1;
    const old = this.elems.length;
    if (delta > this.maxLength - old) {
      this.store?.limiter?.tableGrowFailed?.(new Error('table maximum size exceeded'));
      return -1;
    }
    for (let i = 0; i < delta; i++) this.elems.push(init);
    return old;
  }
}
