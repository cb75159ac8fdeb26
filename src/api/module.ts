// Module: a decoded, validated module and its generated code (Wasmtime's Module). Immutable and
// shareable between stores; the JS factory is built once and used by every instance.

import { decodeModule } from '../binary/decoder.js';
import type { ExternKind, ImportDesc, ModuleInfo } from '../binary/module.js';
import type { FuncType, GlobalType, MemoryType, TableType } from '../core/types.js';
import { layoutDataImages } from '../compile/data-image.js';
import { compileModule, factoryFromSource, moduleContext, type CompileOptions, type CompiledCode, type Factory } from '../compile/module-compiler.js';
import { CodeLocator, FUNCTION_WRAPPER_LINES, weakLocator } from '../compile/code-locator.js';
import type { ModuleContext } from '../compile/module-context.js';
import { generatorFunctions } from '../compile/suspending.js';
import { checkSupported, recordBodyFacts } from '../compile/supported.js';
import { CompileError } from '../core/errors.js';
import { codeUrl, registerCode, registerPrecompiledCode } from '../runtime/code-registry.js';
import { canGenerateCode, NO_CODE_GENERATION } from '../runtime/dynamic-code.js';
import type { ModuleCode } from '../runtime/instance.js';
import { validateModule } from '../validate/index.js';
import { canonicalType, canonicalizeValType } from '../validate/type-registry.js';
import { validateTypes } from '../validate/type-section.js';
import { parseWat } from '../text/index.js';
import { checkEngine, setPrecompiler, type Engine } from './engine.js';
import { DeserializeError, decodeModule as decodeBlob, encodeModule } from './serialize.js';
import { FACTORY_LINE, decodeModuleJs, encodeModuleJs, type PrecompiledJs, type PrecompiledParts } from './serialize-js.js';
import { CONTEXT_READ_LINE, lineProbe } from './precompiled-lines.js';
import { now } from '../core/clock.js';

/** The type of an import or export, with canonical type ids in reference types. */
export type ExternType =
  | { readonly kind: 'func'; readonly type: FuncType }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemoryType }
  | { readonly kind: 'global'; readonly type: GlobalType }
  | { readonly kind: 'tag'; readonly type: FuncType };

/** One import of a module. */
export interface ImportType {
  /** The module name it is imported from. */
  readonly module: string;
  /** The field name it is imported as. */
  readonly name: string;
  /** What is imported, with its full type. */
  readonly type: ExternType;
}
/** One export of a module. */
export interface ExportType {
  /** The name it is exported as. */
  readonly name: string;
  /** What is exported, with its full type. */
  readonly type: ExternType;
}

/** Bytes of a binary module, or its text format. */
export type ModuleSource = Uint8Array | ArrayBuffer | string;

/** A validated, compiled module; immutable and shared by stores of its engine (Wasmtime's Module). */
export class Module implements ModuleCode {
  /** The decoded module. */
  readonly info: ModuleInfo;
  /** Canonical type id of every type index (valid in this process only). */
  readonly canon: Int32Array;
  /** The call-depth limit its code was generated for. */
  readonly maxWasmStack: number | null;
  private compiled: CompiledCode | null = null;
  /** For a deserialized module: its generated code, evaluated on first use. */
  private pending: PendingCode | null = null;

  /**
   * Decodes, validates and (with eager compilation) compiles a module given as binary bytes or
   * in the text format (Wasmtime's Module::new); throws CompileError.
   */
  constructor(/** The engine it was compiled for. */ readonly engine: Engine, source: ModuleSource) {
    checkEngine(engine, 'Module');
    const config = engine.config;
    this.info = decodeModule(toBytes(source), config.features);
    const validated = validateModule(this.info, config.features);
    this.canon = validated.canonicalTypeIds;
    recordBodyFacts(this.info, validated);
    checkSupported(this.info);
    if (!canGenerateCode()) throw new CompileError(NO_CODE_GENERATION);
    this.maxWasmStack = config.maxWasmStack;
    if (config.compilation === 'eager') this.code();
  }

  /** Whether its functions are generators that may suspend (the engine's Config.asyncSupport). */
  get asyncSupport(): boolean {
    return this.engine.config.asyncSupport;
  }

  /** A module from the text format. */
  static fromText(engine: Engine, text: string): Module {
    return new Module(engine, text);
  }

  /** A module from binary bytes only (text is refused as malformed). */
  static fromBinary(engine: Engine, bytes: Uint8Array | ArrayBuffer): Module {
    if (typeof bytes === 'string') throw new TypeError('Module.fromBinary takes bytes');
    return new Module(engine, bytes);
  }

