// The sandboxed path resolver on a real directory tree: where each guest path lands on the host,
// and which ones are refused (escapes, loops, files used as directories).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Errno, WasiError } from '../../src/wasi/errno.js';
import { resolvePath } from '../../src/wasi/paths.js';
import { tempDir } from './helpers.js';

function tree(): { root: string; box: string } {
  const root = tempDir();
  const box = join(root, 'box');
  mkdirSync(join(box, 'a', 'b'), { recursive: true });
  writeFileSync(join(box, 'a', 'f'), '');
  symlinkSync('a/b', join(box, 'to-b'));
  symlinkSync('../f', join(box, 'a', 'b', 'up-f'));
  symlinkSync('..', join(box, 'dotdot'));
  symlinkSync('a/../..', join(box, 'sneaky'));
  symlinkSync('/tmp', join(box, 'abs'));
  symlinkSync('ping', join(box, 'pong'));
  symlinkSync('pong', join(box, 'ping'));
  return { root, box };
}

function errno(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof WasiError) return e.errno;
    throw e;
  }
  return Errno.SUCCESS;
}

test('paths inside the directory resolve to host paths without symlinks', () => {
  const { root, box } = tree();
  try {
    assert.equal(resolvePath(box, 'a/b', true).host, join(box, 'a/b'));
    assert.equal(resolvePath(box, './a//b/.', true).host, join(box, 'a/b') + '/');
    assert.equal(resolvePath(box, 'a/b/../f', true).host, join(box, 'a/f'));
    assert.equal(resolvePath(box, 'to-b/up-f', true).host, join(box, 'a/f'), 'symlinks expanded from their own directory');
    assert.equal(resolvePath(box, 'to-b/..', true).host, join(box, 'a'), '`..` after a symlink leaves its target');
    assert.equal(resolvePath(box, 'to-b', false).host, join(box, 'to-b'), 'the last symlink is kept without follow');
    assert.equal(resolvePath(box, 'to-b/', false).host, join(box, 'a/b') + '/', 'a trailing slash follows it');
    assert.equal(resolvePath(box, 'new-file', true).host, join(box, 'new-file'), 'a missing last component may be created');
    assert.equal(resolvePath(box, '.', true).depth, 0);
    assert.equal(resolvePath(box, 'a/..', false).host, box);
    assert.equal(resolvePath(box, 'abs', false).host, join(box, 'abs'), 'a symlink pointing outside can itself be named');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('escapes are refused with ENOTCAPABLE; loops, missing directories and files in the middle with their POSIX errno', () => {
  const { root, box } = tree();
  try {
    for (const p of ['..', '../box', 'a/../..', 'a/b/../../..', '/etc/passwd', '/', 'dotdot', 'dotdot/box/a', 'sneaky', 'abs', 'abs/x', 'to-b/../../..']) {
      assert.equal(errno(() => resolvePath(box, p, true)), Errno.ENOTCAPABLE, p);
    }
    assert.equal(errno(() => resolvePath(box, 'dotdot/x', false)), Errno.ENOTCAPABLE, 'a symlink in the middle is always followed');
    assert.equal(errno(() => resolvePath(box, 'ping', true)), Errno.ELOOP);
    assert.equal(errno(() => resolvePath(box, 'ping', false)), Errno.SUCCESS);
    assert.equal(errno(() => resolvePath(box, 'missing/x', true)), Errno.ENOENT);
    assert.equal(errno(() => resolvePath(box, 'a/f/x', true)), Errno.ENOTDIR);
    assert.equal(errno(() => resolvePath(box, '', true)), Errno.ENOENT);
    assert.equal(errno(() => resolvePath(box, 'a\0b', true)), Errno.EINVAL);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
