// The glue corpus: real npm packages built to wasm, each driven by a case in cases/, run in a fresh
// process on Node's own WebAssembly and on tswasm's namespace (in one or more modes); the outputs
// must be identical. Setup: `npm run build` in the project, then `npm ci` here (about 600 MB).
//
//   node run.mjs [--cases a,b,...] [--modes default,jspi,split,nodetach,eager,jitless] [--timeout S]
//   node run.mjs --one CASE native|tswasm [MODE]      (one run; prints the digest and the output)
//
// Exit status 1 when any output differs from native's or a run fails.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
// TSWASM_DIST: another build output (to compare two builds on the same packages).
/** The project's checkout (cases read test programs and examples from it). */
const root = join(here, '..', '..');
const dist = process.env.TSWASM_DIST ? resolve(process.env.TSWASM_DIST) : join(root, 'dist');
process.chdir(here);

/**
 * tswasm's modes: the namespace's options, whether tuneV8 runs (without it, large switches are
 * split), and Node's flags (jitless: V8's interpreter only, as in Lockdown Mode; Node then has no
 * WebAssembly of its own, so only tswasm runs, against native's output from a normal process).
 */
const MODES = {
  default: { options: {}, tune: true, node: [] },
  jspi: { options: { jspi: true }, tune: true, node: [] },
  split: { options: {}, tune: false, node: [] },
  nodetach: { options: { detachOnGrow: false }, tune: true, node: [] },
  eager: { options: { engine: { compilation: 'eager' } }, tune: true, node: [] },
  jitless: { options: {}, tune: false, node: ['--jitless'] },
};

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

if (args[0] === '--one') {
  await runOne(args[1], args[2], args[3] ?? 'default');
} else {
  const cases = flag('--cases')?.split(',') ?? readdirSync(join(here, 'cases')).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)).sort();
  const modes = flag('--modes')?.split(',') ?? ['default'];
  for (const m of modes) if (!(m in MODES)) throw new Error(`unknown mode ${m} (${Object.keys(MODES).join(', ')})`);
  const timeout = Number(flag('--timeout') ?? 900) * 1000;
  let failed = 0;
  console.log(['case', 'native ms', ...modes.map((m) => `tswasm ${m} ms`), 'outputs'].join(' | '));
  for (const name of cases) {
    const { notFor = {}, workers = false } = await import(`./cases/${name}.mjs`);
    const native = child(name, 'native', 'default', timeout, workers);
    const cells = [name, native.ms];
    const notes = [];
    if (native.error) notes.push(`native failed: ${native.error}`);
    for (const mode of modes) {
      if (mode in notFor) {
        cells.push('-');
        notes.push(`${mode} not run: ${notFor[mode]}`);
        continue;
      }
      const t = child(name, 'tswasm', mode, timeout, workers);
      cells.push(t.ms);
      if (t.error) notes.push(`${mode} failed: ${t.error}`);
      else if (!native.error && t.digest !== native.digest) notes.push(`${mode} DIFFERS (native ${native.digest}, tswasm ${t.digest})`);
    }
    if (notes.some((n) => !n.includes(' not run: '))) failed++;
    console.log([...cells, notes.length === 0 ? 'same' : notes.join('; ')].join(' | '));
  }
  console.log(failed === 0 ? `all ${cases.length} cases give native's output in every mode they run in` : `${failed} of ${cases.length} cases differ or fail`);
  process.exitCode = failed === 0 ? 0 : 1;
}

/**
 * Runs one case in a fresh process; its digest and time, or why it failed. A case whose package
 * starts Workers (`export const workers = true`) runs on tswasm/register, which its Workers
 * inherit, with the mode's options and V8 settings.
 */
function child(name, runtime, mode, timeout, workers) {
  const register = runtime === 'tswasm' && workers ? ['--import', pathToFileURL(join(dist, 'src/node/register.js')).href] : [];
  const flags = runtime === 'tswasm' ? [...MODES[mode].node, ...register] : [];
  const env = { ...process.env, TSWASM_REGISTER_OPTIONS: JSON.stringify(MODES[mode].options), TSWASM_TUNE: MODES[mode].tune ? '' : '0', TSWASM_CORPUS_REGISTERED: register.length > 0 ? '1' : '' };
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--one', name, runtime, mode], { encoding: 'utf8', timeout, maxBuffer: 64 << 20, env });
  const line = r.stdout.split('\n').find((l) => l.startsWith('digest '));
  if (line === undefined) return { ms: '-', error: r.error?.message ?? failureLine(r.stderr) ?? `exit ${r.status}` };
  const [, digest, ms] = line.split(' ');
  return { digest, ms };
}

/** What a failed run's stderr says: the thrown error's line, not Node's closing version line. */
function failureLine(stderr) {
  const lines = stderr.trim().split('\n').filter((l) => l.trim() !== '' && !/^Node\.js v\d/.test(l) && !/^\s+at /.test(l));
  return lines.findLast((l) => /error|Error|killed|signal/.test(l)) ?? lines.pop();
}

async function runOne(name, runtime, mode) {
  if (runtime === 'tswasm' && process.env.TSWASM_CORPUS_REGISTERED === '1') {
    if (!Function.prototype.toString.call(WebAssembly.Module).includes('class')) throw new Error('tswasm/register did not install tswasm');
  } else if (runtime === 'tswasm') {
    const { options, tune } = MODES[mode];
    const { createWebAssembly } = await import(join(dist, 'src/jsapi/index.js'));
    if (tune) (await import(join(dist, 'src/node/index.js'))).tuneV8();
    globalThis.WebAssembly = createWebAssembly(options);
  } else if (runtime !== 'native') {
    throw new Error(`runtime must be native or tswasm, not ${runtime}`);
  }
  const start = performance.now();
  const text = await (await import(`./cases/${name}.mjs`)).default({ dist, root });
  const ms = (performance.now() - start).toFixed(0);
  console.log(`digest ${createHash('sha256').update(text).digest('hex').slice(0, 16)} ${ms}`);
  if (process.env.SHOW) console.log(text.slice(0, Number(process.env.SHOW)));
  process.exit(0);
}
