// The one opcode table of tswasm: every instruction of Wasm 3.0 and of the proposals in the test
// suite, once. The decoder, validator, text parser, printer and code generator are all driven by it.

import { F32, F64, I32, I64, V128, type ValType } from '../core/types.js';

/** The kinds of immediate an instruction carries, in binary order. */
export enum Imm {
  None, BlockType, Label, BrTable, Func, Type, CallIndirect, Local, Global, Table, MemArg, Mem,
  I32, I64, F32, F64, V128, Shuffle, Lane, MemArgLane, HeapType, SelectTypes, DataMem, Data, MemMem,
  ElemTable, Elem, TableTable, Tag, TryTable, TypeField, TypeData, TypeElem, TypeType, TypeCount,
  CastType, BrOnCast, Zero,
}

/** The Wasm feature (or proposal) that introduced an instruction. */
export type Feature =
  | 'mvp' | 'sign_extension' | 'saturating_float_to_int' | 'bulk_memory' | 'reference_types'
  | 'tail_call' | 'function_references' | 'exceptions' | 'legacy_exceptions' | 'gc' | 'simd'
  | 'relaxed_simd' | 'threads' | 'wide_arithmetic' | 'custom_descriptors';

/** Stands for the address type (i32 or i64) of the memory or table named by the immediate. */
export const ADDR: ValType = -1;

export interface OpInfo {
  /** `byte` for one-byte opcodes, `prefix << 16 | sub` for prefixed ones; the value of `Op.X`. */
  readonly code: number;
  readonly prefix: number;
  /** The opcode byte, or the u32 after the prefix. */
  readonly sub: number;
  /** Text-format mnemonic, e.g. "i32.add". Two opcodes may share one (ref.test, select). */
  readonly name: string;
  /** Member name in the `Op` enum, e.g. "I32Add". */
  readonly enumName: string;
  readonly imm: Imm;
  readonly feature: Feature;
  /** log2 of the natural alignment for memory accesses (MemArg, MemArgLane), else 0. */
  readonly align: number;
  /** Number of lanes for Lane and MemArgLane immediates, else 0. */
  readonly lanes: number;
  /**
   * Operand and result types when the instruction is fully typed by a fixed signature (ADDR allowed);
   * null when the validator types it by hand.
   */
  readonly params: readonly ValType[] | null;
  readonly results: readonly ValType[] | null;
}

