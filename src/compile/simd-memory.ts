// v128 loads and stores (every load variant, lane loads and stores) through the memory's DataView,
// whose bounds check is the trap. Loads read every lane into temps where they occur (so they trap there).

import { Imm, type OpInfo } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';
import { F32, F64, I32, V128 } from '../core/types.js';
import { consumerOf } from './consumer.js';
import { derived, type Entry } from './entry.js';
import { operand, type FunctionCompiler } from './function-compiler.js';
import { operandView } from './simd-inline.js';
import { isSimple, lanesOf, paren, pushLanes, tempLanes, viewOf, type LaneKind } from './simd-lanes.js';
import { simdHelperName } from './simd-names.js';

/** `inline`: lane temps and DataView calls in the generated code; `helpers`: one runtime helper call each. */
export function compileSimdMemory(fc: FunctionCompiler, op: OpInfo, inline: boolean): void {
  // The memarg object is the compiler's scratch: take its fields before anything else reads one.
  const { memory, offset } = fc.readMemArg();
  const lane = op.imm === Imm.MemArgLane ? fc.r.u8() : -1;
  if (!inline) return viaHelper(fc, op, memory, offset, lane);
  const withVector = op.params!.length === 2;
  const [addr, vector] = fc.popN(withVector ? 2 : 1) as [Entry, Entry | undefined];
  // Every access here is evaluated in place: what is below it on the stack goes first.
  fc.spillNonPure();
  const at = addressTemp(fc, addr, memory, offset);
  const dv = fc.view(memory);
  const place = (k: number) => (k ? `${at} + ${k}` : at);
  const get = (method: string, k: number) => `${dv}.${method}(${place(k)}${method.endsWith('8') ? '' : ', true'})`;
  const set = (method: string, k: number, x: string) => `${dv}.${method}(${place(k)}, ${x}${method.endsWith('8') ? '' : ', true'});`;
  const quietStore = op.code === Op.V128Store && vector!.pure && viewOf(vector!)?.kind === 'f32' && viewOf(vector!)?.quiet === true;
  const v = vector === undefined || quietStore ? [] : vector.pure ? lanesOf(fc, vector, 'i32') : tempLanes(fc, 'i32', lanesOf(fc, vector, 'i32'));
  switch (op.code) {
    case Op.V128Load: return load(fc, get);
    case Op.V128Store: {
      // The highest word first: if it is in bounds the whole access is, so a trap never leaves part of a store.
      // f32 lanes computed by arithmetic (never signalling NaNs) are stored as floats, which is exact for them.
      const form = viewOf(vector!);
      if (vector!.pure && form?.kind === 'f32' && form.quiet === true) {
        fc.emit([12, 0, 4, 8].map((k) => set('setFloat32', k, form.lanes[k / 4]!)).join(' '));
      } else {
        fc.emit([12, 0, 4, 8].map((k) => set('setInt32', k, v[k / 4]!)).join(' '));
      }
      return;
    }
    case Op.V128Load8x8S: case Op.V128Load8x8U: {
      const m = op.code === Op.V128Load8x8S ? 'getInt8' : 'getUint8';
      return words(fc, [0, 2, 4, 6].map((k) => `(${get(m, k)} & 65535) | (${get(m, k + 1)} << 16)`));
    }
    case Op.V128Load16x4S: return words(fc, [0, 2, 4, 6].map((k) => get('getInt16', k)));
    case Op.V128Load16x4U: return words(fc, [0, 2, 4, 6].map((k) => get('getUint16', k)));
    case Op.V128Load32x2S: case Op.V128Load32x2U: {
      const [x, y] = temps(fc, [get('getInt32', 0), get('getInt32', 4)]);
      const u = op.code === Op.V128Load32x2U;
      return pushLanes(fc, 'i32', [x!, u ? '0' : `(${x} >> 31)`, y!, u ? '0' : `(${y} >> 31)`], []);
    }
    case Op.V128Load8Splat: return splat(fc, `Math.imul(${get('getUint8', 0)}, 16843009)`);
    case Op.V128Load16Splat: return splat(fc, `Math.imul(${get('getUint16', 0)}, 65537)`);
    case Op.V128Load32Splat: return splat(fc, get('getInt32', 0));
    case Op.V128Load64Splat: {
      const [lo, hi] = temps(fc, [get('getInt32', 0), get('getInt32', 4)]);
      return pushLanes(fc, 'i32', [lo!, hi!, lo!, hi!], []);
    }
    case Op.V128Load32Zero: return words(fc, [get('getInt32', 0), '0', '0', '0']);
    case Op.V128Load64Zero: return words(fc, [get('getInt32', 0), get('getInt32', 4), '0', '0']);
    case Op.V128Load8Lane: case Op.V128Load16Lane: {
      const bits = op.code === Op.V128Load8Lane ? 8 : 16;
      const [x] = temps(fc, [get(bits === 8 ? 'getUint8' : 'getUint16', 0)]);
      const k = (lane * bits) >> 5;
      const s = (lane * bits) & 31;
      const mask = ~(((1 << bits) - 1) << s);
      return pushLanes(fc, 'i32', v.map((w, i) => (i === k ? `(${paren(w)} & ${mask}) | (${x} << ${s})` : w)), [vector!]);
    }
    case Op.V128Load32Lane: {
      const [x] = temps(fc, [get('getInt32', 0)]);
      return pushLanes(fc, 'i32', v.map((w, i) => (i === lane ? x! : w)), [vector!]);
    }
    case Op.V128Load64Lane: {
      const [lo, hi] = temps(fc, [get('getInt32', 0), get('getInt32', 4)]);
      return pushLanes(fc, 'i32', v.map((w, i) => (i === 2 * lane ? lo! : i === 2 * lane + 1 ? hi! : w)), [vector!]);
    }
    case Op.V128Store8Lane: case Op.V128Store16Lane: {
      const bits = op.code === Op.V128Store8Lane ? 8 : 16;
      const w = v[(lane * bits) >> 5]!;
      const s = (lane * bits) & 31;
      fc.emit(set(bits === 8 ? 'setUint8' : 'setUint16', 0, s ? `${paren(w)} >>> ${s}` : w));
      return;
    }
    case Op.V128Store32Lane:
      fc.emit(set('setInt32', 0, v[lane]!));
      return;
    case Op.V128Store64Lane:
      // The high word first, as v128.store.
      fc.emit(`${set('setInt32', 4, v[2 * lane + 1]!)} ${set('setInt32', 0, v[2 * lane]!)}`);
      return;
  }
  throw new Error(`SIMD memory lowering: unhandled ${op.name}`);
}

