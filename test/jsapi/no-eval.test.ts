// The JS API where code generation from strings is refused: a namespace given a precompiled module
// (precompileJs, createWebAssembly({ precompiled })) behaves exactly as it does with generated code,
// through its closure adaptors: conversions, multi-value host calls, references, GC objects, tail
// calls through tables, traps. Modules it was not given cannot be compiled, with a clear CompileError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebAssembly, precompileJs } from '../../src/jsapi/index.js';
import { DeserializeError } from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';
import { JSAPI_WAT } from '../helpers/no-eval-jsapi.js';

const helper = fileURLToPath(new URL('../helpers/no-eval-jsapi.js', import.meta.url));

function drive(artifact: string, flags: string[]): Record<string, unknown> {
  return JSON.parse(execFileSync(process.execPath, [...flags, helper, artifact], { encoding: 'utf8' })) as Record<string, unknown>;
}

test('a precompiled module behaves the same with and without code generation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tswasm-jsapi-no-eval-'));
  try {
    const artifact = join(dir, 'glue.wasm.mjs');
    writeFileSync(artifact, precompileJs(parseWat(JSAPI_WAT)));
    const withEval = drive(artifact, []);
    const without = drive(artifact, ['--disallow-code-generation-from-strings']);
    assert.equal(withEval.codeGeneration, true);
    assert.equal(without.codeGeneration, false);
    delete withEval.codeGeneration;
    delete without.codeGeneration;
    const { unknownBytes: a, ...restWith } = withEval;
    const { unknownBytes: b, ...restWithout } = without;
    assert.deepEqual(restWithout, restWith);
    assert.equal(a, 'compiled');
    assert.deepEqual(b, { threw: 'CompileError', message: b && (b as { message: string }).message });
    assert.match((b as { message: string }).message, /does not allow code generation from strings.*tswasm compile --js/);
    // What the values are, not only that both modes agree on them.
    assert.equal(without.add64, `${2n ** 40n - 5n}n`);
    assert.equal(without.add64Wrap, `${-(2n ** 63n)}n`);
    assert.deepEqual(without.add64Bad, { threw: 'TypeError', message: (without.add64Bad as { message: string }).message });
    assert.equal(without.f32, Math.fround(Math.fround(1.1) * 3));
    assert.deepEqual(without.multi, [5, '21n']);
    assert.equal(without.echoSame, true);
    assert.equal(without.echoOther, 'other');
    // Named by function index: two imports come first.
    assert.deepEqual(without.self, [true, '2', 2]);
    assert.ok((without.lengths as string[]).includes('add64/2') && (without.lengths as string[]).includes('v128/1'));
    assert.deepEqual(without.trap, { threw: 'RuntimeError', message: 'unreachable' });
    assert.equal(without.trapIsRuntimeError, true);
    assert.equal(without.struct, 1.5);
    assert.equal(without.structOpaque, 0);
    assert.equal(without.fac, '2432902008176640000n');
    assert.equal((without.v128 as { threw: string }).threw, 'TypeError');
    assert.equal(without.memory, 65536);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('createWebAssembly checks its precompiled modules when it is created', () => {
  const text = precompileJs(parseWat('(module)'));
  const artifact = { ...evalArtifactFields(text), factory: () => null };
  assert.throws(() => createWebAssembly({ precompiled: [{ ...artifact, fingerprint: 'features=mvp' }] }), DeserializeError);
  assert.throws(() => createWebAssembly({ precompiled: [{ ...artifact, format: 'tswasm-precompiled-js/99' }] }), /format tswasm-precompiled-js\/99/);
  assert.throws(() => createWebAssembly({ precompiled: [{ ...artifact, wasm: Buffer.from(parseWat('(module $other)')).toString('base64') }] }), /do not match its digest/);
  assert.throws(() => createWebAssembly({ precompiled: [42] }), /not a precompiled tswasm module/);
  assert.throws(() => createWebAssembly({ precompiled: 'x' as never }), TypeError);
  // Compiled for a namespace with other options: refused by one with the default options.
  const fueled = precompileJs(parseWat('(module)'), { engine: { consumeFuel: true } });
  assert.throws(() => createWebAssembly({ precompiled: [{ ...evalArtifactFields(fueled), factory: () => null }] }), /consumeFuel is true there, false here/);
});

/** The data fields of an artifact's text (everything but its factory), read without evaluating it. */
function evalArtifactFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of ['format', 'version', 'fingerprint', 'digest', 'wasm']) {
    const m = new RegExp(`^  ${name}: ("[^"]*"),$`, 'm').exec(text);
    fields[name] = JSON.parse(m![1]!) as string;
  }
  return fields;
}
