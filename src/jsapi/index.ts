// The standard WebAssembly JavaScript interface on tswasm: `createWebAssembly(options)` builds a
// namespace; `WebAssembly` is one with the spec's defaults, a drop-in for `globalThis.WebAssembly`.

import { createWebAssembly, type WebAssemblyNamespace } from './namespace.js';

export { createWebAssembly, type WebAssemblyNamespace } from './namespace.js';
export type { JsApiOptions } from './realm.js';
export { precompileJs } from './precompile.js';
export { postable } from './posting.js';
export { postedMessageReader } from './received.js';

/** A WebAssembly namespace with the spec's behaviour (detachOnGrow: true) and the default engine. */
export const WebAssembly: WebAssemblyNamespace = createWebAssembly();
export default WebAssembly;
