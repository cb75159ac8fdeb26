// A fixed-seed sample of tools/validate-diff.ts: mutated modules are accepted or refused by
// tswasm's validator (with the running Node's feature set) exactly as by Node's WebAssembly.validate.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needsKnownOracle } from '../helpers/oracle.js';
import { compareModule } from '../../tools/validate-diff.js';

test('mutated modules: tswasm and Node agree on validity (150 modules x 10 mutations)', { skip: needsKnownOracle("validation (tswasm's validator takes the feature set of Node 20's or of Node 22's and later)") }, () => {
  let agreed = 0;
  const disagreements: string[] = [];
  for (let i = 0; i < 150; i++) {
    const r = compareModule(20261126, i, 10);
    agreed += r.agreed + r.v8Lenient;
    for (const d of r.disagreements) disagreements.push(`module ${d.module} mutation ${d.mutation}: tswasm ${d.ours ? 'accepts' : `refuses (${d.message})`}`);
  }
  assert.deepEqual(disagreements, []);
  assert.equal(agreed, 1500);
});
