// Casts in generated code: ref.test, ref.cast, br_on_cast(_fail), and the custom-descriptors
// instructions (ref.get_desc, ref.cast_desc_eq, br_on_cast_desc_eq(_fail)).

import { readCastFlags } from '../binary/instructions.js';
import { Op } from '../binary/op.js';
import {
  HT_ANY, HT_ARRAY, HT_EQ, HT_EXN, HT_EXTERN, HT_FUNC, HT_I31, HT_NOEXN, HT_NOEXTERN, HT_NOFUNC, HT_NONE, HT_STRUCT,
  ANYREF, I32, heapOf, isRef, type HeapType, type ValType,
} from '../core/types.js';
import { derived, type Entry } from './entry.js';
import type { Frame, FunctionCompiler } from './function-compiler.js';
import { rttConst } from './gc.js';

const OPS = new Set<number>([
  Op.RefTest, Op.RefTestNull, Op.RefCast, Op.RefCastNull, Op.BrOnCast, Op.BrOnCastFail,
  Op.RefGetDesc, Op.RefCastDescEq, Op.RefCastDescEqNull, Op.BrOnCastDescEq, Op.BrOnCastDescEqFail,
]);

export function isCastOp(code: number): boolean {
  return OPS.has(code);
}

/**
 * A JS condition: whether the value in `x` (a simple expression) has reference type
 * `(ref null? exact? heap)`, heap a module-local heap type. Which checks run follows from the
 * value representation (runtime/gc-casts.ts): null is null, an i31 a number, structs and arrays
 * GcObjects with an RTT, functions WasmFuncs with a canonical type id.
 */
function testCode(fc: FunctionCompiler, heap: HeapType, exact: boolean, nullable: boolean, x: string, from: ValType): string {
  let test: string;
  if (heap >= 0) {
    const kind = fc.mc.module.types[heap]!.composite.kind;
    if (kind === 'func') {
      const id = fc.constant(`ctx.canon[${heap}]`);
      test = exact ? `${x}.type === ${id}` : `${fc.helper('isSubFunc')}(${x}, ${id})`;
    } else if (isGcObjectType(fc, from)) {
      // The value is statically a struct or array (or null): its RTT can be read directly.
      const rtt = rttConst(fc, heap);
      test = exact ? `${x}.$t === ${rtt}` : `${fc.helper('rttSub')}(${x}.$t, ${rtt})`;
    } else {
      test = `${fc.helper(exact ? 'isExactRtt' : 'isSubRtt')}(${x}, ${rttConst(fc, heap)})`;
    }
  } else {
    switch (heap) {
      case HT_ANY: case HT_FUNC: case HT_EXTERN: case HT_EXN: test = 'true'; break;
      case HT_EQ: test = `${fc.helper('isEq')}(${x})`; break;
      case HT_I31: test = `${fc.helper('isI31')}(${x})`; break;
      // Host values (only anyref holds them) may be Proxies: runtime/host-values.ts.
      case HT_STRUCT: test = mayBeHost(from) ? `${fc.helper('isStruct')}(${x})` : `${x} instanceof ${fc.helper('GcStruct')}`; break;
      case HT_ARRAY: test = mayBeHost(from) ? `${fc.helper('isArray')}(${x})` : `${x} instanceof ${fc.helper('GcArray')}`; break;
      case HT_NONE: case HT_NOFUNC: case HT_NOEXTERN: case HT_NOEXN: test = 'false'; break;
      default: throw new Error(`GC lowering: unknown heap type ${heap}`);
    }
  }
  if (nullable) return test === 'true' ? 'true' : test === 'false' ? `(${x} === null)` : `(${x} === null || ${test})`;
  return test === 'true' ? `(${x} !== null)` : test === 'false' ? 'false' : `(${x} !== null && ${test})`;
}

/**
 * Whether a value of reference type `t` may be a host value: an anyref, or an externref (the
 * conversions between the two hierarchies leave a value and its entry's type as they were).
 */
function mayBeHost(t: ValType): boolean {
  return !isRef(t) || heapOf(t) === HT_ANY || heapOf(t) === HT_EXTERN;
}

