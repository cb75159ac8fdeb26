// Which tables can only hold the module's own functions (so call_indirect through them skips
// telling a host function its caller): the validator's record of table writes and the compiler's
// own scan must agree, and anything an outsider or an instruction can put into a table counts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../src/binary/decoder.js';
import { WASM3_FEATURES } from '../../src/core/features.js';
import { ownFunctionTables } from '../../src/compile/own-tables.js';
import { findBodyFacts } from '../../src/compile/supported.js';
import { parseWat } from '../../src/text/index.js';
import { validateModule } from '../../src/validate/index.js';

/** Each case: a module's tables after two defined functions $a and $b and an imported $imp, and which are own. */
const CASES: readonly [string, string, boolean[]][] = [
  ['filled with defined functions', '(table 2 funcref) (elem (i32.const 0) $a $b)', [true]],
  ['element expressions of defined functions and null', '(table 2 funcref) (elem (i32.const 0) funcref (ref.func $a) (ref.null func))', [true]],
  ['initialised with a defined function', '(table 2 funcref (ref.func $a))', [true]],
  ['exported', '(table (export "t") 2 funcref) (elem (i32.const 0) $a)', [false]],
  ['imported', '(import "env" "t" (table 2 funcref))', [false]],
  ['holding an import', '(table 2 funcref) (elem (i32.const 0) $a $imp)', [false]],
  ['initialised with an import', '(table 2 funcref (ref.func $imp))', [false]],
  ['filled from a global', '(global $g funcref (ref.func $a)) (table 2 funcref) (elem (i32.const 0) funcref (global.get $g))', [false]],
  ['table.set', '(table 2 funcref) (func (table.set 0 (i32.const 0) (ref.func $a)))', [false]],
  ['table.grow', '(table 2 funcref) (func (drop (table.grow 0 (ref.null func) (i32.const 1))))', [false]],
  ['table.fill', '(table 2 funcref) (func (table.fill 0 (i32.const 0) (ref.null func) (i32.const 1)))', [false]],
  ['table.init', '(table 2 funcref) (elem $e func $a) (func (table.init 0 $e (i32.const 0) (i32.const 0) (i32.const 1)))', [false]],
  ['table.copy: only the destination is written', '(table $x 2 funcref) (table $y 2 funcref) (func (table.copy $y $x (i32.const 0) (i32.const 0) (i32.const 1)))', [true, false]],
];

for (const [name, tables, own] of CASES) {
  test(`own-function tables: ${name}`, () => {
    // Imports come first in the text format.
    const [imports, rest] = tables.startsWith('(import') ? [tables, ''] : ['', tables];
    const wat = `(module (import "env" "f" (func $imp)) ${imports} (func $a) (func $b) (elem declare func $a $imp) ${rest})`;
    const bytes = parseWat(wat);
    const validated = validateModule(decodeModule(bytes, WASM3_FEATURES), WASM3_FEATURES);
    // A second decode has no record from the validator: the compiler scans the bodies itself.
    const scanned = findBodyFacts(decodeModule(bytes, WASM3_FEATURES));
    assert.deepEqual(scanned.writtenTables, validated.writtenTables);
    assert.deepEqual(ownFunctionTables(validated.module, validated.writtenTables), own);
  });
}
