// Rejects, at compile time, modules that use what the JS compiler does not do yet (SIMD, GC,
// exception handling, threads, ...) with a CompileError saying so, instead of failing later.

import type { ModuleInfo } from '../binary/module.js';
import { opByByte, opByPrefixed } from '../binary/opcodes.js';
import { ByteReader } from '../binary/reader.js';
import { skipImmediates } from '../binary/instructions.js';
import { UnsupportedError } from '../core/errors.js';
import { V128 } from '../core/types.js';

const UNSUPPORTED: Readonly<Record<string, string>> = {
  simd: 'SIMD', relaxed_simd: 'SIMD', gc: 'GC', exceptions: 'exception handling',
  legacy_exceptions: 'exception handling', threads: 'threads', wide_arithmetic: 'wide arithmetic',
  custom_descriptors: 'custom descriptors',
};

function fail(what: string, detail: string): never {
  throw new UnsupportedError(`${what} in the JS compiler (${detail})`);
}

export function checkSupported(m: ModuleInfo): void {
  m.types.forEach((t, i) => {
    const c = t.composite;
    if (c.kind === 'func' && [...c.params, ...c.results].includes(V128)) fail('SIMD', `v128 in type ${i}`);
  });
  if (m.globals.some((g) => g.type === V128)) fail('SIMD', 'v128 global');
  if (m.memories.some((mem) => mem.shared)) fail('threads', 'shared memory');
  m.codes.forEach((body, i) => {
    if (body.locals.includes(V128)) fail('SIMD', `v128 local in function ${m.numImportedFuncs + i}`);
    const r = new ByteReader(m.bytes, body.code.start, body.code.end);
    while (r.pos < r.end) {
      const byte = r.u8();
      const op = byte >= 0xfb && byte <= 0xfe ? opByPrefixed(byte, r.u32()) : opByByte(byte);
      if (op === undefined) return;
      const what = UNSUPPORTED[op.feature];
      if (what !== undefined) fail(what, `${op.name} in function ${m.numImportedFuncs + i}`);
      skipImmediates(r, op);
    }
  });
}
