// Builds a WebAssembly namespace object: validate, compile, instantiate (both overloads), the
// streaming variants, the interfaces and error classes, with the property shapes WebIDL gives them.

import type { Module as EngineModule } from '../api/module.js';
import { CompileError, LinkError, RuntimeError } from '../core/errors.js';
import { SuspendError, Suspending, makePromising } from './jspi.js';
import { defineException } from './exception.js';
import { defineGlobal } from './global.js';
import { checkImportObject, defineInstance, instantiateCore } from './instance.js';
import { readImports } from './imports.js';
import { defineOperation } from './interface.js';
import { defineMemory } from './memory.js';
import { compileBytes, defineModule, readCompileOptions } from './module.js';
import { Realm, type JsApiOptions } from './realm.js';
import type { BuiltinOptions } from './string-builtins.js';
import { responseBytes } from './streaming.js';
import { defineTable } from './table.js';
import { defineTag, jsExceptionTag } from './tag.js';
import { copyBufferSource, requireArgs } from './webidl.js';

/** The shape of the object `createWebAssembly` returns (a superset of Node's `WebAssembly`). */
export interface WebAssemblyNamespace {
  /** Whether `bytes` are a valid module (WebAssembly.validate). */
  validate(bytes: unknown, options?: unknown): boolean;
  /** Compiles `bytes` in a later job; resolves with a Module (WebAssembly.compile). */
  compile(bytes: unknown, options?: unknown): Promise<object>;
  /** Compiles and instantiates bytes (resolving with `{ module, instance }`), or instantiates a Module (resolving with the instance). */
  instantiate(source: unknown, importObject?: unknown, options?: unknown): Promise<unknown>;
  /** Compiles a Response (or a promise of one) with the `application/wasm` MIME type. */
  compileStreaming(source: unknown, options?: unknown): Promise<object>;
  /** Compiles and instantiates a Response (or a promise of one); resolves with `{ module, instance }`. */
  instantiateStreaming(source: unknown, importObject?: unknown, options?: unknown): Promise<{ module: object; instance: object }>;
  /** WebAssembly.Module: a compiled module, with imports(), exports() and customSections(). */
  readonly Module: ReturnType<typeof defineModule>;
  /** WebAssembly.Instance: an instantiated module and its exports object. */
  readonly Instance: ReturnType<typeof defineInstance>;
  /** WebAssembly.Memory: a linear memory, its buffer detached when it grows. */
  readonly Memory: ReturnType<typeof defineMemory>;
  /** WebAssembly.Table: a table of references. */
  readonly Table: ReturnType<typeof defineTable>;
  /** WebAssembly.Global: a global, with value and valueOf(). */
  readonly Global: ReturnType<typeof defineGlobal>;
  /** WebAssembly.Tag: an exception tag. */
  readonly Tag: ReturnType<typeof defineTag>;
  /** WebAssembly.Exception: a wasm exception, as JS sees it. */
  readonly Exception: ReturnType<typeof defineException>;
  /** WebAssembly.CompileError: a module failed to decode or validate. */
  readonly CompileError: typeof CompileError;
  /** WebAssembly.LinkError: instantiation failed to link imports. */
  readonly LinkError: typeof LinkError;
  /** WebAssembly.RuntimeError: a trap. */
  readonly RuntimeError: typeof RuntimeError;
  /** WebAssembly.JSTag: the tag of JS exceptions caught in wasm. */
  readonly JSTag: object;
  /** JS Promise Integration, in namespaces made with `jspi: true` (jsapi/jspi.ts). */
  readonly Suspending?: typeof Suspending;
  /** JSPI: thrown when wasm tries to suspend where it cannot (no promising call, or JS frames in between). */
  readonly SuspendError?: typeof SuspendError;
  /** JSPI: an exported function as a function returning a promise, inside which Suspending imports suspend. */
  promising?(wasmFunc: unknown): (...args: unknown[]) => Promise<unknown>;
}

/**
 * A new WebAssembly namespace backed by tswasm: its own engine and store, and its own interface
 * objects (objects of one namespace are not accepted by another, as with separate realms).
 */
