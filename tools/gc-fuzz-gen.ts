// The module generator of the GC differential fuzzer (tools/gc-fuzz.ts): random modules valid by
// construction that use Wasm GC (and, in some modules, exnref exception handling), plus a plan of
// calls, for comparing tswasm with a browser's V8 (tools/chromium-oracle.ts).
//
// Shape of a generated module:
//   - a type section of rec groups (one to three types each, sometimes without the rec wrapper),
//     each type a struct (fields of i8, i16, i32, i64, f32, f64 and ref types, mutable or not), an
//     array or a func type, final or not, sometimes declaring an earlier open type of its kind as
//     its supertype (a struct then repeats the supertype's fields and adds some); ref types name any
//     type up to the end of their own rec group (recursive types) or an abstract heap type;
//   - globals: global 0 is the call budget (below), global 1 a hash into which statements mix
//     values of random expressions (folded as below); then numeric and ref-typed globals, mutable or
//     not, initialised by constant expressions (ref.null, ref.i31, struct.new(_default),
//     array.new(_default/_fixed), ref.func, global.get of earlier immutable globals, any/extern
//     conversions);
//   - two tables of ref types (one of a func type or funcref, one of an any-hierarchy type), passive
//     data segments (for array.new_data / array.init_data) and passive element segments of ref types
//     (for array.new_elem / array.init_elem), and a declarative segment naming every function;
//   - functions f0..f(n-1) of random func types (ref params and results included): typed
//     expression trees over every GC instruction of the brief (struct.*, array.*, i31, ref.test,
//     ref.cast, br_on_cast(_fail), ref.eq, ref.is_null, ref.as_non_null, br_on_null,
//     br_on_non_null, any.convert_extern, extern.convert_any, typed select, call, call_ref,
//     return_call, return_call_ref, table.get/set/size/grow, blocks, ifs, loops and br_table with
//     ref results); exnref modules also use tags with numeric and ref payloads, throw, throw_ref
//     and try_table with catch, catch_ref, catch_all and catch_all_ref;
//   - one wrapper per export ("w0", ...): i32/i64 params and one i64 result: it resets the call
//     budget, calls its function with arguments built from its params, and folds every result into
//     the i64 (ref results through ref.is_null, ref.test of several types, and casts that read a
//     field, an array's length, an i31's value), so JS never sees a GC object;
//   - "dump": the globals folded the same way (the runner calls it after every call).
//
// Termination by construction: global 0 is a call budget that every function decrements on entry
// (trapping with unreachable when it is exhausted: a function returning a non-nullable ref has
// nothing else to return), and every loop has its own counter local that bounds it.
// Arrays are allocated with small lengths (a length is mostly masked to 0..7), and now and then one
// of 2^31 elements or more, which both engines must refuse with a trap. Floats are never computed (only consts,
// conversions from integers, loads from fields and elements), so their bits are deterministic.

import { randI32, randI64, randF32Bits, randF64Bits, moduleSeed, type CallPlan } from './exec-fuzz-gen.js';
import { s32, s64, u32, vec, str, section } from '../test/validate/builder.js';
import { Rng } from './fuzz-rng.js';

export { Rng, moduleSeed };

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, I8 = 0x78, I16 = 0x77;
// Abstract heap types (their one-byte encodings).
const NOEXN = 0x74, NOFUNC = 0x73, NOEXTERN = 0x72, NONE = 0x71, FUNC = 0x70, EXTERN = 0x6f, ANY = 0x6e, EQ = 0x6d, I31 = 0x6c, STRUCT = 0x6b, ARRAY = 0x6a, EXN = 0x69;
const ABSTRACT = [NOFUNC, NOEXTERN, NONE, FUNC, EXTERN, ANY, EQ, I31, STRUCT, ARRAY];
const ANY_ABSTRACT = [ANY, EQ, I31, STRUCT, ARRAY, NONE];

/** A heap type: a type index (below 0x60) or an abstract heap type's byte. */
type Heap = number;
interface RefT { readonly nullable: boolean; readonly heap: Heap }
/** A value type: a numeric type's byte or a ref type. */
type ValT = number | RefT;
/** A field or element type: a value type or a packed i8 / i16. */
type Storage = ValT;

type Comp =
  | { readonly kind: 'struct'; readonly fields: readonly { t: Storage; mut: boolean }[] }
  | { readonly kind: 'array'; readonly elem: Storage; readonly mut: boolean }
  | { readonly kind: 'func'; readonly params: readonly ValT[]; readonly results: readonly ValT[] };

interface TypeDef {
  readonly comp: Comp;
  readonly sup: number | null;
  readonly final: boolean;
  /** One past the last type of this type's rec group. */
  groupEnd: number;
}

const isRef = (t: ValT): t is RefT => typeof t !== 'number';
const isIdx = (h: Heap) => h < 0x60;
const ref = (heap: Heap, nullable: boolean): RefT => ({ nullable, heap });
const unpacked = (s: Storage): ValT => (s === I8 || s === I16 ? I32 : s);
const EXNREF = ref(EXN, true);

export interface GcExport {
  readonly name: string;
  readonly params: readonly ('i32' | 'i64')[];
}
export interface GcModulePlan {
  readonly bytes: Uint8Array;
  readonly exports: readonly GcExport[];
  /** Export calls, in order (each is followed by a call of "dump"). */
  readonly calls: readonly CallPlan[];
  readonly exnref: boolean;
}

export interface GcGenOptions {
  /** Exnref exception handling in every module (true), none (false), or a third of them (undefined). */
  readonly exnref?: boolean;
}

class ModuleGen {
  readonly types: TypeDef[] = [];
  funcTypes: number[] = [];
  globals: { t: ValT; mut: boolean }[] = [];
  tables: RefT[] = [];
  dataLens: number[] = [];
  elemTypes: RefT[] = [];
  tags: number[] = [];
  constructor(readonly rng: Rng, readonly exnref: boolean) {}

  // -------------------------------------------------------------------------------------------
  // Types

  subHeap(a: Heap, b: Heap): boolean {
    if (a === b) return true;
    if (isIdx(a)) {
      const k = this.types[a]!.comp.kind;
      if (isIdx(b)) {
        for (let s = this.types[a]!.sup; s !== null; s = this.types[s]!.sup) if (s === b) return true;
        return false;
      }
      if (k === 'func') return b === FUNC;
      return b === ANY || b === EQ || b === (k === 'struct' ? STRUCT : ARRAY);
    }
    switch (a) {
      case NONE: return isIdx(b) ? this.types[b]!.comp.kind !== 'func' : [ANY, EQ, I31, STRUCT, ARRAY].includes(b);
      case NOFUNC: return isIdx(b) ? this.types[b]!.comp.kind === 'func' : b === FUNC;
      case NOEXTERN: return b === EXTERN;
      case NOEXN: return b === EXN;
      case I31: case STRUCT: case ARRAY: return b === EQ || b === ANY;
      case EQ: return b === ANY;
    }
    return false;
  }
  sub(a: ValT, b: ValT): boolean {
    if (!isRef(a) || !isRef(b)) return a === b;
    return (!a.nullable || b.nullable) && this.subHeap(a.heap, b.heap);
  }
  top(h: Heap): Heap {
    if (isIdx(h)) return this.types[h]!.comp.kind === 'func' ? FUNC : ANY;
    if (h === NOFUNC || h === FUNC) return FUNC;
    if (h === NOEXTERN || h === EXTERN) return EXTERN;
    if (h === NOEXN || h === EXN) return EXN;
    return ANY;
  }
  bottom(h: Heap): Heap {
    const t = this.top(h);
    return t === FUNC ? NOFUNC : t === EXTERN ? NOEXTERN : t === EXN ? NOEXN : NONE;
  }
  /** Every heap type of `top`'s hierarchy (abstract and defined). */
  hierarchy(top: Heap): Heap[] {
    const defined = this.types.map((_, i) => i).filter((i) => this.top(i) === top);
    if (top === FUNC) return [FUNC, NOFUNC, ...defined];
    if (top === EXTERN) return [EXTERN, NOEXTERN];
    if (top === EXN) return [EXN, NOEXN];
    return [...ANY_ABSTRACT, ...defined];
  }
  /** The heap types below `h` (h included). */
  below(h: Heap): Heap[] {
    return this.hierarchy(this.top(h)).filter((x) => this.subHeap(x, h));
  }
  defaultable(t: Storage): boolean {
    return !isRef(t) || t.nullable;
  }
  structs(): number[] {
    return this.types.map((_, i) => i).filter((i) => this.types[i]!.comp.kind === 'struct');
  }
  arrays(): number[] {
    return this.types.map((_, i) => i).filter((i) => this.types[i]!.comp.kind === 'array');
  }
  fieldsOf(i: number): readonly { t: Storage; mut: boolean }[] {
    const c = this.types[i]!.comp;
    return c.kind === 'struct' ? c.fields : [];
  }
  arrayOf(i: number): { elem: Storage; mut: boolean } {
    return this.types[i]!.comp as { elem: Storage; mut: boolean };
  }
  funcOf(i: number): { params: readonly ValT[]; results: readonly ValT[] } {
    return this.types[i]!.comp as { params: readonly ValT[]; results: readonly ValT[] };
  }

