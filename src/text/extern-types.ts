// The types of imports and definitions in text: table types, memory types (address type,
// limits, `shared`, `(pagesize N)`) and global types, parsed into their encodings.

import type { ModuleContext } from './context.js';
import { T } from './tokens.js';
import { ByteWriter, writeBinary } from './writer.js';
import { encodeRefType, parseRefType, parseValType } from './valtypes.js';
import { parseU64 } from './numbers.js';

/** `i32` / `i64` before limits: true for i64. */
export function parseAddressType(ctx: ModuleContext): boolean {
  const c = ctx.c;
  if (c.eatKw('i64')) return true;
  c.eatKw('i32');
  return false;
}

/** A limit: a u64 literal. */
export function parseLimit(ctx: ModuleContext): bigint {
  const c = ctx.c;
  const i = c.pos;
  if (c.kind[i] !== T.Atom) throw c.unexpected(i, 'a number');
  const v = parseU64(c.tokenText(i));
  if (v === 'malformed') throw c.unexpected(i, 'a number');
  if (v === 'range') throw c.error(i, 'i64 constant out of range', 'limit out of range');
  c.pos++;
  return v;
}

/** `addrtype? limits reftype`, encoded reference type first. */
export function parseTableType(ctx: ModuleContext, w: ByteWriter): void {
  const c = ctx.c;
  const a64 = parseAddressType(ctx);
  const min = parseLimit(ctx);
  const max = c.isNat(c.pos) ? parseLimit(ctx) : null;
  writeBinary(w, encodeRefType(parseRefType(ctx)));
  w.byte((a64 ? 4 : 0) | (max !== null ? 1 : 0));
  w.u64(min);
  if (max !== null) w.u64(max);
}

/** `addrtype? limits shared? (pagesize N)?`; the flags say which parts follow. */
export function parseMemoryType(ctx: ModuleContext, w: ByteWriter): void {
  const c = ctx.c;
  const a64 = parseAddressType(ctx);
  const min = parseLimit(ctx);
  const max = c.isNat(c.pos) ? parseLimit(ctx) : null;
  const shared = c.eatKw('shared');
  const pageLog2 = parsePageSize(ctx);
  w.byte((max !== null ? 1 : 0) | (shared ? 2 : 0) | (a64 ? 4 : 0) | (pageLog2 !== null ? 8 : 0));
  w.u64(min);
  if (max !== null) w.u64(max);
  if (pageLog2 !== null) w.u32(pageLog2);
}

/** `(pagesize N)` when present: log2 of N, which must be a power of two. */
export function parsePageSize(ctx: ModuleContext): number | null {
  const c = ctx.c;
  if (!c.eatOpen('pagesize')) return null;
  const at = c.pos;
  const v = parseLimit(ctx);
  if (v === 0n || (v & (v - 1n)) !== 0n) throw c.error(at, 'invalid custom page size', `page size ${v} is not a power of two`);
  c.expectRParen();
  return v.toString(2).length - 1;
}

/** `valtype` or `(mut valtype)`. */
export function parseGlobalType(ctx: ModuleContext, w: ByteWriter): void {
  const c = ctx.c;
  const mutable = c.eatOpen('mut');
  writeBinary(w, parseValType(ctx));
  if (mutable) c.expectRParen();
  w.byte(mutable ? 1 : 0);
}
