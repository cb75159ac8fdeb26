// What the code generator knows about the whole module while it compiles one function: types,
// canonical ids, names, which functions are trampolined, which tables hold only its own functions,
// and the helpers and constants used.

import type { ModuleInfo } from '../binary/module.js';
import type { FuncType } from '../core/types.js';
import type { JsEngine } from '../core/js-engine.js';
import { ownFunctionTables } from './own-tables.js';
import type { BodyFacts } from './supported.js';

export interface CodegenOptions {
  /** Trap with StackOverflow beyond this many nested wasm calls (null: rely on the JS stack). */
  readonly maxWasmStack: number | null;
  /** Count fuel (Wasmtime's consume_fuel): the store's fuel pays for every executed instruction. */
  readonly consumeFuel?: boolean;
  /** Check the store's epoch deadline at function entries and loop headers (epoch_interruption). */
  readonly epochInterruption?: boolean;
  /** Every NaN produced by float arithmetic becomes the canonical NaN (cranelift_nan_canonicalization). */
  readonly nanCanonicalization?: boolean;
  /** Floats may be NaNBoxes (Config.nanBoxes; default: whether this engine needs them). */
  readonly nanBoxes?: boolean;
  /** Split very large switch loops and long straight code into parts (Config.splitLargeSwitches; default: on). */
  readonly splitLargeSwitches?: boolean;
  /** With splitLargeSwitches off: still split those of functions of HUGE_SPLIT_MIN_BYTES or more. */
  readonly splitHugeSwitches?: boolean;
  /**
   * Whose interpreter the code is shaped for (Config.tuneForInterpreter; interpreter-tuning.ts):
   * checks inline, not in helpers. Null or absent: code for a JIT.
   */
  readonly interpreter?: JsEngine | null;
  /**
   * Config.asyncSupport: every function is a generator and every call a `yield*`, so that a host
   * function can suspend the whole wasm stack by yielding a promise (runtime/async-calls.ts).
   */
  readonly asyncSupport?: boolean;
}

import { boxesNaNs } from '../core/nan-boxing.js';
import { generatorFunctions } from './suspending.js';

export class ModuleContext {
  /** Runtime helpers the generated code calls (bound as closure constants). */
  readonly helpers = new Set<string>();
  /** Hoisted constant declarations (`const K0 = ...`), for values with no exact JS literal. */
  readonly constants: string[] = [];
  private readonly constantNames = new Map<string, string>();
  /** The expression of every constant, by name. */
  readonly constantExprs = new Map<string, string>();
  /** Functions that contain return_call* (compiled as body + trampoline). */
  readonly trampolined: readonly boolean[];
  /** Tables that only ever hold the module's own functions (own-tables.ts). */
  readonly ownTables: readonly boolean[];
  /** Floats may be NaNBoxes (core/nan-boxing.ts, Config.nanBoxes). */
  readonly boxesNaNs: boolean;
  /** Config.asyncSupport: which functions are generators (suspending.ts); null without it. */
  readonly suspends: readonly boolean[] | null;

  constructor(
    readonly module: ModuleInfo,
    /** Canonical type id of every module type index. */
    readonly canon: ArrayLike<number>,
    /** JS identifier of every function (imports first). */
    readonly funcNames: readonly string[],
    facts: BodyFacts,
    readonly options: CodegenOptions,
  ) {
    this.trampolined = facts.tailCallers;
    this.ownTables = ownFunctionTables(module, facts.writtenTables);
    this.boxesNaNs = options.nanBoxes ?? boxesNaNs();
    this.suspends = generatorFunctions(module, options);
  }

  /** What a direct call of function `index` is prefixed with: `yield* ` when the callee is a generator. */
  directCallPrefix(index: number): string {
    return this.suspends !== null && this.suspends[index] ? 'yield* ' : '';
  }

  funcType(typeIndex: number): FuncType {
    const c = this.module.types[typeIndex]!.composite;
    if (c.kind !== 'func') throw new Error(`type ${typeIndex} is not a function type`);
    return c;
  }

  typeOfFunc(funcIndex: number): FuncType {
    return this.funcType(this.module.funcTypes[funcIndex]!);
  }

  helper(name: string): string {
    this.helpers.add(name);
    return name;
  }

  /** A closure constant holding the value of `expr` (evaluated once per instance). */
  constant(expr: string, ...helpers: string[]): string {
    for (const h of helpers) this.helpers.add(h);
    let name = this.constantNames.get(expr);
    if (name === undefined) {
      name = `K${this.constantNames.size}`;
      this.constantNames.set(expr, name);
      this.constantExprs.set(name, expr);
      this.constants.push(`const ${name} = ${expr};`);
    }
    return name;
  }
}
