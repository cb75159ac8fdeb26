// Config.asyncSupport: which defined functions must be generators. A function can suspend only by
// reaching an import (which may be an async host function), a call through a reference or through a
// table that the outside can write (whose target may be either; a table only the module fills
// reaches its own functions), a tail call (the trampoline calls any function), a fuel or epoch
// check (which may yield), a memory.grow or table.grow (an async limiter may answer later), or a
// direct call of a function that can. Every other function stays
// plain JS, as fast as without async support: its callers call it directly, and the runtime gives
// it a generator entry for calls from outside (exports, tables, references, other modules).

import type { ConstExpr, ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import { opByByte, opByPrefixed } from '../binary/opcodes.js';
import { ByteReader } from '../binary/reader.js';
import { skipImmediates } from '../binary/instructions.js';
import { ownFunctionTables } from './own-tables.js';
import { findBodyFacts } from './supported.js';

/** The code-generation switches the answer depends on. */
interface AsyncOptions {
  readonly asyncSupport?: boolean;
  readonly consumeFuel?: boolean;
  readonly epochInterruption?: boolean;
}

/** Per function index (imports included): whether its code is a generator; null without async support. */
export function generatorFunctions(m: ModuleInfo, options: AsyncOptions): boolean[] | null {
  return options.asyncSupport === true ? suspendingFunctions(m, options.consumeFuel === true || options.epochInterruption === true) : null;
}

/** Per function index (imports included): whether its code must be a generator. */
function suspendingFunctions(m: ModuleInfo, fuelOrEpochs: boolean): boolean[] {
  const n = m.funcTypes.length;
  const suspends = new Array<boolean>(n).fill(true);
  if (fuelOrEpochs) return suspends;
  const callers: number[][] = Array.from({ length: n }, () => []);
  const work: number[] = [];
  // A call through a table that only ever holds the module's own functions reaches only those
  // functions (own-tables.ts): it can suspend only if one of them can.
  const targets = ownTableTargets(m);
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
      } else if (op.code === Op.CallIndirect) {
        const imm = new ByteReader(m.bytes, r.pos, body.code.end);
        imm.u32();
        const own = targets[imm.u32()];
        if (own === null || own === undefined) out = true;
        else for (const f of own) callers[f]!.push(index);
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

// A growth asks the store's limiter, which may be async (Store.limiterAsync).
const CALLS_OUT: ReadonlySet<number> = new Set([Op.CallRef, Op.ReturnCall, Op.ReturnCallIndirect, Op.ReturnCallRef, Op.MemoryGrow, Op.TableGrow]);

/** Per table: the functions it can ever hold when it only holds the module's own, else null. */
function ownTableTargets(m: ModuleInfo): (number[] | null)[] {
  const own = ownFunctionTables(m, findBodyFacts(m).writtenTables);
  const targets: (number[] | null)[] = own.map((isOwn) => (isOwn ? [] : null));
  m.tableDefs.forEach((def, i) => {
    const t = targets[m.numImportedTables + i];
    if (t && def.init !== null) t.push(...refFuncs(m, [def.init]));
  });
  for (const seg of m.elems) {
    const t = seg.mode === 'active' ? targets[seg.table] : null;
    if (!t) continue;
    if (seg.funcIndices !== null) t.push(...seg.funcIndices);
    else t.push(...refFuncs(m, seg.exprs!));
  }
  return targets;
}

/** The functions named by `ref.func` constant expressions (own tables hold nothing else but null). */
function refFuncs(m: ModuleInfo, exprs: readonly ConstExpr[]): number[] {
  const out: number[] = [];
  for (const x of exprs) {
    const r = new ByteReader(m.bytes, x.start, x.end + 1);
    if (r.u8() === Op.RefFunc) out.push(r.u32());
  }
  return out;
}
