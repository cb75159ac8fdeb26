// Which tables can only ever hold the module's own functions. A call_indirect through such a table
// never reaches a host function, so it need not tell the callee which instance is calling
// (slots.ts CALLER); that store costs the call_indirect kernel 1-3%.

import type { ConstExpr, ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import { ByteReader } from '../binary/reader.js';

/**
 * Per table: true when nothing outside the module can put a function into it (neither imported nor
 * exported), no instruction writes it, and its initialiser and active element segments name only
 * functions the module defines (or null).
 */
export function ownFunctionTables(m: ModuleInfo, writtenTables: readonly boolean[]): boolean[] {
  const own = m.tables.map((_, t) => t >= m.numImportedTables && !writtenTables[t]);
  for (const e of m.exports) if (e.kind === 'table') own[e.index] = false;
  m.tableDefs.forEach((def, i) => {
    if (def.init !== null && !ownFunctionExpr(m, def.init)) own[m.numImportedTables + i] = false;
  });
  for (const seg of m.elems) {
    if (seg.mode !== 'active' || !own[seg.table]) continue;
    const ok = seg.funcIndices !== null
      ? seg.funcIndices.every((f) => f >= m.numImportedFuncs)
      : seg.exprs!.every((x) => ownFunctionExpr(m, x));
    if (!ok) own[seg.table] = false;
  }
  return own;
}

/** `ref.func f` of a defined function, or `ref.null`, and nothing else. */
function ownFunctionExpr(m: ModuleInfo, x: ConstExpr): boolean {
  const r = new ByteReader(m.bytes, x.start, x.end + 1);
  const op = r.u8();
  if (op === Op.RefFunc) {
    if (r.u32() < m.numImportedFuncs) return false;
  } else if (op === Op.RefNull) {
    r.s33();
  } else {
    return false;
  }
  return r.pos < r.end && r.u8() === Op.End && r.pos === r.end;
}
