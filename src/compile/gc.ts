// GC instructions in generated code: structs (one constructor per type, fields as properties),
// arrays (a GcArray over a typed array), i31 (a JS number), ref.eq and the extern/any conversions.

import { Op } from '../binary/op.js';
import { ANYREF, I16, I32, I64, I8, isNullable, isRef, type ArrayType, type StorageType, type StructType } from '../core/types.js';
import { defaultSource, fieldNames } from '../runtime/gc-types.js';
import { derived, int, simpleEntry, type Entry } from './entry.js';
import { compileCastOp, isCastOp } from './gc-casts.js';
import { operand, type FunctionCompiler } from './function-compiler.js';

const OPS = new Set<number>([
  Op.RefEq, Op.StructNew, Op.StructNewDefault, Op.StructGet, Op.StructGetS, Op.StructGetU, Op.StructSet,
  Op.ArrayNew, Op.ArrayNewDefault, Op.ArrayNewFixed, Op.ArrayNewData, Op.ArrayNewElem, Op.ArrayGet,
  Op.ArrayGetS, Op.ArrayGetU, Op.ArraySet, Op.ArrayLen, Op.ArrayFill, Op.ArrayCopy, Op.ArrayInitData,
  Op.ArrayInitElem, Op.AnyConvertExtern, Op.ExternConvertAny, Op.RefI31, Op.I31GetS, Op.I31GetU,
  Op.StructNewDesc, Op.StructNewDefaultDesc,
]);

export function isGcOp(code: number): boolean {
  return OPS.has(code) || isCastOp(code);
}

export function compileGcOp(fc: FunctionCompiler, code: number): void {
  const r = fc.r;
  switch (code) {
    case Op.RefEq: {
      const [a, b] = fc.popN(2) as [Entry, Entry];
      fc.push(derived(I32, `(${a.code} === ${b.code})`, [a, b], true, true));
      return;
    }
    case Op.AnyConvertExtern: case Op.ExternConvertAny:
      // One representation for both hierarchies: internalising and externalising change nothing.
      return;
    case Op.RefI31: {
      const v = fc.pop();
      fc.push(derived(ANYREF, `((${int(v)} << 1) >> 1)`, [v]));
      return;
    }
    case Op.I31GetS: case Op.I31GetU: {
      const x = fc.pop();
      // `| 0` also makes a -0 that came from the JS API through an externref the i31 0.
      if (nonNull(x)) fc.push(derived(I32, code === Op.I31GetS ? `(${x.code} | 0)` : `(${x.code} & 2147483647)`, [x]));
      else fc.push(derived(I32, `${fc.helper(code === Op.I31GetS ? 'i31GetS' : 'i31GetU')}(${x.code})`, [x], false));
      return;
    }
    case Op.StructNew: case Op.StructNewDefault: case Op.StructNewDesc: case Op.StructNewDefaultDesc:
      structNew(fc, code, r.u32());
      return;
    case Op.StructGet: case Op.StructGetS: case Op.StructGetU: {
      const x = r.u32();
      structGet(fc, x, r.u32(), code);
      return;
    }
    case Op.StructSet: {
      const x = r.u32();
      structSet(fc, x, r.u32());
      return;
    }
  }
  if (isCastOp(code)) {
    compileCastOp(fc, code);
    return;
  }
  compileArrayOp(fc, code);
}

/**
 * `settle` for an instruction that stays an expression: nothing is evaluated early unless an
 * operand must be put in a temp (used twice), and then only after what precedes it, if it is not pure.
 */
function operands(fc: FunctionCompiler, n: number, simple: readonly boolean[]): Entry[] {
  const ops = fc.popN(n);
  if (ops.some((e, i) => simple[i] === true && !e.simple && !e.pure)) fc.spillNonPure();
  return ops.map((e, i) => (simple[i] === true && !e.simple ? fc.materialize(e) : e));
}

/**
 * Whether the entry's static type excludes null, so a null check can go: a stack entry's type is
 * the declared type of where it came from (local, parameter, field, block result), a supertype of
 * what the validator knows, so non-nullable there means never null.
 */
export function nonNull(e: Entry): boolean {
  return isRef(e.type) && !isNullable(e.type);
}

/** `structRef(x)` (which traps on null) where x may be null, else x itself. */
function checkedStruct(fc: FunctionCompiler, x: Entry): string {
  return nonNull(x) ? x.code : `${fc.helper('structRef')}(${x.code})`;
}

/** The RTT constant of module type `x` (canonical ids are read at instantiation: serialized code stays valid). */
export function rttConst(fc: FunctionCompiler, x: number): string {
  return fc.constant(`gcRtt(ctx.canon[${x}])`, 'gcRtt');
}

/** A value as stored in a field of storage type `t`: packed values masked; i64 as two components. */
function stored(t: StorageType, v: Entry): string[] {
  if (t === I8) return [`(${int(v)} & 255)`];
  if (t === I16) return [`(${int(v)} & 65535)`];
  if (t === I64) return [v.code, v.hi];
  return [operand(v)];
}

