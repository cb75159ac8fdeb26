// A fixed-seed sample of tools/api-fuzz.ts: random misuse of the embedding API is refused with
// clear errors only, never with an error V8 raised inside tswasm.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runApiFuzz } from '../../tools/api-fuzz-core.js';

test('random misuse of the API is refused with clear errors (4 seeds x 5,000 calls)', async () => {
  for (const seed of [1, 2, 3, 4]) {
    const { calls, refused, findings, settled } = runApiFuzz(seed, 5000);
    assert.ok(await settled > 0, `seed ${seed}: no async call was refused`);
    assert.equal(calls, 5000);
    assert.ok(refused > 1000 && refused < calls, `seed ${seed}: ${refused} of ${calls} refused (the sample must exercise both)`);
    assert.deepEqual([...findings.keys()], [], `seed ${seed}`);
  }
});
