// The JS API's side-by-side tests once more, with the closure adaptors tswasm uses where code
// generation from strings is refused (runtime/dynamic-code.ts) instead of the generated ones: every
// conversion, error and result must stay the same as native WebAssembly's.

import { forceClosureForms } from '../../src/runtime/dynamic-code.js';

forceClosureForms(true);
await import('./adaptors.test.js');
await import('./conversions.test.js');
await import('./errors.test.js');
await import('./exceptions.test.js');
await import('./exceptions-fuzz.test.js');
await import('./gc.test.js');
await import('./global.test.js');
await import('./glue.test.js');
await import('./instance.test.js');
await import('./jsapi-fuzz.test.js');
await import('./memory.test.js');
await import('./module.test.js');
await import('./namespace.test.js');
await import('./streaming.test.js');
await import('./string-builtins.test.js');
await import('./table.test.js');
await import('./tag-exception.test.js');