  /** A random heap type among those defined below `limit` and the abstract ones. */
  randHeap(limit: number): Heap {
    const r = this.rng;
    if (limit > 0 && r.chance(0.6)) return r.below(limit);
    return r.pick(ABSTRACT);
  }
  randRef(limit: number): RefT {
    const h = this.randHeap(limit);
    // Non-null refs to a type being defined (its own fields: no value could ever be built) and to
    // func types (no function may have one) would mostly make calls trap: nullable, mostly.
    if (isIdx(h) && (h >= this.types.length || this.types[h]!.comp.kind === 'func')) return ref(h, this.rng.chance(0.9));
    return this.inhabited(h, this.rng.chance(0.75));
  }
  /** (ref null? h), nullable when h is a bottom type (whose non-null refs have no values). */
  inhabited(h: Heap, nullable: boolean): RefT {
    return ref(h, nullable || this.empty(h));
  }
  /** Whether no non-null value of heap type h can be made: a bottom type, or a func type no function has. */
  empty(h: Heap): boolean {
    if ([NONE, NOFUNC, NOEXTERN, NOEXN].includes(h)) return true;
    return isIdx(h) && this.types[h]!.comp.kind === 'func' && this.funcTypes.length > 0 && !this.funcTypes.some((ft) => this.subHeap(ft, h));
  }
  /** The heap types of `hs` a non-null value may have (all of them when `nullable`). */
  nonEmpty(hs: readonly Heap[], nullable: boolean): Heap[] {
    return nullable ? [...hs] : hs.filter((h) => !this.empty(h));
  }
  randVal(limit: number, refs = 0.45): ValT {
    const r = this.rng;
    return r.chance(refs) ? this.randRef(limit) : r.pick([I32, I32, I64, F32, F64]);
  }
  randStorage(limit: number): Storage {
    return this.rng.chance(0.2) ? this.rng.pick([I8, I16]) : this.randVal(limit, 0.35);
  }

  genTypes(): void {
    const r = this.rng;
    // A fifth of the modules have deep hierarchies: more types, most extending the latest open one.
    const deep = r.chance(0.2);
    const n = deep ? 12 + r.below(12) : 3 + r.below(8);
    const groups: [number, number][] = [];
    while (this.types.length < n) {
      const start = this.types.length;
      const size = 1 + r.below(deep ? 5 : 3);
      const end = start + size;
      for (let i = start; i < end; i++) {
        const kind = r.pick(['struct', 'struct', 'array', 'func'] as const);
        const opens = this.types.map((_, j) => j).filter((j) => !this.types[j]!.final && this.types[j]!.comp.kind === kind);
        const sup = opens.length === 0 ? null : deep && r.chance(0.8) ? opens[opens.length - 1]! : r.chance(0.5) ? r.pick(opens) : null;
        let comp: Comp;
        if (kind === 'struct') {
          // A subtype repeats its supertype's fields, immutable ones maybe with a subtype.
          const inherited = sup === null ? [] : this.fieldsOf(sup).map((f) => (f.mut ? f : { t: this.narrow(f.t), mut: false }));
          const extra = Array.from({ length: r.below(4) }, () => ({ t: this.randStorage(end), mut: r.chance(0.6) }));
          comp = { kind, fields: [...inherited, ...extra] };
        } else if (kind === 'array') {
          const a = sup === null ? null : this.arrayOf(sup);
          comp = a === null ? { kind, elem: this.randStorage(end), mut: r.chance(0.7) } : { kind, elem: a.mut ? a.elem : this.narrow(a.elem), mut: a.mut };
        } else {
          // A func subtype: params maybe wider, results maybe narrower.
          const f = sup === null ? null : this.funcOf(sup);
          comp = f === null
            ? { kind, params: Array.from({ length: r.below(4) }, () => this.randVal(end)), results: Array.from({ length: r.below(3) }, () => this.randVal(end)) }
            : { kind, params: f.params.map((p) => this.widen(p)), results: f.results.map((x) => this.narrow(x)) };
        }
        this.types.push({ comp, sup, final: r.chance(deep ? 0.1 : 0.3), groupEnd: end });
      }
      groups.push([start, end]);
      // Now and then a copy of an earlier rec group: the same types again (iso-recursive type
      // equivalence: casts between the copies must succeed).
      if (r.chance(0.25)) {
        const [gs, ge] = r.pick(groups);
        const off = this.types.length - gs;
        const move = (h: Heap) => (isIdx(h) && h >= gs && h < ge ? h + off : h);
        const moveT = (t: ValT): ValT => (isRef(t) ? ref(move(t.heap), t.nullable) : t);
        for (let j = gs; j < ge; j++) {
          const d = this.types[j]!;
          const c = d.comp;
          const comp: Comp = c.kind === 'struct' ? { kind: 'struct', fields: c.fields.map((f) => ({ t: moveT(f.t), mut: f.mut })) }
            : c.kind === 'array' ? { kind: 'array', elem: moveT(c.elem), mut: c.mut }
            : { kind: 'func', params: c.params.map(moveT), results: c.results.map(moveT) };
          this.types.push({ comp, sup: d.sup === null ? null : move(d.sup), final: d.final, groupEnd: ge + off });
        }
        groups.push([gs + off, ge + off]);
      }
    }
  }

  /** A subtype of t among the types defined so far (t itself, often). */
  narrow(t: Storage): Storage {
    if (!isRef(t) || this.rng.chance(0.5) || (isIdx(t.heap) && t.heap >= this.types.length)) return t;
    return ref(this.rng.pick(this.below(t.heap)), t.nullable && this.rng.chance(0.7));
  }
  /** A supertype of t. */
  widen(t: ValT): ValT {
    if (!isRef(t) || this.rng.chance(0.5) || (isIdx(t.heap) && t.heap >= this.types.length)) return t;
    const ups = this.hierarchy(this.top(t.heap)).filter((x) => this.subHeap(t.heap, x));
    return ref(this.rng.pick(ups), t.nullable || this.rng.chance(0.5));
  }

  /** A func type (params, results) appended to the type section as its own group. */
  addFuncType(params: ValT[], results: ValT[]): number {
    this.types.push({ comp: { kind: 'func', params, results }, sup: null, final: true, groupEnd: this.types.length + 1 });
    return this.types.length - 1;
  }

  /** Block types with params or several results: a func type added at the end (its own group). */
  typeIndexFor(params: ValT[], results: ValT[]): number {
    const key = JSON.stringify([params, results]);
    let i = this.blockTypes.get(key);
    if (i === undefined) {
      i = this.addFuncType(params, results);
      this.blockTypes.set(key, i);
    }
    return i;
  }
  private readonly blockTypes = new Map<string, number>();

  // -------------------------------------------------------------------------------------------
  // Encoding

  heapBytes(h: Heap): number[] {
    return isIdx(h) ? s32(h) : [h];
  }
  valBytes(t: ValT): number[] {
    if (!isRef(t)) return [t];
    // Nullable abstract types have one-byte shorthands.
    if (t.nullable && !isIdx(t.heap) && this.rng.chance(0.5)) return [t.heap];
    return [t.nullable ? 0x63 : 0x64, ...this.heapBytes(t.heap)];
  }
  compBytes(c: Comp): number[] {
    if (c.kind === 'struct') return [0x5f, ...vec(c.fields.map((f) => [...this.valBytes(f.t), f.mut ? 1 : 0]))];
    if (c.kind === 'array') return [0x5e, ...this.valBytes(c.elem), c.mut ? 1 : 0];
    return [0x60, ...vec(c.params.map((t) => this.valBytes(t))), ...vec(c.results.map((t) => this.valBytes(t)))];
  }
  typeSection(): number[] {
    const groups: number[][] = [];
    for (let i = 0; i < this.types.length;) {
      const end = this.types[i]!.groupEnd;
      const subs: number[][] = [];
      for (let j = i; j < end; j++) {
        const d = this.types[j]!;
        const comp = this.compBytes(d.comp);
        if (d.sup === null && d.final && this.rng.chance(0.5)) subs.push(comp);
        else subs.push([d.final ? 0x4f : 0x50, ...vec(d.sup === null ? [] : [u32(d.sup)]), ...comp]);
      }
      groups.push(subs.length === 1 && this.rng.chance(0.5) ? subs[0]! : [0x4e, ...vec(subs)]);
      i = end;
    }
    return section(1, vec(groups));
  }
}

/** An i32 const, an i64 const and the like. */
function numConst(rng: Rng, t: number): number[] {
  switch (t) {
    case I32: return [0x41, ...s32(randI32(rng))];
    case I64: return [0x42, ...s64(randI64(rng))];
    case F32: { const b = randF32Bits(rng); return [0x43, b & 0xff, (b >>> 8) & 0xff, (b >>> 16) & 0xff, b >>> 24]; }
    default: { const b = randF64Bits(rng); return [0x44, ...Array.from({ length: 8 }, (_, k) => Number((b >> BigInt(8 * k)) & 0xffn))]; }
  }
}
const gc = (sub: number, ...imm: number[]) => [0xfb, ...u32(sub), ...imm];
/** Global 1: the hash of observed values (global 0 is the call budget). */
const HASH = 1;

/** A label of the function being generated: a statement block (`br_if` may leave it) or another. */
interface Label { readonly kind: 'stmt' | 'other' }

