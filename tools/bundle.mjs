// Bundles the built library (dist/src, from tsc) into one ES module per package entry point, with
// the code they share in common chunks: dist/bundle/{index,wasi,node,jsapi,wizer,cli}.js. Importing
// tswasm/jsapi takes Node 146-166 ms from the 250 files of dist/src and 55-60 ms from its bundle
// (RATIONALE.md, "The package ships bundles"). Part of `npm run build`.

import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'dist', 'src');

/** Package entry point (its file in dist/bundle) -> its module in dist/src. */
const ENTRY_POINTS = {
  index: 'index.js',
  wasi: 'wasi/index.js',
  node: 'node/index.js',
  jsapi: 'jsapi/index.js',
  wizer: 'wizer/index.js',
  cli: 'cli/main.js',
};

await build({
  entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => [name, join(src, file)])),
  outdir: join(root, 'dist', 'bundle'),
  bundle: true,
  // Code shared by entry points lives in one chunk, so `tswasm` and `tswasm/wasi` share classes and
  // state (a Store from one works with the other).
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Names stay as written: error classes, and backtraces of the library's own frames.
  keepNames: true,
  chunkNames: 'shared-[hash]',
  logLevel: 'warning',
});
