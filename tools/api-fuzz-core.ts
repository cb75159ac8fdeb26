// Random misuse of the embedding API: methods called with values of every kind in every position
// (handles of the wrong kind or store, primitives, Vals, types that are not types, callbacks that
// return nonsense). Whatever is refused must be refused with a clear error: a Trap, CompileError,
// LinkError, ResourceLimitError or DeserializeError, or a TypeError/RangeError/Error of tswasm's
// own. An error that V8 raised inside tswasm ("Cannot read properties of undefined", "x is not a
// function", a private-field access) means an argument reached code that never checked it.

import * as api from '../src/api/index.js';
import { Rng } from './fuzz-rng.js';
import { preinitialize } from '../src/wizer/index.js';
import { parseWat } from '../src/text/index.js';

const {
  Engine, Store, Module, Instance, Linker, Func, Memory, Table, Global, Val, ExternRef, Tag, funcType, I32, I64, F32, F64,
  FUNCREF, EXTERNREF, StoreLimitsBuilder, WasmBacktrace, WasmCoreDump, AnyRef, StructRef, ArrayRef, ExnRef, ThrownException, UpdateDeadline,
} = api;

/** Messages V8 gives for a wrong value reaching code that assumed a shape. */
const INTERNAL = /Cannot perform|Cannot read propert|is not a function|is not iterable|Cannot convert|private member|Invalid array length|^undefined is not a|^null is not a|Cannot mix BigInt|is not defined|is not a constructor|Maximum call stack|Invalid typed array length|Invalid (DataView|atomic)|out of memory/;

/** One kind of error that should not escape: where it came from and the first frames. */
export interface Finding {
  readonly op: number;
  readonly error: string;
  readonly frames: string;
}

export interface ApiFuzzResult {
  readonly calls: number;
  readonly refused: number;
  /** Distinct internal errors, keyed by operation and message (complete once `settled` resolves). */
  readonly findings: Map<string, Finding>;
  /** Resolves when the async calls (callAsync, instantiateAsync, ...) have settled, with how many were refused. */
  readonly settled: Promise<number>;
}

