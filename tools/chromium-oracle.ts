// A native WebAssembly oracle in headless Chromium, for differential fuzzers that need what Node's
// engine lacks (final Wasm GC, exnref): one browser for a whole campaign, whose page long-polls a
// local HTTP server for jobs (module bytes and a list of export calls), runs each in the browser's
// own WebAssembly and posts the outcomes back.
//
//   const oracle = await ChromiumOracle.start();
//   const r = await oracle.run(bytes, [{ name: 'f0', args: [{ type: 'i32', value: 5n }] }]);
//   await oracle.close();
//
// A job instantiates the module once (no imports unless given as JS source: `imports`) and makes
// the calls in order on that instance. Each call's outcome is its results as decimal strings (i32
// as signed numbers, i64 as signed BigInts, f32/f64 as their bit patterns when the caller asks for
// `bits`), or the RuntimeError's message for a trap, or the description of any other exception (a
// WebAssembly.Exception that escaped, a stack overflow). A module the browser rejects gives
// `invalid` with its CompileError's message.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ArgType = 'i32' | 'i64';

export interface OracleCall {
  /** The export to call. */
  readonly name: string;
  readonly args: readonly { readonly type: ArgType; readonly value: bigint }[];
}

export type OracleOutcome =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'trap'; readonly message: string }
  /** A non-trap exception reached JS: `what` is its constructor's name and message. */
  | { readonly kind: 'exception'; readonly what: string };

export type OracleResult =
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'ran'; readonly outcomes: readonly OracleOutcome[] };

interface Pending {
  readonly id: number;
  readonly body: string;
  readonly resolve: (r: OracleResult) => void;
  readonly reject: (e: Error) => void;
}

/** The page: fetches jobs forever, runs each and posts back its outcomes. */
const PAGE = `<!doctype html><html><body>oracle<script type="module">
const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
function outcomeOf(f, args) {
  try {
    const r = f(...args.map(([t, v]) => (t === 'i64' ? BigInt(v) : Number(v))));
    const list = r === undefined ? [] : Array.isArray(r) ? r : [r];
    return { kind: 'values', values: list.map((v) => String(v)) };
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) return { kind: 'trap', message: e.message };
    return { kind: 'exception', what: (e && e.constructor && e.constructor.name) + ': ' + (e && e.message) };
  }
}
for (;;) {
  let job;
  try {
    const res = await fetch('/job');
    if (res.status === 204) continue;
    if (res.status !== 200) break;
    job = await res.json();
  } catch { await new Promise((r) => setTimeout(r, 200)); continue; }
  let out;
  try {
    let module;
    try { module = new WebAssembly.Module(fromB64(job.bytes)); }
    catch (e) { out = { kind: 'invalid', message: String(e.message) }; }
    if (out === undefined) {
      const outcomes = [];
      let exports;
      try { exports = new WebAssembly.Instance(module, job.imports ? (0, eval)(job.imports) : {}).exports; }
      catch (e) { out = { kind: 'invalid', message: 'instantiation: ' + e.message }; }
      if (out === undefined) {
        for (const c of job.calls) outcomes.push(outcomeOf(exports[c.name], c.args));
        out = { kind: 'ran', outcomes };
      }
    }
  } catch (e) { out = { kind: 'invalid', message: 'page error: ' + (e && e.stack || e) }; }
  await fetch('/result?id=' + job.id, { method: 'POST', body: JSON.stringify(out) });
}
</script></body></html>`;

const browserPath = (): string | undefined =>
  ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0);

export class ChromiumOracle {
  private readonly queue: Pending[] = [];
  private readonly running = new Map<number, Pending>();
  /** A waiting long-poll of the page, answered by the next job. */
  private waiting: ServerResponse | null = null;
  private nextId = 1;
  private closed = false;

  private constructor(private readonly server: Server, private readonly child: ChildProcess, private readonly profile: string) {}