/**
 * v128.load: four int32 words, or f32/f64 lanes when the instruction that will use the value wants
 * those. Reading an f32 NaN through a double quiets it; that is harmless when the user is arithmetic
 * (tolerant), and otherwise the carriers of NaN lanes are rebuilt from the raw bits, as f32.load does.
 */
function load(fc: FunctionCompiler, get: (method: string, k: number) => string): void {
  const { kind, tolerant } = consumerView(fc);
  if (kind === 'f64') return pushLanes(fc, 'f64', temps(fc, [get('getFloat64', 0), get('getFloat64', 8)], F64), []);
  if (kind === 'i32') return words(fc, [0, 4, 8, 12].map((k) => get('getInt32', k)));
  const t = temps(fc, [0, 4, 8, 12].map((k) => get('getFloat32', k)), F32);
  if (!tolerant) {
    const fix = fc.helper('f32FromBits');
    fc.emit(t.map((x, i) => `if (${x} !== ${x}) ${x} = ${fix}(${get('getInt32', 4 * i)});`).join(' '));
  }
  pushLanes(fc, 'f32', t, [], tolerant);
}

function words(fc: FunctionCompiler, lanes: string[]): void {
  pushLanes(fc, 'i32', temps(fc, lanes), []);
}
function splat(fc: FunctionCompiler, word: string): void {
  const [w] = temps(fc, [word]);
  pushLanes(fc, 'i32', [w!, w!, w!, w!], []);
}

