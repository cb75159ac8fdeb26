// Every runtime helper generated GC code calls, by the name it uses (merged into HELPERS), plus
// the few tiny ones that belong to no other GC file: null checks and i31 reads.

import {
  arrayAlloc, arrayCopy, arrayFill, arrayInitData, arrayInitElem, arrayLen, arrayNew, arrayNewData, arrayNewElem,
} from './gc-arrays.js';
import { isArray, isEq, isExactRtt, isI31, isStruct, isSubFunc, isSubRtt, rttSub } from './gc-casts.js';
import { GcArray, GcObject, GcStruct, rttOf, type Rtt } from './gc-types.js';
import {
  trapArrayBounds, trapCast, trapDescriptorCast, trapNullArray, trapNullDescriptor, trapNullI31, trapNullStruct,
} from './gc-traps.js';
import { V128_ZERO } from './simd-value.js';

/** struct.get/struct.set: the struct, or the trap for null. */
function structRef<T>(x: T | null): T {
  if (x === null) trapNullStruct();
  return x;
}

/** i31.get_s: the value is stored signed; `| 0` also makes a -0 from the JS API a plain 0. */
function i31GetS(x: number | null): number {
  if (x === null) trapNullI31();
  return x | 0;
}
function i31GetU(x: number | null): number {
  if (x === null) trapNullI31();
  return x & 0x7fffffff;
}

/** The RTT of the canonical type `id` (generated code binds one per type it uses). */
function gcRtt(id: number): Rtt {
  return rttOf(id);
}

export const GC_HELPERS = {
  GcObject, GcStruct, GcArray, V128_ZERO, gcRtt, structRef, i31GetS, i31GetU,
  isI31, isEq, isSubRtt, isExactRtt, isSubFunc, rttSub, isStruct, isArray,
  arrayAlloc, arrayNew, arrayNewData, arrayNewElem, arrayLen, arrayFill, arrayCopy, arrayInitData, arrayInitElem,
  trapNullStruct, trapNullArray, trapNullI31, trapNullDescriptor, trapArrayBounds, trapCast, trapDescriptorCast,
};
