// Word expressions: the i8x16 and i16x8 operations that stay within each 32-bit word of a v128, as
// inline JS computing one result word from operand words (no call: V8 stops inlining calls in big functions).

/** How a word's lanes are read: 8- or 16-bit, signed or unsigned. */
type LaneRead = 's8' | 'u8' | 's16' | 'u16';

/** The expression of lane `i` of word `w` (a simple expression). */
export function laneOfWord(read: LaneRead, w: string, i: number): string {
  switch (read) {
    case 'u8': return i === 3 ? `(${w} >>> 24)` : `((${w} >>> ${8 * i}) & 255)`;
    case 's8': return i === 3 ? `(${w} >> 24)` : `((${w} << ${24 - 8 * i}) >> 24)`;
    case 'u16': return i === 1 ? `(${w} >>> 16)` : `(${w} & 65535)`;
    case 's16': return i === 1 ? `(${w} >> 16)` : `((${w} << 16) >> 16)`;
  }
}

/** Packs lane values (any integers; each is masked to the lane width) into a word. */
function pack(bits: 8 | 16, lanes: readonly string[]): string {
  const mask = bits === 8 ? 255 : 65535;
  return lanes.map((v, i) => {
    if (i === lanes.length - 1) return `((${v}) << ${bits * i})`;
    return i === 0 ? `((${v}) & ${mask})` : `(((${v}) & ${mask}) << ${bits * i})`;
  }).join(' | ');
}

/**
 * A word op: the result word from simple operand words, given the name of the saturation helper,
 * the shift count `k` (already reduced), and `tmp`, which evaluates an expression into a temp now.
 */
export type WordOp = (words: readonly string[], sat: string, k: string, tmp: (x: string) => string) => string;

/** Result lane i is `f` of the operands' lanes i. */
function lanewise(read: LaneRead, f: (sat: string, ...xs: string[]) => string): WordOp {
  const bits = read.endsWith('8') ? 8 : 16;
  return (words, sat) => pack(bits, Array.from({ length: 32 / bits }, (_, i) => f(sat, ...words.map((w) => laneOfWord(read, w, i)))));
}

/**
 * Branch-free comparisons and saturation, SWAR style (lane tests on random data would mispredict):
 * `d` the lane-wise difference, the borrow out of each lane's top bit says a < b (unsigned), and a
 * lane's 0/1 flag times the lane mask (Math.imul) makes all-ones lanes. Signed forms flip the sign bits first.
 */
function swar(bits: 8 | 16) {
  const [h, l] = bits === 8 ? [H8, L8] : [H16, L16];
  const fill = bits === 8 ? 255 : 65535;
  const top = bits - 1;
  const flip = (x: string, signed: boolean) => (signed ? `(${x} ^ ${h})` : x);
  /** All-ones lanes where a < b (a, b simple); for signed lanes, a and b with sign bits flipped. */
  const lt = (a: string, b: string, tmp: (x: string) => string) => {
    const d = tmp(`((${a} | ${h}) - (${b} & ${l})) ^ ((${a} ^ ~${b}) & ${h})`);
    return tmp(`Math.imul((((~${a} & ${b}) | (~(${a} ^ ${b}) & ${d})) & ${h}) >>> ${top}, ${fill})`);
  };
  const ltOf = (signed: boolean, swap: boolean): WordOp => ([a, b], _s, _k, tmp) => {
    const [x, y] = signed ? [tmp(flip(a!, true)), tmp(flip(b!, true))] : [a!, b!];
    return swap ? lt(y, x, tmp) : lt(x, y, tmp);
  };
  const not = (f: WordOp): WordOp => (w, s, k, tmp) => `~${f(w, s, k, tmp)}`;
  const pick = (signed: boolean, min: boolean): WordOp => ([a, b], s, k, tmp) => {
    const m = ltOf(signed, false)([a!, b!], s, k, tmp);
    return min ? `(${a} & ${m}) | (${b} & ~${m})` : `(${b} & ${m}) | (${a} & ~${m})`;
  };
  const eq: WordOp = ([a, b], _s, _k, tmp) => {
    const t = tmp(`${a} ^ ${b}`);
    return `Math.imul((~(((${t} & ${l}) + ${l}) | ${t}) & ${h}) >>> ${top}, ${fill})`;
  };
  return {
    eq, ne: not(eq),
    lt_u: ltOf(false, false), lt_s: ltOf(true, false), gt_u: ltOf(false, true), gt_s: ltOf(true, true),
    ge_u: not(ltOf(false, false)), ge_s: not(ltOf(true, false)), le_u: not(ltOf(false, true)), le_s: not(ltOf(true, true)),
    min_u: pick(false, true), min_s: pick(true, true), max_u: pick(false, false), max_s: pick(true, false),
    // a - b where a >= b, else 0: the difference with the borrowing lanes cleared.
    sub_sat_u: (([a, b], _s, _k, tmp) => {
      const d = tmp(`((${a} | ${h}) - (${b} & ${l})) ^ ((${a} ^ ~${b}) & ${h})`);
      return `${d} & ~Math.imul((((~${a} & ${b}) | (~(${a} ^ ${b}) & ${d})) & ${h}) >>> ${top}, ${fill})`;
    }) as WordOp,
    // a + b, or all ones where the lane's top bit carries out.
    add_sat_u: (([a, b], _s, _k, tmp) => {
      const t = tmp(`((${a} & ${l}) + (${b} & ${l})) ^ ((${a} ^ ${b}) & ${h})`);
      return `${t} | Math.imul((((${a} & ${b}) | ((${a} | ${b}) & ~${t})) & ${h}) >>> ${top}, ${fill})`;
    }) as WordOp,
  };
}

