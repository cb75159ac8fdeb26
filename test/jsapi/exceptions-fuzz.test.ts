// Random programs of nested legacy try/catch/catch_all/delegate/rethrow, throws, branches and calls, run
// on Node's WebAssembly and tswasm's: the same trace of executed code, result and escaping exception.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { native, ours, wasm, type Namespace } from './side-by-side.js';

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

/** An enclosing label as the generator sees it: its name and whether it is a try in its catch phase. */
interface Label {
  readonly name: string;
  readonly caught: boolean;
}

const TAGS = ['$a', '$b', '$p'];

/** A statement sequence of type [] -> [] at nesting `depth`, inside `labels` (innermost last). */
function statements(rnd: (n: number) => number, depth: number, labels: Label[], funcs: number, counter: { n: number }): string {
  const out: string[] = [];
  const count = 1 + rnd(3);
  for (let i = 0; i < count; i++) out.push(statement(rnd, depth, labels, funcs, counter));
  return out.join(' ');
}

function trace(counter: { n: number }): string {
  return `(global.set $g (i32.add (i32.mul (global.get $g) (i32.const 31)) (i32.const ${++counter.n})))`;
}

function statement(rnd: (n: number) => number, depth: number, labels: Label[], funcs: number, counter: { n: number }): string {
  const leaf = depth <= 0;
  const kind = rnd(leaf ? 4 : 11);
  const name = () => `$l${++counter.n}`;
  const sub = (ls: Label[]) => statements(rnd, depth - 1, ls, funcs, counter);
  switch (kind) {
    case 0: case 1: return trace(counter);
    case 2: {
      const tag = TAGS[rnd(TAGS.length)]!;
      return `${trace(counter)} (if (i32.and (global.get $g) (i32.const ${1 << rnd(4)})) (then (throw ${tag}${tag === '$p' ? ' (global.get $g)' : ''})))`;
    }
    case 3: return funcs > 0 ? `(call $f${rnd(funcs)})` : trace(counter);
    case 4: {
      const l = name();
      return `(block ${l} ${sub([...labels, { name: l, caught: false }])})`;
    }
    case 5: {
      if (labels.length === 0) return trace(counter);
      const target = labels[rnd(labels.length)]!;
      return `(if (i32.and (global.get $g) (i32.const ${1 << rnd(4)})) (then (br ${target.name})))`;
    }
    case 6: {
      const l = name();
      const inner = [...labels, { name: l, caught: false }];
      return `(if ${l} (i32.and (global.get $g) (i32.const ${1 << rnd(4)})) (then ${sub(inner)}) (else ${sub(inner)}))`;
    }
    case 7: case 8: {
      const l = name();
      const body = sub([...labels, { name: l, caught: false }]);
      const arms: string[] = [];
      const caught = [...labels, { name: l, caught: true }];
      for (const tag of TAGS) {
        if (rnd(2) === 0) continue;
        const drop = tag === '$p' ? '(global.set $g (i32.xor (global.get $g)))' : '';
        arms.push(`(catch ${tag} ${drop} ${trace(counter)} ${sub(caught)})`);
      }
      if (rnd(2) === 0) arms.push(`(catch_all ${trace(counter)} ${sub(caught)})`);
      return `(try ${l} (do ${body}) ${arms.join(' ')})`;
    }
    case 9: {
      // delegate to any enclosing label, or past all of them to the caller (the function's depth).
      const l = name();
      const body = sub([...labels, { name: l, caught: false }]);
      const k = rnd(labels.length + 1);
      const target = k < labels.length ? labels[k]!.name : String(labels.length);
      return `(try ${l} (do ${body}) (delegate ${target}))`;
    }
    default: {
      const caught = labels.filter((x) => x.caught);
      if (caught.length === 0) return trace(counter);
      return `(if (i32.and (global.get $g) (i32.const ${1 << rnd(4)})) (then (rethrow ${caught[rnd(caught.length)]!.name})))`;
    }
  }
}

function program(seed: number): string {
  const rnd = prng(seed);
  const counter = { n: 0 };
  const funcs: string[] = [];
  const n = 1 + rnd(3);
  for (let f = 0; f < n; f++) funcs.push(`(func $f${f} ${statements(rnd, 3, [], f, counter)})`);
  return `(module
    (tag $a (export "a")) (tag $b (export "b")) (tag $p (export "p") (param i32))
    (global $g (export "g") (mut i32) (i32.const 0))
    ${funcs.join('\n    ')}
    (func (export "run") (param i32) (global.set $g (local.get 0)) (call $f${n - 1})))`;
}

function run(W: Namespace, bytes: Uint8Array, arg: number): unknown {
  const e = new W.Instance(new W.Module(bytes)).exports;
  let outcome: unknown;
  try {
    e.run(arg);
    outcome = 'returned';
  } catch (err) {
    const x = err as Namespace;
    outcome = x instanceof W.Exception ? ['exception', ...['a', 'b', 'p'].filter((t) => x.is(e[t])), x.is(e.p) ? x.getArg(e.p, 0) : null]
      : `threw ${(err as Error).constructor.name}`;
  }
  return [outcome, e.g.value];
}

test('random nested legacy try blocks behave as on Node', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const source = program(seed);
    const bytes = wasm(source);
    assert.ok(native.validate(bytes), `seed ${seed}: the generator made an invalid module`);
    for (const arg of [0, 5, 10, 15]) {
      assert.deepEqual(run(ours, bytes, arg), run(native, bytes, arg), `seed ${seed}, run(${arg}):\n${source}`);
    }
  }
});
