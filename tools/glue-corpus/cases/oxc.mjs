// oxc-parser's wasm32-wasi binding (Rust, napi-rs with emnapi, wasi-threads): it loads through
// node:wasi and runs async work on a pool of Workers, to which it posts its shared Memory and
// Module; so its tswasm side runs on tswasm/register (node:wasi's WASI there is tswasm's).
// TypeScript is parsed synchronously and asynchronously, and the ASTs are compared.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

export const workers = true;

export default async function () {
  const oxc = createRequire(import.meta.url)('@oxc-parser/binding-wasm32-wasi');
  const digest = (x) => createHash('sha256').update(typeof x === 'string' ? x : JSON.stringify(x)).digest('hex').slice(0, 16);
  const source = [
    'interface Point { x: number; y: number }',
    ...Array.from({ length: 300 }, (_, i) => `export const f${i} = <T extends Point>(p: T, k = ${i}): number => p.x * k + p.y / ${i + 1};`),
    'class C<T> { #v: T; constructor(v: T) { this.#v = v } get value() { return this.#v } }',
    'let broken = (1 + ;',
  ].join('\n');
  const sync = oxc.parseSync('input.ts', source);
  const results = await Promise.all([0, 1, 2, 3].map((i) => oxc.parse(`input${i}.ts`, source)));
  return [
    `sync program ${digest(sync.program)} module ${digest(sync.module)} errors ${sync.errors.length} ${digest(sync.errors)}`,
    ...results.map((r, i) => `async ${i} program ${digest(r.program)} module ${digest(r.module)} errors ${r.errors.length}`),
  ].join('\n');
}
