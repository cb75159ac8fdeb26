// A fixed-seed sample of tools/wasi-fuzz.ts: WASI calls with random arguments return errnos only
// and never touch the directory beside the preopened one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWasiFuzz } from '../../tools/wasi-fuzz-core.js';

test('random WASI calls return errnos and stay in the sandbox (2 seeds x 4,000 calls)', () => {
  for (const seed of [1, 2]) {
    const { calls, problems } = runWasiFuzz(seed, 4000);
    assert.equal(calls, 4000);
    assert.deepEqual([...problems.entries()], [], `seed ${seed}`);
  }
});
