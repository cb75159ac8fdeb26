// web-tree-sitter 0.22 (emscripten main module) loading grammar side modules by dynamic linking:
// parses JS, C, Python, Rust, Go, JSON, C++.
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export default async function ({ dist, root }) {
  const Parser = require('web-tree-sitter');
  await Parser.init();
  const Language = Parser.Language;
  const out = [];
  const samples = {
    javascript: fs.readFileSync(`${dist}/src/compile/function-compiler.js`, 'utf8'),
    c: fs.readFileSync(`${root}/test/wasi/programs/files.c`, 'utf8'),
    python: 'def f(x):\n    return [i * 2 for i in range(x) if i % 3]\nclass A(B):\n    @dec\n    def g(self, *a, **k): yield from f(3)\n',
    rust: 'fn main() { let v: Vec<u32> = (0..10).map(|x| x * 2).collect(); println!("{:?}", v); }',
    go: 'package main\nimport "fmt"\nfunc main() { ch := make(chan int); go func() { ch <- 1 }(); fmt.Println(<-ch) }\n',
    json: '{"a": [1, 2, {"b": null}], "c": "d"}',
    cpp: 'template <typename T> struct S { T x; auto f() const -> T { return x; } }; int main() { S<int> s{1}; return s.f(); }',
  };
  for (const [lang, code] of Object.entries(samples)) {
    const L = await Language.load(`node_modules/tree-sitter-wasms/out/tree-sitter-${lang}.wasm`);
    const p = new Parser(); p.setLanguage(L);
    const tree = p.parse(code);
    out.push(lang + ' ' + tree.rootNode.toString().length + ' ' + tree.rootNode.descendantCount + ' ' + tree.rootNode.toString().slice(0, 200));
    tree.delete(); p.delete();
  }
  return out.join('\n');
}
