// A tiny test-only encoder of module bytes: LEB128, sections and the few entry shapes the
// validator tests need, so that tests do not depend on the text parser.

import { utf8Bytes } from '../../src/core/utf8.js';

export type Bytes = readonly number[];

export function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function s32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A signed LEB128 of a 64-bit value (taken as its two's complement: 2^63 and more wrap). */
export function s64(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asIntN(64, value);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function vec(items: readonly Bytes[]): number[] {
  return [...u32(items.length), ...items.flat()];
}

export function str(s: string): number[] {
  const b = [...utf8Bytes(s)];
  return [...u32(b.length), ...b];
}

export const i32 = 0x7f;
export const i64 = 0x7e;
export const f32 = 0x7d;
export const f64 = 0x7c;
export const v128 = 0x7b;
export const funcref = 0x70;
export const externref = 0x6f;
export const anyref = 0x6e;
export const eqref = 0x6d;
export const i31ref = 0x6c;
export const structref = 0x6b;
export const nullref = 0x71;

/** `(ref null? ht)` where ht is a type index (>= 0) or an abstract heap type byte (0x6a..0x74). */
export function ref(ht: number, nullable = false): number[] {
  const heap = ht >= 0x60 ? [ht] : s32(ht);
  return [nullable ? 0x63 : 0x64, ...heap];
}
/** `(ref null? (exact x))` (custom descriptors). */
export function exactRef(x: number, nullable = false): number[] {
  return [nullable ? 0x63 : 0x64, 0x62, ...u32(x)];
}

export type ValT = number | Bytes;
function val(t: ValT): number[] {
  return typeof t === 'number' ? [t] : [...t];
}

export function func(params: readonly ValT[], results: readonly ValT[]): number[] {
  return [0x60, ...vec(params.map(val)), ...vec(results.map(val))];
}
export function struct(fields: readonly [ValT, boolean][]): number[] {
  return [0x5f, ...vec(fields.map(([t, m]) => [...val(t), m ? 1 : 0]))];
}
export function array(t: ValT, mutable: boolean): number[] {
  return [0x5e, ...val(t), mutable ? 1 : 0];
}
/** `(sub final? supers composite)`. */
export function sub(supers: readonly number[], composite: Bytes, final = false): number[] {
  return [final ? 0x4f : 0x50, ...vec(supers.map((s) => u32(s))), ...composite];
}
export function rec(...types: readonly Bytes[]): number[] {
  return [0x4e, ...vec(types)];
}

export function section(id: number, contents: Bytes): number[] {
  return [id, ...u32(contents.length), ...contents];
}

/** Type section: each entry is a rec group, a sub type or a bare composite type. */
export const typeSec = (entries: readonly Bytes[]) => section(1, vec(entries));
export const importSec = (entries: readonly Bytes[]) => section(2, vec(entries));
export const funcSec = (typeIndices: readonly number[]) => section(3, vec(typeIndices.map((x) => u32(x))));
export const tableSec = (entries: readonly Bytes[]) => section(4, vec(entries));
export const memSec = (entries: readonly Bytes[]) => section(5, vec(entries));
export const tagSec = (typeIndices: readonly number[]) => section(13, vec(typeIndices.map((x) => [0, ...u32(x)])));
export const globalSec = (entries: readonly Bytes[]) => section(6, vec(entries));
export const exportSec = (entries: readonly Bytes[]) => section(7, vec(entries));
export const startSec = (f: number) => section(8, u32(f));
export const elemSec = (entries: readonly Bytes[]) => section(9, vec(entries));
export const dataCountSec = (n: number) => section(12, u32(n));
export const dataSec = (entries: readonly Bytes[]) => section(11, vec(entries));

/** A code section entry: local declarations as [count, type] and the instructions (without the final end). */
export function body(locals: readonly [number, ValT][], code: Bytes): number[] {
  const inner = [...vec(locals.map(([n, t]) => [...u32(n), ...val(t)])), ...code, 0x0b];
  return [...u32(inner.length), ...inner];
}
/** A code section entry whose instruction bytes are taken as they are (no `end` added). */
export function rawBody(locals: readonly [number, ValT][], code: Bytes): number[] {
  const inner = [...vec(locals.map(([n, t]) => [...u32(n), ...val(t)])), ...code];
  return [...u32(inner.length), ...inner];
}
export const codeSec = (bodies: readonly Bytes[]) => section(10, vec(bodies));

export function global(t: ValT, mutable: boolean, init: Bytes): number[] {
  return [...val(t), mutable ? 1 : 0, ...init, 0x0b];
}
export function exportEntry(name: string, kind: number, index: number): number[] {
  return [...str(name), kind, ...u32(index)];
}
export function importEntry(module: string, name: string, desc: Bytes): number[] {
  return [...str(module), ...str(name), ...desc];
}

export function moduleBytes(...sections: readonly Bytes[]): Uint8Array {
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}

/** A module of one type section entry list and functions of the given type index and body. */
export function funcModule(types: readonly Bytes[], funcs: readonly { type: number; locals?: [number, ValT][]; code: Bytes }[], extra: readonly Bytes[] = []): Uint8Array {
  return moduleBytes(
    typeSec(types),
    funcSec(funcs.map((f) => f.type)),
    ...extra,
    codeSec(funcs.map((f) => body(f.locals ?? [], f.code))),
  );
}

// Instruction helpers
export const op = {
  unreachable: 0x00, nop: 0x01, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b,
  br: 0x0c, brIf: 0x0d, brTable: 0x0e, return: 0x0f, call: 0x10, drop: 0x1a, select: 0x1b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22, globalGet: 0x23, globalSet: 0x24,
  i32Const: 0x41, i64Const: 0x42, i32Add: 0x6a, i32DivS: 0x6d, i64Add: 0x7c, refNull: 0xd0,
  refIsNull: 0xd1, refFunc: 0xd2, refAsNonNull: 0xd4, brOnNull: 0xd5, brOnNonNull: 0xd6,
  gc: 0xfb, misc: 0xfc,
} as const;
