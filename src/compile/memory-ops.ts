// Loads, stores and the memory instructions: every access goes through the memory's DataView,
// whose own bounds check (a RangeError) is the trap (byte accesses in code tuned for an interpreter
// index its Uint8Array and check the bound themselves); f32 accesses keep NaN payloads exact.

import { Op } from '../binary/op.js';
import type { MemArg } from '../binary/instructions.js';
import { F32, F64, I32, I64, type ValType } from '../core/types.js';
import { changed, derived, entry, isNumber, literal, simpleEntry, u32, wide, type Entry } from './entry.js';
import { floatLiteral, operand, type FunctionCompiler } from './function-compiler.js';
import { compileSharedMemorySize } from './atomics.js';
import { floatUserIsNanTolerant } from './consumer.js';
import { tuned, tunedFor } from './interpreter-tuning.js';

const LOADS: ReadonlyMap<number, { type: number; get: string; le: boolean; ext?: 's' | 'u' }> = new Map([
  [Op.I32Load, { type: I32, get: 'getInt32', le: true }],
  [Op.I32Load8S, { type: I32, get: 'getInt8', le: false }],
  [Op.I32Load8U, { type: I32, get: 'getUint8', le: false }],
  [Op.I32Load16S, { type: I32, get: 'getInt16', le: true }],
  [Op.I32Load16U, { type: I32, get: 'getUint16', le: true }],
  [Op.F64Load, { type: F64, get: 'getFloat64', le: true }],
  [Op.I64Load8S, { type: I64, get: 'getInt8', le: false, ext: 's' }],
  [Op.I64Load8U, { type: I64, get: 'getUint8', le: false, ext: 'u' }],
  [Op.I64Load16S, { type: I64, get: 'getInt16', le: true, ext: 's' }],
  [Op.I64Load16U, { type: I64, get: 'getUint16', le: true, ext: 'u' }],
  [Op.I64Load32S, { type: I64, get: 'getInt32', le: true, ext: 's' }],
  [Op.I64Load32U, { type: I64, get: 'getInt32', le: true, ext: 'u' }],
]);

const STORES: ReadonlyMap<number, { set: string; le: boolean; i64?: boolean }> = new Map([
  [Op.I32Store, { set: 'setInt32', le: true }],
  [Op.I32Store8, { set: 'setInt8', le: false }],
  [Op.I32Store16, { set: 'setInt16', le: true }],
  [Op.F64Store, { set: 'setFloat64', le: true }],
  [Op.I64Store8, { set: 'setInt8', le: false, i64: true }],
  [Op.I64Store16, { set: 'setInt16', le: true, i64: true }],
  [Op.I64Store32, { set: 'setInt32', le: true, i64: true }],
]);

const OTHERS = new Set<number>([
  Op.I64Load, Op.F32Load, Op.I64Store, Op.F32Store, Op.MemorySize, Op.MemoryGrow,
  Op.MemoryInit, Op.DataDrop, Op.MemoryCopy, Op.MemoryFill,
]);

/** An f64 load where NaNs are boxed: a NaN read as a number is the canonical one, so its bits are read again. */
function boxedF64Load(fc: FunctionCompiler, mem: MemArg): void {
  const { dv, at, t } = floatLoad(fc, mem, F64, 'getFloat64');
  // The canonical NaN (0x7ff8000000000000) is the number already: only other NaNs need the helper.
  fc.emit(`if (${t} !== ${t} && (${dv}.getInt32(${at} + 4, true) !== 2146959360 || ${dv}.getInt32(${at}, true) !== 0)) ${t} = ${fc.helper('f64FromHalves')}(${dv}.getInt32(${at}, true), ${dv}.getInt32(${at} + 4, true));`);
  fc.push(simpleEntry(F64, t));
}

export function isMemoryOp(code: number): boolean {
  return LOADS.has(code) || STORES.has(code) || OTHERS.has(code);
}

/** A float load into a temp through its address in another temp (both taken before either is written). */
function floatLoad(fc: FunctionCompiler, mem: MemArg, type: ValType, get: string): { dv: string; at: string; t: string } {
  const addr = fc.pop();
  fc.spillNonPure();
  const dv = fc.view(mem.memory);
  const at = fc.temp(F64);
  const t = fc.temp(type);
  fc.emit(`${at} = ${address(fc, addr, mem)};`);
  fc.emit(`${t} = ${dv}.${get}(${at}, true);`);
  return { dv, at, t };
}

/** The effective address in a temp (so an access of two words, or a re-read, computes it once). */
function addressInTemp(fc: FunctionCompiler, addr: Entry, mem: MemArg): string {
  const at = fc.temp(F64);
  fc.emit(`${at} = ${address(fc, addr, mem)};`);
  return at;
}

