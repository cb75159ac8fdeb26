// The text format: WAT modules to binary, .wast scripts to commands, binary back to text.
// Nothing here depends on Node; wasm-tools appears only in tools/ and tests as an oracle.

export { parseWat } from './wat.js';
export { parseWast } from './wast.js';
export { WatSyntaxError, type SourceOrigin } from './errors.js';
export { printModule } from './printer.js';
export type * from './wast-types.js';
