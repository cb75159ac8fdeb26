// Test helpers for WASI: run a module on tswasm in-process (stdout/stderr captured), on Node's own
// node:wasi with native WebAssembly (the oracle), or through the `tswasm run` command in a child.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine, Module, Store } from '../../src/api/index.js';
import { Wasi, type WasiOptions } from '../../src/wasi/index.js';
import { projectRoot } from '../helpers/paths.js';

/** The committed C test programs (built by test/wasi/programs/build.sh). */
export const programsDir = join(projectRoot, 'test', 'wasi', 'programs');
export const program = (name: string): string => join(programsDir, `${name}.wasm`);

/** The benchmark's WASI kernels, in the shared folder beside the project (absent outside this workplace). */
export const benchDir = join(projectRoot, '..', 'shared', 'bench', 'kernels');

/** V8's own WebAssembly (the project compiles without DOM typings, so it is declared here). */
const nativeWasm = (globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<object>; instantiate(m: object, imports: object): Promise<object> };
}).WebAssembly;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const modules = new Map<string, Module>();
const engine = new Engine();

function loadModule(file: string): Module {
  let m = modules.get(file);
  if (m === undefined) modules.set(file, (m = new Module(engine, new Uint8Array(readFileSync(file)))));
  return m;
}

export type RunOptions = Omit<WasiOptions, 'stdout' | 'stderr' | 'args'> & { args?: readonly string[] };

/** Runs a WASI command on tswasm; argv[0] is the file's base name. */
export function runTswasm(file: string, options: RunOptions = {}): RunResult {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const wasi = new Wasi({
    ...options,
    args: [file.split('/').pop()!, ...(options.args ?? [])],
    stdout: { write: (b) => out.push(b) },
    stderr: { write: (b) => err.push(b) },
  });
  const store = new Store(engine);
  const code = wasi.start(wasi.instantiate(store, loadModule(file)));
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** Runs a WASI command on node:wasi with V8's WebAssembly; stdio goes through temp files. */
export async function runNode(file: string, options: RunOptions & { stdin?: string } = {}): Promise<RunResult> {
  process.removeAllListeners('warning'); // "WASI is an experimental feature"
  const { WASI } = await import('node:wasi');
  const dir = tempDir('node-wasi-');
  try {
    const paths = { in: join(dir, 'in'), out: join(dir, 'out'), err: join(dir, 'err') };
    writeFileSync(paths.in, typeof options.stdin === 'string' ? options.stdin : '');
    const fds = { in: openSync(paths.in, 'r'), out: openSync(paths.out, 'w'), err: openSync(paths.err, 'w') };
    let code: number;
    try {
      const wasi = new WASI({
        version: 'preview1', args: [file.split('/').pop()!, ...(options.args ?? [])], env: options.env ?? {},
        preopens: options.preopens ?? {}, stdin: fds.in, stdout: fds.out, stderr: fds.err, returnOnExit: true,
      });
      const module = await nativeWasm.compile(readFileSync(file));
      // wasiImport, not getImportObject(): Node 18's node:wasi has only the former.
      code = wasi.start(await nativeWasm.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport }));
    } finally {
      for (const fd of Object.values(fds)) closeSync(fd);
    }
    return { code, stdout: readFileSync(paths.out, 'utf8'), stderr: readFileSync(paths.err, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh temporary directory (the caller removes it). */
export function tempDir(prefix = 'tswasm-wasi-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tswasm run ARGS...` in a child process (the compiled CLI when the tests run from dist/,
 * the TypeScript sources through tsx otherwise). Async, so that a test can run several at once.
 */
export function runCli(
  args: readonly string[],
  options: { input?: string; stdinFd?: number; onStdout?: (text: string) => void } = {},
): Promise<CliResult> {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromDist = here.split('/').includes('dist');
  const main = fromDist ? join(projectRoot, 'dist', 'src', 'cli', 'main.js') : join(projectRoot, 'src', 'cli', 'main.ts');
  const loader = join(projectRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  const pre = fromDist || !existsSync(loader) ? [] : ['--import', pathToFileURL(loader).href];
  const code = `import { main } from ${JSON.stringify(pathToFileURL(main).href)}; process.exitCode = await main(process.argv.slice(1));`;
  const child = spawn(process.execPath, [...pre, '--input-type=module', '-e', code, 'run', ...args], {
    cwd: projectRoot, timeout: 60_000, stdio: [options.stdinFd ?? 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    options.onStdout?.(stdout);
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin?.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs `tswasm run ARGS...` in this process (for commands whose wasm writes nothing to fd 1). */
export async function runCliInProcess(args: readonly string[]): Promise<CliResult> {
  const { command } = await import('../../src/cli/run.js');
  const saved = { log: console.log, error: console.error };
  let stdout = '';
  let stderr = '';
  console.log = (...a: unknown[]) => void (stdout += `${a.join(' ')}\n`);
  console.error = (...a: unknown[]) => void (stderr += `${a.join(' ')}\n`);
  try {
    const status = await command.run([...args]);
    return { status, stdout, stderr };
  } finally {
    Object.assign(console, saved);
  }
}
