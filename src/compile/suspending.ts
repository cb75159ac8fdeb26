// Config.asyncSupport: which defined functions must be generators. A function can suspend only by
// reaching an import (which may be an async host function), a call through a table or reference
// (whose target may be either), a tail call (the trampoline calls any function), a fuel or epoch
// check (which may yield), or a direct call of a function that can. Every other function stays
// plain JS, as fast as without async support: its callers call it directly, and the runtime gives
// it a generator entry for calls from outside (exports, tables, references, other modules).

import type { ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import { opByByte, opByPrefixed } from '../binary/opcodes.js';
import { ByteReader } from '../binary/reader.js';
import { skipImmediates } from '../binary/instructions.js';

/** Per function index (imports included): whether its code must be a generator. */
export function suspendingFunctions(m: ModuleInfo, fuelOrEpochs: boolean): boolean[] {
  const n = m.funcTypes.length;
  const suspends = new Array<boolean>(n).fill(true);
  if (fuelOrEpochs) return suspends;
  const callers: number[][] = Array.from({ length: n }, () => []);
  const work: number[] = [];
  m.codes.forEach((body, i) => {
    const index = m.numImportedFuncs + i;
    const r = new ByteReader(m.bytes, body.code.start, body.code.end);
    let out = false;
    while (r.pos < r.end) {
      const byte = r.u8();
      const op = byte >= 0xfb && byte <= 0xfe ? opByPrefixed(byte, r.u32()) : opByByte(byte);
      if (op === undefined) throw new Error(`internal error: unknown opcode in function ${index}`);
      if (op.code === Op.Call) {
        const callee = new ByteReader(m.bytes, r.pos, body.code.end).u32();
        if (callee < m.numImportedFuncs) out = true;
        else callers[callee]!.push(index);
      } else if (CALLS_OUT.has(op.code)) {
        out = true;
      }
      skipImmediates(r, op);
    }
    suspends[index] = out;
    if (out) work.push(index);
  });
  // Callers of a suspending function suspend too.
  while (work.length > 0) {
    for (const caller of callers[work.pop()!]!) {
      if (suspends[caller]) continue;
      suspends[caller] = true;
      work.push(caller);
    }
  }
  return suspends;
}

const CALLS_OUT: ReadonlySet<number> = new Set([Op.CallIndirect, Op.CallRef, Op.ReturnCall, Op.ReturnCallIndirect, Op.ReturnCallRef]);
