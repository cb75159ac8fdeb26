// A fixed-seed sample of the front-end fuzzer (tools/frontend-fuzz.ts runs the long version):
// mutated modules must either compile or fail with CompileError, never any other exception.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_FEATURES, WASM3_FEATURES } from '../../src/core/features.js';
import { Rng, hex, mutate, runOne } from '../../tools/frontend-fuzz-core.js';
import { scriptModules } from '../../tools/frontend-wast.js';
import { projectRoot, testsuiteRoot } from '../helpers/paths.js';

const KERNELS = join(projectRoot, '..', 'shared', 'bench', 'kernels', 'reactor');

function corpus(): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (existsSync(KERNELS)) {
    for (const f of readdirSync(KERNELS)) if (f.endsWith('.wasm')) out.push(new Uint8Array(readFileSync(join(KERNELS, f))));
  }
  if (existsSync(testsuiteRoot)) {
    for (const f of readdirSync(testsuiteRoot).filter((x) => x.endsWith('.wast'))) {
      for (const m of scriptModules(f, readFileSync(join(testsuiteRoot, f), 'utf8'))) {
        if (m.form === 'binary' && m.bytes.length < 100_000) out.push(m.bytes);
      }
    }
  }
  return out;
}

const inputs = corpus();

test('5,000 mutated modules compile or throw CompileError', { skip: inputs.length === 0 && 'no kernels and no test suite found' }, () => {
  const rng = new Rng(20260101);
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    const input = mutate(rng, inputs[rng.below(inputs.length)]!);
    const features = i % 4 === 0 ? WASM3_FEATURES : ALL_FEATURES;
    try {
      if (runOne(input, features) === 'accepted') accepted++;
    } catch (e) {
      assert.fail(`input ${i} threw ${(e as Error).stack}\ninput: ${hex(input)}`);
    }
  }
  // The corpus holds valid modules, so some mutations (e.g. in data bytes) must still be accepted.
  assert.ok(accepted > 0, 'no mutated input was accepted: the corpus or the mutator is broken');
});

test('every bench kernel decodes and validates unmutated', { skip: !existsSync(KERNELS) && 'kernels not found' }, () => {
  for (const f of readdirSync(KERNELS).filter((x) => x.endsWith('.wasm'))) {
    assert.equal(runOne(new Uint8Array(readFileSync(join(KERNELS, f))), WASM3_FEATURES), 'accepted', f);
  }
});
