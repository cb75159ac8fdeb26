// Linking modules by name: a library instance registered with the Linker, a host function, and an
// InstancePre that resolves imports once and then instantiates cheaply in a fresh Store per request.
//
//   npm run build && node examples/linking.mjs

import { Engine, I32, Instance, Linker, Module, Store, funcType } from 'tswasm';

const engine = new Engine();
const linker = new Linker(engine);
linker.funcWrap('host', 'now', funcType([], [I32]), () => 1_700_000_000);

const library = new Module(engine, `(module
  (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))`);
const app = new Module(engine, `(module
  (import "lib" "square" (func $square (param i32) (result i32)))
  (import "host" "now" (func $now (result i32)))
  (global $requests (mut i32) (i32.const 0))
  (func (export "handle") (param i32) (result i32)
    (global.set $requests (i32.add (global.get $requests) (i32.const 1)))
    (i32.add (call $square (local.get 0)) (global.get $requests))))`);

// Requests are isolated: each gets its own Store, with its own library instance and app instance.
function handle(x) {
  const store = new Store(engine);
  const requestLinker = new Linker(engine).allowShadowing(true);
  requestLinker.funcWrap('host', 'now', funcType([], [I32]), () => 0);
  requestLinker.instance(store, 'lib', new Instance(store, library, []));
  return requestLinker.instantiate(store, app).getTypedFunc(store, 'handle', [I32], [I32]).call(store, x);
}
console.log('handle(7) =', handle(7), 'handle(7) again =', handle(7));

// With shared host functions only, an InstancePre resolves names once for every store.
const store = new Store(engine);
linker.instance(store, 'lib', new Instance(store, library, []));
const pre = linker.instantiatePre(app);
const a = pre.instantiate(store).getTypedFunc(store, 'handle');
const b = pre.instantiate(store).getTypedFunc(store, 'handle');
console.log('two instances from one InstancePre:', a.call(store, 3), a.call(store, 3), b.call(store, 3));