/** A packed or plain field value read as `code` (stored masked), extended to an i32 as the instruction says. */
function unpack(t: StorageType, code: string, signed: boolean): string {
  if (t === I8 && signed) return `(${code} << 24 >> 24)`;
  if (t === I16 && signed) return `(${code} << 16 >> 16)`;
  return code;
}

function structFields(fc: FunctionCompiler, x: number): StructType {
  return fc.mc.module.types[x]!.composite as StructType;
}

function structNew(fc: FunctionCompiler, code: number, x: number): void {
  const fields = structFields(fc, x).fields;
  const withDesc = code === Op.StructNewDesc || code === Op.StructNewDefaultDesc;
  const byDefault = code === Op.StructNewDefault || code === Op.StructNewDefaultDesc;
  const cls = fc.constant(`gcRtt(ctx.canon[${x}]).cls`, 'gcRtt');
  const ops = fc.settle((byDefault ? 0 : fields.length) + (withDesc ? 1 : 0));
  const args: string[] = [];
  if (withDesc) {
    const d = fc.materialize(ops.pop()!);
    // The descriptor is the last operand: checked once every operand is evaluated.
    fc.emit(`if (${d.code} === null) ${fc.helper('trapNullDescriptor')}();`);
    args.push(d.code);
  }
  fields.forEach((f, i) => {
    if (byDefault) {
      const d = defaultSource(f.type);
      if (d.includes('V128_ZERO')) fc.helper('V128_ZERO');
      args.push(...d);
    } else {
      args.push(...stored(f.type, ops[i]!));
    }
  });
  const t = fc.temp(ANYREF);
  fc.emit(`${t} = new ${cls}(${args.join(', ')});`);
  fc.push(simpleEntry(ANYREF, t));
}

function structGet(fc: FunctionCompiler, x: number, i: number, code: number): void {
  const f = structFields(fc, x).fields[i]!;
  if (f.type === I64) {
    const [s] = fc.settle(1, [true]) as [Entry];
    const t = fc.temp(I64);
    const [lo, hi] = fieldNames(I64, i);
    const check = nonNull(s) ? '' : `${fc.helper('structRef')}(${s.code}); `;
    fc.emit(`${check}${t} = ${s.code}.${lo}; ${t}h = ${s.code}.${hi};`);
    fc.push(simpleEntry(I64, t, `${t}h`));
    return;
  }
  // An expression: evaluated in stack order with its operand, the null check first.
  const ref = fc.pop();
  const type = f.type === I8 || f.type === I16 ? I32 : f.type;
  fc.push(derived(type, unpack(f.type, `${checkedStruct(fc, ref)}.f${i}`, code === Op.StructGetS), [ref], false));
}

function structSet(fc: FunctionCompiler, x: number, i: number): void {
  const f = structFields(fc, x).fields[i]!;
  const [ref, v] = fc.settle(2, [true]) as [Entry, Entry];
  const names = fieldNames(f.type, i);
  const vals = stored(f.type, v);
  const check = nonNull(ref) ? '' : `${fc.helper('structRef')}(${ref.code}); `;
  fc.emit(`${check}${names.map((n, k) => `${ref.code}.${n} = ${vals[k]};`).join(' ')}`);
}

// ------------------------------------------------------------------ arrays

function arrayElem(fc: FunctionCompiler, x: number): StorageType {
  return (fc.mc.module.types[x]!.composite as ArrayType).element.type;
}

/** `if (ref === null) trap; if (index out of bounds) trap;` for an element access (ref and i simple). */
function checkElement(fc: FunctionCompiler, ref: Entry, i: Entry): string {
  return (nonNull(ref) ? '' : `if (${ref.code} === null) ${fc.helper('trapNullArray')}(); `)
    + `if ((${operand(i)} >>> 0) >= ${ref.code}.a.length) ${fc.helper('trapArrayBounds')}();`;
}

