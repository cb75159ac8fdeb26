// Bundles the built library (dist/src, from tsc) into one ES module per package entry point, with
// the code they share in common chunks: dist/bundle/{index,wasi,node,register,jsapi,wizer,cli}.js. Importing
// tswasm/jsapi takes Node 146-166 ms from the 250 files of dist/src and 55-60 ms from its bundle
// (RATIONALE.md, "The package ships bundles"). Part of `npm run build`.

import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'dist', 'src');

/**
 * Bundle name -> its module in dist/src: each export of package.json (its "default" is the bundle,
 * its "types" the module's declarations), and the command.
 */
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ENTRY_POINTS = { cli: 'cli/main.js' };
for (const target of Object.values(pkg.exports)) {
  ENTRY_POINTS[basename(target.default, '.js')] = relative('./dist/src', target.types).replace(/\.d\.ts$/, '.js');
}

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
