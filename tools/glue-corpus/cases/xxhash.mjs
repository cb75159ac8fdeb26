// xxhash-wasm (hand-written wasm, i64 arithmetic): h32, h64 and a streaming h64 over growing
// strings.
export default async function () {
  const { default: xxhash } = await import('xxhash-wasm');
  const h = await xxhash();
  const out = [];
  let s = '';
  for (let i = 0; i < 300; i++) { s += String.fromCharCode(32 + (i * 7919) % 95) + (i % 17 === 0 ? 'é✓' : ''); out.push(h.h32(s, i).toString(16) + ':' + h.h64(s, BigInt(i) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn).toString(16)); }
  const st = h.create64(7n); for (let i = 0; i < 50; i++) st.update('chunk' + i); out.push('stream ' + st.digest().toString(16));
  return out.join(' ');
}
