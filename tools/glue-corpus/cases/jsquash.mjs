// jSquash codecs: WebP encode (the SIMD build) and decode, mozjpeg encode and decode (emscripten),
// PNG (Rust); the bytes.
import { renewsViewsOnlyWhenDetached } from '../stale-views.mjs';
/** Modes whose output cannot match native's, with why (run.mjs reports them as expected). */
export const notFor = { nodetach: renewsViewsOnlyWhenDetached('the PNG codec is wasm-bindgen, which') };
import fs from 'node:fs';
import { createHash } from 'node:crypto';
const wasm = async (p) => WebAssembly.compile(fs.readFileSync('node_modules/@jsquash/' + p));
export default async function () {
  const W = 257, H = 193;
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { const i = (y * W + x) * 4; data[i] = (x * 3 + y) & 255; data[i + 1] = (x * y) >> 4 & 255; data[i + 2] = Math.round(127 + 120 * Math.sin(x / 9) * Math.cos(y / 7)); data[i + 3] = 255 - ((x + y) & 63); }
  const img = { data, width: W, height: H, colorSpace: 'srgb' };
  const h = (b) => createHash('sha256').update(new Uint8Array(b.buffer ?? b, b.byteOffset ?? 0, b.byteLength)).digest('hex').slice(0, 16);
  const out = [];
  const webpEnc = await import('@jsquash/webp/encode.js');
  await webpEnc.init(await wasm('webp/codec/enc/webp_enc_simd.wasm'));
  const webp = await webpEnc.default(img, { quality: 80, method: 4 });
  out.push('webp ' + webp.byteLength + ' ' + h(webp));
  const webpLossless = await webpEnc.default(img, { lossless: 1, quality: 100 });
  out.push('webp-lossless ' + webpLossless.byteLength + ' ' + h(webpLossless));
  const webpDec = await import('@jsquash/webp/decode.js');
  await webpDec.init(await wasm('webp/codec/dec/webp_dec.wasm'));
  const back = await webpDec.default(webp);
  out.push('webp-dec ' + back.width + 'x' + back.height + ' ' + h(back.data));
  const jpegEnc = await import('@jsquash/jpeg/encode.js');
  await jpegEnc.init(await wasm('jpeg/codec/enc/mozjpeg_enc.wasm'));
  const jpg = await jpegEnc.default(img, { quality: 75 });
  out.push('jpeg ' + jpg.byteLength + ' ' + h(jpg));
  const jpegDec = await import('@jsquash/jpeg/decode.js');
  await jpegDec.init(await wasm('jpeg/codec/dec/mozjpeg_dec.wasm'));
  const jback = await jpegDec.default(jpg);
  out.push('jpeg-dec ' + h(jback.data));
  const pngEnc = await import('@jsquash/png/encode.js');
  const pngDec = await import('@jsquash/png/decode.js');
  const pngWasm = fs.readdirSync('node_modules/@jsquash/png/codec/pkg').find((f) => f.endsWith('.wasm'));
  await pngEnc.init(await wasm('png/codec/pkg/' + pngWasm));
  const png = await pngEnc.default(img);
  out.push('png ' + png.byteLength + ' ' + h(png));
  const pback = await pngDec.default(png);
  out.push('png-dec ' + h(pback.data));
  return out.join('\n');
}
