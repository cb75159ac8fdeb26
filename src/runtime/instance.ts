// Instantiation: binds a compiled module to imports and fresh state (globals, memories, tables,
// segments), runs the factory for this instance's functions, applies segments and runs start.

import type { ModuleInfo } from '../binary/module.js';
import { LinkError, TrapCode } from '../core/errors.js';
import type { FuncType } from '../core/types.js';
import { canonicalizeValType } from '../validate/type-registry.js';
import type { CompiledCode } from '../compile/module-compiler.js';
import { constantOffset } from '../compile/data-image.js';
import { evalConst, writeGlobal } from './const-eval.js';
import { WasmFunc, type LoweredFn } from './func.js';
import { GlobalObject } from './global.js';
import { HELPERS } from './helpers.js';
import { checkImport, type RuntimeExtern } from './link.js';
import { MemoryObject } from './memory.js';
import { SharedMemoryObject } from './shared-memory.js';
import { CALLER, DEPTH, runtimeSlots } from './slots.js';
import { TableObject } from './table.js';
import type { StoreObject } from './store.js';
import { TagObject } from './tag.js';
import { makeTrap, toEmbedderError } from './traps.js';
import { unitUrl } from './code-registry.js';
import { framesNeedNames, nameFrames } from './frame-names.js';
import { generatorEntry, runToEnd, type Suspension } from './async-calls.js';
import { flatKinds } from './lowering.js';

/** Everything instantiation needs from a compiled module. */
export interface ModuleCode {
  readonly info: ModuleInfo;
  /** Canonical type id per module type index. */
  readonly canon: Int32Array;
  /** The generated code; compiled on first instantiation when compilation is lazy. */
  code(): CompiledCode;
  readonly maxWasmStack: number | null;
  /** Its functions are generators (Config.asyncSupport): runtime/async-calls.ts runs them. */
  readonly asyncSupport: boolean;
}


export class InstanceObject {
  readonly funcs: WasmFunc[] = [];
  readonly tables: TableObject[] = [];
  readonly memories: MemoryObject[] = [];
  readonly globals: GlobalObject[] = [];
  readonly tags: TagObject[] = [];
  readonly exports = new Map<string, RuntimeExtern>();
  /** Data segments by index: null once dropped (active ones after instantiation, others by data.drop). */
  readonly datas: (Uint8Array | null)[];
  /** Element segments by index: null once dropped. */
  readonly elems: (unknown[] | null)[];

  /** The start function, when the creator asked to run it itself (`startLater`), else null. */
  readonly start: WasmFunc | null = null;

