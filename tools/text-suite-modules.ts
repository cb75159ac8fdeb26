// Walks the spec suite and lists every module of every script with the command it sits in, for
// the text-format tools (oracle comparison, round trips, benchmarks) and tests.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseWast } from '../src/text/wast.js';
import type { WastCommand, WastModule } from '../src/text/wast-types.js';

export interface SuiteModule {
  /** Path relative to the suite root. */
  readonly file: string;
  readonly line: number;
  /** The command kind holding the module. */
  readonly command: WastCommand['kind'];
  readonly module: WastModule;
  /** The expected failure message for assertions, else null. */
  readonly message: string | null;
}

export function listWastFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.wast')) out.push(path);
    }
  };
  walk(root);
  return out;
}

/** The group a suite file belongs to: "core" (root, legacy/, custom/, spec-only/) or "proposals/NAME". */
export function groupOf(file: string): string {
  const m = /^proposals\/([^/]+)\//.exec(file);
  return m ? `proposals/${m[1]}` : 'core';
}

export function suiteModules(root: string): SuiteModule[] {
  const out: SuiteModule[] = [];
  for (const path of listWastFiles(root)) {
    const file = relative(root, path).split('\\').join('/');
    const script = parseWast(readFileSync(path, 'utf8'), file);
    for (const cmd of script.commands) {
      if (!('module' in cmd) || typeof cmd.module !== 'object' || cmd.module === null) continue;
      out.push({
        file,
        line: cmd.pos.line,
        command: cmd.kind,
        module: cmd.module,
        message: 'message' in cmd ? cmd.message : null,
      });
    }
  }
  return out;
}

/** Whether a module is expected to be well-formed text (every text or quote module outside assert_malformed). */
export function isWellFormedText(m: SuiteModule): boolean {
  if (m.module.form === 'binary') return false;
  // assert_invalid_custom modules carry annotations the parser refuses (a branch hint on a non-branch).
  return m.command !== 'assert_malformed' && m.command !== 'assert_malformed_custom' && m.command !== 'assert_invalid_custom';
}

/** The text of a text or quote module. */
export function sourceOf(m: SuiteModule): string {
  return m.module.form === 'binary' ? '' : m.module.source;
}