  /** Throws CompileError unless `bytes` is a valid module this engine can run. */
  static validate(engine: Engine, bytes: Uint8Array | ArrayBuffer): void {
    checkEngine(engine, 'Module.validate');
    const info = decodeModule(toBytes(bytes, false), engine.config.features);
    validateModule(info, engine.config.features);
    checkSupported(info);
  }

  /** The module's name from its name section, if any. */
  get name(): string | null {
    return this.info.names?.module ?? null;
  }

  /** The generated code, produced on first use. */
  code(): CompiledCode {
    if (this.compiled === null) {
      const debug = this.engine.config.debugSource;
      const onSource = debug ? (src: string) => debug(this.name, src) : null;
      const c = this.engine.config;
      // A variable, not a literal: the code generator reads the switches it knows.
      const options = {
        maxWasmStack: this.maxWasmStack, consumeFuel: c.consumeFuel, epochInterruption: c.epochInterruption,
        nanCanonicalization: c.nanCanonicalization, nanBoxes: c.nanBoxes, splitLargeSwitches: c.splitLargeSwitches, splitHugeSwitches: c.splitHugeSwitches, interpreter: c.interpreter, lazy: c.compilation === 'lazy', onSource,
        asyncSupport: c.asyncSupport,
      };
      if (this.pending !== null) {
        this.compiled = evaluate(this.info, this.canon, this.pending, options);
        this.pending = null;
      } else {
        this.compiled = compileModule(this.info, this.canon, options);
      }
    }
    return this.compiled;
  }

  /** The generated factory source without its sourceURL line (which is per process). */
  private generatedSource(what: string): string {
    const code = this.code();
    if (code.source === '') throw new Error(`Module.${what}: a module from deserializeJs has no source to serialize (its code is the file it came from)`);
    // Without its last line when that is the sourceURL comment (a regular expression anchored at the
    // end scans the whole source: 0.13 s for esbuild's).
    const at = code.source.lastIndexOf('\n//# sourceURL=');
    return at >= 0 && code.source.indexOf('\n', at + 1) < 0 ? code.source.slice(0, at) : code.source;
  }

  /** The generated JavaScript (the debug view; empty for a module from deserializeJs, whose code is its file). */
  source(): string {
    return this.code().source;
  }

  /** Every import, in order, with its full type. */
  imports(): ImportType[] {
    return this.info.imports.map((imp) => ({ module: imp.module, name: imp.name, type: this.importType(imp.desc) }));
  }

  /** Every export, in order, with its full type. */
  exports(): ExportType[] {
    return this.info.exports.map((e) => ({ name: e.name, type: this.exportType(e.kind, e.index) }));
  }

  /** The type of the export called `name`, or undefined (Wasmtime's Module::get_export). */
  getExport(name: string): ExternType | undefined {
    const e = this.exportNamed(name);
    return e === undefined ? undefined : this.exportType(e.kind, e.index);
  }

  /**
   * A handle for the export called `name`, or undefined (Wasmtime's Module::get_export_index):
   * Instance.getModuleExport looks it up in an instance of this module without the name.
   */
  getExportIndex(name: string): ModuleExport | undefined {
    const e = this.exportNamed(name);
    return e === undefined ? undefined : new ModuleExport(this, e.name);
  }

  private exportNamed(name: string): ModuleInfo['exports'][number] | undefined {
    if (typeof name !== 'string') throw new TypeError('an export name is a string');
    return this.info.exports.find((e) => e.name === name);
  }

  /**
   * What instantiating this module asks of a store (Wasmtime's Module::resources_required): the
   * memories and tables it defines (imported ones are not counted) and the largest initial size
   * among them, in pages and in elements (null when it defines none). A plugin host can refuse a
   * module before instantiating it, or size a store's limits.
   */
  resourcesRequired(): ResourcesRequired {
    const memories = this.info.memories.slice(this.info.numImportedMemories);
    const tables = this.info.tableDefs.map((t) => t.type);
    const largest = (sizes: number[]) => (sizes.length === 0 ? null : Math.max(...sizes));
    return {
      numMemories: memories.length,
      maxInitialMemorySize: largest(memories.map((m) => m.limits.min)),
      numTables: tables.length,
      maxInitialTableSize: largest(tables.map((t) => t.limits.min)),
    };
  }

  /** The contents of every custom section called `name`, in module order (copies). */
  customSections(name: string): Uint8Array[] {
    return this.info.customSections.filter((s) => s.name === name).map((s) => s.data.slice());
  }

  /**
   * The compiled form (Wasmtime's Module::serialize): the module and its generated JS with the
   * format version, the tswasm version and the engine's fingerprint, under a tag (HMAC-SHA-256 with
   * the engine's serializationKey, else SHA-256). See docs/embedding.md for the trust model.
   */
  serialize(): Uint8Array {
    const source = this.generatedSource('serialize');
    return encodeModule({ fingerprint: this.engine.fingerprint, wasm: this.info.bytes, source }, this.engine.config.serializationKey);
  }

