// sql.js (the shared harness's workload: 20,000 inserts, an index, three queries) in headless
// Chromium, with tswasm or polywasm swapped in as the page's WebAssembly before emscripten's browser
// glue loads, or the browser's own: above all with V8's JIT off (`--js-flags=--jitless`, as in a
// JIT-less browser, where the page has no WebAssembly at all). Build first.
//   node tools/browser-sqljs.mjs BENCH_DIR [RUNS] [--jit]
// BENCH_DIR is ../shared/bench with its node_modules (sql.js, polywasm). Prints each runtime's set-up
// time, each run's time and the result's digest (the same digest as tools/js-shell-sqljs.mjs's).

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const jit = args.includes('--jit');
const [bench, runs = '4'] = args.filter((a) => !a.startsWith('--'));
if (!bench) throw new Error('give the bench folder (../shared/bench, with its node_modules) as the first argument');
const browser = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);
if (browser === undefined) throw new Error('no chromium found');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = resolve(bench, 'node_modules');
const mounts = { '/dist/': join(root, 'dist'), '/tools/': join(root, 'tools'), '/sqljs/': join(modules, 'sql.js', 'dist'), '/polywasm/': join(modules, 'polywasm') };

const PAGE = `<!doctype html><html><body>pending<script type="module">
const params = new URLSearchParams(location.search);
const which = params.get('runtime');
const out = { runtime: which, native: typeof WebAssembly, times: [] };
try {
  if (which === 'tswasm') globalThis.WebAssembly = (await import('/dist/bundle/jsapi.js')).createWebAssembly();
  else if (which === 'polywasm') globalThis.WebAssembly = (await import('/polywasm/index.js')).WebAssembly;
  await new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/sqljs/sql-wasm-browser.js';
    s.onload = resolve;
    s.onerror = reject;
    document.head.append(s);
  });
  let t = performance.now();
  const SQL = await initSqlJs({ locateFile: (f) => '/sqljs/' + f });
  out.setup = Math.round(performance.now() - t);
  const { runSqlWorkload } = await import('/tools/sqljs-workload.mjs');
  for (let r = 0; r < Number(params.get('runs')); r++) {
    t = performance.now();
    out.result = runSqlWorkload(SQL);
    out.times.push(Math.round(performance.now() - t));
  }
} catch (e) { out.error = String(e && e.stack || e); }
await fetch('/result', { method: 'POST', body: JSON.stringify(out) });
</script></body></html>`;

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm' };
let report = null;
const server = createServer((req, res) => {
  const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
  if (url === '/result' && req.method === 'POST') {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { res.end(); report?.(body); });
    return;
  }
  if (url === '/page.html') {
    res.writeHead(200, { 'content-type': TYPES['.html'] });
    res.end(PAGE);
    return;
  }
  const mount = Object.keys(mounts).find((m) => url.startsWith(m));
  const file = mount === undefined ? null : normalize(join(mounts[mount], url.slice(mount.length)));
  if (file === null || !file.startsWith(mounts[mount] + sep) || !existsSync(file)) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

// The page posts its results back; the browser is closed then.
for (const runtime of jit ? ['native', 'tswasm', 'polywasm'] : ['tswasm', 'polywasm']) {
  const url = `http://127.0.0.1:${port}/page.html?runtime=${runtime}&runs=${runs}`;
  const flags = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', ...(jit ? [] : ['--js-flags=--jitless']), url];
  const result = new Promise((r) => { report = r; });
  const child = spawn(browser, flags, { stdio: 'ignore' });
  console.log(await result);
  child.kill();
  await new Promise((r) => child.on('close', r));
}
server.close();
