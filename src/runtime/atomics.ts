// The runtime side of the threads proposal: atomic loads, stores, read-modify-writes and
// compare-exchanges through Atomics, memory.atomic.wait/notify, atomic.fence, and their traps.

import { TrapCode } from '../core/errors.js';
import type { MemoryObject } from './memory.js';
import { LiveSharedMemory, type AtomicArrays } from './shared-memory.js';
import { RI } from './slots.js';
import { makeTrap, trapMemory } from './traps.js';

/** What generated code passes as a memory: the MemoryObject, or a shared memory's live object. */
type Mem = MemoryObject | LiveSharedMemory;

export function trapUnaligned(): never {
  throw makeTrap(TrapCode.HeapMisaligned);
}

/**
 * Unshared memories get Atomics views of their current buffer (replaced when they grow), made on
 * first need. Atomics on non-shared typed arrays are plain accesses, which is all a memory that no
 * other agent can see needs; wasm code compiled for threads but run without them goes this way.
 */
const plainArrays = new WeakMap<Uint8Array, AtomicArrays>();

function arraysOf(m: Mem): AtomicArrays {
  if (m instanceof LiveSharedMemory) return m.owner.atomicArrays();
  // Keyed by the memory's byte view, which every grow replaces (the buffer may stay).
  let a = plainArrays.get(m.bytes);
  if (a === undefined) {
    const buffer = m.bytes.buffer;
    const length = m.bytes.length;
    a = {
      u8: new Uint8Array(buffer, 0, length), u16: new Uint16Array(buffer, 0, length >>> 1),
      i32: new Int32Array(buffer, 0, Math.floor(length / 4)), i64: new BigInt64Array(buffer, 0, Math.floor(length / 8)), length,
    };
    plainArrays.set(m.bytes, a);
  }
  return a;
}

/** The spec's order: the alignment trap first, then the bounds check (against the size observed now). */
function at(m: Mem, ea: number, size: number): AtomicArrays {
  if (ea % size !== 0) trapUnaligned();
  const a = arraysOf(m);
  if (ea + size > a.length) trapMemory();
  return a;
}

// i64 values cross the Atomics boundary as BigInts, converted through one 8-byte scratch (no BigInt
// arithmetic): little-endian, like every typed-array view of wasm memory in tswasm.
const B64 = new BigInt64Array(1);
const W32 = new Int32Array(B64.buffer);
function join(lo: number, hi: number): bigint {
  W32[0] = lo;
  W32[1] = hi;
  return B64[0]!;
}
/** Returns the low half and leaves the high half in RI[0], like every i64-returning helper. */
function split(v: bigint): number {
  B64[0] = v;
  RI[0] = W32[1]!;
  return W32[0]!;
}

function atomicLoad8(m: Mem, ea: number): number {
  return Atomics.load(at(m, ea, 1).u8, ea);
}
function atomicLoad16(m: Mem, ea: number): number {
  return Atomics.load(at(m, ea, 2).u16, ea / 2);
}
function atomicLoad32(m: Mem, ea: number): number {
  return Atomics.load(at(m, ea, 4).i32, ea / 4);
}
function atomicLoad64(m: Mem, ea: number): number {
  return split(Atomics.load(at(m, ea, 8).i64, ea / 8));
}

function atomicStore8(m: Mem, ea: number, v: number): void {
  Atomics.store(at(m, ea, 1).u8, ea, v);
}
function atomicStore16(m: Mem, ea: number, v: number): void {
  Atomics.store(at(m, ea, 2).u16, ea / 2, v);
}
function atomicStore32(m: Mem, ea: number, v: number): void {
  Atomics.store(at(m, ea, 4).i32, ea / 4, v);
}
function atomicStore64(m: Mem, ea: number, lo: number, hi: number): void {
  Atomics.store(at(m, ea, 8).i64, ea / 8, join(lo, hi));
}

/** Read-modify-write operators, in the opcode table's order: add, sub, and, or, xor, xchg. */
export const RMW_ADD = 0, RMW_SUB = 1, RMW_AND = 2, RMW_OR = 3, RMW_XOR = 4, RMW_XCHG = 5;

type NarrowArray = Uint8Array | Uint16Array | Int32Array;

/** Returns the old value (zero-extended for 8 and 16 bits, an int32 for 32). */
function rmw(a: NarrowArray, i: number, v: number, op: number): number {
  switch (op) {
    case RMW_ADD: return Atomics.add(a, i, v);
    case RMW_SUB: return Atomics.sub(a, i, v);
    case RMW_AND: return Atomics.and(a, i, v);
    case RMW_OR: return Atomics.or(a, i, v);
    case RMW_XOR: return Atomics.xor(a, i, v);
    default: return Atomics.exchange(a, i, v);
  }
}
function rmw64(a: BigInt64Array, i: number, v: bigint, op: number): bigint {
  switch (op) {
    case RMW_ADD: return Atomics.add(a, i, v);
    case RMW_SUB: return Atomics.sub(a, i, v);
    case RMW_AND: return Atomics.and(a, i, v);
    case RMW_OR: return Atomics.or(a, i, v);
    case RMW_XOR: return Atomics.xor(a, i, v);
    default: return Atomics.exchange(a, i, v);
  }
}