const H8 = 0x80808080 | 0;
const L8 = 0x7f7f7f7f;
const H16 = 0x80008000 | 0;
const L16 = 0x7fff7fff;

/**
 * SWAR forms where they are short: additions with the lanes' top bits handled apart, so no carry
 * crosses a lane, and the rounding average (a | b) - ((a ^ b) >> 1), which never borrows.
 */
const swarAdd = (h: number, l: number): WordOp => ([a, b]) => `((${a} & ${l}) + (${b} & ${l})) ^ ((${a} ^ ${b}) & ${h})`;
const swarSub = (h: number, l: number): WordOp => ([a, b]) => `((${a} | ${h}) - (${b} & ${l})) ^ ((${a} ^ ~${b}) & ${h})`;
const swarNeg = (h: number, l: number): WordOp => ([a]) => `(${h} - (${a} & ${l})) ^ (~${a} & ${h})`;
const swarAvgr = (l: number): WordOp => ([a, b]) => `((${a} | ${b}) - (((${a} ^ ${b}) >>> 1) & ${l})) | 0`;

function family(prefix: 'i8x16' | 'i16x8', bits: 8 | 16): Record<string, WordOp> {
  const s: LaneRead = bits === 8 ? 's8' : 's16';
  const [h, l] = bits === 8 ? [H8, L8] : [H16, L16];
  const smin = bits === 8 ? -128 : -32768;
  const smax = bits === 8 ? 127 : 32767;
  const w = swar(bits);
  const ops: Record<string, WordOp> = {
    [`${prefix}.add`]: swarAdd(h, l),
    [`${prefix}.sub`]: swarSub(h, l),
    [`${prefix}.neg`]: swarNeg(h, l),
    [`${prefix}.avgr_u`]: swarAvgr(l),
    [`${prefix}.add_sat_s`]: lanewise(s, (sat, x, y) => `${sat}(${x} + ${y}, ${smin}, ${smax})`),
    [`${prefix}.sub_sat_s`]: lanewise(s, (sat, x, y) => `${sat}(${x} - ${y}, ${smin}, ${smax})`),
    [`${prefix}.abs`]: lanewise(s, (_s, x) => `${x} < 0 ? -${x} : ${x}`),
  };
  for (const [name, f] of Object.entries(w)) ops[`${prefix}.${name}`] = f;
  return ops;
}

const SHIFTS: Record<string, WordOp> = {};
for (const [prefix, bits] of [['i8x16', 8], ['i16x8', 16]] as const) {
  const [s, u]: LaneRead[] = bits === 8 ? ['s8', 'u8'] : ['s16', 'u16'];
  const lanes = (read: LaneRead, w: string) => Array.from({ length: 32 / bits }, (_, i) => laneOfWord(read, w, i));
  SHIFTS[`${prefix}.shl`] = ([a], _sat, k) => pack(bits, lanes(u, a!).map((x) => `${x} << ${k}`));
  SHIFTS[`${prefix}.shr_s`] = ([a], _sat, k) => pack(bits, lanes(s, a!).map((x) => `${x} >> ${k}`));
  SHIFTS[`${prefix}.shr_u`] = ([a], _sat, k) => pack(bits, lanes(u, a!).map((x) => `${x} >>> ${k}`));
}