/** Effective address expression: `(addr >>> 0) + offset`, never wrapping; 64-bit addresses as doubles. */
function address(fc: FunctionCompiler, addr: Entry, mem: MemArg): string {
  const m = fc.mc.module.memories[mem.memory]!;
  const k = addr.simple && /^\(?-?\d+\)?$/.test(addr.code) ? Number(addr.code.replace(/[()]/g, '')) : null;
  if (k !== null && !m.address64) return String((k >>> 0) + mem.offset);
  const base = m.address64 ? fc.index64(addr) : tuned(fc.mc.options) ? unsignedSum(addr) : u32(addr);
  if (mem.offset === 0) return base;
  return `${base} + ${mem.offset}`;
}

export function compileMemoryOp(fc: FunctionCompiler, code: number, mem: MemArg): void {
  const load = LOADS.get(code);
  if (load !== undefined) {
    fc.readMemArg();
    // Where NaNs are boxed, an f64 read as a number must be checked, unless its user is arithmetic
    // (or a local only arithmetic reads).
    if (code === Op.F64Load && fc.mc.boxesNaNs && !floatUserIsNanTolerant(fc)) return boxedF64Load(fc, mem);
    const addr = fc.pop();
    const a = address(fc, addr, mem);
    const get = (load.get === 'getUint8' || load.get === 'getInt8') && tuned(fc.mc.options)
      ? byteLoad(fc, mem.memory, a, load.get === 'getInt8')
      : `${fc.view(mem.memory)}.${load.get}(${a}${load.le ? ', true' : ''})`;
    if (load.type !== I64) {
      const e = derived(load.type, get, [addr], false);
      fc.push(load.type === F64 && fc.mc.boxesNaNs ? changed(e, { number: true }) : e);
    } else if (load.ext === 'u') {
      fc.push(derived(I64, get, [addr], false, false, '0'));
    } else {
      // The high half is the low one's sign: from the loaded value once it is in a variable.
      fc.push(wide(get, `(${get} >> 31)`, (t: string) => `(${t} >> 31)`, [addr], false));
    }
    return;
  }
  const store = STORES.get(code);
  if (store !== undefined && !(code === Op.F64Store && fc.mc.boxesNaNs && !isNumber(fc.peek()))) {
    fc.readMemArg();
    const [addr, value] = fc.popN(2) as [Entry, Entry];
    if (store.set === 'setInt8' && tunedFor(fc.mc.options, 'byteStoresIndexed')) return byteStore(fc, mem, addr, value);
    const a = address(fc, addr, mem);
    fc.statement(`${fc.view(mem.memory)}.${store.set}(${a}, ${operand(value)}${store.le ? ', true' : ''});`);
    return;
  }
  switch (code) {
    case Op.I64Load: {
      fc.readMemArg();
      const addr = fc.pop();
      fc.spillNonPure();
      const dv = fc.view(mem.memory);
      if (copiesToStore(fc, addr)) {
        const copy = entry(I64, `${dv}.getFloat64(${address(fc, addr, mem)}, true)`, '', false);
        FLOAT64_COPIES.add(copy);
        fc.push(copy);
        return;
      }
      const at = addressInTemp(fc, addr, mem);
      // `i64.load; local.set x` (Go loads every operand so) assigns the local's halves directly.
      const x = fc.fuseLocalSet();
      const t = x === null ? fc.temp(I64) : `l${x}`;
      fc.emit(`${t} = ${dv}.getInt32(${at}, true); ${t}h = ${dv}.getInt32(${at} + 4, true);`);
      if (x === null) fc.push(simpleEntry(I64, t, `${t}h`));
      return;
    }
    case Op.F64Store: {
      // Only with NaNBoxes: a box's bits are stored as two words (the high one first, as for i64).
      fc.readMemArg();
      const [addr, v0] = fc.popN(2) as [Entry, Entry];
      fc.spillNonPure();
      const dv = fc.view(mem.memory);
      const at = addressInTemp(fc, addr, mem);
      const v = fc.materialize(v0);
      fc.emit(`if (typeof ${v.code} === 'number') ${dv}.setFloat64(${at}, ${v.code}, true); else { ${dv}.setInt32(${at} + 4, ${v.code}.hi, true); ${dv}.setInt32(${at}, ${v.code}.lo, true); }`);
      return;
    }
    case Op.F32Load: {
      fc.readMemArg();
      const { dv, at, t } = floatLoad(fc, mem, F32, 'getFloat32');
      // Reading an f32 NaN through a double quiets it: rebuild the carrier from the raw bits, unless
      // the value goes to an instruction for which every NaN is alike (f32 stencils: 20% faster).
      if (!floatUserIsNanTolerant(fc)) fc.emit(`if (${t} !== ${t}) ${t} = ${fc.helper('f32FromBits')}(${dv}.getInt32(${at}, true));`);
      fc.push(simpleEntry(F32, t));
      return;
    }
    case Op.I64Store: {
      fc.readMemArg();
      const [addr, v0] = fc.popN(2) as [Entry, Entry];
      fc.spillNonPure();
      const dv = fc.view(mem.memory);
      if (FLOAT64_COPIES.has(v0)) {
        // The i64.load just before, moved whole: one float64 read and write instead of four words.
        fc.emit(`${dv}.setFloat64(${address(fc, addr, mem)}, ${v0.code}, true);`);
        return;
      }
      const bits = constantDouble(v0);
      if (bits !== null) {
        // A constant whose bits are not a NaN's is one float64 store: one call, one bounds check.
        fc.emit(`${dv}.setFloat64(${address(fc, addr, mem)}, ${bits}, true);`);
        return;
      }
      // The address first: its operand comes before the value in wasm's order of traps.
      const at = addressInTemp(fc, addr, mem);
      const v = fc.materialize(v0);
      // High word first: if it is in bounds the whole access is, so a trap never leaves half a store.
      fc.emit(`${dv}.setInt32(${at} + 4, ${v.hi}, true); ${dv}.setInt32(${at}, ${v.code}, true);`);
      return;
    }
    case Op.F32Store: {
      fc.readMemArg();
      const [addr, v0] = fc.popN(2) as [Entry, Entry];
      fc.spillNonPure();
      const dv = fc.view(mem.memory);
      // Arithmetic results are never signalling-NaN carriers, and a float store is exact for the rest.
      const quiet = !v0.simple && isFroundCall(v0.code);
      const at = addressInTemp(fc, addr, mem);
      const v = fc.materialize(v0);
      if (quiet) fc.emit(`${dv}.setFloat32(${at}, ${v.code}, true);`);
      else {
        const number = fc.mc.boxesNaNs ? `${v.code} === ${v.code} && typeof ${v.code} === 'number'` : `${v.code} === ${v.code}`;
        fc.emit(`if (${number}) ${dv}.setFloat32(${at}, ${v.code}, true); else ${dv}.setInt32(${at}, ${fc.helper('f32ToBits')}(${v.code}), true);`);
      }
      return;
    }
    case Op.MemorySize: {
      const index = fc.r.u32();
      const m = fc.mc.module.memories[index]!;
      if (m.shared) return compileSharedMemorySize(fc, index);
      fc.push(entry(m.address64 ? I64 : I32, `${fc.memory(index)}.pages`, m.address64 ? '0' : '', false));
      return;
    }
    case Op.MemoryGrow: {
      const index = fc.r.u32();
      const m = fc.mc.module.memories[index]!;
      const delta = fc.pop();
      fc.spillNonPure();
      const t = fc.temp(m.address64 ? I64 : I32);
      const pages = m.address64 ? fc.index64(delta) : `${operand(delta)} >>> 0`;
      // In generator code the store's async limiter may answer later (Store.limiterAsync).
      const grow = fc.callPrefix === ''
        ? `${fc.memory(index)}.growFromWasm(${pages})`
        : `yield* ${fc.helper('growMemoryAsync')}(${fc.memory(index)}${m.shared ? '.owner' : ''}, ${pages})`;
      if (m.address64) {
        fc.emit(`${t} = ${grow}; ${t}h = ${t} < 0 ? -1 : 0;`);
        fc.push(simpleEntry(I64, t, `${t}h`));
      } else {
        fc.emit(`${t} = ${grow};`);
        fc.push(simpleEntry(I32, t));
      }
      fc.reloadViews();
      return;
    }
    case Op.MemoryInit: {
      const seg = fc.r.u32();
      const index = fc.r.u32();
      const [d, s, n] = fc.settle(3) as [Entry, Entry, Entry];
      const len = fc.fuelPerUnit(`${operand(n)} >>> 0`);
      fc.emit(`${fc.helper('memoryInit')}(${fc.memory(index)}, DATA, ${seg}, ${addr(fc, index, d)}, ${operand(s)} >>> 0, ${len});`);
      return;
    }
    case Op.DataDrop: {
      fc.statement(`DATA[${fc.r.u32()}] = null;`);
      return;
    }
    case Op.MemoryCopy: {
      const dst = fc.r.u32();
      const src = fc.r.u32();
      const [d, s, n] = fc.settle(3) as [Entry, Entry, Entry];
      const m64 = fc.mc.module.memories[dst]!.address64 && fc.mc.module.memories[src]!.address64;
      const len = fc.fuelPerUnit(m64 ? fc.index64(n) : `${operand(n)} >>> 0`);
      fc.emit(`${fc.helper('memoryCopy')}(${fc.memory(dst)}, ${fc.memory(src)}, ${addr(fc, dst, d)}, ${addr(fc, src, s)}, ${len});`);
      return;
    }
    case Op.MemoryFill: {
      const index = fc.r.u32();
      const [d, v, n] = fc.settle(3) as [Entry, Entry, Entry];
      const len = fc.fuelPerUnit(addr(fc, index, n));
      fc.emit(`${fc.helper('memoryFill')}(${fc.memory(index)}, ${addr(fc, index, d)}, ${operand(v)}, ${len});`);
      return;
    }
  }
  throw new Error(`memory lowering: unhandled opcode ${code.toString(16)}`);
}

