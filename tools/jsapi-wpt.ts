// Runs the WebAssembly JS API conformance tests (the spec repository's test/js-api, web-platform-test
// files, read from a checkout at run time) against Node's WebAssembly and tswasm's, side by side.
//
//   npx tsx tools/jsapi-wpt.ts --dir ../spec/test/js-api [--only memory/] [--json out.json] [--verbose]
//   TSWASM_JSPI=1 npx tsx tools/jsapi-wpt.ts --dir <js-promise-integration>/test/js-api --only js-promise-integration/
//     (JSPI's own tests, on a namespace made with createWebAssembly({ jspi: true }))
//
// Each test file runs in a fresh Node process (its top-level declarations are globals) with
// `globalThis.WebAssembly` set to the namespace under test, on a small testharness.js of our own.

import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

type Outcome = { name: string; ok: boolean; message: string };
type Runtime = 'native' | 'tswasm';

const SELF = fileURLToPath(import.meta.url);

/** testharness.js, the part these tests use: sync and promise tests, setup, and the assertions. */
const HARNESS = String.raw`
var __tests = [], __promiseTests = [], __setupError = null;
class AssertionError extends Error {}
function __fail(msg) { throw new AssertionError(msg); }
function format_value(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v + 'n';
  if (typeof v === 'symbol') return v.toString();
  if (Object.is(v, -0)) return '-0';
  try { return String(v); } catch { return Object.prototype.toString.call(v); }
}
function __ctx() {
  return {
    unreached_func: (m) => function () { __fail('unreached: ' + m); },
    step_func: (f) => f, step_func_done: (f) => f, add_cleanup() {}, step(f) { return f(); },
  };
}
function setup(f) { if (typeof f === 'function') { try { f(); } catch (e) { __setupError = e; } } }
function done() {}
function test(f, name) {
  if (__setupError) { __tests.push({ name, ok: false, message: 'setup failed: ' + __setupError }); return; }
  try { f(__ctx()); __tests.push({ name, ok: true, message: '' }); }
  catch (e) { __tests.push({ name, ok: false, message: String(e && e.message || e) }); }
}
function promise_test(f, name) { __promiseTests.push({ f, name }); }
function assert_true(v, m) { if (v !== true) __fail('assert_true: ' + (m || '') + ' got ' + format_value(v)); }
function assert_false(v, m) { if (v !== false) __fail('assert_false: ' + (m || '') + ' got ' + format_value(v)); }
function assert_equals(a, b, m) { if (!Object.is(a, b)) __fail('assert_equals: ' + (m || '') + ' expected ' + format_value(b) + ' got ' + format_value(a)); }
function assert_not_equals(a, b, m) { if (Object.is(a, b)) __fail('assert_not_equals: ' + (m || '') + ' got ' + format_value(a)); }
function assert_array_equals(a, b, m) {
  if (a.length !== b.length) __fail('assert_array_equals: ' + (m || '') + ' lengths ' + a.length + ' vs ' + b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) __fail('assert_array_equals: ' + (m || '') + ' index ' + i + ': ' + format_value(a[i]) + ' vs ' + format_value(b[i]));
}
function assert_own_property(o, p, m) { if (!Object.prototype.hasOwnProperty.call(o, p)) __fail('assert_own_property: ' + p + ' ' + (m || '')); }
function assert_not_own_property(o, p, m) { if (Object.prototype.hasOwnProperty.call(o, p)) __fail('assert_not_own_property: ' + p + ' ' + (m || '')); }
function assert_class_string(o, c, m) { const s = Object.prototype.toString.call(o); if (s !== '[object ' + c + ']') __fail('assert_class_string: ' + (m || '') + ' got ' + s); }
function assert_unreached(m) { __fail('assert_unreached: ' + (m || '')); }
function assert_not_reached(m) { __fail('assert_not_reached: ' + (m || '')); }
function assert_in_array(v, arr, m) { if (!arr.includes(v)) __fail('assert_in_array: ' + (m || '') + ' ' + format_value(v)); }
function assert_greater_than(a, b, m) { if (!(a > b)) __fail('assert_greater_than: ' + (m || '')); }
function assert_throws_js(C, f, m) {
  try { f(); } catch (e) {
    if (e === null || typeof e !== 'object' || !(e instanceof C) || e.constructor.name !== C.name && !(e.name === C.name)) {
      __fail('assert_throws_js: ' + (m || '') + ' expected ' + C.name + ' got ' + (e && e.constructor && e.constructor.name) + ': ' + (e && e.message));
    }
    return;
  }
  __fail('assert_throws_js: ' + (m || '') + ' expected ' + C.name + ', nothing thrown');
}
function assert_throws_exactly(v, f, m) {
  try { f(); } catch (e) { if (!Object.is(e, v)) __fail('assert_throws_exactly: ' + (m || '') + ' got ' + format_value(e)); return; }
  __fail('assert_throws_exactly: nothing thrown ' + (m || ''));
}
function assert_throws(code, f, m) { return assert_throws_js(typeof code === 'function' ? code : code.constructor, f, m); }
function promise_rejects(t, code, p, m) { return promise_rejects_js(t, code.constructor, p, m); }
function promise_rejects_js(t, C, p, m) {
  return Promise.resolve(p).then(() => __fail('promise_rejects_js: resolved ' + (m || '')), (e) => {
    if (!(e instanceof C)) __fail('promise_rejects_js: ' + (m || '') + ' expected ' + C.name + ' got ' + (e && e.constructor && e.constructor.name) + ': ' + (e && e.message));
  });
}
function promise_rejects_exactly(t, v, p, m) {
  return Promise.resolve(p).then(() => __fail('promise_rejects_exactly: resolved'), (e) => { if (!Object.is(e, v)) __fail('promise_rejects_exactly: other value ' + (m || '')); });
}
async function __runPromiseTests() {
  for (const { f, name } of __promiseTests) {
    try { await f(__ctx()); __tests.push({ name, ok: true, message: '' }); }
    catch (e) { __tests.push({ name, ok: false, message: String(e && e.message || e) }); }
  }
  return __tests;
}
`;

