// The commands of a .wast spec script, as the script parser produces them and the spec runner
// consumes them. Values are exact bit patterns; nothing here depends on an engine.

/** Where a command starts in its script. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A module inside a script. Text modules are kept as source and encoded on demand, so that an
 * `assert_malformed` quote module can fail when the runner asks for its bytes.
 */
export type WastModule =
  /** `(module ...)` in text: `source` is the whole `(module ...)` s-expression. */
  | { readonly form: 'text'; readonly source: string; readonly pos: SourcePos }
  /** `(module binary "...")`: the concatenated strings. */
  | { readonly form: 'binary'; readonly bytes: Uint8Array; readonly pos: SourcePos }
  /** `(module quote "...")`: the concatenated strings, to be parsed as a module's text. */
  | { readonly form: 'quote'; readonly source: string; readonly pos: SourcePos };

/** A constant argument or an exact expected value. Integers and floats are bit patterns. */
export type WastValue =
  | { readonly type: 'i32'; readonly bits: number } // as an unsigned 32-bit integer
  | { readonly type: 'i64'; readonly bits: bigint } // as an unsigned 64-bit integer
  | { readonly type: 'f32'; readonly bits: number } // uint32 bit pattern
  | { readonly type: 'f64'; readonly bits: bigint } // uint64 bit pattern
  | { readonly type: 'v128'; readonly bytes: Uint8Array } // 16 bytes, little-endian lanes
  /**
   * `(ref.null ht)`: ht is the heap type as written (an abstract name, or an index/$id for results);
   * '' for a result written `(ref.null)` without a heap type (any null reference).
   */
  | { readonly type: 'ref.null'; readonly heap: string }
  /** `(ref.extern N)`: a host reference with identity N (externref). */
  | { readonly type: 'ref.extern'; readonly index: number }
  /** `(ref.host N)`: a host reference with identity N (anyref). */
  | { readonly type: 'ref.host'; readonly index: number };

export type NanPattern = 'nan:canonical' | 'nan:arithmetic';

/** One lane of an expected v128 result written with a lane shape. */
export type LanePattern =
  | { readonly kind: 'bits'; readonly bits: bigint } // the lane's exact bits, unsigned
  | { readonly kind: 'nan'; readonly nan: NanPattern };

/** An expected result. */
export type WastResult =
  | { readonly kind: 'value'; readonly value: WastValue }
  | { readonly kind: 'nan'; readonly type: 'f32' | 'f64'; readonly nan: NanPattern }
  /** A v128 written with a lane shape where some lane is a NaN pattern (exact v128s use 'value'). */
  | {
      readonly kind: 'v128-lanes';
      readonly shape: 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
      readonly lanes: readonly LanePattern[];
    }
  /**
   * A reference pattern without identity: `(ref.func)`, `(ref.struct)`, `(ref.array)`, `(ref.i31)`,
   * `(ref.eq)`, `(ref.any)`, `(ref.extern)` without a number, `(ref.exn)`... `kind` holds the
   * abstract heap type it names ("func", "struct", ...); `nonNull` is always true for these.
   */
  | { readonly kind: 'ref'; readonly heap: string }
  /** `(either r1 r2 ...)`: any one of the alternatives. */
  | { readonly kind: 'either'; readonly options: readonly WastResult[] };

export type WastAction =
  | { readonly kind: 'invoke'; readonly module: string | null; readonly field: string; readonly args: readonly WastValue[] }
  | { readonly kind: 'get'; readonly module: string | null; readonly field: string };

export type WastCommand =
  /** `(module $name? ...)`: compile and instantiate; it becomes the current module. */
  | { readonly kind: 'module'; readonly pos: SourcePos; readonly name: string | null; readonly module: WastModule }
  /** `(module definition $name? ...)`: compile only. */
  | { readonly kind: 'module_definition'; readonly pos: SourcePos; readonly name: string | null; readonly module: WastModule }
  /** `(module instance $inst? $def?)`: instantiate a definition (the last one when `definition` is null). */
  | { readonly kind: 'module_instance'; readonly pos: SourcePos; readonly instance: string | null; readonly definition: string | null }
  | { readonly kind: 'register'; readonly pos: SourcePos; readonly as: string; readonly module: string | null }
  | { readonly kind: 'action'; readonly pos: SourcePos; readonly action: WastAction }
  | { readonly kind: 'assert_return'; readonly pos: SourcePos; readonly action: WastAction; readonly expected: readonly WastResult[] }
  | { readonly kind: 'assert_trap'; readonly pos: SourcePos; readonly action: WastAction; readonly message: string }
  /** `(assert_trap (module ...) "msg")`: instantiation must trap. */
  | { readonly kind: 'assert_trap_module'; readonly pos: SourcePos; readonly module: WastModule; readonly message: string }
  | { readonly kind: 'assert_exhaustion'; readonly pos: SourcePos; readonly action: WastAction; readonly message: string }
  | { readonly kind: 'assert_exception'; readonly pos: SourcePos; readonly action: WastAction }
  | { readonly kind: 'assert_invalid'; readonly pos: SourcePos; readonly module: WastModule; readonly message: string }
  | { readonly kind: 'assert_malformed'; readonly pos: SourcePos; readonly module: WastModule; readonly message: string }
  | { readonly kind: 'assert_unlinkable'; readonly pos: SourcePos; readonly module: WastModule; readonly message: string }
  | { readonly kind: 'assert_uninstantiable'; readonly pos: SourcePos; readonly module: WastModule; readonly message: string }
  /** custom/ annotations tests: the module must fail (or warn about) its custom annotations. */
  | { readonly kind: 'assert_invalid_custom'; readonly pos: SourcePos; readonly module: WastModule; readonly message: string }
  | { readonly kind: 'assert_malformed_custom'; readonly pos: SourcePos; readonly module: WastModule; readonly message: string };

export interface WastScript {
  readonly file: string;
  readonly commands: readonly WastCommand[];
}
