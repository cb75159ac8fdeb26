// Rust's legacy symbol mangling undone in printed backtraces, as Wasmtime prints them; other names
// (C's, C++'s, Rust's v0 ones) stay as the name section has them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Val, WasmBacktrace } from '../../src/api/index.js';
import { demangleRust } from '../../src/runtime/demangle.js';
import { instantiateWat } from '../api/wat-helper.js';
import { trapOf } from '../helpers/caught.js';

test('Rust legacy symbols read as paths, with their hash', () => {
  assert.equal(demangleRust('_ZN3std9panicking20rust_panic_with_hook17h57f0cff11449798fE'), 'std::panicking::rust_panic_with_hook::h57f0cff11449798f');
  // Escapes, `..` for `::`, the `_` before a leading `$`, and an LLVM suffix.
  assert.equal(demangleRust('_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17ha2ad3bd729827662E.llvm.16041094552022133104'),
    'std::rt::lang_start::{{closure}}::ha2ad3bd729827662');
  assert.equal(demangleRust('_ZN4demo6filter41_$LT$impl$u20$demo..Run$u20$for$u20$X$GT$3run17h0123456789abcdefE'),
    'demo::filter::<impl demo::Run for X>::run::h0123456789abcdef');
  assert.equal(demangleRust('_ZN4core3ptr13drop_in_place17h00000000000000ffE'), 'core::ptr::drop_in_place::h00000000000000ff');
});

test('other names are not Rust legacy symbols', () => {
  for (const name of ['main', '__original_main', '_Z3fooi', '_ZN3foo3barEv', '_ZN3ab', '_ZN03abE', '_ZN4ab$Q$17h0123456789abcdefE', '_RNvCs1234_4demo3run', '']) {
    assert.equal(demangleRust(name), null, name);
  }
});

test('a printed backtrace demangles Rust names; FrameInfo.funcName keeps the name section\'s', () => {
  const { store, instance } = instantiateWat(`(module
    (func $_ZN4demo5crash17h0123456789abcdefE (unreachable))
    (func $_ZN4demo4main17hfedcba9876543210E (export "main") (call $_ZN4demo5crash17h0123456789abcdefE)))`);
  const trap = trapOf(() => instance.getFunc(store, 'main')!.call(store, [] as Val[]));
  assert.deepEqual(trap.backtrace.map((f) => f.funcName), ['_ZN4demo5crash17h0123456789abcdefE', '_ZN4demo4main17hfedcba9876543210E']);
  assert.match(WasmBacktrace.fromError(trap)!.toString(), /^ {3}0: 0x[0-9a-f]+ - demo::crash::h0123456789abcdef \(function 0\)\n {3}1: 0x[0-9a-f]+ - demo::main::hfedcba9876543210 \(function 1\)$/);
});
