// The threads proposal's instructions (prefix 0xFE) and memory.size of a shared memory: each
// atomic access is one runtime helper call (runtime/atomics.ts) with the effective address.

import { Op } from '../binary/op.js';
import { F64, I32, I64, type ValType } from '../core/types.js';
import { literal, simpleEntry, u32, type Entry } from './entry.js';
import { operand, type FunctionCompiler } from './function-compiler.js';

/** Value type and access size in bytes of each of a group of seven, in opcode order. */
const GROUP: readonly (readonly [ValType, number])[] = [[I32, 4], [I64, 8], [I32, 1], [I32, 2], [I64, 1], [I64, 2], [I64, 4]];
const FIRST_LOAD = 0x10;
const FIRST_STORE = 0x17;
const FIRST_RMW = 0x1e;
const FIRST_CMPXCHG = 0x48;
const LAST_CMPXCHG = 0x4e;
/** Helper name suffix by access size. */
const BITS: Readonly<Record<number, string>> = { 1: '8', 2: '16', 4: '32', 8: '64' };

export function compileAtomicOp(fc: FunctionCompiler, sub: number): void {
  const code = (0xfe << 16) | sub;
  if (code === Op.AtomicFence) {
    fc.r.u8();
    fc.spillNonPure();
    fc.emit(`${fc.helper('atomicFence')}();`);
    return afterAtomic(fc);
  }
  if (sub > LAST_CMPXCHG || (sub > 3 && sub < FIRST_LOAD)) throw new Error(`atomics lowering: unhandled opcode 0xfe ${sub}`);
  const mem = fc.readMemArg();
  const memory = mem.memory;
  const offset = mem.offset;
  // Operands are evaluated in wasm order before the access, which may trap.
  fc.spillNonPure();
  if (code === Op.MemoryAtomicNotify) {
    const [addr, count] = fc.popN(2) as [Entry, Entry];
    const ea = address(fc, addr, memory, offset, 4);
    return result(fc, I32, `${fc.helper('atomicNotify')}(${fc.memory(memory)}, ${ea}, ${operand(count)})`);
  }
  if (code === Op.MemoryAtomicWait32 || code === Op.MemoryAtomicWait64) {
    const wide = code === Op.MemoryAtomicWait64;
    const [addr, e0, t0] = fc.popN(3) as [Entry, Entry, Entry];
    const ea = address(fc, addr, memory, offset, wide ? 8 : 4);
    const t = fc.pair(t0);
    const expected = wide ? halves(fc, e0) : operand(e0);
    return result(fc, I32, `${fc.helper(wide ? 'atomicWait64' : 'atomicWait32')}(${fc.memory(memory)}, ${ea}, ${expected}, ${t.code}, ${t.hi})`);
  }
  if (!fc.mc.module.memories[memory]!.shared) return plainAtomic(fc, sub, memory, offset);
  if (sub < FIRST_STORE) {
    const [type, size] = GROUP[sub - FIRST_LOAD]!;
    const ea = address(fc, fc.pop(), memory, offset, size);
    return result(fc, type, `${fc.helper(`atomicLoad${BITS[size]}`)}(${fc.memory(memory)}, ${ea})`, size);
  }
  if (sub < FIRST_RMW) {
    const [type, size] = GROUP[sub - FIRST_STORE]!;
    const [addr, v] = fc.popN(2) as [Entry, Entry];
    const ea = address(fc, addr, memory, offset, size);
    fc.emit(`${fc.helper(`atomicStore${BITS[size]}`)}(${fc.memory(memory)}, ${ea}, ${value(fc, type, size, v)});`);
    return afterAtomic(fc);
  }
  if (sub < FIRST_CMPXCHG) {
    const k = sub - FIRST_RMW;
    const [type, size] = GROUP[k % 7]!;
    const [addr, v] = fc.popN(2) as [Entry, Entry];
    const ea = address(fc, addr, memory, offset, size);
    // The operator (add, sub, and, or, xor, xchg) is a literal argument: the helper's switch folds when inlined.
    return result(fc, type, `${fc.helper(`atomicRmw${BITS[size]}`)}(${fc.memory(memory)}, ${ea}, ${value(fc, type, size, v)}, ${Math.floor(k / 7)})`, size);
  }
  const [type, size] = GROUP[sub - FIRST_CMPXCHG]!;
  const [addr, expected, replacement] = fc.popN(3) as [Entry, Entry, Entry];
  const ea = address(fc, addr, memory, offset, size);
  const args = `${value(fc, type, size, expected)}, ${value(fc, type, size, replacement)}`;
  return result(fc, type, `${fc.helper(`atomicCmpxchg${BITS[size]}`)}(${fc.memory(memory)}, ${ea}, ${args})`, size);
}

