// The library core runs in any JS engine: only src/cli, src/wasi and src/node (the Node host
// integration) may import Node built-ins or use Node globals.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from './helpers/paths.js';

const NODE_ONLY = ['cli', 'wasi', 'node'];
const BUILTIN_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](node:[\w/]+|fs|path|os|url|crypto|worker_threads|child_process|v8|util|stream|buffer|process)['"]/;
const NODE_GLOBAL = /\b(?:process\.|Buffer\.|__dirname|__filename)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

test('only src/cli, src/wasi and src/node use Node built-ins', () => {
  const src = join(projectRoot, 'src');
  const offenders: string[] = [];
  for (const file of sources(src)) {
    const rel = relative(src, file);
    if (NODE_ONLY.includes(rel.split(/[\\/]/)[0]!)) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*(?:\*|\/\*)/.test(line)) return; // a block comment's line
      const code = line.replace(/\/\/.*$/, '');
      if (BUILTIN_IMPORT.test(code) || NODE_GLOBAL.test(code)) offenders.push(`src/${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

// Web and Node APIs are not ECMAScript: SpiderMonkey's and other engines' shells, QuickJS and
// Hermes lack some of them. The core reaches them only through the fallbacks in these files.
const GUARDED = ['core/utf8.ts', 'core/clock.ts', 'jsapi/detach.ts'];
const HOST_API = /(?<![.\w])(?:new TextEncoder|new TextDecoder|performance\.now|setTimeout\(|setInterval\(|queueMicrotask\(|structuredClone\(|atob\(|btoa\()/;

test('the library core uses host APIs (TextEncoder, performance, timers) only with a fallback', () => {
  const src = join(projectRoot, 'src');
  const offenders: string[] = [];
  for (const file of sources(src)) {
    const rel = relative(src, file).split(/[\\/]/).join('/');
    if (NODE_ONLY.includes(rel.split('/')[0]!) || GUARDED.includes(rel)) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*(?:\*|\/\*|\/\/)/.test(line)) return;
      if (HOST_API.test(line.replace(/\/\/.*$/, ''))) offenders.push(`src/${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
