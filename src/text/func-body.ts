// A function's locals and instructions: local identifiers and names, runs of equal local types
// sharing one entry, and the body with its labels and branch hints, into the code section.

import type { ModuleContext } from './context.js';
import type { ModuleSections } from './sections.js';
import type { TypeUse } from './typeuse.js';
import { T } from './tokens.js';
import { ByteWriter, writeBinary } from './writer.js';
import { parseValType } from './valtypes.js';
import { InstrParser } from './instrs.js';

/** Parses `(local ...)* instr*` of function `funcIndex` (signature `use`); `scratch` is reused. */
export function parseFuncBody(ctx: ModuleContext, s: ModuleSections, funcIndex: number, use: TypeUse, scratch: ByteWriter): void {
  const c = ctx.c;
  const localIds = new Map<string, number>();
  const localNames = new Map<number, string>();
  use.paramIds.forEach((id, i) => {
    if (id !== null) {
      localIds.set(id, i);
      localNames.set(i, id);
    }
  });
  for (const [i, name] of use.paramNames) localNames.set(i, name);
  let count = use.params.length;
  const locals: string[] = [];
  while (c.atOpen('local')) {
    c.pos += 2;
    if (c.kind[c.pos] === T.Id) {
      const at = c.pos;
      const id = c.idName(c.pos++);
      if (localIds.has(id)) throw c.error(at, 'duplicate local', `duplicate local ${c.tokenText(at)}`);
      localIds.set(id, count);
      localNames.set(count, ctx.names.take(c.pos) ?? id);
      locals.push(parseValType(ctx));
      count++;
    } else {
      while (c.kind[c.pos] !== T.RParen) {
        locals.push(parseValType(ctx));
        count++;
      }
    }
    c.expectRParen();
  }
  const body = scratch;
  body.length = 0;
  writeLocals(body, locals);
  const instrs = new InstrParser(ctx, body, localIds);
  ctx.inFunctionBody = true;
  instrs.parseSequence();
  ctx.inFunctionBody = false;
  body.byte(0x0b);
  const codes = s.codes;
  codes.body.u32(body.length);
  codes.body.bytes(body.buf.subarray(0, body.length));
  codes.count++;
  if (localNames.size > 0) s.localNames.set(funcIndex, localNames);
  if (instrs.labelNames.size > 0) s.labelNames.set(funcIndex, instrs.labelNames);
  if (instrs.hints.length > 0) s.branchHints.set(funcIndex, instrs.hints);
}

/** Local declarations: runs of equal types share one (count, type) entry. */
function writeLocals(w: ByteWriter, locals: readonly string[]): void {
  let runs = 0;
  for (let i = 0; i < locals.length; i++) if (i === 0 || locals[i] !== locals[i - 1]) runs++;
  w.u32(runs);
  for (let i = 0; i < locals.length; ) {
    let j = i + 1;
    while (j < locals.length && locals[j] === locals[i]) j++;
    w.u32(j - i);
    writeBinary(w, locals[i]!);
    i = j;
  }
}
