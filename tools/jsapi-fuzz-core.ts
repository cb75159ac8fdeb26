// The JS API side by side with Node's under random misuse: each namespace function, constructor,
// method and accessor is called with the same random arguments (primitives, descriptors, objects of
// the wrong kind) on both namespaces, and the outcomes must agree: the same result, or an error of
// the same class. Differences where tswasm follows the spec and V8 does not are told apart by
// `KNOWN` (docs/js-api.md lists them); anything else is a finding.

import { createWebAssembly } from '../src/jsapi/index.js';
import { parseWat } from '../src/text/index.js';
import { Rng } from './fuzz-rng.js';

type Namespace = any;

/** Differences docs/js-api.md explains: [operation, what decides it]. */
const KNOWN: readonly [string, (args: readonly unknown[], native: Outcome, ours: Outcome) => boolean][] = [
  // The spec converts the value before it checks the index; V8 checks the index first.
  ['t.set', (_a, native, ours) => native.kind === 'RangeError' && ours.kind === 'TypeError'],
  // An explicit undefined is a given argument (WebIDL); V8 says "Argument 1 is required".
  ['Module.customSections', (a, native, ours) => a[1] === undefined && native.kind === 'TypeError' && ours.kind === 'ok'],
  // An optional argument given as undefined is missing (WebIDL), so grow fills with the element
  // type's default (null for funcref); V8 from Node 22 on converts undefined, a TypeError for funcref.
  ['t.grow', (a, native, ours) => a[1] === undefined && native.kind === 'TypeError' && (ours.kind === 'ok' || ours.kind === 'RangeError')],
];

interface Outcome {
  readonly kind: string;
  readonly value?: string;
}

export interface JsApiFuzzResult {
  readonly calls: number;
  readonly findings: Map<string, string>;
}

const WAT = `(module (memory (export "m") 1 3) (table (export "t") 2 10 funcref) (global (export "g") (mut i64) (i64.const 5))
  (global (export "gi") i32 (i32.const 1)) (global (export "gf") (mut f32) (f32.const 1))
  (func (export "f") (param i32 i64 f32) (result i64) (local.get 1)) (func (export "n")) (func (export "tr") unreachable)
  (elem (i32.const 0) func 0))`;

/** `jspi`: tswasm's side is a JSPI namespace (generator code), which must behave the same here. */
export function runJsApiFuzz(seed: number, count: number, jspi = false): JsApiFuzzResult {
  const rng = new Rng(seed);
  const rnd = (): number => rng.u32() / 0x1_0000_0000;
  const bytes = parseWat(WAT);
  const namespaces = [['native', (globalThis as { WebAssembly?: Namespace }).WebAssembly], ['tswasm', createWebAssembly({ jspi })]] as const;
  const instantiate = () => namespaces.map(([name, W]) => {
    const module = new W.Module(bytes);
    const instance = new W.Instance(module, {});
    return { name, W, module, instance, x: instance.exports };
  });
  // After a known difference the two sides' objects may differ (a table grown on one side only), so
  // both start again from new instances.
  let sides = instantiate();
  type Side = (typeof sides)[number];
  // Index i of the pool stands for the same thing on both sides.
  const pool = (S: Side): unknown[] => [0, 1, -1, 1.5, NaN, Infinity, 2 ** 31, 2 ** 32, 2 ** 53, 0n, 1n, -1n, 2n ** 64n, '', 'x', '1', 'i32',
    'anyfunc', 'externref', null, undefined, true, Symbol.iterator, {}, [], [1], { initial: 1 }, { element: 'anyfunc', initial: 1 },
    { value: 'i32' }, { value: 'i64', mutable: true }, new Uint8Array(4), new ArrayBuffer(8), S.module, S.instance, S.x.m, S.x.t, S.x.g,
    S.x.gi, S.x.f, S.x.n, S.W.Memory, S.W.Module, bytes, revokedProxy()];
  const ops: [string, (S: Side, a: unknown[]) => unknown][] = [
    ['validate', (S, a) => S.W.validate(a[0])],
    ['Module', (S, a) => new S.W.Module(a[0])],
    ['Module.exports', (S, a) => S.W.Module.exports(a[0])],
    ['Module.imports', (S, a) => S.W.Module.imports(a[0])],
    ['Module.customSections', (S, a) => S.W.Module.customSections(a[0], a[1])],
    ['Instance', (S, a) => new S.W.Instance(a[0], a[1])],
    ['Memory', (S, a) => new S.W.Memory(a[0])],
    ['Table', (S, a) => new S.W.Table(a[0], a[1])],
    ['Global', (S, a) => new S.W.Global(a[0], a[1])],
    ['m.grow', (S, a) => S.x.m.grow(a[0])],
    ['t.get', (S, a) => S.x.t.get(a[0])],
    ['t.set', (S, a) => S.x.t.set(a[0], a[1])],
    ['t.grow', (S, a) => S.x.t.grow(a[0], a[1])],
    ['g.value=', (S, a) => { S.x.g.value = a[0]; return S.x.g.value; }],
    ['gf.value=', (S, a) => { S.x.gf.value = a[0]; return S.x.gf.value; }],
    ['gi.value=', (S, a) => { S.x.gi.value = a[0]; }],
    ['f()', (S, a) => S.x.f(a[0], a[1], a[2])],
    ['tr()', (S, a) => S.x.tr(a[0])],
  ];
  const describe = (r: unknown): string =>
    typeof r === 'bigint' ? `${r}n` : typeof r === 'object' || typeof r === 'function' ? typeof r : typeof r === 'symbol' ? 'symbol' : String(r);
  const findings = new Map<string, string>();
  for (let k = 0; k < count; k++) {
    const [name, op] = ops[Math.floor(rnd() * ops.length)]!;
    const picks = [0, 1, 2].map(() => Math.floor(rnd() * 1000));
    const outcomes = sides.map((S): Outcome => {
      const p = pool(S);
      try {
        return { kind: 'ok', value: describe(op(S, picks.map((i) => p[i % p.length]))) };
      } catch (e) {
        return { kind: (e as Error)?.constructor?.name ?? typeof e };
      }
    });
    const [native, ours] = outcomes as [Outcome, Outcome];
    if (native.kind === ours.kind && native.value === ours.value) continue;
    const nativeArgs = picks.map((i) => pool(sides[0])[i % pool(sides[0]).length]);
    // JSAPI_FUZZ_ALL=1 reports the known differences too.
    if (!(typeof process !== 'undefined' && process.env.JSAPI_FUZZ_ALL) && KNOWN.some(([op, explains]) => op === name && explains(nativeArgs, native, ours))) {
      sides = instantiate();
      continue;
    }
    const key = `${name}(${nativeArgs.map(describe).join(', ')}): native ${native.kind}${native.value ? `=${native.value}` : ''}, tswasm ${ours.kind}${ours.value ? `=${ours.value}` : ''}`;
    findings.set(key, name);
  }
  return { calls: count, findings };
}

/** A Proxy whose every trap throws (as a descriptor, a value, an import object: JS code reading it fails). */
function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}