/** Runs `count` random API calls from `seed` (the same seed makes the same calls). */
export function runApiFuzz(seed: number, count: number): ApiFuzzResult {
  const rng = new Rng(seed);
  const rnd = (): number => rng.u32() / 0x1_0000_0000;
  const pick = <T>(xs: readonly T[]): T => rng.pick(xs);

  const e1 = new Engine();
  const e2 = new Engine({ consumeFuel: true, coredumpOnTrap: true });
  const s1 = new Store(e1);
  const s2 = new Store(e1);
  const s3 = new Store(e2);
  // Async support (callAsync, async host functions, fuel slices) with fuel and epochs.
  const e3 = new Engine({ asyncSupport: true, consumeFuel: true, epochInterruption: true });
  const s4 = new Store(e3);
  s4.setFuel(1e6);
  s4.setEpochDeadline(1e6);
  const stores = [s1, s2, s3, s4];
  const wat = `(module (memory (export "m") 1 3) (table (export "t") 2 10 funcref) (global (export "g") (mut i64) (i64.const 5))
    (global (export "gi") i32 (i32.const 1)) (tag (export "tag") (param i32))
    (func (export "f") (param i32 i64) (result i64) (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1)))
    (func (export "n")) (func (export "tr") unreachable) (elem (i32.const 0) func 0))`;
  const m1 = new Module(e1, wat);
  // The data fields of m1's precompiled ES module (read from its text, not imported) and a factory.
  const precompiledM1: Record<string, unknown> = { factory: () => null };
  for (const name of ['format', 'version', 'fingerprint', 'digest', 'wasm']) {
    precompiledM1[name] = JSON.parse(new RegExp(`^  ${name}: ("[^"]*"),$`, 'm').exec(m1.serializeJs())![1]!);
  }
  const wizerBytes = parseWat('(module (memory 1) (global (mut i32) (i32.const 0)) (func (export "init") (i32.store (i32.const 8) (i32.const 7))) (func (export "f")))');
  const m3 = new Module(e2, wat);
  const m4 = new Module(e3, wat);
  const instances = [new Instance(s1, m1, []), new Instance(s2, m1, []), new Instance(s3, m3, []), new Instance(s4, m4, [])];
  s3.setFuel(1e6);
  const handles: any[] = [];
  instances.forEach((instance, k) => {
    for (const name of ['m', 't', 'g', 'gi', 'f', 'n', 'tr', 'tag']) handles.push(instance.getExport(stores[k]!, name));
  });
  // GC objects and an exception made by wasm, to be used and abused from the API.
  const gcEngine = new Engine();
  const gcStore = new Store(gcEngine);
  const gc = new Instance(gcStore, new Module(gcEngine, `(module
    (type $s (struct (field (mut i32)) (field i64) (field (mut anyref))))
    (type $a (array (mut i8)))
    (tag $t (export "tag") (param i32 i64))
    (func (export "s") (result anyref) (struct.new $s (i32.const 1) (i64.const 2) (ref.i31 (i32.const 3))))
    (func (export "a") (result anyref) (array.new $a (i32.const 7) (i32.const 4)))
    (func (export "e") (result exnref) (block $b (result exnref) (try_table (catch_all_ref $b) (throw $t (i32.const 1) (i64.const 2))) (unreachable))))`), []);
  const gcValue = (name: string): any => gc.getFunc(gcStore, name)!.call(gcStore, [])[0]!.value;
  const gcRefs: any[] = [gcValue('s'), gcValue('a'), gcValue('e')];
  const gcTag = gc.getExport(gcStore, 'tag');
  const ofKind = (kind: Function): any[] => handles.filter((h) => h instanceof kind);
  const prims: unknown[] = [0, 1, -1, 1.5, NaN, Infinity, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 0n, 1n, -1n, 2n ** 64n, '', 'x', '1',
    null, undefined, true, Symbol('s'), {}, [], [1, 2], () => 1, new Uint8Array(4), new ArrayBuffer(8)];
  const val = (): any => pick([Val.i32(1), Val.i64(2n), Val.f32(1.5), Val.f64(2.5), Val.funcref(null), Val.externref(null),
    Val.funcref(handles[4]), Val.funcref(handles[12]), Val.externref(ExternRef.new(s1, 1)), Val.externref(ExternRef.new(s2, 2)),
    Val.externref(ExternRef.new(s1, revokedProxy()))]);
  const raw = (): any => {
    if (rnd() < 0.3) return pick(prims);
    try {
      return Val.toRaw(store(), val());
    } catch {
      return pick([0, 1n, null, handles[4]]);
    }
  };
  const type = (): any => pick([I32, I64, F32, F64, FUNCREF, EXTERNREF, 0x99, 'i32', -1]);
  const any = (): any => {
    const r = rnd();
    if (r < 0.3) return pick(prims);
    if (r < 0.55) return pick(handles);
    if (r < 0.75) return val();
    if (r < 0.85) return pick([s1, s2, s3, s4, e1, e2, e3, m1, m3, m4, ...instances]);
    if (r < 0.92) return [val(), val()];
    return type();
  };
  const store = (): any => (rnd() < 0.8 ? pick(stores) : any());
  const args = (n: number): any[] => Array.from({ length: Math.floor(rnd() * (n + 2)) }, any);
  const linked = (fn: (l: any) => void, text: string): any => {
    const l = new Linker(e1);
    fn(l);
    return l.instantiate(s1, new Module(e1, text)).getFunc(s1, 'f')!.call(s1, []);
  };
  const callsImport = '(module (import "a" "b" (func (param i32) (result i32))) (memory (export "m") 1) (func (export "f") (result i32) (call 0 (i32.const 1))))';

  const ops: (() => unknown)[] = [
    () => pick(ofKind(Func)).call(store(), rnd() < 0.5 ? [val(), val()] : any()),
    () => pick(ofKind(Func)).typed(store(), ...args(2)).call(store(), ...args(3)),
    () => pick(ofKind(Func)).type(store()),
    () => pick(ofKind(Func)).toRaw(store()),
    () => Func.fromRaw(store(), any()),
    () => Func.wrap(store(), funcType([type()], [type()]), () => any()).call(store(), [val()]),
    // The raw convention: arrays of raw values (the raws of Vals, or anything), and raw host functions writing anything.
    () => pick(ofKind(Func)).callUnchecked(store(), rnd() < 0.5 ? Array.from({ length: Math.floor(rnd() * 5) }, raw) : any()),
    () => Func.newUnchecked(store(), funcType([type(), type()], [type()]), (_c: unknown, raws: unknown[]) => {
      raws[Math.floor(rnd() * 3)] = raw();
    }).callUnchecked(store(), Array.from({ length: Math.floor(rnd() * 4) }, raw)),
    () => pick(ofKind(Memory)).read(store(), any(), any()),
    () => pick(ofKind(Memory)).write(store(), any(), any()),
    () => pick(ofKind(Memory)).grow(store(), any()),
    () => pick(ofKind(Table)).get(store(), any()),
    () => pick(ofKind(Table)).set(store(), any(), rnd() < 0.5 ? val() : any()),
    () => pick(ofKind(Table)).grow(store(), any(), rnd() < 0.5 ? val() : any()),
    () => pick(ofKind(Table)).fill(store(), any(), rnd() < 0.5 ? val() : any(), any()),
    () => Table.copy(store(), pick(ofKind(Table)), any(), rnd() < 0.5 ? pick(ofKind(Table)) : any(), any(), any()),
    () => pick(ofKind(Global)).set(store(), rnd() < 0.5 ? val() : any()),
    () => new Global(store(), rnd() < 0.5 ? { type: type(), mutable: rnd() < 0.5 } : any(), rnd() < 0.5 ? val() : any()),
    () => new Table(store(), rnd() < 0.5 ? { element: type(), limits: { min: pick(prims), max: null }, address64: false } : any(), rnd() < 0.5 ? val() : any()),
    () => new Memory(store(), rnd() < 0.5
      ? { limits: { min: pick([0, 1, 2 ** 20, -1]), max: pick([null, 1, 0]) }, address64: rnd() < 0.5, shared: false, pageSizeLog2: pick([16, 0, 3]) }
      : any()),
    () => new Instance(store(), rnd() < 0.5 ? pick([m1, m3]) : any(), rnd() < 0.5 ? args(3) : any()),
    () => pick(instances).getExport(store(), any()),
    () => pick(instances).getTypedFunc(store(), pick(['f', 'n', any()]), ...args(2)),
    () => pick(instances).exports(store()),
    () => new Linker(pick([e1, e2, any()])).define(store(), any(), any(), any()),
    () => {
      const l = new Linker(pick([e1, e2]));
      l.allowShadowing(any());
      l[pick(['defineUnknownImportsAsTraps', 'defineUnknownImportsAsDefaultValues'] as const)](rnd() < 0.5 ? pick([m1, m3]) : any());
      return l.instantiatePre(pick([m1, m3, any()]));
    },
    () => {
      const l = new Linker(pick([e1, e2]));
      l.instance(store(), 'x', rnd() < 0.5 ? pick(instances) : any());
      return l.instantiate(store(), pick([m1, m3, any()]));
    },
    () => linked((l) => l.funcWrap('a', 'b', rnd() < 0.5 ? funcType([I32], [I32]) : any(), rnd() < 0.5 ? () => any() : any()), callsImport),
    () => linked((l) => l.funcWrapWithCaller('a', 'b', funcType([I32], [I32]), (caller: any, x: number) => {
      const r = rnd();
      if (r < 0.3) return caller.getExport(any());
      if (r < 0.5) caller.setFuel(any());
      return x;
    }), callsImport),
    () => {
      let kept: any = null;
      linked((l) => l.funcWrapWithCaller('a', 'b', funcType([], []), (caller: any) => { kept = caller; }),
        '(module (import "a" "b" (func)) (func (export "f") (call 0)))');
      return kept.getExport(any());
    },
    // Linker lookups and Linker::module's rules, module export handles.
    () => {
      const l = new Linker(pick([e1, e2]));
      l.allowShadowing(rnd() < 0.5 ? any() : true);
      l.allowUnknownExports(rnd() < 0.5 ? any() : true);
      if (rnd() < 0.5) l.funcWrap('a', 'b', funcType([I32], [I32]), (x: number) => x);
      if (rnd() < 0.5) l.module(store(), pick(['a', 'c', any()]), pick([m1, m3, any()]));
      l.aliasModule(pick(['a', 'c', any()]), pick(['d', 'a', any()]));
      return pick([m1, m3]).imports().map((imp) => l.getByImport(store(), rnd() < 0.8 ? imp : any()));
    },
    () => pick(ofKind(Func)).matchesTy(store(), rnd() < 0.5 ? funcType([type()], [type()]) : any()),
    () => pick([m1, m3]).getExport(rnd() < 0.5 ? pick(['f', 'm', 'nope']) : any()),
    () => pick(instances).getModuleExport(store(), rnd() < 0.7 ? pick([m1, m3]).getExportIndex(pick(['f', 'm', 't', 'g'])) : any()),
    () => Module.deserialize(pick([e1, e2, any()]), rnd() < 0.5 ? m1.serialize().map((b, k) => (k === Math.floor(rnd() * 200) ? b ^ 1 : b)) : any()),
    () => {
      // A precompiled ES module's default export with one field replaced by anything.
      const field = pick(['format', 'version', 'fingerprint', 'digest', 'wasm', 'factory', 'none']);
      const artifact = field === 'none' ? precompiledM1 : { ...precompiledM1, [field]: any() };
      return Module.deserializeJs(pick([e1, e2, any()]), rnd() < 0.8 ? (rnd() < 0.5 ? artifact : { default: artifact }) : any());
    },
    () => preinitialize(rnd() < 0.7 ? wizerBytes : any(), rnd() < 0.5 ? undefined : { initFunc: pick(['init', 'nope', any()]), renames: rnd() < 0.5 ? [['x', pick(['init', 'f', any()])]] : any(), keepInitFunc: any() } as any),
    () => new Module(pick([e1, e2, any()]), any()),
    () => Module.validate(pick([e1, e2]), any()),
    () => pick([m1, m3]).customSections(any()),
    () => ExternRef.new(store(), any()).data(store()),
    () => Val.toNumber(any()),
    () => Val.toRaw(store(), rnd() < 0.6 ? val() : any()),
    () => Val.fromRaw(store(), any(), type()),
    () => WasmBacktrace.capture(store()),
    () => WasmBacktrace.fromError(any()),
    () => WasmCoreDump.fromError(any()),
    () => {
      // A trap's coredump (e2's stores keep them), serialized with any store and any name.
      const s = pick(stores);
      let dump: api.WasmCoreDump | null = null;
      try {
        pick(ofKind(Func)).call(s, rnd() < 0.5 ? [] : [val(), val()]);
      } catch (e) {
        dump = WasmCoreDump.fromError(e);
      }
      return dump?.serialize(rnd() < 0.8 ? s : any(), rnd() < 0.8 ? 'fuzz' : any());
    },
    () => pick(stores).setFuel(any()),
    () => pick(stores).getFuel(),
    () => pick(stores).setEpochDeadline(any()),
    () => pick(stores).epochDeadlineCallback(rnd() < 0.5 ? () => any() : any()),
    () => {
      const e = new Engine({ epochInterruption: true, consumeFuel: true });
      const s = new Store(e);
      s.setFuel(100_000);
      s.setEpochDeadline(0);
      s.epochDeadlineCallback(() => any());
      return new Instance(s, new Module(e, '(module (func (export "f") (loop br 0)))'), []).getFunc(s, 'f')!.call(s, []);
    },
    () => {
      const k = Math.floor(rnd() * 2);
      const s = stores[k]!;
      s.callHook(rnd() < 0.5 ? () => { if (rnd() < 0.3) throw new Error('hook says no'); } : any());
      return instances[k]!.getFunc(s, 'f')!.call(s, [Val.i32(1), Val.i64(1n)]);
    },
    () => {
      const k = Math.floor(rnd() * 2);
      const s = stores[k]!;
      s.limiter(rnd() < 0.5 ? new StoreLimitsBuilder().memorySize(pick([0, 65536, 1e9])).build()
        : rnd() < 0.5 ? { memoryGrowing: () => any(), tableGrowing: () => any(), instances: 10, tables: 10, memories: 10 } : any());
      new Instance(s, m1, []);
      return instances[k]!.getMemory(s, 'm')!.grow(s, 1);
    },
    () => new StoreLimitsBuilder().memorySize(any()).tableElements(any()).instances(any()).build(),
    () => new Tag(store(), rnd() < 0.5 ? funcType([type()], []) : any()),
    () => AnyRef.fromI31(store(), any()),
    () => StructRef.new(store(), any(), args(2)),
    () => ArrayRef.new(store(), any(), any(), any()),
    () => ExnRef.new(store(), pick(ofKind(Tag)), rnd() < 0.5 ? [val()] : any()),
    () => new ThrownException(any()),
    () => UpdateDeadline.continue(any()),
    () => pick(instances).getFunc(store(), 'tr')!.call(store(), args(1)),
    () => {
      const target = rnd() < 0.7 ? pick(gcRefs) : any();
      const cx = rnd() < 0.7 ? gcStore : store();
      const value = rnd() < 0.5 ? val() : pick([Val.i32(9), Val.i64(9n), Val.anyref(null), any()]);
      const method = pick(['field', 'fields', 'setField', 'descriptor', 'len', 'get', 'elems', 'set', 'isStruct', 'asStruct', 'isArray',
        'asArray', 'isEqRef', 'asExtern', 'ty', 'matchesTy', 'toRaw', 'tag', 'field']);
      // The method of a GC reference, called on the target (which may be anything: a wrong receiver).
      const f = (pick(gcRefs) as any)[method];
      if (typeof f !== 'function') return undefined;
      return f.call(target, cx, rnd() < 0.6 ? pick([0, 1, 2, 3, -1, 1.5]) : any(), value);
    },
    () => AnyRef.refEq(rnd() < 0.7 ? gcStore : store(), rnd() < 0.7 ? pick(gcRefs) : any(), rnd() < 0.7 ? pick(gcRefs) : any()),
    () => ExnRef.new(rnd() < 0.7 ? gcStore : store(), rnd() < 0.7 ? gcTag : any(), rnd() < 0.5 ? [Val.i32(1), Val.i64(2n)] : [any(), any()]),
    () => AnyRef.fromRaw(rnd() < 0.7 ? gcStore : store(), rnd() < 0.5 ? pick(gcRefs).toRaw(gcStore) : any()),
    () => ExternRef.convertAny(rnd() < 0.7 ? gcStore : store(), rnd() < 0.7 ? pick(gcRefs) : any()),
    () => AnyRef.convertExtern(rnd() < 0.7 ? gcStore : store(), rnd() < 0.5 ? ExternRef.new(gcStore, 1) : any()),
    // Async support: calls that may suspend, async host functions returning anything, fuel slices, epoch yields.
    () => pick(ofKind(Func)).callAsync(store(), rnd() < 0.5 ? [val(), val()] : any()),
    () => pick(ofKind(Func)).typed(store(), ...args(2)).callAsync(store(), ...args(3)),
    () => Func.wrapAsync(rnd() < 0.7 ? s4 : store(), funcType([type()], [type()]), async () => any()).callAsync(rnd() < 0.7 ? s4 : store(), [val()]),
    () => Func.createAsync(rnd() < 0.7 ? s4 : store(), funcType([I32], [I32]), () => any()).callAsync(rnd() < 0.7 ? s4 : store(), [Val.i32(1)]),
    () => Instance.newAsync(store(), pick([m1, m3, m4, any()]), rnd() < 0.5 ? [] : any()),
    () => new Linker(pick([e1, e3])).instantiateAsync(store(), pick([m1, m4, any()])),
    () => {
      s4.fuelAsyncYieldInterval(rnd() < 0.5 ? pick([1, 10, 1000]) : any());
      return instances[3]!.getFunc(s4, 'f')!.callAsync(s4, [Val.i32(1), Val.i64(1n)]);
    },
    () => {
      s4.epochDeadlineAsyncYieldAndUpdate(rnd() < 0.5 ? pick([0, 1]) : any());
      return instances[3]!.getFunc(s4, pick(['f', 'n', 'tr']))!.call(s4, args(2));
    },
    () => pick(stores).epochDeadlineCallback(() => pick([UpdateDeadline.yield(1), { kind: 'yield', delta: any() }, UpdateDeadline.continue(1)])),
    // Async call hooks: answers at once, later, rejected or anything, around sync and async calls.
    () => {
      const s = rnd() < 0.8 ? s4 : pick(stores);
      const answer = () => pick([() => undefined, () => Promise.resolve(), () => Promise.reject(new Error('hook says no')), any])();
      s.callHookAsync(rnd() < 0.8 ? () => answer() : any());
      const f = instances[3]!.getFunc(s4, pick(['f', 'n', 'tr']))!;
      return rnd() < 0.5 ? f.callAsync(rnd() < 0.8 ? s : store(), args(2)) : f.call(rnd() < 0.8 ? s : store(), args(2));
    },
    // Async limits: answers at once, later, rejected or anything; growth from wasm and the host, sync and async.
    () => {
      const s = rnd() < 0.8 ? s4 : pick(stores);
      const answer = () => pick([() => true, () => false, () => Promise.resolve(rnd() < 0.5), () => Promise.reject(new Error('quota')), any])();
      s.limiterAsync(rnd() < 0.8 ? { memoryGrowing: answer, tableGrowing: answer, instances: 10, tables: 10, memories: 10 } : any());
      const memory = instances[3]!.getMemory(s4, 'm');
      return pick([
        () => memory?.growAsync(rnd() < 0.8 ? s : store(), rnd() < 0.7 ? 1 : any()),
        () => memory?.grow(rnd() < 0.8 ? s : store(), 1),
        () => Memory.newAsync(s, rnd() < 0.7 ? { limits: { min: 1, max: null }, address64: false, shared: false, pageSizeLog2: 16 } : any()),
        () => Table.newAsync(s, any(), rnd() < 0.5 ? Val.funcref(null) : any()),
        () => Instance.newAsync(s, pick([m1, m3, m4, any()]), []),
        () => instances[3]!.getFunc(s4, pick(['f', 'n', 'tr']))!.callAsync(s, args(2)),
        () => new Memory(s, { limits: { min: 0, max: null }, address64: false, shared: false, pageSizeLog2: 16 }),
      ])();
    },
  ];

  const findings = new Map<string, Finding>();
  const record = (op: number, e: unknown): void => {
    const expected = e instanceof api.Trap || e instanceof api.CompileError || e instanceof api.LinkError
      || e instanceof api.ResourceLimitError || e instanceof api.DeserializeError;
    const message = e instanceof Error ? e.message : String(e);
    if (!expected && (!(e instanceof Error) || INTERNAL.test(message))) {
      const key = `op ${op}: ${(e as Error)?.constructor?.name}: ${message.slice(0, 120)}`;
      if (!findings.has(key)) findings.set(key, { op, error: message, frames: String((e as Error)?.stack ?? '').split('\n').slice(1, 4).join(' | ') });
    }
  };
  let calls = 0;
  let refused = 0;
  let asyncRefused = 0;
  const pending: Promise<void>[] = [];
  for (let k = 0; k < count; k++) {
    const op = Math.floor(rnd() * ops.length);
    calls++;
    try {
      const r = ops[op]!() as unknown;
      if (r instanceof Promise) {
        pending.push(r.then(() => {}, (e: unknown) => {
          asyncRefused++;
          record(op, e);
        }));
      }
    } catch (e) {
      refused++;
      record(op, e);
    }
    for (const s of stores) {
      s.callHook(null);
      s.limiter(null);
      s.epochDeadlineTrap();
    }
    s4.fuelAsyncYieldInterval(null);
  }
  return { calls, refused, findings, settled: Promise.all(pending).then(() => asyncRefused) };
}

/** A Proxy whose every trap throws: `instanceof` on it throws a TypeError inside whatever asks. */
function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}
