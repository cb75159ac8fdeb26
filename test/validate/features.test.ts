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
