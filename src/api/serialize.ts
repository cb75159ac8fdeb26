// The serialized form of a compiled module and its checks. Layout: magic, format version, flags,
// then length-prefixed fields (tswasm version, engine fingerprint, wasm bytes, generated JS), then a
// 32-byte tag over everything before it: HMAC-SHA-256 under the engine's key, or a plain SHA-256.

import { hmacSha256, equalBytes } from './crypto/hmac.js';
import { sha256 } from './crypto/sha256.js';
import { VERSION } from './version.js';
import { utf8Bytes, utf8Text } from '../core/utf8.js';

/** Bumped whenever the layout or the meaning of a field changes. */
export const FORMAT_VERSION = 1;
const MAGIC = new Uint8Array([0x00, 0x74, 0x73, 0x77, 0x61, 0x73, 0x6d, 0x63]); // "\0tswasmc"
const FLAG_KEYED = 1;
const TAG_BYTES = 32;
const HEADER_BYTES = MAGIC.length + 4 + 1;

/** Whether `bytes` start like the output of Module.serialize (a quick check; decodeModule checks the rest). */
export function isSerializedModule(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && equalBytes(bytes.subarray(0, MAGIC.length), MAGIC);
}

/** A serialized module was refused: wrong format, version or configuration, or it failed its integrity check. */
export class DeserializeError extends Error {}
Object.defineProperty(DeserializeError.prototype, 'name', { value: 'DeserializeError', writable: true, configurable: true });

/** What a serialized module carries besides its versions. */
export interface SerializedParts {
  readonly fingerprint: string;
  readonly wasm: Uint8Array;
  /** The generated factory source without its sourceURL line (which is per process). */
  readonly source: string;
}

/** Lays out a serialized module and its tag (HMAC under `key`, or SHA-256 without one). */
export function encodeModule(parts: SerializedParts, key: Uint8Array | null): Uint8Array {
  const fields = [utf8Bytes(VERSION), utf8Bytes(parts.fingerprint), parts.wasm, utf8Bytes(parts.source)];
  const size = HEADER_BYTES + fields.reduce((n, f) => n + 4 + f.length, 0) + TAG_BYTES;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(MAGIC.length, FORMAT_VERSION, true);
  out[MAGIC.length + 4] = key !== null ? FLAG_KEYED : 0;
  let at = HEADER_BYTES;
  for (const f of fields) {
    view.setUint32(at, f.length, true);
    out.set(f, at + 4);
    at += 4 + f.length;
  }
  const body = out.subarray(0, at);
  out.set(key !== null ? hmacSha256(key, body) : sha256(body), at);
  return out;
}

/**
 * Checks a serialized module and returns its parts; throws DeserializeError for anything that is
 * not an intact blob made by this tswasm version for this configuration (and, with a key, signed
 * under that key). Nothing in the blob is evaluated here.
 */
export function decodeModule(blob: Uint8Array, key: Uint8Array | null, fingerprint: string): SerializedParts {
  if (blob.length < HEADER_BYTES + TAG_BYTES || !equalBytes(blob.subarray(0, MAGIC.length), MAGIC)) {
    throw new DeserializeError('not a serialized tswasm module');
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const format = view.getUint32(MAGIC.length, true);
  if (format !== FORMAT_VERSION) throw new DeserializeError(`serialized module has format version ${format}; this tswasm reads version ${FORMAT_VERSION}`);
  const keyed = (blob[MAGIC.length + 4]! & FLAG_KEYED) !== 0;
  const bodyEnd = blob.length - TAG_BYTES;
  const body = blob.subarray(0, bodyEnd);
  const tag = blob.subarray(bodyEnd);
  if (key !== null) {
    if (!keyed) throw new DeserializeError('serialized module is not signed, and this engine accepts only modules signed with its serializationKey');
    if (!equalBytes(hmacSha256(key, body), tag)) throw new DeserializeError('serialized module signature does not verify (tampered, or signed with another key)');
  } else {
    if (keyed) throw new DeserializeError('serialized module is signed; configure the engine with the serializationKey to verify it');
    if (!equalBytes(sha256(body), tag)) throw new DeserializeError('serialized module checksum does not match (corrupted)');
  }
  const fields: Uint8Array[] = [];
  let at = HEADER_BYTES;
  while (at < bodyEnd) {
    if (at + 4 > bodyEnd) throw new DeserializeError('serialized module is truncated');
    const n = view.getUint32(at, true);
    if (at + 4 + n > bodyEnd) throw new DeserializeError('serialized module is truncated');
    fields.push(blob.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  if (fields.length !== 4) throw new DeserializeError(`serialized module has ${fields.length} fields, expected 4`);
  const text = (bytes: Uint8Array): string => {
    const s = utf8Text(bytes);
    if (s === null) throw new DeserializeError('serialized module has a field that is not UTF-8');
    return s;
  };
  const version = text(fields[0]!);
  if (version !== VERSION) throw new DeserializeError(`serialized module was made by tswasm ${version}; this is tswasm ${VERSION}`);
  const theirs = text(fields[1]!);
  if (theirs !== fingerprint) throw new DeserializeError(`serialized module was compiled for another configuration: ${describeDifference(theirs, fingerprint)}`);
  return { fingerprint: theirs, wasm: fields[2]!.slice(), source: text(fields[3]!) };
}

/** The settings that differ between two fingerprints, for the error message. */
export function describeDifference(theirs: string, ours: string): string {
  const parse = (s: string) => new Map(s.split(';').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const a = parse(theirs);
  const b = parse(ours);
  const diff = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
  return diff.map((k) => {
    const x = a.get(k);
    const y = b.get(k);
    // The feature list is long: name only the features on one side.
    if (k === 'features' && x !== undefined && y !== undefined) {
      const xs = new Set(x.split(','));
      const ys = new Set(y.split(','));
      const only = (p: Set<string>, q: Set<string>) => [...p].filter((f) => !q.has(f)).join(', ') || 'none';
      return `features differ (only there: ${only(xs, ys)}; only here: ${only(ys, xs)})`;
    }
    // Code for NaN-boxing engines runs exactly on V8 too: say how to load it here.
    if (k === 'nanBoxes' && x === 'true' && y === 'false') return 'nanBoxes is true there, false here (an Engine with nanBoxes: true loads it)';
    if (k === 'nanBoxes' && x === 'false' && y === 'true') return 'nanBoxes is false there, true here (compile it with nanBoxes: true, or -W nan-boxes, to run it on this engine)';
    return `${k} is ${x ?? '(unset)'} there, ${y ?? '(unset)'} here`;
  }).join('; ');
}
