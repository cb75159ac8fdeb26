// Compiles a module into JS. Eager: one factory holding every function (built once with `new
// Function`, shared by every instance). Lazy: a small shell of forwarders, each function generated on first call.

import type { ModuleInfo } from '../binary/module.js';
import { CompileError, ImplementationLimitError } from '../core/errors.js';
import { I64 } from '../core/types.js';
import { registerCode, unitUrl } from '../runtime/code-registry.js';
import { forFrames } from '../runtime/frame-names.js';
import { isStackOverflow } from '../runtime/traps.js';
import type { LoweredFn } from '../runtime/func.js';
import { layoutDataImages, type DataImage } from './data-image.js';
import { FunctionCompiler } from './function-compiler.js';
import { CodeLocator, weakLocator } from './code-locator.js';
import { ModuleContext, type CodegenOptions } from './module-context.js';
import { funcIdentifier } from './names.js';
import { findBodyFacts } from './supported.js';
import { now } from '../core/clock.js';

/** What the eager factory returns for one instance. */
export interface FactoryResult {
  /** The callable of every defined function (index i is function numImportedFuncs + i). */
  readonly fns: LoweredFn[];
  /** The body of every trampolined defined function, else null. */
  readonly bodies: (LoweredFn | null)[];
}

/** Eager: binds an instance context and returns its functions. */
export type Factory = (ctx: unknown) => FactoryResult;
/** Lazy: binds an instance context and returns one forwarder per defined function; `lazy(i)` compiles function i. */
export type Shell = (ctx: unknown, lazy: (funcIndex: number) => LoweredFn) => LoweredFn[];
/**
 * One lazily compiled function: given the instance context and the instance's current callable of
 * every function (`bind[j]`), returns `[fn, body, rebind, callees]` (body: the trampolined body,
 * or null; `rebind(j, g)` makes its direct calls of j call g; callees: the j it calls directly).
 */
export type Unit = (ctx: unknown, bind: readonly LoweredFn[]) =>
  [LoweredFn, LoweredFn | null, ((j: number, g: LoweredFn) => void) | null, readonly number[]];

export interface CompiledCode {
  readonly lazy: boolean;
  /** The sourceURL of the factory or shell; each lazy unit's is `unitUrl(url, funcIndex)`. */
  readonly url: string;
  /** Eager code: the factory (null when lazy). */
  readonly factory: Factory | null;
  /** Lazy code: the shell of forwarders (null when eager). */
  readonly shell: Shell | null;
  /** Lazy code: the compiled unit of defined function `funcIndex`, generated on first request. */
  unit(funcIndex: number): Unit;
  /** The whole module as one eager factory's source (the debug view; generated on first request when lazy). */
  readonly source: string;
  /** Data segments laid out per memory, when their offsets are constant. */
  readonly images: ReadonlyMap<number, DataImage>;
  /**
   * Config.asyncSupport: per function index, whether its JS is a generator (compile/suspending.ts);
   * the runtime gives each plain one a generator entry for calls from outside. Null without it.
   */
  readonly suspends: readonly boolean[] | null;
  /** Milliseconds spent so far generating JS and in `new Function`. */
  readonly generateMs: number;
  readonly evalMs: number;
}

export interface CompileOptions extends CodegenOptions {
  /** Generate each function on its first call (Config.compilation 'lazy'). */
  readonly lazy?: boolean;
  /** Called with generated source (Config.debugSource): the factory, or the shell and then each unit. */
  readonly onSource?: ((source: string) => void) | null;
}

export function compileModule(module: ModuleInfo, canon: ArrayLike<number>, options: CompileOptions): CompiledCode {
  return new ModuleCode(module, canon, options);
}

/** Builds a factory from the source of an eager factory (e.g. one that was serialized). */
export function factoryFromSource(source: string): Factory {
  try {
    return new Function(forFrames(source))() as Factory;
  } catch (e) {
    throw parseFailure(e);
  }
}

