// @chainsafe/as-sha256 (AssemblyScript, a scalar and a 128-bit SIMD build): SHA-256 of messages of
// many lengths, 64-byte pairs, and the batched digests the SIMD build hashes four lanes at a time.
export default async function () {
  const sha = await import('@chainsafe/as-sha256');
  const out = [];
  for (const simd of [false, true]) {
    sha.reinitializeInstance(simd);
    const parts = [`simd ${sha.simdEnabled}`];
    for (let n = 0; n < 300; n += 7) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255);
      parts.push(Buffer.from(sha.digest(data)).toString('hex').slice(0, 12));
    }
    const pair = new Uint8Array(64).map((_, i) => i * 5);
    parts.push('d64 ' + Buffer.from(sha.digest64(pair)).toString('hex'));
    if (sha.batchHash4UintArray64s) {
      const inputs = [0, 1, 2, 3].map((k) => new Uint8Array(64).map((_, i) => (i + k * 17) & 255));
      parts.push('batch ' + sha.batchHash4UintArray64s(inputs).map((d) => Buffer.from(d).toString('hex').slice(0, 16)).join(','));
    }
    const h = new sha.SHA256().init();
    for (let i = 0; i < 100; i++) h.update(new Uint8Array(i + 1).fill(i));
    parts.push('stream ' + Buffer.from(h.final()).toString('hex'));
    out.push(parts.join(' '));
  }
  return out.join('\n');
}
