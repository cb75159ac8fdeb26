// jco-transpile (the Bytecode Alliance's component tooling: wasm-tools and js-component-bindgen
// compiled to wasm, run through jco's own transpiled component glue): text to a component, printed back,
// its WIT, and the component transpiled to JS.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
export default async function () {
  const { parse, print, componentWit } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
  let funcs = '', lifts = '';
  for (let i = 0; i < 20; i++) {
    funcs += `(func (export "f${i}") (param i32 i64) (result i64) local.get 1 local.get 0 i64.extend_i32_u i64.const ${i * 7919} i64.mul i64.add)\n`;
    lifts += `(func (export "f${i}") (param "a" u32) (param "b" u64) (result u64) (canon lift (core func $i "f${i}")))\n`;
  }
  const wat = `(component (core module $m ${funcs}) (core instance $i (instantiate $m)) ${lifts})`;
  const bytes = await parse(wat);
  const out = [createHash('sha256').update(bytes).digest('hex').slice(0, 16), await print(bytes), await componentWit(bytes)];
  const { files } = await transpileBytes(bytes, { name: 'adder' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jco-case-'));
  for (const [name, data] of Object.entries(files).sort()) {
    out.push(`${name} ${data.length} ${createHash('sha256').update(data).digest('hex').slice(0, 16)}`);
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  // The transpiled component, run: its glue instantiates the core module through WebAssembly.
  const adder = await import(pathToFileURL(path.join(dir, 'adder.js')).href);
  await adder.$init;
  for (let i = 0; i < 20; i++) out.push(`f${i} ${adder[`f${i}`](i * 1000003, 2n ** 63n + BigInt(i))}`);
  fs.rmSync(dir, { recursive: true });
  return out.join('\n');
}
