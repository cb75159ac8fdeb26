// v128 locals and parameters as four int32 lets each (`l5_0` .. `l5_3`), so that SIMD code that keeps
// vectors in locals (all of clang's) reads and writes lanes instead of allocating a V128 per local.set.

import { I32, V128 } from '../core/types.js';
import { entry, type Entry } from './entry.js';
import type { FunctionCompiler } from './function-compiler.js';
import { lanesOf, pushWithForm } from './simd-lanes.js';

const LANES = [0, 1, 2, 3];

/** Declarations of v128 local `i`: a parameter arrives as a V128 object and is unpacked at entry. */
export function v128LocalDecls(i: number, param: boolean): string[] {
  return LANES.map((k) => (param ? `l${i}_${k} = l${i}.w${k}` : `l${i}_${k} = 0`));
}

/** local.get of v128 local `i` (also the value local.tee leaves). */
export function pushV128Local(fc: FunctionCompiler, i: number): void {
  const lanes = LANES.map((k) => `l${i}_${k}`);
  const e: Entry = entry(V128, `new ${fc.helper('V128')}(${lanes.join(', ')})`, '', true, [i]);
  pushWithForm(fc, e, { kind: 'i32', lanes });
}

/**
 * local.set of v128 local `i` to `v` (stack entries reading the local were already evaluated by the
 * caller). Lanes are assigned in order, so a lane that reads an earlier lane of the same local
 * (a shuffle of the local into itself) is evaluated into a temp first.
 */
export function setV128Local(fc: FunctionCompiler, i: number, v: Entry): void {
  const lanes = lanesOf(fc, v, 'i32');
  // Always a temp, even for a bare lane name such as l5_1 (tempLanes would leave that as it is).
  const safe = lanes.map((x, k) => {
    if (!LANES.slice(0, k).some((j) => new RegExp(`\\bl${i}_${j}\\b`).test(x))) return x;
    const t = fc.temp(I32);
    fc.emit(`${t} = ${x};`);
    return t;
  });
  fc.emit(LANES.map((k) => `l${i}_${k} = ${safe[k]};`).join(' '));
}