/** Operations of one lane shape, and the ones that widen or narrow within a word. */
const OTHERS: Record<string, WordOp> = {
  // SWAR population count: bit counts of pairs, then of nibbles, then of bytes (none carries out of its byte).
  'i8x16.popcnt': ([a], _s, _k, tmp) => {
    const pairs = tmp(`(${a} - ((${a} >>> 1) & 1431655765)) | 0`);
    const nibbles = tmp(`(${pairs} & 858993459) + ((${pairs} >>> 2) & 858993459)`);
    return `(${nibbles} + (${nibbles} >>> 4)) & 252645135`;
  },
  // The low 16 bits of each product: the low word of the full product, the high lane's by itself.
  'i16x8.mul': ([a, b]) => `(Math.imul(${a}, ${b}) & 65535) | (Math.imul(${a} >>> 16, ${b} >>> 16) << 16)`,
  // (x*y + 2^14) >> 15, saturated: only (-2^15)^2 overflows.
  'i16x8.q15mulr_sat_s': lanewise('s16', (sat, x, y) => `${sat}((${x} * ${y} + 16384) >> 15, -32768, 32767)`),
  'i16x8.extadd_pairwise_i8x16_u': ([a]) => `((${a} & 16711935) + ((${a} >>> 8) & 16711935))`,
  'i16x8.extadd_pairwise_i8x16_s': ([a]) => pack(16, [`${laneOfWord('s8', a!, 0)} + ${laneOfWord('s8', a!, 1)}`, `${laneOfWord('s8', a!, 2)} + ${laneOfWord('s8', a!, 3)}`]),
  'i32x4.extadd_pairwise_i16x8_u': ([a]) => `((${a} & 65535) + (${a} >>> 16)) | 0`,
  'i32x4.extadd_pairwise_i16x8_s': ([a]) => `((${a} << 16) >> 16) + (${a} >> 16)`,
  // Each product is at most 2^30; their sum wraps only for (-2^15)^2 * 2 = 2^31.
  'i32x4.dot_i16x8_s': ([a, b]) => `(((${a} << 16) >> 16) * ((${b} << 16) >> 16) + (${a} >> 16) * (${b} >> 16)) | 0`,
  // Relaxed dot products, deterministic: the second operand signed, i16 sums saturated.
  'i16x8.relaxed_dot_i8x16_i7x16_s': ([a, b], sat) => pack(16, [0, 2].map((i) =>
    `${sat}(${laneOfWord('s8', a!, i)} * ${laneOfWord('s8', b!, i)} + ${laneOfWord('s8', a!, i + 1)} * ${laneOfWord('s8', b!, i + 1)}, -32768, 32767)`)),
  'i32x4.relaxed_dot_i8x16_i7x16_add_s': ([a, b, c], sat) => `(${[0, 2].map((i) =>
    `${sat}(${laneOfWord('s8', a!, i)} * ${laneOfWord('s8', b!, i)} + ${laneOfWord('s8', a!, i + 1)} * ${laneOfWord('s8', b!, i + 1)}, -32768, 32767)`).join(' + ')} + ${c}) | 0`,
};

/** Every word op by instruction name. */
export const WORD_OPS: Readonly<Record<string, WordOp>> = { ...family('i8x16', 8), ...family('i16x8', 16), ...SHIFTS, ...OTHERS };

/**
 * Widening and narrowing within words, by helper-free expressions: i16 lanes from half `hi` of a
 * word of bytes (extend), their products (extmul), and a word of narrowed lanes from two words.
 */
export function widenWord(read: 's8' | 'u8', a: string, hi: boolean, b?: string): string {
  const i = hi ? 2 : 0;
  const lane = (w: string, j: number) => laneOfWord(read, w, j);
  const v = (j: number) => (b === undefined ? lane(a, j) : `${lane(a, j)} * ${lane(b, j)}`);
  return pack(16, [v(i), v(i + 1)]);
}
export function narrowWord(from: 16 | 32, signed: boolean, a: string, b: string, sat: string): string {
  const [lo, hi] = from === 16 ? (signed ? [-128, 127] : [0, 255]) : signed ? [-32768, 32767] : [0, 65535];
  const lanes = from === 16 ? [laneOfWord('s16', a, 0), laneOfWord('s16', a, 1), laneOfWord('s16', b, 0), laneOfWord('s16', b, 1)] : [a, b];
  return pack(from === 16 ? 8 : 16, lanes.map((x) => `${sat}(${x}, ${lo}, ${hi})`));
}
