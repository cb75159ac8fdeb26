// JS Promise Integration on tswasm's WebAssembly namespace: the module calls `lookup` as an
// ordinary import, the import awaits, and the export called through WebAssembly.promising returns
// a promise of the module's result. Node 20 has no JSPI of its own.
//
//   npm run build && node examples/jspi.mjs

import { createWebAssembly } from 'tswasm/jsapi';
import { parseWat } from 'tswasm';

const WebAssembly = createWebAssembly({ jspi: true });
const prices = new Map([[1, 250], [2, 100], [3, 75]]);
const lookup = async (item) => {
  await new Promise((resolve) => setTimeout(resolve, 5)); // a database or a fetch, say
  return prices.get(item) ?? 0;
};

const bytes = parseWat(`(module
  (import "env" "lookup" (func $lookup (param i32) (result i32)))
  (func (export "total") (param $n i32) (result i32) (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (call $lookup (local.get $n))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum)))`);
const { instance } = await WebAssembly.instantiate(bytes, { env: { lookup: new WebAssembly.Suspending(lookup) } });

const total = WebAssembly.promising(instance.exports.total);
console.log(`total of items 1-3: ${await total(3)}`);
try {
  instance.exports.total(3); // not through promising: nothing can wait for the import
} catch (e) {
  console.log(`called directly: ${e instanceof WebAssembly.SuspendError ? 'SuspendError' : e}`);
}
