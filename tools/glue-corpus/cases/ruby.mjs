// ruby.wasm 3.3 (WASI, Asyncify): evaluates Ruby (JSON, Digest, fibers, SystemStackError) with
// tswasm/wasi's WASI, since node:wasi accepts only Node's own memories.
import fs from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
export default async function ({ dist }) {
  const { RubyVM } = require('@ruby/wasm-wasi/dist/vm');
  // On both runtimes: node:wasi's own WASI gives the same output on native (checked by hand).
  const { WASI } = await import(`${dist}/src/wasi/index.js`);
  const bytes = fs.readFileSync('node_modules/@ruby/3.3-wasm-wasi/dist/ruby+stdlib.wasm');
  const module = await WebAssembly.compile(bytes);
  const { vm } = await RubyVM.instantiateModule({ module, wasip1: new WASI({ version: 'preview1', returnOnExit: true }) });
  const out = [];
  const ev = (code) => { try { out.push(String(vm.eval(code).toString())); } catch (e) { out.push('ERR ' + String(e.message).split('\n')[0]); } };
  ev('RUBY_VERSION');
  ev('(1..20).map { |i| i ** 3 }.select(&:even?).sum');
  ev('require "json"; JSON.generate({a: [1, 2.5, nil], b: "x" * 3})');
  ev('require "digest"; Digest::SHA256.hexdigest("tswasm")');
  ev('def fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2); fib(20)');
  ev('begin; raise ArgumentError, "boom"; rescue => e; "#{e.class}: #{e.message}"; end');
  ev('Fiber.new { Fiber.yield 1; 2 }.then { |f| [f.resume, f.resume] }.inspect');
  ev('"%.10f" % Math.sqrt(2) + " " + (2**100).to_s + " " + 1.0.next_float.to_s');
  ev('def deep(n) = deep(n + 1); begin; deep(0); rescue SystemStackError => e; e.class.to_s; end');
  ev('[3,1,2].sort.reverse.inspect + " " + {b: 1, a: 2}.sort.to_h.inspect');
  ev('nope_method_xyz');
  return out.join('\n');
}
