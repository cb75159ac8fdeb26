#!/usr/bin/env node
// Runs the built test suite (dist/test) under Node 18, the oldest Node tswasm supports: its V8 (10.2)
// has no growable or resizable buffers and an older WebAssembly, which tswasm stands in for.
// The Node binary comes from the npm registry's node-<platform>-<arch> package (`npm pack`), kept
// under node_modules/.cache; TSWASM_OLD_NODE=/path/to/node uses another binary instead.
//
//   npm run build && node tools/test-old-node.mjs [VERSION]     (default 18.20.8)

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = process.argv[2] ?? '18.20.8';

function fail(message) {
  console.error(`test-old-node: ${message}`);
  process.exit(1);
}

/** The Node binary of `version` for this machine, fetched once from the npm registry. */
function fetchNode() {
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  if (platform === undefined) fail(`no npm package of Node binaries for ${process.platform}; set TSWASM_OLD_NODE`);
  const name = `node-${platform}-${process.arch}`;
  const dir = join(root, 'node_modules', '.cache', 'tswasm-old-node', `${name}-${version}`);
  const binary = join(dir, 'package', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`test-old-node: fetching ${name}@${version} from the npm registry`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    execFileSync(npm, ['pack', `${name}@${version}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    fail(`npm pack ${name}@${version} failed (no registry?); set TSWASM_OLD_NODE to a Node ${version} binary`);
  }
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) fail(`npm pack ${name}@${version} wrote no tarball`);
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  if (!existsSync(binary)) fail(`${name}@${version} has no ${binary}`);
  return binary;
}

if (!existsSync(join(root, 'dist', 'test'))) fail('dist/test not found: run `npm run build` first');
const node = process.env.TSWASM_OLD_NODE ?? fetchNode();
const actual = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
console.log(`test-old-node: node --test dist/test/ under ${actual} (${node})`);
const run = spawnSync(node, ['--test', '--test-reporter=spec', 'dist/test/'], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
