// The backtraces of traps, printed one JSON line per case, in Node or a JS engine's shell, so that
// test/spec/other-engines.test.ts can compare each engine's frames with Node's: function indices,
// names, module names and wasm offsets, through lazy and eager code, deserialized code, split parts,
// a trampoline and a call between two modules.
// Build first (npm run build), then:
//   node tools/js-shell-backtrace.mjs
//   jsc -m tools/js-shell-backtrace.mjs
//   js102 -m tools/js-shell-backtrace.mjs

import { Engine, Linker, Module, Store, Trap, Val } from '../dist/src/api/index.js';
import { forceSplitEverywhere } from '../dist/src/compile/split-choice.js';
import { parseWat } from '../dist/src/text/index.js';
import { out } from './js-shell-host.mjs';

const LIB = parseWat(`(module $lib
  (func $boom (export "boom") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))`);

const APP = parseWat(`(module $app
  (import "lib" "boom" (func $boom (param i32) (result i32)))
  (memory 1)
  (func $div (param i32) (result i32) (i32.add (i32.const 1) (i32.div_s (i32.const 7) (local.get 0))))
  (func $load (param i32) (result i32) (i32.add (i32.const 3) (i32.load offset=4 (local.get 0))))
  (func $machine (param i32) (result i32)
    (block (block (block (br_table 0 1 2 (local.get 0)))
      (return (call $div (i32.const 0))))
      (return (call $load (i32.const 65535))))
    (i32.const 30))
  (func $hop (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (return_call $hop (i32.sub (local.get 0) (i32.const 1))))
      (else (call $div (local.get 0)))))
  (func $run_machine (export "machine") (param i32) (result i32) (call $machine (local.get 0)))
  (func $run_hop (export "hop") (param i32) (result i32) (i32.add (i32.const 1) (call $hop (local.get 0))))
  (func $run_lib (export "lib") (param i32) (result i32) (i32.add (i32.const 2) (call $boom (local.get 0)))))`);

// The same shape without a name section: frames have no names, only function indices.
const NAMELESS = parseWat(`(module
  (func (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "run") (param i32) (result i32) (i32.add (i32.const 1) (call 0 (local.get 0)))))`);

const CALLS = [['machine', 0], ['machine', 1], ['hop', 2], ['lib', 0]];

function trapOf(run) {
  try {
    run();
  } catch (e) {
    if (e instanceof Trap) return e;
    throw e;
  }
  throw new Error('no trap');
}

const describe = (trap) => trap.backtrace.map((f) => ({
  index: f.funcIndex, name: f.funcName, module: f.moduleName, moduleOffset: f.moduleOffset, funcOffset: f.funcOffset,
}));

for (const mode of ['lazy', 'eager', 'deserialized']) {
  for (const split of [false, true]) {
    forceSplitEverywhere(split);
    const engine = new Engine(mode === 'lazy' ? {} : { compilation: 'eager' });
    const load = (bytes) => (mode === 'deserialized' ? Module.deserialize(engine, new Module(engine, bytes).serialize()) : new Module(engine, bytes));
    const store = new Store(engine);
    const linker = new Linker(engine);
    linker.instance(store, 'lib', linker.instantiate(store, load(LIB)));
    const app = linker.instantiate(store, load(APP));
    const nameless = linker.instantiate(store, load(NAMELESS));
    const label = `${mode}${split ? ', split' : ''}`;
    for (const [name, arg] of CALLS) {
      const trap = trapOf(() => app.getFunc(store, name).call(store, [Val.i32(arg)]));
      out(JSON.stringify({ case: `${label}: ${name}(${arg})`, frames: describe(trap) }));
    }
    const trap = trapOf(() => nameless.getFunc(store, 'run').call(store, [Val.i32(0)]));
    out(JSON.stringify({ case: `${label}: nameless`, frames: describe(trap) }));
  }
}
forceSplitEverywhere(false);
