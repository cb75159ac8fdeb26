// For tests of V8's code shape, whichever engine runs them (V8 from 14.2 boxes NaNs by default).

import { forceNaNBoxes } from '../../src/core/nan-boxing.js';

/** `f`'s result with NaNs unboxed unless a Config asks for boxes; for code that is compiled, never run. */
export function withoutNaNBoxes<T>(f: () => T): T {
  forceNaNBoxes(false);
  try {
    return f();
  } finally {
    forceNaNBoxes(null);
  }
}
