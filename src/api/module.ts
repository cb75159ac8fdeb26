// Module: a decoded, validated module and its generated code (Wasmtime's Module). Immutable and
// shareable between stores; the JS factory is built once and used by every instance.

import { decodeModule } from '../binary/decoder.js';
import type { ExternKind, ImportDesc, ModuleInfo } from '../binary/module.js';
import type { FuncType, GlobalType, MemoryType, TableType } from '../core/types.js';
import { compileModule, type CompiledCode } from '../compile/module-compiler.js';
import { checkSupported } from '../compile/supported.js';
import type { ModuleCode } from '../runtime/instance.js';
import { validateModule } from '../validate/index.js';
import { parseWat } from '../text/index.js';
import type { Engine } from './engine.js';

export type ExternType =
  | { readonly kind: 'func'; readonly type: FuncType }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemoryType }
  | { readonly kind: 'global'; readonly type: GlobalType }
  | { readonly kind: 'tag'; readonly type: FuncType };

export interface ImportType {
  readonly module: string;
  readonly name: string;
  readonly type: ExternType;
}
export interface ExportType {
  readonly name: string;
  readonly type: ExternType;
}

export class Module implements ModuleCode {
  readonly info: ModuleInfo;
  readonly canon: Int32Array;
  readonly maxWasmStack: number | null;
  private compiled: CompiledCode | null = null;

  /** Decodes, validates and (with eager compilation) compiles `bytes`; throws CompileError. */
  constructor(readonly engine: Engine, bytes: Uint8Array) {
    const config = engine.config;
    this.info = decodeModule(bytes, config.features);
    this.canon = validateModule(this.info, config.features).canonicalTypeIds;
    checkSupported(this.info);
    this.maxWasmStack = config.maxWasmStack;
    if (config.compilation === 'eager') this.code();
  }

  /** A module from the text format. */
  static fromText(engine: Engine, text: string): Module {
    return new Module(engine, parseWat(text));
  }

  /** Throws CompileError unless `bytes` is a valid module this engine can run. */
  static validate(engine: Engine, bytes: Uint8Array): void {
    const info = decodeModule(bytes, engine.config.features);
    validateModule(info, engine.config.features);
    checkSupported(info);
  }

  get name(): string | null {
    return this.info.names?.module ?? null;
  }

  /** The generated code, produced on first use. */
  code(): CompiledCode {
    if (this.compiled === null) {
      const debug = this.engine.config.debugSource;
      this.compiled = compileModule(this.info, this.canon, {
        maxWasmStack: this.maxWasmStack,
        onSource: debug ? (src) => debug(this.name, src) : null,
      });
    }
    return this.compiled;
  }

  /** The generated JavaScript (the debug view). */
  source(): string {
    return this.code().source;
  }

  imports(): ImportType[] {
    return this.info.imports.map((imp) => ({ module: imp.module, name: imp.name, type: this.importType(imp.desc) }));
  }

  exports(): ExportType[] {
    return this.info.exports.map((e) => ({ name: e.name, type: this.exportType(e.kind, e.index) }));
  }

  private funcType(typeIndex: number): FuncType {
    return this.info.types[typeIndex]!.composite as FuncType;
  }
  private importType(d: ImportDesc): ExternType {
    switch (d.kind) {
      case 'func': return { kind: 'func', type: this.funcType(d.typeIndex) };
      case 'tag': return { kind: 'tag', type: this.funcType(d.type.typeIndex) };
      default: return d as ExternType;
    }
  }
  private exportType(kind: ExternKind, index: number): ExternType {
    const m = this.info;
    switch (kind) {
      case 'func': return { kind, type: this.funcType(m.funcTypes[index]!) };
      case 'table': return { kind, type: m.tables[index]! };
      case 'memory': return { kind, type: m.memories[index]! };
      case 'global': return { kind, type: m.globals[index]! };
      case 'tag': return { kind, type: this.funcType(m.tags[index]!.typeIndex) };
    }
  }
}
