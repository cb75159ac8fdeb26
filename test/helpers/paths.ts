// Paths the tests need, valid both from the compiled dist/test tree and when run from source with tsx.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('dist')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('project root not found');
    dir = parent;
  }
  return dir;
}

/** The project root (the folder with package.json). */
export const projectRoot = findRoot();

/** The spec test suite: $WASM_TESTSUITE, or ../shared/testsuite beside the project. */
export const testsuiteRoot = resolve(process.env.WASM_TESTSUITE ?? join(projectRoot, '..', 'shared', 'testsuite'));

/** The .wast files under `dir`, recursively, sorted. */
export function wastFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return wastFiles(path);
    return entry.name.endsWith('.wast') ? [path] : [];
  }).sort();
}