// code | mnemonic | immediate (see IMM_CODES; m:A = memarg with natural alignment 2^A, lane:N,
// ml:A:N) | signature ("*" = typed by the validator) | optional enum=Name for shared mnemonics.
const TABLE = `
# mvp
0      unreachable                          -        *
1      nop                                  -        ->
2      block                                bt       *
3      loop                                 bt       *
4      if                                   bt       *
5      else                                 -        *
b      end                                  -        *
c      br                                   l        *
d      br_if                                l        *
e      br_table                             brt      *
f      return                               -        *
10     call                                 f        *
11     call_indirect                        ci       *
1a     drop                                 -        *
1b     select                               -        *
20     local.get                            loc      *
21     local.set                            loc      *
22     local.tee                            loc      *
23     global.get                           g        *
24     global.set                           g        *
28     i32.load                             m:2      addr -> i32
29     i64.load                             m:3      addr -> i64
2a     f32.load                             m:2      addr -> f32
2b     f64.load                             m:3      addr -> f64
2c     i32.load8_s                          m:0      addr -> i32
2d     i32.load8_u                          m:0      addr -> i32
2e     i32.load16_s                         m:1      addr -> i32
2f     i32.load16_u                         m:1      addr -> i32
30     i64.load8_s                          m:0      addr -> i64
31     i64.load8_u                          m:0      addr -> i64
32     i64.load16_s                         m:1      addr -> i64
33     i64.load16_u                         m:1      addr -> i64
34     i64.load32_s                         m:2      addr -> i64
35     i64.load32_u                         m:2      addr -> i64
36     i32.store                            m:2      addr i32 ->
37     i64.store                            m:3      addr i64 ->
38     f32.store                            m:2      addr f32 ->
39     f64.store                            m:3      addr f64 ->
3a     i32.store8                           m:0      addr i32 ->
3b     i32.store16                          m:1      addr i32 ->
3c     i64.store8                           m:0      addr i64 ->
3d     i64.store16                          m:1      addr i64 ->
3e     i64.store32                          m:2      addr i64 ->
3f     memory.size                          mem      -> addr
40     memory.grow                          mem      addr -> addr
41     i32.const                            i32      -> i32
42     i64.const                            i64      -> i64
43     f32.const                            f32      -> f32
44     f64.const                            f64      -> f64
45     i32.eqz                              -        i32 -> i32
46     i32.eq                               -        i32 i32 -> i32
47     i32.ne                               -        i32 i32 -> i32
48     i32.lt_s                             -        i32 i32 -> i32
49     i32.lt_u                             -        i32 i32 -> i32
4a     i32.gt_s                             -        i32 i32 -> i32
4b     i32.gt_u                             -        i32 i32 -> i32
4c     i32.le_s                             -        i32 i32 -> i32
4d     i32.le_u                             -        i32 i32 -> i32
4e     i32.ge_s                             -        i32 i32 -> i32
4f     i32.ge_u                             -        i32 i32 -> i32
50     i64.eqz                              -        i64 -> i32
51     i64.eq                               -        i64 i64 -> i32
52     i64.ne                               -        i64 i64 -> i32
53     i64.lt_s                             -        i64 i64 -> i32
54     i64.lt_u                             -        i64 i64 -> i32
55     i64.gt_s                             -        i64 i64 -> i32
56     i64.gt_u                             -        i64 i64 -> i32
57     i64.le_s                             -        i64 i64 -> i32
58     i64.le_u                             -        i64 i64 -> i32
59     i64.ge_s                             -        i64 i64 -> i32
5a     i64.ge_u                             -        i64 i64 -> i32
5b     f32.eq                               -        f32 f32 -> i32
5c     f32.ne                               -        f32 f32 -> i32
5d     f32.lt                               -        f32 f32 -> i32
5e     f32.gt                               -        f32 f32 -> i32
5f     f32.le                               -        f32 f32 -> i32
60     f32.ge                               -        f32 f32 -> i32
61     f64.eq                               -        f64 f64 -> i32
62     f64.ne                               -        f64 f64 -> i32
63     f64.lt                               -        f64 f64 -> i32
64     f64.gt                               -        f64 f64 -> i32
65     f64.le                               -        f64 f64 -> i32
66     f64.ge                               -        f64 f64 -> i32
67     i32.clz                              -        i32 -> i32
68     i32.ctz                              -        i32 -> i32
69     i32.popcnt                           -        i32 -> i32
6a     i32.add                              -        i32 i32 -> i32
6b     i32.sub                              -        i32 i32 -> i32
6c     i32.mul                              -        i32 i32 -> i32
6d     i32.div_s                            -        i32 i32 -> i32
6e     i32.div_u                            -        i32 i32 -> i32
6f     i32.rem_s                            -        i32 i32 -> i32
70     i32.rem_u                            -        i32 i32 -> i32
71     i32.and                              -        i32 i32 -> i32
72     i32.or                               -        i32 i32 -> i32
73     i32.xor                              -        i32 i32 -> i32
74     i32.shl                              -        i32 i32 -> i32
75     i32.shr_s                            -        i32 i32 -> i32
76     i32.shr_u                            -        i32 i32 -> i32
77     i32.rotl                             -        i32 i32 -> i32
78     i32.rotr                             -        i32 i32 -> i32
79     i64.clz                              -        i64 -> i64
7a     i64.ctz                              -        i64 -> i64
7b     i64.popcnt                           -        i64 -> i64
7c     i64.add                              -        i64 i64 -> i64
7d     i64.sub                              -        i64 i64 -> i64
7e     i64.mul                              -        i64 i64 -> i64
7f     i64.div_s                            -        i64 i64 -> i64
80     i64.div_u                            -        i64 i64 -> i64
81     i64.rem_s                            -        i64 i64 -> i64
82     i64.rem_u                            -        i64 i64 -> i64
83     i64.and                              -        i64 i64 -> i64
84     i64.or                               -        i64 i64 -> i64
85     i64.xor                              -        i64 i64 -> i64
86     i64.shl                              -        i64 i64 -> i64
87     i64.shr_s                            -        i64 i64 -> i64
88     i64.shr_u                            -        i64 i64 -> i64
89     i64.rotl                             -        i64 i64 -> i64
8a     i64.rotr                             -        i64 i64 -> i64
8b     f32.abs                              -        f32 -> f32
8c     f32.neg                              -        f32 -> f32
8d     f32.ceil                             -        f32 -> f32
8e     f32.floor                            -        f32 -> f32
8f     f32.trunc                            -        f32 -> f32
90     f32.nearest                          -        f32 -> f32
91     f32.sqrt                             -        f32 -> f32
92     f32.add                              -        f32 f32 -> f32
93     f32.sub                              -        f32 f32 -> f32
94     f32.mul                              -        f32 f32 -> f32
95     f32.div                              -        f32 f32 -> f32
96     f32.min                              -        f32 f32 -> f32
97     f32.max                              -        f32 f32 -> f32
98     f32.copysign                         -        f32 f32 -> f32
99     f64.abs                              -        f64 -> f64
9a     f64.neg                              -        f64 -> f64
9b     f64.ceil                             -        f64 -> f64
9c     f64.floor                            -        f64 -> f64
9d     f64.trunc                            -        f64 -> f64
9e     f64.nearest                          -        f64 -> f64
9f     f64.sqrt                             -        f64 -> f64
a0     f64.add                              -        f64 f64 -> f64
a1     f64.sub                              -        f64 f64 -> f64
a2     f64.mul                              -        f64 f64 -> f64
a3     f64.div                              -        f64 f64 -> f64
a4     f64.min                              -        f64 f64 -> f64
a5     f64.max                              -        f64 f64 -> f64
a6     f64.copysign                         -        f64 f64 -> f64
a7     i32.wrap_i64                         -        i64 -> i32
a8     i32.trunc_f32_s                      -        f32 -> i32
a9     i32.trunc_f32_u                      -        f32 -> i32
aa     i32.trunc_f64_s                      -        f64 -> i32
ab     i32.trunc_f64_u                      -        f64 -> i32
ac     i64.extend_i32_s                     -        i32 -> i64
ad     i64.extend_i32_u                     -        i32 -> i64
ae     i64.trunc_f32_s                      -        f32 -> i64
af     i64.trunc_f32_u                      -        f32 -> i64
b0     i64.trunc_f64_s                      -        f64 -> i64
b1     i64.trunc_f64_u                      -        f64 -> i64
b2     f32.convert_i32_s                    -        i32 -> f32
b3     f32.convert_i32_u                    -        i32 -> f32
b4     f32.convert_i64_s                    -        i64 -> f32
b5     f32.convert_i64_u                    -        i64 -> f32
b6     f32.demote_f64                       -        f64 -> f32
b7     f64.convert_i32_s                    -        i32 -> f64
b8     f64.convert_i32_u                    -        i32 -> f64
b9     f64.convert_i64_s                    -        i64 -> f64
ba     f64.convert_i64_u                    -        i64 -> f64
bb     f64.promote_f32                      -        f32 -> f64
bc     i32.reinterpret_f32                  -        f32 -> i32
bd     i64.reinterpret_f64                  -        f64 -> i64
be     f32.reinterpret_i32                  -        i32 -> f32
bf     f64.reinterpret_i64                  -        i64 -> f64
# sign_extension
c0     i32.extend8_s                        -        i32 -> i32
c1     i32.extend16_s                       -        i32 -> i32
c2     i64.extend8_s                        -        i64 -> i64
c3     i64.extend16_s                       -        i64 -> i64
c4     i64.extend32_s                       -        i64 -> i64
# saturating_float_to_int
fc:0   i32.trunc_sat_f32_s                  -        f32 -> i32
fc:1   i32.trunc_sat_f32_u                  -        f32 -> i32
fc:2   i32.trunc_sat_f64_s                  -        f64 -> i32
fc:3   i32.trunc_sat_f64_u                  -        f64 -> i32
fc:4   i64.trunc_sat_f32_s                  -        f32 -> i64
fc:5   i64.trunc_sat_f32_u                  -        f32 -> i64
fc:6   i64.trunc_sat_f64_s                  -        f64 -> i64
fc:7   i64.trunc_sat_f64_u                  -        f64 -> i64
# bulk_memory
fc:8   memory.init                          dm       addr i32 i32 ->
fc:9   data.drop                            d        ->
fc:a   memory.copy                          mm       *
fc:b   memory.fill                          mem      addr i32 addr ->
fc:c   table.init                           et       *
fc:d   elem.drop                            e        ->
fc:e   table.copy                           tab2     *
# reference_types
1c     select                               sel      *  enum=SelectT
25     table.get                            tab      *
26     table.set                            tab      *
fc:f   table.grow                           tab      *
fc:10  table.size                           tab      -> addr
fc:11  table.fill                           tab      *
d0     ref.null                             ht       *
d1     ref.is_null                          -        *
d2     ref.func                             f        *
# tail_call
12     return_call                          f        *
13     return_call_indirect                 ci       *
# function_references
14     call_ref                             t        *
15     return_call_ref                      t        *
d4     ref.as_non_null                      -        *
d5     br_on_null                           l        *
d6     br_on_non_null                       l        *
# exceptions
8      throw                                tag      *
a      throw_ref                            -        *
1f     try_table                            try      *
# legacy_exceptions
6      try                                  bt       *
7      catch                                tag      *
9      rethrow                              l        *
18     delegate                             l        *
19     catch_all                            -        *
# gc
d3     ref.eq                               -        *
fb:0   struct.new                           t        *
fb:1   struct.new_default                   t        *
fb:2   struct.get                           tf       *
fb:3   struct.get_s                         tf       *
fb:4   struct.get_u                         tf       *
fb:5   struct.set                           tf       *
fb:6   array.new                            t        *
fb:7   array.new_default                    t        *
fb:8   array.new_fixed                      tn       *
fb:9   array.new_data                       td       *
fb:a   array.new_elem                       te       *
fb:b   array.get                            t        *
fb:c   array.get_s                          t        *
fb:d   array.get_u                          t        *
fb:e   array.set                            t        *
fb:f   array.len                            -        *
fb:10  array.fill                           t        *
fb:11  array.copy                           t2       *
fb:12  array.init_data                      td       *
fb:13  array.init_elem                      te       *
fb:14  ref.test                             cast     *
fb:15  ref.test                             cast     *  enum=RefTestNull
fb:16  ref.cast                             cast     *
fb:17  ref.cast                             cast     *  enum=RefCastNull
fb:18  br_on_cast                           boc      *
fb:19  br_on_cast_fail                      boc      *
fb:1a  any.convert_extern                   -        *
fb:1b  extern.convert_any                   -        *
fb:1c  ref.i31                              -        *
fb:1d  i31.get_s                            -        *
fb:1e  i31.get_u                            -        *
# simd
fd:0   v128.load                            m:4      addr -> v128
fd:1   v128.load8x8_s                       m:3      addr -> v128
fd:2   v128.load8x8_u                       m:3      addr -> v128
fd:3   v128.load16x4_s                      m:3      addr -> v128
fd:4   v128.load16x4_u                      m:3      addr -> v128
fd:5   v128.load32x2_s                      m:3      addr -> v128
fd:6   v128.load32x2_u                      m:3      addr -> v128
fd:7   v128.load8_splat                     m:0      addr -> v128
fd:8   v128.load16_splat                    m:1      addr -> v128
fd:9   v128.load32_splat                    m:2      addr -> v128
fd:a   v128.load64_splat                    m:3      addr -> v128
fd:b   v128.store                           m:4      addr v128 ->
fd:c   v128.const                           v128     -> v128
fd:d   i8x16.shuffle                        shuf     v128 v128 -> v128
fd:e   i8x16.swizzle                        -        v128 v128 -> v128
fd:f   i8x16.splat                          -        i32 -> v128
fd:10  i16x8.splat                          -        i32 -> v128
fd:11  i32x4.splat                          -        i32 -> v128
fd:12  i64x2.splat                          -        i64 -> v128
fd:13  f32x4.splat                          -        f32 -> v128
fd:14  f64x2.splat                          -        f64 -> v128
fd:15  i8x16.extract_lane_s                 lane:16  v128 -> i32
fd:16  i8x16.extract_lane_u                 lane:16  v128 -> i32
fd:17  i8x16.replace_lane                   lane:16  v128 i32 -> v128
fd:18  i16x8.extract_lane_s                 lane:8   v128 -> i32
fd:19  i16x8.extract_lane_u                 lane:8   v128 -> i32
fd:1a  i16x8.replace_lane                   lane:8   v128 i32 -> v128
fd:1b  i32x4.extract_lane                   lane:4   v128 -> i32
fd:1c  i32x4.replace_lane                   lane:4   v128 i32 -> v128
fd:1d  i64x2.extract_lane                   lane:2   v128 -> i64
fd:1e  i64x2.replace_lane                   lane:2   v128 i64 -> v128
fd:1f  f32x4.extract_lane                   lane:4   v128 -> f32
fd:20  f32x4.replace_lane                   lane:4   v128 f32 -> v128
fd:21  f64x2.extract_lane                   lane:2   v128 -> f64
fd:22  f64x2.replace_lane                   lane:2   v128 f64 -> v128
fd:23  i8x16.eq                             -        v128 v128 -> v128
fd:24  i8x16.ne                             -        v128 v128 -> v128
fd:25  i8x16.lt_s                           -        v128 v128 -> v128
fd:26  i8x16.lt_u                           -        v128 v128 -> v128
fd:27  i8x16.gt_s                           -        v128 v128 -> v128
fd:28  i8x16.gt_u                           -        v128 v128 -> v128
fd:29  i8x16.le_s                           -        v128 v128 -> v128
fd:2a  i8x16.le_u                           -        v128 v128 -> v128
fd:2b  i8x16.ge_s                           -        v128 v128 -> v128
fd:2c  i8x16.ge_u                           -        v128 v128 -> v128
fd:2d  i16x8.eq                             -        v128 v128 -> v128
fd:2e  i16x8.ne                             -        v128 v128 -> v128
fd:2f  i16x8.lt_s                           -        v128 v128 -> v128
fd:30  i16x8.lt_u                           -        v128 v128 -> v128
fd:31  i16x8.gt_s                           -        v128 v128 -> v128
fd:32  i16x8.gt_u                           -        v128 v128 -> v128
fd:33  i16x8.le_s                           -        v128 v128 -> v128
fd:34  i16x8.le_u                           -        v128 v128 -> v128
fd:35  i16x8.ge_s                           -        v128 v128 -> v128
fd:36  i16x8.ge_u                           -        v128 v128 -> v128
fd:37  i32x4.eq                             -        v128 v128 -> v128
fd:38  i32x4.ne                             -        v128 v128 -> v128
fd:39  i32x4.lt_s                           -        v128 v128 -> v128
fd:3a  i32x4.lt_u                           -        v128 v128 -> v128
fd:3b  i32x4.gt_s                           -        v128 v128 -> v128
fd:3c  i32x4.gt_u                           -        v128 v128 -> v128
fd:3d  i32x4.le_s                           -        v128 v128 -> v128
fd:3e  i32x4.le_u                           -        v128 v128 -> v128
fd:3f  i32x4.ge_s                           -        v128 v128 -> v128
fd:40  i32x4.ge_u                           -        v128 v128 -> v128
fd:41  f32x4.eq                             -        v128 v128 -> v128
fd:42  f32x4.ne                             -        v128 v128 -> v128
fd:43  f32x4.lt                             -        v128 v128 -> v128
fd:44  f32x4.gt                             -        v128 v128 -> v128
fd:45  f32x4.le                             -        v128 v128 -> v128
fd:46  f32x4.ge                             -        v128 v128 -> v128
fd:47  f64x2.eq                             -        v128 v128 -> v128
fd:48  f64x2.ne                             -        v128 v128 -> v128
fd:49  f64x2.lt                             -        v128 v128 -> v128
fd:4a  f64x2.gt                             -        v128 v128 -> v128
fd:4b  f64x2.le                             -        v128 v128 -> v128
fd:4c  f64x2.ge                             -        v128 v128 -> v128
fd:4d  v128.not                             -        v128 -> v128
fd:4e  v128.and                             -        v128 v128 -> v128
fd:4f  v128.andnot                          -        v128 v128 -> v128
fd:50  v128.or                              -        v128 v128 -> v128
fd:51  v128.xor                             -        v128 v128 -> v128
fd:52  v128.bitselect                       -        v128 v128 v128 -> v128
fd:53  v128.any_true                        -        v128 -> i32
fd:54  v128.load8_lane                      ml:0:16  addr v128 -> v128
fd:55  v128.load16_lane                     ml:1:8   addr v128 -> v128
fd:56  v128.load32_lane                     ml:2:4   addr v128 -> v128
fd:57  v128.load64_lane                     ml:3:2   addr v128 -> v128
fd:58  v128.store8_lane                     ml:0:16  addr v128 ->
fd:59  v128.store16_lane                    ml:1:8   addr v128 ->
fd:5a  v128.store32_lane                    ml:2:4   addr v128 ->
fd:5b  v128.store64_lane                    ml:3:2   addr v128 ->
fd:5c  v128.load32_zero                     m:2      addr -> v128
fd:5d  v128.load64_zero                     m:3      addr -> v128
fd:5e  f32x4.demote_f64x2_zero              -        v128 -> v128
fd:5f  f64x2.promote_low_f32x4              -        v128 -> v128
fd:60  i8x16.abs                            -        v128 -> v128
fd:61  i8x16.neg                            -        v128 -> v128
fd:62  i8x16.popcnt                         -        v128 -> v128
fd:63  i8x16.all_true                       -        v128 -> i32
fd:64  i8x16.bitmask                        -        v128 -> i32
fd:65  i8x16.narrow_i16x8_s                 -        v128 v128 -> v128
fd:66  i8x16.narrow_i16x8_u                 -        v128 v128 -> v128
fd:67  f32x4.ceil                           -        v128 -> v128
fd:68  f32x4.floor                          -        v128 -> v128
fd:69  f32x4.trunc                          -        v128 -> v128
fd:6a  f32x4.nearest                        -        v128 -> v128
fd:6b  i8x16.shl                            -        v128 i32 -> v128
fd:6c  i8x16.shr_s                          -        v128 i32 -> v128
fd:6d  i8x16.shr_u                          -        v128 i32 -> v128
fd:6e  i8x16.add                            -        v128 v128 -> v128
fd:6f  i8x16.add_sat_s                      -        v128 v128 -> v128
fd:70  i8x16.add_sat_u                      -        v128 v128 -> v128
fd:71  i8x16.sub                            -        v128 v128 -> v128
fd:72  i8x16.sub_sat_s                      -        v128 v128 -> v128
fd:73  i8x16.sub_sat_u                      -        v128 v128 -> v128
fd:74  f64x2.ceil                           -        v128 -> v128
fd:75  f64x2.floor                          -        v128 -> v128
fd:76  i8x16.min_s                          -        v128 v128 -> v128
fd:77  i8x16.min_u                          -        v128 v128 -> v128
fd:78  i8x16.max_s                          -        v128 v128 -> v128
fd:79  i8x16.max_u                          -        v128 v128 -> v128
fd:7a  f64x2.trunc                          -        v128 -> v128
fd:7b  i8x16.avgr_u                         -        v128 v128 -> v128
fd:7c  i16x8.extadd_pairwise_i8x16_s        -        v128 -> v128
fd:7d  i16x8.extadd_pairwise_i8x16_u        -        v128 -> v128
fd:7e  i32x4.extadd_pairwise_i16x8_s        -        v128 -> v128
fd:7f  i32x4.extadd_pairwise_i16x8_u        -        v128 -> v128
fd:80  i16x8.abs                            -        v128 -> v128
fd:81  i16x8.neg                            -        v128 -> v128
fd:82  i16x8.q15mulr_sat_s                  -        v128 v128 -> v128
fd:83  i16x8.all_true                       -        v128 -> i32
fd:84  i16x8.bitmask                        -        v128 -> i32
fd:85  i16x8.narrow_i32x4_s                 -        v128 v128 -> v128
fd:86  i16x8.narrow_i32x4_u                 -        v128 v128 -> v128
fd:87  i16x8.extend_low_i8x16_s             -        v128 -> v128
fd:88  i16x8.extend_high_i8x16_s            -        v128 -> v128
fd:89  i16x8.extend_low_i8x16_u             -        v128 -> v128
fd:8a  i16x8.extend_high_i8x16_u            -        v128 -> v128
fd:8b  i16x8.shl                            -        v128 i32 -> v128
fd:8c  i16x8.shr_s                          -        v128 i32 -> v128
fd:8d  i16x8.shr_u                          -        v128 i32 -> v128
fd:8e  i16x8.add                            -        v128 v128 -> v128
fd:8f  i16x8.add_sat_s                      -        v128 v128 -> v128
fd:90  i16x8.add_sat_u                      -        v128 v128 -> v128
fd:91  i16x8.sub                            -        v128 v128 -> v128
fd:92  i16x8.sub_sat_s                      -        v128 v128 -> v128
fd:93  i16x8.sub_sat_u                      -        v128 v128 -> v128
fd:94  f64x2.nearest                        -        v128 -> v128
fd:95  i16x8.mul                            -        v128 v128 -> v128
fd:96  i16x8.min_s                          -        v128 v128 -> v128
fd:97  i16x8.min_u                          -        v128 v128 -> v128
fd:98  i16x8.max_s                          -        v128 v128 -> v128
fd:99  i16x8.max_u                          -        v128 v128 -> v128
fd:9b  i16x8.avgr_u                         -        v128 v128 -> v128
fd:9c  i16x8.extmul_low_i8x16_s             -        v128 v128 -> v128
fd:9d  i16x8.extmul_high_i8x16_s            -        v128 v128 -> v128
fd:9e  i16x8.extmul_low_i8x16_u             -        v128 v128 -> v128
fd:9f  i16x8.extmul_high_i8x16_u            -        v128 v128 -> v128
fd:a0  i32x4.abs                            -        v128 -> v128
fd:a1  i32x4.neg                            -        v128 -> v128
fd:a3  i32x4.all_true                       -        v128 -> i32
fd:a4  i32x4.bitmask                        -        v128 -> i32
fd:a7  i32x4.extend_low_i16x8_s             -        v128 -> v128
fd:a8  i32x4.extend_high_i16x8_s            -        v128 -> v128
fd:a9  i32x4.extend_low_i16x8_u             -        v128 -> v128
fd:aa  i32x4.extend_high_i16x8_u            -        v128 -> v128
fd:ab  i32x4.shl                            -        v128 i32 -> v128
fd:ac  i32x4.shr_s                          -        v128 i32 -> v128
fd:ad  i32x4.shr_u                          -        v128 i32 -> v128
fd:ae  i32x4.add                            -        v128 v128 -> v128
fd:b1  i32x4.sub                            -        v128 v128 -> v128
fd:b5  i32x4.mul                            -        v128 v128 -> v128
fd:b6  i32x4.min_s                          -        v128 v128 -> v128
fd:b7  i32x4.min_u                          -        v128 v128 -> v128
fd:b8  i32x4.max_s                          -        v128 v128 -> v128
fd:b9  i32x4.max_u                          -        v128 v128 -> v128
fd:ba  i32x4.dot_i16x8_s                    -        v128 v128 -> v128
fd:bc  i32x4.extmul_low_i16x8_s             -        v128 v128 -> v128
fd:bd  i32x4.extmul_high_i16x8_s            -        v128 v128 -> v128
fd:be  i32x4.extmul_low_i16x8_u             -        v128 v128 -> v128
fd:bf  i32x4.extmul_high_i16x8_u            -        v128 v128 -> v128
fd:c0  i64x2.abs                            -        v128 -> v128
fd:c1  i64x2.neg                            -        v128 -> v128
fd:c3  i64x2.all_true                       -        v128 -> i32
fd:c4  i64x2.bitmask                        -        v128 -> i32
fd:c7  i64x2.extend_low_i32x4_s             -        v128 -> v128
fd:c8  i64x2.extend_high_i32x4_s            -        v128 -> v128
fd:c9  i64x2.extend_low_i32x4_u             -        v128 -> v128
fd:ca  i64x2.extend_high_i32x4_u            -        v128 -> v128
fd:cb  i64x2.shl                            -        v128 i32 -> v128
fd:cc  i64x2.shr_s                          -        v128 i32 -> v128
fd:cd  i64x2.shr_u                          -        v128 i32 -> v128
fd:ce  i64x2.add                            -        v128 v128 -> v128
fd:d1  i64x2.sub                            -        v128 v128 -> v128
fd:d5  i64x2.mul                            -        v128 v128 -> v128
fd:d6  i64x2.eq                             -        v128 v128 -> v128
fd:d7  i64x2.ne                             -        v128 v128 -> v128
fd:d8  i64x2.lt_s                           -        v128 v128 -> v128
fd:d9  i64x2.gt_s                           -        v128 v128 -> v128
fd:da  i64x2.le_s                           -        v128 v128 -> v128
fd:db  i64x2.ge_s                           -        v128 v128 -> v128
fd:dc  i64x2.extmul_low_i32x4_s             -        v128 v128 -> v128
fd:dd  i64x2.extmul_high_i32x4_s            -        v128 v128 -> v128
fd:de  i64x2.extmul_low_i32x4_u             -        v128 v128 -> v128
fd:df  i64x2.extmul_high_i32x4_u            -        v128 v128 -> v128
fd:e0  f32x4.abs                            -        v128 -> v128
fd:e1  f32x4.neg                            -        v128 -> v128
fd:e3  f32x4.sqrt                           -        v128 -> v128
fd:e4  f32x4.add                            -        v128 v128 -> v128
fd:e5  f32x4.sub                            -        v128 v128 -> v128
fd:e6  f32x4.mul                            -        v128 v128 -> v128
fd:e7  f32x4.div                            -        v128 v128 -> v128
fd:e8  f32x4.min                            -        v128 v128 -> v128
fd:e9  f32x4.max                            -        v128 v128 -> v128
fd:ea  f32x4.pmin                           -        v128 v128 -> v128
fd:eb  f32x4.pmax                           -        v128 v128 -> v128
fd:ec  f64x2.abs                            -        v128 -> v128
fd:ed  f64x2.neg                            -        v128 -> v128
fd:ef  f64x2.sqrt                           -        v128 -> v128
fd:f0  f64x2.add                            -        v128 v128 -> v128
fd:f1  f64x2.sub                            -        v128 v128 -> v128
fd:f2  f64x2.mul                            -        v128 v128 -> v128
fd:f3  f64x2.div                            -        v128 v128 -> v128
fd:f4  f64x2.min                            -        v128 v128 -> v128
fd:f5  f64x2.max                            -        v128 v128 -> v128
fd:f6  f64x2.pmin                           -        v128 v128 -> v128
fd:f7  f64x2.pmax                           -        v128 v128 -> v128
fd:f8  i32x4.trunc_sat_f32x4_s              -        v128 -> v128
fd:f9  i32x4.trunc_sat_f32x4_u              -        v128 -> v128
fd:fa  f32x4.convert_i32x4_s                -        v128 -> v128
fd:fb  f32x4.convert_i32x4_u                -        v128 -> v128
fd:fc  i32x4.trunc_sat_f64x2_s_zero         -        v128 -> v128
fd:fd  i32x4.trunc_sat_f64x2_u_zero         -        v128 -> v128
fd:fe  f64x2.convert_low_i32x4_s            -        v128 -> v128
fd:ff  f64x2.convert_low_i32x4_u            -        v128 -> v128
# relaxed_simd
fd:100 i8x16.relaxed_swizzle                -        v128 v128 -> v128
fd:101 i32x4.relaxed_trunc_f32x4_s          -        v128 -> v128
fd:102 i32x4.relaxed_trunc_f32x4_u          -        v128 -> v128
fd:103 i32x4.relaxed_trunc_f64x2_s_zero     -        v128 -> v128
fd:104 i32x4.relaxed_trunc_f64x2_u_zero     -        v128 -> v128
fd:105 f32x4.relaxed_madd                   -        v128 v128 v128 -> v128
fd:106 f32x4.relaxed_nmadd                  -        v128 v128 v128 -> v128
fd:107 f64x2.relaxed_madd                   -        v128 v128 v128 -> v128
fd:108 f64x2.relaxed_nmadd                  -        v128 v128 v128 -> v128
fd:109 i8x16.relaxed_laneselect             -        v128 v128 v128 -> v128
fd:10a i16x8.relaxed_laneselect             -        v128 v128 v128 -> v128
fd:10b i32x4.relaxed_laneselect             -        v128 v128 v128 -> v128
fd:10c i64x2.relaxed_laneselect             -        v128 v128 v128 -> v128
fd:10d f32x4.relaxed_min                    -        v128 v128 -> v128
fd:10e f32x4.relaxed_max                    -        v128 v128 -> v128
fd:10f f64x2.relaxed_min                    -        v128 v128 -> v128
fd:110 f64x2.relaxed_max                    -        v128 v128 -> v128
fd:111 i16x8.relaxed_q15mulr_s              -        v128 v128 -> v128
fd:112 i16x8.relaxed_dot_i8x16_i7x16_s      -        v128 v128 -> v128
fd:113 i32x4.relaxed_dot_i8x16_i7x16_add_s  -        v128 v128 v128 -> v128
# threads
fe:0   memory.atomic.notify                 m:2      addr i32 -> i32
fe:1   memory.atomic.wait32                 m:2      addr i32 i64 -> i32
fe:2   memory.atomic.wait64                 m:3      addr i64 i64 -> i32
fe:3   atomic.fence                         zero     ->
fe:10  i32.atomic.load                      m:2      addr -> i32
fe:11  i64.atomic.load                      m:3      addr -> i64
fe:12  i32.atomic.load8_u                   m:0      addr -> i32
fe:13  i32.atomic.load16_u                  m:1      addr -> i32
fe:14  i64.atomic.load8_u                   m:0      addr -> i64
fe:15  i64.atomic.load16_u                  m:1      addr -> i64
fe:16  i64.atomic.load32_u                  m:2      addr -> i64
fe:17  i32.atomic.store                     m:2      addr i32 ->
fe:18  i64.atomic.store                     m:3      addr i64 ->
fe:19  i32.atomic.store8                    m:0      addr i32 ->
fe:1a  i32.atomic.store16                   m:1      addr i32 ->
fe:1b  i64.atomic.store8                    m:0      addr i64 ->
fe:1c  i64.atomic.store16                   m:1      addr i64 ->
fe:1d  i64.atomic.store32                   m:2      addr i64 ->
fe:1e  i32.atomic.rmw.add                   m:2      addr i32 -> i32
fe:1f  i64.atomic.rmw.add                   m:3      addr i64 -> i64
fe:20  i32.atomic.rmw8.add_u                m:0      addr i32 -> i32
fe:21  i32.atomic.rmw16.add_u               m:1      addr i32 -> i32
fe:22  i64.atomic.rmw8.add_u                m:0      addr i64 -> i64
fe:23  i64.atomic.rmw16.add_u               m:1      addr i64 -> i64
fe:24  i64.atomic.rmw32.add_u               m:2      addr i64 -> i64
fe:25  i32.atomic.rmw.sub                   m:2      addr i32 -> i32
fe:26  i64.atomic.rmw.sub                   m:3      addr i64 -> i64
fe:27  i32.atomic.rmw8.sub_u                m:0      addr i32 -> i32
fe:28  i32.atomic.rmw16.sub_u               m:1      addr i32 -> i32
fe:29  i64.atomic.rmw8.sub_u                m:0      addr i64 -> i64
fe:2a  i64.atomic.rmw16.sub_u               m:1      addr i64 -> i64
fe:2b  i64.atomic.rmw32.sub_u               m:2      addr i64 -> i64
fe:2c  i32.atomic.rmw.and                   m:2      addr i32 -> i32
fe:2d  i64.atomic.rmw.and                   m:3      addr i64 -> i64
fe:2e  i32.atomic.rmw8.and_u                m:0      addr i32 -> i32
fe:2f  i32.atomic.rmw16.and_u               m:1      addr i32 -> i32
fe:30  i64.atomic.rmw8.and_u                m:0      addr i64 -> i64
fe:31  i64.atomic.rmw16.and_u               m:1      addr i64 -> i64
fe:32  i64.atomic.rmw32.and_u               m:2      addr i64 -> i64
fe:33  i32.atomic.rmw.or                    m:2      addr i32 -> i32
fe:34  i64.atomic.rmw.or                    m:3      addr i64 -> i64
fe:35  i32.atomic.rmw8.or_u                 m:0      addr i32 -> i32
fe:36  i32.atomic.rmw16.or_u                m:1      addr i32 -> i32
fe:37  i64.atomic.rmw8.or_u                 m:0      addr i64 -> i64
fe:38  i64.atomic.rmw16.or_u                m:1      addr i64 -> i64
fe:39  i64.atomic.rmw32.or_u                m:2      addr i64 -> i64
fe:3a  i32.atomic.rmw.xor                   m:2      addr i32 -> i32
fe:3b  i64.atomic.rmw.xor                   m:3      addr i64 -> i64
fe:3c  i32.atomic.rmw8.xor_u                m:0      addr i32 -> i32
fe:3d  i32.atomic.rmw16.xor_u               m:1      addr i32 -> i32
fe:3e  i64.atomic.rmw8.xor_u                m:0      addr i64 -> i64
fe:3f  i64.atomic.rmw16.xor_u               m:1      addr i64 -> i64
fe:40  i64.atomic.rmw32.xor_u               m:2      addr i64 -> i64
fe:41  i32.atomic.rmw.xchg                  m:2      addr i32 -> i32
fe:42  i64.atomic.rmw.xchg                  m:3      addr i64 -> i64
fe:43  i32.atomic.rmw8.xchg_u               m:0      addr i32 -> i32
fe:44  i32.atomic.rmw16.xchg_u              m:1      addr i32 -> i32
fe:45  i64.atomic.rmw8.xchg_u               m:0      addr i64 -> i64
fe:46  i64.atomic.rmw16.xchg_u              m:1      addr i64 -> i64
fe:47  i64.atomic.rmw32.xchg_u              m:2      addr i64 -> i64
fe:48  i32.atomic.rmw.cmpxchg               m:2      addr i32 i32 -> i32
fe:49  i64.atomic.rmw.cmpxchg               m:3      addr i64 i64 -> i64
fe:4a  i32.atomic.rmw8.cmpxchg_u            m:0      addr i32 i32 -> i32
fe:4b  i32.atomic.rmw16.cmpxchg_u           m:1      addr i32 i32 -> i32
fe:4c  i64.atomic.rmw8.cmpxchg_u            m:0      addr i64 i64 -> i64
fe:4d  i64.atomic.rmw16.cmpxchg_u           m:1      addr i64 i64 -> i64
fe:4e  i64.atomic.rmw32.cmpxchg_u           m:2      addr i64 i64 -> i64
# wide_arithmetic
fc:13  i64.add128                           -        i64 i64 i64 i64 -> i64 i64
fc:14  i64.sub128                           -        i64 i64 i64 i64 -> i64 i64
fc:15  i64.mul_wide_s                       -        i64 i64 -> i64 i64
fc:16  i64.mul_wide_u                       -        i64 i64 -> i64 i64
# custom_descriptors
fb:20  struct.new_desc                      t        *
fb:21  struct.new_default_desc              t        *
fb:22  ref.get_desc                         t        *
fb:23  ref.cast_desc_eq                     cast     *
fb:24  ref.cast_desc_eq                     cast     *  enum=RefCastDescEqNull
fb:25  br_on_cast_desc_eq                   boc      *
fb:26  br_on_cast_desc_eq_fail              boc      *
`;

