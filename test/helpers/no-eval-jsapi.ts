// A WebAssembly namespace given a precompiled module (createWebAssembly({ precompiled })), driven
// the way glue code drives one, for test/jsapi/no-eval.test.ts: run with and without
// --disallow-code-generation-from-strings, it must print the same JSON.
// Usage: node no-eval-jsapi.js ARTIFACT.mjs

import { pathToFileURL } from 'node:url';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { canGenerateCode } from '../../src/api/index.js';
import { parseWat } from '../../src/text/index.js';

export const JSAPI_WAT = `(module $glue
  (import "env" "pair" (func $pair (param i64 f32) (result i32 i64)))
  (import "env" "ext" (func $ext (param externref) (result externref)))
  (type $s (struct (field (mut i32)) (field f64)))
  (type $un (func (param i64) (result i64)))
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $fac $add64)
  (memory (export "mem") 1)
  (func $add64 (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "f32") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 3)))
  (func (export "multi") (param i64 f32) (result i32 i64) (call $pair (local.get 0) (local.get 1)))
  (func (export "echo") (param externref) (result externref) (call $ext (local.get 0)))
  (func (export "self") (result funcref) (ref.func $add64))
  (func $deep (export "trap") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (call $deep (i32.sub (local.get 0) (i32.const 1)))) (else (unreachable))))
  (func (export "newS") (param f64) (result anyref) (struct.new $s (i32.const 7) (local.get 0)))
  (func (export "getS") (param anyref) (result f64) (struct.get $s 1 (ref.cast (ref $s) (local.get 0))))
  (func $fac (param i64) (result i64) (return_call $facAcc (local.get 0) (i64.const 1)))
  (func $facAcc (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
      (else (return_call $facAcc (i64.sub (local.get 0) (i64.const 1)) (i64.mul (local.get 0) (local.get 1))))))
  (func (export "facIndirect") (param i64) (result i64) (return_call_indirect $t (type $un) (local.get 0) (i32.const 0)))
  (func (export "v128") (param v128)))`;

const outcome = (f: () => unknown): unknown => {
  try {
    const v = f();
    return typeof v === 'bigint' ? `${v}n` : v;
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message };
  }
};

async function main(artifactPath: string): Promise<void> {
  const artifact = (await import(pathToFileURL(artifactPath).href) as { default: unknown }).default;
  const WA = createWebAssembly({ precompiled: [artifact] });
  const bytes = parseWat(JSAPI_WAT);
  const token = { host: 'object' };
  const imports = {
    env: {
      pair: (x: bigint, y: number) => [Math.trunc(y * 2), x * 3n],
      ext: (v: unknown) => (v === token ? token : 'other'),
    },
  };
  const { instance } = await WA.instantiate(bytes, imports) as { instance: { exports: Record<string, any> } };
  const e = instance.exports;
  const s = e.newS(1.5);
  const out: Record<string, unknown> = {
    codeGeneration: canGenerateCode(),
    validate: WA.validate(bytes),
    add64: outcome(() => e.add64(2n ** 40n, -5n)),
    add64Wrap: outcome(() => e.add64(2n ** 63n - 1n, 1n)),
    add64Bad: outcome(() => e.add64(1, 2n)),
    f32: outcome(() => e.f32(1.1)),
    multi: outcome(() => e.multi(7n, 2.75).map((v: unknown) => typeof v === 'bigint' ? `${v}n` : v)),
    echoSame: outcome(() => e.echo(token) === token),
    echoOther: outcome(() => e.echo(42)),
    self: outcome(() => { const f = e.self(); return [f === e.add64, f.name, f.length]; }),
    lengths: Object.keys(e).sort().map((k) => `${k}/${typeof e[k] === 'function' ? e[k].length : '-'}`),
    trap: outcome(() => e.trap(3)),
    trapIsRuntimeError: outcome(() => { try { e.trap(1); } catch (err) { return err instanceof WA.RuntimeError; } return 'no trap'; }),
    struct: outcome(() => e.getS(s)),
    structOpaque: outcome(() => Object.keys(s).length),
    fac: outcome(() => e.facIndirect(20n)),
    v128: outcome(() => e.v128()),
    memory: outcome(() => e.mem instanceof WA.Memory && e.mem.buffer.byteLength),
  };
  out.unknownBytes = await WA.compile(parseWat('(module (func (export "x")))')).then(() => 'compiled', (err: Error) => ({ threw: err.constructor.name, message: err.message }));
  process.stdout.write(JSON.stringify(out));
}

if (process.argv[2] !== undefined) await main(process.argv[2]);