/** DataView accessors by access size: the load (zero-extending below 4 bytes) and the store. */
const GET: Readonly<Record<number, string>> = { 1: 'getUint8', 2: 'getUint16', 4: 'getInt32' };
const SET: Readonly<Record<number, string>> = { 1: 'setInt8', 2: 'setInt16', 4: 'setInt32' };
/** A narrow cmpxchg's expected value wrapped to the access size, as an int32 like the loaded old value. */
const WRAP: Readonly<Record<number, string>> = { 1: ' & 255', 2: ' & 65535', 4: ' | 0' };

/**
 * An atomic load, store, read-modify-write or compare-exchange on an unshared memory: no other
 * agent can see the memory, so it is the ordinary DataView access after the alignment check (the
 * spec's order: alignment, then bounds, which the DataView's RangeError is). Every read comes
 * before any write, and of two words the high one is written first, so a trap writes nothing.
 */
function plainAtomic(fc: FunctionCompiler, sub: number, memory: number, offset: number): void {
  const dv = fc.view(memory);
  const le = (size: number) => (size > 1 ? ', true' : '');
  if (sub < FIRST_STORE) {
    const [type, size] = GROUP[sub - FIRST_LOAD]!;
    const at = plainAddress(fc, fc.pop(), memory, offset, size);
    const t = fc.temp(size === 8 ? I64 : I32);
    if (size === 8) {
      fc.emit(`${t} = ${dv}.getInt32(${at}, true); ${t}h = ${dv}.getInt32(${at} + 4, true);`);
      fc.push(simpleEntry(I64, t, `${t}h`));
    } else {
      fc.emit(`${t} = ${dv}.${GET[size]}(${at}${le(size)});`);
      fc.push(type === I32 ? simpleEntry(I32, t) : simpleEntry(I64, t, '0'));
    }
    return afterAtomic(fc);
  }
  if (sub < FIRST_RMW) {
    const [type, size] = GROUP[sub - FIRST_STORE]!;
    const [addr, v0] = fc.popN(2) as [Entry, Entry];
    const at = plainAddress(fc, addr, memory, offset, size);
    if (size === 8) {
      const v = fc.pair(v0);
      fc.emit(`${dv}.setInt32(${at} + 4, ${v.hi}, true); ${dv}.setInt32(${at}, ${v.code}, true);`);
    } else {
      fc.emit(`${dv}.${SET[size]}(${at}, ${type === I32 ? operand(v0) : v0.code}${le(size)});`);
    }
    return afterAtomic(fc);
  }
  if (sub < FIRST_CMPXCHG) {
    const k = sub - FIRST_RMW;
    const [type, size] = GROUP[k % 7]!;
    const op = Math.floor(k / 7);
    const [addr, v0] = fc.popN(2) as [Entry, Entry];
    const at = plainAddress(fc, addr, memory, offset, size);
    const t = fc.temp(size === 8 ? I64 : I32);
    if (size === 8) {
      const v = fc.pair(v0);
      fc.emit(`${t} = ${dv}.getInt32(${at}, true); ${t}h = ${dv}.getInt32(${at} + 4, true);`);
      let lo: string, hi: string;
      if (op === 0 || op === 1) {
        // add/sub: the low halves' unsigned sum or difference decides the carry or borrow.
        const s = fc.temp(F64);
        fc.emit(`${s} = (${t} >>> 0) ${op === 0 ? '+' : '-'} ((${v.code}) >>> 0);`);
        lo = s;
        hi = op === 0 ? `${t}h + (${v.hi}) + (${s} > 4294967295 ? 1 : 0)` : `${t}h - (${v.hi}) - (${s} < 0 ? 1 : 0)`;
      } else if (op === 5) {
        lo = v.code;
        hi = v.hi;
      } else {
        const o = RMW_OPS[op]!;
        lo = `${t} ${o} (${v.code})`;
        hi = `${t}h ${o} (${v.hi})`;
      }
      fc.emit(`${dv}.setInt32(${at} + 4, ${hi}, true); ${dv}.setInt32(${at}, ${lo}, true);`);
      fc.push(simpleEntry(I64, t, `${t}h`));
    } else {
      const v = type === I32 ? operand(v0) : v0.code;
      fc.emit(`${t} = ${dv}.${GET[size]}(${at}${le(size)});`);
      fc.emit(`${dv}.${SET[size]}(${at}, ${op === 5 ? v : `${t} ${RMW_OPS[op]} (${v})`}${le(size)});`);
      fc.push(type === I32 ? simpleEntry(I32, t) : simpleEntry(I64, t, '0'));
    }
    return afterAtomic(fc);
  }
  const [type, size] = GROUP[sub - FIRST_CMPXCHG]!;
  const [addr, e0, r0] = fc.popN(3) as [Entry, Entry, Entry];
  const at = plainAddress(fc, addr, memory, offset, size);
  const t = fc.temp(size === 8 ? I64 : I32);
  if (size === 8) {
    const e = fc.pair(e0);
    const r = fc.pair(r0);
    fc.emit(`${t} = ${dv}.getInt32(${at}, true); ${t}h = ${dv}.getInt32(${at} + 4, true);`);
    fc.emit(`if (${t} === (${e.code} | 0) && ${t}h === (${e.hi} | 0)) { ${dv}.setInt32(${at} + 4, ${r.hi}, true); ${dv}.setInt32(${at}, ${r.code}, true); }`);
    fc.push(simpleEntry(I64, t, `${t}h`));
  } else {
    const e = type === I32 ? operand(e0) : e0.code;
    const r = type === I32 ? operand(r0) : r0.code;
    fc.emit(`${t} = ${dv}.${GET[size]}(${at}${le(size)});`);
    fc.emit(`if (${t} === ((${e})${WRAP[size]})) ${dv}.${SET[size]}(${at}, ${r}${le(size)});`);
    fc.push(type === I32 ? simpleEntry(I32, t) : simpleEntry(I64, t, '0'));
  }
  afterAtomic(fc);
}

