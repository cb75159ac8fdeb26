// The spec runner's engine on top of tswasm's public API: one Engine and Store per script, the
// "spectest" host module, host references for (ref.extern N), and Vals turned into exact bits.

import type { WasmFeatures } from '../core/features.js';
import { LinkError } from '../core/errors.js';
import { F32, F64, FUNCREF, I32, I64, isRef, type ValType } from '../core/types.js';
import {
  AnyRef, Engine, ExternRef, Func, Global, Instance, Memory, Module, SharedMemory, Store, Table, ThrownException, Val, funcType,
  type Extern, type Val as ValT,
} from '../api/index.js';
import { refFamily } from '../api/val.js';
import type { Config } from '../api/config.js';
import type { WastValue } from '../text/wast-types.js';
import type { ImportResolver, RawValue, SpecEngine } from './engine.js';

/** A reference the runner made for `(ref.extern N)` / `(ref.host N)`. */
class HostRef {
  constructor(readonly index: number) {}
}

type SpecInstanceValue = Instance | Map<string, Extern>;

/** Runs one script: its modules share one Engine (with the script's features) and one Store. */
export class ApiSpecEngine implements SpecEngine {
  readonly canExecute = true;
  protected readonly engine: Engine;
  private readonly activeStore: Store;
  private readonly hostRefs = new Map<number, ExternRef>();
  private spectestInstance: Map<string, Extern> | null = null;

  /** `config` runs the script under other engine settings (fuel and epochs then never run out). */
  constructor(features: WasmFeatures, config: Config = {}) {
    this.engine = new Engine({ ...config, features });
    this.activeStore = new Store(this.engine);
    if (config.consumeFuel) this.activeStore.setFuel(Number.MAX_SAFE_INTEGER);
    if (config.epochInterruption) this.activeStore.setEpochDeadline(2 ** 30);
  }

  compile(bytes: Uint8Array): Module {
    return new Module(this.engine, bytes);
  }

  instantiate(module: unknown, resolve: ImportResolver): Instance {
    const m = module as Module;
    const imports: Extern[] = [];
    for (const imp of m.imports()) {
      const found = resolve(imp.module, imp.name) as Extern | undefined;
      if (found === undefined) throw new LinkError(`unknown import ${imp.module}.${imp.name}`);
      imports.push(found);
    }
    return new Instance(this.activeStore, m, imports);
  }

  getExport(instance: unknown, name: string): Extern | undefined {
    const value = instance as SpecInstanceValue;
    if (value instanceof Map) return value.get(name);
    return value.getExport(this.activeStore, name);
  }

  invoke(instance: unknown, name: string, args: readonly WastValue[]): RawValue[] {
    const store = this.activeStore;
    const func = this.getExport(instance, name);
    if (!(func instanceof Func)) throw new Error(`no exported function "${name}"`);
    const params = func.type(store).params;
    if (params.length !== args.length) throw new Error(`"${name}" takes ${params.length} arguments, the script passes ${args.length}`);
    const vals = args.map((arg, i) => this.toVal(arg, params[i]!));
    return func.call(store, vals).map((v) => this.toRaw(v));
  }

  getGlobal(instance: unknown, name: string): RawValue {
    const global = this.getExport(instance, name);
    if (!(global instanceof Global)) throw new Error(`no exported global "${name}"`);
    return this.toRaw(global.get(this.activeStore));
  }

  spectest(): Map<string, Extern> {
    if (this.spectestInstance === null) this.spectestInstance = this.buildSpectest();
    return this.spectestInstance;
  }

  /** An uncaught wasm exception reaches the API's caller as a ThrownException. */
  isException(error: unknown): boolean {
    return error instanceof ThrownException;
  }

  private hostRef(index: number): ExternRef {
    let ref = this.hostRefs.get(index);
    if (ref === undefined) {
      ref = ExternRef.new(this.activeStore, new HostRef(index));
      this.hostRefs.set(index, ref);
    }
    return ref;
  }

