// The state of the body validator: the operand and control stacks in typed arrays, local
// initialisation tracking, and the pop/push/frame primitives of the spec's validation algorithm.

import { CompileError } from '../core/errors.js';
import type { WasmFeatures } from '../core/features.js';
import {
  heapOf, isExact, isNullable, isRef, refType, valTypeName, type ValType,
} from '../core/types.js';
import type { ModuleInfo } from '../binary/module.js';
import { ByteReader } from '../binary/reader.js';
import { BOT, type ModuleTypes } from './module-types.js';
import { HT_BOT } from './type-registry.js';
import { refTypeFeatureProblem } from './ref-features.js';

/** Kinds of control frame. */
export const enum Frame {
  Function, Block, Loop, If, Else, TryTable, Try, Catch, CatchAll, Const,
}

const EMPTY: readonly ValType[] = [];

export class BodyState {
  readonly r: ByteReader;
  readonly module: ModuleInfo;
  readonly types: ModuleTypes;
  readonly features: WasmFeatures;

  vals = new Int32Array(256);
  vh = 0;

  kinds = new Uint8Array(64);
  heights = new Int32Array(64);
  unreachables = new Uint8Array(64);
  initHeights = new Int32Array(64);
  params: (readonly ValType[])[] = [];
  results: (readonly ValType[])[] = [];
  ch = 0;
  /** Height and polymorphism of the top frame, copied out of the arrays for the hot pop path. */
  base = 0;
  polymorphic = false;

  /** Types of the parameters and locals of the current function. */
  locals = new Int32Array(64);
  numLocals = 0;
  /** 1 when a local is known to be initialised (always for defaultable ones). */
  localInit = new Uint8Array(64);
  /** Non-defaultable locals initialised inside the current blocks, to reset at each block end. */
  initStack = new Int32Array(16);
  ih = 0;

  /** Where the current instruction starts, for error offsets. */
  opAt = 0;
  /** Description of the code being validated, for error messages ("function 3"). */
  where = '';

  constructor(module: ModuleInfo, types: ModuleTypes, features: WasmFeatures) {
    this.module = module;
    this.types = types;
    this.features = features;
    this.r = new ByteReader(module.bytes);
  }

  // Errors

  fail(message: string, at = this.opAt): never {
    throw new CompileError(`${message} ${this.where}`, at, false);
  }
  malformed(message: string, at = this.opAt): never {
    throw new CompileError(message, at, true);
  }
  typeName(t: ValType): string {
    return t === BOT ? 'bot' : valTypeName(t);
  }
  mismatch(expected: ValType, found: ValType | null): never {
    const has = found === null ? '[]' : `[${this.typeName(found)}]`;
    return this.fail(`type mismatch: instruction requires [${this.typeName(expected)}] but stack has ${has}`);
  }

  // Operand stack

  push(t: ValType): void {
    if (this.vh === this.vals.length) this.vals = grow(this.vals);
    this.vals[this.vh++] = t;
  }

  pushAll(ts: readonly ValType[]): void {
    for (let i = 0; i < ts.length; i++) this.push(ts[i]!);
  }

  /** Pops any value; BOT when the stack is polymorphic and empty. */
  popAny(): ValType {
    if (this.vh === this.base) {
      if (this.polymorphic) return BOT;
      this.fail('type mismatch: instruction requires a value but stack has []');
    }
    return this.vals[--this.vh]!;
  }

  /** Pops a value that must match `expected`; returns the actual type (BOT if unknown). */
  pop(expected: ValType): ValType {
    if (this.vh === this.base) {
      if (this.polymorphic) return BOT;
      this.mismatch(expected, null);
    }
    const actual = this.vals[--this.vh]!;
    if (actual !== expected && !this.types.matches(actual, expected)) this.mismatch(expected, actual);
    return actual;
  }

  /** Pops a reference of any type; BOT for an unknown one. */
  popRef(): ValType {
    const t = this.popAny();
    if (t !== BOT && !isRef(t)) this.fail(`type mismatch: instruction requires reference type but stack has [${this.typeName(t)}]`);
    return t;
  }

  /**
   * Pops `n` values of type `t`. Pops from an empty polymorphic stack change nothing, so at most
   * the values actually present are visited (n may be 2^32 - 1 in unreachable code).
   */
  popMany(t: ValType, n: number): void {
    const present = this.vh - this.base;
    const k = Math.min(n, present);
    for (let i = 0; i < k; i++) this.pop(t);
    if (n > k) this.pop(t);
  }

