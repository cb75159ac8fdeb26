// Writes test/runtime/demangle/itanium.tsv: C++ symbols and how llvm-cxxfilt writes them, for
// test/runtime/demangle.test.ts. The symbols are the exported ones of two large C++ libraries on a
// Debian bookworm machine (libstdc++ and LLVM 14: `nm -D`), sampled at random; the expected text is
// llvm-cxxfilt-14's. Where it leaves a constructor's or destructor's name out after an ABI tag
// (`failure[abi:cxx11]::(...)`, a bug of that version) GNU c++filt's text is expected, and the
// line's third column says so. A symbol llvm-cxxfilt-14 does not demangle is left out.
//   apt-get install -y binutils llvm-14 libstdc++6
//   node tools/make-demangle-corpus.mjs > test/runtime/demangle/itanium.tsv
import { execFileSync } from 'node:child_process';

const LIBS = ['/usr/lib/x86_64-linux-gnu/libstdc++.so.6', '/usr/lib/llvm-14/lib/libLLVM-14.so.1'];
const COUNT = Number(process.argv[2] ?? 2000);
const MAX_LENGTH = 120;

const symbols = new Set();
for (const lib of LIBS) {
  for (const line of execFileSync('nm', ['-D', lib], { maxBuffer: 1 << 28 }).toString().split('\n')) {
    const name = line.split(' ').pop().replace(/@.*/, '');
    if (name.startsWith('_Z') && name.length <= MAX_LENGTH) symbols.add(name);
  }
}
// A fixed shuffle (so the file only changes when the libraries do).
let seed = 20261127;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const all = [...symbols].sort();
for (let i = all.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [all[i], all[j]] = [all[j], all[i]];
}
const input = all.join('\n');
const llvm = execFileSync('llvm-cxxfilt-14', [], { input, maxBuffer: 1 << 28 }).toString().split('\n');
const gnu = execFileSync('c++filt', [], { input, maxBuffer: 1 << 28 }).toString().split('\n');
const out = ['# symbol\texpected (llvm-cxxfilt-14 unless the third column says otherwise)'];
for (let i = 0; i < all.length && out.length <= COUNT; i++) {
  const [sym, l, g] = [all[i], llvm[i], gnu[i]];
  if (l === sym) continue;
  if (/::~?\(/.test(l)) out.push(`${sym}\t${g}\tGNU c++filt's: llvm-cxxfilt-14 drops the name after an ABI tag (${l})`);
  else out.push(`${sym}\t${l}`);
}
process.stdout.write(`${out.join('\n')}\n`);