function compileArrayOp(fc: FunctionCompiler, code: number): void {
  const r = fc.r;
  switch (code) {
    case Op.ArrayNew: {
      const x = r.u32();
      const [v, n] = fc.settle(2);
      const hi = arrayElem(fc, x) === I64 ? v.hi : '0';
      const len = fc.fuelPerUnit(`${operand(n)} >>> 0`);
      pushNew(fc, `${fc.helper('arrayNew')}(${rttConst(fc, x)}, ${operand(v)}, ${hi}, ${len})`);
      return;
    }
    case Op.ArrayNewDefault: {
      const x = r.u32();
      const [n] = fc.settle(1) as [Entry];
      const len = fc.fuelPerUnit(`${operand(n)} >>> 0`);
      pushNew(fc, `${fc.helper('arrayAlloc')}(${rttConst(fc, x)}, ${len})`);
      return;
    }
    case Op.ArrayNewFixed: {
      const x = r.u32();
      const n = r.u32();
      const et = arrayElem(fc, x);
      const vals = fc.settle(n);
      const t = fc.temp(ANYREF);
      fc.emit(`${t} = ${fc.helper('arrayAlloc')}(${rttConst(fc, x)}, ${n});`);
      vals.forEach((v, k) => {
        // Stored masked by the typed array itself (Uint8Array, Uint16Array).
        fc.emit(et === I64 ? `${t}.a[${k}] = ${v.code}; ${t}.h[${k}] = ${v.hi};` : `${t}.a[${k}] = ${operand(v)};`);
      });
      fc.push(simpleEntry(ANYREF, t));
      return;
    }
    case Op.ArrayNewData: case Op.ArrayNewElem: {
      const x = r.u32();
      const seg = r.u32();
      const [s, n] = fc.settle(2);
      const [fn, segs] = code === Op.ArrayNewData ? ['arrayNewData', 'DATA'] : ['arrayNewElem', 'ELEM'];
      const len = fc.fuelPerUnit(`${operand(n)} >>> 0`);
      pushNew(fc, `${fc.helper(fn)}(${rttConst(fc, x)}, ${segs}, ${seg}, ${operand(s)} >>> 0, ${len})`);
      return;
    }
    case Op.ArrayGet: case Op.ArrayGetS: case Op.ArrayGetU: {
      const et = arrayElem(fc, r.u32());
      if (et === I64) {
        const [ref, i] = fc.settle(2, [true, true]) as [Entry, Entry];
        const at = `[${operand(i)}]`;
        const t = fc.temp(I64);
        fc.emit(`${checkElement(fc, ref, i)} ${t} = ${ref.code}.a${at}; ${t}h = ${ref.code}.h${at};`);
        fc.push(simpleEntry(I64, t, `${t}h`));
        return;
      }
      // An expression, so that reads fold into their consumers: `(i < a.length ? a[i] : trap())`.
      const [ref, i] = operands(fc, 2, [true, true]) as [Entry, Entry];
      const type = et === I8 || et === I16 ? I32 : et;
      const read = unpack(et, `${ref.code}.a[${operand(i)}]`, code === Op.ArrayGetS);
      let code2 = `((${operand(i)} >>> 0) < ${ref.code}.a.length ? ${read} : ${fc.helper('trapArrayBounds')}())`;
      if (!nonNull(ref)) code2 = `(${ref.code} === null ? ${fc.helper('trapNullArray')}() : ${code2})`;
      fc.push(derived(type, code2, [ref, i], false));
      return;
    }
    case Op.ArraySet: {
      const et = arrayElem(fc, r.u32());
      const [ref, i, v] = fc.settle(3, [true, true]) as [Entry, Entry, Entry];
      const at = `[${operand(i)}]`;
      const store = et === I64 ? `${ref.code}.a${at} = ${v.code}; ${ref.code}.h${at} = ${v.hi};` : `${ref.code}.a${at} = ${operand(v)};`;
      fc.emit(`${checkElement(fc, ref, i)} ${store}`);
      return;
    }
    case Op.ArrayLen: {
      const [ref] = operands(fc, 1, [true]) as [Entry];
      const len = nonNull(ref) ? `${ref.code}.a.length` : `(${ref.code} === null ? ${fc.helper('trapNullArray')}() : ${ref.code}.a.length)`;
      fc.push(derived(I32, len, [ref], false));
      return;
    }
    case Op.ArrayFill: {
      const x = r.u32();
      const [ref, d, v, n] = fc.settle(4) as [Entry, Entry, Entry, Entry];
      const hi = arrayElem(fc, x) === I64 ? v.hi : '0';
      const len = fc.fuelPerUnit(`${operand(n)} >>> 0`);
      fc.emit(`${fc.helper('arrayFill')}(${ref.code}, ${operand(d)} >>> 0, ${operand(v)}, ${hi}, ${len});`);
      return;
    }
    case Op.ArrayCopy: {
      r.u32();
      r.u32();
      const [dst, d, src, s, n] = fc.settle(5) as [Entry, Entry, Entry, Entry, Entry];
      const len = fc.fuelPerUnit(`${operand(n)} >>> 0`);
      fc.emit(`${fc.helper('arrayCopy')}(${dst.code}, ${operand(d)} >>> 0, ${src.code}, ${operand(s)} >>> 0, ${len});`);
      return;
    }
    case Op.ArrayInitData: case Op.ArrayInitElem: {
      r.u32();
      const seg = r.u32();
      const [ref, d, s, n] = fc.settle(4) as [Entry, Entry, Entry, Entry];
      const [fn, segs] = code === Op.ArrayInitData ? ['arrayInitData', 'DATA'] : ['arrayInitElem', 'ELEM'];
      const len = fc.fuelPerUnit(`${operand(n)} >>> 0`);
      fc.emit(`${fc.helper(fn)}(${ref.code}, ${operand(d)} >>> 0, ${segs}, ${seg}, ${operand(s)} >>> 0, ${len});`);
      return;
    }
  }
  throw new Error(`GC lowering: unhandled opcode ${code.toString(16)}`);
}

/** An allocation: evaluated now, into a temp (each evaluation is a new object). */
function pushNew(fc: FunctionCompiler, call: string): void {
  const t = fc.temp(ANYREF);
  fc.emit(`${t} = ${call};`);
  fc.push(simpleEntry(ANYREF, t));
}