const IMM_CODES: Readonly<Record<string, Imm>> = {
  '-': Imm.None, bt: Imm.BlockType, l: Imm.Label, brt: Imm.BrTable, f: Imm.Func, t: Imm.Type,
  ci: Imm.CallIndirect, loc: Imm.Local, g: Imm.Global, tab: Imm.Table, m: Imm.MemArg, mem: Imm.Mem,
  i32: Imm.I32, i64: Imm.I64, f32: Imm.F32, f64: Imm.F64, v128: Imm.V128, shuf: Imm.Shuffle,
  lane: Imm.Lane, ml: Imm.MemArgLane, ht: Imm.HeapType, sel: Imm.SelectTypes, dm: Imm.DataMem,
  d: Imm.Data, mm: Imm.MemMem, et: Imm.ElemTable, e: Imm.Elem, tab2: Imm.TableTable, tag: Imm.Tag,
  try: Imm.TryTable, tf: Imm.TypeField, td: Imm.TypeData, te: Imm.TypeElem, t2: Imm.TypeType,
  tn: Imm.TypeCount, cast: Imm.CastType, boc: Imm.BrOnCast, zero: Imm.Zero,
};

const SIG_TYPES: Readonly<Record<string, ValType>> = { i32: I32, i64: I64, f32: F32, f64: F64, v128: V128, addr: ADDR };

