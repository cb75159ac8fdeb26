// Offsets for validation errors raised by checks that look at a decoded definition, not at bytes.

import { CompileError } from '../core/errors.js';

/** Runs `check`; a CompileError it throws without an offset gets `at` (the definition's offset). */
export function locatedAt<T>(at: number, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof CompileError && e.offset < 0 && at >= 0) throw new CompileError(e.reason, at, e.malformed);
    throw e;
  }
}
