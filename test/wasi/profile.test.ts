// `tswasm run --profile=guest`: a CPU profile whose samples name the wasm functions that ran (a
// Rust legacy symbol demangled).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';
import { tempDir } from './helpers.js';

const SPIN = `(module $prof
  (func $_ZN4prof4spin17h0123456789abcdefE (export "spin") (param $n i32) (result i32)
    (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))`;

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
}

test('the guest profile names the wasm function where the time went', () => {
  const dir = tempDir('tswasm-profile-');
  try {
    const wat = join(dir, 'spin.wat');
    writeFileSync(wat, SPIN);
    const out = join(dir, 'spin.cpuprofile');
    const r = spawnSync(process.execPath, [join(projectRoot, 'bin', 'tswasm.mjs'), 'run', `--profile=guest,${out},200us`, '--invoke', 'spin', wat, '40000000'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /guest profile written to/);
    const profile = JSON.parse(readFileSync(out, 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const counts = new Map<string, number>();
    for (const s of profile.samples) {
      const f = byId.get(s)!;
      counts.set(f.functionName, (counts.get(f.functionName) ?? 0) + 1);
    }
    const spin = counts.get('prof!prof::spin::h0123456789abcdef') ?? 0;
    assert.ok(spin > profile.samples.length / 3, `samples in prof!prof::spin::h0123456789abcdef: ${spin} of ${profile.samples.length}`);
    assert.ok(profile.nodes.some((n) => n.callFrame.functionName === 'prof!prof::spin::h0123456789abcdef' && n.callFrame.url === 'wasm://prof/function-0'));
    assert.ok(!profile.nodes.some((n) => /^\$f\d/.test(n.callFrame.functionName)), 'no generated function names are left');
    const bad = spawnSync(process.execPath, [join(projectRoot, 'bin', 'tswasm.mjs'), 'run', '--profile=perfmap', wat], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--profile takes guest/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