  /**
   * Links and initialises an instance and runs its start function, unless `startLater`: then
   * `start` holds it for the creator to run (asynchronously, when the code may suspend).
   */
  constructor(readonly module: ModuleCode, imports: readonly RuntimeExtern[], readonly store: StoreObject, startLater = false) {
    const m = module.info;
    const canon = module.canon;
    if (imports.length !== m.imports.length) {
      throw new LinkError(`expected ${m.imports.length} imports, got ${imports.length}`);
    }
    m.imports.forEach((_, i) => checkImport(m, canon, i, imports[i]!));
    for (const x of imports) {
      if (x instanceof WasmFunc) this.funcs.push(x);
      else if (x instanceof TableObject) this.tables.push(x);
      else if (x instanceof MemoryObject) this.memories.push(x);
      else if (x instanceof TagObject) this.tags.push(x);
      else this.globals.push(x);
    }
    for (let i = m.numImportedTags; i < m.tags.length; i++) this.tags.push(new TagObject(canon[m.tags[i]!.typeIndex]!));
    const unlinked: LoweredFn = () => {
      throw new Error('internal error: function called before instantiation finished');
    };
    for (let i = m.numImportedFuncs; i < m.funcTypes.length; i++) {
      const ti = m.funcTypes[i]!;
      this.funcs.push(new WasmFunc(canon[ti]!, m.types[ti]!.composite as FuncType, unlinked, this, i));
    }
    for (const g of m.globalDefs) {
      const obj = new GlobalObject({ type: canonicalizeValType(g.type.type, canon), mutable: g.type.mutable });
      writeGlobal(obj, evalConst(m, g.init, this.globals, this.funcs, canon));
      this.globals.push(obj);
    }
    for (let i = m.numImportedMemories; i < m.memories.length; i++) {
      try {
        const type = m.memories[i]!;
        const memory = type.shared ? SharedMemoryObject.create(type, store?.maxMemoryBytes) : new MemoryObject(type);
        memory.store = store;
        this.memories.push(memory);
      } catch {
        throw new LinkError(`memory ${i}: cannot allocate ${m.memories[i]!.limits.min} pages`);
      }
    }
    for (const t of m.tableDefs) {
      const init = t.init ? evalConst(m, t.init, this.globals, this.funcs, canon) : null;
      let table: TableObject;
      try {
        table = new TableObject({ ...t.type, element: canonicalizeValType(t.type.element, canon) }, init);
      } catch (e) {
        throw new LinkError(`table ${this.tables.length}: ${(e as Error).message}`);
      }
      table.store = store;
      this.tables.push(table);
    }
    const datas: (Uint8Array | null)[] = m.datas.map((d) => d.data);
    const elems: (unknown[] | null)[] = m.elems.map((e) =>
      e.funcIndices ? e.funcIndices.map((f) => this.funcs[f]) : e.exprs!.map((x) => evalConst(m, x, this.globals, this.funcs, canon)));
    this.datas = datas;
    this.elems = elems;

    const code = module.code();
    const ctx = {
      rt: runtimeSlots(), helpers: HELPERS, maxDepth: module.maxWasmStack ?? 0, store, instance: this, canon: module.canon,
      funcs: this.funcs, memories: this.memories, tables: this.tables, globals: this.globals, datas, elems,
    };
    if (code.factory !== null) {
      const made = code.factory(ctx);
      if (framesNeedNames()) {
        nameFrames(code.url, made.fns);
        nameFrames(code.url, made.bodies);
      }
      for (let i = 0; i < made.fns.length; i++) {
        const f = this.funcs[m.numImportedFuncs + i]!;
        f.fn = entryOf(code, m.numImportedFuncs + i, made.fns[i]!, f);
        f.body = made.bodies[i]!;
      }
    } else {
      this.bindLazy(code, ctx);
    }
    for (const e of m.exports) {
      const space: readonly RuntimeExtern[] = e.kind === 'func' ? this.funcs : e.kind === 'table' ? this.tables
        : e.kind === 'memory' ? this.memories : e.kind === 'global' ? this.globals : this.tags;
      this.exports.set(e.name, space[e.index]!);
    }
    store.dumpable?.instances.push(this);
    const depth = DEPTH[0]!, tails = DEPTH[1]!;
    try {
      this.initSegments(elems, datas, code);
      if (m.start !== null && startLater) {
        this.start = this.funcs[m.start]!;
      } else if (m.start !== null) {
        // An imported host function as the start function has no calling instance.
        CALLER.i = null;
        const r: unknown = this.funcs[m.start]!.fn();
        if (module.asyncSupport) runToEnd(r as Generator<Suspension, unknown, unknown>);
      }
    } catch (e) {
      DEPTH[0] = depth;
      DEPTH[1] = tails;
      throw toEmbedderError(e);
    }
  }

