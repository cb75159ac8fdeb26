// Every runtime helper that generated SIMD code calls, by name: the name of each instruction's
// helper is its mnemonic with '_' for '.' (i8x16.add_sat_s -> i8x16_add_sat_s).

import { SIMD_FLOAT_HELPERS } from './simd-float.js';
import { SIMD_INT_HELPERS } from './simd-int.js';
import { SIMD_LANE_HELPERS } from './simd-moves.js';
import { SIMD_MEMORY_HELPERS } from './simd-memory.js';
import { SIMD_RELAXED_HELPERS } from './simd-relaxed.js';
import { V128 } from './simd-value.js';

/** Lane saturation and 8-bit population count for the inline lowering: small enough for V8 to always inline. */
function vsat(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
function vpopcnt8(x: number): number {
  x -= (x >>> 1) & 0x55;
  x = (x & 0x33) + ((x >>> 2) & 0x33);
  return (x + (x >>> 4)) & 0x0f;
}

/**
 * Scratch for the inline lowering's bit conversions, `(SI32[0] = w, SF32[0])` and the like: one
 * 8-byte buffer seen as f32, f64 and int32 (a write and the read after it are one JS expression).
 * The scalar copysign template reads a sign bit through it too.
 */
const SF64 = new Float64Array(1);
const SF32 = new Float32Array(SF64.buffer);
const SI32 = new Int32Array(SF64.buffer);

/**
 * Scratch for the inline i8x16.swizzle: the operand's words go into the first 16 bytes, and each
 * result byte is SWZ8[index]. The other 240 bytes are never written, so an index of 16 or more
 * reads 0, as swizzle wants, without a test.
 */
const SWZ8 = new Uint8Array(256);
const SWZ32 = new Int32Array(SWZ8.buffer, 0, 4);

export const SIMD_HELPERS = {
  V128, ...SIMD_INT_HELPERS, ...SIMD_FLOAT_HELPERS, ...SIMD_LANE_HELPERS, ...SIMD_MEMORY_HELPERS, ...SIMD_RELAXED_HELPERS,
  vsat, vpopcnt8, SF64, SF32, SI32, SWZ8, SWZ32,
};
