// wabt.js (emscripten, C++): parses, validates and writes the first module of each spec script (or
// the project's .wat examples).
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
const require = createRequire(import.meta.url);
export default async function ({ root }) {
  const wabt = await require('wabt')();
  const out = [];
  // The spec suite's scripts (WASM_TESTSUITE, as for npm test); without it, the project's own .wat files.
  const suite = process.env.WASM_TESTSUITE ?? `${root}/../shared/testsuite`;
  const dir = fs.existsSync(suite) ? suite : `${root}/examples`;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.wast') || f.endsWith('.wat')).sort().slice(0, 400);
  // Modules from spec scripts: take each top-level (module ...) that is not binary/quote.
  for (const f of files) {
    const text = fs.readFileSync(`${dir}/${f}`, 'utf8');
    try {
      const script = wabt.parseWast ? null : null;
      const m = wabt.parseWat(f, text.includes('(module') ? extractFirstModule(text) : '(module)', { multi_value: true, bulk_memory: true, reference_types: true, simd: true, tail_call: true, exceptions: true, mutable_globals: true, sat_float_to_int: true, sign_extension: true });
      m.resolveNames(); m.validate();
      const { buffer } = m.toBinary({ log: false, write_debug_names: true });
      out.push(f + ' ' + createHash('sha256').update(buffer).digest('hex').slice(0, 12) + ' ' + m.toText({ foldExprs: true, inlineExport: true }).length);
      m.destroy();
    } catch (e) { out.push(f + ' error ' + String(e.message ?? e).split('\n')[0]); }
  }
  return out.join('\n');
}
function extractFirstModule(text) {
  const i = text.indexOf('(module');
  let depth = 0, j = i;
  for (; j < text.length; j++) { const c = text[j]; if (c === '(') depth++; else if (c === ')') { depth--; if (depth === 0) break; } else if (c === '"') { j++; while (text[j] !== '"') { if (text[j] === '\\') j++; j++; } } else if (c === ';' && text[j + 1] === ';') { while (text[j] !== '\n') j++; } }
  const m = text.slice(i, j + 1);
  return /\(module\s+(binary|quote|definition|instance)/.test(m) ? '(module)' : m;
}
