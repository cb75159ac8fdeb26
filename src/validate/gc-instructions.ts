// Typing of the GC instructions (structs, arrays, i31, casts, extern conversion) and of the
// custom-descriptors instructions, for the body validator.

import {
  HT_ANY, HT_ARRAY, HT_EQ, HT_EXTERN, HT_I31, I32, heapOf, isDefaultable, isExact, isNullable,
  isPacked, isRef, refType, unpacked,
  type FieldType, type StructType, type ValType,
} from '../core/types.js';
import { readCastFlags } from '../binary/instructions.js';
import type { OpInfo } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import type { CodeValidator } from './code-validator.js';
import { BOT } from './module-types.js';

export function validateGcInstr(v: CodeValidator, op: OpInfo): void {
  const r = v.r;
  switch (op.code) {
    case Op.RefEq:
      v.pop(refType(HT_EQ, true));
      v.pop(refType(HT_EQ, true));
      v.push(I32);
      return;
    case Op.RefI31:
      v.pop(I32);
      v.push(refType(HT_I31, false));
      return;
    case Op.I31GetS: case Op.I31GetU:
      v.pop(refType(HT_I31, true));
      v.push(I32);
      return;
    case Op.AnyConvertExtern: {
      const t = v.pop(refType(HT_EXTERN, true));
      v.push(refType(HT_ANY, t !== BOT && isNullable(t)));
      return;
    }
    case Op.ExternConvertAny: {
      const t = v.pop(refType(HT_ANY, true));
      v.push(refType(HT_EXTERN, t !== BOT && isNullable(t)));
      return;
    }
    case Op.StructNew: case Op.StructNewDefault: case Op.StructNewDesc: case Op.StructNewDefaultDesc:
      return structNew(v, op.code, r.u32());
    case Op.StructGet: case Op.StructGetS: case Op.StructGetU: {
      const x = r.u32();
      const field = structField(v, x, r.u32());
      const packed = isPacked(field.type);
      if (packed !== (op.code !== Op.StructGet)) v.fail(packed ? 'type mismatch: field is packed' : 'type mismatch: field is unpacked');
      v.pop(refType(x, true));
      v.push(unpacked(field.type));
      return;
    }
    case Op.StructSet: {
      const x = r.u32();
      const field = structField(v, x, r.u32());
      if (!field.mutable) v.fail('immutable field');
      v.pop(unpacked(field.type));
      v.pop(refType(x, true));
      return;
    }
    case Op.ArrayNew: case Op.ArrayNewDefault: case Op.ArrayNewFixed: case Op.ArrayNewData: case Op.ArrayNewElem:
      return arrayNew(v, op.code, r.u32());
    case Op.ArrayGet: case Op.ArrayGetS: case Op.ArrayGetU: {
      const x = r.u32();
      const field = arrayField(v, x);
      const packed = isPacked(field.type);
      if (packed !== (op.code !== Op.ArrayGet)) v.fail(packed ? 'type mismatch: array is packed' : 'type mismatch: array is unpacked');
      v.pop(I32);
      v.pop(refType(x, true));
      v.push(unpacked(field.type));
      return;
    }
    case Op.ArraySet: {
      const x = r.u32();
      const field = mutableArray(v, x);
      v.pop(unpacked(field.type));
      v.pop(I32);
      v.pop(refType(x, true));
      return;
    }
    case Op.ArrayLen:
      v.pop(refType(HT_ARRAY, true));
      v.push(I32);
      return;
    case Op.ArrayFill: {
      const x = r.u32();
      const field = mutableArray(v, x);
      v.pop(I32);
      v.pop(unpacked(field.type));
      v.pop(I32);
      v.pop(refType(x, true));
      return;
    }
    case Op.ArrayCopy: {
      const dx = r.u32();
      const sx = r.u32();
      const dst = mutableArray(v, dx);
      const src = arrayField(v, sx);
      if (!v.types.matchesStorage(src.type, dst.type)) v.fail('array types do not match');
      v.pop(I32);
      v.pop(I32);
      v.pop(refType(sx, true));
      v.pop(I32);
      v.pop(refType(dx, true));
      return;
    }
    case Op.ArrayInitData: {
      const x = r.u32();
      const field = mutableArray(v, x);
      numericArray(v, field);
      v.dataIndex(r.u32());
      popArrayInit(v, x);
      return;
    }
    case Op.ArrayInitElem: {
      const x = r.u32();
      const field = mutableArray(v, x);
      const et = v.elemType(r.u32());
      if (!v.types.matches(et, field.type)) v.fail(`type mismatch: element segment's type ${v.typeName(et)} does not match array ${x}'s element type`);
      popArrayInit(v, x);
      return;
    }
    case Op.RefTest: case Op.RefTestNull: case Op.RefCast: case Op.RefCastNull: {
      const at = r.pos;
      const { heap, exact } = r.heapTypeAndExact();
      const nullable = op.code === Op.RefTestNull || op.code === Op.RefCastNull;
      const target = v.castTarget(heap, exact, nullable, at);
      v.pop(v.topRef(heap));
      v.push(op.code === Op.RefTest || op.code === Op.RefTestNull ? I32 : target);
      return;
    }
    case Op.BrOnCast: case Op.BrOnCastFail: case Op.BrOnCastDescEq: case Op.BrOnCastDescEqFail:
      return brOnCast(v, op.code);
    case Op.RefGetDesc: {
      const x = r.u32();
      const desc = descriptorOf(v, x, `type without descriptor ${x}`);
      const t = v.pop(refType(x, true));
      const exact = t === BOT || v.types.heapMatches(heapOf(t), isExact(t), x, true);
      v.push(refType(desc, false, exact));
      return;
    }
    case Op.RefCastDescEq: case Op.RefCastDescEqNull: {
      const at = r.pos;
      const { heap, exact } = r.heapTypeAndExact();
      const target = v.castTarget(heap, exact, op.code === Op.RefCastDescEqNull, at);
      v.pop(descriptorRef(v, target));
      v.pop(v.topRef(heap));
      v.push(target);
      return;
    }
  }
  v.malformed(`illegal opcode ${op.name}`);
}