const f64 = new Float64Array(1);
const f64Halves = new Int32Array(f64.buffer);

/** The literal double whose bits are the i64 constant `e`, or null (not a constant, or a NaN's bits). */
function constantDouble(e: Entry): string | null {
  const lo = literal(e.code);
  const hi = literal(e.hi);
  if (lo === null || hi === null) return null;
  f64Halves[0] = lo;
  f64Halves[1] = hi;
  const v = f64[0]!;
  return v === v ? floatLiteral(v) : null;
}

/**
 * i64.load entries that are the float64 read of the value (FLOAT64_COPIES): made only when the
 * next instruction is an i64.store, which writes them with one float64 write. Go moves every
 * two-word value (strings, slices' halves, interfaces) through such pairs: 55,803 of them in
 * esbuild. A double carries the bits exactly only on engines that keep NaN payloads in JS numbers
 * (not where NaNs are boxed); the load's address must be pure, since the store's address is
 * evaluated first.
 */
const FLOAT64_COPIES = new WeakSet<Entry>();

function copiesToStore(fc: FunctionCompiler, addr: Entry): boolean {
  return !fc.mc.boxesNaNs && fc.r.bytes[fc.r.pos] === Op.I64Store && addr.pure;
}

/**
 * A byte read without a JIT: indexing the memory's Uint8Array costs a third of a DataView call
 * (V8 --jitless); an index past the end reads undefined, which is the trap.
 */
