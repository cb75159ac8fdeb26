// tiktoken (Rust, wasm-bindgen, 5.6 MB with its BPE tables): encodes and decodes text with
// cl100k_base and o200k_base.
import { renewsViewsOnlyWhenDetached } from '../stale-views.mjs';
/** Modes whose output cannot match native's, with why (run.mjs reports them as expected). */
export const notFor = { nodetach: renewsViewsOnlyWhenDetached('wasm-bindgen') };
import { createRequire } from 'node:module';
export default async function () {
  const { get_encoding } = createRequire(import.meta.url)('tiktoken');
  const out = [];
  let text = '';
  for (let i = 0; i < 200; i++) text += `Sentence ${i}: the quick brown fox ${'jumps'.repeat(i % 4)} over ${i * 7919} lazy dogs — ünïcødé ✓ 漢字 🎉. `;
  for (const name of ['cl100k_base', 'o200k_base']) {
    const enc = get_encoding(name);
    const tokens = enc.encode(text);
    const back = new TextDecoder().decode(enc.decode(tokens));
    out.push(`${name} ${tokens.length} ${Array.from(tokens.slice(0, 40)).join(',')} ${back === text}`);
    enc.free();
  }
  return out.join('\n');
}
