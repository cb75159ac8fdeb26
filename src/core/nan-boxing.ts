// Whether this JS engine keeps the bits of a NaN held in a JS number. V8 does; SpiderMonkey and
// JavaScriptCore NaN-box their values and make every such NaN the canonical one, so there a payload
// survives only while it stays in typed-array memory or integer bits.

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
