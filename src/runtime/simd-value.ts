// The engine's v128 value: an immutable object of four int32 words (little-endian lanes), plus
// scratch lane views that runtime SIMD helpers use to read and write lanes of any shape.

/**
 * A 128-bit vector: word k holds bytes 4k..4k+3 in little-endian order (so i32x4 lane k is `wk`,
 * i64x2 lane k is the pair w(2k), w(2k+1)). Never mutated after construction: generated code shares
 * values freely between locals, globals, tables of results and constants.
 */
export class V128 {
  constructor(readonly w0: number, readonly w1: number, readonly w2: number, readonly w3: number) {}
}

/** The all-zero vector (the default value of v128 locals and globals). */
export const V128_ZERO = new V128(0, 0, 0, 0);

/**
 * Every lane view of one 16-byte buffer. Typed arrays use the platform's byte order; like the
 * rest of the runtime (float-bits.ts), this assumes a little-endian platform, so index k of a view
 * is lane k of the vector.
 */
export class Lanes {
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly i16: Int16Array;
  readonly u16: Uint16Array;
  readonly i8: Int8Array;
  readonly u8: Uint8Array;
  /** Reading an f32 signalling NaN through this view quiets it: use it for arithmetic only. */
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;
  constructor() {
    const b = new ArrayBuffer(16);
    this.i32 = new Int32Array(b);
    this.u32 = new Uint32Array(b);
    this.i16 = new Int16Array(b);
    this.u16 = new Uint16Array(b);
    this.i8 = new Int8Array(b);
    this.u8 = new Uint8Array(b);
    this.f32 = new Float32Array(b);
    this.f64 = new Float64Array(b);
    this.i64 = new BigInt64Array(b);
    this.u64 = new BigUint64Array(b);
  }
  /** Loads a vector into the scratch; returns this. */
  set(v: V128): this {
    const w = this.i32;
    w[0] = v.w0;
    w[1] = v.w1;
    w[2] = v.w2;
    w[3] = v.w3;
    return this;
  }
  /** The scratch's contents as a new vector. */
  get(): V128 {
    const w = this.i32;
    return new V128(w[0]!, w[1]!, w[2]!, w[3]!);
  }
}

/** Scratch for operands (A, B, C) and the result (R) of runtime helpers; helpers never nest. */
export const A = new Lanes();
export const B = new Lanes();
export const C = new Lanes();
export const R = new Lanes();

/** The views whose lanes are JS numbers. */
export type NumberView = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64';

/** `f` on each of the `n` lanes of view `v` (the result is stored through the same view). */
export function lanewise1(v: NumberView, n: number, f: (x: number) => number): (a: V128) => V128 {
  return (a) => {
    const x = A.set(a)[v];
    const r = R[v];
    for (let i = 0; i < n; i++) r[i] = f(x[i]!);
    return R.get();
  };
}

/** `f` on each pair of the `n` lanes of view `v` (the result is stored through the same view). */
export function lanewise2(v: NumberView, n: number, f: (x: number, y: number) => number): (a: V128, b: V128) => V128 {
  return (a, b) => {
    const x = A.set(a)[v];
    const y = B.set(b)[v];
    const r = R[v];
    for (let i = 0; i < n; i++) r[i] = f(x[i]!, y[i]!);
    return R.get();
  };
}

/** The unsigned 128-bit integer of a vector (the API's Val.v128 form). */
export function v128ToBigInt(v: V128): bigint {
  return (BigInt(v.w3 >>> 0) << 96n) | (BigInt(v.w2 >>> 0) << 64n) | (BigInt(v.w1 >>> 0) << 32n) | BigInt(v.w0 >>> 0);
}

/** The vector of a 128-bit integer (taken modulo 2^128). */
export function v128FromBigInt(x: bigint): V128 {
  const u = BigInt.asUintN(128, x);
  const word = (k: number) => Number(BigInt.asIntN(32, u >> BigInt(32 * k)));
  return new V128(word(0), word(1), word(2), word(3));
}

/** The 16 bytes of a vector, lane 0 first. */
export function v128ToBytes(v: V128): Uint8Array {
  return new Uint8Array(A.set(v).u8);
}

/** The vector of 16 bytes (lane 0 first). */
export function v128FromBytes(bytes: ArrayLike<number>): V128 {
  for (let i = 0; i < 16; i++) A.u8[i] = bytes[i]!;
  return A.get();
}

export function isV128(x: unknown): x is V128 {
  return x instanceof V128;
}
