// A trap's wasm backtrace, as Wasmtime gives it: each frame's function, its offsets in the module
// and, since this module carries DWARF debug info (a C program built with -g), its source line.
//
//   npm run build && node examples/backtrace.mjs

import { readFileSync } from 'node:fs';
import { Engine, Instance, Module, Store, Trap, Val, WasmBacktrace } from '../dist/src/index.js';

const engine = new Engine();
const store = new Store(engine);
// test/runtime/dwarf/trap.c, built with clang -g (test/runtime/dwarf/build.sh).
const module = new Module(engine, readFileSync(new URL('../test/runtime/dwarf/trap-dwarf5.wasm', import.meta.url)));
const run = new Instance(store, module, []).getFunc(store, 'run');

try {
  run.call(store, [Val.i32(3)]); // run(3) divides by 3 - 3 deep inside
} catch (e) {
  if (!(e instanceof Trap)) throw e;
  console.log(`trap: ${e.code}`);
  for (const frame of e.backtrace) {
    const [where] = frame.symbols;
    const source = where ? `, ${where.file}:${where.line}:${where.column}` : '';
    console.log(`  ${frame.funcName} at module offset 0x${frame.moduleOffset.toString(16)} (function offset ${frame.funcOffset})${source}`);
  }
  // The same, formatted like Wasmtime's "wasm backtrace:".
  console.log(WasmBacktrace.fromError(e).toString());
}
