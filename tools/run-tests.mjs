#!/usr/bin/env node
// `npm test`'s runner: `node --test --test-reporter=spec` on every *.test.js file under the given
// folders or files (default: dist/test), listed here. Node 22 and 24 take a folder given to
// `--test` for a file and fail it, and Node 18 and 20 do not expand glob patterns, so neither form
// runs the suite on every Node tswasm supports.
//
//   node tools/run-tests.mjs [FOLDER|FILE...]

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function testFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return testFiles(child);
      return entry.name.endsWith('.test.js') ? [child] : [];
    });
}

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['dist/test'];
const files = roots.flatMap(testFiles).map((f) => relative(process.cwd(), f)).sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.js files under ${roots.join(', ')} (run \`npm run build\` first)`);
  process.exit(1);
}
const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
