// Pre-initialisation, as Wasmtime's `wizer`: instantiate a module, run its initialisation function,
// and write a new module that starts in the state the function left: globals, memory sizes and
// contents. Instantiating the result skips the work the function did (and the start function).

import { Engine, Linker, Module, Store, ThrownException, Trap, formatBacktrace, type Config, type Instance } from '../api/index.js';
import { LinkError } from '../core/errors.js';
import type { Export } from '../binary/module.js';
import { heapOf, isRef } from '../core/types.js';
import type { GlobalObject } from '../runtime/global.js';
import { writeValueConst } from '../runtime/state-encoding.js';
import { ByteWriter } from '../text/writer.js';
import { checkOptionNames } from '../core/options.js';
import { captureState, sameGlobalValue, unsnapshottableChange } from './capture.js';
import { nonZeroRegions } from '../runtime/memory-regions.js';
import { rewriteModule, withoutStart } from './rewrite.js';

/** The module cannot be pre-initialised; the message says why. */
export class PreinitializeError extends Error {}
Object.defineProperty(PreinitializeError.prototype, 'name', { value: 'PreinitializeError', writable: true, configurable: true });

/** How `preinitialize` runs the module (all optional). */
export interface PreinitializeOptions {
  /**
   * The export to run: by default `wizer-initialize`, or `wizer.initialize` when only that one is
   * exported (the names Wasmtime's wizer and older toolchains use). It takes and returns nothing.
   */
  readonly initFunc?: string;
  /** Keep exporting the initialisation function (default false: its export is removed). */
  readonly keepInitFunc?: boolean;
  /** Export renamings `[dst, src]`: the function exported as src is exported as dst instead (replacing any dst). */
  readonly renames?: readonly (readonly [string, string])[];
  /**
   * Defines what the initialisation may call (WASI, say); every other function import traps when
   * called. The snapshot does not include what it defines: the result imports the same things.
   */
  readonly link?: (linker: Linker<unknown>, store: Store<unknown>) => void;
  /** The engine's configuration (threads are on unless turned off, so shared memories work). */
  readonly config?: Config;
}

/** Runs the initialisation function of the module in `bytes` and returns the pre-initialised module. */
export function preinitialize(bytes: Uint8Array, options: PreinitializeOptions = {}): Uint8Array {
  checkOptions(bytes, options);
  const config = options.config ?? {};
  const engine = new Engine({ ...config, features: { threads: true, ...config.features } });
  const module = new Module(engine, bytes);
  const m = module.info;
  for (const imp of m.imports) {
    if (imp.desc.kind === 'memory' || imp.desc.kind === 'table' || imp.desc.kind === 'global') {
      throw new PreinitializeError(`the module imports a ${imp.desc.kind} (${imp.module}.${imp.name}); only modules that define their memories, tables and globals can be pre-initialised`);
    }
  }
  const exported = new Set(m.exports.map((e) => e.name));
  const initName = options.initFunc ?? (!exported.has('wizer-initialize') && exported.has('wizer.initialize') ? 'wizer.initialize' : 'wizer-initialize');
  const initExport = m.exports.find((e) => e.name === initName);
  if (initExport === undefined || initExport.kind !== 'func') throw new PreinitializeError(`the module exports no function "${initName}" to initialise it`);

  const store = new Store<unknown>(engine, undefined);
  const linker = new Linker<unknown>(engine);
  options.link?.(linker, store);
  linker.defineUnknownImportsAsTraps(module);
  const instantiate = (mod: Module, what: string): Instance => {
    try {
      return linker.instantiate(store, mod);
    } catch (e) {
      // Only functions can stand in for what nothing defines; a tag (or anything else) must be given.
      if (e instanceof LinkError) throw new PreinitializeError(`the module cannot be instantiated for initialisation: ${e.message} (define it with the link option, or --preload a module that exports it)`);
      throw wasmFailure(e, what);
    }
  };
  // The snapshot has no start function, so what it did must be written too: the state is compared
  // with an instance of the module that never ran it (the same state when there is none).
  const pristine = m.start === null ? null : instantiate(new Module(engine, withoutStart(bytes)), 'the module\'s instantiation');
  const instance = instantiate(module, 'the start function');
  const raw = instance.raw;
  const before = captureState(m, (pristine ?? instance).raw);
  const init = instance.getFunc(store, initName)!;
  const type = init.type(store);
  if (type.params.length !== 0 || type.results.length !== 0) throw new PreinitializeError(`"${initName}" must take and return nothing`);
  // A WASI reactor initialises itself (its constructors) in _initialize first, as Wasmtime's wizer
  // calls it; the snapshot then no longer exports it, so nothing runs it again.
  const reactorInit = initName !== '_initialize' ? instance.getFunc(store, '_initialize') : undefined;
  const reactorType = reactorInit?.type(store);
  const callsReactorInit = reactorType !== undefined && reactorType.params.length === 0 && reactorType.results.length === 0;
  try {
    if (callsReactorInit) reactorInit!.call(store, []);
  } catch (e) {
    throw wasmFailure(e, 'the reactor initialisation function "_initialize"');
  }
  try {
    init.call(store, []);
  } catch (e) {
    throw wasmFailure(e, 'the initialisation function');
  }
  const after = captureState(m, raw);
  const problem = unsnapshottableChange(before, after, m);
  if (problem !== null) throw new PreinitializeError(problem);

  const globalInits = m.globalDefs.map((g, i) => {
    if (sameGlobalValue(before.globals[i]!, after.globals[i]!)) return null;
    return constantOf(g.type.type, raw.globals[m.numImportedGlobals + i]!, m.numImportedGlobals + i);
  });
  const memories = raw.memories.slice(m.numImportedMemories);
  const output = rewriteModule(bytes, m, {
    globalInits,
    memoryPages: memories.map((mem) => mem.pages),
    regions: memories.map((mem) => nonZeroRegions(mem.bytes)),
    droppedDatas: raw.datas.map((d) => d === null),
    exports: newExports(m.exports, initName, options, callsReactorInit),
  });
  // The result must be a valid module; a failure here is a bug in the rewriting.
  Module.validate(engine, output);
  return output;
}