export function createWebAssembly(options: JsApiOptions = {}): WebAssemblyNamespace {
  const realm = new Realm(options);
  const Module = defineModule(realm);
  const Instance = defineInstance(realm);
  const Memory = defineMemory(realm);
  const Table = defineTable(realm);
  const Global = defineGlobal(realm);
  const Tag = defineTag(realm);
  const Exception = defineException(realm);

  /** "Asynchronously compile a WebAssembly module": compiles in a later job, resolves with a Module. */
  const asyncCompile = (bytes: Uint8Array, options: BuiltinOptions): Promise<object> =>
    Promise.resolve().then(() => realm.wrapModule(compileBytes(realm, bytes, options)));

  /** "Asynchronously instantiate": reads the imports now, instantiates in a later job. */
  const asyncInstantiate = (module: EngineModule, importObject: unknown): Promise<object> => {
    let imports;
    try {
      imports = readImports(realm, module, importObject);
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve().then(() => realm.wrapInstance(instantiateCore(realm, module, imports)));
  };

  const instantiateModuleObject = (moduleObject: object, importObject: unknown) =>
    asyncInstantiate(realm.moduleOf(moduleObject)!, importObject).then((instance) => ({ instance, module: moduleObject }));

  /** Runs `f`, turning a synchronous exception into a rejected promise (WebIDL's promise-returning operations). */
  const promising = <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return f();
    } catch (e) {
      return Promise.reject(e);
    }
  };

  // Methods, not functions: WebIDL operations are not constructors.
  const operations = {
    validate(bytes: unknown, opts?: unknown): boolean {
      requireArgs(arguments.length, 1, 'WebAssembly.validate');
      const copy = copyBufferSource(bytes, 'WebAssembly.validate');
      const options = readCompileOptions(opts, 'WebAssembly.validate');
      try {
        // A valid module using a feature the engine cannot run yet counts as invalid, as on an
        // engine without that feature, so feature detection picks a build tswasm can run.
        compileBytes(realm, copy, options);
        return true;
      } catch {
        return false;
      }
    },
    compile(bytes: unknown, opts?: unknown): Promise<object> {
      const count = arguments.length;
      return promising(() => {
        requireArgs(count, 1, 'WebAssembly.compile');
        const copy = copyBufferSource(bytes, 'WebAssembly.compile');
        return asyncCompile(copy, readCompileOptions(opts, 'WebAssembly.compile'));
      });
    },
    instantiate(source: unknown, importObject?: unknown, opts?: unknown): Promise<unknown> {
      const count = arguments.length;
      return promising<unknown>(() => {
        const what = 'WebAssembly.instantiate';
        requireArgs(count, 1, what);
        const module = realm.moduleOf(source);
        if (module !== undefined) {
          checkImportObject(importObject, what);
          return asyncInstantiate(module, importObject);
        }
        const copy = copyBufferSource(source, what);
        checkImportObject(importObject, what);
        return asyncCompile(copy, readCompileOptions(opts, what)).then((moduleObject) => instantiateModuleObject(moduleObject, importObject));
      });
    },
    compileStreaming(source: unknown, opts?: unknown): Promise<object> {
      const count = arguments.length;
      return promising(() => {
        requireArgs(count, 1, 'WebAssembly.compileStreaming');
        const options = readCompileOptions(opts, 'WebAssembly.compileStreaming');
        return responseBytes(source, 'WebAssembly.compileStreaming').then((bytes) => asyncCompile(bytes, options));
      });
    },
    instantiateStreaming(source: unknown, importObject?: unknown, opts?: unknown): Promise<{ module: object; instance: object }> {
      const count = arguments.length;
      return promising(() => {
        const what = 'WebAssembly.instantiateStreaming';
        requireArgs(count, 1, what);
        checkImportObject(importObject, what);
        const options = readCompileOptions(opts, what);
        return responseBytes(source, what).then((bytes) => asyncCompile(bytes, options)).then((m) => instantiateModuleObject(m, importObject));
      });
    },
  };

  const ns = {} as Record<string | symbol, unknown>;
  for (const name of ['compile', 'validate', 'instantiate', 'compileStreaming', 'instantiateStreaming'] as const) {
    defineOperation(ns, name, operations[name], 1);
  }
  const interfaces = { Module, Instance, Table, Memory, Global, Tag, Exception, CompileError, LinkError, RuntimeError };
  for (const [name, value] of Object.entries(interfaces)) {
    Object.defineProperty(ns, name, { value, writable: true, enumerable: false, configurable: true });
  }
  Object.defineProperty(ns, 'JSTag', { get: () => realm.tag.wrap(jsExceptionTag(realm)), enumerable: true, configurable: true });
  if (realm.jspi) {
    Object.defineProperty(ns, 'Suspending', { value: Suspending, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(ns, 'SuspendError', { value: SuspendError, writable: true, enumerable: false, configurable: true });
    defineOperation(ns, 'promising', function promising(wasmFunc: unknown) {
      return makePromising(realm, wasmFunc);
    }, 1);
  }
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'WebAssembly', configurable: true });
  realms.set(ns, realm);
  return ns as unknown as WebAssemblyNamespace;
}

const realms = new WeakMap<object, Realm>();

/** The realm behind a namespace createWebAssembly made, or undefined for any other object. */
export function realmOf(namespace: object): Realm | undefined {
  return realms.get(namespace);
}
