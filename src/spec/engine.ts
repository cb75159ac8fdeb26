// What the spec runner needs from an engine, so that it can run with the full engine or only with
// the front end (decode + validate), where every command that needs execution is "not runnable yet".

import type { WasmFeatures } from '../core/features.js';
import type { WastValue } from '../text/wast-types.js';

/** A value as the runner compares it: exact bits for numbers, identity facts for references. */
export type RawValue =
  | { readonly type: 'i32'; readonly bits: number }
  | { readonly type: 'i64'; readonly bits: bigint }
  | { readonly type: 'f32'; readonly bits: number }
  | { readonly type: 'f64'; readonly bits: bigint }
  | { readonly type: 'v128'; readonly bytes: Uint8Array }
  | {
      readonly type: 'ref';
      readonly isNull: boolean;
      /** The kind of a non-null reference: func, extern, host, struct, array, i31, exn, any. */
      readonly kind: string;
      /** For host references created by the runner (ref.extern N / ref.host N): N. */
      readonly hostIndex: number | null;
    };

export type SpecModule = unknown;
export type SpecInstance = unknown;
export type SpecExtern = unknown;

/** Looks up an import by module and field name among the registered instances. */
export type ImportResolver = (module: string, name: string) => SpecExtern | undefined;

export interface SpecEngine {
  /** Whether instantiate/invoke work; a front-end-only engine reports them as not runnable. */
  readonly canExecute: boolean;
  /** Decodes, validates (and compiles) a module with the script's features; throws CompileError. */
  compile(bytes: Uint8Array, features: WasmFeatures): SpecModule;
  /** Instantiates with imports resolved by name; throws LinkError, a Trap, or NotRunnable. */
  instantiate(module: SpecModule, resolve: ImportResolver): SpecInstance;
  getExport(instance: SpecInstance, name: string): SpecExtern | undefined;
  /** Calls an exported function; throws a Trap (or a wasm exception, see isException). */
  invoke(instance: SpecInstance, name: string, args: readonly WastValue[]): RawValue[];
  /** The value of an exported global. */
  getGlobal(instance: SpecInstance, name: string): RawValue;
  /** The "spectest" host module instance. */
  spectest(): SpecInstance;
  /** Whether an error thrown by invoke is an uncaught wasm exception (assert_exception). */
  isException(error: unknown): boolean;
}

/** Thrown by an engine that cannot do what was asked yet; the runner counts the command as skipped. */
export class NotRunnable extends Error {}
Object.defineProperty(NotRunnable.prototype, 'name', { value: 'NotRunnable' });
