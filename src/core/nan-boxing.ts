// Whether this JS engine keeps the bits of a NaN held in a JS number. V8 does; SpiderMonkey and
// JavaScriptCore NaN-box their values and make every such NaN the canonical one. There tswasm
// carries a wasm float whose bits are a NaN other than that one as a NaNBox: an object holding the
// bits, whose valueOf is NaN, so arithmetic and comparisons treat it as the NaN it stands for.

let canonicalizes: boolean | undefined;

export function canonicalizesNaNs(): boolean {
  if (canonicalizes === undefined) {
    const from = new Float64Array(1);
    const fromWords = new Uint32Array(from.buffer);
    fromWords[0] = 1;
    fromWords[1] = 0x7ff40000;
    const to = new Float64Array(1);
    to[0] = from[0]!;
    const toWords = new Uint32Array(to.buffer);
    canonicalizes = toWords[0] !== 1 || toWords[1] !== 0x7ff40000;
  }
  return canonicalizes;
}

let boxesForced: boolean | null = null;

/**
 * For tests: carry NaNs in NaNBoxes (or not) whatever the engine does, from now on in this process.
 * Modules compiled before keep their code; the engine fingerprint tells the two kinds apart.
 */
export function forceNaNBoxes(on: boolean | null): void {
  boxesForced = on;
}

/** Whether wasm floats whose NaN bits a JS number would lose are carried as NaNBoxes. */
export function boxesNaNs(): boolean {
  return boxesForced ?? canonicalizesNaNs();
}

/**
 * A wasm f32 or f64 NaN kept exactly: the bits of its carrier double (an f32's carrier has the
 * f32's sign and top mantissa bits). Only the canonical NaN 0x7ff8000000000000 stays a JS number.
 */
export class NaNBox {
  constructor(readonly lo: number, readonly hi: number) {}
  valueOf(): number {
    return NaN;
  }
}

/** A NaN's value from its bits and its double `nan`: a NaNBox unless it is the canonical NaN (or boxing is off). */
export function boxIfNeeded(lo: number, hi: number, nan: number): number {
  if ((hi === 0x7ff80000 && lo === 0) || !boxesNaNs()) return nan;
  return new NaNBox(lo, hi) as unknown as number;
}
