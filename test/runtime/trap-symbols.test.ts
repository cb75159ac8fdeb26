// Source lines in backtraces (FrameInfo.symbols, Wasmtime's wasm_backtrace_details) from a module's
// DWARF line table and, for inlined calls, `.debug_info`: dwarf/trap.c built with clang's -g
// (dwarf/build.sh), DWARF 4 and 5, unoptimised and optimised (its calls inlined), and a build
// without debug info; malformed sections cost the symbols, never the trap.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, Instance, Module, Store, Val, WasmBacktrace, type Trap } from '../../src/api/index.js';
import { projectRoot } from '../helpers/paths.js';
import { trapOf } from '../helpers/caught.js';
import { decodeModule } from '../../src/binary/decoder.js';
import { WASM3_FEATURES } from '../../src/core/features.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(projectRoot, 'test', 'runtime', 'dwarf', name)));

function trapIn(bytes: Uint8Array): Trap {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Instance(store, new Module(engine, bytes), []);
  // run(3) computes middle(3) = divide(6, 0) + 1: an integer division by zero in divide.
  return trapOf(() => instance.getFunc(store, 'run')!.call(store, [Val.i32(3)]));
}

const symbolsOf = (trap: Trap) => trap.backtrace.map((f) => f.symbols.map((s) => `${s.name} ${s.file}:${s.line}:${s.column}`));

test('DWARF 4 and 5 line tables give each frame its source line and column', () => {
  // trap.c: `return a / b;` (line 2, the `/` at column 12), `return divide(y, x - 3) + 1;` (line 7,
  // `divide` at column 10), `return middle(x) + 7;` (line 12, `middle` at column 10).
  // A relative file name starts from the unit's directory (DW_AT_comp_dir, here "." by
  // -fdebug-prefix-map), which DWARF 5 also records as the line table's directory 0.
  assert.deepEqual(symbolsOf(trapIn(fixture('trap-dwarf4.wasm'))), [['divide ./trap.c:2:12'], ['middle ./trap.c:7:10'], ['run ./trap.c:12:10']]);
  assert.deepEqual(symbolsOf(trapIn(fixture('trap-dwarf5.wasm'))), [['divide ./trap.c:2:12'], ['middle ./trap.c:7:10'], ['run ./trap.c:12:10']]);
});

test('relative file names and directories start from the unit\'s directory (DW_AT_comp_dir), as llvm-symbolizer reads them', () => {
  // relative.c includes inc/load.h, whose line-table directory is "inc"; the unit's is /src/proj.
  // DWARF 4 records that only in .debug_info; DWARF 5 also as the line table's directory 0.
  for (const version of [4, 5]) {
    const bytes = fixture(`relative-dwarf${version}.wasm`);
    const engine = new Engine();
    const store = new Store(engine);
    const go = new Instance(store, new Module(engine, bytes), []).getFunc(store, 'go')!;
    assert.deepEqual(symbolsOf(trapOf(() => go.call(store, []))),
      [['load /src/proj/inc/load.h:1:50'], ['go /src/proj/relative.c:2:58']], `DWARF ${version}`);
  }
});

test('optimised code: one frame lists the functions inlined into it, each at its line (.debug_info)', () => {
  // At -O2 middle and divide are inlined into run: its one frame has all three, innermost first,
  // each inlined function's caller at the inlined call, as the unoptimised build's three frames.
  const trap = trapIn(fixture('trap-dwarf5-O2.wasm'));
  assert.deepEqual(symbolsOf(trap), [['divide ./trap.c:2:12', 'middle ./trap.c:7:10', 'run ./trap.c:12:10']]);
  // DWARF 4 writes the unit's ranges in .debug_ranges and its names as .debug_str offsets.
  assert.deepEqual(symbolsOf(trapIn(fixture('trap-dwarf4-O2.wasm'))), [['divide ./trap.c:2:12', 'middle ./trap.c:7:10', 'run ./trap.c:12:10']]);
  assert.match(WasmBacktrace.fromError(trap)!.toString(),
    /^ {3}0: 0x[0-9a-f]+ - run \(function 0\)\n {16}- divide\n {20}at \.\/trap\.c:2:12\n {16}- middle\n {20}at \.\/trap\.c:7:10\n {16}- run\n {20}at \.\/trap\.c:12:10$/);
});

