// Rust's legacy symbol mangling and C++'s (Itanium ABI) undone in printed backtraces, as Wasmtime
// prints them; other names (C's, Rust's v0 ones) stay as the name section has them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Val, WasmBacktrace } from '../../src/api/index.js';
import { demangleRust, displayName } from '../../src/runtime/demangle.js';
import { demangleItanium } from '../../src/runtime/demangle-itanium.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.js';
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

test('C++ symbols read as llvm-cxxfilt writes them', () => {
  const cases: [string, string][] = [
    ['_ZNK3geo3VecIiE3dotERKS1_', 'geo::Vec<int>::dot(geo::Vec<int> const&) const'],
    ['_ZNSt6vectorIiSaIiEE9push_backERKi', 'std::vector<int, std::allocator<int> >::push_back(int const&)'],
    ['_Z3fooIiEvT_', 'void foo<int>(int)'],
    ['_ZN1AIiE1fIcEEvT_', 'void A<int>::f<char>(char)'],
    ['_Z1fPKPFPKcvE', 'f(char const* (* const*)())'],
    ['_Z1fRA10_i', 'f(int (&) [10])'],
    ['_Z1fM1AFviE', 'f(void (A::*)(int))'],
    ['_ZZ4mainENKUliE0_clEi', "main::'lambda0'(int)::operator()(int) const"],
    ['_ZN12_GLOBAL__N_13fooEv', '(anonymous namespace)::foo()'],
    ['_ZNSdC1EOSd', 'std::basic_iostream<char, std::char_traits<char> >::basic_iostream(std::iostream&&)'],
    ['_Z1fIJicEiEvDpRKT_T0_', 'void f<int, char, int>(int const&, char const&, int)'],
    ['_Z1fILN1A1BEn2EEvv', 'void f<(A::B)-2>()'],
    ['_ZN1A1fB5cxx11Ev', 'A::f[abi:cxx11]()'],
    ['_ZGVZ4mainE1x', 'guard variable for main::x'],
    ['_ZThn8_N1A1fEv', 'non-virtual thunk to A::f()'],
    ['_Z3foov.cold', 'foo() (.cold)'],
    // A static function (internal linkage), at the top level and in a namespace.
    ['_ZL6helperi', 'helper(int)'],
    ['_ZN12_GLOBAL__N_1L3fooEv', '(anonymous namespace)::foo()'],
    ['_ZZL3barvE1x', 'bar()::x'],
  ];
  for (const [symbol, text] of cases) assert.equal(demangleItanium(symbol), text, symbol);
});

test('2,000 symbols of libstdc++ and LLVM read as llvm-cxxfilt writes them, or are left as they are', () => {
  // tools/make-demangle-corpus.mjs wrote the file: each line a symbol, the expected text and, where
  // llvm-cxxfilt-14 is wrong, why GNU c++filt's text is expected instead.
  const lines = readFileSync(join(projectRoot, 'test', 'runtime', 'demangle', 'itanium.tsv'), 'utf8').trim().split('\n').slice(1);
  assert.equal(lines.length, 2000);
  const unread: string[] = [];
  for (const line of lines) {
    const [symbol, text] = line.split('\t') as [string, string];
    const got = demangleItanium(symbol);
    if (got === null) unread.push(symbol);
    else assert.equal(got, text, symbol);
  }
  // What is left out (expressions in template arguments, decltype, ...) is printed as the symbol.
  assert.ok(unread.length <= 10, `${unread.length} not read: ${unread.join(' ')}`);
});

test('malformed, cut or hostile C++ symbols give null, never an exception or a huge name', () => {
  for (const name of ['_Z', '_ZN', '_ZN3fooE', '_Z3foo', '_ZNK', '_Z1fS_', '_Z1fT_', '_Z1fIiEvT0_', '_Z1fILfE', '_ZC1Ev', '_ZN3fooXE', 'main', '']) {
    assert.equal(demangleItanium(name), name === '_ZN3fooE' || name === '_Z3foo' ? 'foo' : null, name);
  }
  // Each substitution doubles the last: 40 of them would be a 2^40-character name.
  const sub = (i: number) => (i === 0 ? 'S_' : `S${(i - 1).toString(36).toUpperCase()}_`);
  let bomb = '_Z1f1A';
  for (let i = 0; i < 40; i++) bomb += `${sub(i)}I${sub(i)}${sub(i)}E`;
  assert.equal(demangleItanium(bomb), null);
  assert.equal(demangleItanium(`_Z1f${'P'.repeat(100_000)}i`), null);
  // Every prefix of a real symbol.
  const symbol = '_ZN4llvm12is_containedIRNS_11SmallVectorIPNS_5ValueELj4EEEDnEEbOT_RKT0_';
  for (let i = 0; i < symbol.length; i++) assert.doesNotThrow(() => demangleItanium(symbol.slice(0, i)));
});

test('a printed backtrace demangles C++ names, Rust\'s first (their form is also C++\'s)', () => {
  assert.equal(displayName('_ZN4demo4main17hfedcba9876543210E'), 'demo::main::hfedcba9876543210');
  assert.equal(displayName('_ZN3geo5Shape4areaEi'), 'geo::Shape::area(int)');
  assert.equal(displayName('main'), 'main');
  const { store, instance } = instantiateWat(`(module
    (func $_ZN3geo6divideEii (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func $_ZNK3geo5Shape4areaEi (export "area") (param i32) (result i32) (call $_ZN3geo6divideEii (local.get 0) (i32.const 0))))`);
  const trap = trapOf(() => instance.getFunc(store, 'area')!.call(store, [Val.i32(1)]));
  assert.match(WasmBacktrace.fromError(trap)!.toString(), /^ {3}0: 0x[0-9a-f]+ - geo::divide\(int, int\) \(function 0\)\n {3}1: 0x[0-9a-f]+ - geo::Shape::area\(int\) const \(function 1\)$/);
});
