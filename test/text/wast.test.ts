// parseWast: every command kind of the spec scripts, module forms, constants with exact bits and
// every result pattern; and the suite's scripts all parse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { testsuiteRoot } from '../helpers/paths.js';
import { parseWast } from '../../src/text/wast.js';
import { parseWat } from '../../src/text/wat.js';
import { listWastFiles } from '../../tools/text-suite-modules.js';
import type { WastCommand } from '../../src/text/wast-types.js';

const skip = existsSync(testsuiteRoot) ? false : `spec suite not found at ${testsuiteRoot} (set WASM_TESTSUITE)`;

function commands(text: string): WastCommand[] {
  return [...parseWast(text, 't.wast').commands];
}

test('module commands keep text as source, decode binary and quote strings', () => {
  const [text, binary, quote, def, inst] = commands(`
    (module $M (func (export "f")))
    (module binary "\\00asm" "\\01\\00\\00\\00")
    (module quote "(func" " $f)")
    (module definition $D (memory 1))
    (module instance $I $D)`);
  assert.equal(text!.kind, 'module');
  assert.deepEqual(text!.kind === 'module' && [text.name, text.module.form, text.module.pos.line, text.module.pos.column], ['$M', 'text', 2, 5]);
  assert.ok(text!.kind === 'module' && text.module.form === 'text' && text.module.source === '(module $M (func (export "f")))');
  assert.ok(binary!.kind === 'module' && binary.module.form === 'binary');
  assert.deepEqual(binary!.kind === 'module' && binary.module.form === 'binary' && [...binary.module.bytes], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert.ok(quote!.kind === 'module' && quote.module.form === 'quote' && quote.module.source === '(func $f)');
  assert.ok(def!.kind === 'module_definition' && def.name === '$D' && def.module.form === 'text');
  assert.ok(def!.kind === 'module_definition' && def.module.form === 'text' && parseWat(def.module.source).length > 8);
  assert.deepEqual(inst, { kind: 'module_instance', pos: { file: 't.wast', line: 6, column: 5 }, instance: '$I', definition: '$D' });
});

test('quote strings with invalid UTF-8 survive as lone surrogates and fail to parse', () => {
  const [cmd] = commands('(assert_malformed (module quote "(@a \\80)") "malformed UTF-8 encoding")');
  assert.ok(cmd!.kind === 'assert_malformed' && cmd.module.form === 'quote');
  assert.ok(cmd!.kind === 'assert_malformed' && cmd.module.form === 'quote' && cmd.module.source === '(@a \udc80)');
  assert.throws(() => parseWat(cmd!.kind === 'assert_malformed' && cmd.module.form === 'quote' ? cmd.module.source : ''), { reason: 'malformed UTF-8 encoding' });
});

test('actions, registration and every assertion kind', () => {
  const cmds = commands(`
    (register "M" $M)
    (invoke "f" (i32.const -1) (i64.const -1) (f32.const -0) (f64.const nan:0x1))
    (get $M "g")
    (assert_return (invoke "f") (i32.const 1) (f32.const nan:canonical) (f64.const nan:arithmetic))
    (assert_trap (invoke "f") "unreachable")
    (assert_trap (module (start 0) (func unreachable)) "unreachable")
    (assert_exhaustion (invoke "f") "call stack exhausted")
    (assert_exception (invoke "f"))
    (assert_invalid (module (func (result i32))) "type mismatch")
    (assert_malformed (module quote "(func") "unexpected token")
    (assert_unlinkable (module (import "x" "y" (func))) "unknown import")
    (assert_uninstantiable (module binary "") "x")
    (assert_invalid_custom (module) "x")
    (assert_malformed_custom (module quote "(@custom)") "x")`);
  assert.deepEqual(cmds.map((c) => c.kind), ['register', 'action', 'action', 'assert_return', 'assert_trap', 'assert_trap_module',
    'assert_exhaustion', 'assert_exception', 'assert_invalid', 'assert_malformed', 'assert_unlinkable', 'assert_uninstantiable',
    'assert_invalid_custom', 'assert_malformed_custom']);
  assert.deepEqual(cmds[0], { kind: 'register', pos: { file: 't.wast', line: 2, column: 5 }, as: 'M', module: '$M' });
  const invoke = cmds[1]!;
  assert.ok(invoke.kind === 'action' && invoke.action.kind === 'invoke');
  assert.deepEqual(invoke.kind === 'action' && invoke.action.kind === 'invoke' && invoke.action.args, [
    { type: 'i32', bits: 0xffffffff }, { type: 'i64', bits: 0xffffffffffffffffn }, { type: 'f32', bits: 0x80000000 },
    { type: 'f64', bits: 0x7ff0000000000001n }]);
  const ret = cmds[3]!;
  assert.deepEqual(ret.kind === 'assert_return' && ret.expected, [
    { kind: 'value', value: { type: 'i32', bits: 1 } }, { kind: 'nan', type: 'f32', nan: 'nan:canonical' },
    { kind: 'nan', type: 'f64', nan: 'nan:arithmetic' }]);
  assert.ok(cmds[4]!.kind === 'assert_trap' && cmds[4]!.message === 'unreachable');
});

test('reference results and either', () => {
  const [cmd] = commands(`(assert_return (invoke "f")
    (ref.null any) (ref.null) (ref.null $t) (ref.extern 3) (ref.extern) (ref.host 2) (ref.func) (ref.struct)
    (ref.array) (ref.i31) (ref.eq) (ref.any) (ref.exn) (either (i32.const 1) (ref.null func)))`);
  assert.ok(cmd!.kind === 'assert_return');
  assert.deepEqual(cmd!.kind === 'assert_return' && cmd.expected, [
    { kind: 'value', value: { type: 'ref.null', heap: 'any' } },
    { kind: 'value', value: { type: 'ref.null', heap: '' } },
    { kind: 'value', value: { type: 'ref.null', heap: '$t' } },
    { kind: 'value', value: { type: 'ref.extern', index: 3 } },
    { kind: 'ref', heap: 'extern' },
    { kind: 'value', value: { type: 'ref.host', index: 2 } },
    { kind: 'ref', heap: 'func' }, { kind: 'ref', heap: 'struct' }, { kind: 'ref', heap: 'array' },
    { kind: 'ref', heap: 'i31' }, { kind: 'ref', heap: 'eq' }, { kind: 'ref', heap: 'any' }, { kind: 'ref', heap: 'exn' },
    { kind: 'either', options: [{ kind: 'value', value: { type: 'i32', bits: 1 } }, { kind: 'value', value: { type: 'ref.null', heap: 'func' } }] },
  ]);
  assert.throws(() => commands('(assert_return (invoke "f") (either (either (i32.const 1))))'), { reason: 'unexpected token' });
});

test('v128 results: exact bytes, or lanes when a lane is a NaN pattern', () => {
  const [cmd] = commands(`(assert_return (invoke "f") (v128.const i16x8 -1 0 1 2 3 4 5 0x7fff)
    (v128.const f32x4 nan:canonical 1 -0 nan:arithmetic))`);
  assert.ok(cmd!.kind === 'assert_return');
  const [exact, lanes] = cmd!.kind === 'assert_return' ? cmd.expected : [];
  assert.deepEqual(exact, { kind: 'value', value: { type: 'v128', bytes: Uint8Array.of(0xff, 0xff, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 0xff, 0x7f) } });
  assert.deepEqual(lanes, { kind: 'v128-lanes', shape: 'f32x4', lanes: [
    { kind: 'nan', nan: 'nan:canonical' }, { kind: 'bits', bits: 0x3f800000n }, { kind: 'bits', bits: 0x80000000n },
    { kind: 'nan', nan: 'nan:arithmetic' }] });
  assert.throws(() => commands('(invoke "f" (v128.const i32x4 1 2 3))'), { reason: 'wrong number of lane literals' });
});

test('a script of bare module fields is one module', () => {
  const cmds = commands('(func) (memory 0) (func (export "f"))');
  assert.equal(cmds.length, 1);
  assert.ok(cmds[0]!.kind === 'module' && cmds[0]!.module.form === 'text');
});

test('every script of the suite parses', { skip }, () => {
  let n = 0;
  for (const file of listWastFiles(testsuiteRoot)) {
    const script = parseWast(readFileSync(file, 'utf8'), file);
    n += script.commands.length;
  }
  assert.ok(n > 50000, `${n} commands`);
});
