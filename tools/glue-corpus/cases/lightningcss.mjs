// Lightning CSS (Rust, napi-wasm): minifies and lowers CSS for old browser targets.
import { renewsViewsOnlyWhenDetached } from '../stale-views.mjs';
/** Modes whose output cannot match native's, with why (run.mjs reports them as expected). */
export const notFor = { nodetach: renewsViewsOnlyWhenDetached('napi-wasm') };
export default async function () {
  const css = await import('lightningcss-wasm');
  await css.default();
  const src = `

:root { --main: #ff0000; }
.a { color: rgb(255 0 0 / .5); transition: all .3s ease-in-out; display: flex; }
.b:is(.c, .d) > .e { margin: 0 0 0 0; background: linear-gradient(to right, red, blue); }
@media (min-width: 600px) and (max-width: 900px) { .f { grid-template-columns: repeat(3, 1fr); } }
.g { & .h { color: lab(50% 40 59.5); } user-select: none; }
`.repeat(50);
  const r = css.transform({ filename: 'x.css', code: new TextEncoder().encode(src), minify: true, targets: { safari: (13 << 16), chrome: (80 << 16) }, drafts: { nesting: true } });
  return new TextDecoder().decode(r.code) + JSON.stringify(r.warnings);
}
