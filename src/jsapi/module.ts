// WebAssembly.Module: a compiled module (tswasm's Module: decoded, validated, code generated on
// first instantiation) with its import and export descriptors and custom sections.

import { Module as EngineModule } from '../api/module.js';
import { CompileError } from '../core/errors.js';
import type { ExternKind } from '../binary/module.js';
import { asWebIdlInterface } from './interface.js';
import { checkJsApiLimits } from './limits.js';
import type { Realm } from './realm.js';
import { copyBufferSource, dictionary, requireArgs, sequence, toDOMString } from './webidl.js';

export type ModuleClass = ReturnType<typeof defineModule>;

/** The ImportExportKind of an extern kind. */
function kindName(kind: ExternKind): string {
  return kind === 'func' ? 'function' : kind;
}

/** Compiles a copy of the source bytes: a CompileError if they are not a valid module tswasm can run. */
export function compileBytes(realm: Realm, bytes: Uint8Array): EngineModule {
  let module: EngineModule;
  try {
    module = new EngineModule(realm.engine, bytes);
  } catch (e) {
    if (e instanceof CompileError) throw e;
    // Anything else escaping the decoder or validator (a stack overflow on deep nesting, say) is still a failure to compile.
    throw new CompileError(`cannot compile the module: ${e instanceof Error ? e.message : String(e)}`);
  }
  checkJsApiLimits(module.info);
  return module;
}

/**
 * Reads WebAssemblyCompileOptions (the WebIDL conversion, with its TypeErrors). JS String Builtins
 * are not implemented, so `builtins` and `importedStringConstants` are then ignored, as by engines
 * without the feature: such imports are looked up in the import object, where glue code that
 * supports both kinds of engine puts its polyfills.
 */
export function readCompileOptions(options: unknown, what: string): void {
  const d = dictionary(options, what);
  const builtins = d['builtins'];
  if (builtins !== undefined) sequence(builtins, `${what}: builtins`).forEach((b) => toDOMString(b));
  const strings = d['importedStringConstants'];
  if (strings !== undefined && strings !== null) toDOMString(strings);
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
        return;
      }
      requireArgs(arguments.length, 1, 'WebAssembly.Module');
      const copy = copyBufferSource(bytes, 'WebAssembly.Module');
      readCompileOptions(options, 'WebAssembly.Module');
      this.#module = compileBytes(realm, copy);
    }

    /** The module's exports as {name, kind}. */
    static exports(moduleObject: unknown): { name: string; kind: string }[] {
      requireArgs(arguments.length, 1, 'WebAssembly.Module.exports');
      return moduleOf(moduleObject, 'WebAssembly.Module.exports').info.exports.map((e) => ({ name: e.name, kind: kindName(e.kind) }));
    }

    /** The module's imports as {module, name, kind}. */
    static imports(moduleObject: unknown): { module: string; name: string; kind: string }[] {
      requireArgs(arguments.length, 1, 'WebAssembly.Module.imports');
      return moduleOf(moduleObject, 'WebAssembly.Module.imports').info.imports.map((i) => ({
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
