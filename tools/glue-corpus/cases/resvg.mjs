// resvg (Rust, wasm-bindgen): renders an SVG with gradients and a blur filter to PNG.
import { renewsViewsOnlyWhenDetached } from '../stale-views.mjs';
/** Modes whose output cannot match native's, with why (run.mjs reports them as expected). */
export const notFor = { nodetach: renewsViewsOnlyWhenDetached('wasm-bindgen') };
import fs from 'node:fs';
import { createHash } from 'node:crypto';
export default async function () {
  const { initWasm, Resvg } = await import('@resvg/resvg-wasm');
  await initWasm(fs.readFileSync('node_modules/@resvg/resvg-wasm/index_bg.wasm'));
  let svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300"><defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f" stop-opacity="0.5"/></linearGradient><filter id="b"><feGaussianBlur stdDeviation="3"/></filter></defs>';
  for (let i = 0; i < 60; i++) svg += `<circle cx="${(i * 37) % 400}" cy="${(i * 53) % 300}" r="${5 + (i % 20)}" fill="url(#g)" stroke="#333" stroke-width="${i % 4}" ${i % 5 === 0 ? 'filter="url(#b)"' : ''}/><path d="M${i} ${i * 2} Q ${i * 3} ${300 - i} ${400 - i} ${i} T 10 290" fill="none" stroke="rgba(0,128,0,0.4)"/>`;
  svg += '</svg>';
  const r = new Resvg(svg, { fitTo: { mode: 'width', value: 800 } });
  const png = r.render().asPng();
  return 'png ' + png.length + ' ' + createHash('sha256').update(png).digest('hex');
}
