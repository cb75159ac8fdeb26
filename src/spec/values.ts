// Compares what an engine returned with what a script expects: exact bits, NaN patterns, lane
// patterns, reference patterns and `either` alternatives.

import type { LanePattern, NanPattern, WastResult, WastValue } from '../text/wast-types.js';
import type { RawValue } from './engine.js';

const F32_CANONICAL = 0x7fc00000;
const F64_CANONICAL = 0x7ff8000000000000n;

function f32Matches(bits: number, nan: NanPattern): boolean {
  return nan === 'nan:canonical' ? (bits & 0x7fffffff) === F32_CANONICAL : (bits & 0x7fc00000) === 0x7fc00000;
}
function f64Matches(bits: bigint, nan: NanPattern): boolean {
  const magnitude = bits & 0x7fffffffffffffffn;
  return nan === 'nan:canonical' ? magnitude === F64_CANONICAL : (bits & 0x7ff8000000000000n) === 0x7ff8000000000000n;
}

const LANE_BITS = { i8x16: 8, i16x8: 16, i32x4: 32, i64x2: 64, f32x4: 32, f64x2: 64 } as const;

function laneAt(bytes: Uint8Array, index: number, width: number): bigint {
  let v = 0n;
  const size = width / 8;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[index * size + i]!);
  return v;
}

function laneMatches(actual: bigint, width: number, pattern: LanePattern): boolean {
  if (pattern.kind === 'bits') return actual === BigInt.asUintN(width, pattern.bits);
  return width === 32 ? f32Matches(Number(actual), pattern.nan) : f64Matches(actual, pattern.nan);
}

function valueMatches(actual: RawValue, expected: WastValue): boolean {
  switch (expected.type) {
    case 'i32': return actual.type === 'i32' && actual.bits >>> 0 === expected.bits >>> 0;
    case 'i64': return actual.type === 'i64' && BigInt.asUintN(64, actual.bits) === BigInt.asUintN(64, expected.bits);
    case 'f32': return actual.type === 'f32' && actual.bits >>> 0 === expected.bits >>> 0;
    case 'f64': return actual.type === 'f64' && BigInt.asUintN(64, actual.bits) === BigInt.asUintN(64, expected.bits);
    case 'v128':
      return actual.type === 'v128' && actual.bytes.length === 16 && actual.bytes.every((b, i) => b === expected.bytes[i]);
    case 'ref.null': return actual.type === 'ref' && actual.isNull;
    case 'ref.extern':
      return actual.type === 'ref' && !actual.isNull && actual.hostIndex === expected.index && actual.kind !== 'func';
    case 'ref.host':
      return actual.type === 'ref' && !actual.isNull && actual.hostIndex === expected.index;
  }
}

/** Heap kinds that a reference pattern like `(ref.eq)` accepts. */
const PATTERN_ACCEPTS: Readonly<Record<string, readonly string[]>> = {
  func: ['func'],
  extern: ['extern', 'host', 'struct', 'array', 'i31', 'any'],
  any: ['any', 'host', 'struct', 'array', 'i31'],
  eq: ['struct', 'array', 'i31'],
  struct: ['struct'],
  array: ['array'],
  i31: ['i31'],
  exn: ['exn'],
};

export function resultMatches(actual: RawValue, expected: WastResult): boolean {
  switch (expected.kind) {
    case 'value': return valueMatches(actual, expected.value);
    case 'nan':
      return expected.type === 'f32'
        ? actual.type === 'f32' && f32Matches(actual.bits >>> 0, expected.nan)
        : actual.type === 'f64' && f64Matches(BigInt.asUintN(64, actual.bits), expected.nan);
    case 'v128-lanes': {
      if (actual.type !== 'v128') return false;
      const width = LANE_BITS[expected.shape];
      return expected.lanes.every((lane, i) => laneMatches(laneAt(actual.bytes, i, width), width, lane));
    }
    case 'ref':
      return actual.type === 'ref' && !actual.isNull && (PATTERN_ACCEPTS[expected.heap] ?? [expected.heap]).includes(actual.kind);
    case 'either': return expected.options.some((option) => resultMatches(actual, option));
  }
}

/** Text of a number or vector by its exact bits, as reports show both actual and expected values. */
function formatBits(type: 'i32' | 'i64' | 'f32' | 'f64', bits: number | bigint): string {
  switch (type) {
    case 'i32': return `i32:${Number(bits) | 0}`;
    case 'i64': return `i64:${BigInt.asIntN(64, BigInt(bits))}`;
    case 'f32': return `f32:0x${(Number(bits) >>> 0).toString(16).padStart(8, '0')}`;
    case 'f64': return `f64:0x${BigInt.asUintN(64, BigInt(bits)).toString(16).padStart(16, '0')}`;
  }
}
const formatBytes = (bytes: Uint8Array) => `v128:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

export function formatRaw(value: RawValue): string {
  switch (value.type) {
    case 'v128': return formatBytes(value.bytes);
    case 'ref': return value.isNull ? 'ref.null' : `ref.${value.kind}${value.hostIndex === null ? '' : ` ${value.hostIndex}`}`;
    default: return formatBits(value.type, value.bits);
  }
}

function formatValue(v: WastValue): string {
  switch (v.type) {
    case 'v128': return formatBytes(v.bytes);
    case 'ref.null': return `ref.null ${v.heap}`;
    case 'ref.extern': return `ref.extern ${v.index}`;
    case 'ref.host': return `ref.host ${v.index}`;
    default: return formatBits(v.type, v.bits);
  }
}

export function formatExpected(result: WastResult): string {
  switch (result.kind) {
    case 'value': return formatValue(result.value);
    case 'nan': return `${result.type}:${result.nan}`;
    case 'v128-lanes': return `${result.shape}(${result.lanes.map((l) => (l.kind === 'nan' ? l.nan : String(l.bits))).join(' ')})`;
    case 'ref': return `(ref.${result.heap})`;
    case 'either': return `either(${result.options.map(formatExpected).join(' | ')})`;
  }
}
