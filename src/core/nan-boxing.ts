// Whether this JS engine keeps the bits of a NaN held in a JS number. V8 up to 14.1 does;
// SpiderMonkey and JavaScriptCore NaN-box their values and make every such NaN the canonical one,
// and V8 from 14.2 sets the quiet bit of signalling NaNs in optimised code. There tswasm carries a
// wasm float whose bits are a NaN other than the canonical one as a NaNBox: an object holding the
// bits, whose valueOf is NaN, so arithmetic and comparisons treat it as the NaN it stands for.

import { thisJsEngine } from './js-engine.js';

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

/**
 * Whether V8 `version` ("14.6.202.34-node.40") quiets signalling NaNs in optimised code. From 14.2
 * on (Node 26, Chrome 142, Deno 2.9), code V8's Maglev compiled sets the quiet bit of a double it
 * stores through a DataView or a Float64Array, which its interpreter and V8 14.1 (Node 25) do not:
 * `dv.setFloat64(b, dv.getFloat64(a, true), true)` changed 0x7ff4000000000001 to 0x7ffc000000000001
 * after 500 to 2,700 calls. Measured on 14.1 (no) and 14.6 and 15.0 (yes); the versions between are
 * counted with the later ones.
 */
export function v8QuietsSignallingNaNs(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (m === null) return false;
  const major = Number(m[1]);
  return major > 14 || (major === 14 && Number(m[2]) >= 2);
}

/**
 * A V8 version from `process.versions.v8` (Node, Deno, Electron) or else from a user agent's Chrome
 * version (Chrome 146 runs V8 14.6); null when neither says.
 */
export function v8VersionFrom(versionsV8: unknown, userAgent: unknown): string | null {
  if (typeof versionsV8 === 'string') return versionsV8;
  const chrome = typeof userAgent === 'string' ? /\bChrome\/(\d+)\./.exec(userAgent) : null;
  if (chrome === null) return null;
  const n = Number(chrome[1]);
  return `${Math.floor(n / 10)}.${n % 10}`;
}

/** This V8's version, as far as the host says (v8VersionFrom). */
function thisV8Version(): string | null {
  const g = globalThis as { process?: { versions?: { v8?: unknown } }; navigator?: { userAgent?: unknown } };
  return v8VersionFrom(g.process?.versions?.v8, g.navigator?.userAgent);
}

let quietsWhenOptimised: boolean | undefined;

/**
 * Whether this engine's optimised code quiets signalling NaNs (see v8QuietsSignallingNaNs). A probe
 * would have to wait until V8 optimised it, so the engine's version decides; JavaScriptCore and
 * SpiderMonkey box NaNs anyway, and a V8 whose version is unknown is taken to keep them.
 */
export function quietsNaNsWhenOptimised(): boolean {
  if (quietsWhenOptimised === undefined) {
    const version = thisJsEngine() === 'v8' ? thisV8Version() : null;
    quietsWhenOptimised = version !== null && v8QuietsSignallingNaNs(version);
  }
  return quietsWhenOptimised;
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
  return boxesForced ?? (canonicalizesNaNs() || quietsNaNsWhenOptimised());
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
