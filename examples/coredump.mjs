// A coredump of a trapping module, as Wasmtime's Config::coredump_on_trap gives one: the trap
// carries the store's frames, instances, memories and globals, and serializes to the standard Wasm
// coredump format that post-mortem debuggers (wasmgdb) read.
//
//   npm run build && node examples/coredump.mjs

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, Instance, Module, Store, WasmCoreDump } from 'tswasm';

const engine = new Engine({ coredumpOnTrap: true });
const store = new Store(engine);
const module = new Module(engine, `(module $trapper
  (memory 10)
  (global $g (mut i32) (i32.const 0))
  (func (export "run") call $a)
  (func $a i32.const 0x1234 i64.const 42 i64.store call $b)
  (func $b i32.const 36 global.set $g call $c)
  (func $c unreachable))`);
const instance = new Instance(store, module, []);

try {
  instance.getFunc(store, 'run').call(store, []);
} catch (e) {
  const dump = WasmCoreDump.fromError(e);
  console.log(String(dump));
  const bytes = dump.serialize(store, 'trapper.wasm');
  const file = join(tmpdir(), 'tswasm-example-trapper.coredump');
  writeFileSync(file, bytes);
  // The coredump is a wasm module: its custom sections hold the frames, its data the memory.
  const sections = new Module(engine, bytes).customSections('corestack').length === 1 ? 'corestack present' : 'corestack missing';
  console.log(`coredump: ${bytes.length} bytes written to ${file} (${sections})`);
}
