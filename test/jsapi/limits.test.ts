// The JS API's module limits (its "Implementation-defined Limits" section): a module over one is a
// CompileError that, like every other CompileError, says where in the module the entry over the
// limit starts. Modules are encoded here byte by byte, so each expected offset is counted, not
// taken from the decoder under test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ours } from './side-by-side.js';
import { CompileError } from '../../src/core/errors.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function leb(n: bigint | number): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? byte : byte | 0x80);
  } while (v !== 0n);
  return out;
}

const name = (s: string) => [s.length, ...new TextEncoder().encode(s)];

/** A module of the given sections, and where each entry of each section starts. */
function encode(sections: { id: number; entries: number[][] }[]): { bytes: Uint8Array; starts: number[][] } {
  const bytes = [...HEADER];
  const starts: number[][] = [];
  for (const { id, entries } of sections) {
    const count = leb(entries.length);
    const size = count.length + entries.reduce((n, e) => n + e.length, 0);
    bytes.push(id, ...leb(size), ...count);
    const at: number[] = [];
    for (const e of entries) {
      at.push(bytes.length);
      bytes.push(...e);
    }
    starts.push(at);
  }
  return { bytes: new Uint8Array(bytes), starts };
}

/** Asserts that compiling `bytes` is a CompileError about `what`, at `offset`. */
function refused(bytes: Uint8Array, what: RegExp, offset: number): void {
  assert.throws(() => new ours.Module(bytes), (e: unknown) => {
    assert.ok(e instanceof ours.CompileError, String(e));
    assert.match((e as Error).message, what);
    assert.equal((e as CompileError).offset, offset);
    assert.match((e as Error).message, new RegExp(`\\(at offset 0x${offset.toString(16)}\\)$`));
    return true;
  });
  assert.equal(ours.validate(bytes), false);
}

const MEMORY_SECTION = 5;
const IMPORT_SECTION = 2;

test('the 101st memory is over the JS API limit of 100: a CompileError at its entry', () => {
  const memories = (n: number) => encode([{ id: MEMORY_SECTION, entries: Array.from({ length: n }, () => [0x00, 0x00]) }]);
  assert.ok(new ours.Module(memories(100).bytes));
  const over = memories(101);
  refused(over.bytes, /memories: 101 exceeds the JS API limit of 100/, over.starts[0]![100]!);
});

test('an imported memory past the limit is named by its import entry', () => {
  const imported = Array.from({ length: 100 }, (_, i) => [...name('m'), ...name(`m${i}`), 0x02, 0x00, 0x00]);
  const m = encode([{ id: IMPORT_SECTION, entries: imported }, { id: MEMORY_SECTION, entries: [[0x00, 0x00]] }]);
  refused(m.bytes, /memories: 101/, m.starts[1]![0]!);
  const allImported = encode([{ id: IMPORT_SECTION, entries: [...imported, [...name('m'), ...name('last'), 0x02, 0x00, 0x00]] }]);
  refused(allImported.bytes, /memories: 101/, allImported.starts[0]![100]!);
});

test('memory64 limits of 2^37 pages, defined or imported, are refused at their entry; 2^37 - 1 compiles', () => {
  const limit = 2n ** 37n - 1n;
  const defined = (min: bigint, max: bigint) => encode([{ id: MEMORY_SECTION, entries: [[0x00, 0x00], [0x05, ...leb(min), ...leb(max)]] }]);
  assert.ok(new ours.Module(defined(1n, limit).bytes));
  const overMax = defined(1n, limit + 1n);
  refused(overMax.bytes, /memory64 maximum pages: 137438953472 exceeds the JS API limit of 137438953471/, overMax.starts[0]![1]!);
  const overMin = defined(limit + 1n, limit + 1n);
  refused(overMin.bytes, /memory64 minimum pages: 137438953472/, overMin.starts[0]![1]!);
  const imported = encode([{ id: IMPORT_SECTION, entries: [[...name('m'), ...name('mem'), 0x02, 0x04, ...leb(limit + 1n)]] }]);
  refused(imported.bytes, /memory64 minimum pages/, imported.starts[0]![0]!);
});

test('a function with 50,001 locals (parameters included) is refused at its body', () => {
  const module = (params: number, locals: number) => encode([
    { id: 1, entries: [[0x60, ...leb(params), ...Array<number>(params).fill(0x7f), 0x00]] },
    { id: 3, entries: [[0x00]] },
    { id: 10, entries: [(() => { const body = [0x01, ...leb(locals), 0x7f, 0x0b]; return [...leb(body.length), ...body]; })()] },
  ]);
  assert.ok(new ours.Module(module(2, 49_998).bytes));
  const over = module(2, 49_999);
  refused(over.bytes, /locals of a function \(parameters included\): 50001 exceeds the JS API limit of 50000/, over.starts[2]![0]!);
});