/** Evaluates each expression into a new temp now (literals stay), in order. */
function temps(fc: FunctionCompiler, exprs: string[], type = I32): string[] {
  return exprs.map((x) => {
    if (/^\d+$/.test(x)) return x;
    const t = fc.temp(type);
    fc.emit(`${t} = ${x};`);
    return t;
  });
}

/**
 * The effective address `(addr >>> 0) + offset` as a literal or a temp, never wrapped, so that
 * DataView's bounds check sees the true address; a 64-bit address becomes a double, exact below
 * 2^53 and out of bounds above.
 */
function addressTemp(fc: FunctionCompiler, addr: Entry, memory: number, offset: number): string {
  const m64 = fc.mc.module.memories[memory]!.address64;
  const k = !m64 && addr.simple && /^\(?-?\d+\)?$/.test(addr.code) ? Number(addr.code.replace(/[()]/g, '')) : null;
  if (k !== null) return String((k >>> 0) + offset);
  const base = m64 ? fc.index64(addr) : `${operand(addr)} >>> 0`;
  const a = offset === 0 ? base : `(${base}) + ${offset}`;
  if (isSimple(a)) return a;
  const t = fc.temp(F64);
  fc.emit(`${t} = ${a};`);
  return t;
}

const WORDS = { kind: 'i32', tolerant: false } as const;

/**
 * The view wanted by the instruction that will pop the value about to be pushed (consumer.ts);
 * when that is unknown, int32 words, which every use accepts.
 */
function consumerView(fc: FunctionCompiler): { kind: LaneKind; tolerant: boolean } {
  const c = consumerOf(fc);
  if (c === null) return WORDS;
  if (c.op.prefix === 0xfd) {
    const view = operandView(c.op.code, c.operand);
    // Where NaNs are boxed, a lane read as a double loses a NaN's bits (the engine canonicalises or
    // quiets it), and the instructions that keep them go through the helpers, which take words.
    return fc.mc.boxesNaNs && view.kind !== 'i32' && !view.tolerant ? WORDS : view;
  }
  if (c.op.code === Op.LocalSet || c.op.code === Op.LocalTee) {
    // A live range of a v128 local kept as float lanes (simd-locals.ts) takes them exactly.
    const { kind } = fc.v128Slot(new ByteReader(fc.r.bytes, c.at, fc.r.end).u32(), c.at - 1).view;
    return { kind, tolerant: false };
  }
  return WORDS;
}

/** The reference lowering: the runtime helper named after the instruction, on V128 objects. */
function viaHelper(fc: FunctionCompiler, op: OpInfo, memory: number, offset: number, lane: number): void {
  const helper = fc.helper(simdHelperName(op.name));
  const withVector = op.params!.length === 2;
  const operands = fc.popN(withVector ? 2 : 1);
  const addr = operands[0]!;
  const dv = fc.view(memory);
  let a: string;
  if (fc.mc.module.memories[memory]!.address64) {
    // index64 evaluates the address now: whatever is below it on the stack is evaluated first.
    fc.spillNonPure();
    a = fc.index64(addr);
  } else {
    a = `${operand(addr)} >>> 0`;
  }
  if (offset !== 0) a = `(${a}) + ${offset}`;
  const args = [dv, a];
  if (withVector) args.push(operands[1]!.code);
  if (lane >= 0) args.push(String(lane));
  const call = `${helper}(${args.join(', ')})`;
  if (op.results!.length === 0) {
    fc.statement(`${call};`);
    return;
  }
  fc.push(derived(V128, call, operands, false));
}
