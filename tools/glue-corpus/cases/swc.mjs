// @swc/wasm (Rust, wasm-bindgen, 18 MB): TypeScript with decorators and JSX transformed and
// minified, and a parse to an AST.
import { renewsViewsOnlyWhenDetached } from '../stale-views.mjs';
/** Modes whose output cannot match native's, with why (run.mjs reports them as expected). */
export const notFor = { nodetach: renewsViewsOnlyWhenDetached('wasm-bindgen') };
import { createRequire } from 'node:module';
export default async function () {
  const swc = createRequire(import.meta.url)('@swc/wasm');
  let src = 'interface P { x: number }\nenum E { A, B = 5, C }\n';
  for (let i = 0; i < 40; i++) src += `export class C${i}<T extends P> { private v: T[] = []; constructor(readonly n: number = ${i}) {} add(t: T): this { this.v.push(t); return this; } get sum(): number { return this.v.reduce((a, p) => a + p.x * ${i + 1}, 0) ?? E.B; } async *gen() { for (const t of this.v) yield await Promise.resolve(t?.x ?? 0); } }\n`;
  const out = [];
  const t = swc.transformSync(src, { jsc: { parser: { syntax: 'typescript' }, target: 'es2015' }, minify: true });
  out.push(t.code);
  const jsx = swc.transformSync('const A = ({a, ...r}) => <div className="x" {...r}>{a.map(i => <span key={i}>{i}</span>)}</div>;', { jsc: { parser: { syntax: 'ecmascript', jsx: true }, target: 'es5' } });
  out.push(jsx.code);
  const ast = swc.parseSync('let a = 1 + 2 * 3; function f(x) { return x ** 2 }', { syntax: 'ecmascript' });
  out.push(JSON.stringify(ast).length + ' ' + ast.body.length);
  return out.join('\n');
}
