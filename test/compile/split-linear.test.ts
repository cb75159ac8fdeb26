// Long straight runs cut into parts between instructions (compile/split-linear.ts), checked against
// Node's own WebAssembly on the same binary. The generated functions have clang's shape for unrolled
// i64 rounds: values stay on the operand stack across whole stretches (an i64, an f64 and an i32
// are carried through each loop body), so parts begin with operands the part before them pushed.
// Inside the cut runs: stores and loads, calls, a branch out of the loop with a value, a return from
// a small block, and the body's result at its end. The generated source must show the parts, so
// nothing passes unsplit; fuel must cost what the whole function costs, and run out one unit short.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Instance, Module, Store, Trap, TrapCode, Val, type Config } from '../../src/index.js';
import { parseWat } from '../../src/text/index.js';

/** `rounds` mixing steps on $x $y $z $w, each leaving the stack as it found it. */
function rounds(n: number, salt: number): string {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = ((k * 7 + salt) % 63) + 1;
    out.push(
      'local.get $x local.get $y i64.add local.tee $x',
      `local.get $w i64.xor i64.const ${r} i64.rotl local.tee $w`,
      'local.get $z i64.add local.set $z',
      `local.get $y i64.const ${k * 0x9e3779b9 + salt} i64.xor local.get $z i64.const ${(k % 31) + 1} i64.shr_u i64.add local.set $y`,
    );
    if (k % 16 === 5) {
      out.push('local.get $z i32.wrap_i64 i32.const 4088 i32.and local.get $x i64.store');
      out.push('local.get $y i32.wrap_i64 i32.const 4088 i32.and i64.load local.get $z i64.xor local.set $z');
    }
    if (k % 32 === 9) out.push('local.get $x call $rot local.set $y');
  }
  return out.join('\n');
}

const wat = `(module
  (memory 1)
  (func $rot (param i64) (result i64) (i64.rotr (local.get 0) (i64.const 17)))
  (func $mix (export "mix") (param $a i64) (param $b i64) (param $n i32) (result i64)
    (local $x i64) (local $y i64) (local $z i64) (local $w i64) (local $f f64) (local $i i32)
    local.get $a local.set $x local.get $b local.set $y
    local.get $a local.get $b i64.xor local.set $z
    f64.const 0.5 local.set $f
    block $exit (result i64)
      loop $top
        local.get $x
        local.get $f
        local.get $i
        ${rounds(200, 1)}
        local.get $x local.get $i i32.const 3 i32.eq br_if $exit drop
        ${rounds(200, 2)}
        i32.const 1 i32.add local.set $i
        f64.const 1.5 f64.mul local.set $f
        local.get $y i64.xor local.set $y
        local.get $i local.get $n i32.lt_u br_if $top
      end
      local.get $x local.get $y i64.add
    end
    local.get $f i64.trunc_sat_f64_u i64.add)
  (func $flat (export "flat") (param $v i64) (result i64)
    (local $x i64) (local $y i64) (local $z i64) (local $w i64)
    local.get $v local.set $x local.get $v i64.const 1 i64.rotl local.set $y
    ${rounds(200, 3)}
    block
      local.get $v i64.eqz i32.eqz br_if 0
      local.get $y return
    end
    ${rounds(200, 4)}
    local.get $x local.get $z i64.xor)
  (func $arms (export "arms") (param $v i64) (result i64)
    (local $x i64) (local $y i64) (local $z i64) (local $w i64)
    local.get $v local.set $x local.get $v local.set $w
    local.get $v i64.const 1 i64.and i32.wrap_i64
    if
      ${rounds(300, 5)}
    else
      ${rounds(300, 6)}
    end
    local.get $x local.get $y i64.add local.get $z i64.add local.get $w i64.add)
  (func $void (export "void") (param $v i64)
    (local $x i64) (local $y i64) (local $z i64) (local $w i64)
    local.get $v local.set $y
    ${rounds(300, 8)}
    i32.const 8 local.get $x local.get $w i64.add i64.store)
  (func (export "peek") (result i64) (i64.load (i32.const 8))))`;

const bytes = parseWat(wat);
const W: any = (globalThis as any).WebAssembly;
const nativeModule = new W.Module(bytes);
/** The call's result on a fresh native instance (the functions store to and load from memory). */
function expected(name: string, values: unknown[]): bigint {
  const exports = new W.Instance(nativeModule).exports;
  const result = exports[name](...values);
  return name === 'void' ? exports.peek() : result;
}

const CALLS: [string, unknown[]][] = [
  ['mix', [0x0123456789abcdefn, 42n, 2]],
  ['mix', [-7n, 0x7fffffffffffffffn, 6]],
  ['mix', [1n, 2n, 1]],
  ['flat', [0n]],
  ['flat', [-123456789n]],
  ['arms', [0x55n]],
  ['arms', [0x1234n]],
  ['void', [99n]],
];

/** A call's result: for `void`, what it stored. */
function run(store: Store<null>, instance: Instance, name: string, values: unknown[]): unknown {
  const results = instance.getFunc(store, name)!.call(store, args(name, values));
  return name === 'void' ? instance.getFunc(store, 'peek')!.call(store, [])[0]!.value : results[0]!.value;
}

function args(name: string, values: unknown[]): Val[] {
  return name === 'mix' ? [Val.i64(values[0] as bigint), Val.i64(values[1] as bigint), Val.i32(values[2] as number)] : [Val.i64(values[0] as bigint)];
}