function byteLoad(fc: FunctionCompiler, memory: number, a: string, signed: boolean): string {
  const read = `(${fc.byteView(memory)}[${a}] ?? ${fc.helper('trapMemory')}())`;
  return signed ? `((${read} << 24) >> 24)` : read;
}

/**
 * A byte write without a JIT: as byteLoad, a keyed store is cheaper than the DataView call, its bound
 * checked against the array's length in a local. Wasm's order: the address, the value, then the trap.
 */
function byteStore(fc: FunctionCompiler, mem: MemArg, addr: Entry, value: Entry): void {
  fc.spillNonPure();
  const a = address(fc, addr, mem);
  const at = literal(a) !== null ? a : fc.temp(F64);
  if (at !== a) fc.emit(`${at} = ${a};`);
  const v = value.pure ? value : fc.materialize(value);
  fc.emit(`if (${at} < ${fc.byteLength(mem.memory)}) ${fc.byteView(mem.memory)}[${at}] = ${operand(v)}; else ${fc.helper('trapMemory')}();`);
}

/**
 * u32 of an i32 sum without its `| 0`: ToUint32(ToInt32(x)) is ToUint32(x), and an interpreter pays
 * for each operator (TurboFan prefers the `| 0` kept, see u32).
 */
function unsignedSum(e: Entry): string {
  const c = e.code;
  if (!e.bool && c.startsWith('((') && c.endsWith(' | 0)') && closing(c, 1) === c.length - 6) return `(${c.slice(1, -5)} >>> 0)`;
  return u32(e);
}

/** An address or length of memory `index` (i32 or i64 by its address type) as a JS number. */
function addr(fc: FunctionCompiler, index: number, e: Entry): string {
  return fc.mc.module.memories[index]!.address64 ? fc.index64(e) : u32(e);
}

/** Whether `code` is, up to enclosing parentheses, one `Math.fround(...)` call (an f32 arithmetic result). */
export function isFroundCall(code: string): boolean {
  let s = code;
  while (s.startsWith('(') && closing(s, 0) === s.length - 1) s = s.slice(1, -1);
  return s.startsWith('Math.fround(') && closing(s, 'Math.fround'.length) === s.length - 1;
}

/** The index of the parenthesis closing the one at `open`, or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}
