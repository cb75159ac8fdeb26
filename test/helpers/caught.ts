// What a call throws, checked to be of the expected class (tests inspect traps and exceptions).

import assert from 'node:assert/strict';
import { ThrownException, Trap } from '../../src/api/index.js';

/** The error `fn` throws, which must be an instance of `kind`. */
export function caught<T>(fn: () => unknown, kind: abstract new (...args: any[]) => T): T {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected a ${kind.name}`);
}

/** The Trap `fn` throws. */
export const trapOf = (fn: () => unknown): Trap => caught(fn, Trap);

/** The uncaught wasm exception `fn` throws. */
export const thrown = (fn: () => unknown): ThrownException => caught(fn, ThrownException);