test('without debug info there are no symbols; the printed backtrace shows source lines when there are', () => {
  const plain = trapIn(fixture('trap-nodebug.wasm'));
  assert.deepEqual(symbolsOf(plain), [[], [], []]);
  assert.ok(plain.backtrace.every((f) => f.moduleOffset !== null));
  const text = WasmBacktrace.fromError(trapIn(fixture('trap-dwarf5.wasm')))!.toString();
  assert.match(text, /^ {3}0: 0x[0-9a-f]+ - divide \(function 0\)\n {20}at \.\/trap\.c:2:12\n {3}1: 0x[0-9a-f]+ - middle \(function 1\)\n {20}at \.\/trap\.c:7:10\n/);
  assert.doesNotMatch(WasmBacktrace.fromError(plain)!.toString(), / at /);
});

/** A fixture with one custom section's contents passed through `edit`. */
function withSection(name: string, edit: (contents: Uint8Array) => void, file = 'trap-dwarf5.wasm'): Uint8Array {
  const bytes = fixture(file);
  // The decoder's custom section data is a view of `bytes`: editing it edits the module.
  const section = decodeModule(bytes, WASM3_FEATURES).customSections.find((c) => c.name === name);
  if (section === undefined) throw new Error(`no ${name} section`);
  edit(section.data);
  return bytes;
}

const withDebugLine = (edit: (contents: Uint8Array) => void) => withSection('.debug_line', edit);

/** Changes one to four bytes of `c` at random. */
function scramble(random: () => number): (c: Uint8Array) => void {
  return (c) => {
    for (let k = 0; k < 1 + Math.floor(random() * 4); k++) c[Math.floor(random() * c.length)] = Math.floor(random() * 256);
  };
}

/** Whatever the symbols of a trap's frames are, they are well formed and print. */
function assertWellFormed(trap: Trap): void {
  for (const f of trap.backtrace) {
    for (const s of f.symbols) {
      // An inlined function's name may outlast its position: then it has no file, line or column.
      assert.ok(s.file === null ? s.line === null && s.column === null : typeof s.file === 'string' && Number.isInteger(s.line) && Number.isInteger(s.column));
      assert.ok(s.name === null || typeof s.name === 'string');
    }
  }
  assert.doesNotThrow(() => WasmBacktrace.fromError(trap)!.toString());
}

test('a malformed line table costs the symbols, never the trap or its offsets', () => {
  const garbage = trapIn(withDebugLine((c) => c.fill(0xff)));
  assert.deepEqual(symbolsOf(garbage), [[], [], []]);
  assert.ok(garbage.backtrace.every((f) => f.moduleOffset !== null));
  // Bytes changed at random: whatever the table then says, reading it throws nothing.
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let round = 0; round < 300; round++) assertWellFormed(trapIn(withDebugLine(scramble(random))));
});

test('malformed .debug_info and the sections it reads cost the inlined frames at most, never the trap', () => {
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const sections: [string, string][] = [
    ['.debug_info', 'trap-dwarf5-O2.wasm'], ['.debug_abbrev', 'trap-dwarf5-O2.wasm'], ['.debug_addr', 'trap-dwarf5-O2.wasm'],
    ['.debug_rnglists', 'trap-dwarf5-O2.wasm'], ['.debug_str_offsets', 'trap-dwarf5-O2.wasm'],
    ['.debug_info', 'trap-dwarf4-O2.wasm'], ['.debug_ranges', 'trap-dwarf4-O2.wasm'],
  ];
  for (const [name, file] of sections) {
    const garbage = trapIn(withSection(name, (c) => c.fill(0xff), file));
    assert.ok(garbage.backtrace.every((f) => f.moduleOffset !== null), name);
    assertWellFormed(garbage);
    for (let round = 0; round < 100; round++) assertWellFormed(trapIn(withSection(name, scramble(random), file)));
  }
  // Without a readable .debug_info the line table still gives the instruction's line.
  assert.deepEqual(symbolsOf(trapIn(withSection('.debug_abbrev', (c) => c.fill(0), 'trap-dwarf5-O2.wasm'))), [['run ./trap.c:2:12']]);
});