function instantiate(config: Config, debug?: (source: string) => void): { store: Store<null>; instance: Instance } {
  const engine = new Engine({ splitLargeSwitches: true, compilation: 'eager', ...config, ...(debug ? { debugSource: (_n: string | null, s: string) => debug(s) } : {}) });
  const store = new Store(engine, null);
  return { store, instance: new Instance(store, new Module(engine, bytes), []) };
}

test('long straight runs are cut into parts that carry the operand stack, and compute what native WebAssembly does', () => {
  let source = '';
  instantiate({}, (s) => { source += s; });
  for (const name of ['mix', 'flat', 'arms', 'void']) {
    const parts = source.match(new RegExp(`^function \\$f\\d+_${name}\\$p\\d+\\(`, 'gm')) ?? [];
    assert.ok(parts.length >= 2, `${name} is cut into parts (${parts.length})`);
  }
  // Parts that start with operands a part before them left: read from the result slots first.
  assert.match(source, /case \d+:\n\s+t\d+ = RI\[0\];/);
  for (const [name, values] of CALLS) {
    const { store, instance } = instantiate({});
    assert.equal(run(store, instance, name, values), expected(name, values), `${name}(${values.join(', ')})`);
  }
});

test('below the size the whole function stays one JS function', () => {
  let source = '';
  const small = parseWat(`(module (memory 1) (func $rot (param i64) (result i64) (local.get 0)) (func (export "f") (param $v i64) (result i64) (local $x i64) (local $y i64) (local $z i64) (local $w i64)
    ${rounds(20, 7)} local.get $x))`);
  const engine = new Engine({ splitLargeSwitches: true, compilation: 'eager', debugSource: (_n, s) => { source += s; } });
  new Module(engine, small).source();
  assert.doesNotMatch(source, /\$p\d+\(/);
});

test('cut functions cost the fuel the whole function costs, and stop one unit short', () => {
  for (const [name, values] of CALLS) {
    const used: number[] = [];
    for (const split of [true, false]) {
      const { store, instance } = instantiate({ consumeFuel: true, splitLargeSwitches: split });
      store.setFuel(10_000_000);
      instance.getFunc(store, name)!.call(store, args(name, values));
      used.push(10_000_000 - store.getFuel());
    }
    assert.equal(used[0], used[1], `${name}(${values.join(', ')}): fuel cut and whole`);
    const { store, instance } = instantiate({ consumeFuel: true });
    store.setFuel(used[0]!);
    const results = instance.getFunc(store, name)!.call(store, args(name, values));
    assert.equal(store.getFuel(), 0);
    store.setFuel(100);
    const got = name === 'void' ? instance.getFunc(store, 'peek')!.call(store, [])[0]!.value : results[0]!.value;
    assert.equal(got, expected(name, values));
    const short = instantiate({ consumeFuel: true });
    short.store.setFuel(used[0]! - 1);
    assert.throws(() => short.instance.getFunc(short.store, name)!.call(short.store, args(name, values)), (e: unknown) => e instanceof Trap && e.code === TrapCode.OutOfFuel);
  }
});

test('cut functions compiled as generators (asyncSupport) compute the same', async () => {
  const engine = new Engine({ splitLargeSwitches: true, asyncSupport: true });
  const module = new Module(engine, bytes);
  for (const [name, values] of CALLS) {
    const store = new Store(engine, null);
    const instance = await Instance.newAsync(store, module, []);
    const [got] = await instance.getFunc(store, name)!.callAsync(store, args(name, values));
    const value = name === 'void' ? (await instance.getFunc(store, 'peek')!.callAsync(store, []))[0]!.value : got!.value;
    assert.equal(value, expected(name, values), `${name}(${values.join(', ')})`);
  }
});

test('the traced compilation behind backtraces cuts at the same places (offsets stay known)', () => {
  for (const config of [{}, { consumeFuel: true }, { asyncSupport: true }] as Config[]) {
    const module = new Module(new Engine({ splitLargeSwitches: true, ...config }), bytes);
    const { locator } = module.code() as unknown as { locator: { traced(funcIndex: number, unit: boolean): unknown } };
    for (let i = module.info.numImportedFuncs; i < module.info.funcTypes.length; i++) {
      assert.notEqual(locator.traced(i, true), null, `function ${i} with ${JSON.stringify(config)}`);
    }
  }
});

test('a body with more locals than the hand-over slots hold stays whole, and computes what native WebAssembly does', () => {
  const n = 1100;
  const body: string[] = ['(local.set 1 (local.get 0))'];
  for (let i = 2; i < n; i++) body.push(`(local.set ${i} (i32.add (i32.mul (local.get ${i - 1}) (i32.const 3)) (local.get ${i - 2})))`);
  for (let i = 2; i < n; i++) body.push(`(local.set 0 (i32.xor (local.get 0) (i32.rotl (local.get ${i}) (i32.const ${i % 31}))))`);
  const many = parseWat(`(module (func (export "f") (param i32) (result i32) (local ${'i32 '.repeat(n - 1)}) ${body.join(' ')} (local.get 0)))`);
  let source = '';
  const engine = new Engine({ splitLargeSwitches: true, compilation: 'eager', debugSource: (_n, s) => { source += s; } });
  const store = new Store(engine, null);
  const instance = new Instance(store, new Module(engine, many), []);
  assert.doesNotMatch(source, /\$p\d+\(/);
  const W: any = (globalThis as any).WebAssembly;
  assert.equal(instance.getFunc(store, 'f')!.call(store, [Val.i32(12345)])[0]!.value, new W.Instance(new W.Module(many)).exports.f(12345));
});