/**
 * Why `new Function` refused generated code. Its parser recurses, so control structures nested
 * deeply enough (about 1,000 loops or 2,000 ifs or blocks with results inside each other; long runs
 * of empty blocks are flattened and do not count) exhaust the JS stack: a known limit of compiling
 * to JS, reported as such. Anything else is a bug in the code generator.
 */
function parseFailure(e: unknown): CompileError {
  if (isStackOverflow(e)) {
    return new ImplementationLimitError('a function nests blocks, loops or ifs too deeply for the JS engine to parse the code generated for it (V8 stops at about 1,000 levels)');
  }
  return new CompileError(`internal error: generated code does not parse: ${(e as Error).message}`);
}

class ModuleCode implements CompiledCode {
  readonly lazy: boolean;
  readonly factory: Factory | null = null;
  readonly shell: Shell | null = null;
  readonly images: ReadonlyMap<number, DataImage>;
  readonly suspends: readonly boolean[] | null;
  generateMs = 0;
  evalMs = 0;
  private readonly mc: ModuleContext;
  readonly url: string;
  private readonly units: (Unit | undefined)[];
  private fullSource: string | null = null;
  /** @internal Backtrace offsets: the scripts that ran are this module's units and factory. */
  readonly locator = new CodeLocator(() => this.mc, (funcIndex, unit) => (unit ? this.unitSource(funcIndex) : this.fullSource));

  constructor(readonly module: ModuleInfo, canon: ArrayLike<number>, private readonly options: CompileOptions) {
    const t0 = now();
    const names = module.names?.functions;
    this.mc = moduleContext(module, canon, options);
    this.suspends = this.mc.suspends;
    this.url = registerCode({ moduleName: module.names?.module ?? null, funcNames: names ?? new Map(), locator: weakLocator(this), bytes: module.bytes }, this).url;
    this.units = new Array(module.funcTypes.length);
    this.lazy = options.lazy === true;
    this.images = layoutDataImages(module);
    const source = this.lazy ? this.shellSource() : this.eagerSource();
    const t1 = now();
    options.onSource?.(source);
    const made = evaluate(source, []);
    if (this.lazy) this.shell = made as Shell;
    else {
      this.factory = made as Factory;
      this.fullSource = source;
    }
    this.generateMs += t1 - t0;
    this.evalMs += now() - t1;
  }

  get source(): string {
    this.fullSource ??= this.eagerSource();
    return this.fullSource;
  }

  unit(funcIndex: number): Unit {
    let u = this.units[funcIndex];
    if (u === undefined) {
      const t0 = now();
      const source = this.unitSource(funcIndex);
      const t1 = now();
      this.options.onSource?.(source);
      u = evaluate(source, ['ctx', 'B']) as Unit;
      this.units[funcIndex] = u;
      this.generateMs += t1 - t0;
      this.evalMs += now() - t1;
    }
    return u;
  }

  /** The eager factory: the instance prologue, then every function. */
  private eagerSource(): string {
    const m = this.module;
    const mc = this.mc;
    const bodies: string[] = [];
    for (let i = m.numImportedFuncs; i < m.funcTypes.length; i++) bodies.push(new FunctionCompiler(mc, i).compile());
    const defined = mc.funcNames.slice(m.numImportedFuncs);
    const out = ['"use strict";', 'return function instantiate(ctx) {'];
    pushAll(out, runtimePrologue(mc));
    const helpers = [...mc.helpers].sort();
    if (helpers.length) out.push(`const { ${helpers.join(', ')} } = ctx.helpers;`);
    pushAll(out, statePrologue(m, null));
    // A host function that takes a Caller is bound to the importing instance (api/Caller).
    for (let i = 0; i < m.numImportedFuncs; i++) {
      out.push(`const ${mc.funcNames[i]} = FN[${i}].bindCaller === null ? FN[${i}].fn : FN[${i}].bindCaller(ctx.instance);`);
    }
    pushAll(out, mc.constants);
    pushAll(out, bodies);
    const many = defined.length > MANY_FUNCTIONS;
    out.push(
      many ? 'return (() => ({' : 'return {',
      `  fns: [${defined.join(', ')}],`,
      `  bodies: [${defined.map((n, i) => (mc.trampolined[i + m.numImportedFuncs] ? `${n}_body` : 'null')).join(', ')}],`,
      many ? '}))();' : '};',
      '};',
      `//# sourceURL=${this.url}`,
    );
    return out.join('\n');
  }

