// WebAssembly.Module: a compiled module (tswasm's Module: decoded, validated, code generated on
// first instantiation) with its import and export descriptors and custom sections.

import { Module as EngineModule, handOverBytes } from '../api/module.js';
import { CompileError } from '../core/errors.js';
import type { ExternKind } from '../binary/module.js';
import { asWebIdlInterface } from './interface.js';
import { checkJsApiLimits } from './limits.js';
import { checkBuiltinImports, isBuiltinOrStringImport, NO_BUILTINS, type BuiltinOptions } from './string-builtins.js';
import type { Realm } from './realm.js';
import { postableModule } from './posting.js';
import { copyBufferSource, dictionary, requireArgs, sequence, toDOMString, toUSVString } from './webidl.js';

export type ModuleClass = ReturnType<typeof defineModule>;

/** The ImportExportKind of an extern kind. */
function kindName(kind: ExternKind): string {
  return kind === 'func' ? 'function' : kind;
}

/** Compiles a copy of the source bytes: a CompileError if they are not a valid module tswasm can run. */
export function compileBytes(realm: Realm, bytes: Uint8Array, options: BuiltinOptions = NO_BUILTINS): EngineModule {
  let module: EngineModule;
  try {
    // Every caller passes a copy of its own (the spec's copy of the BufferSource): the Module takes it.
    module = realm.precompiled.find(bytes) ?? new EngineModule(realm.engine, handOverBytes(bytes));
  } catch (e) {
    if (e instanceof CompileError) throw e;
    // Anything else escaping the decoder or validator (a stack overflow on deep nesting, say) is still a failure to compile.
    throw new CompileError(`cannot compile the module: ${e instanceof Error ? e.message : String(e)}`);
  }
  checkJsApiLimits(module.info);
  if (options !== NO_BUILTINS) {
    checkBuiltinImports(module, options);
    builtinOptions.set(module, options);
  }
  return module;
}

/** Reads WebAssemblyCompileOptions (the WebIDL conversion, with its TypeErrors). */
export function readCompileOptions(options: unknown, what: string): BuiltinOptions {
  const d = dictionary(options, what);
  const builtins = d['builtins'];
  const strings = d['importedStringConstants'];
  const builtinSets = builtins === undefined ? [] : sequence(builtins, `${what}: builtins`).map(toUSVString);
  const importedStringModule = strings === undefined || strings === null ? null : toUSVString(strings);
  return builtinSets.length === 0 && importedStringModule === null ? NO_BUILTINS : { builtinSets, importedStringModule };
}

/** The \[[BuiltinSets]] and \[[ImportedStringModule]] slots of each compiled module. */
const builtinOptions = new WeakMap<EngineModule, BuiltinOptions>();

/** The compile options a module was compiled with (NO_BUILTINS when none). */
export function builtinOptionsOf(module: EngineModule): BuiltinOptions {
  return builtinOptions.get(module) ?? NO_BUILTINS;
}

/** Defines this realm's Module interface; `realm.moduleOf` recognises its objects. */
export function defineModule(realm: Realm) {
  let adopting: EngineModule | null = null;

  class Module {
    readonly #module: EngineModule;

    constructor(bytes: unknown, options?: unknown) {
      if (adopting !== null) {
        this.#module = adopting;
        adopting = null;
      } else {
        requireArgs(arguments.length, 1, 'WebAssembly.Module');
        const copy = copyBufferSource(bytes, 'WebAssembly.Module');
        this.#module = compileBytes(realm, copy, readCompileOptions(options, 'WebAssembly.Module'));
      }
      postableModule(this, this.#module, builtinOptionsOf(this.#module));
    }

    /** The module's exports as {name, kind}. */
    static exports(moduleObject: unknown): { name: string; kind: string }[] {
      requireArgs(arguments.length, 1, 'WebAssembly.Module.exports');
      return moduleOf(moduleObject, 'WebAssembly.Module.exports').info.exports.map((e) => ({ name: e.name, kind: kindName(e.kind) }));
    }

    /** The module's imports as {module, name, kind}. */
    static imports(moduleObject: unknown): { module: string; name: string; kind: string }[] {
      requireArgs(arguments.length, 1, 'WebAssembly.Module.imports');
      const m = moduleOf(moduleObject, 'WebAssembly.Module.imports');
      const options = builtinOptionsOf(m);
      return m.info.imports.filter((i) => !isBuiltinOrStringImport(i, options)).map((i) => ({
        module: i.module, name: i.name, kind: kindName(i.desc.kind),
      }));
    }

    /** A copy of the contents of every custom section called `sectionName`, in module order. */
    static customSections(moduleObject: unknown, sectionName: unknown): ArrayBuffer[] {
      requireArgs(arguments.length, 2, 'WebAssembly.Module.customSections');
      const m = moduleOf(moduleObject, 'WebAssembly.Module.customSections');
      const name = toDOMString(sectionName);
      return m.info.customSections.filter((s) => s.name === name).map((s) => s.data.slice().buffer as ArrayBuffer);
    }

    static {
      realm.moduleOf = (v) => (typeof v === 'object' && v !== null && #module in v ? v.#module : undefined);
      realm.wrapModule = (m) => {
        adopting = m;
        return new Module(undefined);
      };
    }
  }

  function moduleOf(v: unknown, what: string): EngineModule {
    const m = realm.moduleOf(v);
    if (m === undefined) throw new TypeError(`${what}: the argument must be a WebAssembly.Module`);
    return m;
  }

  asWebIdlInterface(Module, 1);
  return Module;
}
