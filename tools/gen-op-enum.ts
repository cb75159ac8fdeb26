// Writes src/binary/op.ts, the `Op` const enum of every opcode, from the opcode table.
// Run after changing the table: npx tsx tools/gen-op-enum.ts (a test checks they agree).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderOpEnum } from './op-enum.js';

const target = fileURLToPath(new URL('../src/binary/op.ts', import.meta.url));
writeFileSync(target, renderOpEnum());
console.log(`wrote ${target}`);
