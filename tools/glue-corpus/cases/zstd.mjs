// @bokuweb/zstd-wasm (C, emscripten): compresses at levels 1, 10 and 19 and decompresses.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
export default async function () {
  const { init, compress, decompress } = createRequire(import.meta.url)('@bokuweb/zstd-wasm');
  await init();
  let text = '';
  for (let i = 0; i < 4000; i++) text += `${i}:${(i * 40503 >>> 0) % 977} ${'xyz'.repeat(i % 5)}|`;
  const input = new TextEncoder().encode(text);
  const out = [];
  for (const level of [1, 10, 19]) {
    const c = compress(input, level);
    const d = decompress(c);
    out.push(`l${level} ${c.length} ${createHash('sha256').update(c).digest('hex').slice(0, 16)} ${Buffer.from(d).equals(Buffer.from(input))}`);
  }
  return out.join('\n');
}
