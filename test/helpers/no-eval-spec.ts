// Runs spec scripts with every valid module precompiled to an ES module (Module.serializeJs), for
// test/spec/no-eval.test.ts. `record DIR FILE...` (code generation allowed) writes the artifacts and
// prints the reports; `replay DIR FILE...` (under --disallow-code-generation-from-strings) imports them
// and runs the same scripts with no code made from strings, then prints the reports as JSON.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Module, type PrecompiledJs } from '../../src/api/index.js';
import { hexDigest } from '../../src/api/serialize-js.js';
import type { WasmFeatures } from '../../src/core/features.js';
import { runFile } from '../../src/cli/wast.js';
import { ApiSpecEngine } from '../../src/spec/api-engine.js';
import { testsuiteRoot } from './paths.js';

/** Artifacts by module bytes and configuration (one module may run under several feature sets). */
function artifactKey(bytes: Uint8Array, fingerprint: string): string {
  return `${hexDigest(bytes)}-${hexDigest(new TextEncoder().encode(fingerprint)).slice(0, 8)}`;
}

class RecordingEngine extends ApiSpecEngine {
  constructor(features: WasmFeatures, private readonly dir: string) {
    super(features);
  }
  override compile(bytes: Uint8Array): Module {
    const m = super.compile(bytes);
    writeFileSync(join(this.dir, `${artifactKey(bytes, this.engine.fingerprint)}.mjs`), m.serializeJs());
    return m;
  }
}

class ReplayingEngine extends ApiSpecEngine {
  constructor(features: WasmFeatures, private readonly artifacts: ReadonlyMap<string, PrecompiledJs>) {
    super(features);
  }
  override compile(bytes: Uint8Array): Module {
    const artifact = this.artifacts.get(artifactKey(bytes, this.engine.fingerprint));
    // Without an artifact, compiling fails: with CompileError for invalid modules, as it should.
    return artifact === undefined ? super.compile(bytes) : Module.deserializeJs(this.engine, artifact);
  }
}

async function main(mode: string, dir: string, files: readonly string[]): Promise<void> {
  const artifacts = new Map<string, PrecompiledJs>();
  if (mode === 'record') mkdirSync(dir, { recursive: true });
  else {
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.mjs')) artifacts.set(name.slice(0, -4), ((await import(pathToFileURL(join(dir, name)).href)) as { default: PrecompiledJs }).default);
    }
  }
  const reports = files.map((file) => {
    const path = relative(testsuiteRoot, file).split(sep).join('/');
    return runFile(file, path, (features) => mode === 'record' ? new RecordingEngine(features, dir) : new ReplayingEngine(features, artifacts));
  });
  process.stdout.write(JSON.stringify(reports));
}

// Does nothing without arguments: the test runner loads every file under dist/test.
const [mode, dir, ...files] = process.argv.slice(2);
if ((mode === 'record' || mode === 'replay') && dir !== undefined) await main(mode, dir, files);