  /**
   * A module from `serialize`'s output (Wasmtime's Module::deserialize). Everything is checked
   * before any of it is evaluated: the format and tswasm versions, the engine fingerprint and the
   * tag (the HMAC under this engine's key when it has one); anything else throws DeserializeError.
   * The module is not validated again: its integrity comes from the tag.
   */
  static deserialize(engine: Engine, blob: Uint8Array | ArrayBuffer): Module {
    checkEngine(engine, 'Module.deserialize');
    if (!(blob instanceof Uint8Array) && !(blob instanceof ArrayBuffer)) throw new TypeError('Module.deserialize: expected the bytes of Module.serialize (a Uint8Array or an ArrayBuffer)');
    const parts = decodeBlob(toBytes(blob), engine.config.serializationKey, engine.fingerprint);
    return withPendingCode(engine, parts.wasm, { source: parts.source });
  }

  /**
   * The compiled form as the text of an ES module, for hosts that cannot make code from strings
   * (a Content-Security-Policy without 'unsafe-eval'): import it and pass its default export to
   * `deserializeJs`. It carries the wasm bytes, the generated code and the engine's fingerprint;
   * being code, it has no integrity tag: the host trusts it as it trusts its other scripts.
   */
  serializeJs(): string {
    const source = this.generatedSource('serializeJs');
    return encodeModuleJs(this.info.bytes, this.engine.fingerprint, source, this.name);
  }

  /**
   * A module from the default export of `serializeJs`'s ES module (or the imported module namespace
   * itself). Runs no generated code from strings. Throws DeserializeError unless it was made by this
   * tswasm version for this engine's configuration and its wasm bytes match its digest; the module is
   * not validated again (it was when it was compiled).
   */
  static deserializeJs(engine: Engine, artifact: PrecompiledJs | { readonly default: PrecompiledJs }): Module {
    checkEngine(engine, 'Module.deserializeJs');
    return moduleFromPrecompiled(engine, decodeModuleJs(artifact, engine.fingerprint));
  }

  private funcType(typeIndex: number): FuncType {
    return canonicalType(this.canon[typeIndex]!).composite as FuncType;
  }
  private table(t: TableType): TableType {
    return { ...t, element: canonicalizeValType(t.element, this.canon) };
  }
  private global(g: GlobalType): GlobalType {
    return { type: canonicalizeValType(g.type, this.canon), mutable: g.mutable };
  }
  private importType(d: ImportDesc): ExternType {
    switch (d.kind) {
      case 'func': return { kind: 'func', type: this.funcType(d.typeIndex) };
      case 'tag': return { kind: 'tag', type: this.funcType(d.type.typeIndex) };
      case 'table': return { kind: 'table', type: this.table(d.type) };
      case 'memory': return { kind: 'memory', type: d.type };
      case 'global': return { kind: 'global', type: this.global(d.type) };
    }
  }
  private exportType(kind: ExternKind, index: number): ExternType {
    const m = this.info;
    switch (kind) {
      case 'func': return { kind, type: this.funcType(m.funcTypes[index]!) };
      case 'table': return { kind, type: this.table(m.tables[index]!) };
      case 'memory': return { kind, type: m.memories[index]! };
      case 'global': return { kind, type: this.global(m.globals[index]!) };
      case 'tag': return { kind, type: this.funcType(m.tags[index]!.typeIndex) };
    }
  }
}

/** An export of one module, found once by name (Module.getExportIndex, Wasmtime's ModuleExport). */
export class ModuleExport {
  /** @internal */
  constructor(
    /** The module whose export it is: instances of other modules do not have it. */
    readonly module: Module,
    /** The export's name. */
    readonly name: string,
  ) {}
}

/** What instantiating a module asks of a store (Module.resourcesRequired). */
export interface ResourcesRequired {
  /** Memories the module defines. */
  readonly numMemories: number;
  /** The largest initial size of those memories, in pages (null: it defines none). */
  readonly maxInitialMemorySize: number | null;
  /** Tables the module defines. */
  readonly numTables: number;
  /** The largest initial size of those tables, in elements (null: it defines none). */
  readonly maxInitialTableSize: number | null;
}

/** Generated code that came with a module: serialized source (evaluated), or a precompiled factory. */
type PendingCode = { readonly source: string } | { readonly factory: () => unknown; readonly key: string };

/** A Module from a PrecompiledJs already checked against `engine` (decodeModuleJs). */
export function moduleFromPrecompiled(engine: Engine, parts: PrecompiledParts): Module {
  return withPendingCode(engine, parts.wasm, { factory: parts.factory, key: parts.key });
}

