// HMAC-SHA-256 (RFC 2104) over SHA-256 in plain TypeScript, and a comparison of tags whose time
// does not depend on where they first differ.

import { Sha256, sha256 } from './sha256.js';

const BLOCK = 64;

/** HMAC-SHA-256 of the concatenation of `parts` under `key`. */
export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const k = new Uint8Array(BLOCK);
  k.set(key.length > BLOCK ? sha256(key) : key);
  const ipad = k.map((b) => b ^ 0x36);
  const opad = k.map((b) => b ^ 0x5c);
  const inner = new Sha256().update(ipad);
  for (const p of parts) inner.update(p);
  return new Sha256().update(opad).update(inner.digest()).digest();
}

/** Whether two byte strings are equal, looking at every byte regardless of mismatches. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
