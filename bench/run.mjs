#!/usr/bin/env node
// `npm run bench`: runs the shared kernel harness (run-anchors.mjs) with tswasm plugged in. Finds the
// harness via $TSWASM_BENCH or ../shared/bench, copies a read-only one to a temp dir and installs it
// when its node_modules is missing, builds tswasm if dist/ is missing, and passes extra args through.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let bench = resolve(process.env.TSWASM_BENCH ?? join(root, '..', 'shared', 'bench'));
if (!existsSync(join(bench, 'run-anchors.mjs'))) {
  console.error(`bench: no run-anchors.mjs in ${bench} (set TSWASM_BENCH)`);
  process.exit(2);
}
if (!existsSync(join(bench, 'node_modules'))) {
  const copy = mkdtempSync(join(tmpdir(), 'tswasm-bench-'));
  cpSync(bench, copy, { recursive: true });
  console.log(`bench: installing the harness in ${copy}`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: copy, stdio: 'inherit' });
  bench = copy;
}
if (!existsSync(join(root, 'dist', 'src', 'api', 'index.js'))) {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}
execFileSync(process.execPath, [join(bench, 'run-anchors.mjs'), '--runtime', join(root, 'bench', 'anchor-runtime.mjs'), ...process.argv.slice(2)], {
  cwd: bench, stdio: 'inherit',
});