/** Whether every non-null value of module-local reference type `t` is a struct or array. */
function isGcObjectType(fc: FunctionCompiler, t: ValType): boolean {
  if (!isRef(t)) return false;
  const h = heapOf(t);
  return h >= 0 ? fc.mc.module.types[h]!.composite.kind !== 'func' : h === HT_STRUCT || h === HT_ARRAY;
}

/** Whether `x` is a struct whose descriptor is `d` (both simple; d not null). */
function descTest(fc: FunctionCompiler, nullable: boolean, x: string, d: string): string {
  const test = `(${fc.helper('isStruct')}(${x}) && ${x}.$d === ${d})`;
  return nullable ? `(${x} === null || ${test})` : test;
}

export function compileCastOp(fc: FunctionCompiler, code: number): void {
  const r = fc.r;
  switch (code) {
    case Op.RefTest: case Op.RefTestNull: {
      const { heap, exact } = r.heapTypeAndExact();
      const x = fc.pop();
      const v = x.simple ? x : fc.materialize(x);
      // Pure: a value's type never changes.
      fc.push(derived(I32, `(${testCode(fc, heap, exact, code === Op.RefTestNull, v.code, x.type)})`, [v], true, true));
      return;
    }
    case Op.RefCast: case Op.RefCastNull: {
      const { heap, exact } = r.heapTypeAndExact();
      const [x] = fc.settle(1, [true]) as [Entry];
      fc.emit(`if (!${testCode(fc, heap, exact, code === Op.RefCastNull, x.code, x.type)}) ${fc.helper('trapCast')}();`);
      fc.push(x);
      return;
    }
    case Op.BrOnCast: case Op.BrOnCastFail: case Op.BrOnCastDescEq: case Op.BrOnCastDescEqFail: {
      const flags = readCastFlags(r);
      const depth = r.u32();
      r.heapTypeAndExact();
      const { heap, exact } = r.heapTypeAndExact();
      brOnCast(fc, code, depth, heap, exact, (flags & 2) !== 0);
      return;
    }
    case Op.RefGetDesc: {
      r.u32();
      const [x] = fc.settle(1, [true]) as [Entry];
      // The spec interpreter's message for a null operand here is the plain "null reference".
      fc.push(derived(ANYREF, `${fc.helper('refNonNull')}(${x.code}).$d`, [x], false));
      return;
    }
    case Op.RefCastDescEq: case Op.RefCastDescEqNull: {
      r.heapTypeAndExact();
      const [x, d] = fc.settle(2, [true, true]) as [Entry, Entry];
      fc.emit(`if (${d.code} === null) ${fc.helper('trapNullDescriptor')}();`);
      fc.emit(`if (!${descTest(fc, code === Op.RefCastDescEqNull, x.code, d.code)}) ${fc.helper('trapDescriptorCast')}();`);
      fc.push(x);
      return;
    }
  }
  throw new Error(`GC lowering: unhandled cast opcode ${code.toString(16)}`);
}

/** br_on_cast(_fail) and the descriptor variants: branch with the reference when the test says so. */
function brOnCast(fc: FunctionCompiler, code: number, depth: number, heap: HeapType, exact: boolean, nullable: boolean): void {
  const f: Frame = fc.frameAt(depth);
  const withDesc = code === Op.BrOnCastDescEq || code === Op.BrOnCastDescEqFail;
  fc.spillNonPure();
  const d = withDesc ? fc.materialize(fc.pop()) : null;
  const ref = fc.materialize(fc.pop());
  const arity = f.kind === 'loop' ? f.params.length : f.results.length;
  const values = fc.popN(arity - 1).map((e) => fc.materialize(e));
  if (d !== null) fc.emit(`if (${d.code} === null) ${fc.helper('trapNullDescriptor')}();`);
  const test = d !== null ? descTest(fc, nullable, ref.code, d.code) : testCode(fc, heap, exact, nullable, ref.code, ref.type);
  const onFail = code === Op.BrOnCastFail || code === Op.BrOnCastDescEqFail;
  fc.emit(`if (${onFail ? `!${test}` : test}) {`);
  fc.deeper();
  fc.branchCode(f, [...values, ref]);
  fc.shallower();
  fc.emit('}');
  fc.fuelStart();
  for (const v of values) fc.push(v);
  fc.push(ref);
}