  /**
   * The lazy shell: per defined function a forwarder `lazy$N` that calls the compiled function,
   * compiling it on the first call. Every call site keeps seeing the same forwarder (so V8's call
   * feedback stays monomorphic and it inlines the forwarder), and the forwarder's own call site
   * only ever sees the compiled function.
   */
  private shellSource(): string {
    const m = this.module;
    const out = ['"use strict";', 'return function instantiate(ctx, LAZY) {'];
    const n = m.funcTypes.length;
    const lets: string[] = [];
    for (let i = m.numImportedFuncs; i < n; i++) lets.push(`I${i} = null`);
    pushAll(out, chunked('let ', lets));
    const names: string[] = [];
    // Parameter lists by lowered arity (an i64 is two): most functions share a few.
    const lists: string[] = [''];
    for (let i = m.numImportedFuncs; i < n; i++) {
      let count = 0;
      for (const t of this.mc.typeOfFunc(i).params) count += t === I64 ? 2 : 1;
      while (lists.length <= count) lists.push(lists.length === 1 ? 'a0' : `${lists[lists.length - 1]}, a${lists.length - 1}`);
      const params = lists[count]!;
      out.push(`function lazy$${i}(${params}) { return (I${i} ?? (I${i} = LAZY(${i})))(${params}); }`);
      names.push(`lazy$${i}`);
    }
    const many = names.length > MANY_FUNCTIONS;
    out.push(many ? 'return (() => [' : 'return [');
    for (let i = 0; i < names.length; i += 12) out.push(`  ${names.slice(i, i + 12).join(', ')},`);
    out.push(many ? '])();' : '];');
    out.push('};', `//# sourceURL=${this.url}`);
    return out.join('\n');
  }

  /** One function compiled alone, binding only the instance state it uses. */
  private unitSource(funcIndex: number): string {
    const mc = this.mc;
    const fc = new FunctionCompiler(mc, funcIndex);
    const body = fc.compileLines();
    const out = ['"use strict";'];
    pushAll(out, runtimePrologue(mc));
    if (fc.usedHelpers.size) out.push(`const { ${[...fc.usedHelpers].sort().join(', ')} } = ctx.helpers;`);
    pushAll(out, statePrologue(this.module, { globals: fc.usedGlobals, tables: fc.boundTables, memories: fc.boundMemories }));
    // Direct callees are variables: a callee that is still its forwarder here is rebound to its
    // compiled function once that exists, so calls stop going through the forwarder.
    const cs = [...fc.callees];
    pushAll(out, chunked('let ', cs.map((j) => `${mc.funcNames[j]} = B[${j}]`)));
    for (const k of fc.usedConstants) out.push(`const ${k} = ${mc.constantExprs.get(k)};`);
    // A loop, not a spread: a body may have more lines than a call may have arguments.
    for (const line of body) out.push(line);
    const name = mc.funcNames[funcIndex]!;
    // Built by concatenation: an inlined `cs.map(...).join(' ')` here deoptimised on every unit
    // (V8's "wrong map" on the mapped array), 2,286 times over Pyodide's start-up.
    let cases = '';
    for (const j of cs) cases += `case ${j}: ${mc.funcNames[j]} = g; break; `;
    const rebind = cs.length === 0 ? 'null' : `(j, g) => { switch (j) { ${cases}} }`;
    out.push(`return [${name}, ${mc.trampolined[funcIndex] ? `${name}_body` : 'null'}, ${rebind}, [${cs.join(', ')}]];`);
    out.push(`//# sourceURL=${unitUrl(this.url, funcIndex)}`);
    return out.join('\n');
  }
}