/** "i32.trunc_sat_f32_s" -> "I32TruncSatF32S". */
export function enumNameOf(mnemonic: string): string {
  return mnemonic.split(/[._]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function parseSignature(sig: string): [ValType[] | null, ValType[] | null] {
  if (sig === '*') return [null, null];
  const [lhs, rhs] = sig.split('->');
  const types = (side: string) => side.trim().split(/\s+/).filter(Boolean).map((t) => {
    const type = SIG_TYPES[t];
    if (type === undefined) throw new Error(`opcode table: bad type ${t}`);
    return type;
  });
  return [types(lhs!), types(rhs ?? '')];
}

function parseTable(text: string): OpInfo[] {
  const ops: OpInfo[] = [];
  let feature: Feature = 'mvp';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      feature = line.slice(1).trim() as Feature;
      continue;
    }
    const enumAt = line.indexOf(' enum=');
    const body = enumAt >= 0 ? line.slice(0, enumAt) : line;
    const [codeText, name, immText, ...sigParts] = body.trim().split(/\s+/);
    const [prefixText, subText] = codeText!.includes(':') ? codeText!.split(':') : [undefined, codeText!];
    const prefix = prefixText === undefined ? 0 : parseInt(prefixText, 16);
    const sub = parseInt(subText!, 16);
    const [immName, first, second] = immText!.split(':');
    const imm = IMM_CODES[immName!];
    if (imm === undefined) throw new Error(`opcode table: bad immediate ${immText}`);
    const [params, results] = parseSignature(sigParts.join(' '));
    ops.push({
      code: prefix === 0 ? sub : (prefix << 16) | sub,
      prefix,
      sub,
      name: name!,
      enumName: enumAt >= 0 ? line.slice(enumAt + 6).trim() : enumNameOf(name!),
      imm,
      feature,
      align: imm === Imm.MemArg || imm === Imm.MemArgLane ? Number(first) : 0,
      lanes: imm === Imm.Lane ? Number(first) : imm === Imm.MemArgLane ? Number(second) : 0,
      params,
      results,
    });
  }
  return ops;
}

