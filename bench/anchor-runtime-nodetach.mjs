// tswasm's WebAssembly namespace with detachOnGrow: false (not the spec: a Memory's old ArrayBuffer
// stays attached when it grows), under its own name so the harness can run it beside the spec mode.

import { tswasmNamespace } from './anchor-runtime.mjs';

export const WebAssembly = tswasmNamespace(false);
export default WebAssembly;