  private toVal(arg: WastValue, type: ValType): ValT {
    switch (arg.type) {
      case 'i32': return Val.i32(arg.bits);
      case 'i64': return Val.i64(arg.bits);
      case 'f32': return Val.f32Bits(arg.bits);
      case 'f64': return Val.f64Bits(arg.bits);
      case 'ref.null': {
        const family = isRef(type) ? refFamily(type) : 'extern';
        return family === 'func' ? Val.funcref(null) : family === 'exn' ? Val.exnref(null)
          : family === 'any' ? Val.anyref(null) : Val.externref(null);
      }
      // Host value N, as an externref or made internal (an anyref), whichever the parameter is.
      case 'ref.extern': case 'ref.host': {
        const ref = this.hostRef(arg.index);
        return isRef(type) && refFamily(type) === 'any' ? Val.anyref(AnyRef.convertExtern(this.activeStore, ref)) : Val.externref(ref);
      }
      case 'v128': return Val.v128(v128FromBytes(arg.bytes));
    }
  }

  private toRaw(v: ValT): RawValue {
    switch (v.type) {
      case 'i32': return { type: 'i32', bits: v.value >>> 0 };
      case 'i64': return { type: 'i64', bits: BigInt.asUintN(64, v.value) };
      case 'f32': return { type: 'f32', bits: v.value >>> 0 };
      case 'f64': return { type: 'f64', bits: BigInt.asUintN(64, v.value) };
      case 'funcref': return { type: 'ref', isNull: v.value === null, kind: 'func', hostIndex: null };
      case 'externref': {
        const data = v.value?.data(this.activeStore);
        const host = data instanceof HostRef ? data.index : null;
        return { type: 'ref', isNull: v.value === null, kind: 'extern', hostIndex: host };
      }
      case 'exnref': return { type: 'ref', isNull: v.value === null, kind: 'exn', hostIndex: null };
      case 'anyref': return this.anyRaw(v.value);
      case 'v128': return { type: 'v128', bytes: v128ToBytes(v.value) };
    }
  }

  /** An anyref result: what it is (a struct, an array, an i31, or host value N). */
  private anyRaw(x: AnyRef | null): RawValue {
    const store = this.activeStore;
    if (x === null) return { type: 'ref', isNull: true, kind: 'any', hostIndex: null };
    if (x.isStruct(store)) return { type: 'ref', isNull: false, kind: 'struct', hostIndex: null };
    if (x.isArray(store)) return { type: 'ref', isNull: false, kind: 'array', hostIndex: null };
    if (x.isI31(store)) return { type: 'ref', isNull: false, kind: 'i31', hostIndex: null };
    const data = x.asExtern(store)?.data(store);
    return { type: 'ref', isNull: false, kind: 'host', hostIndex: data instanceof HostRef ? data.index : null };
  }

  private buildSpectest(): Map<string, Extern> {
    const store = this.activeStore;
    const exports = new Map<string, Extern>();
    const print = (name: string, params: ValType[]) => exports.set(name, Func.create(store, funcType(params, []), () => []));
    print('print', []);
    print('print_i32', [I32]);
    print('print_i64', [I64]);
    print('print_f32', [F32]);
    print('print_f64', [F64]);
    print('print_i32_f32', [I32, F32]);
    print('print_f64_f64', [F64, F64]);
    exports.set('global_i32', new Global(store, { type: I32, mutable: false }, Val.i32(666)));
    exports.set('global_i64', new Global(store, { type: I64, mutable: false }, Val.i64(666n)));
    exports.set('global_f32', new Global(store, { type: F32, mutable: false }, Val.f32(666.6)));
    exports.set('global_f64', new Global(store, { type: F64, mutable: false }, Val.f64(666.6)));
    exports.set('table', new Table(store, { element: FUNCREF, limits: { min: 10, max: 20 }, address64: false }, Val.funcref(null)));
    exports.set('table64', new Table(store, { element: FUNCREF, limits: { min: 10, max: 20 }, address64: true }, Val.funcref(null)));
    const memory = { limits: { min: 1, max: 2 }, address64: false, shared: false, pageSizeLog2: 16 };
    exports.set('memory', new Memory(store, memory));
    if (this.engine.config.features.threads) exports.set('shared_memory', new SharedMemory(this.engine, { ...memory, shared: true }));
    return exports;
  }
}

/** The 128 bits of 16 little-endian bytes (a script's v128 value). */
function v128FromBytes(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = 15; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
  return x;
}

/** The 16 little-endian bytes of a v128 Val's bits, for the runner's lane comparisons. */
function v128ToBytes(x: bigint): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number((x >> BigInt(8 * i)) & 0xffn);
  return out;
}
