// Typing of exception handling for the body validator: throw, throw_ref and try_table with its
// catch clauses, and the legacy try / catch / catch_all / delegate / rethrow.

import { EXNREF, HT_EXN, refType, type ValType } from '../core/types.js';
import { CATCH, CATCH_ALL, CATCH_ALL_REF, CATCH_REF } from '../binary/instructions.js';
import type { OpInfo } from '../binary/opcodes.js';
import { Op } from '../binary/op.js';
import { EMPTY, Frame } from './body-state.js';
import type { CodeValidator } from './code-validator.js';

const EXN_NON_NULL = refType(HT_EXN, false);

/** Types an exception instruction; false when `op` is not one. */
export function validateExceptionInstr(v: CodeValidator, op: OpInfo): boolean {
  const r = v.r;
  switch (op.code) {
    case Op.Throw:
      v.popAll(v.tagParams(r.u32()));
      v.setUnreachable();
      return true;
    case Op.ThrowRef:
      v.pop(EXNREF);
      v.setUnreachable();
      return true;
    case Op.TryTable:
      tryTable(v);
      return true;
    case Op.Try:
      v.enterBlock(Frame.Try);
      return true;
    case Op.Catch:
      nextHandler(v, Frame.Catch, v.tagParams(r.u32()), 'catch');
      return true;
    case Op.CatchAll:
      nextHandler(v, Frame.CatchAll, EMPTY, 'catch_all');
      return true;
    case Op.Delegate: {
      if (v.kinds[v.ch - 1] !== Frame.Try) v.malformed('delegate without matching try');
      const top = v.popFrame();
      // The label counts from outside the try block that delegate ends.
      v.labelTypes(r.u32());
      v.pushAll(v.results[top]!);
      return true;
    }
    case Op.Rethrow: {
      const depth = r.u32();
      v.labelTypes(depth);
      const kind = v.kinds[v.ch - 1 - depth];
      if (kind !== Frame.Catch && kind !== Frame.CatchAll) v.fail('invalid rethrow label');
      v.setUnreachable();
      return true;
    }
  }
  return false;
}

function tryTable(v: CodeValidator): void {
  const r = v.r;
  v.readBlockType();
  const params = v.blockParams;
  const results = v.blockResults;
  const n = r.count();
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const kind = r.u8();
    let carried: readonly ValType[] = EMPTY;
    if (kind === CATCH || kind === CATCH_REF) carried = v.tagParams(r.u32());
    else if (kind !== CATCH_ALL && kind !== CATCH_ALL_REF) v.malformed('malformed catch clause', at);
    const withRef = kind === CATCH_REF || kind === CATCH_ALL_REF;
    // Labels count from outside the try_table, whose frame is not pushed yet.
    const label = v.labelTypes(r.u32());
    if (!handlerFits(v, carried, withRef, label)) {
      const names = [...carried, ...(withRef ? [EXN_NON_NULL] : [])].map((t) => v.typeName(t)).join(' ');
      v.fail(`type mismatch: catch handler carries [${names}] but label has [${label.map((t) => v.typeName(t)).join(' ')}]`);
    }
  }
  v.popAll(params);
  v.pushFrame(Frame.TryTable, params, results);
}

/** Whether `carried` (plus a (ref exn) when `withRef`) matches a label's types. */
function handlerFits(v: CodeValidator, carried: readonly ValType[], withRef: boolean, label: readonly ValType[]): boolean {
  const n = carried.length;
  if (label.length !== n + (withRef ? 1 : 0)) return false;
  for (let i = 0; i < n; i++) if (!v.types.matches(carried[i]!, label[i]!)) return false;
  return !withRef || v.types.matches(EXN_NON_NULL, label[n]!);
}

/** `catch` and `catch_all` end the previous try or catch block and open the handler's block. */
function nextHandler(v: CodeValidator, kind: Frame, params: readonly ValType[], name: string): void {
  const top = v.ch - 1;
  const k = v.kinds[top];
  if (k !== Frame.Try && k !== Frame.Catch) v.malformed(`${name} without matching try`);
  const results = v.results[top]!;
  v.popFrame();
  v.pushFrame(kind, params, results);
}