  /**
   * Lazy code: every defined function starts as its shell forwarder, which compiles the function
   * for this instance on its first call. `bind[j]` is what a newly compiled function binds for a
   * direct call of j: the compiled function once there is one, else j's forwarder; in the second
   * case the function is rebound when j is compiled. Forwarders cost a call frame each (12% of
   * esbuild's time in its early runs went to them), and V8 inlines them only into small callers.
   */
  private bindLazy(code: CompiledCode, ctx: object): void {
    const m = this.module.info;
    const bind: LoweredFn[] = new Array(m.funcTypes.length);
    const compiled = new Uint8Array(m.funcTypes.length);
    const waiting: (((j: number, g: LoweredFn) => void)[] | undefined)[] = new Array(m.funcTypes.length);
    for (let i = 0; i < m.numImportedFuncs; i++) {
      const f = this.funcs[i]!;
      // A host function that takes a Caller is bound to the importing instance (api/Caller).
      bind[i] = f.bindCaller === null ? f.fn : f.bindCaller(this);
    }
    const lazy = (i: number): LoweredFn => {
      const [fn, body, rebind, callees] = code.unit(i)(ctx, bind);
      if (framesNeedNames()) nameFrames(unitUrl(code.url, i), [fn, body]);
      bind[i] = fn;
      compiled[i] = 1;
      const f = this.funcs[i]!;
      f.fn = entryOf(code, i, fn, f);
      f.body = body;
      const w = waiting[i];
      if (w !== undefined) {
        waiting[i] = undefined;
        for (const r of w) r(i, fn);
      }
      if (rebind !== null) {
        for (const j of callees) if (j >= m.numImportedFuncs && compiled[j] === 0) (waiting[j] ??= []).push(rebind);
      }
      return fn;
    };
    const fns = code.shell!(ctx, lazy);
    for (let i = 0; i < fns.length; i++) {
      const index = m.numImportedFuncs + i;
      bind[index] = fns[i]!;
      this.funcs[index]!.fn = entryOf(code, index, fns[i]!, this.funcs[index]!);
    }
  }

  private initSegments(elems: (unknown[] | null)[], datas: (Uint8Array | null)[], code: CompiledCode): void {
    const m = this.module.info;
    const canon = this.module.canon;
    m.elems.forEach((seg, i) => {
      if (seg.mode === 'active') {
        const table = this.tables[seg.table]!;
        const offset = evalConst(m, seg.offset!, this.globals, this.funcs, canon) as number | bigint;
        const at = m.tables[seg.table]!.address64 ? Number(BigInt.asUintN(64, BigInt(offset))) : Number(offset) >>> 0;
        const items = elems[i]!;
        if (at + items.length > table.length) throw makeTrap(TrapCode.TableOutOfBounds);
        for (let k = 0; k < items.length; k++) table.elems[at + k] = items[k];
      }
      if (seg.mode !== 'passive') elems[i] = null;
    });
    const usedImage = new Set<number>();
    for (const [mem, image] of code.images) {
      const memory = this.memories[mem]!;
      if (image.end <= memory.bytes.length) {
        memory.bytes.set(image.bytes, image.base);
        usedImage.add(mem);
      }
    }
    m.datas.forEach((seg, i) => {
      if (seg.mode !== 'active') return;
      datas[i] = null;
      if (usedImage.has(seg.memory)) return;
      const memory = this.memories[seg.memory]!;
      const c = constantOffset(m, seg.offset!);
      // Unsigned and exact: a double rounds an i64 past 2^53 (2^64 - 1 to 2^64, whose low bits are 0).
      const at = c ?? address(evalConst(m, seg.offset!, this.globals, this.funcs, canon) as number | bigint, m.memories[seg.memory]!.address64);
      if (at + seg.data.length > memory.bytes.length) throw makeTrap(TrapCode.MemoryOutOfBounds);
      memory.bytes.set(seg.data, at);
    });
  }
}


/** A segment's offset as an address: an i64 (a bigint) read as u64, an i32 as u32. */
function address(offset: number | bigint, address64: boolean): number {
  return address64 ? Number(BigInt.asUintN(64, BigInt(offset))) : Number(offset) >>> 0;
}

/** What calls from outside the module call for function `index`: its code, or its generator entry when plain in generator code. */
function entryOf(code: CompiledCode, index: number, fn: LoweredFn, f: WasmFunc): LoweredFn {
  if (code.suspends?.[index] !== false) return fn;
  f.sync = fn;
  return generatorEntry(fn, flatKinds(f.funcType.params).length);
}