function atomicRmw8(m: Mem, ea: number, v: number, op: number): number {
  return rmw(at(m, ea, 1).u8, ea, v, op);
}
function atomicRmw16(m: Mem, ea: number, v: number, op: number): number {
  return rmw(at(m, ea, 2).u16, ea / 2, v, op);
}
function atomicRmw32(m: Mem, ea: number, v: number, op: number): number {
  return rmw(at(m, ea, 4).i32, ea / 4, v, op);
}
function atomicRmw64(m: Mem, ea: number, lo: number, hi: number, op: number): number {
  return split(rmw64(at(m, ea, 8).i64, ea / 8, join(lo, hi), op));
}

// Atomics.compareExchange wraps `expected` to the element type, as wasm's narrow cmpxchg wraps it.
function atomicCmpxchg8(m: Mem, ea: number, expected: number, replacement: number): number {
  return Atomics.compareExchange(at(m, ea, 1).u8, ea, expected, replacement);
}
function atomicCmpxchg16(m: Mem, ea: number, expected: number, replacement: number): number {
  return Atomics.compareExchange(at(m, ea, 2).u16, ea / 2, expected, replacement);
}
function atomicCmpxchg32(m: Mem, ea: number, expected: number, replacement: number): number {
  return Atomics.compareExchange(at(m, ea, 4).i32, ea / 4, expected, replacement);
}
function atomicCmpxchg64(m: Mem, ea: number, elo: number, ehi: number, rlo: number, rhi: number): number {
  const a = at(m, ea, 8).i64;
  const expected = join(elo, ehi);
  return split(Atomics.compareExchange(a, ea / 8, expected, join(rlo, rhi)));
}

/** memory.atomic.notify: how many waiters were woken; 0 on an unshared memory (nobody can wait there). */
function atomicNotify(m: Mem, ea: number, count: number): number {
  const a = at(m, ea, 4);
  if (!(m instanceof LiveSharedMemory)) return 0;
  return Atomics.notify(a.i32, ea / 4, count >>> 0);
}

/**
 * A wait's timeout in nanoseconds (an i64; negative: forever) as Atomics.wait's milliseconds, at
 * most 2^62 ns (146 years): V8 answers "timed-out" at once for milliseconds near i64.max ns.
 */
function timeoutMs(lo: number, hi: number): number {
  return hi < 0 ? Infinity : Math.min((hi >>> 0) * 4294967296 + (lo >>> 0), 2 ** 62) / 1e6;
}

/** The checks of both waits, in the spec's order: alignment, then shared, then bounds. */
function waitArrays(m: Mem, ea: number, size: number): AtomicArrays {
  if (ea % size !== 0) trapUnaligned();
  if (!(m instanceof LiveSharedMemory)) throw makeTrap(TrapCode.AtomicWaitNonSharedMemory);
  const a = m.owner.atomicArrays();
  if (ea + size > a.length) trapMemory();
  return a;
}

const WAIT_RESULTS: Readonly<Record<string, number>> = { ok: 0, 'not-equal': 1, 'timed-out': 2 };

/** Atomics.wait throws a TypeError where the agent may not block (a browser's main thread). */
function cannotBlock(e: unknown): never {
  if (e instanceof TypeError) {
    throw makeTrap(TrapCode.HostError, `memory.atomic.wait cannot block on this thread (${e.message}): run the waiting code in a Worker`);
  }
  throw e;
}

/** memory.atomic.wait32: 0 woken, 1 the value differed, 2 timed out. */
function atomicWait32(m: Mem, ea: number, expected: number, tlo: number, thi: number): number {
  const a = waitArrays(m, ea, 4);
  try {
    return WAIT_RESULTS[Atomics.wait(a.i32, ea / 4, expected, timeoutMs(tlo, thi))]!;
  } catch (e) {
    return cannotBlock(e);
  }
}
function atomicWait64(m: Mem, ea: number, elo: number, ehi: number, tlo: number, thi: number): number {
  const a = waitArrays(m, ea, 8);
  try {
    return WAIT_RESULTS[Atomics.wait(a.i64, ea / 8, join(elo, ehi), timeoutMs(tlo, thi))]!;
  } catch (e) {
    return cannotBlock(e);
  }
}

/**
 * atomic.fence: JS has no fence, but every Atomics read-modify-write is sequentially consistent
 * (a locked instruction on x64, a full barrier on ARM), so one on a private cell orders like one.
 */
const FENCE = new Int32Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : new ArrayBuffer(4));
function atomicFence(): void {
  Atomics.add(FENCE, 0, 0);
}

/** The helpers generated code calls for the threads proposal, by the names it uses. */
export const ATOMIC_HELPERS = {
  trapUnaligned,
  atomicLoad8, atomicLoad16, atomicLoad32, atomicLoad64,
  atomicStore8, atomicStore16, atomicStore32, atomicStore64,
  atomicRmw8, atomicRmw16, atomicRmw32, atomicRmw64,
  atomicCmpxchg8, atomicCmpxchg16, atomicCmpxchg32, atomicCmpxchg64,
  atomicNotify, atomicWait32, atomicWait64, atomicFence,
};
