// A global variable. Its value lives in a one-element typed array (two int32 halves for i64, a
// Float64Array for floats so NaN bits survive, a plain cell where NaNs are boxed) or, for
// references, a plain cell.

import { F32, F64, I32, I64, type GlobalType } from '../core/types.js';
import type { StoreObject } from './store.js';
import { boxesNaNs } from '../core/nan-boxing.js';

export type GlobalCell = Int32Array | Float64Array | { 0: unknown };

export class GlobalObject {
  readonly cell: GlobalCell;
  /** The store it belongs to (the API refuses it in another store); null until it is known. */
  store: StoreObject | null = null;
  constructor(readonly type: GlobalType) {
    const t = type.type;
    if (t === I32) this.cell = new Int32Array(1);
    else if (t === I64) this.cell = new Int32Array(2);
    else if (t === F32 || t === F64) this.cell = boxesNaNs() ? [0] : new Float64Array(1);
    else this.cell = [null];
  }
}
