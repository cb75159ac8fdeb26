// Rollup's wasm build (Rust SWC parser, wasm-bindgen, with rollup's JS driving it): bundles 30
// in-memory ES modules with tree-shaking into ESM and CJS.
import { createRequire } from 'node:module';
export default async function () {
  const { rollup } = createRequire(import.meta.url)('@rollup/wasm-node');
  const files = { 'main.js': Array.from({ length: 30 }, (_, i) => `import { f${i} } from './m${i}.js';`).join('\n') + `\nexport const total = [${Array.from({ length: 30 }, (_, i) => `f${i}(${i})`).join(', ')}].reduce((a, b) => a + b, 0);\n` };
  for (let i = 0; i < 30; i++) files[`m${i}.js`] = `export const unused${i} = () => 'dead ${i}';\nexport class K${i} { static x = ${i}; #p = ${i * 2}; get p() { return this.#p; } }\nexport function f${i}(x) { const k = new K${i}(); return x * ${i + 1} + k.p + (x ?? 0) ** 2; }\n`;
  const plugin = { name: 'memory', resolveId: (id) => id.replace(/^\.\//, ''), load: (id) => files[id] };
  const bundle = await rollup({ input: 'main.js', plugins: [plugin] });
  const out = [];
  for (const format of ['es', 'cjs']) {
    const { output } = await bundle.generate({ format });
    out.push(output[0].code);
  }
  await bundle.close();
  return out.join('\n----\n');
}