function structType(v: CodeValidator, x: number): StructType {
  const s = v.types.struct(x);
  if (s === undefined) {
    if (x >= v.module.types.length) v.fail(`unknown type ${x}`);
    v.fail(`type mismatch: type ${x} is not a struct type`);
  }
  return s;
}

function structField(v: CodeValidator, x: number, i: number): FieldType {
  const f = structType(v, x).fields[i];
  if (f === undefined) v.fail(`unknown field ${i} of type ${x}`);
  return f;
}

function arrayField(v: CodeValidator, x: number): FieldType {
  const a = v.types.array(x);
  if (a === undefined) {
    if (x >= v.module.types.length) v.fail(`unknown type ${x}`);
    v.fail(`type mismatch: type ${x} is not an array type`);
  }
  return a.element;
}

function mutableArray(v: CodeValidator, x: number): FieldType {
  const f = arrayField(v, x);
  if (!f.mutable) v.fail('immutable array');
  return f;
}

function numericArray(v: CodeValidator, f: FieldType): void {
  if (isRef(f.type)) v.fail('array type is not numeric or vector');
}

function popArrayInit(v: CodeValidator, x: number): void {
  v.pop(I32);
  v.pop(I32);
  v.pop(I32);
  v.pop(refType(x, true));
}

/** The result of allocating type `x`: exact when custom descriptors are on. */
function allocated(v: CodeValidator, x: number): ValType {
  return refType(x, false, v.features.custom_descriptors);
}

