// examples/wasi/embed.mjs against the built package: WASI through a Linker and directly, with a
// preopened directory, stdin from a string, and a refused path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';

const built = existsSync(join(projectRoot, 'dist', 'src', 'wasi', 'index.js'));

test('examples/wasi/embed.mjs', built ? {} : { skip: 'needs the built package: npm run build' }, () => {
  const out = execFileSync(process.execPath, [join(projectRoot, 'examples', 'wasi', 'embed.mjs')], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
  assert.equal(out, [
    'exit 0: 4       8      40 /data/poem.txt',
    '      2       3      14 ',
    'exit 0',
    'stderr: wc: /etc/passwd: Capabilities insufficient',
    'exit 1',
    '',
  ].join('\n'));
});
