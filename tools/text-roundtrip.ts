// Print -> parse -> encode over every decodable binary module of the spec suite: the binary
// modules of the scripts and every text module after encoding. Reports each module that does
// not come back byte for byte (with the sections that differ).

import { parseWat } from '../src/text/wat.js';
import { printModule } from '../src/text/printer.js';
import { decodeModule } from '../src/binary/decoder.js';
import { ALL_FEATURES } from '../src/core/features.js';
import { isWellFormedText, sourceOf, suiteModules } from './text-suite-modules.js';
import { describeDifference, equalBytes, readSections } from './text-oracle.js';
import { testsuiteRoot } from '../test/helpers/paths.js';

export interface RoundTripResult {
  readonly where: string;
  readonly origin: 'binary' | 'text';
  /** null when identical, else what differs or failed. */
  readonly problem: string | null;
}

/** The decodable modules of the suite as bytes. */
export function suiteBinaries(root: string): { where: string; origin: 'binary' | 'text'; bytes: Uint8Array }[] {
  const out: { where: string; origin: 'binary' | 'text'; bytes: Uint8Array }[] = [];
  for (const m of suiteModules(root)) {
    const where = `${m.file}:${m.line}`;
    let bytes: Uint8Array;
    if (m.module.form === 'binary') {
      if (m.command === 'assert_malformed' || m.command === 'assert_invalid') continue;
      bytes = m.module.bytes;
    } else {
      if (!isWellFormedText(m)) continue;
      bytes = parseWat(sourceOf(m), m.file);
    }
    try {
      decodeModule(bytes, ALL_FEATURES);
    } catch {
      continue; // e.g. a text module whose binary form is malformed (assert_invalid cases)
    }
    out.push({ where, origin: m.module.form === 'binary' ? 'binary' : 'text', bytes });
  }
  return out;
}

/**
 * null when print -> parse gives the same bytes. Otherwise the difference, prefixed "non-canonical:"
 * when it is only in how the input was encoded: the re-encoded module prints to the same text
 * (a fixpoint), and the input has an empty section or encodes something longer than needed
 * (overlong LEB128, split local groups) that no text can ask for.
 */
export function roundTrip(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = printModule(bytes);
  } catch (e) {
    return `print fails: ${(e as Error).message}`;
  }
  let again: Uint8Array;
  try {
    again = parseWat(text, 'printed.wat');
  } catch (e) {
    return `reparse fails: ${(e as Error).message}`;
  }
  if (equalBytes(again, bytes)) return null;
  const difference = describeDifference(again, bytes);
  // Custom sections placed after an empty section cannot keep their place: no fixpoint check.
  const empty = emptySections(bytes);
  if (empty.length > 0) return `non-canonical: empty ${empty.join(', ')} section (${difference})`;
  if (readSections(bytes).some((s) => s.id === 12) && !readSections(again).some((s) => s.id === 12)) {
    return `non-canonical: a data count section that no instruction needs (${difference})`;
  }
  let fixpoint = false;
  try {
    fixpoint = printModule(again) === text;
  } catch {
    fixpoint = false;
  }
  if (!fixpoint) return `${difference}; the re-encoded module prints differently`;
  return `non-canonical: longer encoding than needed (overlong LEB128 or split local groups) (${difference})`;
}

const VECTOR_SECTIONS: Readonly<Record<number, string>> = {
  1: 'type', 2: 'import', 3: 'func', 4: 'table', 5: 'memory', 6: 'global', 7: 'export', 9: 'elem', 10: 'code', 11: 'data', 13: 'tag',
};

/** Vector sections with no entries (which an encoder leaves out). */
function emptySections(bytes: Uint8Array): string[] {
  return readSections(bytes).filter((s) => VECTOR_SECTIONS[s.id] !== undefined && s.bytes[0] === 0).map((s) => VECTOR_SECTIONS[s.id]!);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = testsuiteRoot;
  const all = suiteBinaries(root);
  const byOrigin = { binary: [0, 0, 0], text: [0, 0, 0] };
  const problems: string[] = [];
  const nonCanonical: string[] = [];
  for (const { where, origin, bytes } of all) {
    const problem = roundTrip(bytes);
    byOrigin[origin][0]!++;
    if (problem === null) byOrigin[origin][1]!++;
    else if (problem.startsWith('non-canonical:')) {
      byOrigin[origin][2]!++;
      nonCanonical.push(`${where} [${origin}] ${problem}`);
    } else problems.push(`${where} [${origin}] ${problem}`);
  }
  for (const [origin, [n, same, canon]] of Object.entries(byOrigin)) {
    console.log(`${origin} modules: ${n}; ${same} identical after print -> parse; ${canon} non-canonical inputs (an encoding no text asks for); ${n! - same! - canon!} failures`);
  }
  if (process.argv.includes('--verbose')) for (const p of nonCanonical) console.log('  ' + p);
  for (const p of problems) console.log('  ' + p);
  if (problems.length > 0) process.exitCode = 1;
}
