// vscode-oniguruma (emscripten): scans 60 KB of JS with five regular expressions (Unicode classes,
// look-behind).
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export default async function ({ dist }) {
  const onig = require('vscode-oniguruma');
  const wasm = fs.readFileSync('node_modules/vscode-oniguruma/release/onig.wasm');
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const scanner = new onig.OnigScanner(['\\b(function|return|const|let|var)\\b', '"(?:[^"\\\\]|\\\\.)*"', '\\d+(\\.\\d+)?', '(?<=\\.)\\w+', '\\p{Lu}\\p{Ll}+']);
  const text = fs.readFileSync(`${dist}/src/compile/function-compiler.js`, 'utf8').slice(0, 60000);
  const s = new onig.OnigString(text);
  const out = []; let pos = 0, n = 0;
  while (pos < text.length && n < 20000) { const m = scanner.findNextMatchSync(s, pos); if (!m) break; out.push(m.index + ':' + m.captureIndices[0].start); pos = Math.max(pos + 1, m.captureIndices[0].end); n++; }
  s.dispose(); scanner.dispose();
  return n + ' ' + out.join(',');
}
