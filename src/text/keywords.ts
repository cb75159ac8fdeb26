// Every keyword of the text and script formats. A keyword outside this set is reported as an
// "unknown operator" (as the reference interpreter's lexer does), a known one out of place as
// an "unexpected token".

import { OPCODES } from '../binary/opcodes.js';

const GRAMMAR = `
module type rec sub final func struct array field mut param result local import export global
memory table tag elem data start offset item declare then else end block loop if try_table try
do catch catch_ref catch_all catch_all_ref delegate ref null exact descriptor describes shared
pagesize i8 i16 i32 i64 f32 f64 v128 i8x16 i16x8 i32x4 i64x2 f32x4 f64x2
any eq i31 none nofunc noexn noextern exn extern
anyref eqref i31ref structref arrayref nullref funcref nullfuncref exnref nullexnref externref
nullexternref binary quote definition instance script register invoke get either input output
assert_return assert_trap assert_exhaustion assert_exception assert_invalid assert_malformed
assert_unlinkable assert_uninstantiable assert_invalid_custom assert_malformed_custom
nan:canonical nan:arithmetic ref.extern ref.host ref.struct ref.array ref.exn ref.any ref.eq
ref.i31 ref.null ref.func nan inf
`;

const KEYWORDS = new Set<string>(GRAMMAR.split(/\s+/).filter(Boolean));
for (const op of OPCODES) KEYWORDS.add(op.name);

export function isKnownKeyword(s: string): boolean {
  if (KEYWORDS.has(s)) return true;
  if (/^(offset|align)=(\d(_?\d)*|0x[\da-fA-F](_?[\da-fA-F])*)$/.test(s)) return true;
  return /^nan:0x[\da-fA-F](_?[\da-fA-F])*$/.test(s);
}