/** What the code generator compiles a module's functions with. */
export function moduleContext(module: ModuleInfo, canon: ArrayLike<number>, options: CodegenOptions): ModuleContext {
  const names = module.names?.functions;
  const funcNames: string[] = [];
  for (let i = 0; i < module.funcTypes.length; i++) funcNames.push(funcIdentifier(i, names?.get(i)));
  return new ModuleContext(module, canon, funcNames, findBodyFacts(module), options);
}

function evaluate(source: string, params: string[]): unknown {
  try {
    return params.length ? new Function(...params, forFrames(source)) : new Function(forFrames(source))();
  } catch (e) {
    throw parseFailure(e);
  }
}

/**
 * Past this many functions, the list `instantiate` returns is built in a closure of its own. A
 * function declaration that no closure refers to lives in its function's frame, and V8 gives a
 * frame of 110,000 such functions more than the stack holds (a RangeError at instantiation);
 * referred to from a closure, they live in the heap-allocated context instead.
 */
const MANY_FUNCTIONS = 4096;

/** Appends `lines` to `out` one by one: a spread passes each as an argument, and the stack limits those. */
function pushAll(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

/** Declarations of `items` (`x = ...`), at most 12 a line so that they stay readable. */
function chunked(keyword: string, items: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 12) out.push(`${keyword}${items.slice(i, i + 12).join(', ')};`);
  return out;
}

/** The process-wide runtime slots and the instance's function, segment and depth state. */
function runtimePrologue(mc: ModuleContext): string[] {
  const out = [
    'const RT = ctx.rt;',
    'const RI = RT.RI, RF = RT.RF, RR = RT.RR, TI = RT.TI, TF = RT.TF, TR = RT.TR;',
    'const TAIL = RT.TAIL, pendingTail = RT.pendingTail, DEPTH = RT.DEPTH, MAX_DEPTH = ctx.maxDepth;',
    'const LI = RT.LI, LF = RT.LF, LR = RT.LR, CALLER = RT.CALLER, INST = ctx.instance;',
    'const FN = ctx.funcs, DATA = ctx.datas, ELEM = ctx.elems;',
  ];
  if (mc.options.consumeFuel || mc.options.epochInterruption) out.push('const S = ctx.store, EPOCH = S.epoch;');
  return out;
}

/** The instance state a unit binds: what its code uses (a module may have thousands of each). */
interface UsedState {
  readonly globals: ReadonlySet<number>;
  readonly tables: ReadonlySet<number>;
  readonly memories: ReadonlySet<number>;
}

/** Memories, tables and globals: all of them, or only those `used` names. */
function statePrologue(module: ModuleInfo, used: UsedState | null): string[] {
  const out: string[] = [];
  const memories = used === null ? module.memories.map((_, i) => i) : [...used.memories].sort((a, b) => a - b);
  const tables = used === null ? module.tables.map((_, i) => i) : [...used.tables].sort((a, b) => a - b);
  const globals = used === null ? module.globals.map((_, i) => i) : [...used.globals].sort((a, b) => a - b);
  // A shared memory is bound as its live object, whose views follow growth by other agents.
  for (const i of memories) out.push(`const M${i} = ctx.memories[${i}]${module.memories[i]!.shared ? '.live' : ''};`);
  for (const i of tables) out.push(`const TO${i} = ctx.tables[${i}], T${i} = TO${i}.elems;`);
  for (const i of globals) {
    const g = module.globals[i]!;
    if (g.mutable) out.push(`const g${i} = ctx.globals[${i}].cell;`);
    else if (g.type === I64) out.push(`const G${i} = ctx.globals[${i}].cell[0], G${i}h = ctx.globals[${i}].cell[1];`);
    else out.push(`const G${i} = ctx.globals[${i}].cell[0];`);
  }
  return out;
}

