// What the JS compiler needs to know about every function body before it generates code: whether
// it refuses an instruction (every proposal in the opcode table runs now; the list stays for the
// next) and which functions make tail calls. The validator records tail calls as it goes
// (recordTailCallers); only modules that reach the compiler some other way are scanned here.

import type { ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import { opByByte, opByPrefixed } from '../binary/opcodes.js';
import { ByteReader } from '../binary/reader.js';
import { skipImmediates } from '../binary/instructions.js';
import { UnsupportedError } from '../core/errors.js';

/** Features whose instructions the JS compiler refuses, with the name its error uses. */
const UNSUPPORTED: Readonly<Record<string, string>> = {};

/** Whether any instruction is refused at all (when none is, Module creation need not scan the code). */
const REFUSES_SOME = Object.keys(UNSUPPORTED).length > 0;

function fail(what: string, detail: string): never {
  throw new UnsupportedError(`${what} in the JS compiler (${detail})`);
}

/** Tail callers per module, from the validator or a scan, so compilation does not walk the code again. */
const tailCallers = new WeakMap<ModuleInfo, boolean[]>();

export function checkSupported(m: ModuleInfo): void {
  if (REFUSES_SOME) scanModule(m);
}

/** Which functions (by function index) contain return_call, return_call_indirect or return_call_ref. */
export function findTailCallers(m: ModuleInfo): boolean[] {
  return tailCallers.get(m) ?? scanModule(m);
}

/** Remembers which functions the validator saw make tail calls, so compilation need not scan. */
export function recordTailCallers(m: ModuleInfo, tails: readonly boolean[]): void {
  tailCallers.set(m, tails as boolean[]);
}

/** Walks every body: refuses unsupported instructions, records (and returns) the tail callers. */
function scanModule(m: ModuleInfo): boolean[] {
  const tails: boolean[] = new Array(m.funcTypes.length).fill(false);
  m.codes.forEach((body, i) => {
    const index = m.numImportedFuncs + i;
    const r = new ByteReader(m.bytes, body.code.start, body.code.end);
    while (r.pos < r.end) {
      const byte = r.u8();
      if (byte === Op.ReturnCall || byte === Op.ReturnCallIndirect || byte === Op.ReturnCallRef) tails[index] = true;
      const op = byte >= 0xfb && byte <= 0xfe ? opByPrefixed(byte, r.u32()) : opByByte(byte);
      if (op === undefined) return;
      const what = UNSUPPORTED[op.feature];
      if (what !== undefined) fail(what, `${op.name} in function ${index}`);
      skipImmediates(r, op);
    }
  });
  tailCallers.set(m, tails);
  return tails;
}
