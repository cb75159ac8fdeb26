// References and tables: ref.null/is_null/func/as_non_null and the table instructions. Table
// accesses go through small runtime helpers that check bounds and trap.

import { Op } from '../binary/op.js';
import { FUNCREF, I32, I64 } from '../core/types.js';
import { derived, entry, simpleEntry, type Entry } from './entry.js';
import { operand, type FunctionCompiler } from './function-compiler.js';

const OPS = new Set<number>([
  Op.RefNull, Op.RefIsNull, Op.RefFunc, Op.RefAsNonNull, Op.TableGet, Op.TableSet, Op.TableSize,
  Op.TableGrow, Op.TableFill, Op.TableCopy, Op.TableInit, Op.ElemDrop,
]);

export function isRefTableOp(code: number): boolean {
  return OPS.has(code);
}

export function compileRefTableOp(fc: FunctionCompiler, code: number): void {
  const r = fc.r;
  const m = fc.mc.module;
  /** A table index or length (i32 or i64 by the table's address type) as a JS number. */
  const idx = (table: number, e: Entry) => (m.tables[table]!.address64 ? fc.index64(e) : `${operand(e)} >>> 0`);
  switch (code) {
    case Op.RefNull: {
      r.heapType();
      fc.push(simpleEntry(FUNCREF, 'null'));
      return;
    }
    case Op.RefIsNull: {
      const a = fc.pop();
      fc.push(derived(I32, `(${a.code} === null)`, [a], true, true));
      return;
    }
    case Op.RefFunc: {
      fc.push(simpleEntry(FUNCREF, `FN[${r.u32()}]`));
      return;
    }
    case Op.RefAsNonNull: {
      const a = fc.pop();
      fc.push(derived(a.type, `${fc.helper('refNonNull')}(${a.code})`, [a], false));
      return;
    }
    case Op.TableGet: {
      const t = r.u32();
      const i = fc.pop();
      fc.push(derived(m.tables[t]!.element, `${fc.helper('tableGet')}(${fc.table(t)}, ${idx(t, i)})`, [i], false));
      return;
    }
    case Op.TableSet: {
      const t = r.u32();
      const [i, v] = fc.popN(2) as [Entry, Entry];
      fc.statement(`${fc.helper('tableSet')}(${fc.table(t)}, ${idx(t, i)}, ${v.code});`);
      return;
    }
    case Op.TableSize: {
      const t = r.u32();
      const is64 = m.tables[t]!.address64;
      fc.push(entry(is64 ? I64 : I32, `${fc.table(t)}.length`, is64 ? '0' : '', false));
      return;
    }
    case Op.TableGrow: {
      const t = r.u32();
      const is64 = m.tables[t]!.address64;
      const [init, n] = fc.settle(2) as [Entry, Entry];
      const out = fc.temp(is64 ? I64 : I32);
      const delta = fc.fuelPerUnit(idx(t, n));
      // In generator code the store's async limiter may answer later (Store.limiterAsync).
      const grow = fc.callPrefix === ''
        ? `${fc.tableObject(t)}.growFromWasm(${delta}, ${init.code})`
        : `yield* ${fc.helper('growTableAsync')}(${fc.tableObject(t)}, ${delta}, ${init.code})`;
      fc.emit(`${out} = ${grow};${is64 ? ` ${out}h = ${out} < 0 ? -1 : 0;` : ''}`);
      // A store's resource limiter is host code, and may grow a memory.
      fc.reloadViews();
      fc.push(simpleEntry(is64 ? I64 : I32, out, is64 ? `${out}h` : ''));
      return;
    }
    case Op.TableFill: {
      const t = r.u32();
      const [i, v, n] = fc.settle(3) as [Entry, Entry, Entry];
      const len = fc.fuelPerUnit(idx(t, n));
      fc.emit(`${fc.helper('tableFill')}(${fc.table(t)}, ${idx(t, i)}, ${v.code}, ${len});`);
      return;
    }
    case Op.TableCopy: {
      const dst = r.u32();
      const src = r.u32();
      const [d, s, n] = fc.settle(3) as [Entry, Entry, Entry];
      const both64 = m.tables[dst]!.address64 && m.tables[src]!.address64;
      const len = fc.fuelPerUnit(both64 ? fc.index64(n) : `${operand(n)} >>> 0`);
      fc.emit(`${fc.helper('tableCopy')}(${fc.table(dst)}, ${fc.table(src)}, ${idx(dst, d)}, ${idx(src, s)}, ${len});`);
      return;
    }
    case Op.TableInit: {
      const seg = r.u32();
      const t = r.u32();
      const [d, s, n] = fc.settle(3) as [Entry, Entry, Entry];
      const len = fc.fuelPerUnit(`${operand(n)} >>> 0`);
      fc.emit(`${fc.helper('tableInit')}(${fc.table(t)}, ELEM, ${seg}, ${idx(t, d)}, ${operand(s)} >>> 0, ${len});`);
      return;
    }
    case Op.ElemDrop: {
      fc.statement(`ELEM[${r.u32()}] = null;`);
      return;
    }
  }
  throw new Error(`reference lowering: unhandled opcode ${code.toString(16)}`);
}
