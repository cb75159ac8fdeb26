#!/usr/bin/env node
// Runs built tests (dist/test) under another Node, whose binary comes from the npm registry's
// node-<platform>-<arch> package (`npm pack`, kept under node_modules/.cache; TSWASM_NODE=/path/to/node
// uses another binary instead). With --spec it first runs the spec suite through `tswasm wast`, which
// must fail only the known failures.
//
//   npm run build && node tools/test-node.mjs VERSION [--spec] [TEST FILES...]   (default: all of dist/test)
//
// npm run test:node18: the whole suite on Node 18, the oldest Node tswasm supports (V8 10.2: no
// growable or resizable buffers, an older WebAssembly). npm run test:node26: the spec suite through
// the command and the tests of what Node 26 broke (V8 14.6 quiets signalling NaNs in optimised code;
// since V8 12 an error's stack is an accessor). The whole suite passed there as well: `node
// tools/test-node.mjs 26.12.1`.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const version = args.shift();
const spec = args[0] === '--spec' ? (args.shift(), true) : false;
const files = args.length > 0 ? args : ['dist/test'];

function fail(message) {
  console.error(`test-node: ${message}`);
  process.exit(1);
}

if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) fail('usage: node tools/test-node.mjs VERSION [--spec] [TEST FILES...]');

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

if (spec) {
  const suite = resolve(process.env.WASM_TESTSUITE ?? join(root, '..', 'shared', 'testsuite'));
  if (!existsSync(join(suite, 'i32.wast'))) {
    console.log(`test-node: spec suite not found at ${suite} (set WASM_TESTSUITE); not run under ${actual}`);
  } else {
    console.log(`test-node: tswasm wast ${suite} under ${actual}`);
    const run = spawnSync(node, [join(root, 'bin', 'tswasm.mjs'), 'wast', suite], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
    const { readKnownFailures } = await import(new URL('../dist/test/spec/known-failures.js', import.meta.url).href);
    const known = readKnownFailures();
    // "PATH:LINE: KIND failed: why", keyed as known-failures.txt keys them: "PATH:LINE KIND".
    const failures = [...run.stdout.matchAll(/^(\S+):(\d+): (\S+) failed: /gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);
    const unknown = failures.filter((key) => !known.has(key));
    console.log(`test-node: ${failures.length} commands failed under ${actual}, ${unknown.length} of them not in test/spec/known-failures.txt`);
    if (run.status === null) fail(`tswasm wast did not finish under ${actual}: ${run.error ?? run.signal}`);
    if (unknown.length > 0) fail(`failures not in test/spec/known-failures.txt under ${actual}:\n${unknown.slice(0, 40).join('\n')}`);
    // Every known failure must still fail: one that passes is to be taken off the list.
    const passing = [...known.keys()].filter((key) => !failures.includes(key));
    if (passing.length > 0) fail(`known failures that passed under ${actual}:\n${passing.join('\n')}`);
  }
}

console.log(`test-node: tools/run-tests.mjs ${files.join(' ')} under ${actual} (${node})`);
const run = spawnSync(node, [join(root, 'tools', 'run-tests.mjs'), ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