  popAll(ts: readonly ValType[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.pop(ts[i]!);
  }

  /** Checks that the top values match `ts` without popping them (a pop and push back). */
  peekAll(ts: readonly ValType[]): void {
    const base = this.base;
    const n = ts.length;
    for (let i = 0; i < n; i++) {
      const at = this.vh - n + i;
      if (at < base) {
        if (this.polymorphic) continue;
        this.mismatch(ts[i]!, null);
      }
      const actual = this.vals[at]!;
      if (!this.types.matches(actual, ts[i]!)) this.mismatch(ts[i]!, actual);
    }
  }

  setUnreachable(): void {
    const top = this.ch - 1;
    this.vh = this.heights[top]!;
    this.unreachables[top] = 1;
    this.polymorphic = true;
  }

  // Control stack

  pushFrame(kind: Frame, params: readonly ValType[], results: readonly ValType[]): void {
    const i = this.ch;
    if (i === this.kinds.length) {
      this.kinds = grow(this.kinds);
      this.heights = grow(this.heights);
      this.unreachables = grow(this.unreachables);
      this.initHeights = grow(this.initHeights);
    }
    this.kinds[i] = kind;
    this.heights[i] = this.vh;
    this.unreachables[i] = 0;
    this.base = this.vh;
    this.polymorphic = false;
    this.initHeights[i] = this.ih;
    this.params[i] = params;
    this.results[i] = results;
    this.ch = i + 1;
    this.pushAll(params);
  }

  /** Ends the top frame: its results must be exactly what is left. Returns the frame's index. */
  popFrame(): number {
    const top = this.ch - 1;
    const results = this.results[top]!;
    this.popAll(results);
    if (this.vh !== this.heights[top]) {
      const left: string[] = [];
      for (let i = this.heights[top]!; i < this.vh + results.length; i++) left.push(this.typeName(this.vals[i]!));
      this.fail(`type mismatch: block requires [${results.map((t) => this.typeName(t)).join(' ')}] but stack has [${left.join(' ')}]`);
    }
    this.resetLocals(this.initHeights[top]!);
    this.ch = top;
    if (top > 0) {
      this.base = this.heights[top - 1]!;
      this.polymorphic = this.unreachables[top - 1] === 1;
    }
    return top;
  }

  /** The types a branch to relative label `depth` carries. */
  labelTypes(depth: number): readonly ValType[] {
    const i = this.ch - 1 - depth;
    if (depth >= this.ch || i < 0) this.fail(`unknown label ${depth}`);
    return this.kinds[i] === Frame.Loop ? this.params[i]! : this.results[i]!;
  }

  // Locals

  setLocals(params: readonly ValType[], declared: readonly ValType[]): void {
    const n = params.length + declared.length;
    if (n > this.locals.length) {
      this.locals = new Int32Array(n);
      this.localInit = new Uint8Array(n);
    }
    for (let i = 0; i < params.length; i++) {
      this.locals[i] = params[i]!;
      this.localInit[i] = 1;
    }
    for (let i = 0; i < declared.length; i++) {
      const t = declared[i]!;
      this.locals[params.length + i] = t;
      this.localInit[params.length + i] = !isRef(t) || isNullable(t) ? 1 : 0;
    }
    this.numLocals = n;
    this.ih = 0;
  }

  initLocal(x: number): void {
    if (this.localInit[x]) return;
    this.localInit[x] = 1;
    if (this.ih === this.initStack.length) this.initStack = grow(this.initStack);
    this.initStack[this.ih++] = x;
  }

  resetLocals(height: number): void {
    while (this.ih > height) this.localInit[this.initStack[--this.ih]!] = 0;
  }

  // Types read from code

  /** Checks a value type read from code: type indices in range, exact types only with the feature. */
  checkValType(t: ValType, at = this.opAt): ValType {
    if (isRef(t)) {
      this.checkHeap(heapOf(t), isExact(t), at);
      // checkHeap has checked the nullable type; only non-nullability can still need a feature.
      const problem = isNullable(t) ? null : refTypeFeatureProblem(t, this.features);
      if (problem !== null) this.malformed(`malformed value type: ${problem}`, at);
    }
    return t;
  }

  /** A heap type read from code (ref.null's, a cast's): in range, and of an enabled feature. */
  checkHeap(h: number, exact: boolean, at = this.opAt): void {
    if (h >= 0 && h >= this.module.types.length) this.fail(`unknown type ${h}`, at);
    if (exact && !this.features.custom_descriptors) this.malformed('malformed heap type', at);
    const problem = refTypeFeatureProblem(refType(h, true), this.features);
    if (problem !== null) this.malformed(`malformed heap type: ${problem}`, at);
  }

  /** The non-null version of a popped reference type (BOT becomes (ref bot)). */
  nonNull(t: ValType): ValType {
    return t === BOT ? refType(HT_BOT, false) : refType(heapOf(t), false, isExact(t));
  }
}

export { EMPTY };

function grow<T extends Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
