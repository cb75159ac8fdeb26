// Test helpers for the JS API: run one scenario against Node's WebAssembly and tswasm's and compare
// what happened (the value, or the kind of error), plus text-format modules through parseWat.

import assert from 'node:assert/strict';
import { createWebAssembly } from '../../src/jsapi/index.js';
import { parseWat } from '../../src/text/index.js';

/** A WebAssembly namespace, typed loosely: the tests poke at it the way JS programs do. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Namespace = any;

/** Node's own namespace, captured before anything could replace it. */
export const native: Namespace = (globalThis as unknown as { WebAssembly: Namespace }).WebAssembly;
/** tswasm's, with the spec's defaults. */
export const ours: Namespace = createWebAssembly();
export const namespaces: readonly [string, Namespace][] = [['native', native], ['tswasm', ours]];

/** A module in the text format, encoded by tswasm's own parser. */
export function wasm(text: string): Uint8Array {
  return parseWat(text);
}

/** What a scenario did: returned a value, or threw an error of some kind. */
export type Outcome = { value: unknown } | { error: string };

/** The kind of a thrown value, relative to the namespace that threw it. */
export function errorKind(W: Namespace, e: unknown): string {
  if (e instanceof W.CompileError) return 'CompileError';
  if (e instanceof W.LinkError) return 'LinkError';
  if (e instanceof W.RuntimeError) return 'RuntimeError';
  for (const C of [TypeError, RangeError, SyntaxError, ReferenceError]) if (e instanceof C) return C.name;
  if (e instanceof Error) return 'Error';
  return `non-error ${typeof e === 'symbol' ? 'symbol' : JSON.stringify(e)}`;
}

/** Runs `scenario` with `W`, awaiting a promise result; never throws. */
export async function outcome(W: Namespace, scenario: (W: Namespace) => unknown): Promise<Outcome> {
  try {
    return { value: await scenario(W) };
  } catch (e) {
    return { error: errorKind(W, e) };
  }
}

/** Asserts that `scenario` does the same with both namespaces; returns tswasm's outcome. */
export async function same(scenario: (W: Namespace) => unknown, what = ''): Promise<Outcome> {
  const n = await outcome(native, scenario);
  const t = await outcome(ours, scenario);
  assert.deepStrictEqual(t, n, `${what}: tswasm ${show(t)}, native ${show(n)}`);
  return t;
}

/**
 * A documented difference: asserts what each side does, so the test fails when either changes
 * (and docs/js-api.md must then be updated).
 */
export async function differs(scenario: (W: Namespace) => unknown, expected: { native: Outcome; tswasm: Outcome }): Promise<void> {
  assert.deepStrictEqual(await outcome(native, scenario), expected.native, 'native');
  assert.deepStrictEqual(await outcome(ours, scenario), expected.tswasm, 'tswasm');
}

function show(o: Outcome): string {
  if ('error' in o) return `threw ${o.error}`;
  try {
    return `returned ${typeof o.value === 'bigint' ? `${o.value}n` : JSON.stringify(o.value)}`;
  } catch {
    return `returned ${String(o.value)}`;
  }
}

/** Instantiates text-format `source` synchronously with `W`; returns the exports. */
export function instantiate(W: Namespace, source: string | Uint8Array, imports?: object): Namespace {
  const bytes = typeof source === 'string' ? wasm(source) : source;
  return new W.Instance(new W.Module(bytes), imports).exports;
}

/** A log of property reads, for comparing the order in which each side reads an object. */
export function recorder(log: string[], target: object, name: string): object {
  return new Proxy(target, {
    get(t, k, r) {
      log.push(`get ${name}.${String(k)}`);
      return Reflect.get(t, k, r);
    },
    has(t, k) {
      log.push(`has ${name}.${String(k)}`);
      return Reflect.has(t, k);
    },
  });
}

/** A value whose conversions are logged (valueOf / toString / Symbol.toPrimitive). */
export function tracer(log: string[], name: string, value: unknown): object {
  return {
    valueOf() {
      log.push(`${name}.valueOf`);
      return value;
    },
    toString() {
      log.push(`${name}.toString`);
      return String(value);
    },
  };
}
