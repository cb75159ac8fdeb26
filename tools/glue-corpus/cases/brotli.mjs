// brotli-wasm (Rust, wasm-bindgen): compresses text at three qualities and decompresses it, also
// through the streaming API.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
export default async function () {
  const brotli = await createRequire(import.meta.url)('brotli-wasm');
  let text = '';
  for (let i = 0; i < 3000; i++) text += `line ${i} ${(i * 2654435761 >>> 0).toString(36)} ${'abc'.repeat(i % 7)}\n`;
  const input = new TextEncoder().encode(text);
  const out = [];
  for (const quality of [1, 6, 11]) {
    const c = brotli.compress(input, { quality });
    const d = brotli.decompress(c);
    out.push(`q${quality} ${c.length} ${createHash('sha256').update(c).digest('hex').slice(0, 16)} ${Buffer.from(d).equals(Buffer.from(input))}`);
  }
  const stream = new brotli.CompressStream(5);
  const parts = [];
  for (let i = 0; i < input.length; i += 4096) parts.push(stream.compress(input.subarray(i, i + 4096), 1 << 16));
  parts.push(stream.compress(undefined, 1 << 16));
  out.push('stream ' + parts.map((p) => `${p.code}:${p.buf.length}:${p.input_offset}`).join(","));
  return out.join('\n');
}
