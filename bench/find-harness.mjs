// Locates the shared benchmark harness for the bench scripts: $TSWASM_BENCH or ../shared/bench, copied to a
// temp dir and installed (npm ci) when it has no node_modules; builds tswasm when dist/ lacks the JS API.
// Also where the bench scripts load tswasm from (distUrl).

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The root of this checkout. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The file URL of `path` inside tswasm's build output: $TSWASM_DIST, or this checkout's dist/. */
export function distUrl(path) {
  return pathToFileURL(join(resolve(process.env.TSWASM_DIST ?? join(root, 'dist')), path)).href;
}

/** The directory of an installed harness holding `script` (exits with a message when there is none). */
export function findHarness(script) {
  let bench = resolve(process.env.TSWASM_BENCH ?? join(root, '..', 'shared', 'bench'));
  if (!existsSync(join(bench, script))) {
    console.error(`no ${script} in ${bench} (set TSWASM_BENCH)`);
    process.exit(2);
  }
  if (!existsSync(join(bench, 'node_modules'))) {
    const copy = mkdtempSync(join(tmpdir(), 'tswasm-bench-'));
    cpSync(bench, copy, { recursive: true });
    console.log(`installing the harness in ${copy}`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: copy, stdio: 'inherit' });
    bench = copy;
  }
  if (!existsSync(join(root, 'dist', 'src', 'jsapi', 'index.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
  return bench;
}
