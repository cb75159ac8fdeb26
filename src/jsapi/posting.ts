// WebAssembly objects posted to Workers. Structured clone knows nothing of tswasm's objects (a
// Memory arrives as an empty object), so they travel as plain descriptions that survive it: a shared
// Memory as its two SharedArrayBuffers (the same bytes on both sides), a Module as its bytes and
// compile options; the receiving thread makes its own objects of them again (received.ts).
// emscripten's pthreads glue posts its Memory and Module to each Worker and instantiates them there.

import type { Module as EngineModule } from '../api/module.js';
import { SharedMemoryObject } from '../runtime/shared-memory.js';
import { NO_BUILTINS, type BuiltinOptions } from './string-builtins.js';

/** A shared WebAssembly.Memory as it crosses to a Worker; `buffer` is its bytes, as the object's own. */
interface MemoryDescription {
  readonly tswasm: 'Memory';
  readonly buffer: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

/** A WebAssembly.Module as it crosses to a Worker. */
interface ModuleDescription {
  readonly tswasm: 'Module';
  readonly bytes: Uint8Array;
  readonly builtins: readonly string[];
  readonly importedStringConstants: string | null;
}

/** How to describe each posted-able object of every namespace (weakly held: no namespace is kept alive). */
const describers = new WeakMap<object, () => MemoryDescription | ModuleDescription>();

/** Lets `memory` (a JS API Memory over a shared memory) be posted. */
export function postableMemory(memory: object, raw: SharedMemoryObject): void {
  describers.set(memory, () => ({ tswasm: 'Memory', buffer: raw.parts.buffer, control: raw.parts.control }));
}

/** Lets `module` (a JS API Module) be posted. */
export function postableModule(module: object, engineModule: EngineModule, options: BuiltinOptions): void {
  describers.set(module, () => {
    const bytes = engineModule.info.bytes;
    return {
      tswasm: 'Module',
      // A view into a larger buffer would take all of it along.
      bytes: bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice(),
      builtins: options.builtinSets,
      importedStringConstants: options.importedStringModule,
    };
  });
}

/** How deep into a message descriptions are looked for, and how many values are looked at in all. */
const MAX_DEPTH = 4;
const MAX_VALUES = 1024;

/** The entries of a container a message walk may open (a plain object or an array), or null. */
function entriesOf(v: object, budget: { left: number }): [string, unknown][] | null {
  if (Array.isArray(v)) return v.length > budget.left ? null : v.map((x, i) => [String(i), x]);
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null ? Object.entries(v) : null;
}

/**
 * `message` as it can be posted: tswasm's shared Memory and Module objects in it (at the top, or in
 * plain objects and arrays up to four levels down, among its first thousand or so values)
 * replaced by their descriptions, in copies of the objects and arrays on the way; anything else is
 * left as it is (the same object when there is nothing to replace).
 */
export function postable(message: unknown): unknown {
  return rewriteMessage(message, (v) => describers.get(v)?.(), false);
}

/**
 * A received message with the descriptions in it (where `postable` puts them) replaced by what
 * `revive` makes of them, in place: the message is this agent's own copy. A message that is a
 * description itself is replaced by the return value.
 */
export function revivePosted(message: unknown, revive: (description: object) => object | undefined): unknown {
  return rewriteMessage(message, (v) => (isDescription(v, 'Memory') || isDescription(v, 'Module') ? revive(v) ?? v : undefined), true);
}

/**
 * `message` with each object for which `replace` answers (not undefined) replaced by the answer,
 * looking no deeper or wider than MAX_DEPTH and MAX_VALUES; the containers on the way are changed
 * `inPlace`, or else copied where something in them is replaced.
 */
function rewriteMessage(message: unknown, replace: (v: object) => unknown, inPlace: boolean): unknown {
  const budget = { left: MAX_VALUES };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const replacement = replace(v);
    if (replacement !== undefined) return replacement;
    if (depth === 0) return v;
    const entries = entriesOf(v, budget);
    if (entries === null || entries.length > budget.left) return v;
    budget.left -= entries.length;
    let target: object | null = inPlace ? v : null;
    for (const [key, x] of entries) {
      const r = walk(x, depth - 1);
      if (r !== x) ((target ??= Array.isArray(v) ? v.slice() : { ...v }) as Record<string, unknown>)[key] = r;
    }
    return target ?? v;
  };
  return walk(message, MAX_DEPTH);
}

function isDescription(v: unknown, kind: string): boolean {
  return typeof v === 'object' && v !== null && (v as { tswasm?: unknown }).tswasm === kind;
}

/** This agent's shared memory of a posted Memory's description (the same one for every description of it). */
const memories = new WeakMap<SharedArrayBuffer, SharedMemoryObject>();

/** The shared memory a posted Memory's description stands for, or undefined for anything else. */
export function memoryOfDescription(v: unknown): SharedMemoryObject | undefined {
  if (!isDescription(v, 'Memory')) return undefined;
  const { buffer, control } = v as MemoryDescription;
  if (!(control instanceof SharedArrayBuffer)) return undefined;
  let raw = memories.get(control);
  if (raw === undefined) {
    try {
      raw = SharedMemoryObject.fromParts({ buffer, control });
    } catch {
      return undefined; // not the parts of a shared memory after all
    }
    memories.set(control, raw);
  }
  return raw;
}

/** A posted Module's description: its bytes and compile options, or undefined for anything else. */
export function moduleDescription(v: unknown): { bytes: Uint8Array; options: BuiltinOptions } | undefined {
  if (!isDescription(v, 'Module')) return undefined;
  const d = v as ModuleDescription;
  if (!(d.bytes instanceof Uint8Array) || !Array.isArray(d.builtins)) return undefined;
  const builtinSets = d.builtins.map(String);
  const importedStringModule = d.importedStringConstants === null ? null : String(d.importedStringConstants);
  return { bytes: d.bytes, options: builtinSets.length === 0 && importedStringModule === null ? NO_BUILTINS : { builtinSets, importedStringModule } };
}
