// What the JS compiler needs to know about every function body before it generates code: whether
// it refuses an instruction (every proposal in the opcode table runs now; the list stays for the
// next), which functions make tail calls and which tables instructions write. The validator
// records both as it goes (recordBodyFacts); only modules that reach the compiler some other way
// are scanned here.

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

/** What the code generator needs from every body, as the validator (or a scan) found it. */
export interface BodyFacts {
  /** Which functions (by function index) contain return_call, return_call_indirect or return_call_ref. */
  readonly tailCallers: readonly boolean[];
  /** Which tables an instruction writes (table.set, grow, fill, init, or copy into it). */
  readonly writtenTables: readonly boolean[];
}

/** Per module, from the validator or a scan, so compilation does not walk the code again. */
const facts = new WeakMap<ModuleInfo, BodyFacts>();

export function checkSupported(m: ModuleInfo): void {
  if (REFUSES_SOME) scanModule(m);
}

/** The module's body facts: the validator's when it recorded them, else from a scan. */
export function findBodyFacts(m: ModuleInfo): BodyFacts {
  return facts.get(m) ?? scanModule(m);
}

/** Remembers what the validator found, so compilation need not scan. */
export function recordBodyFacts(m: ModuleInfo, found: BodyFacts): void {
  facts.set(m, found);
}

/** Walks every body: refuses unsupported instructions, records (and returns) its facts. */
function scanModule(m: ModuleInfo): BodyFacts {
  const tailCallers: boolean[] = new Array(m.funcTypes.length).fill(false);
  const writtenTables: boolean[] = new Array(m.tables.length).fill(false);
  m.codes.forEach((body, i) => {
    const index = m.numImportedFuncs + i;
    const r = new ByteReader(m.bytes, body.code.start, body.code.end);
    while (r.pos < r.end) {
      const byte = r.u8();
      if (byte === Op.ReturnCall || byte === Op.ReturnCallIndirect || byte === Op.ReturnCallRef) tailCallers[index] = true;
      const op = byte >= 0xfb && byte <= 0xfe ? opByPrefixed(byte, r.u32()) : opByByte(byte);
      if (op === undefined) return;
      const what = UNSUPPORTED[op.feature];
      if (what !== undefined) fail(what, `${op.name} in function ${index}`);
      if (TABLE_WRITES.has(op.code)) writtenTables[writtenTable(op.code, new ByteReader(m.bytes, r.pos, body.code.end))] = true;
      skipImmediates(r, op);
    }
  });
  const found = { tailCallers, writtenTables };
  facts.set(m, found);
  return found;
}

const TABLE_WRITES: ReadonlySet<number> = new Set([Op.TableSet, Op.TableGrow, Op.TableFill, Op.TableCopy, Op.TableInit]);

/** The table a TABLE_WRITES instruction writes, read from its immediates at `r`. */
function writtenTable(code: number, r: ByteReader): number {
  if (code === Op.TableInit) r.u32(); // the element segment comes first
  return r.u32();
}
