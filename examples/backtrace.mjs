// A trap's wasm backtrace, as Wasmtime gives it: each frame's function, its offsets in the module
// and, since this module carries DWARF debug info (a C program built with -g), its source line;
// in the optimised build, the functions inlined into a frame, each at its line.
//
//   npm run build && node examples/backtrace.mjs

import { readFileSync } from 'node:fs';
import { Engine, Instance, Module, Store, Trap, Val, WasmBacktrace } from 'tswasm';

const engine = new Engine();

/** run(3) of test/runtime/dwarf/trap.c (built by test/runtime/dwarf/build.sh): it divides by 3 - 3 deep inside. */
function trapOf(file) {
  const store = new Store(engine);
  const module = new Module(engine, readFileSync(new URL(`../test/runtime/dwarf/${file}`, import.meta.url)));
  try {
    new Instance(store, module, []).getFunc(store, 'run').call(store, [Val.i32(3)]);
  } catch (e) {
    if (e instanceof Trap) return e;
    throw e;
  }
  throw new Error('run(3) did not trap');
}

// clang -g -O0: one frame per C function.
const trap = trapOf('trap-dwarf5.wasm');
console.log(`trap: ${trap.code}`);
for (const frame of trap.backtrace) {
  const [where] = frame.symbols;
  const source = where ? `, ${where.file}:${where.line}:${where.column}` : '';
  console.log(`  ${frame.funcName} at module offset 0x${frame.moduleOffset.toString(16)} (function offset ${frame.funcOffset})${source}`);
}
// The same, formatted like Wasmtime's "wasm backtrace:".
console.log(WasmBacktrace.fromError(trap).toString());

// clang -g -O2 inlines divide and middle into run: one frame, whose symbols list all three.
const inlined = trapOf('trap-dwarf5-O2.wasm');
console.log('optimised:');
for (const s of inlined.backtrace[0].symbols) console.log(`  ${s.name} at ${s.file}:${s.line}:${s.column}`);
console.log(WasmBacktrace.fromError(inlined).toString());
