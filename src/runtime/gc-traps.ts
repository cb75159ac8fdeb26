// The traps of GC and custom-descriptors instructions, one tiny thrower each, with the messages
// of the spec interpreter (which the test suite matches).

import { TrapCode } from '../core/errors.js';
import { makeTrap } from './traps.js';

export function trapNullStruct(): never { throw makeTrap(TrapCode.NullReference, 'null structure reference'); }
export function trapNullArray(): never { throw makeTrap(TrapCode.NullReference, 'null array reference'); }
export function trapNullI31(): never { throw makeTrap(TrapCode.NullReference, 'null i31 reference'); }
export function trapNullDescriptor(): never { throw makeTrap(TrapCode.NullReference, 'null descriptor reference'); }
export function trapArrayBounds(): never { throw makeTrap(TrapCode.ArrayOutOfBounds); }
export function trapCast(): never { throw makeTrap(TrapCode.CastFailure); }
export function trapDescriptorCast(): never { throw makeTrap(TrapCode.CastFailure, 'descriptor cast failure'); }
export function trapAllocation(): never { throw makeTrap(TrapCode.AllocationTooLarge); }
