#!/usr/bin/env node
// Runs built tests (dist/test) under another Node, whose binary comes from the npm registry's
// node-<platform>-<arch> package (`npm pack`, kept under node_modules/.cache; TSWASM_NODE=/path/to/node
// uses another binary instead).
//
//   npm run build && node tools/test-node.mjs VERSION [TEST FILES...]   (default: all of dist/test)
//
// npm run test:node18: the whole suite on Node 18, the oldest Node tswasm supports (V8 10.2: no
// growable or resizable buffers, an older WebAssembly). npm run test:node26: the whole suite on Node
// 26 (V8 14.6, which quiets signalling NaNs in optimised code, and whose own WebAssembly is the
// side-by-side tests' newest oracle).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const version = args.shift();
const files = args.length > 0 ? args : ['dist/test'];

function fail(message) {
  console.error(`test-node: ${message}`);
  process.exit(1);
}

if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) fail('usage: node tools/test-node.mjs VERSION [TEST FILES...]');

/** The Node binary of `version` for this machine, fetched once from the npm registry. */
function fetchNode() {
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  if (platform === undefined) fail(`no npm package of Node binaries for ${process.platform}; set TSWASM_NODE`);
  const name = `node-${platform}-${process.arch}`;
  const dir = join(root, 'node_modules', '.cache', 'tswasm-node', `${name}-${version}`);
  const binary = join(dir, 'package', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`test-node: fetching ${name}@${version} from the npm registry`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    execFileSync(npm, ['pack', `${name}@${version}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    fail(`npm pack ${name}@${version} failed (no registry?); set TSWASM_NODE to a Node ${version} binary`);
  }
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) fail(`npm pack ${name}@${version} wrote no tarball`);
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  if (!existsSync(binary)) fail(`${name}@${version} has no ${binary}`);
  return binary;
}

if (!existsSync(join(root, 'dist', 'test'))) fail('dist/test not found: run `npm run build` first');
const node = process.env.TSWASM_NODE ?? fetchNode();
const actual = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

console.log(`test-node: tools/run-tests.mjs ${files.join(' ')} under ${actual} (${node})`);
const run = spawnSync(node, [join(root, 'tools', 'run-tests.mjs'), ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
