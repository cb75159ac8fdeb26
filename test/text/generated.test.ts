// The printer and the parser on the execution fuzzer's random modules (numerics at their edges,
// SIMD, exceptions, tail calls, memory64, host imports): printing a module and parsing the text
// back gives a module that prints the same, and the same bytes where the encoding is canonical.
// (This found an i64 literal just above 2^53 parsed through a double.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat, printModule } from '../../src/text/index.js';
import { Rng, generateModule, moduleSeed } from '../../tools/exec-fuzz-gen.js';

const SEED = 20261126;
const MODULES = 300;

test(`print -> parse -> print is a fixpoint on ${MODULES} generated modules`, () => {
  let identical = 0;
  for (let i = 0; i < MODULES; i++) {
    const bytes = generateModule(new Rng(moduleSeed(SEED, i))).bytes;
    const text = printModule(bytes);
    const again = parseWat(text);
    if (Buffer.compare(Buffer.from(bytes), Buffer.from(again)) === 0) identical++;
    else assert.equal(printModule(again), text, `module ${i}`);
  }
  // Most generated modules use the encodings the text format reproduces byte for byte.
  assert.ok(identical >= MODULES * 0.3, `${identical} of ${MODULES} byte-identical`);
});