/** A Module around already compiled code: decoded, its types registered in this process, not validated. */
function withPendingCode(engine: Engine, wasm: Uint8Array, pending: PendingCode): Module {
  const m = Object.create(Module.prototype) as Module;
  const info = decodeModule(wasm, engine.config.features);
  // Canonical ids are per process: register the module's types here (the code reads them via ctx.canon).
  const canon = validateTypes(info, engine.config.features).canon;
  Object.assign(m, { engine, info, canon, maxWasmStack: engine.config.maxWasmStack, compiled: null, pending });
  if (engine.config.compilation === 'eager') m.code();
  return m;
}

/** Byte arrays a caller copied already and hands over (handOverBytes). */
const handedOver = new WeakSet<Uint8Array>();

/**
 * @internal Marks `bytes`, a copy no one else holds, so that the Module made from it takes it
 * instead of copying it again (the JS API copies its BufferSource at the call, as its spec says).
 */
export function handOverBytes(bytes: Uint8Array): Uint8Array {
  handedOver.add(bytes);
  return bytes;
}

/**
 * The module's bytes. A module keeps them (`keep`) as a private copy, read once: the caller may
 * change its array (or another thread its SharedArrayBuffer) after validation, or while a serialized
 * module's tag is checked, and lazy compilation and instantiation read the bytes later (as
 * Wasmtime's Module::new reads its input once). A Node Buffer's `slice` is a view, so the copy is
 * made by constructing a new array. Validation alone reads them once, and copies nothing.
 */
function toBytes(source: ModuleSource, keep = true): Uint8Array {
  if (typeof source === 'string') return parseWat(source);
  if (source instanceof Uint8Array) return !keep || handedOver.delete(source) ? source : new Uint8Array(source);
  if (source instanceof ArrayBuffer) return new Uint8Array(keep ? source.slice(0) : source);
  throw new TypeError('a module is given as a Uint8Array, an ArrayBuffer or text');
}

/**
 * The eager code of a deserialized module: from its verified source with a fresh sourceURL
 * (backtraces map through it), registered like compileModule registers generated code; or from a
 * precompiled factory, whose sourceURL was fixed when it was written.
 */
function evaluate(info: ModuleInfo, canon: Int32Array, pending: PendingCode, options: CompileOptions): CompiledCode {
  const onSource = options.onSource ?? null;
  const code = {
    lazy: false, url: '', factory: null as CompiledCode['factory'], shell: null, source: '', images: layoutDataImages(info), generateMs: 0,
    evalMs: 0, suspends: generatorFunctions(info, options),
    unit: (): never => {
      throw new Error('internal error: a deserialized module has eager code only');
    },
    locator: null as CodeLocator | null,
  };
  const names = { moduleName: info.names?.module ?? null, funcNames: info.names?.functions ?? new Map<number, string>() };
  if ('factory' in pending) {
    // Backtrace offsets: the factory's own text, placed at the lines it has in the ES module (the
    // locator compiles the function again and checks the lines match before it answers).
    const written = pending.factory;
    let context: ModuleContext | null = null;
    let script: string | null = null;
    code.locator = new CodeLocator(
      () => (context ??= moduleContext(info, canon, options)),
      (_, unit) => (unit ? null : (script ??= '\n'.repeat(FACTORY_LINE - 1 - FUNCTION_WRAPPER_LINES) + Function.prototype.toString.call(written))),
    );
    registerPrecompiledCode(pending.key, { ...names, locator: weakLocator(code), bytes: info.bytes });
    code.url = codeUrl(pending.key);
    const t0 = now();
    const factory = pending.factory();
    if (typeof factory !== 'function') throw new DeserializeError('precompiled module: its factory did not return the module\'s code');
    const instantiate = factory as Factory;
    let probed = false;
    code.factory = (ctx) => {
      if (probed) return instantiate(ctx);
      probed = true;
      // No offsets rather than wrong ones when the file's lines moved.
      return instantiate(lineProbe(ctx as object, code.url, (line) => {
        if (line !== CONTEXT_READ_LINE) code.locator = null;
      }));
    };
    code.evalMs = now() - t0;
    return code;
  }
  if (!canGenerateCode()) throw new CompileError(NO_CODE_GENERATION);
  // Backtrace offsets: this process regenerates the code alike when the engine's settings match
  // (the locator checks that it does, line for line, before it answers).
  let context: ModuleContext | null = null;
  code.locator = new CodeLocator(() => (context ??= moduleContext(info, canon, options)), (_, unit) => (unit ? null : code.source));
  const { url } = registerCode({ ...names, locator: weakLocator(code), bytes: info.bytes }, code);
  code.url = url;
  code.source = `${pending.source}\n//# sourceURL=${url}`;
  onSource?.(code.source);
  const t0 = now();
  code.factory = factoryFromSource(code.source);
  code.evalMs = now() - t0;
  return code;
}

setPrecompiler((engine, source) => new Module(engine, source).serialize());
