// Liveness at a split chain's boundaries (compile/split-liveness.ts), on small hand-written bodies:
// what each case may read before writing, what is live where a branch out of the chain goes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWat } from '../../src/text/index.js';
import { decodeModule } from '../../src/binary/decoder.js';
import { chainLiveness, type ChainLiveness } from '../../src/compile/split-liveness.js';

/** Liveness for the first chain of three empty blocks in the module's only function (with 5 locals). */
function liveness(wat: string): ChainLiveness | null {
  const bytes = parseWat(wat);
  const { start, end } = decodeModule(bytes).codes[0]!.code;
  let at = start;
  while (!(bytes[at] === 0x02 && bytes[at + 1] === 0x40 && bytes[at + 2] === 0x02 && bytes[at + 3] === 0x40 && bytes[at + 4] === 0x02)) at++;
  return chainLiveness(bytes, start, end, 5, 3, at + 6);
}

const sorted = (s: ReadonlySet<number>) => [...s].sort((a, b) => a - b);

// Locals: 0 the selector (a parameter, counted down after the chain), 1 set before the loop and by
// case 2, 2 scratch (written before read in both cases), 3 written by case 1 and returned, 4 read by
// case 2 and never written.
const INTERPRETER = `(module (func (param i32) (result i32) (local i32 i32 i32 i32)
  (local.set 1 (i32.const 7))
  (block $out
    (loop $L
      (block
        (block
          (block
            (br_table 0 1 2 (local.get 0)))
          ;; case 1
          (local.set 2 (i32.add (local.get 1) (i32.const 1)))
          (local.set 3 (local.get 2))
          (br_if $out (local.get 2))
          (br $L))
        ;; case 2
        (local.set 1 (i32.add (local.get 4) (i32.const 1)))
        (if (local.get 1) (then (local.set 2 (i32.const 3))) (else (local.set 2 (i32.const 4))))
        (drop (local.get 2))
        (br $L))
      ;; case 3: after the chain
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $L (local.get 0))))
  (local.get 3)))`;

test('each case entry has exactly the locals some path from it reads before writing', () => {
  const live = liveness(INTERPRETER);
  assert.ok(live !== null);
  // The loop's header (the table) reads 0 and may run any case, so what any case needs is live there.
  // Case 1 reads 1, writes 2 before reading it, and writes 3 before it can leave for the return.
  assert.deepEqual(sorted(live.caseEntry[1]!), [0, 1, 4]);
  // Case 2 reads 4; writes 1 and 2 before reading them; 3 may be returned without being written.
  assert.deepEqual(sorted(live.caseEntry[2]!), [0, 3, 4]);
  // After the chain: 0 is read, then the loop may go round or leave (3 is returned).
  assert.deepEqual(sorted(live.caseEntry[3]!), [0, 1, 3, 4]);
  // Frames around the chain, outermost first: $out (its continuation returns 3), $L (the header).
  assert.deepEqual(live.frameTarget.map(sorted), [[3], [0, 1, 3, 4]]);
});

test('exception handling is not modelled: no liveness, so parts pass every local they use', () => {
  const live = liveness(`(module (tag) (func (param i32)
    (block (block (block (br_table 0 1 2 (local.get 0))) (throw 0)) nop)))`);
  assert.equal(live, null);
});
