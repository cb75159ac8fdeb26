// The package as users import it: each entry point of package.json's "exports" is a bundle in
// dist/bundle (tools/bundle.mjs) with the same exports as its module in dist/src, the entry
// points share one copy of the library, and the core imports nothing from Node.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { projectRoot } from '../helpers/paths.js';

const bundle = join(projectRoot, 'dist', 'bundle');
const built = existsSync(join(bundle, 'index.js'));
const needsBuild = built ? {} : { skip: 'needs the built package: npm run build' };

/** Package specifier -> its module in dist/src, from package.json's exports (whose "types" name the module). */
const exportsMap = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { exports: Record<string, { types: string }> }).exports;
const ENTRY_POINTS: Record<string, string> = Object.fromEntries(Object.entries(exportsMap)
  .map(([path, target]) => [join('tswasm', path), relative('./dist/src', target.types).replace(/\.d\.ts$/, '.js')]));

test('every entry point resolves to its bundle and exports what its module in dist/src exports', needsBuild, async () => {
  assert.deepEqual(Object.keys(ENTRY_POINTS).sort(), ['tswasm', 'tswasm/jsapi', 'tswasm/node', 'tswasm/register', 'tswasm/wasi', 'tswasm/wizer']);
  for (const [specifier, file] of Object.entries(ENTRY_POINTS)) {
    const resolved = fileURLToPath(import.meta.resolve(specifier));
    assert.equal(dirname(resolved), bundle, specifier);
    const fromBundle = await import(specifier);
    const fromSource = await import(pathToFileURL(join(projectRoot, 'dist', 'src', file)).href);
    assert.deepEqual(Object.keys(fromBundle).sort(), Object.keys(fromSource).sort(), specifier);
    for (const [name, value] of Object.entries(fromSource)) {
      assert.equal(typeof fromBundle[name], typeof value, `${specifier}: ${name}`);
      if (typeof value === 'function') assert.equal(fromBundle[name].name, value.name, `${specifier}: ${name}'s name`);
    }
  }
});

test('the entry points share one library: WASI from tswasm/wasi links into a Linker from tswasm', needsBuild, async () => {
  const { Engine, Linker, Module, Store, Trap, parseWat } = await import('tswasm');
  const { Wasi } = await import('tswasm/wasi');
  const engine = new Engine();
  const module = new Module(engine, readFileSync(join(projectRoot, 'examples', 'wasi', 'wc.wasm')));
  const chunks: Uint8Array[] = [];
  const wasi = new Wasi({ args: ['wc'], stdin: new TextEncoder().encode('one two\nthree\n'), stdout: { write: (b: Uint8Array) => chunks.push(b.slice()) } });
  const linker = new Linker(engine);
  wasi.define(linker);
  assert.equal(wasi.start(linker.instantiate(new Store(engine), module)), 0);
  assert.match(Buffer.concat(chunks).toString(), /^\s*2\s+3\s+14\s*$/);

  // A trap from a module given as text is the bundle's Trap class.
  const trapping = new Module(engine, parseWat('(module (func (export "f") unreachable))'));
  const store = new Store(engine);
  const linked = new Linker(engine).instantiate(store, trapping);
  assert.throws(() => linked.getFunc(store, 'f')!.call(store, []), (e: unknown) => e instanceof Trap);
});

test('tswasm/jsapi and tswasm/node run a module', needsBuild, async () => {
  const { createWebAssembly } = await import('tswasm/jsapi');
  const { parseWat } = await import('tswasm');
  await import('tswasm/node');
  const WebAssembly = createWebAssembly();
  const { instance } = await WebAssembly.instantiate(parseWat(readFileSync(join(projectRoot, 'examples', 'fib.wat'), 'utf8'))) as
    { instance: { exports: { fib: (n: number) => bigint } } };
  assert.equal(instance.exports.fib(90), 2880067194370816120n);
});

test('the bundles import nothing but each other and, outside the core, Node built-ins', needsBuild, () => {
  // The core (tswasm, tswasm/jsapi, tswasm/wizer) embeds anywhere: no node: imports in its files.
  const core = new Set(['index.js', 'jsapi.js', 'wizer.js']);
  const builtins = new Map<string, Set<string>>();
  for (const entry of ['index.js', 'wasi.js', 'node.js', 'register.js', 'jsapi.js', 'wizer.js', 'cli.js']) {
    const used = new Set<string>();
    builtins.set(entry, used);
    const seen = new Set<string>();
    const stack = [entry];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(join(bundle, file), 'utf8');
      // Static imports and re-exports at the start of a line (esbuild writes one per line);
      // dynamic imports (the CLI's commands) load later and belong to what imports them.
      for (const m of text.matchAll(/^(?:import|export)\b[^;"]*?(?:from\s*)?"([^"]+)";?$/gm)) {
        const target = m[1]!;
        if (target.startsWith('./')) {
          stack.push(target.slice(2));
          continue;
        }
        assert.ok(target.startsWith('node:'), `${file} imports ${target}`);
        assert.ok(!core.has(entry), `${entry} (core) reaches ${target} through ${file}`);
        used.add(target);
      }
    }
    assert.ok(seen.size > 1, `${entry} imports its shared chunks`);
  }
  // The walk does see imports: WASI reads files, tswasm/node tunes V8.
  assert.ok(builtins.get('wasi.js')!.has('node:fs'));
  assert.ok(builtins.get('node.js')!.has('node:v8'));
});
