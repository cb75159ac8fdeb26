// Biome (Rust, wasm-bindgen with externref tables): formats and lints JS from the project's build.
import { renewsViewsOnlyWhenDetached } from '../stale-views.mjs';
/** Modes whose output cannot match native's, with why (run.mjs reports them as expected). */
export const notFor = { nodetach: renewsViewsOnlyWhenDetached('wasm-bindgen') };
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export default async function ({ dist }) {
  const b = require('@biomejs/wasm-nodejs');
  const ws = new b.Workspace();
  const { projectKey } = ws.openProject({ path: '/', openUninitialized: true });
  const src = fs.readFileSync(`${dist}/src/jsapi/export-adaptor.js`, 'utf8') + fs.readFileSync(`${dist}/src/api/linker.js`, 'utf8');
  ws.openFile({ projectKey, path: '/x.js', content: { type: 'fromClient', content: src, version: 0 } });
  const f = ws.formatFile({ projectKey, path: '/x.js' });
  const d = ws.pullDiagnostics({ projectKey, path: '/x.js', categories: ['syntax', 'lint'], maxDiagnostics: 50, only: [], skip: [], enabledRules: [], pullCodeActions: false });
  return f.code.length + ' ' + f.code.slice(0, 2000) + JSON.stringify(d.diagnostics.map((x) => x.category)).slice(0, 3000);
}
