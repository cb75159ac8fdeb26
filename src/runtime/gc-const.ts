// The GC instructions of constant expressions (struct and array allocation, ref.i31, the extern
// conversions, custom descriptors' allocations), evaluated at instantiation on const-eval's stack.

import type { ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import type { ByteReader } from '../binary/reader.js';
import { UnsupportedError } from '../core/errors.js';
import { I16, I64, I8, type StorageType } from '../core/types.js';
import { arrayAlloc, arrayNew } from './gc-arrays.js';
import { defaultComponents, rttOf } from './gc-types.js';
import { trapNullDescriptor } from './gc-traps.js';
import { componentArray } from './lowering.js';

/**
 * i64 constants are bigints on const-eval's stack; fields and elements hold int32 halves. Lists
 * of components are componentArrays: a plain array of doubles would quiet signalling NaNs.
 */
function components(t: StorageType, v: unknown): unknown[] {
  const out = componentArray();
  if (t === I64) {
    const b = BigInt.asIntN(64, v as bigint);
    out.push(Number(BigInt.asIntN(32, b)), Number(BigInt.asIntN(32, b >> 32n)));
  } else {
    out.push(t === I8 ? (v as number) & 255 : t === I16 ? (v as number) & 65535 : v);
  }
  return out;
}

/**
 * Runs the 0xfb-prefixed constant instruction `sub` (its immediates follow in `r`) on `stack`.
 * `canon` maps the module's type indices to canonical ids.
 */
export function evalGcConst(module: ModuleInfo, canon: ArrayLike<number>, r: ByteReader, sub: number, stack: unknown[]): void {
  const code = (0xfb << 16) | sub;
  switch (code) {
    case Op.RefI31:
      stack.push(((stack.pop() as number) << 1) >> 1);
      return;
    case Op.AnyConvertExtern: case Op.ExternConvertAny:
      return;
    case Op.StructNew: case Op.StructNewDefault: case Op.StructNewDesc: case Op.StructNewDefaultDesc: {
      const rtt = rttOf(canon[r.u32()]!);
      const withDesc = code === Op.StructNewDesc || code === Op.StructNewDefaultDesc;
      const desc = withDesc ? stack.pop() : undefined;
      const args = componentArray();
      if (code === Op.StructNew || code === Op.StructNewDesc) {
        const vals = stack.splice(stack.length - rtt.fields.length, rtt.fields.length);
        rtt.fields.forEach((f, i) => args.push(...components(f.type, vals[i])));
      } else {
        for (const f of rtt.fields) args.push(...defaultComponents(f.type));
      }
      if (withDesc) {
        if (desc === null) trapNullDescriptor();
        args.unshift(desc);
      }
      stack.push(new rtt.cls!(...args));
      return;
    }
    case Op.ArrayNew: case Op.ArrayNewDefault: case Op.ArrayNewFixed: {
      const rtt = rttOf(canon[r.u32()]!);
      const t = rtt.fields[0]!.type;
      if (code !== Op.ArrayNewFixed) {
        const n = (stack.pop() as number) >>> 0;
        const c = code === Op.ArrayNew ? components(t, stack.pop()) : defaultComponents(t);
        stack.push(arrayNew(rtt, c[0], (c[1] as number | undefined) ?? 0, n));
        return;
      }
      const n = r.u32();
      const vals = stack.splice(stack.length - n, n);
      const x = arrayAlloc(rtt, n);
      for (let k = 0; k < n; k++) {
        const c = components(t, vals[k]);
        (x.a as unknown[])[k] = c[0];
        if (x.h !== null) x.h[k] = c[1] as number;
      }
      stack.push(x);
      return;
    }
  }
  throw new UnsupportedError(`constant expression opcode 0xfb ${sub} in module with ${module.types.length} types`);
}
