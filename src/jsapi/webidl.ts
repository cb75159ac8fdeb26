// The WebIDL conversions the JS API's signatures imply: [EnforceRange] unsigned long, enums,
// dictionaries, sequences, objects, BufferSource copies, and the AddressValue <-> u64 operations.

import { isObject } from '../runtime/host-values.js';

export { isObject };

/** Throws a TypeError unless at least `n` arguments were passed (WebIDL's required-argument check). */
export function requireArgs(count: number, n: number, what: string): void {
  if (count < n) throw new TypeError(`${what}: ${n} argument${n === 1 ? '' : 's'} required, but only ${count} present`);
}

/** WebIDL `DOMString`: ToString, which throws a TypeError for symbols (unlike `String(x)`). */
export function toDOMString(v: unknown): string {
  return `${v as string}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** WebIDL USVString: a DOMString with lone surrogates replaced by U+FFFD (toWellFormed, where engines lack it). */
export function toUSVString(v: unknown): string {
  return toDOMString(v).replace(LONE_SURROGATE, '\uFFFD');
}

/** WebIDL `[EnforceRange] unsigned long`: a TypeError for NaN, infinities and values outside [0, 2^32). */
export function enforceRangeU32(v: unknown, what: string): number {
  const x = +(v as number); // ToNumber: throws a TypeError for BigInt and Symbol, as WebIDL does.
  if (!Number.isFinite(x)) throw new TypeError(`${what}: ${String(x)} is not a finite number`);
  const n = Math.trunc(x) + 0; // `+ 0` turns -0 into +0
  if (n < 0 || n > 0xffffffff) throw new TypeError(`${what}: ${n} is outside the range of an unsigned 32-bit integer`);
  return n;
}

/**
 * ECMAScript's ToBigInt without wrapping: `BigInt.asIntN` performs exactly ToBigInt on its second
 * argument (TypeError for numbers, undefined, null and symbols; SyntaxError for bad strings), and with
 * 2^53 - 1 bits it returns every BigInt unchanged.
 */
export function toBigInt(v: unknown): bigint {
  return BigInt.asIntN(Number.MAX_SAFE_INTEGER, v as bigint);
}

/** An address type of the JS API ("i32" or "i64", the `AddressType` enum). */
export type AddressType = 'i32' | 'i64';

/** AddressValueToU64: [EnforceRange] unsigned long for "i32", a BigInt in [0, 2^64) for "i64". */
export function addressValueToU64(v: unknown, type: AddressType, what: string): bigint | number {
  if (type === 'i32') return enforceRangeU32(v, what);
  const n = toBigInt(v);
  if (n < 0n || n > 0xffffffffffffffffn) throw new TypeError(`${what}: ${n} is outside the range of an unsigned 64-bit integer`);
  return n;
}

/** U64ToAddressValue: a Number for "i32", a BigInt for "i64". */
export function u64ToAddressValue(v: number, type: AddressType): number | bigint {
  return type === 'i32' ? v : BigInt(v);
}

/** A u64 from addressValueToU64 as a JS number, saturated: values beyond 2^53 only ever fail a limit check. */
export function u64ToNumber(v: bigint | number): number {
  return typeof v === 'number' ? v : v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** WebIDL enum conversion: ToString, then a TypeError unless the string is one of `values`. */
export function toEnum<T extends string>(v: unknown, values: readonly T[], what: string): T {
  const s = toDOMString(v);
  if (!(values as readonly string[]).includes(s)) throw new TypeError(`${what}: '${s}' is not one of ${values.map((x) => `'${x}'`).join(', ')}`);
  return s as T;
}

/**
 * The first step of converting a value to a WebIDL dictionary: undefined and null are the empty
 * dictionary, other non-objects a TypeError. Members are then read with `Get`, in lexicographic order.
 */
export function dictionary(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new TypeError(`${what}: the descriptor must be an object`);
  return v as Record<string, unknown>;
}

/** A required dictionary member: a TypeError when it is undefined. */
export function required(d: Record<string, unknown>, key: string, what: string): unknown {
  const v = d[key];
  if (v === undefined) throw new TypeError(`${what}: the descriptor property '${key}' is required`);
  return v;
}

/** WebIDL `sequence<T>` from an iterable object (the element conversion is the caller's). */
export function sequence(v: unknown, what: string): unknown[] {
  if (!isObject(v)) throw new TypeError(`${what}: expected a sequence (an iterable object)`);
  const method = (v as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof method !== 'function') throw new TypeError(`${what}: expected a sequence (an iterable object)`);
  const out: unknown[] = [];
  for (const x of { [Symbol.iterator]: () => method.call(v) as Iterator<unknown> }) out.push(x);
  return out;
}

/**
 * WebIDL's "get a copy of the bytes held by the buffer source" for [AllowShared, AllowResizable]
 * BufferSource: an ArrayBuffer, SharedArrayBuffer or view (a detached one gives no bytes); a
 * TypeError for anything else.
 */
export function copyBufferSource(v: unknown, what: string): Uint8Array {
  if (ArrayBuffer.isView(v)) {
    // A view of a detached buffer has length 0 and cannot be re-viewed.
    if (v.byteLength === 0) return new Uint8Array(0);
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  }
  const length = bufferByteLength(v);
  if (length === null) throw new TypeError(`${what}: the argument must be an ArrayBuffer or a typed array`);
  return length === 0 ? new Uint8Array(0) : new Uint8Array(v as ArrayBuffer).slice();
}

// The byteLength getters check the internal slots, so this recognises buffers from other realms too.
const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const SAB = (globalThis as { SharedArrayBuffer?: { prototype: object } }).SharedArrayBuffer;
const sabByteLength = SAB ? Object.getOwnPropertyDescriptor(SAB.prototype, 'byteLength')?.get : undefined;

/** The byte length of an ArrayBuffer or SharedArrayBuffer (0 when detached), or null for anything else. */
function bufferByteLength(v: unknown): number | null {
  if (!isObject(v)) return null;
  try {
    return abByteLength.call(v) as number;
  } catch {
    if (sabByteLength === undefined) return null;
    try {
      return sabByteLength.call(v) as number;
    } catch {
      return null;
    }
  }
}

/** WebIDL's check of `this`: a method or accessor called on an object of another interface. */
export function notReceiver(what: string, iface: string): never {
  throw new TypeError(`${what}: the receiver is not a WebAssembly.${iface}`);
}
