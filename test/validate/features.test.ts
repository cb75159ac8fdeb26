// Features switched off (Config.features): the types and instructions of a feature are refused
// when it is off, and only then. Found by comparing with Node's validator on mutated modules.

import { test } from 'node:test';
import { WASM3_FEATURES, withFeatures, type FeatureName } from '../../src/core/features.js';
import { parseWat } from '../../src/text/index.js';
import { rejects, validate } from './check.js';

const off = (...names: FeatureName[]) => withFeatures(WASM3_FEATURES, Object.fromEntries(names.map((n) => [n, false])));

test('reference types need their feature: GC abstract types, typed and non-nullable references, exnref', () => {
  const cases: [string, FeatureName[]][] = [
    ['(module (func (param anyref)))', ['gc']],
    ['(module (type (func (param nullref))))', ['gc']],
    ['(module (global (mut eqref) (ref.null eq)))', ['gc']],
    ['(module (func (local i31ref)))', ['gc']],
    ['(module (func (drop (ref.null any))))', ['gc']],
    ['(module (func (param (ref func))))', ['gc', 'function_references']],
    ['(module (type $t (func)) (func (param (ref null $t))))', ['gc', 'function_references']],
    ['(module (type $t (func)) (func (drop (ref.null $t))))', ['gc', 'function_references']],
    ['(module (func (param exnref)))', ['exceptions']],
  ];
  for (const [wat, features] of cases) {
    const bytes = parseWat(wat);
    validate(bytes);
    rejects(bytes, 'malformed', { features: off(...features), malformed: true });
  }
  // funcref and externref need only reference types; an element segment of function indices
  // (whose type is (ref func) by the spec) needs nothing more.
  validate(parseWat('(module (table 1 funcref) (func $f (param funcref externref)) (elem (i32.const 0) $f))'),
    off('gc', 'function_references', 'exceptions'));
});

test('legacy exception handling alone: the tag section, tag imports and throw are part of it', () => {
  const bytes = parseWat(`(module (import "m" "t" (tag $i (param i32))) (tag $t)
    (func (try (do (throw $t)) (catch $i (drop)) (catch_all))))`);
  validate(bytes, off('exceptions'));
  rejects(bytes, 'malformed', { features: off('exceptions', 'legacy_exceptions'), malformed: true });
});

test('without multi-memory, bit 6 of a memory argument is alignment, not a memory index', () => {
  // i32.load with flags 0x42 (align 2 and "memory index follows") and memory index 0.
  const bytes = parseWat('(module (memory 1) (func (drop (i32.load (i32.const 0)))))');
  const at = bytes.findIndex((b, i) => b === 0x28 && bytes[i + 1] === 0x02 && bytes[i + 2] === 0x00);
  const flagged = Uint8Array.from([...bytes.subarray(0, at + 1), 0x42, 0x00, 0x00, ...bytes.subarray(at + 3)]);
  // The code section and the function body each grow by one byte.
  const fixed = grow(flagged, bytes);
  validate(fixed);
  rejects(fixed, 'alignment must not be larger than natural', { features: off('multi_memory') });
});

/** `changed` with the size bytes of the code section and its one body raised by the one inserted byte. */
function grow(changed: Uint8Array, original: Uint8Array): Uint8Array {
  const out = Uint8Array.from(changed);
  let p = 8;
  while (p < original.length) {
    const id = original[p]!;
    const size = original[p + 1]!; // the test module's sections are small: one-byte sizes
    if (id === 10) {
      out[p + 1] = size + 1;
      out[p + 3] = original[p + 3]! + 1; // one function: count at p + 2, its size at p + 3
      return out;
    }
    p += 2 + size;
  }
  throw new Error('no code section');
}