function structNew(v: CodeValidator, code: number, x: number): void {
  const s = structType(v, x);
  const withDesc = code === Op.StructNewDesc || code === Op.StructNewDefaultDesc;
  const byDefault = code === Op.StructNewDefault || code === Op.StructNewDefaultDesc;
  const desc = v.module.types[x]!.descriptor;
  if (desc !== undefined && !withDesc) v.fail('type with descriptor requires descriptor allocation');
  if (desc === undefined && withDesc) v.fail('type without descriptor requires non-descriptor allocation');
  if (desc !== undefined) v.pop(refType(desc, true, true));
  if (byDefault) {
    for (const f of s.fields) if (!isDefaultable(f.type)) v.fail('field type is not defaultable');
  } else {
    for (let i = s.fields.length - 1; i >= 0; i--) v.pop(unpacked(s.fields[i]!.type));
  }
  v.push(allocated(v, x));
}

function arrayNew(v: CodeValidator, code: number, x: number): void {
  const r = v.r;
  const f = arrayField(v, x);
  const elem = unpacked(f.type);
  switch (code) {
    case Op.ArrayNew:
      v.pop(I32);
      v.pop(elem);
      break;
    case Op.ArrayNewDefault:
      if (!isDefaultable(f.type)) v.fail('array type is not defaultable');
      v.pop(I32);
      break;
    case Op.ArrayNewFixed: {
      v.popMany(elem, r.u32());
      break;
    }
    case Op.ArrayNewData:
      numericArray(v, f);
      v.dataIndex(r.u32());
      v.pop(I32);
      v.pop(I32);
      break;
    case Op.ArrayNewElem: {
      const et = v.elemType(r.u32());
      if (!v.types.matches(et, f.type)) v.fail(`type mismatch: element segment's type ${v.typeName(et)} does not match array ${x}'s element type`);
      v.pop(I32);
      v.pop(I32);
      break;
    }
  }
  v.push(allocated(v, x));
}

function descriptorOf(v: CodeValidator, x: number, message: string): number {
  if (x >= v.module.types.length) v.fail(`unknown type ${x}`);
  const d = v.module.types[x]!.descriptor;
  if (d === undefined) v.fail(message);
  return d;
}

/** The descriptor operand of a descriptor cast to `target`: (ref null exact? y). */
function descriptorRef(v: CodeValidator, target: ValType): ValType {
  const h = heapOf(target);
  if (h < 0) v.fail(`type ${v.typeName(refType(h, false)).replace(/^\(ref (.*)\)$/, '$1')} does not have a descriptor`);
  const d = descriptorOf(v, h, `type ${h} does not have a descriptor`);
  return refType(d, true, isExact(target));
}

function brOnCast(v: CodeValidator, code: number): void {
  const r = v.r;
  const flags = readCastFlags(r);
  const depth = r.u32();
  let at = r.pos;
  const h1 = r.heapTypeAndExact();
  const rt1 = v.castTarget(h1.heap, h1.exact, (flags & 1) !== 0, at);
  at = r.pos;
  const h2 = r.heapTypeAndExact();
  const rt2 = v.castTarget(h2.heap, h2.exact, (flags & 2) !== 0, at);
  const relaxed = v.features.custom_descriptors;
  if (relaxed ? v.types.top(h1.heap) !== v.types.top(h2.heap) : !v.types.matches(rt2, rt1)) {
    v.fail(`type mismatch on cast: type ${v.typeName(rt2)} does not match ${v.typeName(rt1)}`);
  }
  const label = v.labelTypes(depth);
  const n = label.length;
  const fail = code === Op.BrOnCastFail || code === Op.BrOnCastDescEqFail;
  const diff = v.types.difference(rt1, rt2);
  const branched = fail ? diff : rt2;
  if (n === 0 || !v.types.matches(branched, label[n - 1]!)) {
    v.fail(`type mismatch: instruction requires type ${v.typeName(branched)} but label has [${label.map((t) => v.typeName(t)).join(' ')}]`);
  }
  if (code === Op.BrOnCastDescEq || code === Op.BrOnCastDescEqFail) v.pop(descriptorRef(v, rt2));
  v.pop(rt1);
  for (let i = n - 2; i >= 0; i--) v.pop(label[i]!);
  for (let i = 0; i < n - 1; i++) v.push(label[i]!);
  v.push(fail ? rt2 : diff);
}
