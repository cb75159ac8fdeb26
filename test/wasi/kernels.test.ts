// The benchmark's WASI kernels (C compiled with wasi-libc) run as commands on tswasm: each prints
// its run_small() checksum, which must equal the one recorded in the bench manifest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, runTswasm } from './helpers.js';

const manifestPath = join(benchDir, 'manifest.json');
const wasiDir = join(benchDir, 'wasi');
const found = existsSync(manifestPath) && existsSync(wasiDir);

test('bench WASI kernels print their run_small checksums', { skip: found ? false : `no kernels at ${benchDir}` }, () => {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { kernels: Record<string, { run_small: string }> };
  const files = readdirSync(wasiDir).filter((f) => f.endsWith('.wasm')).sort();
  assert.ok(files.length >= 9, `expected the 9 kernels, found ${files.length}`);
  for (const f of files) {
    const name = f.slice(0, -'.wasm'.length);
    const expected = manifest.kernels[name]?.run_small;
    assert.ok(expected, `${name} is in the manifest`);
    // "small" as argv[1] selects the kernel's SMALL_N (bench.h).
    const r = runTswasm(join(wasiDir, f), { args: ['small'] });
    assert.equal(r.code, 0, `${name} exit code`);
    assert.equal(r.stdout, `${expected}\n`, `${name} checksum`);
  }
});
