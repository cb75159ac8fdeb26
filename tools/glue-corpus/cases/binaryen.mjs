// binaryen.js (emscripten, C++): reads, validates and optimises (-O3) the project's C test
// programs; the optimised bytes and text.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
export default async function ({ root }) {
  const binaryen = (await import('binaryen')).default;
  const out = [];
  // The project's C test programs (wasi-libc, clang -O2), optimised again by binaryen.js.
  for (const f of ['files', 'clocks', 'stdin', 'sandbox'].map((n) => `${root}/test/wasi/programs/${n}.wasm`)) {
    const mod = binaryen.readBinary(new Uint8Array(fs.readFileSync(f)));
    mod.setFeatures(binaryen.Features.All);
    out.push(f.split('/').pop() + ' valid ' + mod.validate());
    binaryen.setOptimizeLevel(3); binaryen.setShrinkLevel(1);
    mod.optimize();
    const bin = mod.emitBinary();
    out.push('opt ' + bin.length + ' ' + createHash('sha256').update(bin).digest('hex').slice(0, 16));
    out.push('text ' + createHash('sha256').update(mod.emitText()).digest('hex').slice(0, 16));
    mod.dispose();
  }
  return out.join('\n');
}
