// Compiles a whole module into one JS factory (built once with `new Function`, shared by every
// instance): calling it with an instance context binds that instance's state and returns its functions.

import type { ModuleInfo } from '../binary/module.js';
import { Op } from '../binary/op.js';
import { opByByte, opByPrefixed } from '../binary/opcodes.js';
import { ByteReader } from '../binary/reader.js';
import { skipImmediates } from '../binary/instructions.js';
import { CompileError } from '../core/errors.js';
import { I64 } from '../core/types.js';
import { registerCode } from '../runtime/code-registry.js';
import type { LoweredFn } from '../runtime/func.js';
import { layoutDataImages, type DataImage } from './data-image.js';
import { FunctionCompiler } from './function-compiler.js';
import { ModuleContext, type CodegenOptions } from './module-context.js';
import { funcIdentifier } from './names.js';

/** What the factory returns for one instance. */
export interface FactoryResult {
  /** The callable of every defined function (index i is function numImportedFuncs + i). */
  readonly fns: LoweredFn[];
  /** The body of every trampolined defined function, else null. */
  readonly bodies: (LoweredFn | null)[];
}

export type Factory = (ctx: unknown) => FactoryResult;

export interface CompiledCode {
  /** The factory's JS source (the debug view of the generated code). */
  readonly source: string;
  readonly factory: Factory;
  /** Data segments laid out per memory, when their offsets are constant. */
  readonly images: ReadonlyMap<number, DataImage>;
  /** Milliseconds spent generating JS and in `new Function`. */
  readonly generateMs: number;
  readonly evalMs: number;
}

export interface CompileOptions extends CodegenOptions {
  /** Called with the generated source (Config.debugSource). */
  readonly onSource?: ((source: string) => void) | null;
}

export function compileModule(module: ModuleInfo, canon: ArrayLike<number>, options: CompileOptions): CompiledCode {
  const t0 = performance.now();
  const names = module.names?.functions;
  const funcNames: string[] = [];
  for (let i = 0; i < module.funcTypes.length; i++) funcNames.push(funcIdentifier(i, names?.get(i)));
  const trampolined = findTailCallers(module);
  const mc = new ModuleContext(module, canon, funcNames, trampolined, options);

  const bodies: string[] = [];
  for (let i = module.numImportedFuncs; i < module.funcTypes.length; i++) {
    bodies.push(new FunctionCompiler(mc, i).compile());
  }

  const { url } = registerCode({ moduleName: module.names?.module ?? null, funcNames: names ?? new Map() });
  const prologue = instancePrologue(module, mc, funcNames);
  const defined = funcNames.slice(module.numImportedFuncs);
  const source = [
    '"use strict";',
    'return function instantiate(ctx) {',
    ...prologue.map((l) => '  ' + l),
    ...bodies.map((b) => indent(b)),
    `  return {`,
    `    fns: [${defined.join(', ')}],`,
    `    bodies: [${defined.map((n, i) => (trampolined[i + module.numImportedFuncs] ? `${n}_body` : 'null')).join(', ')}],`,
    `  };`,
    '};',
    `//# sourceURL=${url}`,
  ].join('\n');
  const t1 = performance.now();
  options.onSource?.(source);
  let factory: Factory;
  try {
    factory = new Function(source)() as Factory;
  } catch (e) {
    throw new CompileError(`internal error: generated code does not parse: ${(e as Error).message}`);
  }
  const t2 = performance.now();
  return { source, factory, images: layoutDataImages(module), generateMs: t1 - t0, evalMs: t2 - t1 };
}

function indent(block: string): string {
  return block.split('\n').map((l) => '  ' + l).join('\n');
}

/** The bindings every function may use: runtime slots, helpers, instance state, imports, constants. */
function instancePrologue(module: ModuleInfo, mc: ModuleContext, funcNames: string[]): string[] {
  const out: string[] = [
    'const RT = ctx.rt;',
    'const RI = RT.RI, RF = RT.RF, RR = RT.RR, TI = RT.TI, TF = RT.TF, TR = RT.TR;',
    'const TAIL = RT.TAIL, pendingTail = RT.pendingTail, DEPTH = RT.DEPTH, MAX_DEPTH = ctx.maxDepth;',
    'const FN = ctx.funcs, DATA = ctx.datas, ELEM = ctx.elems;',
  ];
  const helpers = [...mc.helpers].sort();
  if (helpers.length) out.push(`const { ${helpers.join(', ')} } = ctx.helpers;`);
  module.memories.forEach((_, i) => out.push(`const M${i} = ctx.memories[${i}];`));
  module.tables.forEach((_, i) => out.push(`const TO${i} = ctx.tables[${i}], T${i} = TO${i}.elems;`));
  module.globals.forEach((g, i) => {
    if (g.mutable) out.push(`const g${i} = ctx.globals[${i}].cell;`);
    else if (g.type === I64) out.push(`const G${i} = ctx.globals[${i}].cell[0], G${i}h = ctx.globals[${i}].cell[1];`);
    else out.push(`const G${i} = ctx.globals[${i}].cell[0];`);
  });
  for (let i = 0; i < module.numImportedFuncs; i++) out.push(`const ${funcNames[i]} = FN[${i}].fn;`);
  out.push(...mc.constants);
  return out;
}

/** Which defined functions contain return_call, return_call_indirect or return_call_ref. */
function findTailCallers(module: ModuleInfo): boolean[] {
  const out: boolean[] = new Array(module.funcTypes.length).fill(false);
  module.codes.forEach((body, i) => {
    const r = new ByteReader(module.bytes, body.code.start, body.code.end);
    while (r.pos < r.end) {
      const byte = r.u8();
      if (byte === Op.ReturnCall || byte === Op.ReturnCallIndirect || byte === Op.ReturnCallRef) {
        out[module.numImportedFuncs + i] = true;
        return;
      }
      const op = byte >= 0xfb && byte <= 0xfe ? opByPrefixed(byte, r.u32()) : opByByte(byte);
      if (op === undefined) return;
      skipImmediates(r, op);
    }
  });
  return out;
}
