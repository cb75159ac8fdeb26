// The compiled form of a module as the text of an ES module, for environments that refuse code
// generation from strings (a Content-Security-Policy without 'unsafe-eval'): the host imports it like
// any of its scripts, so the generated code needs no eval. Its default export is a PrecompiledJs.

import { sha256, toHex } from './crypto/sha256.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { DeserializeError, describeDifference } from './serialize.js';
import { VERSION } from './version.js';
import { codeUrl } from '../runtime/code-registry.js';

/** Bumped whenever the shape or the meaning of a field of PrecompiledJs changes. */
export const JS_FORMAT_VERSION = 1;
const FORMAT_TAG = 'tswasm-precompiled-js';

/** The default export of a module written by Module.serializeJs (and `tswasm compile --js`). */
export interface PrecompiledJs {
  /** The artifact's format tag and version. */
  readonly format: string;
  /** The tswasm version that wrote it. */
  readonly version: string;
  /** The configuration the code was generated for (Engine.fingerprint). */
  readonly fingerprint: string;
  /** SHA-256 of the wasm bytes, lower-case hex. */
  readonly digest: string;
  /** The wasm bytes, base64. */
  readonly wasm: string;
  /** Returns the module's factory (the generated code). */
  readonly factory: () => unknown;
}

/** What Module.deserializeJs takes from a checked PrecompiledJs. */
export interface PrecompiledParts {
  readonly wasm: Uint8Array;
  readonly factory: () => unknown;
  /** SHA-256 of `wasm`, lower-case hex. */
  readonly digest: string;
  /** Names the code in backtraces: the sourceURL `tswasm-module-<key>.js` the module text carries. */
  readonly key: string;
}

export function hexDigest(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/** The sourceURL key of precompiled code: `p` and the first 16 hex digits of the wasm's digest. */
export function precompiledKey(digest: string): string {
  return `p${digest.slice(0, 16)}`;
}

/** The lines of the ES module text before the factory's source, each one line (no field holds a line break). */
function headerLines(wasm: Uint8Array, digest: string, fingerprint: string, name: string | null): string[] {
  return [
    `// A WebAssembly module${name !== null ? ` (${name.replace(/[\r\n\u2028\u2029]/g, ' ')})` : ''} precompiled by tswasm ${VERSION}: generated code.`,
    '// Import it and pass its default export to Module.deserializeJs, or list it in',
    '// createWebAssembly({ precompiled }); it runs only with the configuration it was compiled for.',
    'export default {',
    `  format: ${JSON.stringify(`${FORMAT_TAG}/${JS_FORMAT_VERSION}`)},`,
    `  version: ${JSON.stringify(VERSION)},`,
    `  fingerprint: ${JSON.stringify(fingerprint)},`,
    `  digest: ${JSON.stringify(digest)},`,
    `  wasm: ${JSON.stringify(encodeBase64(wasm))},`,
    '  factory: function () {',
  ];
}

/**
 * The line (1-based) of the module text where the factory function begins: its generated source
 * starts on the next one. Backtraces read positions in the module text through it.
 */
export const FACTORY_LINE = headerLines(new Uint8Array(0), '', '', null).length;

/** The ES module text: a header comment, the default export, and the sourceURL naming it in backtraces. */
export function encodeModuleJs(wasm: Uint8Array, fingerprint: string, source: string, name: string | null): string {
  const digest = hexDigest(wasm);
  return [
    ...headerLines(wasm, digest, fingerprint, name),
    source,
    '  },',
    '};',
    `//# sourceURL=${codeUrl(precompiledKey(digest))}`,
    '',
  ].join('\n');
}

/**
 * Checks a PrecompiledJs (or an imported module namespace whose default export is one) against this
 * tswasm and configuration; throws DeserializeError for anything else.
 */
export function decodeModuleJs(value: unknown, fingerprint: string): PrecompiledParts {
  const artifact = unwrapNamespace(value);
  if (artifact === null) throw new DeserializeError('not a precompiled tswasm module (expected the default export of a module written by tswasm compile --js)');
  const format = artifact.format;
  if (typeof format !== 'string' || !format.startsWith(`${FORMAT_TAG}/`)) throw new DeserializeError('not a precompiled tswasm module (no format tag)');
  if (format !== `${FORMAT_TAG}/${JS_FORMAT_VERSION}`) throw new DeserializeError(`precompiled module has format ${format}; this tswasm reads ${FORMAT_TAG}/${JS_FORMAT_VERSION}`);
  if (typeof artifact.version !== 'string') throw new DeserializeError('precompiled module states no tswasm version');
  if (artifact.version !== VERSION) throw new DeserializeError(`precompiled module was made by tswasm ${artifact.version}; this is tswasm ${VERSION}`);
  if (artifact.fingerprint !== fingerprint) {
    throw new DeserializeError(`precompiled module was compiled for another configuration: ${describeDifference(String(artifact.fingerprint), fingerprint)}`);
  }
  if (typeof artifact.factory !== 'function') throw new DeserializeError('precompiled module has no factory function');
  const wasm = typeof artifact.wasm === 'string' ? decodeBase64(artifact.wasm) : null;
  if (wasm === null) throw new DeserializeError('precompiled module: its wasm field is not base64');
  const digest = hexDigest(wasm);
  if (digest !== artifact.digest) throw new DeserializeError('precompiled module: its wasm bytes do not match its digest (edited?)');
  return { wasm, factory: artifact.factory as () => unknown, digest, key: precompiledKey(digest) };
}

function unwrapNamespace(value: unknown): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.format === 'string') return v;
  const inner = v.default;
  return inner !== null && typeof inner === 'object' ? inner as Record<string, unknown> : null;
}