/** The JS operators of and, or and xor, by read-modify-write operator number. */
const RMW_OPS: Readonly<Record<number, string>> = { 0: '+', 1: '-', 2: '&', 3: '|', 4: '^' };

/** The effective address in a temp, after the alignment trap (memory64's is emitted by address). */
function plainAddress(fc: FunctionCompiler, addr: Entry, memory: number, offset: number, size: number): string {
  const a = address(fc, addr, memory, offset, size);
  const at = fc.temp(F64);
  fc.emit(`${at} = ${a};`);
  if (size > 1 && !fc.mc.module.memories[memory]!.address64) fc.emit(`if ((${at} & ${size - 1}) !== 0) ${fc.helper('trapUnaligned')}();`);
  return at;
}

/**
 * memory.size of a shared memory: a sequentially consistent read of the size (the getter of the
 * live object), after which this function's views are re-read, so that an access the size just
 * allowed (another agent grew the memory) does not trap against a view of the older size.
 */
export function compileSharedMemorySize(fc: FunctionCompiler, index: number): void {
  const address64 = fc.mc.module.memories[index]!.address64;
  fc.spillNonPure();
  const t = fc.temp(address64 ? I64 : I32);
  const m = fc.memory(index);
  fc.emit(address64 ? `${t} = ${m}.pages; ${t}h = 0;` : `${t} = ${m}.pages;`);
  fc.reloadViews();
  fc.push(simpleEntry(address64 ? I64 : I32, t, address64 ? `${t}h` : ''));
}

/**
 * The effective address as an exact double: `(addr >>> 0) + offset`, or a memory64 address from its
 * halves. Above 2^53 a memory64 address is not exact, but its low bits decide alignment, which the
 * spec checks before bounds: those are checked here, from the low half, before the helper runs.
 */
function address(fc: FunctionCompiler, addr: Entry, memory: number, offset: number, size: number): string {
  if (!fc.mc.module.memories[memory]!.address64) {
    const k = addr.simple ? literal(addr.code) : null;
    if (k !== null) return String((k >>> 0) + offset);
    return offset === 0 ? u32(addr) : `${u32(addr)} + ${offset}`;
  }
  const a = fc.materialize(fc.pair(addr));
  if (size > 1) fc.emit(`if (((${a.code} + ${offset % size}) & ${size - 1}) !== 0) ${fc.helper('trapUnaligned')}();`);
  const base = fc.index64(a);
  return offset === 0 ? base : `${base} + ${offset}`;
}

/** An operand's value for a helper: an i32, the low half of an i64 for narrow accesses, both halves for 64-bit ones. */
function value(fc: FunctionCompiler, type: ValType, size: number, v: Entry): string {
  if (type === I32) return operand(v);
  if (size < 8) return v.code;
  return halves(fc, v);
}

function halves(fc: FunctionCompiler, v: Entry): string {
  const p = fc.pair(v);
  return `${p.code}, ${p.hi}`;
}

/** Emits `t = call` and pushes t; for i64 results the high half is RI[0] (64-bit) or 0 (zero-extended). */
function result(fc: FunctionCompiler, type: ValType, call: string, size = 4): void {
  const t = fc.temp(size === 8 ? I64 : I32);
  if (type === I32) {
    fc.emit(`${t} = ${call};`);
    fc.push(simpleEntry(I32, t));
  } else if (size === 8) {
    fc.emit(`${t} = ${call}; ${t}h = RI[0];`);
    fc.push(simpleEntry(I64, t, `${t}h`));
  } else {
    fc.emit(`${t} = ${call};`);
    fc.push(simpleEntry(I64, t, '0'));
  }
  afterAtomic(fc);
}

/**
 * An atomic operation is a synchronisation point: another agent may have grown a shared memory
 * before it, so views are re-read (a shared memory's view getter syncs). Unshared memories cannot
 * change size here.
 */
function afterAtomic(fc: FunctionCompiler): void {
  if (fc.mc.module.memories.some((m) => m.shared)) fc.reloadViews();
}