  /** Whether a Chromium is installed. */
  static available(): boolean {
    return browserPath() !== undefined;
  }

  /** Starts the server and the browser; resolves once the page has asked for its first job. */
  static async start(): Promise<ChromiumOracle> {
    const browser = browserPath();
    if (browser === undefined) throw new Error('no chromium found');
    let oracle: ChromiumOracle | null = null;
    let ready: () => void = () => {};
    const firstPoll = new Promise<void>((r) => { ready = r; });
    const server = createServer((req, res) => {
      if (oracle === null) {
        res.writeHead(503);
        res.end();
        return;
      }
      oracle.handle(req, res, ready);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const profile = mkdtempSync(join(tmpdir(), 'chromium-oracle-'));
    const flags = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding', `--user-data-dir=${profile}`,
      `http://127.0.0.1:${port}/page.html`];
    // Its own process group: /usr/bin/chromium is a wrapper script, and killing only it would leave
    // the browser running (above all one stuck in a job).
    const child = spawn(browser, flags, { stdio: 'ignore', detached: true });
    oracle = new ChromiumOracle(server, child, profile);
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`chromium exited (${code}) before the page loaded`))));
    await Promise.race([firstPoll, exited]);
    child.removeAllListeners('exit');
    child.once('exit', () => oracle!.fail(new Error('chromium exited')));
    return oracle;
  }

  private handle(req: IncomingMessage, res: ServerResponse, ready: () => void): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
      return;
    }
    if (url.pathname === '/job') {
      ready();
      if (this.closed) {
        res.writeHead(410);
        res.end();
        return;
      }
      this.waiting?.writeHead(204).end();
      this.waiting = res;
      this.dispatch();
      return;
    }
    if (url.pathname === '/result' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        res.end();
        const job = this.running.get(Number(url.searchParams.get('id')));
        if (job === undefined) return;
        this.running.delete(job.id);
        job.resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OracleResult);
      });
      return;
    }
    res.writeHead(404);
    res.end();
  }

  private dispatch(): void {
    if (this.waiting === null || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running.set(job.id, job);
    this.waiting.writeHead(200, { 'content-type': 'application/json' });
    this.waiting.end(job.body);
    this.waiting = null;
  }

  private fail(e: Error): void {
    this.closed = true;
    for (const job of [...this.queue, ...this.running.values()]) job.reject(e);
    this.queue.length = 0;
    this.running.clear();
  }

  /**
   * Runs `bytes` with `calls` in the browser. `imports`: JS source of an expression giving the
   * import object (evaluated in the page), if the module has imports. Rejects after `timeoutMs`
   * (the browser is then unusable: a page stuck in wasm does not poll again).
   */
  run(bytes: Uint8Array, calls: readonly OracleCall[], imports?: string, timeoutMs = 60_000): Promise<OracleResult> {
    if (this.closed) return Promise.reject(new Error('oracle closed'));
    const id = this.nextId++;
    const body = JSON.stringify({
      id,
      bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      imports,
      calls: calls.map((c) => ({ name: c.name, args: c.args.map((a) => [a.type, String(a.type === 'i32' ? BigInt.asIntN(32, a.value) : BigInt.asIntN(64, a.value))]) })),
    });
    return new Promise<OracleResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.running.delete(id);
        reject(new Error(`chromium gave no result in ${timeoutMs} ms`));
      }, timeoutMs);
      this.queue.push({
        id, body,
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.dispatch();
    });
  }

  /** Stops the browser and the server. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting?.writeHead(410).end();
    this.waiting = null;
    if (this.child.exitCode === null) {
      const gone = new Promise((r) => this.child.once('exit', r));
      try {
        process.kill(-this.child.pid!, 'SIGTERM');
      } catch {
        this.child.kill();
      }
      await gone;
    }
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
    // The browser's children may still be writing to the profile as they go.
    await new Promise((r) => setTimeout(r, 200));
    rmSync(this.profile, { recursive: true, force: true });
  }
}
