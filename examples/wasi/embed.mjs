// Embedding WASI: run examples/wasi/wc.wasm on a file in a preopened directory with the output
// captured, once through a Linker and once with Wasi.instantiate; then a proc_exit status.
//
//   npm run build && node examples/wasi/embed.mjs

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, Linker, Module, Store } from 'tswasm';
import { Wasi } from 'tswasm/wasi';

const engine = new Engine();
const wc = new Module(engine, readFileSync(new URL('wc.wasm', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'wasi-example-'));
try {
  writeFileSync(join(dir, 'poem.txt'), 'so much depends\nupon\na red wheel\nbarrow\n');

  // The guest sees the temporary directory as /data and nothing else of the host.
  const output = [];
  const wasi = new Wasi({
    args: ['wc', '/data/poem.txt'],
    preopens: { '/data': dir },
    stdout: { write: (bytes) => output.push(Buffer.from(bytes)) },
  });
  const linker = new Linker(engine);
  wasi.define(linker);
  const store = new Store(engine);
  const code = wasi.start(linker.instantiate(store, wc));
  console.log(`exit ${code}: ${Buffer.concat(output).toString().trim()}`);

  // Without a Linker: stdin from a string, stdout and stderr to this process.
  const piped = new Wasi({ args: ['wc'], stdin: 'one two\nthree\n' });
  const status = piped.start(piped.instantiate(new Store(engine), wc));
  console.log(`exit ${status}`);

  // A path outside every preopen: wc reports the error on stderr and exits with 1.
  const denied = new Wasi({ args: ['wc', '/etc/passwd'], stderr: { write: (b) => process.stdout.write(`stderr: ${Buffer.from(b)}`) } });
  console.log(`exit ${denied.start(denied.instantiate(new Store(engine), wc))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
