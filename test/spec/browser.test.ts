// tswasm in a browser, where one is installed (Debian's `chromium`): the package's bundles load as
// ES modules in a page, once with V8's JIT off (`--js-flags=--jitless`, the page then has no
// WebAssembly of its own, as in a JIT-less browser, and tswasm shapes its code for V8's
// interpreter) and once with it (tswasm's namespace beside the native one). The page runs the
// benchmark kernels' run_small and a trap, and its results are read from the DOM (`--dump-dom`).
// Without a browser the tests are skipped and say so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { projectRoot } from '../helpers/paths.js';
import { benchDir } from '../wasi/helpers.js';

const browser = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);
const reactorDir = join(benchDir, 'reactor');
const manifestPath = join(benchDir, 'manifest.json');
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) as { kernels: Record<string, { run_small: string }> } : null;
const kernels = manifest === null ? [] : Object.keys(manifest.kernels).filter((k) => existsSync(join(reactorDir, `${k}.wasm`)));
const skip = browser === undefined ? 'no chromium installed' : !existsSync(join(projectRoot, 'dist', 'bundle', 'jsapi.js')) ? 'dist/bundle not built' : false;

// (module (func (export "add") (param i32 i32) (result i32) ...) (func (export "trap") unreachable))
const SMALL = [0, 97, 115, 109, 1, 0, 0, 0, 1, 10, 2, 96, 2, 127, 127, 1, 127, 96, 0, 0, 3, 3, 2, 0, 1, 7, 14, 2, 3, 97, 100, 100,
  0, 0, 4, 116, 114, 97, 112, 0, 1, 10, 13, 2, 7, 0, 32, 0, 32, 1, 106, 11, 3, 0, 0, 11];

/** The page: everything it needs inline, so that its module script finishes before the load event. */
function page(): string {
  const bytes = Object.fromEntries(kernels.map((k) => [k, readFileSync(join(reactorDir, `${k}.wasm`)).toString('base64')]));
  return `<!doctype html><html><body>pending<script type="module">
import { createWebAssembly } from '/dist/bundle/jsapi.js';
import { Engine } from '/dist/bundle/index.js';
const { tuneForInterpreter, interpreter } = new Engine().config;
const out = { native: typeof WebAssembly, tuned: tuneForInterpreter, interpreter, ours: {}, theirs: {} };
try {
  const W = createWebAssembly();
  const small = new W.Instance(new W.Module(new Uint8Array(${JSON.stringify(SMALL)})), {}).exports;
  out.add = small.add(2, 40);
  try { small.trap(); } catch (e) { out.trap = [e instanceof W.RuntimeError, e.message]; }
  for (const [name, b64] of Object.entries(${JSON.stringify(bytes)})) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const checksum = (N) => (new N.Instance(new N.Module(bytes), {}).exports.run_small() >>> 0).toString(16).padStart(8, '0');
    out.ours[name] = checksum(W);
    if (typeof WebAssembly !== 'undefined') out.theirs[name] = checksum(WebAssembly);
  }
} catch (e) { out.error = String(e && e.stack || e); }
document.body.textContent = JSON.stringify(out);
</script></body></html>`;
}

const TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript', '.html': 'text/html' };

/** Serves the page and the project's dist folder. */
async function serve(): Promise<Server> {
  const html = page();
  const dist = join(projectRoot, 'dist');
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (url === '/page.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(html);
      return;
    }
    const file = normalize(join(projectRoot, url));
    if (!file.startsWith(dist + sep) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The page's results, with the browser's JS flags. */
async function results(jsFlags: string[]): Promise<Record<string, unknown>> {
  const server = await serve();
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/page.html`;
    const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', ...jsFlags.map((f) => `--js-flags=${f}`), '--dump-dom', url];
    const child = spawn(browser!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(status, 0, stderr);
    const m = /<body>(.*)<\/body>/s.exec(stdout);
    assert.ok(m !== null && m[1]!.startsWith('{'), `the page did not finish: ${stdout.slice(0, 500)}`);
    return JSON.parse(m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')) as Record<string, unknown>;
  } finally {
    server.close();
  }
}

function checkCommon(out: Record<string, unknown>): void {
  assert.equal(out.error, undefined);
  assert.equal(out.add, 42);
  assert.deepEqual(out.trap, [true, 'unreachable']);
  const ours = out.ours as Record<string, string>;
  assert.deepEqual(Object.keys(ours), kernels);
  for (const k of kernels) assert.equal(ours[k], manifest!.kernels[k]!.run_small, k);
}

test('chromium without its JIT: no WebAssembly of its own, tswasm tunes for V8\'s interpreter, the kernels give their checksums', { skip, timeout: 300_000 }, async () => {
  const out = await results(['--jitless']);
  assert.deepEqual([out.native, out.tuned, out.interpreter], ['undefined', true, 'v8']);
  checkCommon(out);
});

test('chromium with its JIT: tswasm\'s namespace beside the native one, the same checksums', { skip, timeout: 300_000 }, async () => {
  const out = await results([]);
  assert.deepEqual([out.native, out.tuned, out.interpreter], ['object', false, null]);
  checkCommon(out);
  assert.deepEqual(out.theirs, out.ours);
});