class FuncGen {
  readonly locals: ValT[];
  readonly labels: Label[] = [];
  /** Loop counters: no statement sets them but their loop's. */
  readonly counters = new Set<number>();
  constructor(readonly m: ModuleGen, readonly rng: Rng, params: readonly ValT[], readonly results: readonly ValT[], readonly funcCount: number) {
    this.locals = [...params];
  }
  addLocal(t: ValT): number {
    this.locals.push(t);
    return this.locals.length - 1;
  }
  /** Body-declared locals in the code section's run-length form (after `params` of them). */
  localDecls(params: number): number[][] {
    return this.locals.slice(params).map((t) => [1, ...this.m.valBytes(t)]);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  expr(t: ValT, d: number): number[] {
    return isRef(t) ? this.refExpr(t, d) : this.numExpr(t, d);
  }

  /** Small index: mostly in 0..7. */
  index(d: number): number[] {
    const r = this.rng;
    if (r.chance(0.35)) return [0x41, ...s32(r.below(6))];
    if (r.chance(0.85)) return [...this.numExpr(I32, d + 1), 0x41, 7, 0x71];
    return this.numExpr(I32, d + 1);
  }
  /** An array length: mostly small, now and then huge. */
  length(d: number): number[] {
    const r = this.rng;
    // Past 2^31 elements: beyond both engines' limits (V8 allows fewer, tswasm up to 2 GiB of
    // numeric elements, each an implementation's choice), so both trap.
    if (r.chance(0.03)) return [0x41, ...s32(r.pick([-1, 0x80000001 | 0, -16]))];
    if (r.chance(0.4)) return [0x41, ...s32(r.below(6))];
    return [...this.numExpr(I32, d + 1), 0x41, 7, 0x71];
  }

  matchingLocals(t: ValT): number[] {
    return this.locals.map((_, i) => i).filter((i) => this.m.sub(this.locals[i]!, t));
  }
  matchingGlobals(t: ValT): number[] {
    return this.m.globals.map((_, i) => i).filter((i) => this.m.sub(this.m.globals[i]!.t, t));
  }
  /** Functions f0..f(n-1) whose one result is a subtype of t. */
  callables(t: ValT): number[] {
    const out: number[] = [];
    for (let f = 0; f < this.funcCount; f++) {
      const res = this.m.funcOf(this.m.funcTypes[f]!).results;
      if (res.length === 1 && this.m.sub(res[0]!, t)) out.push(f);
    }
    return out;
  }
  /** Func types (of functions) with one result, a subtype of t. */
  callRefTypes(t: ValT): number[] {
    return [...new Set(this.m.funcTypes.slice(0, this.funcCount))].filter((ft) => {
      const res = this.m.funcOf(ft).results;
      return res.length === 1 && this.m.sub(res[0]!, t);
    });
  }
  args(params: readonly ValT[], d: number): number[] {
    return params.flatMap((p) => this.expr(p, d + 1));
  }
  /** `call f` with arguments, or `call_ref` through a reference of f's type. */
  callOf(f: number, d: number): number[] {
    const ft = this.m.funcTypes[f]!;
    const params = this.m.funcOf(ft).params;
    if (this.rng.chance(0.35)) return [...this.args(params, d), ...this.refExpr(ref(ft, this.rng.chance(0.3)), d + 1), 0x14, ...u32(ft)];
    // call_indirect through table 0, whose slots hold whatever functions the code stored there.
    if (this.rng.chance(0.2)) return [...this.args(params, d), ...this.tableIndex(d), 0x11, ...u32(ft), 0];
    return [...this.args(params, d), 0x10, ...u32(f)];
  }

  numExpr(t: number, d: number): number[] {
    const r = this.rng;
    const m = this.m;
    const leaf = d >= 5 || r.chance(0.15);
    if (leaf || r.chance(0.15)) {
      const ls = this.matchingLocals(t);
      const gs = this.matchingGlobals(t);
      const k = r.below(3);
      if (k === 0 && ls.length > 0) return [0x20, ...u32(r.pick(ls))];
      if (k === 1 && gs.length > 0) return [0x23, ...u32(r.pick(gs))];
      return numConst(r, t);
    }
    const options: (() => number[] | null)[] = [];
    // struct.get of a field of this type.
    options.push(() => {
      const cands: [number, number][] = [];
      for (const s of m.structs()) m.fieldsOf(s).forEach((f, i) => { if (unpacked(f.t) === t) cands.push([s, i]); });
      if (cands.length === 0) return null;
      const [s, i] = r.pick(cands);
      const ft = m.fieldsOf(s)[i]!.t;
      const op = ft === I8 || ft === I16 ? (r.chance(0.5) ? 3 : 4) : 2;
      return [...this.refExpr(ref(r.pick(m.below(s).filter(isIdx)), r.chance(0.08)), d + 1), ...gc(op, ...u32(s), ...u32(i))];
    });
    // array.get
    options.push(() => {
      const cands = m.arrays().filter((a) => unpacked(m.arrayOf(a).elem) === t);
      if (cands.length === 0) return null;
      const a = r.pick(cands);
      const et = m.arrayOf(a).elem;
      const op = et === I8 || et === I16 ? (r.chance(0.5) ? 12 : 13) : 11;
      return [...this.refExpr(ref(r.pick(m.below(a).filter(isIdx)), r.chance(0.08)), d + 1), ...this.index(d), ...gc(op, ...u32(a))];
    });
    options.push(() => {
      const fs = this.callables(t);
      return fs.length === 0 ? null : this.callOf(r.pick(fs), d);
    });
    options.push(() => {
      const fts = this.callRefTypes(t);
      if (fts.length === 0) return null;
      const ft = r.pick(fts);
      return [...this.args(m.funcOf(ft).params, d), ...this.refExpr(ref(ft, r.chance(0.2)), d + 1), 0x14, ...u32(ft)];
    });
    options.push(() => this.ifElse(t, d));
    options.push(() => [...this.numExpr(t, d + 1), ...this.numExpr(t, d + 1), ...this.numExpr(I32, d + 1), 0x1b]);
    options.push(() => this.block(t, d));
    if (t === I32) {
      options.push(() => [...this.numExpr(I32, d + 1), ...this.numExpr(I32, d + 1), r.pick([0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x46, 0x47, 0x48, 0x4b])]);
      options.push(() => [...this.numExpr(I32, d + 1), 0x45]);
      options.push(() => [...this.numExpr(I64, d + 1), 0xa7]);
      options.push(() => [...this.numExpr(F32, d + 1), 0xbc]);
      // ref.is_null, ref.test, ref.eq, i31.get, array.len, table.size / grow
      options.push(() => [...this.refExpr(this.anyRefType(), d + 1), 0xd1]);
      options.push(() => {
        const top = r.pick([ANY, ANY, ANY, FUNC, EXTERN]);
        const tt = ref(r.pick(m.hierarchy(top)), r.chance(0.4));
        return [...this.refExpr(ref(top, true), d + 1), ...gc(tt.nullable ? 21 : 20, ...m.heapBytes(tt.heap))];
      });
      options.push(() => [...this.refExpr(m.inhabited(r.pick(m.below(EQ)), r.chance(0.5)), d + 1), ...this.refExpr(m.inhabited(r.pick(m.below(EQ)), r.chance(0.5)), d + 1), 0xd3]);
      options.push(() => {
        // ref.eq of a value and itself, maybe after a round trip through externref and a cast
        // back, or of two i31s (equal by value).
        if (r.chance(0.3)) {
          const v = r.chance(0.5) ? randI32(r) : r.below(4);
          return [0x41, ...s32(v), ...gc(28), 0x41, ...s32(r.chance(0.5) ? v : v ^ (1 << 30)), ...gc(28), 0xd3];
        }
        const t = m.inhabited(r.pick(m.below(EQ)), r.chance(0.3));
        const tmp = this.addLocal(ref(t.heap, true));
        const back = r.chance(0.5) ? [...gc(27), ...gc(26), ...gc(t.nullable ? 23 : 22, ...m.heapBytes(t.heap))] : [];
        return [...this.refExpr(t, d + 1), 0x21, ...u32(tmp), 0x20, ...u32(tmp), 0x20, ...u32(tmp), ...back, 0xd3];
      });
      options.push(() => [...this.refExpr(ref(I31, r.chance(0.2)), d + 1), ...gc(r.chance(0.5) ? 29 : 30)]);
      options.push(() => [...this.refExpr(m.inhabited(r.pick(m.below(ARRAY)), r.chance(0.08)), d + 1), ...gc(15)]);
      options.push(() => {
        const ti = r.below(m.tables.length);
        if (r.chance(0.5)) return [0xfc, 16, ...u32(ti)];
        return [...this.refExpr(m.tables[ti]!, d + 1), 0x41, r.below(3), 0xfc, 15, ...u32(ti)];
      });
    } else if (t === I64) {
      options.push(() => [...this.numExpr(I64, d + 1), ...this.numExpr(I64, d + 1), r.pick([0x7c, 0x7d, 0x7e, 0x85, 0x86, 0x83])]);
      options.push(() => [...this.numExpr(I32, d + 1), r.pick([0xac, 0xad])]);
      options.push(() => [...this.numExpr(F64, d + 1), 0xbd]);
    } else if (t === F32) {
      options.push(() => [...this.numExpr(I32, d + 1), r.pick([0xb2, 0xb3, 0xbe])]);
    } else {
      options.push(() => [...this.numExpr(I32, d + 1), r.pick([0xb7, 0xb8])]);
      options.push(() => [...this.numExpr(I64, d + 1), r.pick([0xb9, 0xbf])]);
    }
    if (this.m.exnref && r.chance(0.15)) options.push(() => this.tryTable(t, d));
    for (let tries = 0; tries < 6; tries++) {
      const code = r.pick(options)();
      if (code !== null) return code;
    }
    return numConst(r, t);
  }

  anyRefType(): RefT {
    const r = this.rng;
    const top = r.pick([ANY, ANY, ANY, FUNC, EXTERN]);
    return this.m.inhabited(r.pick(this.m.hierarchy(top)), r.chance(0.6));
  }

  /** `if (result t)` with a value in each arm. */
  ifElse(t: ValT, d: number): number[] {
    const cond = this.numExpr(I32, d + 1);
    this.labels.push({ kind: 'other' });
    const code = [...cond, 0x04, ...this.m.valBytes(t), ...this.expr(t, d + 1), 0x05, ...this.expr(t, d + 1), 0x0b];
    this.labels.pop();
    return code;
  }

  /** `block (result t)` with statements and a value, sometimes left by br_table to one of three labels. */
  block(t: ValT, d: number): number[] {
    const r = this.rng;
    const bt = this.m.valBytes(t);
    if (r.chance(0.3)) {
      this.labels.push({ kind: 'other' }, { kind: 'other' }, { kind: 'other' });
      const targets = Array.from({ length: 1 + r.below(3) }, () => r.below(3));
      const code = [0x02, ...bt, 0x02, ...bt, 0x02, ...bt, ...this.expr(t, d + 1), ...this.numExpr(I32, d + 1), 0x0e, ...vec(targets.map((x) => [x])), r.below(3), 0x0b];
      this.labels.pop();
      if (r.chance(0.5)) code.push(0x1a, ...this.expr(t, d + 1));
      code.push(0x0b);
      this.labels.pop();
      code.push(0x0b);
      this.labels.pop();
      return code;
    }
    if (r.chance(0.25)) return this.multiBlock(t, d);
    this.labels.push({ kind: 'other' });
    const code = [0x02, ...bt, ...this.stmts(d + 1, 2), ...this.expr(t, d + 1), 0x0b];
    this.labels.pop();
    return code;
  }

  /**
   * A block or if with params and two results (t and another, dropped): the params are taken into
   * fresh locals, and the results leave at the end or by a br_if with values.
   */
  multiBlock(t: ValT, d: number): number[] {
    const r = this.rng;
    const m = this.m;
    const params = Array.from({ length: 1 + r.below(2) }, () => m.randVal(m.types.length, 0.6));
    const u = m.randVal(m.types.length, 0.5);
    const bt = this.blockType(params, [t, u]);
    const code = params.flatMap((p) => this.expr(p, d + 1));
    const isIf = r.chance(0.4);
    if (isIf) code.push(...this.numExpr(I32, d + 1));
    this.labels.push({ kind: 'other' });
    const arm = () => {
      const locals = params.map((p) => this.addLocal(isRef(p) ? ref(p.heap, true) : p));
      const out: number[] = [];
      for (let k = locals.length - 1; k >= 0; k--) out.push(0x21, ...u32(locals[k]!));
      out.push(...this.stmts(d + 1, 2));
      if (r.chance(0.3)) out.push(...this.expr(t, d + 1), ...this.expr(u, d + 1), ...this.numExpr(I32, d + 1), 0x0d, 0, 0x1a, 0x1a);
      out.push(...this.expr(t, d + 1), ...this.expr(u, d + 1));
      return out;
    };
    code.push(isIf ? 0x04 : 0x02, ...bt, ...arm());
    if (isIf) code.push(0x05, ...arm());
    code.push(0x0b, 0x1a);
    this.labels.pop();
    return code;
  }

  refExpr(t: RefT, d: number): number[] {
    const r = this.rng;
    const m = this.m;
    const h = t.heap;
    const below = m.below(h);
    const terminal = (): number[] | null => {
      const ls = this.matchingLocals(t);
      const gs = this.matchingGlobals(t);
      const k = r.below(4);
      if (k === 0 && ls.length > 0) return [0x20, ...u32(r.pick(ls))];
      if (k === 1 && gs.length > 0) return [0x23, ...u32(r.pick(gs))];
      if (t.nullable) return [0xd0, ...m.heapBytes(r.chance(0.5) ? h : r.pick(below))];
      if (ls.length > 0) return [0x20, ...u32(r.pick(ls))];
      if (gs.length > 0) return [0x23, ...u32(r.pick(gs))];
      return null;
    };
    if (d >= 5 || r.chance(0.12) || m.top(h) === EXN) {
      const code = terminal();
      if (code !== null) return code;
      // Cheap allocations that need no operands.
      if (below.includes(I31)) return [0x41, ...s32(randI32(r)), ...gc(28)];
      if (h === EXTERN) return [0x41, ...s32(randI32(r)), ...gc(28), ...gc(27)];
      const dflt = below.filter((x) => isIdx(x) && m.types[x]!.comp.kind === 'struct' && m.fieldsOf(x).every((f) => m.defaultable(f.t)));
      if (dflt.length > 0) return gc(1, ...u32(r.pick(dflt)));
      const fs = Array.from({ length: this.funcCount }, (_, f) => f).filter((f) => m.subHeap(m.funcTypes[f]!, h));
      if (fs.length > 0) return [0xd2, ...u32(r.pick(fs))];
      const arrays = below.filter((x) => isIdx(x) && m.types[x]!.comp.kind === 'array');
      if (arrays.length > 0) return gc(8, ...u32(r.pick(arrays)), 0);
      const structs = below.filter((x) => isIdx(x) && m.types[x]!.comp.kind === 'struct');
      if (structs.length > 0 && d < 9) {
        const s = r.pick(structs);
        return [...m.fieldsOf(s).flatMap((f) => this.expr(unpacked(f.t), d + 1)), ...gc(0, ...u32(s))];
      }
      // No value of this type can be made without operands: a cast of null (traps).
      return [0xd0, ...m.heapBytes(m.bottom(h)), ...gc(22, ...m.heapBytes(h))];
    }
    const options: (() => number[] | null)[] = [terminal];
    const structsBelow = below.filter((x) => isIdx(x) && m.types[x]!.comp.kind === 'struct');
    const arraysBelow = below.filter((x) => isIdx(x) && m.types[x]!.comp.kind === 'array');
    const funcsBelow = below.filter((x) => isIdx(x) && m.types[x]!.comp.kind === 'func');
    if (structsBelow.length > 0) {
      options.push(() => {
        const s = r.pick(structsBelow);
        const fields = m.fieldsOf(s);
        if (fields.every((f) => m.defaultable(f.t)) && r.chance(0.3)) return gc(1, ...u32(s));
        return [...fields.flatMap((f) => this.expr(unpacked(f.t), d + 1)), ...gc(0, ...u32(s))];
      });
    }
    if (arraysBelow.length > 0) {
      options.push(() => {
        const a = r.pick(arraysBelow);
        const et = m.arrayOf(a).elem;
        const ut = unpacked(et);
        // (array.new_elem needs a ref array and a segment that fits: rarer, so favoured.)
        const k = isRef(et) && r.chance(0.4) ? 3 : r.below(5);
        if (k === 0 && m.defaultable(et)) return [...this.length(d), ...gc(7, ...u32(a))];
        if (k === 1) {
          const n = r.below(5);
          return [...Array.from({ length: n }, () => this.expr(ut, d + 1)).flat(), ...gc(8, ...u32(a), ...u32(n))];
        }
        if (k === 2 && !isRef(et) && m.dataLens.length > 0) return [...this.index(d), ...this.length(d), ...gc(9, ...u32(a), ...u32(r.below(m.dataLens.length)))];
        if (k === 3 && isRef(et)) {
          const segs = m.elemTypes.map((_, i) => i).filter((i) => m.sub(m.elemTypes[i]!, et));
          if (segs.length > 0) return [...this.index(d), ...this.length(d), ...gc(10, ...u32(a), ...u32(r.pick(segs)))];
        }
        return [...this.expr(ut, d + 1), ...this.length(d), ...gc(6, ...u32(a))];
      });
    }
    if (below.includes(I31)) options.push(() => [...this.numExpr(I32, d + 1), ...gc(28)]);
    if (funcsBelow.length > 0 || h === FUNC) {
      options.push(() => {
        const fs = Array.from({ length: this.funcCount }, (_, f) => f).filter((f) => m.subHeap(m.funcTypes[f]!, h));
        return fs.length === 0 ? null : [0xd2, ...u32(r.pick(fs))];
      });
    }
    // struct.get / array.get of a ref field or element of a subtype of t.
    options.push(() => {
      const cands: [number, number][] = [];
      for (const s of m.structs()) m.fieldsOf(s).forEach((f, i) => { if (isRef(f.t) && m.sub(f.t, t)) cands.push([s, i]); });
      if (cands.length === 0) return null;
      const [s, i] = r.pick(cands);
      return [...this.refExpr(ref(r.pick(m.below(s).filter(isIdx)), r.chance(0.08)), d + 1), ...gc(2, ...u32(s), ...u32(i))];
    });
    options.push(() => {
      const cands = m.arrays().filter((a) => isRef(m.arrayOf(a).elem) && m.sub(m.arrayOf(a).elem, t));
      if (cands.length === 0) return null;
      const a = r.pick(cands);
      return [...this.refExpr(ref(r.pick(m.below(a).filter(isIdx)), r.chance(0.08)), d + 1), ...this.index(d), ...gc(11, ...u32(a))];
    });
    // ref.cast from the top of the hierarchy, bare or guarded by ref.test.
    options.push(() => {
      const top = m.top(h);
      const src = m.inhabited(r.pick(m.hierarchy(top)), r.chance(0.6));
      const cast = gc(t.nullable ? 23 : 22, ...m.heapBytes(h));
      // A value of a subtype of t seen as the hierarchy's top (through a block), cast back down:
      // the cast succeeds (unless a null meets a non-nullable cast) but only a run-time check shows it.
      if (r.chance(0.4)) {
        this.labels.push({ kind: 'other' });
        const inner = this.refExpr(ref(r.pick(below), r.chance(0.2)), d + 1);
        this.labels.pop();
        return [0x02, ...m.valBytes(ref(top, true)), ...inner, 0x0b, ...cast];
      }
      if (r.chance(0.15)) return [...this.refExpr(src, d + 1), ...cast];
      const tmp = this.addLocal(ref(src.heap, true));
      const value = this.refExpr(src, d + 1);
      this.labels.push({ kind: 'other' });
      const otherwise = this.refExpr(t, d + 1);
      this.labels.pop();
      return [...value, 0x22, ...u32(tmp), ...gc(t.nullable ? 21 : 20, ...m.heapBytes(h)), 0x04, ...m.valBytes(t),
        0x20, ...u32(tmp), ...cast, 0x05, ...otherwise, 0x0b];
    });
    if (!t.nullable) options.push(() => [...this.refExpr(ref(h, true), d + 1), 0xd4]);
    // br_on_null / br_on_non_null
    if (!t.nullable) {
      options.push(() => {
        const bt = m.valBytes(t);
        this.labels.push({ kind: 'other' }, { kind: 'other' });
        const code = [0x02, ...bt, 0x02, 0x40, ...this.refExpr(ref(h, true), d + 1), 0xd5, 0, 0x0c, 1, 0x0b];
        this.labels.pop();
        code.push(...this.refExpr(t, d + 1), 0x0b);
        this.labels.pop();
        return code;
      });
      options.push(() => {
        this.labels.push({ kind: 'other' });
        const code = [0x02, ...m.valBytes(t), ...this.refExpr(ref(h, true), d + 1), 0xd6, 0, ...this.refExpr(t, d + 1), 0x0b];
        this.labels.pop();
        return code;
      });
    }
    // br_on_cast, br_on_cast_fail, br_on_null and br_on_non_null to a label of two values, [u, t]:
    // the value beneath the reference goes along (then dropped from under t).
    options.push(() => {
      const u = m.randVal(m.types.length, 0.4);
      const bt = this.blockType([], [u, t]);
      const keep = this.addLocal(t.nullable ? t : ref(h, true));
      this.labels.push({ kind: 'other' });
      const code = [0x02, ...bt, ...this.expr(u, d + 1)];
      const k = r.below(3);
      if (k === 0) {
        const rt1 = m.inhabited(r.pick(m.hierarchy(m.top(h))), r.chance(0.7));
        const rt2s = m.below(rt1.heap).filter((x) => m.subHeap(x, h));
        if (rt2s.length === 0) code.push(...this.refExpr(t, d + 1));
        else {
          const rt2 = ref(r.pick(rt2s), t.nullable && rt1.nullable && r.chance(0.5));
          code.push(...this.refExpr(rt1, d + 1), ...gc(24, (rt1.nullable ? 1 : 0) | (rt2.nullable ? 2 : 0), 0, ...m.heapBytes(rt1.heap), ...m.heapBytes(rt2.heap)), 0x1a, ...this.refExpr(t, d + 1));
        }
      } else if (k === 1 && !t.nullable) {
        code.push(...this.refExpr(ref(h, true), d + 1), 0xd6, 0, ...this.refExpr(t, d + 1));
      } else {
        const rt1Heaps = m.nonEmpty(below, t.nullable);
        const rt1 = ref(rt1Heaps.length > 0 ? r.pick(rt1Heaps) : h, t.nullable && r.chance(0.6));
        const rt2 = ref(r.pick(m.below(rt1.heap)), rt1.nullable && r.chance(0.5));
        code.push(...this.refExpr(rt1, d + 1), ...gc(25, (rt1.nullable ? 1 : 0) | (rt2.nullable ? 2 : 0), 0, ...m.heapBytes(rt1.heap), ...m.heapBytes(rt2.heap)), 0x1a, ...this.refExpr(t, d + 1));
      }
      code.push(0x0b);
      this.labels.pop();
      // [u, t] -> [t]: t into a local, u dropped, t back (a non-null t's local is nullable: cast back).
      code.push(0x21, ...u32(keep), 0x1a, 0x20, ...u32(keep));
      if (!t.nullable) code.push(0xd4);
      return code;
    });
    // br_on_cast: to t from the hierarchy's top; br_on_cast_fail: a source whose failure type fits t.
    options.push(() => {
      const top = m.top(h);
      const rt1 = m.inhabited(r.pick(m.hierarchy(top)), r.chance(0.7));
      const rt2Cands = m.below(rt1.heap).filter((x) => m.subHeap(x, h));
      if (rt2Cands.length === 0) return null;
      const rt2 = ref(r.pick(rt2Cands), t.nullable && rt1.nullable && r.chance(0.5));
      this.labels.push({ kind: 'other' });
      const flags = (rt1.nullable ? 1 : 0) | (rt2.nullable ? 2 : 0);
      const code = [0x02, ...m.valBytes(t), ...this.refExpr(rt1, d + 1), ...gc(24, flags, 0, ...m.heapBytes(rt1.heap), ...m.heapBytes(rt2.heap)), 0x1a, ...this.refExpr(t, d + 1), 0x0b];
      this.labels.pop();
      return code;
    });
    options.push(() => {
      const rt1Heaps = m.nonEmpty(below, t.nullable);
      const rt1 = ref(rt1Heaps.length > 0 ? r.pick(rt1Heaps) : h, t.nullable && r.chance(0.6));
      const rt2 = ref(r.pick(m.below(rt1.heap)), rt1.nullable && r.chance(0.5));
      const flags = (rt1.nullable ? 1 : 0) | (rt2.nullable ? 2 : 0);
      this.labels.push({ kind: 'other' });
      const code = [0x02, ...m.valBytes(t), ...this.refExpr(rt1, d + 1), ...gc(25, flags, 0, ...m.heapBytes(rt1.heap), ...m.heapBytes(rt2.heap)), 0x1a, ...this.refExpr(t, d + 1), 0x0b];
      this.labels.pop();
      return code;
    });
    if (h === ANY) options.push(() => [...this.refExpr(ref(r.pick([EXTERN, NOEXTERN]), t.nullable && r.chance(0.6)), d + 1), ...gc(26)]);
    if (h === EXTERN) options.push(() => [...this.refExpr(ref(r.pick(m.nonEmpty(m.hierarchy(ANY), t.nullable)), t.nullable && r.chance(0.6)), d + 1), ...gc(27)]);
    options.push(() => {
      const fs = this.callables(t);
      return fs.length === 0 ? null : this.callOf(r.pick(fs), d);
    });
    options.push(() => this.ifElse(t, d));
    options.push(() => [...this.refExpr(t, d + 1), ...this.refExpr(t, d + 1), ...this.numExpr(I32, d + 1), 0x1c, 1, ...m.valBytes(t)]);
    options.push(() => this.block(t, d));
    options.push(() => {
      const ts = m.tables.map((_, i) => i).filter((i) => m.sub(m.tables[i]!, t));
      if (ts.length === 0) return null;
      return [0x41, r.below(5), 0x25, ...u32(r.pick(ts))];
    });
    if (this.m.exnref && r.chance(0.1)) options.push(() => this.tryTable(t, d));
    for (let tries = 0; tries < 8; tries++) {
      const code = r.pick(options)();
      if (code !== null) return code;
    }
    return terminal() ?? [0xd0, ...m.heapBytes(m.bottom(h)), ...gc(22, ...m.heapBytes(h))];
  }

  // -------------------------------------------------------------------------------------------
  // Exceptions (exnref)

  /**
   * A value of type t from a try_table: the body computes t (and may throw: a throw of a random
   * tag, a throw_ref of a caught exception, or calls that throw); handlers catch into blocks that
   * turn the payload into t.
   */
  tryTable(t: ValT, d: number): number[] {
    const r = this.rng;
    const m = this.m;
    const bt = m.valBytes(t);
    // Handlers: each targets its own block around the try_table; the block's results are the
    // caught values, turned into t after it.
    const handlers = Array.from({ length: 1 + r.below(3) }, () => {
      const kind = r.below(4); // catch, catch_ref, catch_all, catch_all_ref
      const tag = kind < 2 ? r.below(m.tags.length) : -1;
      return { kind, tag };
    });
    const payload = (h: { kind: number; tag: number }): ValT[] => {
      const p = h.tag >= 0 ? [...m.funcOf(m.tags[h.tag]!).params] : [];
      if (h.kind === 1 || h.kind === 3) p.push(ref(EXN, false));
      return p;
    };
    const code: number[] = [0x02, ...bt]; // $done: the whole expression's result
    this.labels.push({ kind: 'other' });
    for (let i = handlers.length - 1; i >= 0; i--) {
      const ts = payload(handlers[i]!);
      code.push(0x02, ...this.blockType([], ts));
      this.labels.push({ kind: 'other' });
    }
    code.push(0x1f, ...bt, ...vec(handlers.map((h, i) => [h.kind, ...(h.tag >= 0 ? u32(h.tag) : []), ...u32(i)])));
    this.labels.push({ kind: 'other' });
    const body: number[] = [...this.stmts(d + 1, 2)];
    if (r.chance(0.5)) body.push(...this.throwCode(d));
    body.push(...this.expr(t, d + 1));
    code.push(...body, 0x0b, 0x0c, ...u32(handlers.length)); // try_table end; br $done
    this.labels.pop();
    for (let i = 0; i < handlers.length; i++) {
      code.push(0x0b); // end of handler i's block: its payload is on the stack
      this.labels.pop();
      const ts = payload(handlers[i]!);
      // Keep the exnref, maybe rethrowing it; fold the rest away.
      const locals = ts.map((x) => this.addLocal(isRef(x) ? ref(x.heap, true) : x));
      for (let k = ts.length - 1; k >= 0; k--) code.push(0x21, ...u32(locals[k]!));
      const exn = ts.length > 0 && isRef(ts[ts.length - 1]!) && (ts[ts.length - 1] as RefT).heap === EXN ? locals[ts.length - 1]! : -1;
      const exnGlobals = m.globals.map((_, g) => g).filter((g) => m.globals[g]!.t === EXNREF);
      if (exn >= 0 && exnGlobals.length > 0 && r.chance(0.4)) code.push(0x20, ...u32(exn), 0x24, ...u32(r.pick(exnGlobals)));
      if (exn >= 0 && r.chance(0.3)) code.push(0x20, ...u32(exn), 0xd4, 0x0a);
      else if (exn >= 0 && r.chance(0.3)) code.push(...this.numExpr(I32, d + 1), 0x04, 0x40, 0x20, ...u32(exn), 0xd4, 0x0a, 0x0b);
      code.push(...this.expr(t, d + 1));
      if (i < handlers.length - 1) code.push(0x0c, ...u32(handlers.length - 1 - i));
    }
    code.push(0x0b);
    this.labels.pop();
    return code;
  }
  /** A block type for params -> results: a one-value shorthand or a new func type. */
  blockType(params: ValT[], results: ValT[]): number[] {
    if (params.length === 0 && results.length === 0) return [0x40];
    if (params.length === 0 && results.length === 1) return this.m.valBytes(results[0]!);
    return s32(this.m.typeIndexFor(params, results));
  }
  /** throw of a tag with its payload, or throw_ref of null or of a global's exnref. */
  throwCode(d: number): number[] {
    const r = this.rng;
    const m = this.m;
    if (r.chance(0.15)) {
      const gs = this.matchingGlobals(EXNREF);
      if (gs.length > 0) return [0x23, ...u32(r.pick(gs)), 0x0a];
      return [0xd0, EXN, 0x0a];
    }
    const tag = r.below(m.tags.length);
    return [...this.args(m.funcOf(m.tags[tag]!).params, d), 0x08, ...u32(tag)];
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  stmts(d: number, max: number): number[] {
    const n = this.rng.below(max + 1);
    const code: number[] = [];
    for (let i = 0; i < n; i++) code.push(...this.stmt(d));
    return code;
  }

  stmt(d: number): number[] {
    const r = this.rng;
    const m = this.m;
    if (d >= 4) return this.rng.chance(0.5) ? [...this.numExpr(I32, d), 0x1a] : [];
    const options: (() => number[] | null)[] = [
      () => {
        const i = r.below(this.locals.length);
        if (this.locals.length === 0 || this.counters.has(i)) return null;
        return [...this.expr(this.locals[i]!, d + 1), 0x21, ...u32(i)];
      },
      () => {
        const gs = m.globals.map((_, i) => i).filter((i) => i > HASH && m.globals[i]!.mut);
        if (gs.length === 0) return null;
        const g = r.pick(gs);
        return [...this.expr(m.globals[g]!.t, d + 1), 0x24, ...u32(g)];
      },
      () => {
        const cands: [number, number][] = [];
        for (const s of m.structs()) m.fieldsOf(s).forEach((f, i) => { if (f.mut) cands.push([s, i]); });
        if (cands.length === 0) return null;
        const [s, i] = r.pick(cands);
        return [...this.target(s, d), ...this.expr(unpacked(m.fieldsOf(s)[i]!.t), d + 1), ...gc(5, ...u32(s), ...u32(i))];
      },
      () => {
        const as = m.arrays().filter((a) => m.arrayOf(a).mut);
        if (as.length === 0) return null;
        const a = r.pick(as);
        const et = m.arrayOf(a).elem;
        const arr = () => this.target(a, d);
        switch (r.below(5)) {
          case 0: return [...arr(), ...this.index(d), ...this.expr(unpacked(et), d + 1), ...gc(14, ...u32(a))];
          case 1: return [...arr(), ...this.index(d), ...this.expr(unpacked(et), d + 1), ...this.length(d), ...gc(16, ...u32(a))];
          case 2: {
            const srcs = m.arrays().filter((b) => { const e = m.arrayOf(b).elem; return e === et || (isRef(e) && isRef(et) && m.sub(e, et)); });
            if (r.chance(0.5)) {
              // Within one array (overlapping ranges, small and mostly in bounds: a memmove).
              const tmp = this.addLocal(ref(a, true));
              const small = (n: number) => [0x41, r.below(n)];
              // Sometimes of a fresh array of distinct elements, hashed right after (elements 0-3).
              const count = 4 + r.below(3);
              const fresh = r.chance(0.5) && !isRef(et) ? Array.from({ length: count }, () => this.numExpr(unpacked(et) as number, d + 1)).flat() : null;
              const source = fresh === null ? arr() : [...fresh, ...gc(8, ...u32(a), ...u32(count))];
              const copy = [...source, 0x22, ...u32(tmp), ...small(3), 0x20, ...u32(tmp), ...small(3), 0x41, 1 + r.below(3), ...gc(17, ...u32(a), ...u32(a))];
              return fresh === null ? copy : [...copy, 0x23, HASH, 0x42, 31, 0x7e, ...this.fold(ref(a, true), tmp), 0x7c, 0x24, HASH];
            }
            const b = r.pick(srcs);
            return [...arr(), ...this.index(d), ...this.refExpr(ref(b, r.chance(0.1)), d + 1), ...this.index(d), ...this.length(d), ...gc(17, ...u32(a), ...u32(b))];
          }
          case 3:
            if (isRef(et) || m.dataLens.length === 0) return null;
            return [...arr(), ...this.index(d), ...this.index(d), ...this.length(d), ...gc(18, ...u32(a), ...u32(r.below(m.dataLens.length)))];
          default: {
            if (!isRef(et)) return null;
            const segs = m.elemTypes.map((_, i) => i).filter((i) => m.sub(m.elemTypes[i]!, et));
            if (segs.length === 0) return null;
            return [...arr(), ...this.index(d), ...this.index(d), ...this.length(d), ...gc(19, ...u32(a), ...u32(r.pick(segs)))];
          }
        }
      },
      () => {
        const ti = r.below(m.tables.length);
        const tt = m.tables[ti]!;
        switch (r.below(5)) {
          case 0: return [...this.tableIndex(d), ...this.refExpr(tt, d + 1), ...this.tableIndex(d), 0xfc, 17, ...u32(ti)]; // table.fill
          case 1: return [...this.tableIndex(d), ...this.tableIndex(d), ...this.tableIndex(d), 0xfc, 14, ...u32(ti), ...u32(ti)]; // table.copy
          case 2: {
            const segs = m.elemTypes.map((_, i) => i).filter((i) => m.sub(m.elemTypes[i]!, tt));
            if (segs.length === 0) return null;
            return [...this.tableIndex(d), ...this.tableIndex(d), ...this.tableIndex(d), 0xfc, 12, ...u32(r.pick(segs)), ...u32(ti)]; // table.init
          }
          default: return [...this.index(d), ...this.refExpr(tt, d + 1), 0x26, ...u32(ti)];
        }
      },
      () => {
        // elem.drop / data.drop: later uses of the segment see it empty.
        if (r.chance(0.7)) return null;
        if (r.chance(0.5) && m.elemTypes.length > 0) return [0xfc, 13, ...u32(r.below(m.elemTypes.length))];
        return m.dataLens.length > 0 ? [0xfc, 9, ...u32(r.below(m.dataLens.length))] : null;
      },
      () => {
        const t = r.chance(0.5) ? this.anyRefType() : r.pick([I32, I64, F64]);
        return [...this.expr(t, d + 1), 0x1a];
      },
      () => this.observe(d),
      () => this.observe(d),
      () => {
        // A call for its effects, results dropped.
        const f = r.below(this.funcCount);
        const n = m.funcOf(m.funcTypes[f]!).results.length;
        return [...this.callOf(f, d), ...Array<number>(n).fill(0x1a)];
      },
      () => {
        this.labels.push({ kind: 'stmt' });
        const code = [0x02, 0x40, ...this.stmts(d + 1, 3), 0x0b];
        this.labels.pop();
        return code;
      },
      () => {
        const cond = this.numExpr(I32, d + 1);
        this.labels.push({ kind: 'stmt' });
        const code = [...cond, 0x04, 0x40, ...this.stmts(d + 1, 2), 0x05, ...this.stmts(d + 1, 2), 0x0b];
        this.labels.pop();
        return code;
      },
      () => {
        // A loop bounded by its own counter.
        const c = this.addLocal(I32);
        this.counters.add(c);
        this.labels.push({ kind: 'other' });
        const code = [0x41, 1 + r.below(4), 0x21, ...u32(c), 0x03, 0x40, ...this.stmts(d + 1, 3),
          0x20, ...u32(c), 0x41, 1, 0x6b, 0x22, ...u32(c), 0x0d, 0, 0x0b];
        this.labels.pop();
        return code;
      },
      () => {
        const targets = this.labels.map((l, i) => (l.kind === 'stmt' ? this.labels.length - 1 - i : -1)).filter((x) => x >= 0);
        if (targets.length === 0) return null;
        return [...this.numExpr(I32, d + 1), 0x0d, ...u32(r.pick(targets))];
      },
    ];
    options.push(() => {
      // A switch as clang compiles one: nested empty blocks left by a br_table, each case's code
      // after its block's end (the shape tswasm splits into parts: --split-everywhere).
      if (!r.chance(0.5)) return null;
      const n = 2 + r.below(4);
      this.labels.push({ kind: 'stmt' });
      for (let k = 0; k < n; k++) this.labels.push({ kind: 'stmt' });
      const code = [0x02, 0x40, ...Array.from({ length: n }, () => [0x02, 0x40]).flat()];
      const targets = Array.from({ length: n }, (_, k) => (r.chance(0.8) ? k : r.below(n + 1)));
      code.push(...this.numExpr(I32, d + 1), 0x0e, ...vec(targets.map((x) => u32(x))), ...u32(r.below(n + 1)));
      for (let k = 0; k < n; k++) {
        code.push(0x0b);
        this.labels.pop();
        code.push(...this.stmts(d + 1, 3));
        if (r.chance(0.5) && k < n - 1) code.push(0x0c, ...u32(n - 1 - k)); // break out of the switch
      }
      code.push(0x0b);
      this.labels.pop();
      return code;
    });
    options.push(() => {
      // An early return from inside whatever encloses the statement.
      if (!r.chance(0.3)) return null;
      const cond = this.numExpr(I32, d + 1);
      this.labels.push({ kind: 'other' });
      const values = this.results.flatMap((t) => this.expr(t, d + 1));
      // return, or br to the function's own label (past every label, this if's included).
      const leave = r.chance(0.5) ? [0x0f] : [0x0c, ...u32(this.labels.length)];
      this.labels.pop();
      return [...cond, 0x04, 0x40, ...values, ...leave, 0x0b];
    });
    options.push(() => {
      // A tail call under a condition, inside a try_table whose catch_all must not see the
      // callee's exceptions (the caller's frame is gone) in exnref modules.
      if (!r.chance(0.4)) return null;
      const conditional = (): number[] | null => {
        const cond = this.numExpr(I32, d + 1);
        this.labels.push({ kind: 'other' });
        const tail = this.tailCall(d + 1);
        this.labels.pop();
        return tail === null ? null : [...cond, 0x04, 0x40, ...tail, 0x0b];
      };
      if (!m.exnref) return conditional();
      // block $out; try_table (catch_all $out); ...; if; tail call; end; end; end
      this.labels.push({ kind: 'stmt' }, { kind: 'other' });
      const inner = [...this.stmts(d + 1, 2)];
      const tail = conditional();
      this.labels.pop();
      this.labels.pop();
      return tail === null ? null : [0x02, 0x40, 0x1f, 0x40, 1, 0x02, 0, ...inner, ...tail, 0x0b, 0x0b];
    });
    // struct.set and the array statements (options 2 and 3) twice as often: what they write is
    // what the hash and dump can see change.
    options.push(options[2]!, options[3]!, options[3]!);
    if (m.exnref) {
      options.push(() => (r.chance(0.3) ? [...this.throwCode(d)] : null));
      options.push(() => {
        const gs = m.globals.map((_, i) => i).filter((i) => m.globals[i]!.mut && m.sub(EXNREF, m.globals[i]!.t) && m.sub(m.globals[i]!.t, EXNREF));
        if (gs.length === 0) return null;
        // Keep a caught exnref in a global for a later throw_ref.
        return [...this.tryTable(I32, d), 0x1a];
      });
    }
    for (let tries = 0; tries < 5; tries++) {
      const code = r.pick(options)();
      if (code !== null) return code;
    }
    return [];
  }

  /**
   * A value of a random type mixed into global 1, the hash (which "dump" shows): so that what
   * expressions compute reaches the comparison, not only what functions return.
   */
  observe(d: number): number[] {
    const r = this.rng;
    // Often a local as it is now (what statements did to the objects it holds shows).
    if (r.chance(0.4) && this.locals.length > 0) {
      const l = r.below(this.locals.length);
      return [0x23, HASH, 0x42, 31, 0x7e, ...this.fold(this.locals[l]!, l), 0x7c, 0x24, HASH];
    }
    const t = r.chance(0.5) ? this.anyRefType() : r.pick([I32, I32, I64, F32, F64]);
    const l = this.addLocal(isRef(t) ? ref(t.heap, true) : t);
    return [...this.expr(t, d + 1), 0x21, ...u32(l), 0x23, HASH, 0x42, 31, 0x7e, ...this.fold(t, l), 0x7c, 0x24, HASH];
  }

  /**
   * The struct or array (of type x or a subtype) a mutating statement writes to: mostly one a local
   * or global holds (so that later reads and the hash see the write), else any expression.
   */
  target(x: number, d: number): number[] {
    const r = this.rng;
    const m = this.m;
    const t = ref(x, true);
    const ls = this.matchingLocals(t);
    const gs = this.matchingGlobals(t);
    if (ls.length > 0 && r.chance(0.6)) return [0x20, ...u32(r.pick(ls))];
    if (gs.length > 0 && r.chance(0.5)) return [0x23, ...u32(r.pick(gs))];
    return this.refExpr(ref(r.pick(m.below(x).filter(isIdx)), r.chance(0.1)), d + 1);
  }

  /** The function's body: budget check, statements, results (or a tail call). */
  body(d = 0): number[] {
    const r = this.rng;
    const m = this.m;
    const code = [0x23, 0, 0x45, 0x04, 0x40, 0x00, 0x0b, 0x23, 0, 0x41, 1, 0x6b, 0x24, 0];
    code.push(...this.stmts(d, 4));
    const tail = r.chance(0.3) ? this.tailCall(d) : null;
    if (tail !== null) return [...code, ...tail];
    for (const t of this.results) code.push(...this.expr(t, d + 1));
    return code;
  }

  /** return_call, return_call_ref or return_call_indirect of a function whose results fit, or null. */
  tailCall(d: number): number[] | null {
    const r = this.rng;
    const m = this.m;
    const tails = Array.from({ length: this.funcCount }, (_, f) => f).filter((f) => {
      const res = m.funcOf(m.funcTypes[f]!).results;
      return res.length === this.results.length && res.every((x, i) => m.sub(x, this.results[i]!));
    });
    if (tails.length === 0) return null;
    const f = r.pick(tails);
    const ft = m.funcTypes[f]!;
    const args = this.args(m.funcOf(ft).params, d);
    switch (r.below(3)) {
      case 0: return [...args, 0x12, ...u32(f)];
      case 1: return [...args, ...this.refExpr(ref(ft, r.chance(0.2)), d + 1), 0x15, ...u32(ft)];
      default: return [...args, ...this.tableIndex(d), 0x13, ...u32(ft), 0];
    }
  }
  /** An index into table 0 (the function table): mostly in range. */
  tableIndex(d: number): number[] {
    return this.rng.chance(0.5) ? [0x41, this.rng.below(5)] : [...this.numExpr(I32, d + 1), 0x41, 3, 0x71];
  }

  /** Folds local `l` (of type t) into an i64 on the stack. */
  fold(t: ValT, l: number): number[] {
    const r = this.rng;
    const m = this.m;
    const get = [0x20, ...u32(l)];
    if (!isRef(t)) {
      if (t === I32) return [...get, 0xad];
      if (t === I64) return get;
      if (t === F32) return [...get, 0xbc, 0xad];
      return [...get, 0xbd];
    }
    const mix = (k: number) => [0x42, ...s64(BigInt(k)), 0x7e]; // acc * k (then + x)
    const code = [0x42, 0, ...get, 0xd1, 0xad, 0x7c];
    let top = m.top(t.heap);
    let src = get;
    if (top === EXTERN) {
      const a = this.addLocal(ref(ANY, true));
      code.push(...get, ...gc(26), 0x21, ...u32(a));
      src = [0x20, ...u32(a)];
      top = ANY;
    }
    if (top === EXN) return code;
    const hier = m.hierarchy(top);
    for (let k = 0; k < 3; k++) {
      const tt = r.pick(hier);
      code.push(...mix(3), ...src, ...gc(r.chance(0.5) ? 20 : 21, ...m.heapBytes(tt)), 0xad, 0x7c);
    }
    if (top === ANY) {
      // Read what a successful cast shows.
      const cands = hier.filter((x) => isIdx(x) || x === I31);
      for (let k = 0; k < 2 && cands.length > 0; k++) {
        // First the value's own type, when it has a defined one (its fields and elements show).
        const c = k === 0 && isIdx(t.heap) && cands.includes(t.heap) ? t.heap : r.pick(cands);
        let read: number[];
        if (c === I31) read = [...gc(r.chance(0.5) ? 29 : 30), 0xad];
        else if (m.types[c]!.comp.kind === 'array') {
          const et = m.arrayOf(c).elem;
          // The length and elements 0-3 where there are such (numbers, or refs' nullness and a test).
          const tmp = this.addLocal(ref(c, true));
          const op = et === I8 || et === I16 ? 12 : 11;
          const tested = isRef(et) ? r.pick(m.hierarchy(m.top(et.heap))) : 0;
          const elem = (k: number) => (isRef(et)
            ? [0xd1, 0xad, 0x20, ...u32(tmp), 0x41, k, ...gc(11, ...u32(c)), ...gc(21, ...m.heapBytes(tested)), 0xad, 0x42, 2, 0x7e, 0x7c]
            : this.toI64(unpacked(et)));
          read = [0x22, ...u32(tmp), ...gc(15), 0xad];
          for (let k = 0; k < 4; k++) {
            read.push(0x42, 29, 0x7e, 0x20, ...u32(tmp), ...gc(15), 0x41, k, 0x4b, 0x04, 0x7e, 0x20, ...u32(tmp), 0x41, k, ...gc(op, ...u32(c)), ...elem(k), 0x05, 0x42, 0, 0x0b, 0x7c);
          }
        } else {
          const fs = m.fieldsOf(c).map((f, i) => [f, i] as const).filter(([f]) => !isRef(f.t));
          if (fs.length === 0) read = [0x1a, 0x42, 1];
          else {
            const [f, i] = r.pick(fs);
            read = [...gc(f.t === I8 || f.t === I16 ? (r.chance(0.5) ? 3 : 4) : 2, ...u32(c), ...u32(i)), ...this.toI64(unpacked(f.t))];
          }
        }
        code.push(...mix(31), ...src, ...gc(20, ...m.heapBytes(c)), 0x04, 0x7e, ...src, ...gc(22, ...m.heapBytes(c)), ...read, 0x05, 0x42, 0, 0x0b, 0x7c);
      }
    }
    return code;
  }
  toI64(t: ValT): number[] {
    return t === I32 ? [0xad] : t === I64 ? [] : t === F32 ? [0xbc, 0xad] : [0xbd];
  }
}


/** A constant expression of type t (globals and element segments); `globals` may be read. */
function constExpr(m: ModuleGen, t: ValT, d: number, globalsBefore: number, funcCount: number): number[] {
  const r = m.rng;
  if (!isRef(t)) {
    const gs = m.globals.slice(0, globalsBefore).map((g, i) => (!g.mut && g.t === t ? i : -1)).filter((i) => i >= 0);
    if (gs.length > 0 && r.chance(0.2)) return [0x23, ...u32(r.pick(gs))];
    return numConst(r, t);
  }
  const h = t.heap;
  const below = m.below(h);
  const options: (() => number[] | null)[] = [];
  if (t.nullable) options.push(() => [0xd0, ...m.heapBytes(r.pick(below))]);
  options.push(() => {
    const gs = m.globals.slice(0, globalsBefore).map((g, i) => (!g.mut && m.sub(g.t, t) ? i : -1)).filter((i) => i >= 0);
    return gs.length > 0 ? [0x23, ...u32(r.pick(gs))] : null;
  });
  if (below.includes(I31)) options.push(() => [0x41, ...s32(randI32(r)), ...gc(28)]);
  if (d < 3) {
    const structs = below.filter((x) => isIdx(x) && m.types[x]!.comp.kind === 'struct' && constructible(m, ref(x, false), d));
    const arrays = below.filter((x) => isIdx(x) && m.types[x]!.comp.kind === 'array');
    if (structs.length > 0) options.push(() => {
      const s = r.pick(structs);
      const fs = m.fieldsOf(s);
      if (fs.every((f) => m.defaultable(f.t)) && r.chance(0.3)) return gc(1, ...u32(s));
      return [...fs.flatMap((f) => constExpr(m, unpacked(f.t), d + 1, globalsBefore, funcCount)), ...gc(0, ...u32(s))];
    });
    if (arrays.length > 0) options.push(() => {
      const a = r.pick(arrays);
      const et = m.arrayOf(a).elem;
      const k = constructible(m, unpacked(et), d + 1) ? r.below(3) : 0;
      if (k === 0 && m.defaultable(et)) return [0x41, r.below(4), ...gc(7, ...u32(a))];
      if (k === 0) return gc(8, ...u32(a), 0);
      if (k === 1) return [...constExpr(m, unpacked(et), d + 1, globalsBefore, funcCount), 0x41, r.below(4), ...gc(6, ...u32(a))];
      const n = r.below(4);
      return [...Array.from({ length: n }, () => constExpr(m, unpacked(et), d + 1, globalsBefore, funcCount)).flat(), ...gc(8, ...u32(a), ...u32(n))];
    });
    if (h === ANY && t.nullable) options.push(() => [...constExpr(m, ref(EXTERN, t.nullable), d + 1, globalsBefore, funcCount), ...gc(26)]);
    if (h === EXTERN) options.push(() => [...constExpr(m, ref(ANY, t.nullable), d + 1, globalsBefore, funcCount), ...gc(27)]);
  }
  const fs = Array.from({ length: funcCount }, (_, f) => f).filter((f) => m.subHeap(m.funcTypes[f]!, h));
  if (fs.length > 0) options.push(() => [0xd2, ...u32(r.pick(fs))]);
  for (let tries = 0; tries < 50 && options.length > 0; tries++) {
    const code = r.pick(options)();
    if (code !== null) return code;
  }
  return [0xd0, ...m.heapBytes(m.bottom(h))];
}

/** Whether a constant expression of type t can always be made (else the global gets another type). */
function constructible(m: ModuleGen, t: ValT, d = 0): boolean {
  if (!isRef(t) || t.nullable) return true;
  const below = m.below(t.heap);
  if (below.includes(I31)) return true;
  if (d >= 3) return false;
  if (below.some((x) => isIdx(x) && m.types[x]!.comp.kind === 'array')) return true;
  return below.some((x) => isIdx(x) && m.types[x]!.comp.kind === 'struct' && m.fieldsOf(x).every((f) => constructible(m, unpacked(f.t), d + 1)));
}

export function generateGcModule(rng: Rng, options: GcGenOptions = {}): GcModulePlan {
  const exnref = options.exnref ?? rng.chance(1 / 3);
  const m = new ModuleGen(rng, exnref);
  m.genTypes();
  // Functions: each of a random func type (some shared, for call_ref of subtypes).
  const funcCount = 2 + rng.below(5);
  const fts = m.types.map((_, i) => i).filter((i) => m.types[i]!.comp.kind === 'func');
  for (let f = 0; f < funcCount; f++) {
    if (fts.length > 0 && rng.chance(0.5)) m.funcTypes.push(rng.pick(fts));
    else {
      const end = m.types.length;
      m.funcTypes.push(m.addFuncType(Array.from({ length: rng.below(4) }, () => m.randVal(end)), Array.from({ length: rng.below(3) }, () => m.randVal(end))));
    }
  }
  if (exnref) {
    // Tag payloads: numbers and refs, sometimes an exnref (an exception carrying another).
    const payload = () => (rng.chance(0.15) ? EXNREF : m.randVal(m.types.length, 0.3));
    for (let k = 0; k < 1 + rng.below(3); k++) m.tags.push(m.addFuncType(Array.from({ length: rng.below(3) }, payload), []));
  }
  // Globals: the budget, then random ones (non-nullable ones only where a constant can make them).
  m.globals.push({ t: I32, mut: true }, { t: I64, mut: true });
  const globalInits: number[][] = [[0x41, 0], [0x42, 0]];
  for (let g = 0; g < 2 + rng.below(5); g++) {
    let t = m.randVal(m.types.length, 0.7);
    const mut = rng.chance(0.6);
    if (isRef(t) && (mut || !constructible(m, t))) t = ref(t.heap, true);
    const init = constExpr(m, t, 0, m.globals.length, funcCount);
    m.globals.push({ t, mut });
    globalInits.push(init);
  }
  if (exnref) {
    m.globals.push({ t: EXNREF, mut: true });
    globalInits.push([0xd0, EXN]);
  }
  // Tables: funcs, and the any hierarchy.
  const funcTable = rng.chance(0.5) ? ref(FUNC, true) : ref(rng.pick(m.funcTypes), true);
  const anyHeaps = m.hierarchy(ANY).filter((x) => x !== NONE);
  m.tables.push(funcTable, ref(rng.pick(anyHeaps), true));
  // Data and element segments (passive).
  for (let k = 0; k < 1 + rng.below(2); k++) m.dataLens.push(rng.below(40));
  const elemInits: number[][][] = [];
  for (let k = 0; k < 1 + rng.below(3); k++) {
    const et = ref(rng.chance(0.3) ? FUNC : rng.pick(anyHeaps), true);
    const items = Array.from({ length: rng.below(6) }, () => constExpr(m, et, 1, m.globals.length, funcCount));
    m.elemTypes.push(et);
    elemInits.push(items);
  }

  // Code.
  const bodies: number[][] = [];
  for (let f = 0; f < funcCount; f++) {
    const sig = m.funcOf(m.funcTypes[f]!);
    const g = new FuncGen(m, rng, sig.params, sig.results, funcCount);
    for (let k = 0; k < rng.below(4); k++) g.addLocal(m.randVal(m.types.length, 0.6) as ValT);
    // Body locals must be defaultable.
    for (let i = sig.params.length; i < g.locals.length; i++) {
      const t = g.locals[i]!;
      if (isRef(t)) g.locals[i] = ref(t.heap, true);
    }
    const code = g.body();
    bodies.push([...vec(g.localDecls(sig.params.length)), ...code, 0x0b]);
  }
  // Wrappers: i32/i64 params, one i64 result.
  const exports: GcExport[] = [];
  const wrapperTypes: number[] = [];
  for (let f = 0; f < funcCount; f++) {
    const params = Array.from({ length: rng.below(3) }, () => rng.pick([I32, I64]));
    const wt = m.addFuncType(params, [I64]);
    wrapperTypes.push(wt);
    const g = new FuncGen(m, rng, params, [I64], funcCount);
    const sig = m.funcOf(m.funcTypes[f]!);
    const code = [0x41, ...s32(20 + rng.below(40)), 0x24, 0];
    code.push(...g.args(sig.params, 1), 0x10, ...u32(f));
    const temps = sig.results.map((t) => g.addLocal(isRef(t) ? ref(t.heap, true) : t));
    for (let k = temps.length - 1; k >= 0; k--) code.push(0x21, ...u32(temps[k]!));
    code.push(0x42, 0);
    sig.results.forEach((t, k) => code.push(0x42, 37, 0x7e, ...g.fold(t, temps[k]!), 0x7c));
    bodies.push([...vec(g.localDecls(params.length)), ...code, 0x0b]);
    exports.push({ name: `w${f}`, params: params.map((p) => (p === I32 ? 'i32' : 'i64')) });
  }
  // dump: every global folded.
  const dumpType = m.addFuncType([], [I64]);
  {
    const g = new FuncGen(m, rng, [], [I64], funcCount);
    const code = [0x42, 0];
    m.globals.forEach((gl, i) => {
      const l = g.addLocal(isRef(gl.t) ? ref(gl.t.heap, true) : gl.t);
      code.push(0x23, ...u32(i), 0x21, ...u32(l), 0x42, 41, 0x7e, ...g.fold(gl.t, l), 0x7c);
    });
    // The tables' sizes and slots too (at most 8 each).
    code.push(0x42, 5, 0x7e, 0xfc, 16, 0, 0xad, 0x7c, 0x42, 5, 0x7e, 0xfc, 16, 1, 0xad, 0x7c);
    m.tables.forEach((tt, ti) => {
      const l = g.addLocal(tt);
      for (let i = 0; i < 8; i++) {
        code.push(0x42, 7, 0x7e, 0x41, i, 0xfc, 16, ti, 0x49, 0x04, 0x7e, 0x41, i, 0x25, ti, 0x21, ...u32(l), ...g.fold(tt, l), 0x05, 0x42, 0, 0x0b, 0x7c);
      }
    });
    bodies.push([...vec(g.localDecls(0)), ...code, 0x0b]);
  }

  // Sections.
  const funcSection = section(3, vec([...m.funcTypes, ...wrapperTypes, dumpType].map((t) => u32(t))));
  const tableSection = section(4, vec(m.tables.map((t) => [...m.valBytes(t), 0x01, 4, 8])));
  const tagSection = exnref ? section(13, vec(m.tags.map((t) => [0, ...u32(t)]))) : [];
  const globalSection = section(6, vec(m.globals.map((g, i) => [...m.valBytes(g.t), g.mut ? 1 : 0, ...globalInits[i]!, 0x0b])));
  const exportSection = section(7, vec([...exports.map((e, i) => [...str(e.name), 0, ...u32(funcCount + i)]), [...str('dump'), 0, ...u32(2 * funcCount)]]));
  const elems: number[][] = elemInits.map((items, k) => [5, ...m.valBytes(m.elemTypes[k]!), ...vec(items.map((e) => [...e, 0x0b]))]);
  elems.push([3, 0, ...vec(Array.from({ length: funcCount }, (_, f) => u32(f)))]);
  const elemSection = section(9, vec(elems));
  const dataCount = section(12, u32(m.dataLens.length));
  const codeSection = section(10, vec(bodies.map((b) => [...u32(b.length), ...b])));
  // Data bytes: random, with many 0x7f/0xff/0x80 (float NaN and infinity patterns, sign bits).
  const dataByte = () => (rng.chance(0.5) ? rng.below(256) : rng.pick([0x7f, 0xff, 0x80, 0xc0, 0xa0, 0x00, 0x01]));
  const dataSection = section(11, vec(m.dataLens.map((n) => [1, ...vec(Array.from({ length: n }, () => [dataByte()]))])));
  // The type section last: block types and wrappers added types while the code was generated.
  const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...m.typeSection(), ...funcSection, ...tableSection, ...tagSection, ...globalSection, ...exportSection, ...elemSection, ...dataCount, ...codeSection, ...dataSection]);

  const calls: CallPlan[] = Array.from({ length: 4 + rng.below(8) }, () => {
    const e = rng.below(exports.length);
    return { exportIndex: e, args: exports[e]!.params.map((p) => (p === 'i32' ? BigInt(randI32(rng)) : randI64(rng))) };
  });
  return { bytes, exports, calls, exnref };
}
