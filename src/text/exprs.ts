// Constant expressions of globals, tables and segments: an instruction sequence closed by `end`,
// written plainly, as `(offset ...)` / `(item ...)`, or as a single folded instruction.

import type { ModuleContext } from './context.js';
import type { ByteWriter } from './writer.js';
import { InstrParser } from './instrs.js';

/** Instructions up to the enclosing `)`, then `end`. */
export function parseConstExpr(ctx: ModuleContext, w: ByteWriter): void {
  new InstrParser(ctx, w, null).parseSequence();
  w.byte(0x0b);
}

/** Exactly one folded instruction `( ... )`, then `end`. */
export function parseFoldedExpr(ctx: ModuleContext, w: ByteWriter): void {
  new InstrParser(ctx, w, null).parseSequence(true);
  w.byte(0x0b);
}

/** `(offset instr*)` or one folded instruction. */
export function parseOffsetExpr(ctx: ModuleContext, w: ByteWriter): void {
  const c = ctx.c;
  if (c.eatOpen('offset')) {
    parseConstExpr(ctx, w);
    c.expectRParen();
    return;
  }
  parseFoldedExpr(ctx, w);
}

/** `(i32.const 0)` / `(i64.const 0)` with its end: the offset of inline segments. */
export function constZero(a64: boolean): Uint8Array {
  return Uint8Array.of(a64 ? 0x42 : 0x41, 0x00, 0x0b);
}