/** Every instruction, in table order. */
export const OPCODES: readonly OpInfo[] = parseTable(TABLE);

/** The opcode prefixes of multi-byte instructions. */
export const PREFIXES: readonly number[] = [0xfb, 0xfc, 0xfd, 0xfe];

const oneByte: (OpInfo | undefined)[] = new Array(256).fill(undefined);
const prefixed = new Map<number, (OpInfo | undefined)[]>(PREFIXES.map((p) => [p, []]));
const byCode = new Map<number, OpInfo>();
const byName = new Map<string, OpInfo[]>();
for (const op of OPCODES) {
  if (byCode.has(op.code)) throw new Error(`opcode table: duplicate code ${op.code.toString(16)}`);
  byCode.set(op.code, op);
  if (op.prefix === 0) oneByte[op.sub] = op;
  else prefixed.get(op.prefix)![op.sub] = op;
  const same = byName.get(op.name);
  if (same) same.push(op);
  else byName.set(op.name, [op]);
}

/** The instruction of a one-byte opcode, or undefined (also for prefix bytes). */
export function opByByte(byte: number): OpInfo | undefined {
  return oneByte[byte];
}
/** The instruction of a prefixed opcode, or undefined. */
export function opByPrefixed(prefix: number, sub: number): OpInfo | undefined {
  return prefixed.get(prefix)?.[sub];
}
/** The instruction with this `code` (the value of `Op.X`). */
export function opByCode(code: number): OpInfo | undefined {
  return byCode.get(code);
}
/** Every instruction with this text mnemonic (two for ref.test, ref.cast, select, ref.cast_desc_eq). */
export function opsByName(name: string): readonly OpInfo[] | undefined {
  return byName.get(name);
}
export function isPrefix(byte: number): boolean {
  return byte === 0xfb || byte === 0xfc || byte === 0xfd || byte === 0xfe;
}