/** A trap or an uncaught wasm exception while `what` ran, as a PreinitializeError; anything else as it is. */
function wasmFailure(e: unknown, what: string): unknown {
  if (e instanceof Trap) {
    const trace = e.backtrace.length ? `\nwasm backtrace:\n${formatBacktrace(e.backtrace)}` : '';
    return new PreinitializeError(`${what} trapped: ${e.code}: ${e.message}${trace}`);
  }
  if (e instanceof ThrownException) return new PreinitializeError(`${what} threw a wasm exception that nothing caught`);
  return e;
}

/** TypeErrors for arguments of the wrong shape, before anything runs. */
function checkOptions(bytes: unknown, options: unknown): asserts options is PreinitializeOptions {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('preinitialize: expected the module\'s bytes as a Uint8Array');
  checkOptionNames(options, ['initFunc', 'keepInitFunc', 'renames', 'link', 'config'], 'preinitialize', 'preinitialize: options');
  const o = options as Record<string, unknown>;
  if (o.initFunc !== undefined && typeof o.initFunc !== 'string') throw new TypeError('preinitialize: initFunc must be a string');
  if (o.keepInitFunc !== undefined && typeof o.keepInitFunc !== 'boolean') throw new TypeError('preinitialize: keepInitFunc must be a boolean');
  if (o.link !== undefined && typeof o.link !== 'function') throw new TypeError('preinitialize: link must be a function');
  if (o.renames !== undefined && (!Array.isArray(o.renames)
    || !o.renames.every((r) => Array.isArray(r) && r.length === 2 && typeof r[0] === 'string' && typeof r[1] === 'string'))) {
    throw new TypeError('preinitialize: renames must be an array of [newName, exportedName] string pairs');
  }
}

/**
 * The exports after removing the initialisation function (unless kept) and a reactor's
 * `_initialize` once it ran (`reactorInitRan`), and applying the renamings.
 */
function newExports(exports: readonly Export[], initName: string, options: PreinitializeOptions, reactorInitRan: boolean): Export[] {
  const renames = options.renames ?? [];
  const dsts = new Set<string>();
  const bySrc = new Map<string, string>();
  for (const [dst, src] of renames) {
    if (dsts.has(dst)) throw new PreinitializeError(`"${dst}" is the new name of more than one export`);
    if (bySrc.has(src)) throw new PreinitializeError(`"${src}" is renamed more than once`);
    const e = exports.find((x) => x.name === src);
    if (e === undefined || e.kind !== 'func') throw new PreinitializeError(`cannot rename "${src}": the module exports no function of that name`);
    dsts.add(dst);
    bySrc.set(src, dst);
  }
  const out: Export[] = [];
  for (const e of exports) {
    // As in Wasmtime's wizer, the initialisation export goes (unless kept) whatever renames it.
    if ((e.name === initName && !options.keepInitFunc) || (reactorInitRan && e.name === '_initialize')) continue;
    const renamed = bySrc.get(e.name);
    if (renamed !== undefined) out.push({ ...e, name: renamed });
    else if (!dsts.has(e.name)) out.push(e);
  }
  return out;
}

/** A constant expression (without `end`) for a global's value now. */
function constantOf(type: number, global: GlobalObject, index: number): Uint8Array {
  const w = new ByteWriter();
  if (writeValueConst(w, type, global)) return w.toBytes();
  if (isRef(type) && global.cell[0] === null) {
    w.byte(0xd0);
    w.s32(heapOf(type));
    return w.toBytes();
  }
  throw new PreinitializeError(`initialisation stored a reference in global ${index}; references cannot be snapshotted (only null)`);
}