/** The test files under `dir` (every *.any.js), sorted. */
function testFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.any.js')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The file's `// META: script=` dependencies, resolved inside the js-api directory. */
function metaScripts(dir: string, file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const scripts: string[] = [];
  for (const m of src.matchAll(/^\/\/ META: script=(\S+)/gm)) {
    const s = m[1]!;
    scripts.push(s.startsWith('/wasm/jsapi/') ? join(dir, s.slice('/wasm/jsapi/'.length)) : resolve(join(file, '..'), s));
  }
  return scripts;
}

/** In the child process: runs one file against one runtime and prints its outcomes as JSON. */
async function runChild(dir: string, file: string, runtime: Runtime): Promise<void> {
  if (runtime === 'tswasm') {
    const { WebAssembly: ours, createWebAssembly } = await import('../src/jsapi/index.js');
    // JSPI's tests need a namespace made with jspi: true (its code is generator code).
    (globalThis as unknown as { WebAssembly: unknown }).WebAssembly = process.env.TSWASM_JSPI ? createWebAssembly({ jspi: true }) : ours;
  }
  (globalThis as { self?: unknown }).self = globalThis;
  // stdout carries the outcomes as JSON: what the tests log goes to stderr.
  console.log = (...args: unknown[]) => { process.stderr.write(`${args.map(String).join(' ')}\n`); };
  vm.runInThisContext(HARNESS, { filename: 'harness.js' });
  for (const s of [...metaScripts(dir, file), file]) vm.runInThisContext(readFileSync(s, 'utf8'), { filename: s });
  const results = await (globalThis as unknown as { __runPromiseTests(): Promise<Outcome[]> }).__runPromiseTests();
  process.stdout.write(JSON.stringify(results));
}

// A generous timeout: limits.any.js compiles modules at every implementation limit, which took
// 157 s on a slow machine (a file that times out counts every test as failed).
function runFile(dir: string, file: string, runtime: Runtime): Outcome[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', dir, file, runtime], { encoding: 'utf8', timeout: 600_000 });
  try {
    return JSON.parse(r.stdout) as Outcome[];
  } catch {
    return [{ name: '(file)', ok: false, message: `did not run: ${(r.stderr || r.stdout).split('\n').slice(0, 3).join(' ')}` }];
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return runChild(argv[1]!, argv[2]!, argv[3] as Runtime);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = resolve(arg('--dir') ?? process.env.WASM_JSAPI_TESTS ?? '../spec/test/js-api');
  const only = arg('--only');
  const verbose = argv.includes('--verbose');
  const files = testFiles(dir).filter((f) => !only || relative(dir, f).includes(only));
  const rows: { file: string; test: string; native: Outcome; tswasm: Outcome | undefined }[] = [];
  let [nativePass, oursPass, total] = [0, 0, 0];
  for (const file of files) {
    const rel = relative(dir, file);
    const nativeRun = runFile(dir, file, 'native');
    const mine = runFile(dir, file, 'tswasm');
    // A file native cannot even run (a feature Node lacks) still counts every test tswasm reports.
    const nativeFailed = nativeRun.length === 1 && nativeRun[0]!.name === '(file)' && !nativeRun[0]!.ok;
    const native = nativeFailed && mine.length > 0 && mine[0]!.name !== '(file)'
      ? mine.map((o) => ({ name: o.name, ok: false, message: nativeRun[0]!.message }))
      : nativeRun;
    // Tests are paired by position (some files leave names out); by name when the lists differ.
    const byName = new Map(mine.map((o) => [o.name, o]));
    const samePositions = mine.length === native.length && mine.every((o, i) => o.name === native[i]!.name);
    for (const [i, n] of native.entries()) {
      const t = samePositions ? mine[i] : byName.get(n.name);
      total++;
      if (n.ok) nativePass++;
      if (t?.ok) oursPass++;
      rows.push({ file: rel, test: n.name, native: n, tswasm: t });
      if (verbose || n.ok !== (t?.ok ?? false)) {
        console.log(`${rel} | ${n.name} | native ${n.ok ? 'pass' : 'FAIL'} | tswasm ${t?.ok ? 'pass' : 'FAIL'}`
          + `${t && !t.ok ? ` | ${t.message.slice(0, 160)}` : ''}${!n.ok ? ` | native: ${n.message.slice(0, 120)}` : ''}`);
      }
    }
  }
  console.log(`\n${files.length} files, ${total} tests: native passes ${nativePass}, tswasm passes ${oursPass}`);
  const json = arg('--json');
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2) + '\n');
}

await main();
